-- Ratings given in the period, and the ratings of dossiers resolved in it (the 766 rate looks at those
-- whenever they were given), each as it stands (its latest row); the second column says whether it was
-- given in the period.
WITH line AS (SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[]) AS l (hall, epoch, upto)),
counted AS (
    SELECT r.* FROM hall_row r JOIN line l ON r.hall = l.hall AND r.epoch = l.epoch AND r.seq <= l.upto
),
resolved AS (
    SELECT DISTINCT d.hall, (d.body->'dossier'->>'code') AS code FROM counted d
     WHERE d.kind = 'dossier_status' AND (d.body->>'status')::INTEGER IN (9, 10) AND d.at_ms >= $4 AND d.at_ms < $5
),
resolved_ids AS (
    SELECT DISTINCT c.hall, (c.body->>'id')::BIGINT AS id FROM counted c
      JOIN resolved v ON v.hall = c.hall AND v.code = c.body->>'code'
     WHERE c.kind = 'dossier'
),
rating AS (
    SELECT DISTINCT ON (c.hall, (c.body->>'ticket_id')::BIGINT) c.hall, c.body
      FROM counted c WHERE c.kind = 'rating'
     ORDER BY c.hall, (c.body->>'ticket_id')::BIGINT, c.seq DESC
)
SELECT r.hall, r.body->>'level',
       (r.body->>'rated_ms')::BIGINT >= $4 AND (r.body->>'rated_ms')::BIGINT < $5,
       coalesce(r.body->'reasons', '[]'::JSONB)::TEXT, coalesce((r.body->>'complained')::BOOLEAN, false),
       (r.body->>'dossier_id')::BIGINT, r.body->>'service', (r.body->>'counter')::INTEGER, r.body->>'staff_id'
  FROM rating r
 WHERE ((r.body->>'rated_ms')::BIGINT >= $4 AND (r.body->>'rated_ms')::BIGINT < $5)
    OR (r.hall, (r.body->>'dossier_id')::BIGINT) IN (SELECT hall, id FROM resolved_ids)

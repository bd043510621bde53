-- Ratings given in the period, and the ratings of dossiers with a status 9 or 10 in it (the 766 rate looks
-- at those whenever they were given), each as it stands (its latest row); the third column says whether
-- it was given in the period.
WITH line AS (SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[]) AS l (hall, epoch, upto)),
resolved AS (
    SELECT DISTINCT r.hall, (r.body->'dossier'->>'id')::BIGINT AS id
      FROM line l JOIN hall_row r ON r.hall = l.hall AND r.epoch = l.epoch AND r.seq <= l.upto
     WHERE r.kind = 'dossier_status' AND r.at_ms >= $4 AND r.at_ms < $5
       AND (r.body->>'status')::INTEGER IN (9, 10)
),
rating AS (
    SELECT DISTINCT ON (r.hall, (r.body->>'ticket_id')::BIGINT) r.hall, r.body
      FROM line l JOIN hall_row r ON r.hall = l.hall AND r.epoch = l.epoch AND r.seq <= l.upto
     WHERE r.kind = 'rating'
     ORDER BY r.hall, (r.body->>'ticket_id')::BIGINT, r.seq DESC
)
SELECT r.hall, r.body->>'level',
       (r.body->>'rated_ms')::BIGINT >= $4 AND (r.body->>'rated_ms')::BIGINT < $5,
       coalesce(r.body->'reasons', '[]'::JSONB)::TEXT, coalesce((r.body->>'complained')::BOOLEAN, false),
       (r.body->>'dossier_id')::BIGINT, r.body->>'service', (r.body->>'counter')::INTEGER, r.body->>'staff_id'
  FROM rating r
  LEFT JOIN resolved v ON v.hall = r.hall AND v.id = (r.body->>'dossier_id')::BIGINT
 WHERE ((r.body->>'rated_ms')::BIGINT >= $4 AND (r.body->>'rated_ms')::BIGINT < $5) OR v.id IS NOT NULL

-- The service, counter and staff member of the tickets dossiers were received under ($6, $7: each ticket's
-- hall and id), from their rows written from $4 to $5 (a ticket's rows are of its day, the dossier's day).
WITH wanted AS (SELECT DISTINCT * FROM unnest($6::TEXT[], $7::BIGINT[]) AS w (hall, id)),
line AS (SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[]) AS l (hall, epoch, upto)),
ticket AS (
    SELECT DISTINCT ON (r.hall, (r.body->>'id')::BIGINT) r.hall, (r.body->>'id')::BIGINT AS id, r.body
      FROM line l JOIN hall_row r ON r.hall = l.hall AND r.epoch = l.epoch AND r.seq <= l.upto
      JOIN wanted w ON w.hall = r.hall AND w.id = (r.body->>'id')::BIGINT
     WHERE r.kind = 'ticket' AND r.at_ms >= $4 AND r.at_ms < $5
     ORDER BY r.hall, (r.body->>'id')::BIGINT, r.seq DESC
),
staff AS (
    SELECT DISTINCT ON (r.hall, (r.body->'ticket'->>'id')::BIGINT)
           r.hall, (r.body->'ticket'->>'id')::BIGINT AS id, r.body->>'staff_id' AS staff
      FROM line l JOIN hall_row r ON r.hall = l.hall AND r.epoch = l.epoch AND r.seq <= l.upto
      JOIN wanted w ON w.hall = r.hall AND w.id = (r.body->'ticket'->>'id')::BIGINT
     WHERE r.kind = 'queue_event' AND r.at_ms >= $4 AND r.at_ms < $5 AND r.body->>'staff_id' IS NOT NULL
     ORDER BY r.hall, (r.body->'ticket'->>'id')::BIGINT, r.seq DESC
)
SELECT t.hall, t.id, coalesce(t.body->>'now_service', t.body->>'service'), (t.body->>'counter')::INTEGER, s.staff
  FROM ticket t LEFT JOIN staff s ON s.hall = t.hall AND s.id = t.id

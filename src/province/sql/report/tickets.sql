-- The period's tickets ($4 <= arrived < $5; reservations that never printed are not tickets yet), each as
-- its latest row, with the staff member of its last counter event ($1, $2, $3: the line's histories). A
-- ticket's rows are all written on its day (the hall closes the day), so rows up to a day past the period
-- are read, by the index on (hall, kind, at_ms).
WITH line AS (SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[]) AS l (hall, epoch, upto)),
ticket AS (
    SELECT DISTINCT ON (r.hall, (r.body->>'id')::BIGINT) r.hall, (r.body->>'id')::BIGINT AS id, r.body
      FROM line l JOIN hall_row r ON r.hall = l.hall AND r.epoch = l.epoch AND r.seq <= l.upto
     WHERE r.kind = 'ticket' AND r.at_ms >= $4 AND r.at_ms < $5::BIGINT + 86400000
       AND (r.body->>'arrived_ms')::BIGINT >= $4 AND (r.body->>'arrived_ms')::BIGINT < $5
     ORDER BY r.hall, (r.body->>'id')::BIGINT, r.seq DESC
),
staff AS (
    SELECT DISTINCT ON (r.hall, (r.body->'ticket'->>'id')::BIGINT)
           r.hall, (r.body->'ticket'->>'id')::BIGINT AS ticket, r.body->>'staff_id' AS staff
      FROM line l JOIN hall_row r ON r.hall = l.hall AND r.epoch = l.epoch AND r.seq <= l.upto
     WHERE r.kind = 'queue_event' AND r.at_ms >= $4 AND r.at_ms < $5::BIGINT + 86400000
       AND r.body->>'staff_id' IS NOT NULL
       AND (r.body->'ticket'->>'arrived_ms')::BIGINT >= $4 AND (r.body->'ticket'->>'arrived_ms')::BIGINT < $5
     ORDER BY r.hall, (r.body->'ticket'->>'id')::BIGINT, r.seq DESC
)
SELECT t.hall, t.id, coalesce(t.body->>'now_service', t.body->>'service'), t.body->>'state',
       (t.body->>'arrived_ms')::BIGINT, (t.body->>'called_ms')::BIGINT, (t.body->>'started_ms')::BIGINT,
       (t.body->>'finished_ms')::BIGINT, t.body->>'now_service' IS NOT NULL, (t.body->>'counter')::INTEGER, s.staff
  FROM ticket t LEFT JOIN staff s ON s.hall = t.hall AND s.ticket = t.id
 WHERE t.body->>'state' <> 'reserved'

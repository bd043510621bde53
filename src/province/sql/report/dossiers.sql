-- Dossiers received in the period ($4 <= received < $5) or resolved in it (first reached status 9 or 10),
-- each as its latest row, with the ticket it was received under (service, counter, staff member) and
-- whether a form 04 was printed for it.
WITH line AS (SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[]) AS l (hall, epoch, upto)),
counted AS (
    SELECT r.* FROM hall_row r JOIN line l ON r.hall = l.hall AND r.epoch = l.epoch AND r.seq <= l.upto
),
resolved AS (
    SELECT hall, body->'dossier'->>'code' AS code, min(at_ms) AS at_ms
      FROM counted WHERE kind = 'dossier_status' AND (body->>'status')::INTEGER IN (9, 10)
     GROUP BY hall, body->'dossier'->>'code'
),
dossier AS (
    SELECT DISTINCT ON (c.hall, (c.body->>'id')::BIGINT) c.hall, (c.body->>'id')::BIGINT AS id, c.body
      FROM counted c WHERE c.kind = 'dossier'
     ORDER BY c.hall, (c.body->>'id')::BIGINT, c.seq DESC
),
ticket AS (
    SELECT DISTINCT ON (c.hall, (c.body->>'id')::BIGINT) c.hall, (c.body->>'id')::BIGINT AS id, c.body
      FROM counted c WHERE c.kind = 'ticket'
       AND (c.body->>'id')::BIGINT IN (SELECT (body->>'ticket_id')::BIGINT FROM dossier)
     ORDER BY c.hall, (c.body->>'id')::BIGINT, c.seq DESC
),
staff AS (
    SELECT DISTINCT ON (c.hall, (c.body->'ticket'->>'id')::BIGINT)
           c.hall, (c.body->'ticket'->>'id')::BIGINT AS ticket, c.body->>'staff_id' AS staff
      FROM counted c WHERE c.kind = 'queue_event' AND c.body->>'staff_id' IS NOT NULL
       AND (c.body->'ticket'->>'id')::BIGINT IN (SELECT (body->>'ticket_id')::BIGINT FROM dossier)
     ORDER BY c.hall, (c.body->'ticket'->>'id')::BIGINT, c.seq DESC
)
SELECT d.hall, d.id, d.body->>'procedure_code', (d.body->>'channel')::INTEGER, (d.body->>'received_ms')::BIGINT,
       (d.body->>'first_appointment_ms')::BIGINT, (d.body->>'appointment_ms')::BIGINT,
       (d.body->>'status')::INTEGER, v.at_ms,
       EXISTS (SELECT 1 FROM counted f WHERE f.hall = d.hall AND f.kind = 'dossier_form'
                                         AND (f.body->>'dossier_id')::BIGINT = d.id AND f.body->>'form' = '04'),
       coalesce(t.body->>'now_service', t.body->>'service'), (t.body->>'counter')::INTEGER, s.staff
  FROM dossier d
  LEFT JOIN resolved v ON v.hall = d.hall AND v.code = d.body->>'code'
  LEFT JOIN ticket t ON t.hall = d.hall AND t.id = (d.body->>'ticket_id')::BIGINT
  LEFT JOIN staff s ON s.hall = d.hall AND s.ticket = (d.body->>'ticket_id')::BIGINT
 WHERE ((d.body->>'received_ms')::BIGINT >= $4 AND (d.body->>'received_ms')::BIGINT < $5)
    OR (v.at_ms >= $4 AND v.at_ms < $5)

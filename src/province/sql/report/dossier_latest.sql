-- Every dossier of the line as its latest row ($1, $2, $3: the line's histories).
SELECT DISTINCT ON (r.hall, (r.body->>'id')::BIGINT)
       r.hall, (r.body->>'id')::BIGINT, r.body->>'procedure_code', (r.body->>'channel')::INTEGER,
       (r.body->>'received_ms')::BIGINT, (r.body->>'first_appointment_ms')::BIGINT,
       (r.body->>'appointment_ms')::BIGINT, (r.body->>'status')::INTEGER, (r.body->>'ticket_id')::BIGINT
  FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[]) AS l (hall, epoch, upto)
  JOIN hall_row r ON r.hall = l.hall AND r.epoch = l.epoch AND r.seq <= l.upto
 WHERE r.kind = 'dossier'
 ORDER BY r.hall, (r.body->>'id')::BIGINT, r.seq DESC

-- Dossiers a form 04 (apology, new appointment) was printed for.
SELECT DISTINCT r.hall, (r.body->>'dossier_id')::BIGINT
  FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[]) AS l (hall, epoch, upto)
  JOIN hall_row r ON r.hall = l.hall AND r.epoch = l.epoch AND r.seq <= l.upto
 WHERE r.kind = 'dossier_form' AND r.body->>'form' = '04'

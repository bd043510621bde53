-- Each dossier that reached status 9 or 10: when first, and whether in the period [$4, $5).
SELECT r.hall, (r.body->'dossier'->>'id')::BIGINT, min(r.at_ms), bool_or(r.at_ms >= $4 AND r.at_ms < $5)
  FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[]) AS l (hall, epoch, upto)
  JOIN hall_row r ON r.hall = l.hall AND r.epoch = l.epoch AND r.seq <= l.upto
 WHERE r.kind = 'dossier_status' AND (r.body->>'status')::INTEGER IN (9, 10)
 GROUP BY r.hall, (r.body->'dossier'->>'id')::BIGINT

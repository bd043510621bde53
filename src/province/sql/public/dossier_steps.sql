-- A dossier's statuses along its hall's line, oldest first: its timeline.
SELECT r.at_ms, (r.body ->> 'status')::INTEGER
  FROM hall_row r
  JOIN hall_history l ON l.hall = r.hall AND l.epoch = r.epoch
 WHERE r.hall = $1 AND r.kind = 'dossier_status' AND (r.body -> 'dossier' ->> 'id')::BIGINT = $2
   AND (l.upto IS NULL OR r.seq <= l.upto)
 ORDER BY r.at_ms, r.seq

-- The ratings a hall has not pulled yet, oldest first, at most $3.
SELECT id, token, level, reasons, complaint
  FROM rating_sent
 WHERE hall = $1 AND id > $2 AND NOT delivered
 ORDER BY id
 LIMIT $3

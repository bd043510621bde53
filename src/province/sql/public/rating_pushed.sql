-- A ticket's rating as its hall last pushed it, along its line: the row's body.
SELECT r.body
  FROM hall_row r
  JOIN hall_history l ON l.hall = r.hall AND l.epoch = r.epoch
 WHERE r.hall = $1 AND r.kind = 'rating' AND (r.body ->> 'ticket_id')::BIGINT = $2
   AND (l.upto IS NULL OR r.seq <= l.upto)
 ORDER BY r.seq DESC
 LIMIT 1

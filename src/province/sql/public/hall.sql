-- A hall's name, its newest row for phones' pages, and when it was last heard from (ms).
SELECT h.name, n.body,
       (SELECT (extract(epoch FROM max(e.last_push)) * 1000)::BIGINT FROM hall_epoch e WHERE e.hall = h.id)
  FROM hall h
  LEFT JOIN hall_now n ON n.hall = h.id
 WHERE h.id = $1

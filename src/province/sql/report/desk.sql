-- Logins, logouts, pauses and resumes at the counters in [$4, $5), for counter-hours, with who.
WITH line AS (SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[]) AS l (hall, epoch, upto))
SELECT r.hall, (r.body->>'counter')::INTEGER, r.body->>'staff_id', r.body->>'kind', r.at_ms
  FROM hall_row r JOIN line l ON r.hall = l.hall AND r.epoch = l.epoch AND r.seq <= l.upto
 WHERE r.kind = 'queue_event' AND r.at_ms >= $4 AND r.at_ms < $5
   AND r.body->>'kind' IN ('logged_in', 'logged_out', 'paused', 'resumed') AND r.body->>'counter' IS NOT NULL
 ORDER BY r.at_ms, r.hall, r.seq

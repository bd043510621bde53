-- Logins, logouts, pauses and resumes at the counters in [?1, ?2), for counter-hours, with who logged in.
SELECT e.counter, s.username, e.kind, e.at_ms
FROM queue_event e
LEFT JOIN staff s ON s.id = e.staff_id
WHERE e.at_ms >= ?1 AND e.at_ms < ?2
  AND e.kind IN ('logged_in', 'logged_out', 'paused', 'resumed') AND e.counter IS NOT NULL
ORDER BY e.at_ms, e.id

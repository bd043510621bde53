-- Service durations (ms) of the latest finished tickets of a service, newest first.
SELECT finished_ms - coalesce(started_ms, called_ms)
FROM ticket
WHERE state = 'done' AND coalesce(now_service, service) = ?1 AND finished_ms IS NOT NULL
  AND coalesce(started_ms, called_ms) IS NOT NULL
ORDER BY finished_ms DESC LIMIT ?2

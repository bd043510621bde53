-- The first booked ticket of a line whose window has begun (?3, ms), by its window's start (the last
-- column).
SELECT t.id, t.day, coalesce(t.now_service, t.service), t.service, t.seq, t.number, t.priority, t.token, t.state,
       t.arrived_ms, t.counter, t.print_outcome, t.called_ms, t.started_ms, t.finished_ms, t.recalls, b.starts_ms
FROM ticket t JOIN booking b ON b.ticket_id = t.id
WHERE t.day = ?1 AND t.state = 'waiting' AND coalesce(t.now_service, t.service) = ?2 AND b.starts_ms <= ?3
ORDER BY b.starts_ms, t.id LIMIT 1

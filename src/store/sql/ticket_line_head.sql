-- The first waiting walk-in ticket of a line (priority or not) by arrival: with the first booked one
-- (`ticket_line_head_booked.sql`), all the calling rule looks at.
SELECT id, day, coalesce(now_service, service), service, seq, number, priority, token, state, arrived_ms, counter, print_outcome, called_ms, started_ms, finished_ms, recalls
FROM ticket
WHERE day = ?1 AND state = 'waiting' AND coalesce(now_service, service) = ?2 AND (priority IS NOT NULL) = ?3
  AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.ticket_id = ticket.id)
ORDER BY arrived_ms, id LIMIT 1

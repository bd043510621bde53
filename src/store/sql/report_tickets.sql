-- The period's tickets (taken in it; reservations that never printed are not tickets yet), with who
-- finished or holds each: the staff member of its last counter event.
SELECT t.id, coalesce(t.now_service, t.service), t.state, t.arrived_ms, t.called_ms, t.started_ms, t.finished_ms,
       t.now_service IS NOT NULL, t.counter,
       (SELECT s.username FROM queue_event e JOIN staff s ON s.id = e.staff_id
        WHERE e.ticket_id = t.id AND e.staff_id IS NOT NULL ORDER BY e.id DESC LIMIT 1)
FROM ticket t
WHERE t.arrived_ms >= ?1 AND t.arrived_ms < ?2 AND t.state <> 'reserved'

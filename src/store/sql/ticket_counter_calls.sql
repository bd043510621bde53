-- A counter's latest calls of the day, newest first: whether each was a priority ticket, and a booked one.
SELECT t.priority IS NOT NULL, EXISTS (SELECT 1 FROM booking b WHERE b.ticket_id = t.id)
FROM queue_event e JOIN ticket t ON t.id = e.ticket_id
WHERE e.kind = 'called' AND e.counter = ?1 AND t.day = ?2
ORDER BY e.id DESC LIMIT ?3

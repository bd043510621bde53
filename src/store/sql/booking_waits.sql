-- Waits of called tickets of days ?1 to ?2, booked or not: a booked ticket waits from its window's start
-- or its check-in, whichever is later.
SELECT b.id IS NOT NULL,
       t.called_ms - max(t.arrived_ms, coalesce(b.starts_ms, t.arrived_ms))
FROM ticket t LEFT JOIN booking b ON b.ticket_id = t.id
WHERE t.day BETWEEN ?1 AND ?2 AND t.called_ms IS NOT NULL

SELECT t.priority IS NOT NULL
FROM queue_event e JOIN ticket t ON t.id = e.ticket_id
WHERE e.kind = 'called' AND e.counter = ?1 AND t.day = ?2
ORDER BY e.id DESC LIMIT ?3

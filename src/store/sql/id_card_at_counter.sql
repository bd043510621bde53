SELECT t.number, c.id_number, c.birth, c.name
FROM id_card c JOIN ticket t ON t.id = c.ticket_id
WHERE t.day = ?1 AND t.counter = ?2 AND t.state IN ('called', 'serving')
ORDER BY t.called_ms DESC
LIMIT 1

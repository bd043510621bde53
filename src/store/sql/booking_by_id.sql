SELECT b.id, b.code, b.day, b.service, b.starts_ms, b.ends_ms, b.last3, b.state, t.number
FROM booking b LEFT JOIN ticket t ON t.id = b.ticket_id
WHERE b.id = ?1

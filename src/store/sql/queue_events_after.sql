SELECT e.id, e.at_ms, e.kind, e.counter, e.actor, e.detail, t.number, coalesce(t.now_service, t.service)
FROM queue_event e LEFT JOIN ticket t ON t.id = e.ticket_id
WHERE e.id > ?1 ORDER BY e.id LIMIT ?2

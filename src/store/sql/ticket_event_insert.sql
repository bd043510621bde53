INSERT INTO queue_event (at_ms, ticket_id, kind, counter, actor, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)

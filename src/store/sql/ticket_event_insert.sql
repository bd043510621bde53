INSERT INTO queue_event (at_ms, ticket_id, kind, counter, actor, detail, staff_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)

INSERT INTO ticket (day, service, seq, number, priority, token, state, arrived_ms, request_key)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'reserved', ?7, ?8)

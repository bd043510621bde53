INSERT INTO outbox (kind, at_ms, body) VALUES (?1, ?2, ?3)

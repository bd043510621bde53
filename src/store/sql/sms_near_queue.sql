INSERT OR IGNORE INTO sms_outbox (day, phone, kind, ticket_id, ahead, state, next_ms, created_ms)
VALUES (?1, ?2, 'near', ?3, ?4, 'queued', ?5, ?5)

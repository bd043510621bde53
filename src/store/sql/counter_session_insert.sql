INSERT INTO counter_session (token_hash, counter, csrf, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5)

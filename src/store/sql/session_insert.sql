INSERT INTO session (token_hash, counter, staff_id, csrf, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)

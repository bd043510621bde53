INSERT INTO tablet (token_hash, counter, csrf, created_ms) VALUES (?1, ?2, ?3, ?4)

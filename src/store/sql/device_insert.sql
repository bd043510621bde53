INSERT INTO device (name, role, token_hash, created_ms) VALUES (?1, ?2, ?3, ?4)

INSERT INTO staff (username, name, roles, secret_hash, active, created_ms, changed_ms) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)

INSERT INTO revocation (at_ms, what) VALUES (?1, ?2)

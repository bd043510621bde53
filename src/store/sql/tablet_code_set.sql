INSERT OR REPLACE INTO tablet_code (counter, code_hash, expires_ms) VALUES (?1, ?2, ?3)

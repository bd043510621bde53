INSERT INTO known_browser (token_hash, principal, created_ms, used_ms) VALUES (?1, ?2, ?3, ?3)
ON CONFLICT (token_hash) DO UPDATE SET used_ms = excluded.used_ms

INSERT INTO login_failure (key, failures, last_ms, next_ms) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_ms = excluded.last_ms, next_ms = excluded.next_ms

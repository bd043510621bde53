SELECT seq, kind, at_ms, body FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2

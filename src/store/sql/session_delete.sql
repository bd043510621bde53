DELETE FROM session WHERE token_hash = ?1 OR expires_ms <= ?2

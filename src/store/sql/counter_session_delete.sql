DELETE FROM counter_session WHERE token_hash = ?1 OR expires_ms <= ?2

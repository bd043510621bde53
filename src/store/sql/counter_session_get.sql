SELECT counter, csrf, expires_ms FROM counter_session WHERE token_hash = ?1

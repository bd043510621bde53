SELECT failures, last_ms, next_ms FROM login_failure WHERE key = ?1

SELECT key, failures, last_ms, next_ms FROM login_failure WHERE last_ms > ?1

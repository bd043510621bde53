DELETE FROM login_failure WHERE last_ms < ?1

DELETE FROM login_failure WHERE key = ?1

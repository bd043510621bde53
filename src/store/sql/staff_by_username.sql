SELECT id, username, name, roles, active, secret_hash FROM staff WHERE username = ?1

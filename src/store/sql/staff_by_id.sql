SELECT id, username, name, roles, active, secret_hash FROM staff WHERE id = ?1

SELECT id, username, name, roles, active, secret_hash FROM staff ORDER BY username

SELECT name, role FROM device WHERE token_hash = ?1

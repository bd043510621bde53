SELECT name, role FROM device WHERE token_hash = ?1 AND revoked_ms IS NULL

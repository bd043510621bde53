UPDATE tablet SET revoked_ms = ?2 WHERE counter = ?1 AND revoked_ms IS NULL

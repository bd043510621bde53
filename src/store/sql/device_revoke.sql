UPDATE device SET revoked_ms = ?2 WHERE name = ?1 AND revoked_ms IS NULL

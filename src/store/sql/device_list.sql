SELECT name, role, created_ms, revoked_ms FROM device ORDER BY name

SELECT DISTINCT counter FROM session WHERE counter IS NOT NULL AND expires_ms > ?1

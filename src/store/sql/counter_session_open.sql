SELECT DISTINCT counter FROM counter_session WHERE expires_ms > ?1

SELECT code_hash FROM tablet_code WHERE counter = ?1 AND expires_ms > ?2

SELECT counter, csrf FROM tablet WHERE token_hash = ?1 AND revoked_ms IS NULL

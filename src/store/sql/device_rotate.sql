UPDATE device SET token_hash = ?3, role = ?2, created_ms = ?4, revoked_ms = NULL WHERE name = ?1

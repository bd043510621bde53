UPDATE staff SET secret_hash = ?2, changed_ms = ?3 WHERE id = ?1

UPDATE procedure_version SET superseded_at = ?2 WHERE id = ?1

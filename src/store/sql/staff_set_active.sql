UPDATE staff SET active = ?2, changed_ms = ?3 WHERE id = ?1

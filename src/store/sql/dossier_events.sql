SELECT at_ms, status, note FROM dossier_event WHERE dossier_id = ?1 ORDER BY at_ms, id

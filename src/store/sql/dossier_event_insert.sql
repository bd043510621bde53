INSERT INTO dossier_event (dossier_id, at_ms, status, note) VALUES (?1, ?2, ?3, ?4)

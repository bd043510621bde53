INSERT INTO dossier_form (dossier_id, form, at_ms, counter, staff_id, detail, appointment_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)

INSERT INTO dossier (code, token, procedure_code, procedure_name, channel, applicant_name, applicant_phone,
                     received_ms, appointment_ms, appointment_provisional, status, collect_at, documents,
                     ticket_id, source, returned_ms, updated_ms, procedure_version, first_appointment_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?9)

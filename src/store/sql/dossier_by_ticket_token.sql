SELECT id, code, token, procedure_code, procedure_name, procedure_version, channel, applicant_name, applicant_phone, received_ms,
       appointment_ms, appointment_provisional, status, collect_at, documents, ticket_id, source, returned_ms,
       updated_ms
FROM dossier
WHERE ticket_id = (SELECT id FROM ticket WHERE token = ?1) ORDER BY id DESC LIMIT 1

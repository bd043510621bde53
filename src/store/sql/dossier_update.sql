-- The first appointment stays once there is one (migration 0012).
UPDATE dossier
SET procedure_code = ?2, procedure_name = ?3, channel = ?4, applicant_name = ?5, applicant_phone = ?6,
    received_ms = ?7, appointment_ms = ?8, appointment_provisional = ?9, status = ?10, collect_at = ?11,
    documents = ?12, returned_ms = ?13, updated_ms = ?14, first_appointment_ms = coalesce(first_appointment_ms, ?8)
WHERE id = ?1

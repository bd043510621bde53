SELECT ticket_id, level, reasons, complaint, source, holder, counter, staff_id, service, dossier_id, rated_ms, changed_ms
FROM rating WHERE ticket_id = ?1

-- A new rating, or the holder's change to it (the first rating time stays: the window counts from it).
INSERT INTO rating (ticket_id, level, reasons, complaint, source, holder, counter, staff_id, service, dossier_id,
                    rated_ms, changed_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
ON CONFLICT (ticket_id) DO UPDATE SET level = excluded.level, reasons = excluded.reasons,
    complaint = excluded.complaint, changed_ms = excluded.changed_ms

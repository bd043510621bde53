-- Dossiers received in the period or resolved in it (first reached status 9 or 10), with the ticket they
-- were received under (its service, counter and staff member) and whether a form 04 was printed.
WITH resolved AS (
    SELECT dossier_id, min(at_ms) AS at_ms FROM dossier_event WHERE status IN (9, 10) GROUP BY dossier_id
)
SELECT d.id, d.procedure_code, d.channel, d.received_ms, d.first_appointment_ms, d.appointment_ms, d.status,
       r.at_ms,
       EXISTS (SELECT 1 FROM dossier_form f WHERE f.dossier_id = d.id AND f.form = '04'),
       coalesce(t.now_service, t.service), t.counter,
       (SELECT s.username FROM queue_event e JOIN staff s ON s.id = e.staff_id
        WHERE e.ticket_id = t.id AND e.staff_id IS NOT NULL ORDER BY e.id DESC LIMIT 1)
FROM dossier d
LEFT JOIN resolved r ON r.dossier_id = d.id
LEFT JOIN ticket t ON t.id = d.ticket_id
WHERE (d.received_ms >= ?1 AND d.received_ms < ?2)
   OR d.id IN (SELECT dossier_id FROM dossier_event WHERE status IN (9, 10) AND at_ms >= ?1 AND at_ms < ?2)

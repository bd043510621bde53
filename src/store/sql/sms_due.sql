SELECT o.id, o.day, o.phone, o.kind, o.ahead, o.tries, t.number, d.code
FROM sms_outbox o
LEFT JOIN ticket t ON t.id = o.ticket_id
LEFT JOIN dossier d ON d.id = o.dossier_id
WHERE o.state = 'queued' AND o.next_ms <= ?1
ORDER BY o.next_ms, o.id
LIMIT 1

SELECT c.ticket_id, c.phone
FROM sms_consent c JOIN ticket t ON t.id = c.ticket_id
WHERE c.day = ?1 AND c.near_sent = 0 AND t.state = 'waiting'

SELECT count(*) FILTER (WHERE phone = ?2), count(*) FROM sms_outbox WHERE day = ?1 AND state = 'sent'

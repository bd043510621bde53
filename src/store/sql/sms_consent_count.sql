SELECT count(*) FROM sms_consent WHERE day = ?1 AND phone = ?2 AND ticket_id <> ?3

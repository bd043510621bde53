SELECT count(*) FILTER (WHERE state = 'queued'),
       count(*) FILTER (WHERE state = 'sent' AND day = ?1),
       count(*) FILTER (WHERE state IN ('failed', 'capped') AND day = ?1)
FROM sms_outbox

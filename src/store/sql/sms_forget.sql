DELETE FROM sms_consent WHERE day < ?1;
UPDATE sms_outbox SET state = 'failed', detail = 'the day ended before it could be sent', done_ms = ?2
    WHERE state = 'queued' AND kind = 'near' AND day < ?1;
UPDATE sms_outbox SET phone = NULL WHERE day < ?1 AND state <> 'queued' AND phone IS NOT NULL;

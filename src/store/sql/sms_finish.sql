UPDATE sms_outbox SET state = ?2, tries = ?3, done_ms = ?4, detail = ?5 WHERE id = ?1

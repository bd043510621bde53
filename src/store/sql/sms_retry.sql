UPDATE sms_outbox SET tries = ?2, next_ms = ?3, detail = ?4 WHERE id = ?1

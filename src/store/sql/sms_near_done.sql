UPDATE sms_consent SET near_sent = 1 WHERE ticket_id = ?1

INSERT INTO sms_consent (ticket_id, day, phone, source, given_ms) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (ticket_id) DO UPDATE SET phone = excluded.phone, source = excluded.source, given_ms = excluded.given_ms

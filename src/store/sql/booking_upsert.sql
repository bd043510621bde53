-- A booking as pulled: new ones are kept; a cancellation is taken while the booking is still booked
-- here (a check-in the province has not heard of yet wins).
INSERT INTO booking (id, code, day, service, starts_ms, ends_ms, token, phone_hash, last3, made_ms, state)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
ON CONFLICT (id) DO UPDATE SET state = excluded.state
 WHERE booking.state = 'booked' AND excluded.state = 'cancelled'

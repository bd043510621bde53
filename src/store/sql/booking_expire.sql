-- Bookings whose window ended without a check-in.
UPDATE booking SET state = 'expired', checked_ms = ?1 WHERE state = 'booked' AND ends_ms <= ?1

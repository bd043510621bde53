-- Phone numbers of bookings before $1 (the hall's today) are erased.
UPDATE booking SET phone = NULL WHERE phone IS NOT NULL AND day < $1::TEXT::DATE

-- The tickets of day ?1 checked in from a booking.
SELECT b.ticket_id FROM booking b JOIN ticket t ON t.id = b.ticket_id WHERE t.day = ?1

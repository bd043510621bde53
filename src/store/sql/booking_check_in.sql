UPDATE booking SET state = 'checked_in', ticket_id = ?2, checked_ms = ?3 WHERE id = ?1 AND state = 'booked'

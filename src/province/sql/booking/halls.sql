-- The halls that take bookings, by name.
SELECT h.id, h.name, n.body
  FROM hall h JOIN hall_now n ON n.hall = h.id
 WHERE (n.body -> 'booking' ->> 'enabled')::BOOLEAN
 ORDER BY h.name

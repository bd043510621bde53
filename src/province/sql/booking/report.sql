-- Bookings of halls $1 for days $2 to $3 by hall and state (a booking still booked on a day before $4, the
-- province's today, counts expired), and whether each hall takes bookings now.
SELECT h.id, coalesce((n.body -> 'booking' ->> 'enabled')::BOOLEAN, false),
       CASE WHEN b.state = 'booked' AND b.day < $4::TEXT::DATE THEN 'expired' ELSE b.state END, count(b.id)
  FROM hall h
  LEFT JOIN hall_now n ON n.hall = h.id
  LEFT JOIN booking b ON b.hall = h.id AND b.day BETWEEN $2::TEXT::DATE AND $3::TEXT::DATE
 WHERE h.id = ANY($1)
 GROUP BY 1, 2, 3

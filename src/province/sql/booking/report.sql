-- Bookings of halls $1 for days $2 to $3 by state; a booking still booked after its day counts expired.
SELECT CASE WHEN state = 'booked' AND day < $4::TEXT::DATE THEN 'expired' ELSE state END, count(*)
  FROM booking
 WHERE hall = ANY($1) AND day BETWEEN $2::TEXT::DATE AND $3::TEXT::DATE
 GROUP BY 1

-- A phone's live bookings on a day (any hall), and those in the same window of the same hall.
SELECT count(*),
       count(*) FILTER (WHERE hall = $3 AND starts_min = $4)
  FROM booking
 WHERE phone_hash = $1 AND day = $2::TEXT::DATE AND state IN ('booked', 'checked_in')

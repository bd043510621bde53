-- Cancels a booking still booked, gives its place back, and returns it; no row when it was not booked.
WITH cancelled AS (
    UPDATE booking SET state = 'cancelled', changed_ms = $2, rev = nextval('booking_rev')
     WHERE token = $1 AND state = 'booked'
    RETURNING hall, day, service, starts_min
)
UPDATE booking_window w SET taken = w.taken - 1
  FROM cancelled c
 WHERE w.hall = c.hall AND w.day = c.day AND w.service = c.service AND w.starts_min = c.starts_min
RETURNING w.taken

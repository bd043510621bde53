-- Takes a place of a window when one is free: no row when the window is full. Two bookings of the last
-- place wait for each other on the row, and the second finds it full.
UPDATE booking_window SET taken = taken + 1
 WHERE hall = $1 AND day = $2::TEXT::DATE AND service = $3 AND starts_min = $4 AND taken < $5
RETURNING taken

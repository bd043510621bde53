-- The next booking number of a hall's day.
INSERT INTO booking_day (hall, day, last) VALUES ($1, $2::TEXT::DATE, 1)
ON CONFLICT (hall, day) DO UPDATE SET last = booking_day.last + 1
RETURNING last

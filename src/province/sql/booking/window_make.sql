-- A window's row, made with no place taken when it has none yet.
INSERT INTO booking_window (hall, day, service, starts_min) VALUES ($1, $2::TEXT::DATE, $3, $4)
ON CONFLICT DO NOTHING

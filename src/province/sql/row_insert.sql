INSERT INTO hall_row (hall, epoch, seq, kind, at_ms, body) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (hall, epoch, seq) DO NOTHING

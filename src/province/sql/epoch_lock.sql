-- The history's line, made if new, locked for this push: two pushes of one hall take turns.
INSERT INTO hall_epoch (hall, epoch) VALUES ($1, $2)
ON CONFLICT (hall, epoch) DO UPDATE SET last_push = now()
RETURNING acked

-- The province's key for phone hashes: the one stored, or $1 stored as it.
WITH put AS (INSERT INTO booking_key (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING RETURNING key)
SELECT key FROM put UNION ALL SELECT key FROM booking_key WHERE id = 1
LIMIT 1

-- A hall's bookings changed after $2, oldest change first, at most $3.
SELECT id, code, day::TEXT, service, starts_min, ends_min, token, phone_hash, last3, state, made_ms, rev
  FROM booking
 WHERE hall = $1 AND rev > $2
 ORDER BY rev
 LIMIT $3

-- The live sessions at a counter, with their staff member (NULL: the counter's own PIN).
SELECT token_hash, staff_id FROM session WHERE counter = ?1 AND expires_ms > ?2

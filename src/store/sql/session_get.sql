-- A session and the account it belongs to; a disabled account's sessions are no sessions.
SELECT s.counter, s.csrf, s.expires_ms, st.id, st.username, st.name, st.roles
FROM session s
LEFT JOIN staff st ON st.id = s.staff_id
WHERE s.token_hash = ?1 AND (s.staff_id IS NULL OR st.active = 1)

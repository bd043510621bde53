-- A new session; sessions that ended are cleared on the way.
WITH cleared AS (DELETE FROM account_session WHERE expires_at < now())
INSERT INTO account_session (token_hash, username, csrf, expires_at)
VALUES ($1, $2, $3, now() + make_interval(mins => $4))

-- Disabled: it cannot log in, and its sessions end at once.
WITH ended AS (DELETE FROM account_session WHERE username = $1)
UPDATE account SET disabled = true WHERE username = $1

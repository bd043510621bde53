DELETE FROM account_session WHERE token_hash = $1

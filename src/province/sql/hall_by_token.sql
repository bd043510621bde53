SELECT id FROM hall WHERE token_hash = $1

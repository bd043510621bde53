INSERT INTO hall (id, name, token_hash) VALUES ($1, $2, $3)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash

INSERT INTO account (username, name, password_hash, all_halls, halls) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (username) DO UPDATE
   SET name = excluded.name, password_hash = excluded.password_hash, all_halls = excluded.all_halls,
       halls = excluded.halls, disabled = false

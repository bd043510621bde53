INSERT INTO calendar_year (year, body, saved_at, actor) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (year) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at, actor = excluded.actor

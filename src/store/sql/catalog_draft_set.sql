INSERT INTO catalog_draft (page, actor, base, body, saved_at)
VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (page, actor) DO UPDATE SET base = excluded.base, body = excluded.body, saved_at = excluded.saved_at

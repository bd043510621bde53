SELECT id, name FROM hall ORDER BY id

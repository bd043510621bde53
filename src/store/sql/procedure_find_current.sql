SELECT id, version, body
FROM procedure_version
WHERE code = ?1 AND superseded_at IS NULL

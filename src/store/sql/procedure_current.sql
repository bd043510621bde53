SELECT id, code, version, body, imported_at, source
FROM procedure_version
WHERE superseded_at IS NULL
ORDER BY field, name, code

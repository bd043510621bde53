SELECT id, code, version, body, imported_at, source
FROM procedure_version
WHERE code = ?1
ORDER BY version

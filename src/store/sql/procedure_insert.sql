INSERT INTO procedure_version (code, version, name, field, verified, effective_date, body, folded, imported_at, source)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)

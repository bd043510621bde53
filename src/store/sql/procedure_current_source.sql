-- Where the published version of a procedure came from (`staff:<username>`, `province`, a file's name).
SELECT source FROM procedure_version WHERE code = ?1 AND superseded_at IS NULL

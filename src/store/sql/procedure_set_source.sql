-- Says the published version of a procedure came from elsewhere (accepting the province's, word for word).
UPDATE procedure_version SET source = ?2 WHERE code = ?1 AND superseded_at IS NULL

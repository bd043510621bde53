SELECT count(*) FROM procedure_version WHERE superseded_at IS NULL

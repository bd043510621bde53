-- What changes whenever the published catalog does: a new version takes a new id, a retirement lowers the
-- count of current versions.
SELECT (SELECT coalesce(max(id), 0) FROM procedure_version),
       (SELECT count(*) FROM procedure_version WHERE superseded_at IS NULL)

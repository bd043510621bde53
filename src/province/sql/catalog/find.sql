-- A procedure's published version and text, and its newest version (published or not).
SELECT (SELECT version FROM province_procedure WHERE code = $1 AND superseded_at IS NULL),
       (SELECT procedure FROM province_procedure WHERE code = $1 AND superseded_at IS NULL),
       (SELECT coalesce(max(version), 0) FROM province_procedure WHERE code = $1)

-- Changes with every version published or superseded.
SELECT coalesce(max(id), 0), count(*) FILTER (WHERE superseded_at IS NULL),
       count(*) FILTER (WHERE superseded_at IS NOT NULL)
  FROM province_procedure

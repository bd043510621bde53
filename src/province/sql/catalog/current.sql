-- The province's published catalog: each procedure's version not superseded.
SELECT code, version, published_at, procedure
  FROM province_procedure
 WHERE superseded_at IS NULL
 ORDER BY code

-- A hall's published catalog: each procedure's version not superseded.
SELECT version, published_at, procedure
  FROM procedure_now
 WHERE hall = $1 AND NOT superseded AND procedure IS NOT NULL
 ORDER BY code

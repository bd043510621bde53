-- A procedure's name in a hall's catalog: of the version named, else of its newest version.
SELECT procedure ->> 'name'
  FROM procedure_now
 WHERE hall = $1 AND code = $2 AND procedure IS NOT NULL
 ORDER BY (version = $3) DESC, version DESC
 LIMIT 1

SELECT at, actor, action, version
FROM catalog_edit
WHERE page = ?1
ORDER BY id

DELETE FROM catalog_draft WHERE page = ?1 AND actor = ?2

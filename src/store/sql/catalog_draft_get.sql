SELECT page, actor, base, body, saved_at
FROM catalog_draft
WHERE page = ?1
ORDER BY saved_at DESC, actor

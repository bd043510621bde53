-- Pages with at least one draft, for the admin list's marks.
SELECT page, count(*) FROM catalog_draft GROUP BY page

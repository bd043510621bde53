-- Changes whenever a hall's published catalog does: its procedures published, and the newest row applied.
SELECT count(*) FILTER (WHERE NOT superseded), coalesce(max(seq), 0) FROM procedure_now WHERE hall = $1

-- The highest version a procedure ever had (0: never): a procedure retired and published again continues
-- its numbering.
SELECT coalesce(max(version), 0) FROM procedure_version WHERE code = ?1

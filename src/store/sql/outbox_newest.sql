-- The last sequence ever given (kept by AUTOINCREMENT even when its rows were deleted), 0 for none.
SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)

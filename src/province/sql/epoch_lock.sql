-- The history's line, made if new, locked for this push: two pushes of one hall take turns. A new history
-- that branches from a known one starts where the two are the same: at the branch, or where the parent's
-- stored rows end if that is sooner ($3, $4: the parent's epoch and the branch). Says whether it is new
-- (xmax is 0 for a row this statement inserted).
INSERT INTO hall_epoch (hall, epoch, parent_epoch, branch_seq, acked)
SELECT $1, $2, $3, start, start
  FROM (SELECT coalesce((SELECT least($4::BIGINT, acked) FROM hall_epoch WHERE hall = $1 AND epoch = $3), 0)
               AS start) AS branch
ON CONFLICT (hall, epoch) DO UPDATE SET last_push = now()
RETURNING acked, xmax = 0

-- Brings the public pages' tables up to date with a history's rows after $3 (migration 0004).
SELECT public_apply($1, $2, $3, NULL)

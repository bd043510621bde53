-- A restored hall pushes under a new epoch that branches from the epoch its backup was taken under: the
-- new history starts after `branch_seq`, and the parent's rows up to it are the new history's beginning.
-- The parent's rows after it happened in a history the restore replaced: kept, and not counted.
ALTER TABLE hall_epoch ADD COLUMN parent_epoch TEXT;
ALTER TABLE hall_epoch ADD COLUMN branch_seq BIGINT NOT NULL DEFAULT 0;

-- The histories each hall's reports count: its newest history whole (upto NULL), then each history it
-- branched from up to the branch (upto: the last sequence counted).
CREATE VIEW hall_history AS
WITH RECURSIVE line (hall, epoch, upto) AS (
    (SELECT DISTINCT ON (hall) hall, epoch, NULL::BIGINT
       FROM hall_epoch
      ORDER BY hall, first_seen DESC, epoch)
    UNION ALL
    SELECT p.hall, p.epoch, least(l.upto, c.branch_seq)
      FROM line l
      JOIN hall_epoch c ON c.hall = l.hall AND c.epoch = l.epoch
      JOIN hall_epoch p ON p.hall = c.hall AND p.epoch = c.parent_epoch
)
SELECT hall, epoch, upto FROM line;

-- Every hall's line as its reports count it: the rows of those histories.
CREATE VIEW hall_line AS
SELECT r.hall, r.epoch, r.seq, r.kind, r.at_ms, r.body
  FROM hall_row r
  JOIN hall_history l ON r.hall = l.hall AND r.epoch = l.epoch
 WHERE l.upto IS NULL OR r.seq <= l.upto;

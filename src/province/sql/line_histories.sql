-- The histories each hall's reports count (the view hall_line, as a list): its newest history whole, then
-- each history it branched from up to the branch. upto: the last sequence counted.
WITH RECURSIVE line (hall, epoch, upto) AS (
    (SELECT DISTINCT ON (hall) hall, epoch, NULL::BIGINT
       FROM hall_epoch
      WHERE hall = ANY($1)
      ORDER BY hall, first_seen DESC, epoch)
    UNION ALL
    SELECT p.hall, p.epoch, least(l.upto, c.branch_seq)
      FROM line l
      JOIN hall_epoch c ON c.hall = l.hall AND c.epoch = l.epoch
      JOIN hall_epoch p ON p.hall = c.hall AND p.epoch = c.parent_epoch
)
SELECT hall, epoch, coalesce(upto, 9223372036854775807) FROM line

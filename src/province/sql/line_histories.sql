-- The histories the asked halls' reports count (the view hall_history), upto the last sequence counted.
SELECT hall, epoch, coalesce(upto, 9223372036854775807) FROM hall_history WHERE hall = ANY($1)

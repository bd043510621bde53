-- The numbers of a line at the counters now: called, then being served.
SELECT body ->> 'number'
  FROM ticket_now
 WHERE hall = $1 AND day = $2 AND service = $3 AND state IN ('called', 'serving')
 ORDER BY state, id

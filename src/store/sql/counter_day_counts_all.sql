-- Tickets each counter finished today, by outcome (one pass over the counters' index).
SELECT counter, state, count(*) FROM ticket
WHERE day = ?1 AND counter IS NOT NULL AND state IN ('done', 'no_show') GROUP BY counter, state

-- Tickets a counter finished today, by outcome.
SELECT state, count(*) FROM ticket WHERE day = ?1 AND counter = ?2 AND state IN ('done', 'no_show') GROUP BY state

-- The ticket a counter finished last today.
SELECT id, day, coalesce(now_service, service), service, seq, number, priority, token, state, arrived_ms, counter,
       print_outcome, called_ms, started_ms, finished_ms, recalls
FROM ticket WHERE day = ?1 AND counter = ?2 AND state = 'done'
ORDER BY finished_ms DESC LIMIT 1

SELECT id, day, service, seq, number, priority, token, state, arrived_ms, counter, print_outcome
FROM ticket WHERE day = ?1 AND state = ?2 ORDER BY arrived_ms, id

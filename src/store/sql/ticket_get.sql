SELECT id, day, service, seq, number, priority, token, state, arrived_ms, counter, print_outcome
FROM ticket WHERE id = ?1

SELECT id, day, coalesce(now_service, service), service, seq, number, priority, token, state, arrived_ms, counter, print_outcome, called_ms, started_ms, finished_ms, recalls
FROM ticket WHERE day = ?1 AND state IN ('called', 'serving') ORDER BY id

-- Tickets still waiting or called on an earlier day, and on `day` itself once it is past closing.
SELECT id, day, coalesce(now_service, service), service, seq, number, priority, token, state, arrived_ms, counter,
       print_outcome, called_ms, started_ms, finished_ms, recalls
FROM ticket
WHERE state IN ('waiting', 'called') AND (day < ?1 OR (day = ?1 AND ?2))
ORDER BY id

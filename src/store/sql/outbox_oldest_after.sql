-- When the oldest row not yet acknowledged was written; none when all are.
SELECT at_ms FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT 1

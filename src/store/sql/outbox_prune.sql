-- Rows the province acknowledged (seq <= ?1) once older than ?2, and any row older than ?3.
DELETE FROM outbox WHERE (seq <= ?1 AND at_ms < ?2) OR at_ms < ?3

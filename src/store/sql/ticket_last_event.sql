-- The latest time stamped on an event since staff last accepted the clock (none: ever). The latest in
-- time, not the last written: an event written while the clock reads early (a login, a pause) must not
-- hide that it went back. Walks the time index from its end, so it costs a lookup, not a scan. A catalog
-- publish is left out: the queue's order does not depend on it, and it may be stamped by another machine
-- (an import run where the file is).
SELECT at_ms FROM queue_event INDEXED BY queue_event_at
WHERE id > coalesce((SELECT max(id) FROM queue_event WHERE kind = 'clock_accepted'), 0)
  AND kind <> 'catalog_published'
ORDER BY at_ms DESC
LIMIT 1

-- A publish of the catalog, on the hall's event log: live clients (kiosks) hear of it and load it again.
INSERT INTO queue_event (at_ms, ticket_id, kind, counter, actor, detail, staff_id)
VALUES (?1, NULL, 'catalog_published', NULL, ?2, ?3, NULL)

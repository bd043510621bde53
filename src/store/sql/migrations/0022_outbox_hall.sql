-- The outbox takes one more kind, `hall`: what a phone's page at the province needs to say about the hall
-- (its name and address, its services' names, how many counters serve each and how long a service takes,
-- its counters' names). A dossier's row now says where its result is collected.
-- The table is made once more, this time without a CHECK on its kinds: a trigger refuses an unknown kind
-- instead, so that a later kind needs only that trigger made again. Its rows and its sequence carry over.
-- The triggers that write to it stay: with legacy_alter_table their bodies are not read again by the
-- rename, and they name the table, not the one dropped.
PRAGMA legacy_alter_table = ON;
CREATE TABLE outbox_next (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind  TEXT    NOT NULL,
    at_ms INTEGER NOT NULL,
    body  TEXT    NOT NULL
);
INSERT INTO outbox_next (seq, kind, at_ms, body) SELECT seq, kind, at_ms, body FROM outbox ORDER BY seq;
DELETE FROM sqlite_sequence WHERE name = 'outbox_next';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_next', seq FROM sqlite_sequence WHERE name = 'outbox';
DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;
PRAGMA legacy_alter_table = OFF;

CREATE TRIGGER outbox_kind BEFORE INSERT ON outbox
WHEN NEW.kind NOT IN ('queue_event', 'dossier_status', 'rating', 'catalog_version', 'printer_health', 'ticket',
                      'dossier', 'dossier_form', 'backup', 'hall')
BEGIN
    SELECT RAISE(ABORT, 'outbox: a kind of row not on the allowlist');
END;

DROP VIEW outbox_dossier;
CREATE VIEW outbox_dossier AS
SELECT id, json_object(
    'id', id, 'code', code, 'token', token, 'procedure_code', procedure_code,
    'procedure_version', procedure_version, 'channel', channel, 'status', status, 'received_ms', received_ms,
    'appointment_ms', appointment_ms, 'first_appointment_ms', first_appointment_ms,
    'appointment_provisional', appointment_provisional, 'ticket_id', ticket_id, 'returned_ms', returned_ms,
    'applicant', motcua_mask(applicant_name), 'collect_at', collect_at) AS body
FROM dossier;

-- The catalog as published now goes to the province once, so that a hall that published its procedures
-- before it had an outbox has them on the province's pages too (the province keeps each version once).
INSERT INTO outbox (kind, at_ms, body)
SELECT 'catalog_version', COALESCE(CAST(unixepoch(imported_at, 'subsec') * 1000 AS INTEGER), 0), json_object(
    'code', code, 'version', version, 'published_at', imported_at, 'superseded_at', NULL, 'procedure', json(body))
FROM procedure_version WHERE superseded_at IS NULL ORDER BY id;

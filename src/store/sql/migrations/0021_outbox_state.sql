-- The outbox also carries each ticket and dossier as it stands after every change (written by triggers on
-- the rows themselves, so the province's latest copy is always the hall's row), the forms printed for a
-- dossier, and whether a rating came with a complaint (its text stays in the hall). With them the
-- province computes the same report as the hall (docs/province.md).
-- The table takes four more kinds (the hub writes `backup` when its daily backup's state changes): it is
-- made again (SQLite cannot change a CHECK), its rows and its sequence carried over, its triggers dropped
-- first and made again after (whichever of them exist).
DROP TRIGGER IF EXISTS outbox_queue_event;
DROP TRIGGER IF EXISTS outbox_dossier_status;
DROP TRIGGER IF EXISTS outbox_rating_insert;
DROP TRIGGER IF EXISTS outbox_rating_update;
DROP TRIGGER IF EXISTS outbox_catalog_version;
DROP TRIGGER IF EXISTS outbox_catalog_superseded;
DROP VIEW IF EXISTS outbox_rating;

CREATE TABLE outbox_next (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind  TEXT    NOT NULL CHECK (kind IN ('queue_event', 'dossier_status', 'rating', 'catalog_version',
                                           'printer_health', 'ticket', 'dossier', 'dossier_form', 'backup')),
    at_ms INTEGER NOT NULL,
    body  TEXT    NOT NULL
);
INSERT INTO outbox_next (seq, kind, at_ms, body) SELECT seq, kind, at_ms, body FROM outbox ORDER BY seq;
-- The sequence carries over, past rows already deleted: a sequence is never given twice.
DELETE FROM sqlite_sequence WHERE name = 'outbox_next';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_next', seq FROM sqlite_sequence WHERE name = 'outbox';
DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;

CREATE TRIGGER outbox_queue_event AFTER INSERT ON queue_event
WHEN NEW.kind <> 'catalog_published'
BEGIN
    INSERT INTO outbox (kind, at_ms, body)
    SELECT 'queue_event', NEW.at_ms, json_object(
        'id', NEW.id, 'at_ms', NEW.at_ms, 'kind', NEW.kind, 'counter', NEW.counter, 'staff_id', NEW.staff_id,
        -- json(): a subquery's value is text; this keeps it an object.
        'ticket', json((SELECT json_object('id', t.id, 'day', t.day, 'service', t.service, 'number', t.number,
                                           'priority', t.priority, 'state', t.state, 'arrived_ms', t.arrived_ms,
                                           'token', t.token)
                        FROM ticket t WHERE t.id = NEW.ticket_id)));
END;

CREATE TRIGGER outbox_dossier_status AFTER INSERT ON dossier_event
BEGIN
    INSERT INTO outbox (kind, at_ms, body)
    SELECT 'dossier_status', NEW.at_ms, json_object(
        'id', NEW.id, 'at_ms', NEW.at_ms, 'status', NEW.status,
        'dossier', json_object('id', d.id, 'code', d.code, 'token', d.token, 'procedure_code', d.procedure_code,
                               'procedure_version', d.procedure_version, 'channel', d.channel,
                               'received_ms', d.received_ms, 'appointment_ms', d.appointment_ms,
                               'appointment_provisional', d.appointment_provisional, 'ticket_id', d.ticket_id,
                               'returned_ms', d.returned_ms, 'applicant', motcua_mask(d.applicant_name)))
    FROM dossier d WHERE d.id = NEW.dossier_id;
END;

CREATE TRIGGER outbox_catalog_version AFTER INSERT ON procedure_version
BEGIN
    INSERT INTO outbox (kind, at_ms, body)
    VALUES ('catalog_version', COALESCE(CAST(unixepoch(NEW.imported_at, 'subsec') * 1000 AS INTEGER), 0), json_object(
        'code', NEW.code, 'version', NEW.version, 'published_at', NEW.imported_at, 'superseded_at', NULL,
        'procedure', json(NEW.body)));
END;

CREATE TRIGGER outbox_catalog_superseded AFTER UPDATE OF superseded_at ON procedure_version
WHEN OLD.superseded_at IS NULL AND NEW.superseded_at IS NOT NULL
BEGIN
    INSERT INTO outbox (kind, at_ms, body)
    VALUES ('catalog_version', COALESCE(CAST(unixepoch(NEW.superseded_at, 'subsec') * 1000 AS INTEGER), 0), json_object(
        'code', NEW.code, 'version', NEW.version, 'published_at', NEW.imported_at,
        'superseded_at', NEW.superseded_at));
END;

CREATE TRIGGER outbox_ticket_insert AFTER INSERT ON ticket
BEGIN
    INSERT INTO outbox (kind, at_ms, body)
    SELECT 'ticket', NEW.arrived_ms, body FROM outbox_ticket WHERE id = NEW.id;
END;

CREATE TRIGGER outbox_ticket_update AFTER UPDATE ON ticket
BEGIN
    INSERT INTO outbox (kind, at_ms, body)
    SELECT 'ticket', coalesce(NEW.finished_ms, NEW.started_ms, NEW.called_ms, NEW.arrived_ms), body
    FROM outbox_ticket WHERE id = NEW.id;
END;

CREATE VIEW outbox_ticket AS
SELECT id, json_object(
    'id', id, 'day', day, 'service', service, 'now_service', now_service, 'number', number,
    'priority', priority, 'state', state, 'arrived_ms', arrived_ms, 'counter', counter, 'called_ms', called_ms,
    'started_ms', started_ms, 'finished_ms', finished_ms, 'token', token) AS body
FROM ticket;

CREATE VIEW outbox_dossier AS
SELECT id, json_object(
    'id', id, 'code', code, 'token', token, 'procedure_code', procedure_code,
    'procedure_version', procedure_version, 'channel', channel, 'status', status, 'received_ms', received_ms,
    'appointment_ms', appointment_ms, 'first_appointment_ms', first_appointment_ms,
    'appointment_provisional', appointment_provisional, 'ticket_id', ticket_id, 'returned_ms', returned_ms,
    'applicant', motcua_mask(applicant_name)) AS body
FROM dossier;

CREATE TRIGGER outbox_dossier_insert AFTER INSERT ON dossier
BEGIN
    INSERT INTO outbox (kind, at_ms, body) SELECT 'dossier', NEW.received_ms, body FROM outbox_dossier WHERE id = NEW.id;
END;

CREATE TRIGGER outbox_dossier_update AFTER UPDATE ON dossier
BEGIN
    INSERT INTO outbox (kind, at_ms, body)
    SELECT 'dossier', CAST(unixepoch('subsec') * 1000 AS INTEGER), body FROM outbox_dossier WHERE id = NEW.id;
END;

CREATE TRIGGER outbox_dossier_form AFTER INSERT ON dossier_form
BEGIN
    INSERT INTO outbox (kind, at_ms, body)
    VALUES ('dossier_form', NEW.at_ms, json_object('id', NEW.id, 'dossier_id', NEW.dossier_id, 'form', NEW.form,
                                                    'at_ms', NEW.at_ms));
END;

-- A rating says whether it came with a complaint; the complaint's words stay in the hall.
CREATE VIEW outbox_rating AS
SELECT id, changed_ms, json_object(
    'ticket_id', ticket_id, 'level', level, 'reasons', json(reasons), 'complained', json(iif(complaint IS NULL,
    'false', 'true')), 'source', source, 'counter', counter, 'staff_id', staff_id, 'service', service,
    'dossier_id', dossier_id, 'rated_ms', rated_ms, 'changed_ms', changed_ms) AS body
FROM rating;

CREATE TRIGGER outbox_rating_insert AFTER INSERT ON rating
BEGIN
    INSERT INTO outbox (kind, at_ms, body) SELECT 'rating', changed_ms, body FROM outbox_rating WHERE id = NEW.id;
END;

CREATE TRIGGER outbox_rating_update AFTER UPDATE ON rating
BEGIN
    INSERT INTO outbox (kind, at_ms, body) SELECT 'rating', changed_ms, body FROM outbox_rating WHERE id = NEW.id;
END;

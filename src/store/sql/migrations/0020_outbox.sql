-- What leaves the hall for the province (docs/province.md): one row per change, written by triggers in the
-- transaction of the change itself, so that nothing is pushed that did not happen and nothing that
-- happened is missed. `seq` is the hall's order and is never reused (AUTOINCREMENT), even once pushed rows
-- are deleted. `body` is JSON holding only the fields docs/province.md lists: no phone numbers, no ID
-- numbers, no complaints, no free text; names masked (motcua_mask, registered on every connection).
CREATE TABLE outbox (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind  TEXT    NOT NULL CHECK (kind IN ('queue_event', 'dossier_status', 'rating', 'catalog_version',
                                           'printer_health')),
    at_ms INTEGER NOT NULL,
    body  TEXT    NOT NULL
);

-- A queue event, with the ticket as it stands at that moment (a transfer changes its service and number).
-- The actor and the free-text detail stay in the hall. A catalog publish goes as its versions instead.
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

-- A dossier's status, with the dossier as it stands (the applicant's name masked; no phone, no ID number,
-- no note, no documents).
CREATE TRIGGER outbox_dossier_status AFTER INSERT ON dossier_event
BEGIN
    INSERT INTO outbox (kind, at_ms, body)
    SELECT 'dossier_status', NEW.at_ms, json_object(
        'id', NEW.id, 'at_ms', NEW.at_ms, 'status', NEW.status,
        'dossier', json_object('code', d.code, 'token', d.token, 'procedure_code', d.procedure_code,
                               'procedure_version', d.procedure_version, 'channel', d.channel,
                               'received_ms', d.received_ms, 'appointment_ms', d.appointment_ms,
                               'appointment_provisional', d.appointment_provisional, 'ticket_id', d.ticket_id,
                               'returned_ms', d.returned_ms, 'applicant', motcua_mask(d.applicant_name)))
    FROM dossier d WHERE d.id = NEW.dossier_id;
END;

-- A rating as given or changed; its complaint, if any, stays in the hall. The view is the one place its
-- fields are named, for both triggers.
CREATE VIEW outbox_rating AS
SELECT id, changed_ms, json_object(
    'ticket_id', ticket_id, 'level', level, 'reasons', json(reasons), 'source', source, 'counter', counter,
    'staff_id', staff_id, 'service', service, 'dossier_id', dossier_id, 'rated_ms', rated_ms,
    'changed_ms', changed_ms) AS body
FROM rating;

CREATE TRIGGER outbox_rating_insert AFTER INSERT ON rating
BEGIN
    INSERT INTO outbox (kind, at_ms, body) SELECT 'rating', changed_ms, body FROM outbox_rating WHERE id = NEW.id;
END;

CREATE TRIGGER outbox_rating_update AFTER UPDATE ON rating
BEGIN
    INSERT INTO outbox (kind, at_ms, body) SELECT 'rating', changed_ms, body FROM outbox_rating WHERE id = NEW.id;
END;

-- A procedure's version as published (public text), and when it is superseded: by a newer version, or
-- retired when none follows.
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

-- Bookings made at the province for this hall, as the hub last pulled them (docs/booking.md): the hall
-- checks citizens in from this copy when the WAN is down. Of the phone it holds only a hash and the last
-- three digits. A check-in ties the booking to its ticket in the ticket's own transaction; a booking not
-- checked in by the end of its window expires. Both go to the province (outbox kind `booking`).
CREATE TABLE booking (
    id         INTEGER PRIMARY KEY,       -- the province's id
    code       TEXT    NOT NULL,          -- "H-0312", per day
    day        TEXT    NOT NULL,          -- YYYY-MM-DD
    service    TEXT    NOT NULL,
    starts_ms  INTEGER NOT NULL,          -- the window
    ends_ms    INTEGER NOT NULL,
    token      TEXT    NOT NULL UNIQUE,   -- in its QR
    phone_hash TEXT    NOT NULL,
    last3      TEXT    NOT NULL,
    made_ms    INTEGER NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('booked', 'cancelled', 'checked_in', 'expired')),
    ticket_id  INTEGER UNIQUE REFERENCES ticket (id),
    checked_ms INTEGER,                   -- checked in, or expired
    UNIQUE (day, code)
);
CREATE INDEX booking_open ON booking (state, ends_ms);

DROP TRIGGER outbox_kind;
CREATE TRIGGER outbox_kind BEFORE INSERT ON outbox
WHEN NEW.kind NOT IN ('queue_event', 'dossier_status', 'rating', 'catalog_version', 'printer_health', 'ticket',
                      'dossier', 'dossier_form', 'backup', 'hall', 'booking')
BEGIN
    SELECT RAISE(ABORT, 'outbox: a kind of row not on the allowlist');
END;

CREATE TRIGGER outbox_booking AFTER UPDATE OF state ON booking
WHEN NEW.state IN ('checked_in', 'expired') AND OLD.state <> NEW.state
BEGIN
    INSERT INTO outbox (kind, at_ms, body)
    SELECT 'booking', NEW.checked_ms, json_object(
        'id', NEW.id, 'code', NEW.code, 'day', NEW.day, 'service', NEW.service, 'state', NEW.state,
        'ticket', (SELECT number FROM ticket WHERE id = NEW.ticket_id));
END;

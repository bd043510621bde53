-- Queue tickets. A ticket is first `reserved` (its number is taken, committed), then joins the queue as
-- `waiting` once the kiosk reports its print outcome, or is `voided`. Numbers never repeat within a day.
CREATE TABLE ticket (
    id           INTEGER PRIMARY KEY,
    day          TEXT    NOT NULL,          -- local (Asia/Ho_Chi_Minh) date, YYYY-MM-DD
    service      TEXT    NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    number       TEXT    NOT NULL,          -- "A025"
    priority     TEXT,                      -- category, or NULL
    token        TEXT    NOT NULL UNIQUE,   -- public, unguessable: /t/{token}
    state        TEXT    NOT NULL CHECK (state IN
                   ('reserved', 'waiting', 'called', 'serving', 'done', 'no_show', 'cancelled', 'voided')),
    arrived_ms   INTEGER NOT NULL,          -- when the number was taken (kept across transfers)
    counter      INTEGER,
    print_outcome TEXT,
    UNIQUE (day, service, seq)
);
CREATE INDEX ticket_day_state ON ticket (day, state);

-- Every change to a ticket, in order: the history of a day can be replayed. The id is the event id that
-- live clients resume from.
CREATE TABLE queue_event (
    id        INTEGER PRIMARY KEY,
    at_ms     INTEGER NOT NULL,
    ticket_id INTEGER REFERENCES ticket (id),
    kind      TEXT    NOT NULL,
    counter   INTEGER,
    actor     TEXT    NOT NULL,
    detail    TEXT
);
CREATE INDEX queue_event_ticket ON queue_event (ticket_id);

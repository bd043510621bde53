-- End of day: tickets still waiting or called when the hall closes are `closed` ("not served at closing"),
-- counted apart from no-shows. SQLite cannot alter a CHECK, so the table is rebuilt with the state list of
-- domain::ticket::TicketState (the unused 'cancelled' goes). Foreign keys are off during this step
-- (store::migrate) and checked before it commits.
CREATE TABLE ticket_new (
    id            INTEGER PRIMARY KEY,
    day           TEXT    NOT NULL,          -- local (Asia/Ho_Chi_Minh) date, YYYY-MM-DD
    service       TEXT    NOT NULL,          -- the issuing service
    seq           INTEGER NOT NULL CHECK (seq >= 1),
    number        TEXT    NOT NULL,          -- "A025"
    priority      TEXT,                      -- category, or NULL
    token         TEXT    NOT NULL UNIQUE,   -- public, unguessable: /t/{token}
    state         TEXT    NOT NULL CHECK (state IN
                    ('reserved', 'waiting', 'called', 'serving', 'done', 'no_show', 'voided', 'closed')),
    arrived_ms    INTEGER NOT NULL,          -- when the number was taken (kept across transfers)
    counter       INTEGER,
    print_outcome TEXT,
    now_service   TEXT,                      -- after a transfer; NULL = the issuing service
    called_ms     INTEGER,
    started_ms    INTEGER,
    finished_ms   INTEGER,
    recalls       INTEGER NOT NULL DEFAULT 0,
    request_key   TEXT,
    UNIQUE (day, service, seq)
);
INSERT INTO ticket_new (id, day, service, seq, number, priority, token, state, arrived_ms, counter, print_outcome,
                        now_service, called_ms, started_ms, finished_ms, recalls, request_key)
    SELECT id, day, service, seq, number, priority, token,
           CASE state WHEN 'cancelled' THEN 'closed' ELSE state END,
           arrived_ms, counter, print_outcome, now_service, called_ms, started_ms, finished_ms, recalls, request_key
    FROM ticket;
DROP TABLE ticket;
ALTER TABLE ticket_new RENAME TO ticket;
CREATE INDEX ticket_day_state ON ticket (day, state);
CREATE INDEX ticket_line
    ON ticket (day, state, coalesce(now_service, service), priority IS NOT NULL, arrived_ms, id);
CREATE INDEX ticket_done_by_service
    ON ticket (coalesce(now_service, service), finished_ms) WHERE state = 'done' AND finished_ms IS NOT NULL;
CREATE UNIQUE INDEX ticket_request_key ON ticket (request_key) WHERE request_key IS NOT NULL;
CREATE INDEX ticket_day_counter ON ticket (day, counter, state) WHERE counter IS NOT NULL;
-- The reports read tickets by the time they were taken.
CREATE INDEX ticket_arrived ON ticket (arrived_ms);

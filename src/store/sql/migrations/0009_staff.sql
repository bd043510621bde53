-- Staff accounts: who serves at a counter, who reads the reports, who keeps the hall. The secret (a PIN
-- or a password) is kept as an Argon2id hash only. A disabled account stays, so that the events it
-- signed still name it.
CREATE TABLE staff (
    id          INTEGER PRIMARY KEY,
    username    TEXT    NOT NULL UNIQUE,   -- lower case, checked by domain::staff::username
    name        TEXT    NOT NULL,
    roles       TEXT    NOT NULL,          -- "counter,leader,admin" (domain::staff::Roles)
    secret_hash TEXT    NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_ms  INTEGER NOT NULL,
    changed_ms  INTEGER NOT NULL
);

-- Sessions, now of a counter (with the staff member logged in there, or none for the counter's own
-- PIN: "no name") or of a staff member alone (a leader reading the reports). SQLite cannot loosen the
-- NOT NULL of counter_session.counter, so the table is rebuilt and its live sessions kept.
CREATE TABLE session (
    token_hash TEXT    PRIMARY KEY,
    counter    INTEGER,
    staff_id   INTEGER REFERENCES staff (id),
    csrf       TEXT    NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    CHECK (counter IS NOT NULL OR staff_id IS NOT NULL)
);
INSERT INTO session (token_hash, counter, staff_id, csrf, created_ms, expires_ms)
    SELECT token_hash, counter, NULL, csrf, created_ms, expires_ms FROM counter_session;
DROP TABLE counter_session;
CREATE INDEX session_counter ON session (counter) WHERE counter IS NOT NULL;
CREATE INDEX session_staff ON session (staff_id) WHERE staff_id IS NOT NULL;

-- Who did it: every event at a counter names the staff member logged in there (NULL: no name, or not a
-- counter's event). Reports count counter-hours and service by staff member from it.
ALTER TABLE queue_event ADD COLUMN staff_id INTEGER REFERENCES staff (id);
CREATE INDEX queue_event_staff ON queue_event (staff_id, at_ms) WHERE staff_id IS NOT NULL;

-- The last time staff accepted the clock, found without a scan (store::queue::last_event_ms).
CREATE INDEX queue_event_clock_accepted ON queue_event (id) WHERE kind = 'clock_accepted';

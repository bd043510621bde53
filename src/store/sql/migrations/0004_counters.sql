-- Counters at work: where a ticket now waits after a transfer, when it was called, started and finished
-- (the service durations behind the wait estimate), how often it was recalled.
ALTER TABLE ticket ADD COLUMN now_service TEXT;          -- after a transfer; NULL = the issuing service
ALTER TABLE ticket ADD COLUMN called_ms INTEGER;
ALTER TABLE ticket ADD COLUMN started_ms INTEGER;
ALTER TABLE ticket ADD COLUMN finished_ms INTEGER;
ALTER TABLE ticket ADD COLUMN recalls INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ticket_finished ON ticket (finished_ms) WHERE finished_ms IS NOT NULL;

-- Counter PINs, hashed (Argon2id, PHC string); never stored in clear.
CREATE TABLE counter_pin (
    counter  INTEGER PRIMARY KEY,
    pin_hash TEXT    NOT NULL,
    set_ms   INTEGER NOT NULL
);

-- Logged-in counters. Only a hash of the session token is kept; the CSRF token is sent back in a header
-- by the console for every change.
CREATE TABLE counter_session (
    token_hash TEXT    PRIMARY KEY,
    counter    INTEGER NOT NULL,
    csrf       TEXT    NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX counter_session_counter ON counter_session (counter);

-- A counter paused by its staff is not called for and not counted in wait estimates.
CREATE TABLE counter_state (
    counter INTEGER PRIMARY KEY,
    paused  INTEGER NOT NULL DEFAULT 0
);

-- Kiosks and display boards talking to a remote hub, each with its own bearer token (hash only).
CREATE TABLE device (
    name       TEXT    PRIMARY KEY,
    role       TEXT    NOT NULL CHECK (role IN ('kiosk', 'display')),
    token_hash TEXT    NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL
);

-- What the hub asks on every change, answered from indexes: the head of a line, the latest event time,
-- a counter's latest calls.
CREATE INDEX ticket_line
    ON ticket (day, state, coalesce(now_service, service), priority IS NOT NULL, arrived_ms, id);
CREATE INDEX queue_event_at ON queue_event (at_ms);
CREATE INDEX queue_event_calls ON queue_event (counter, id) WHERE kind = 'called';

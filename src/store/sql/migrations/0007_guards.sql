-- What keeps one laptop on the hall's LAN from stopping, flooding or locking the hub.

-- Facts about this database file. `epoch` is made when the database is created and made again when it is
-- restored from a backup: event ids restart or repeat across a restore, so a client that resumes by id
-- must also compare the epoch.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('epoch', lower(hex(randomblob(8))));

-- Failed logins by principal ("counter:3", and later staff accounts) and by the client that tried, so
-- that back-off survives a restart. `next_ms` is when the next attempt may be checked.
CREATE TABLE login_failure (
    key      TEXT    PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_ms  INTEGER NOT NULL,
    next_ms  INTEGER NOT NULL
);

-- Browsers that once logged in with the right PIN (hash of the cookie's random value), per principal:
-- their attempts are counted apart from a stranger's, so that guessing cannot lock the owner out.
CREATE TABLE known_browser (
    token_hash TEXT    PRIMARY KEY,
    principal  TEXT    NOT NULL,
    created_ms INTEGER NOT NULL,
    used_ms    INTEGER NOT NULL
);
CREATE INDEX known_browser_principal ON known_browser (principal);

-- Every revocation (a device revoked or given a new token, a counter's sessions ended), in order. A
-- running hub watches the highest id and forgets the credentials it remembered when it grows, even when
-- the revocation was written by another process (`motcua device revoke`).
CREATE TABLE revocation (
    id     INTEGER PRIMARY KEY,
    at_ms  INTEGER NOT NULL,
    what   TEXT    NOT NULL
);
ALTER TABLE device ADD COLUMN revoked_ms INTEGER;

-- A kiosk that retries a reservation (its answer was lost) sends the same key and gets the same ticket.
ALTER TABLE ticket ADD COLUMN request_key TEXT;
CREATE UNIQUE INDEX ticket_request_key ON ticket (request_key) WHERE request_key IS NOT NULL;

-- A counter's tickets of a day by state, for the snapshot every board and console reads: without it each
-- counter's counts scanned every finished ticket of the day.
CREATE INDEX ticket_day_counter ON ticket (day, counter, state) WHERE counter IS NOT NULL;

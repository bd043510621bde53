-- Citizens' ratings: one per ticket, and through it the counter and staff member that finished it, the
-- service, and any dossier received under it. No personal data. `holder` is who gave it ("token": whoever
-- holds the ticket's QR, or "tablet:3"); only they may change it, within [ratings] change_minutes of
-- `rated_ms`.
CREATE TABLE rating (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL UNIQUE REFERENCES ticket (id),
    level      TEXT    NOT NULL CHECK (level IN ('very_satisfied', 'satisfied', 'neutral', 'dissatisfied')),
    reasons    TEXT    NOT NULL DEFAULT '[]',   -- JSON array of the configured reason texts
    complaint  TEXT,                            -- "Phản ánh, kiến nghị", checked by domain::rating::check
    source     TEXT    NOT NULL CHECK (source IN ('tablet', 'phone', 'kiosk')),
    holder     TEXT    NOT NULL,
    counter    INTEGER,
    staff_id   INTEGER REFERENCES staff (id),
    service    TEXT    NOT NULL,
    dossier_id INTEGER REFERENCES dossier (id),
    rated_ms   INTEGER NOT NULL,
    changed_ms INTEGER NOT NULL
);
CREATE INDEX rating_rated ON rating (rated_ms);

-- Tablets standing on counters, where citizens rate what the counter just finished. A tablet is paired
-- once with a one-time code that staff read from the console (`tablet_code`, hashed, a few minutes); it
-- then holds an HttpOnly cookie (hashed here) bound to that counter, with a CSRF token for its ratings.
-- Pairing another tablet to the counter revokes the one before.
CREATE TABLE tablet_code (
    counter    INTEGER PRIMARY KEY,
    code_hash  TEXT    NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE TABLE tablet (
    token_hash TEXT    PRIMARY KEY,
    counter    INTEGER NOT NULL,
    csrf       TEXT    NOT NULL,
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);
CREATE INDEX tablet_counter ON tablet (counter) WHERE revoked_ms IS NULL;

-- Dossiers citizens follow: received at a counter, imported from the back office's dossier system, or sent
-- by it live. The back office stays the system of record; the hall keeps what citizens need to follow their
-- dossier, and clears the applicant's name and phone `[dossiers] purge_after_days` after the result is
-- handed over (the code, status and timeline stay).
CREATE TABLE dossier (
    id                      INTEGER PRIMARY KEY,
    code                    TEXT    NOT NULL UNIQUE,        -- <agency code>-<yyMMdd>-<NNNN>
    token                   TEXT    NOT NULL UNIQUE,        -- public, unguessable: /d/{token}
    procedure_code          TEXT    NOT NULL,
    procedure_name          TEXT    NOT NULL,
    procedure_version       INTEGER,                        -- the catalog version received under, if known
    channel                 INTEGER NOT NULL CHECK (channel IN (1, 2, 3)),
    applicant_name          TEXT,                           -- NULL once purged
    applicant_phone         TEXT,                           -- digits only; for verification, never shown
    received_ms             INTEGER NOT NULL,
    appointment_ms          INTEGER,
    appointment_provisional INTEGER NOT NULL DEFAULT 0,     -- computed on a provisional calendar: "dự kiến"
    status                  INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
    collect_at              TEXT    NOT NULL DEFAULT '',    -- where the result is handed over
    documents               TEXT    NOT NULL DEFAULT '[]',  -- JSON list of the documents received
    ticket_id               INTEGER REFERENCES ticket (id), -- the queue ticket it was received under
    source                  TEXT    NOT NULL,               -- "counter N", "import", "api"
    returned_ms             INTEGER,                        -- when the result was handed over (status 10)
    updated_ms              INTEGER NOT NULL
);
CREATE INDEX dossier_ticket ON dossier (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX dossier_purge ON dossier (returned_ms) WHERE applicant_name IS NOT NULL;

-- Each status a dossier went through, with its note (e.g. what to supplement).
CREATE TABLE dossier_event (
    id         INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossier (id),
    at_ms      INTEGER NOT NULL,
    status     INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
    note       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX dossier_event_dossier ON dossier_event (dossier_id, at_ms);

-- The back office's live connection is a device of its own role ("integration"): the table is rebuilt to
-- widen the role check (SQLite cannot alter a CHECK).
CREATE TABLE device_new (
    name       TEXT    PRIMARY KEY,
    role       TEXT    NOT NULL CHECK (role IN ('kiosk', 'display', 'integration')),
    token_hash TEXT    NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL
);
INSERT INTO device_new (name, role, token_hash, created_ms) SELECT name, role, token_hash, created_ms FROM device;
DROP TABLE device;
ALTER TABLE device_new RENAME TO device;

-- Procedures are kept as immutable versions: a dossier keeps the version it was received under.
-- `body` is the procedure in the canonical JSON form; the other columns serve listing and lookup.
CREATE TABLE procedure_version (
    id             INTEGER PRIMARY KEY,
    code           TEXT    NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    name           TEXT    NOT NULL,
    field          TEXT    NOT NULL,
    verified       INTEGER NOT NULL CHECK (verified IN (0, 1)),
    effective_date TEXT,
    body           TEXT    NOT NULL,
    -- Folded code, name, field, keywords and documents: a plain-text fallback for lookups.
    folded         TEXT    NOT NULL,
    imported_at    TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    superseded_at  TEXT,
    UNIQUE (code, version)
);

-- At most one current version per code.
CREATE UNIQUE INDEX procedure_version_current ON procedure_version (code) WHERE superseded_at IS NULL;

-- A record of every catalog import, so staff can tell when the published list last changed.
CREATE TABLE catalog_import (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    added       INTEGER NOT NULL,
    changed     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL
);

CREATE INDEX procedure_version_field ON procedure_version (field) WHERE superseded_at IS NULL;

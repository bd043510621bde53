-- A monitoring system reads /metrics with a device token of its own role ("metrics"): the table is rebuilt
-- to widen the role check (SQLite cannot alter a CHECK); tokens and revocations are kept.
CREATE TABLE device_new (
    name       TEXT    PRIMARY KEY,
    role       TEXT    NOT NULL CHECK (role IN ('kiosk', 'display', 'integration', 'metrics')),
    token_hash TEXT    NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);
INSERT INTO device_new (name, role, token_hash, created_ms, revoked_ms)
    SELECT name, role, token_hash, created_ms, revoked_ms FROM device;
DROP TABLE device;
ALTER TABLE device_new RENAME TO device;

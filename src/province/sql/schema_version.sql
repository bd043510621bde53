CREATE TABLE IF NOT EXISTS schema_migration (
    version    INTEGER     PRIMARY KEY,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The province's own catalog, which the halls pull (docs/province.md, "The province's catalog"): every
-- version of every procedure, the published one without `superseded_at`. `id` grows with every change, so
-- the newest id and the count make the catalog's stamp.
CREATE TABLE province_procedure (
    id            BIGSERIAL PRIMARY KEY,
    code          TEXT      NOT NULL,
    version       BIGINT    NOT NULL,
    procedure     JSONB     NOT NULL,
    published_at  TEXT      NOT NULL,
    superseded_at TEXT,
    UNIQUE (code, version)
);
CREATE UNIQUE INDEX province_procedure_current ON province_procedure (code) WHERE superseded_at IS NULL;

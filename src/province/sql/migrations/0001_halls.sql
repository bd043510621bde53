-- The halls that push to the province, and every row they pushed, keyed by (hall, epoch, seq): a row
-- delivered twice is stored once, and a restored hall (a new epoch) is a history of its own.
CREATE TABLE hall (
    id         TEXT        PRIMARY KEY,
    name       TEXT        NOT NULL,
    token_hash TEXT        NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One line per history of a hall: the last sequence stored (rows 1..acked, less any the hall swept
-- before it could deliver them) and when it was last heard from.
CREATE TABLE hall_epoch (
    hall       TEXT        NOT NULL REFERENCES hall (id),
    epoch      TEXT        NOT NULL,
    acked      BIGINT      NOT NULL DEFAULT 0,
    first_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_push  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (hall, epoch)
);

CREATE TABLE hall_row (
    hall        TEXT        NOT NULL,
    epoch       TEXT        NOT NULL,
    seq         BIGINT      NOT NULL,
    kind        TEXT        NOT NULL,
    at_ms       BIGINT      NOT NULL,
    body        JSONB       NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (hall, epoch, seq),
    FOREIGN KEY (hall, epoch) REFERENCES hall_epoch (hall, epoch)
);
CREATE INDEX hall_row_kind ON hall_row (hall, kind, at_ms);

-- What the public pages read (`/t`, `/d`, `/diem/{hall}/thu-tuc`), kept up to date with every push in the
-- push's transaction: each ticket and dossier as its newest row, each hall's newest `hall` row, and each
-- hall's procedure versions. They follow each hall's line (hall_history): a restored hall's pages are
-- made again from its line when its new history first pushes.
CREATE TABLE ticket_now (
    hall       TEXT    NOT NULL REFERENCES hall (id),
    token      TEXT    NOT NULL,
    epoch      TEXT    NOT NULL,
    seq        BIGINT  NOT NULL,
    id         BIGINT  NOT NULL,
    day        TEXT    NOT NULL,
    -- The service it waits in now (after a transfer).
    service    TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    priority   BOOLEAN NOT NULL,
    arrived_ms BIGINT  NOT NULL,
    body       JSONB   NOT NULL,
    PRIMARY KEY (hall, token)
);
CREATE INDEX ticket_now_token ON ticket_now (token);
CREATE INDEX ticket_now_line ON ticket_now (hall, day, service, state);

CREATE TABLE dossier_now (
    hall      TEXT   NOT NULL REFERENCES hall (id),
    token     TEXT   NOT NULL,
    epoch     TEXT   NOT NULL,
    seq       BIGINT NOT NULL,
    id        BIGINT NOT NULL,
    ticket_id BIGINT,
    body      JSONB  NOT NULL,
    PRIMARY KEY (hall, token)
);
CREATE INDEX dossier_now_token ON dossier_now (token);
CREATE INDEX dossier_now_ticket ON dossier_now (hall, ticket_id);

CREATE TABLE hall_now (
    hall  TEXT   PRIMARY KEY REFERENCES hall (id),
    epoch TEXT   NOT NULL,
    seq   BIGINT NOT NULL,
    body  JSONB  NOT NULL
);

CREATE TABLE procedure_now (
    hall         TEXT    NOT NULL REFERENCES hall (id),
    code         TEXT    NOT NULL,
    version      BIGINT  NOT NULL,
    published_at TEXT    NOT NULL,
    superseded   BOOLEAN NOT NULL,
    -- The newest row applied to it.
    seq          BIGINT  NOT NULL,
    procedure    JSONB,
    PRIMARY KEY (hall, code, version)
);

-- A dossier's statuses, for its timeline.
CREATE INDEX hall_row_dossier_status ON hall_row (hall, ((body -> 'dossier' ->> 'id')::BIGINT), seq)
 WHERE kind = 'dossier_status';

-- Applies a hall's rows of history `e` after `after` (and up to `upto`, when not NULL) to the tables
-- above: the newest row of each ticket, dossier and hall wins, a row of another history replacing one of
-- the history it branched from; a procedure version is published until a row says it was superseded.
CREATE FUNCTION public_apply(h TEXT, e TEXT, after BIGINT, upto BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO ticket_now (hall, token, epoch, seq, id, day, service, state, priority, arrived_ms, body)
    SELECT DISTINCT ON (body ->> 'token') h, body ->> 'token', e, seq, (body ->> 'id')::BIGINT, body ->> 'day',
           coalesce(body ->> 'now_service', body ->> 'service'), body ->> 'state', body ->> 'priority' IS NOT NULL,
           (body ->> 'arrived_ms')::BIGINT, body
      FROM hall_row
     WHERE hall = h AND epoch = e AND seq > after AND (upto IS NULL OR seq <= upto) AND kind = 'ticket'
     ORDER BY body ->> 'token', seq DESC
    ON CONFLICT (hall, token) DO UPDATE
       SET epoch = EXCLUDED.epoch, seq = EXCLUDED.seq, id = EXCLUDED.id, day = EXCLUDED.day,
           service = EXCLUDED.service, state = EXCLUDED.state, priority = EXCLUDED.priority,
           arrived_ms = EXCLUDED.arrived_ms, body = EXCLUDED.body
     WHERE ticket_now.epoch <> EXCLUDED.epoch OR ticket_now.seq < EXCLUDED.seq;

    INSERT INTO dossier_now (hall, token, epoch, seq, id, ticket_id, body)
    SELECT DISTINCT ON (body ->> 'token') h, body ->> 'token', e, seq, (body ->> 'id')::BIGINT,
           (body ->> 'ticket_id')::BIGINT, body
      FROM hall_row
     WHERE hall = h AND epoch = e AND seq > after AND (upto IS NULL OR seq <= upto) AND kind = 'dossier'
     ORDER BY body ->> 'token', seq DESC
    ON CONFLICT (hall, token) DO UPDATE
       SET epoch = EXCLUDED.epoch, seq = EXCLUDED.seq, id = EXCLUDED.id, ticket_id = EXCLUDED.ticket_id,
           body = EXCLUDED.body
     WHERE dossier_now.epoch <> EXCLUDED.epoch OR dossier_now.seq < EXCLUDED.seq;

    INSERT INTO hall_now (hall, epoch, seq, body)
    SELECT h, e, seq, body
      FROM hall_row
     WHERE hall = h AND epoch = e AND seq > after AND (upto IS NULL OR seq <= upto) AND kind = 'hall'
     ORDER BY seq DESC LIMIT 1
    ON CONFLICT (hall) DO UPDATE SET epoch = EXCLUDED.epoch, seq = EXCLUDED.seq, body = EXCLUDED.body
     WHERE hall_now.epoch <> EXCLUDED.epoch OR hall_now.seq < EXCLUDED.seq;

    INSERT INTO procedure_now (hall, code, version, published_at, superseded, seq, procedure)
    SELECT h, body ->> 'code', (body ->> 'version')::BIGINT, min(body ->> 'published_at'),
           bool_or(body ->> 'superseded_at' IS NOT NULL), max(seq), (array_agg(body -> 'procedure' ORDER BY seq)
                                                            FILTER (WHERE body ? 'procedure'))[1]
      FROM hall_row
     WHERE hall = h AND epoch = e AND seq > after AND (upto IS NULL OR seq <= upto) AND kind = 'catalog_version'
     GROUP BY body ->> 'code', (body ->> 'version')::BIGINT
    ON CONFLICT (hall, code, version) DO UPDATE
       SET superseded = procedure_now.superseded OR EXCLUDED.superseded, seq = greatest(procedure_now.seq, EXCLUDED.seq),
           procedure = coalesce(EXCLUDED.procedure, procedure_now.procedure);
$$;

-- Makes a hall's tables above again from its line, oldest history first, each up to where the next
-- branches from it: when a restored hall's new history is first met, its pages show what the restored
-- database holds, not the work the restore lost.
CREATE FUNCTION public_rebuild(h TEXT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    l RECORD;
BEGIN
    DELETE FROM ticket_now WHERE hall = h;
    DELETE FROM dossier_now WHERE hall = h;
    DELETE FROM hall_now WHERE hall = h;
    DELETE FROM procedure_now WHERE hall = h;
    FOR l IN SELECT y.epoch, y.upto
               FROM hall_history y JOIN hall_epoch x ON x.hall = y.hall AND x.epoch = y.epoch
              WHERE y.hall = h
              ORDER BY x.first_seen, x.epoch LOOP
        PERFORM public_apply(h, l.epoch, 0, l.upto);
    END LOOP;
END;
$$;

-- What was pushed before this schema.
SELECT public_rebuild(id) FROM hall;

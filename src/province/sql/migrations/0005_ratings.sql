-- Ratings given on the province's `/t/{token}` page, waiting for their hall to pull them (docs/province.md).
-- One per ticket: a change replaces it and takes a new id, so that it is pulled again. Once the hall has
-- pulled it (`delivered`), the complaint's words are erased here: they live in the hall.
CREATE TABLE rating_sent (
    id        BIGSERIAL PRIMARY KEY,
    hall      TEXT      NOT NULL REFERENCES hall (id),
    token     TEXT      NOT NULL,
    level     TEXT      NOT NULL,
    reasons   TEXT[]    NOT NULL,
    complaint TEXT,
    -- When first given, and when last changed (ms).
    rated_ms  BIGINT    NOT NULL,
    sent_ms   BIGINT    NOT NULL,
    delivered BOOLEAN   NOT NULL DEFAULT false,
    UNIQUE (hall, token)
);
CREATE INDEX rating_sent_pull ON rating_sent (hall, id) WHERE NOT delivered;

-- A ticket's rating as its hall pushed it, for its page.
CREATE INDEX hall_row_rating ON hall_row (hall, ((body ->> 'ticket_id')::BIGINT), seq) WHERE kind = 'rating';

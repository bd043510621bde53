-- Bookings made on the province's public pages (docs/booking.md). A booking is numbered per hall and day
-- (`booking_day`), takes one place of its window (`booking_window`, never more than the window's places:
-- the UPDATE that takes a place checks it), and keeps the phone number only until the day after its own:
-- the hall is told its hash and last three digits. Each change takes a new `rev`, which the hall pulls
-- after (`GET /api/v1/bookings?after=`).
CREATE SEQUENCE booking_rev;

CREATE TABLE booking (
    id         BIGSERIAL PRIMARY KEY,
    hall       TEXT    NOT NULL REFERENCES hall (id),
    day        DATE    NOT NULL,
    service    TEXT    NOT NULL,
    -- The window, in minutes since the hall's midnight.
    starts_min INTEGER NOT NULL,
    ends_min   INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    code       TEXT    NOT NULL,
    token      TEXT    NOT NULL UNIQUE,
    -- Erased the day after the booking's day.
    phone      TEXT,
    phone_hash TEXT    NOT NULL,
    last3      TEXT    NOT NULL,
    state      TEXT    NOT NULL DEFAULT 'booked'
               CHECK (state IN ('booked', 'cancelled', 'checked_in', 'expired')),
    -- The number of the ticket the hall printed for it.
    ticket     TEXT,
    made_ms    BIGINT  NOT NULL,
    changed_ms BIGINT  NOT NULL,
    rev        BIGINT  NOT NULL DEFAULT nextval('booking_rev'),
    UNIQUE (hall, day, seq)
);
CREATE INDEX booking_pull ON booking (hall, rev);
CREATE INDEX booking_phone ON booking (phone_hash, day);
CREATE INDEX booking_purge ON booking (day) WHERE phone IS NOT NULL;
CREATE INDEX booking_report ON booking (hall, day);

CREATE TABLE booking_window (
    hall       TEXT    NOT NULL REFERENCES hall (id),
    day        DATE    NOT NULL,
    service    TEXT    NOT NULL,
    starts_min INTEGER NOT NULL,
    taken      INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0),
    PRIMARY KEY (hall, day, service, starts_min)
);

CREATE TABLE booking_day (
    hall TEXT    NOT NULL REFERENCES hall (id),
    day  DATE    NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (hall, day)
);

-- The key phone numbers are hashed with before the hall is told them: made once, kept here.
CREATE TABLE booking_key (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    key TEXT    NOT NULL
);

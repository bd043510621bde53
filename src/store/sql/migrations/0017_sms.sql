-- Text messages citizens asked for (docs/sms.md). Consent is a phone number typed at the kiosk after
-- taking a number, or at the counter: it covers "your turn is near" for that ticket and "the result is
-- ready" for a dossier received under it, nothing else. The number is kept for the day, or on the
-- dossier until its personal data is purged.
CREATE TABLE sms_consent (
    ticket_id  INTEGER PRIMARY KEY REFERENCES ticket (id),
    day        TEXT    NOT NULL,
    phone      TEXT    NOT NULL,            -- national form, "0912345678"
    source     TEXT    NOT NULL CHECK (source IN ('kiosk', 'counter')),
    near_sent  INTEGER NOT NULL DEFAULT 0,  -- "your turn is near" queued once, even if the line moves back
    given_ms   INTEGER NOT NULL
);
CREATE INDEX sms_consent_day ON sms_consent (day, near_sent);

-- Messages in order, each sent one at a time with retries. `phone` is cleared once the message is sent or
-- has failed for good and its day is over.
CREATE TABLE sms_outbox (
    id          INTEGER PRIMARY KEY,
    day         TEXT    NOT NULL,
    phone       TEXT,
    kind        TEXT    NOT NULL CHECK (kind IN ('near', 'ready')),
    ticket_id   INTEGER REFERENCES ticket (id),
    dossier_id  INTEGER REFERENCES dossier (id),
    ahead       INTEGER,                     -- for "near": people ahead when it was queued
    state       TEXT    NOT NULL CHECK (state IN ('queued', 'sent', 'failed', 'capped')),
    tries       INTEGER NOT NULL DEFAULT 0,
    next_ms     INTEGER NOT NULL,            -- not before (retries back off)
    created_ms  INTEGER NOT NULL,
    done_ms     INTEGER,
    detail      TEXT                         -- the modem's last answer, or why it was not sent
);
CREATE UNIQUE INDEX sms_outbox_once ON sms_outbox (kind, coalesce(ticket_id, 0), coalesce(dossier_id, 0));
CREATE INDEX sms_outbox_due ON sms_outbox (state, next_ms) WHERE state = 'queued';
CREATE INDEX sms_outbox_phone_day ON sms_outbox (day, phone);

-- The phone a dossier's "result ready" message goes to: set only from a consent, never from
-- `applicant_phone` (which is for verification). Cleared with the other personal data.
ALTER TABLE dossier ADD COLUMN sms_phone TEXT;

-- "Đã có kết quả": a dossier reaching status 9 with consent queues its message, once.
CREATE TRIGGER sms_ready AFTER INSERT ON dossier_event
WHEN NEW.status = 9
BEGIN
    INSERT OR IGNORE INTO sms_outbox (day, phone, kind, dossier_id, state, next_ms, created_ms)
    SELECT strftime('%Y-%m-%d', NEW.at_ms / 1000, 'unixepoch', '+7 hours'), sms_phone, 'ready', id, 'queued',
           NEW.at_ms, NEW.at_ms
    FROM dossier WHERE id = NEW.dossier_id AND sms_phone IS NOT NULL;
END;

-- A dossier received under a ticket with consent takes the consent's phone.
CREATE TRIGGER sms_dossier_consent AFTER INSERT ON dossier
WHEN NEW.ticket_id IS NOT NULL
BEGIN
    UPDATE dossier SET sms_phone = (SELECT phone FROM sms_consent WHERE ticket_id = NEW.ticket_id)
    WHERE id = NEW.id AND sms_phone IS NULL;
END;

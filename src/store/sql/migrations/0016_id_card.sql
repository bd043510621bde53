-- The chip ID card a citizen scanned at the kiosk when taking a number: the ID number, the date of birth
-- and, when the scanner delivered it intact, the name. Nothing else of the card is kept, and nothing of it
-- is written to events. A row lives only until the counter needs it no more: triggers erase it when the
-- ticket is done, not shown, voided or closed, and when a dossier is received under the ticket; the hub
-- erases rows of earlier days. The writer deletes with `secure_delete` on, and `meta.cards_erased` counts
-- erasures so that the hub can checkpoint the erased bytes out of the write-ahead log.
CREATE TABLE id_card (
    ticket_id  INTEGER PRIMARY KEY REFERENCES ticket (id),
    day        TEXT    NOT NULL,            -- the ticket's day: rows of an earlier day are erased
    id_number  TEXT    NOT NULL CHECK (length(id_number) = 12),
    birth      TEXT    NOT NULL,            -- yyyy-mm-dd
    name       TEXT,                        -- NULL when the scanner mangled it
    taken_ms   INTEGER NOT NULL
);

INSERT INTO meta (key, value) VALUES ('cards_erased', '0');

CREATE TRIGGER id_card_ticket_over AFTER UPDATE OF state ON ticket
WHEN NEW.state IN ('done', 'no_show', 'voided', 'closed')
BEGIN
    DELETE FROM id_card WHERE ticket_id = NEW.id;
END;

CREATE TRIGGER id_card_dossier_received AFTER INSERT ON dossier
WHEN NEW.ticket_id IS NOT NULL
BEGIN
    DELETE FROM id_card WHERE ticket_id = NEW.ticket_id;
END;

CREATE TRIGGER id_card_erased AFTER DELETE ON id_card
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'cards_erased';
END;

-- What the counter confirmed from the card (or typed) when receiving a dossier: cleared with the name and
-- phone `[dossiers] purge_after_days` after the hand-over.
ALTER TABLE dossier ADD COLUMN applicant_id TEXT;
ALTER TABLE dossier ADD COLUMN applicant_birth TEXT;

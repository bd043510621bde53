-- A dossier's first appointment is never erased: a new one (form 04, an import, the back office) changes
-- `appointment_ms` only, and on time is measured against the first, so a late dossier stays late.
ALTER TABLE dossier ADD COLUMN first_appointment_ms INTEGER;
UPDATE dossier SET first_appointment_ms = appointment_ms;

-- Each Circular 03/2025 form printed at a counter for a dossier: 02 request for more documents, 03 refusal,
-- 04 apology with a new appointment. Reports count apology letters printed against those needed.
CREATE TABLE dossier_form (
    id              INTEGER PRIMARY KEY,
    dossier_id      INTEGER NOT NULL REFERENCES dossier (id),
    form            TEXT    NOT NULL CHECK (form IN ('02', '03', '04')),
    at_ms           INTEGER NOT NULL,
    counter         INTEGER,
    staff_id        INTEGER REFERENCES staff (id),
    detail          TEXT    NOT NULL DEFAULT '',
    appointment_ms  INTEGER                          -- form 04: the new appointment
);
CREATE INDEX dossier_form_dossier ON dossier_form (dossier_id, form);
CREATE INDEX dossier_form_at ON dossier_form (at_ms);

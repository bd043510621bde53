-- Working-day calendars entered by staff on /quan-tri/lich: one row per year, the year's file as text (the
-- form of assets/calendar/YYYY.toml). It takes the place of a bundled year or a calendar_dir file of the
-- same year.
CREATE TABLE calendar_year (
    year     INTEGER PRIMARY KEY,
    body     TEXT    NOT NULL,
    saved_at TEXT    NOT NULL,
    actor    TEXT    NOT NULL
);

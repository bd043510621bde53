-- The province's catalog as the hall last pulled it (docs/province.md, "The province's catalog"): each
-- procedure's version at the province and its text. A procedure the hall follows is published from it;
-- one the hall edited, added or retired itself shows it beside its own on /quan-tri until the hall
-- accepts it.
CREATE TABLE province_procedure (
    code         TEXT    PRIMARY KEY,
    version      INTEGER NOT NULL,
    published_at TEXT    NOT NULL,
    body         TEXT    NOT NULL
);

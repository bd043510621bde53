-- Staff's drafts on /quan-tri: one per procedure page and staff member, kept until it is published or
-- thrown away, so a closed tab or a power cut loses nothing. `page` is the code in the page's address
-- ('moi' for a new procedure); `base` the version the draft began from (0: none); `body` the procedure's
-- JSON as last saved, readable or not.
CREATE TABLE catalog_draft (
    page     TEXT    NOT NULL,
    actor    TEXT    NOT NULL,
    base     INTEGER NOT NULL,
    body     TEXT    NOT NULL,
    saved_at TEXT    NOT NULL,
    PRIMARY KEY (page, actor)
);

-- Every edit of the catalog by staff, with who and when: a draft saved or thrown away, a version published,
-- a procedure retired. Imports are in procedure_version (its source) and catalog_import.
CREATE TABLE catalog_edit (
    id      INTEGER PRIMARY KEY,
    page    TEXT    NOT NULL,
    at      TEXT    NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL CHECK (action IN ('draft', 'discard', 'publish', 'retire')),
    version INTEGER NOT NULL
);
CREATE INDEX catalog_edit_page ON catalog_edit (page, id);

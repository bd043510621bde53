-- Province accounts: who may read which halls' reports and health. `all_halls`, or the halls listed.
CREATE TABLE account (
    username      TEXT        PRIMARY KEY,
    name          TEXT        NOT NULL,
    password_hash TEXT        NOT NULL,
    all_halls     BOOLEAN     NOT NULL DEFAULT false,
    halls         TEXT[]      NOT NULL DEFAULT '{}',
    disabled      BOOLEAN     NOT NULL DEFAULT false,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A browser's login: the SHA-256 of its cookie, the CSRF token its forms carry, when it ends.
CREATE TABLE account_session (
    token_hash TEXT        PRIMARY KEY,
    username   TEXT        NOT NULL REFERENCES account (username) ON DELETE CASCADE,
    csrf       TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX account_session_expires ON account_session (expires_at);

-- Editors, their sessions, the audit trail and readers' suggestions.

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role                 TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
    -- argon2id PHC string; the password itself is never stored.
    password_hash        TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    password_changed_at  TEXT NOT NULL,
    disabled_at          TEXT
);

-- Server-side sessions (tower-sessions records); the cookie holds only the id.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      INTEGER REFERENCES users (id) ON DELETE CASCADE,
    data         BLOB NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
CREATE INDEX sessions_user_id ON sessions (user_id);

-- Failed sign-ins, to slow down password guessing per account and per address.
CREATE TABLE failed_logins (
    id            INTEGER PRIMARY KEY,
    user_name     TEXT NOT NULL COLLATE NOCASE,
    address       TEXT NOT NULL,
    attempted_at  INTEGER NOT NULL
);
CREATE INDEX failed_logins_user_name ON failed_logins (user_name, attempted_at);
CREATE INDEX failed_logins_address ON failed_logins (address, attempted_at);

-- Who recorded a status change, when an editor did.
ALTER TABLE status_updates ADD COLUMN user_id INTEGER REFERENCES users (id);

-- Every write to a commitment: who, when, what, and the commitment's state
-- before and after (JSON snapshots), so history can be shown and reverted.
CREATE TABLE revisions (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL REFERENCES commitments (id),
    -- The commitment version this revision produced.
    version        INTEGER NOT NULL,
    user_id        INTEGER REFERENCES users (id),
    recorded_by    TEXT NOT NULL,
    action         TEXT NOT NULL,
    summary        TEXT NOT NULL,
    before_json    TEXT,
    after_json     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (commitment_id, version)
);

CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are append-only');
END;
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are append-only');
END;

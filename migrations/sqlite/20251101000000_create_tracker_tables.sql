-- Core tables of the tracker. Naming: plural table names, `id` primary keys,
-- `<singular>_id` foreign keys. Dates are ISO-8601 TEXT (YYYY-MM-DD), instants
-- are RFC 3339 TEXT in UTC, so they sort correctly as strings.

CREATE TABLE summits (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    location    TEXT NOT NULL,
    summary     TEXT NOT NULL
);

CREATE TABLE parties (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE CHECK (length(code) = 2 AND code = lower(code)),
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL,
    leader      TEXT NOT NULL
);

CREATE TABLE commitments (
    id                    INTEGER PRIMARY KEY,
    summit_id             INTEGER NOT NULL REFERENCES summits (id),
    slug                  TEXT NOT NULL UNIQUE,
    title                 TEXT NOT NULL,
    summary               TEXT NOT NULL,
    theme                 TEXT NOT NULL CHECK (theme IN
                              ('diplomacy', 'economy', 'security', 'people_to_people', 'multilateral')),
    -- NULL means the commitment was put forward jointly.
    proposed_by_party_id  INTEGER REFERENCES parties (id),
    due_on                TEXT,
    due_note              TEXT,
    -- Order in which the commitment appears in the summit's record.
    position              INTEGER NOT NULL,
    -- Incremented by every edit; edit forms carry it to refuse lost updates.
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX commitments_summit_id_position ON commitments (summit_id, position);

-- Which parties owe a commitment. A bilateral commitment has two rows.
CREATE TABLE commitment_parties (
    commitment_id  INTEGER NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    party_id       INTEGER NOT NULL REFERENCES parties (id),
    PRIMARY KEY (commitment_id, party_id)
) WITHOUT ROWID;

CREATE TABLE sources (
    id            INTEGER PRIMARY KEY,
    publisher     TEXT NOT NULL,
    -- The document that carried the passage when it is not the publisher's own.
    via           TEXT,
    title         TEXT NOT NULL,
    published_on  TEXT NOT NULL,
    url           TEXT,
    quote         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('official_readout', 'media_report', 'analysis'))
);

CREATE TABLE commitment_sources (
    commitment_id  INTEGER NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    source_id      INTEGER NOT NULL REFERENCES sources (id),
    PRIMARY KEY (commitment_id, source_id)
) WITHOUT ROWID;
CREATE INDEX commitment_sources_source_id ON commitment_sources (source_id);

-- The status history, one row per change per owing party. Append-only: the
-- current status of a party is its latest row, so the list of rows *is* the
-- public timeline and can never be rewritten.
CREATE TABLE status_updates (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL,
    party_id       INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN
                       ('not_yet_rated', 'in_progress', 'stalled', 'partly_fulfilled', 'fulfilled', 'not_fulfilled')),
    effective_on   TEXT NOT NULL,
    note           TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    -- A status can only be recorded for a party that owes the commitment.
    FOREIGN KEY (commitment_id, party_id) REFERENCES commitment_parties (commitment_id, party_id)
);
CREATE INDEX status_updates_commitment_party
    ON status_updates (commitment_id, party_id, effective_on, id);

CREATE TRIGGER status_updates_no_update BEFORE UPDATE ON status_updates
BEGIN
    SELECT RAISE(ABORT, 'status history is append-only');
END;

CREATE TRIGGER status_updates_no_delete BEFORE DELETE ON status_updates
BEGIN
    SELECT RAISE(ABORT, 'status history is append-only');
END;

-- The evidence behind each status change.
CREATE TABLE status_update_sources (
    status_update_id  INTEGER NOT NULL REFERENCES status_updates (id),
    source_id         INTEGER NOT NULL REFERENCES sources (id),
    PRIMARY KEY (status_update_id, source_id)
) WITHOUT ROWID;

-- Readers' suggested status updates, waiting for an editor's decision.
CREATE TABLE suggestions (
    id                   INTEGER PRIMARY KEY,
    commitment_id        INTEGER NOT NULL REFERENCES commitments (id),
    -- A party code, or 'all' for every owing party.
    party                TEXT NOT NULL,
    proposed_status      TEXT NOT NULL CHECK (proposed_status IN
                             ('not_yet_rated', 'in_progress', 'stalled', 'partly_fulfilled', 'fulfilled', 'not_fulfilled')),
    effective_on         TEXT NOT NULL,
    note                 TEXT NOT NULL,
    source_publisher     TEXT NOT NULL,
    source_title         TEXT NOT NULL,
    source_published_on  TEXT NOT NULL,
    source_url           TEXT,
    source_quote         TEXT NOT NULL,
    source_kind          TEXT NOT NULL CHECK (source_kind IN ('official_readout', 'media_report', 'analysis')),
    contact              TEXT,
    submitted_from       TEXT NOT NULL,
    submitted_at         TEXT NOT NULL,
    state                TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'rejected')),
    decided_by           INTEGER REFERENCES users (id),
    decided_at           TEXT,
    decision_reason      TEXT,
    -- The status change an accepted suggestion became.
    status_update_id     INTEGER REFERENCES status_updates (id)
);
CREATE INDEX suggestions_state ON suggestions (state, submitted_at);
CREATE INDEX suggestions_submitted_from ON suggestions (submitted_from, submitted_at);

-- What readers filter, sort and search by, kept next to the rows they describe
-- so that a list page reads one table through indexes instead of replaying
-- every commitment's history. Triggers maintain these columns from the
-- append-only tables, so no write path can forget to.

-- Whether a due date is stated in a source or inferred (due_note says why).
ALTER TABLE commitments ADD COLUMN due_basis TEXT CHECK (due_basis IN ('explicit', 'inferred'));
UPDATE commitments
SET due_basis = CASE WHEN due_note LIKE 'Inferred: %' THEN 'inferred' ELSE 'explicit' END,
    due_note = CASE WHEN due_note LIKE 'Inferred: %' THEN substr(due_note, 11) ELSE due_note END
WHERE due_on IS NOT NULL;

-- Each owing party's current status: its latest status update by effective
-- date, then by recording order (the same rule the timeline uses).
ALTER TABLE commitment_parties ADD COLUMN status TEXT NOT NULL DEFAULT 'not_yet_rated';
ALTER TABLE commitment_parties ADD COLUMN status_since TEXT;
ALTER TABLE commitment_parties ADD COLUMN status_update_id INTEGER;

UPDATE commitment_parties
SET status_update_id = (
        SELECT su.id FROM status_updates su
        WHERE su.commitment_id = commitment_parties.commitment_id
          AND su.party_id = commitment_parties.party_id
        ORDER BY su.effective_on DESC, su.id DESC LIMIT 1);
UPDATE commitment_parties
SET status = coalesce((SELECT su.status FROM status_updates su WHERE su.id = commitment_parties.status_update_id), 'not_yet_rated'),
    status_since = (SELECT su.effective_on FROM status_updates su WHERE su.id = commitment_parties.status_update_id);

-- A new update becomes current unless an existing one takes effect later
-- (a back-dated entry joins the history without changing the present).
CREATE TRIGGER status_updates_set_current AFTER INSERT ON status_updates
BEGIN
    UPDATE commitment_parties
    SET status = NEW.status, status_since = NEW.effective_on, status_update_id = NEW.id
    WHERE commitment_id = NEW.commitment_id AND party_id = NEW.party_id
      AND (status_since IS NULL OR status_since <= NEW.effective_on);
    UPDATE commitments
    SET last_changed_on = max(coalesce(last_changed_on, ''), NEW.effective_on)
    WHERE id = NEW.commitment_id;
END;

-- The overall status (model::Status::overall): the least advanced owing
-- party's status; the ranking matches Status::advancement, which a test checks.
ALTER TABLE commitments ADD COLUMN overall_status TEXT NOT NULL DEFAULT 'not_yet_rated';
ALTER TABLE commitments ADD COLUMN last_changed_on TEXT;
ALTER TABLE commitments ADD COLUMN source_count INTEGER NOT NULL DEFAULT 0;

CREATE VIEW status_ranks (status, rank) AS
    VALUES ('not_fulfilled', 0), ('not_yet_rated', 1), ('stalled', 2),
           ('in_progress', 3), ('partly_fulfilled', 4), ('fulfilled', 5);

UPDATE commitments
SET overall_status = coalesce((
        SELECT cp.status FROM commitment_parties cp JOIN status_ranks r ON r.status = cp.status
        WHERE cp.commitment_id = commitments.id ORDER BY r.rank LIMIT 1), 'not_yet_rated'),
    last_changed_on = (SELECT max(su.effective_on) FROM status_updates su WHERE su.commitment_id = commitments.id),
    source_count = (SELECT count(*) FROM commitment_sources cs WHERE cs.commitment_id = commitments.id);

CREATE TRIGGER commitment_parties_overall_on_update AFTER UPDATE OF status ON commitment_parties
BEGIN
    UPDATE commitments
    SET overall_status = coalesce((
            SELECT cp.status FROM commitment_parties cp JOIN status_ranks r ON r.status = cp.status
            WHERE cp.commitment_id = NEW.commitment_id ORDER BY r.rank LIMIT 1), 'not_yet_rated')
    WHERE id = NEW.commitment_id;
END;

CREATE TRIGGER commitment_parties_overall_on_insert AFTER INSERT ON commitment_parties
BEGIN
    UPDATE commitments
    SET overall_status = coalesce((
            SELECT cp.status FROM commitment_parties cp JOIN status_ranks r ON r.status = cp.status
            WHERE cp.commitment_id = NEW.commitment_id ORDER BY r.rank LIMIT 1), 'not_yet_rated')
    WHERE id = NEW.commitment_id;
END;

CREATE TRIGGER commitment_parties_overall_on_delete AFTER DELETE ON commitment_parties
BEGIN
    UPDATE commitments
    SET overall_status = coalesce((
            SELECT cp.status FROM commitment_parties cp JOIN status_ranks r ON r.status = cp.status
            WHERE cp.commitment_id = OLD.commitment_id ORDER BY r.rank LIMIT 1), 'not_yet_rated')
    WHERE id = OLD.commitment_id;
END;

CREATE TRIGGER commitment_sources_count_on_insert AFTER INSERT ON commitment_sources
BEGIN
    UPDATE commitments SET source_count = source_count + 1 WHERE id = NEW.commitment_id;
END;

CREATE TRIGGER commitment_sources_count_on_delete AFTER DELETE ON commitment_sources
BEGIN
    UPDATE commitments SET source_count = source_count - 1 WHERE id = OLD.commitment_id;
END;

CREATE INDEX commitments_overall_status ON commitments (overall_status);
CREATE INDEX commitments_theme ON commitments (theme);
CREATE INDEX commitments_last_changed_on ON commitments (last_changed_on);
CREATE INDEX commitments_due_on ON commitments (due_on);
CREATE INDEX commitments_title ON commitments (title COLLATE NOCASE);
CREATE INDEX commitment_parties_party_status ON commitment_parties (party_id, status);
CREATE INDEX status_updates_effective_on ON status_updates (effective_on, id);

-- Full-text search over each commitment's title, summary and the quotes of
-- its sources. The index keeps its own copy of the text (rowid = commitment
-- id); the triggers below rewrite a commitment's row whenever any of that
-- text changes, so a search never sees stale or missing text.
CREATE VIRTUAL TABLE commitment_search USING fts5(
    title, summary, quotes,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO commitment_search (rowid, title, summary, quotes)
SELECT c.id, c.title, c.summary,
       coalesce((SELECT group_concat(s.quote, char(10)) FROM commitment_sources cs
                 JOIN sources s ON s.id = cs.source_id WHERE cs.commitment_id = c.id), '')
FROM commitments c;

CREATE TRIGGER commitments_search_on_insert AFTER INSERT ON commitments
BEGIN
    INSERT INTO commitment_search (rowid, title, summary, quotes) VALUES (NEW.id, NEW.title, NEW.summary, '');
END;

CREATE TRIGGER commitments_search_on_update AFTER UPDATE OF title, summary ON commitments
BEGIN
    UPDATE commitment_search SET title = NEW.title, summary = NEW.summary WHERE rowid = NEW.id;
END;

CREATE TRIGGER commitments_search_on_delete AFTER DELETE ON commitments
BEGIN
    DELETE FROM commitment_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER commitment_sources_search_on_insert AFTER INSERT ON commitment_sources
BEGIN
    UPDATE commitment_search
    SET quotes = coalesce((SELECT group_concat(s.quote, char(10)) FROM commitment_sources cs
                           JOIN sources s ON s.id = cs.source_id WHERE cs.commitment_id = NEW.commitment_id), '')
    WHERE rowid = NEW.commitment_id;
END;

CREATE TRIGGER commitment_sources_search_on_delete AFTER DELETE ON commitment_sources
BEGIN
    UPDATE commitment_search
    SET quotes = coalesce((SELECT group_concat(s.quote, char(10)) FROM commitment_sources cs
                           JOIN sources s ON s.id = cs.source_id WHERE cs.commitment_id = OLD.commitment_id), '')
    WHERE rowid = OLD.commitment_id;
END;

CREATE TRIGGER sources_search_on_update AFTER UPDATE OF quote ON sources
BEGIN
    UPDATE commitment_search
    SET quotes = coalesce((SELECT group_concat(s.quote, char(10)) FROM commitment_sources cs
                           JOIN sources s ON s.id = cs.source_id WHERE cs.commitment_id = commitment_search.rowid), '')
    WHERE rowid IN (SELECT commitment_id FROM commitment_sources WHERE source_id = NEW.id);
END;

-- List views that cost the same on page 1 and page 2,000 of 100,000
-- commitments (issue 17): each sort order has an index SQLite walks in
-- order from a cursor (keyset paging) and leaves after the page, and the
-- scoreboard's counts per status are kept by triggers instead of counted
-- over every match on each request.

-- The default order starts with the summit's date, which lives in another
-- table; no index can give an order across a join, so each commitment
-- carries a copy, kept by triggers whatever writes the summit or moves the
-- commitment.
ALTER TABLE commitments ADD COLUMN summit_held_on TEXT;
UPDATE commitments SET summit_held_on = (SELECT held_on FROM summits WHERE id = commitments.summit_id);

CREATE TRIGGER commitments_summit_held_on_on_insert AFTER INSERT ON commitments
BEGIN
    UPDATE commitments SET summit_held_on = (SELECT held_on FROM summits WHERE id = NEW.summit_id)
    WHERE id = NEW.id;
END;

CREATE TRIGGER commitments_summit_held_on_on_move AFTER UPDATE OF summit_id ON commitments
BEGIN
    UPDATE commitments SET summit_held_on = (SELECT held_on FROM summits WHERE id = NEW.summit_id)
    WHERE id = NEW.id;
END;

CREATE TRIGGER summits_held_on_to_commitments AFTER UPDATE OF held_on ON summits
BEGIN
    UPDATE commitments SET summit_held_on = NEW.held_on WHERE summit_id = NEW.id;
END;

-- Sort keys that all ascend, so that "after this commitment" is one row
-- value comparison, `(key, ..., id) > (?, ..., ?)`, which SQLite turns into
-- a seek in the index (a row value cannot mix DESC and ASC parts). Dates
-- shown newest first become 99999999 - YYYYMMDD; a commitment never
-- changed sorts after every changed one (as NULL did in DESC order); no
-- due date sorts after every due date (the list's "items without one
-- last"). Virtual columns: computed when read, stored only in the indexes.
-- domain::ListCursor computes the same keys from a cursor.
ALTER TABLE commitments ADD COLUMN summit_order INTEGER
    GENERATED ALWAYS AS (99999999 - CAST(replace(summit_held_on, '-', '') AS INTEGER)) VIRTUAL;
ALTER TABLE commitments ADD COLUMN change_order INTEGER
    GENERATED ALWAYS AS (99999999 - coalesce(CAST(replace(last_changed_on, '-', '') AS INTEGER), 0)) VIRTUAL;
ALTER TABLE commitments ADD COLUMN due_order TEXT
    GENERATED ALWAYS AS (coalesce(due_on, '9999-12-31')) VIRTUAL;
-- The title as the list sorts it (ASCII case ignored). A row value takes
-- each part's collation from its column: with `title COLLATE NOCASE` in the
-- row value SQLite seeks on the title alone and walks the rest.
ALTER TABLE commitments ADD COLUMN title_order TEXT COLLATE NOCASE
    GENERATED ALWAYS AS (title) VIRTUAL;

-- One index per sort order over the whole list. After the order's own
-- columns (which end with the id, so the order is total) each carries what
-- the filters read (status, theme, summit, due date): a filtered view walks
-- the index alone, fetching a commitment's row only for the page's rows.
CREATE INDEX commitments_list_by_summit
    ON commitments (summit_order, position, id, overall_status, theme, summit_id, due_on);
CREATE INDEX commitments_list_by_last_change
    ON commitments (change_order, summit_order, position, id, overall_status, theme, summit_id, due_on);
CREATE INDEX commitments_list_by_due
    ON commitments (due_order, summit_order, position, id, overall_status, theme, summit_id, due_on);
CREATE INDEX commitments_list_by_title
    ON commitments (title_order, summit_order, position, id, overall_status, theme, summit_id, due_on);

-- The same orders inside one summit (its page, `?summit=`), where the
-- summit's date is the same for every row.
CREATE INDEX commitments_summit_list_by_position
    ON commitments (summit_id, position, id, overall_status, theme, due_on);
CREATE INDEX commitments_summit_list_by_last_change
    ON commitments (summit_id, change_order, position, id, overall_status, theme, due_on);
CREATE INDEX commitments_summit_list_by_due
    ON commitments (summit_id, due_order, position, id, overall_status, theme, due_on);
CREATE INDEX commitments_summit_list_by_title
    ON commitments (summit_id, title_order, position, id, overall_status, theme, due_on);

-- Prefixes of the indexes above.
DROP INDEX commitments_title;
DROP INDEX commitments_summit_id_position;

-- Counting an "overdue" view: the commitments due before the latest "today"
-- of any summit's zone, with what the other filters read, from the index.
DROP INDEX commitments_due_on;
CREATE INDEX commitments_overdue ON commitments (due_on, overall_status, theme, summit_id);

-- Counting a search's hits: each hit looked up by id in this narrow index
-- instead of the commitments' wide rows (measured on 100,000: 5,359 hits
-- of "fraud" counted in 14 ms instead of 23).
CREATE INDEX commitments_by_id ON commitments (id, overall_status, theme, summit_id, due_on);

-- The scoreboard: how many commitments stand at each overall status, by
-- summit and theme (party_id 0, party_status ''), and again by owing party
-- and that party's status. Any view filtered by status, party, theme and
-- summit (without search or "overdue") sums a few of these rows instead of
-- counting its matches.
CREATE TABLE list_counts (
    party_id        INTEGER NOT NULL,
    party_status    TEXT NOT NULL,
    summit_id       INTEGER NOT NULL,
    theme           TEXT NOT NULL,
    overall_status  TEXT NOT NULL,
    count           INTEGER NOT NULL,
    PRIMARY KEY (party_id, party_status, summit_id, theme, overall_status)
) WITHOUT ROWID;

-- Each owing party's row carries copies of its commitment's summit, theme
-- and overall status, so that the party's counts are kept from that row's
-- own old and new values alone. Triggers reading the other table instead
-- would depend on the order SQLite fires them in when one status change
-- moves both a party's status and the overall status.
ALTER TABLE commitment_parties ADD COLUMN summit_id INTEGER;
ALTER TABLE commitment_parties ADD COLUMN theme TEXT;
ALTER TABLE commitment_parties ADD COLUMN overall_status TEXT;
UPDATE commitment_parties
SET (summit_id, theme, overall_status) =
    (SELECT c.summit_id, c.theme, c.overall_status FROM commitments c WHERE c.id = commitment_parties.commitment_id);

INSERT INTO list_counts (party_id, party_status, summit_id, theme, overall_status, count)
SELECT 0, '', summit_id, theme, overall_status, count(*) FROM commitments
GROUP BY summit_id, theme, overall_status;
INSERT INTO list_counts (party_id, party_status, summit_id, theme, overall_status, count)
SELECT party_id, status, summit_id, theme, overall_status, count(*) FROM commitment_parties
GROUP BY party_id, status, summit_id, theme, overall_status;

CREATE TRIGGER commitments_counted_on_insert AFTER INSERT ON commitments
BEGIN
    INSERT INTO list_counts (party_id, party_status, summit_id, theme, overall_status, count)
    VALUES (0, '', NEW.summit_id, NEW.theme, NEW.overall_status, 1)
    ON CONFLICT (party_id, party_status, summit_id, theme, overall_status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER commitments_counted_on_delete AFTER DELETE ON commitments
BEGIN
    UPDATE list_counts SET count = count - 1
    WHERE party_id = 0 AND party_status = '' AND summit_id = OLD.summit_id AND theme = OLD.theme
      AND overall_status = OLD.overall_status;
END;

CREATE TRIGGER commitments_counted_on_update AFTER UPDATE OF summit_id, theme, overall_status ON commitments
BEGIN
    UPDATE list_counts SET count = count - 1
    WHERE party_id = 0 AND party_status = '' AND summit_id = OLD.summit_id AND theme = OLD.theme
      AND overall_status = OLD.overall_status;
    INSERT INTO list_counts (party_id, party_status, summit_id, theme, overall_status, count)
    VALUES (0, '', NEW.summit_id, NEW.theme, NEW.overall_status, 1)
    ON CONFLICT (party_id, party_status, summit_id, theme, overall_status) DO UPDATE SET count = count + 1;
    UPDATE commitment_parties
    SET summit_id = NEW.summit_id, theme = NEW.theme, overall_status = NEW.overall_status
    WHERE commitment_id = NEW.id;
END;

CREATE TRIGGER commitment_parties_copy_on_insert AFTER INSERT ON commitment_parties
BEGIN
    UPDATE commitment_parties
    SET (summit_id, theme, overall_status) =
        (SELECT c.summit_id, c.theme, c.overall_status FROM commitments c WHERE c.id = NEW.commitment_id)
    WHERE commitment_id = NEW.commitment_id AND party_id = NEW.party_id;
END;

-- A row counts once its copies are filled (just after its insert).
CREATE TRIGGER commitment_parties_counted_on_update
AFTER UPDATE OF status, summit_id, theme, overall_status ON commitment_parties
BEGIN
    UPDATE list_counts SET count = count - 1
    WHERE party_id = OLD.party_id AND party_status = OLD.status AND summit_id = OLD.summit_id
      AND theme = OLD.theme AND overall_status = OLD.overall_status;
    INSERT INTO list_counts (party_id, party_status, summit_id, theme, overall_status, count)
    SELECT NEW.party_id, NEW.status, NEW.summit_id, NEW.theme, NEW.overall_status, 1
    WHERE NEW.overall_status IS NOT NULL
    ON CONFLICT (party_id, party_status, summit_id, theme, overall_status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER commitment_parties_counted_on_delete AFTER DELETE ON commitment_parties
BEGIN
    UPDATE list_counts SET count = count - 1
    WHERE party_id = OLD.party_id AND party_status = OLD.status AND summit_id = OLD.summit_id
      AND theme = OLD.theme AND overall_status = OLD.overall_status;
END;


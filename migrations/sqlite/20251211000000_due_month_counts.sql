-- Counting an "overdue" view without counting its matches one by one
-- (issue 17: 84 ms for 100,000 commitments). "Today" moves, so no trigger
-- can keep the count of what is overdue; it can keep the counts of what
-- falls due in each month. Every commitment due before the month of the
-- earliest "today" of any summit's zone is overdue in every zone, so a view
-- sums the rows of the months before it and counts only the rest of this
-- month's dues one by one (a narrow range of `commitments_overdue`).
--
-- As `list_counts` (20251209000000_keyset_list.sql), by status, theme and
-- owing party, but without the summit: a summit's view counts its own
-- commitments from the summit's index.
CREATE TABLE due_month_counts (
    party_id        INTEGER NOT NULL,
    party_status    TEXT NOT NULL,
    -- 'YYYY-MM' of the due date.
    due_month       TEXT NOT NULL,
    theme           TEXT NOT NULL,
    overall_status  TEXT NOT NULL,
    count           INTEGER NOT NULL,
    PRIMARY KEY (party_id, party_status, due_month, theme, overall_status)
) WITHOUT ROWID;

-- Each owing party's row carries a copy of its commitment's due date, as
-- it does of the summit, theme and overall status, so that its counts are
-- kept from that row's own old and new values alone.
ALTER TABLE commitment_parties ADD COLUMN due_on TEXT;
UPDATE commitment_parties
SET due_on = (SELECT c.due_on FROM commitments c WHERE c.id = commitment_parties.commitment_id);

INSERT INTO due_month_counts (party_id, party_status, due_month, theme, overall_status, count)
SELECT 0, '', substr(due_on, 1, 7), theme, overall_status, count(*) FROM commitments
WHERE due_on IS NOT NULL
GROUP BY 3, 4, 5;
INSERT INTO due_month_counts (party_id, party_status, due_month, theme, overall_status, count)
SELECT party_id, status, substr(due_on, 1, 7), theme, overall_status, count(*) FROM commitment_parties
WHERE due_on IS NOT NULL AND overall_status IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

-- A row counts while it has a due date (and, for an owing party's row, its
-- copies are filled). Each trigger takes away the old values' count and
-- adds the new values', so any sequence of writes keeps the sums. A count
-- that falls to 0 is deleted: every status change moves a count from one
-- row to another, and a view reads every row of its party.
CREATE TRIGGER commitments_due_counted_on_insert AFTER INSERT ON commitments
WHEN NEW.due_on IS NOT NULL
BEGIN
    INSERT INTO due_month_counts (party_id, party_status, due_month, theme, overall_status, count)
    VALUES (0, '', substr(NEW.due_on, 1, 7), NEW.theme, NEW.overall_status, 1)
    ON CONFLICT (party_id, party_status, due_month, theme, overall_status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER commitments_due_counted_on_delete AFTER DELETE ON commitments
WHEN OLD.due_on IS NOT NULL
BEGIN
    UPDATE due_month_counts SET count = count - 1
    WHERE party_id = 0 AND party_status = '' AND due_month = substr(OLD.due_on, 1, 7) AND theme = OLD.theme
      AND overall_status = OLD.overall_status;
    DELETE FROM due_month_counts
    WHERE party_id = 0 AND party_status = '' AND due_month = substr(OLD.due_on, 1, 7) AND theme = OLD.theme
      AND overall_status = OLD.overall_status AND count = 0;
END;

CREATE TRIGGER commitments_due_counted_on_update AFTER UPDATE OF due_on, theme, overall_status ON commitments
BEGIN
    UPDATE due_month_counts SET count = count - 1
    WHERE OLD.due_on IS NOT NULL
      AND party_id = 0 AND party_status = '' AND due_month = substr(OLD.due_on, 1, 7) AND theme = OLD.theme
      AND overall_status = OLD.overall_status;
    DELETE FROM due_month_counts
    WHERE OLD.due_on IS NOT NULL
      AND party_id = 0 AND party_status = '' AND due_month = substr(OLD.due_on, 1, 7) AND theme = OLD.theme
      AND overall_status = OLD.overall_status AND count = 0;
    INSERT INTO due_month_counts (party_id, party_status, due_month, theme, overall_status, count)
    SELECT 0, '', substr(NEW.due_on, 1, 7), NEW.theme, NEW.overall_status, 1
    WHERE NEW.due_on IS NOT NULL
    ON CONFLICT (party_id, party_status, due_month, theme, overall_status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER commitments_due_on_to_parties AFTER UPDATE OF due_on ON commitments
BEGIN
    UPDATE commitment_parties SET due_on = NEW.due_on WHERE commitment_id = NEW.id;
END;

CREATE TRIGGER commitment_parties_due_on_copy_on_insert AFTER INSERT ON commitment_parties
BEGIN
    UPDATE commitment_parties
    SET due_on = (SELECT c.due_on FROM commitments c WHERE c.id = NEW.commitment_id)
    WHERE commitment_id = NEW.commitment_id AND party_id = NEW.party_id;
END;

CREATE TRIGGER commitment_parties_due_counted_on_update
AFTER UPDATE OF status, due_on, theme, overall_status ON commitment_parties
BEGIN
    UPDATE due_month_counts SET count = count - 1
    WHERE OLD.due_on IS NOT NULL AND OLD.overall_status IS NOT NULL
      AND party_id = OLD.party_id AND party_status = OLD.status AND due_month = substr(OLD.due_on, 1, 7)
      AND theme = OLD.theme AND overall_status = OLD.overall_status;
    DELETE FROM due_month_counts
    WHERE OLD.due_on IS NOT NULL AND OLD.overall_status IS NOT NULL
      AND party_id = OLD.party_id AND party_status = OLD.status AND due_month = substr(OLD.due_on, 1, 7)
      AND theme = OLD.theme AND overall_status = OLD.overall_status AND count = 0;
    INSERT INTO due_month_counts (party_id, party_status, due_month, theme, overall_status, count)
    SELECT NEW.party_id, NEW.status, substr(NEW.due_on, 1, 7), NEW.theme, NEW.overall_status, 1
    WHERE NEW.due_on IS NOT NULL AND NEW.overall_status IS NOT NULL
    ON CONFLICT (party_id, party_status, due_month, theme, overall_status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER commitment_parties_due_counted_on_delete AFTER DELETE ON commitment_parties
WHEN OLD.due_on IS NOT NULL AND OLD.overall_status IS NOT NULL
BEGIN
    UPDATE due_month_counts SET count = count - 1
    WHERE party_id = OLD.party_id AND party_status = OLD.status AND due_month = substr(OLD.due_on, 1, 7)
      AND theme = OLD.theme AND overall_status = OLD.overall_status;
    DELETE FROM due_month_counts
    WHERE party_id = OLD.party_id AND party_status = OLD.status AND due_month = substr(OLD.due_on, 1, 7)
      AND theme = OLD.theme AND overall_status = OLD.overall_status AND count = 0;
END;

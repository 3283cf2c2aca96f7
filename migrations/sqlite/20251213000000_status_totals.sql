-- The scoreboard of the whole list (no party, theme or summit chosen) from
-- one row per overall status. `list_counts` keeps its counts by summit and
-- theme as well, so the whole list summed every summit's and theme's rows
-- of party 0 with a temporary B-tree for the GROUP BY (issue 17: about
-- 1 ms of the 100,000-commitment database's `/` and its old `?page=N`
-- links, which have no other filter). Kept from each commitment's own old
-- and new overall status, as `list_counts` is.
CREATE TABLE status_totals (
    overall_status  TEXT PRIMARY KEY NOT NULL,
    count           INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO status_totals (overall_status, count)
SELECT overall_status, count(*) FROM commitments GROUP BY overall_status;

CREATE TRIGGER commitments_totalled_on_insert AFTER INSERT ON commitments
BEGIN
    INSERT INTO status_totals (overall_status, count) VALUES (NEW.overall_status, 1)
    ON CONFLICT (overall_status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER commitments_totalled_on_delete AFTER DELETE ON commitments
BEGIN
    UPDATE status_totals SET count = count - 1 WHERE overall_status = OLD.overall_status;
END;

CREATE TRIGGER commitments_totalled_on_update AFTER UPDATE OF overall_status ON commitments
WHEN OLD.overall_status IS NOT NEW.overall_status
BEGIN
    UPDATE status_totals SET count = count - 1 WHERE overall_status = OLD.overall_status;
    INSERT INTO status_totals (overall_status, count) VALUES (NEW.overall_status, 1)
    ON CONFLICT (overall_status) DO UPDATE SET count = count + 1;
END;

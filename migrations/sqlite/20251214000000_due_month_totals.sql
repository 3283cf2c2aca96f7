-- The months before this one of an "overdue" view with no party or theme
-- chosen, from one row per month and overall status. `due_month_counts`
-- keeps its counts by theme (and party) as well, so that view summed some
-- 3,500 rows of party 0 with a temporary B-tree for the GROUP BY (issue
-- 17: 1.8 ms of the 100,000-commitment database's `/?overdue=1`, its
-- slowest list view). Kept from each commitment's own old and new due date
-- and overall status, as `due_month_counts` is; a count that falls to 0
-- stays (it adds nothing to a sum).
CREATE TABLE due_month_totals (
    -- 'YYYY-MM' of the due date.
    due_month       TEXT NOT NULL,
    overall_status  TEXT NOT NULL,
    count           INTEGER NOT NULL,
    PRIMARY KEY (due_month, overall_status)
) WITHOUT ROWID;

INSERT INTO due_month_totals (due_month, overall_status, count)
SELECT substr(due_on, 1, 7), overall_status, count(*) FROM commitments
WHERE due_on IS NOT NULL
GROUP BY 1, 2;

CREATE TRIGGER commitments_due_totalled_on_insert AFTER INSERT ON commitments
WHEN NEW.due_on IS NOT NULL
BEGIN
    INSERT INTO due_month_totals (due_month, overall_status, count)
    VALUES (substr(NEW.due_on, 1, 7), NEW.overall_status, 1)
    ON CONFLICT (due_month, overall_status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER commitments_due_totalled_on_delete AFTER DELETE ON commitments
WHEN OLD.due_on IS NOT NULL
BEGIN
    UPDATE due_month_totals SET count = count - 1
    WHERE due_month = substr(OLD.due_on, 1, 7) AND overall_status = OLD.overall_status;
END;

CREATE TRIGGER commitments_due_totalled_on_update AFTER UPDATE OF due_on, overall_status ON commitments
WHEN OLD.due_on IS NOT NEW.due_on OR OLD.overall_status IS NOT NEW.overall_status
BEGIN
    UPDATE due_month_totals SET count = count - 1
    WHERE OLD.due_on IS NOT NULL
      AND due_month = substr(OLD.due_on, 1, 7) AND overall_status = OLD.overall_status;
    INSERT INTO due_month_totals (due_month, overall_status, count)
    SELECT substr(NEW.due_on, 1, 7), NEW.overall_status, 1
    WHERE NEW.due_on IS NOT NULL
    ON CONFLICT (due_month, overall_status) DO UPDATE SET count = count + 1;
END;

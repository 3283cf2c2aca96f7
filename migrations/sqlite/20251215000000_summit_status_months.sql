-- The "statuses over time" chart of a summit's page (and of the whole
-- list) from one row per summit, month and change of overall status,
-- rather than from every day of change of every commitment of the summit
-- (issue 17: 1.9-4.3 ms of the 100,000-commitment database's summit page,
-- whose busiest commitment alone has thousands of days of change).
-- `overall_status_days` stays the record; this table sums its rows of the
-- months before the current one by summit, and the chart adds the current
-- month's days (up to the chart's "today") from `overall_status_days`
-- itself, so a change dated later this month is not counted early.
--
-- previous_status is '' where `overall_status_days` has NULL (a primary
-- key column cannot be NULL). A count that falls to 0 stays: it adds
-- nothing to a sum.
CREATE TABLE summit_status_months (
    summit_id       INTEGER NOT NULL,
    -- 'YYYY-MM' of the day of change.
    month           TEXT NOT NULL,
    overall_status  TEXT NOT NULL,
    previous_status TEXT NOT NULL,
    count           INTEGER NOT NULL,
    PRIMARY KEY (summit_id, month, overall_status, previous_status)
) WITHOUT ROWID;

INSERT INTO summit_status_months (summit_id, month, overall_status, previous_status, count)
SELECT c.summit_id, substr(o.day, 1, 7), o.overall_status, coalesce(o.previous_status, ''), count(*)
FROM overall_status_days o JOIN commitments c ON c.id = o.commitment_id
GROUP BY 1, 2, 3, 4;

-- The current month's days of change of every commitment, for the chart.
CREATE INDEX overall_status_days_by_day ON overall_status_days (day);

CREATE TRIGGER overall_status_days_summed_on_insert AFTER INSERT ON overall_status_days
BEGIN
    INSERT INTO summit_status_months (summit_id, month, overall_status, previous_status, count)
    SELECT c.summit_id, substr(NEW.day, 1, 7), NEW.overall_status, coalesce(NEW.previous_status, ''), 1
    FROM commitments c WHERE c.id = NEW.commitment_id
    ON CONFLICT (summit_id, month, overall_status, previous_status) DO UPDATE SET count = count + 1;
END;

-- The status history's trigger updates rows of `overall_status_days` in
-- place and never deletes one; and a commitment with a history cannot be
-- deleted (its status updates are append-only), so the commitment this
-- looks up is there whenever a row goes.
CREATE TRIGGER overall_status_days_summed_on_delete AFTER DELETE ON overall_status_days
BEGIN
    UPDATE summit_status_months SET count = count - 1
    WHERE summit_id = (SELECT summit_id FROM commitments WHERE id = OLD.commitment_id)
      AND month = substr(OLD.day, 1, 7) AND overall_status = OLD.overall_status
      AND previous_status = coalesce(OLD.previous_status, '');
END;

CREATE TRIGGER overall_status_days_summed_on_update AFTER UPDATE ON overall_status_days
BEGIN
    UPDATE summit_status_months SET count = count - 1
    WHERE summit_id = (SELECT summit_id FROM commitments WHERE id = OLD.commitment_id)
      AND month = substr(OLD.day, 1, 7) AND overall_status = OLD.overall_status
      AND previous_status = coalesce(OLD.previous_status, '');
    INSERT INTO summit_status_months (summit_id, month, overall_status, previous_status, count)
    SELECT c.summit_id, substr(NEW.day, 1, 7), NEW.overall_status, coalesce(NEW.previous_status, ''), 1
    FROM commitments c WHERE c.id = NEW.commitment_id
    ON CONFLICT (summit_id, month, overall_status, previous_status) DO UPDATE SET count = count + 1;
END;

-- A commitment moved to another summit takes its days of change with it.
CREATE TRIGGER commitments_status_months_moved AFTER UPDATE OF summit_id ON commitments
WHEN OLD.summit_id IS NOT NEW.summit_id
BEGIN
    UPDATE summit_status_months SET count = count - moved.n
    FROM (SELECT substr(day, 1, 7) AS month, overall_status, coalesce(previous_status, '') AS previous_status,
                 count(*) AS n
          FROM overall_status_days WHERE commitment_id = NEW.id GROUP BY 1, 2, 3) moved
    WHERE summit_status_months.summit_id = OLD.summit_id
      AND summit_status_months.month = moved.month
      AND summit_status_months.overall_status = moved.overall_status
      AND summit_status_months.previous_status = moved.previous_status;
    INSERT INTO summit_status_months (summit_id, month, overall_status, previous_status, count)
    SELECT NEW.summit_id, substr(day, 1, 7), overall_status, coalesce(previous_status, ''), count(*)
    FROM overall_status_days WHERE commitment_id = NEW.id GROUP BY 2, 3, 4
    ON CONFLICT (summit_id, month, overall_status, previous_status) DO UPDATE SET count = count + excluded.count;
END;

-- `INSERT OR REPLACE` removes a replaced row without firing the delete
-- trigger above (SQLite fires it only with recursive_triggers on), so the
-- status history's trigger is redefined as an upsert, which fires the
-- update trigger. What it computes is unchanged.
DROP TRIGGER status_updates_overall_days;
CREATE TRIGGER status_updates_overall_days AFTER INSERT ON status_updates
BEGIN
    INSERT INTO overall_status_days (commitment_id, day, overall_status, previous_status)
    SELECT NEW.commitment_id, changed.day,
           (SELECT latest.status FROM (
                SELECT (SELECT su.status FROM status_updates su
                        WHERE su.commitment_id = NEW.commitment_id AND su.party_id = cp.party_id
                          AND su.effective_on <= changed.day
                        ORDER BY su.effective_on DESC, su.id DESC LIMIT 1) AS status
                FROM commitment_parties cp WHERE cp.commitment_id = NEW.commitment_id) latest
            JOIN status_ranks r ON r.status = latest.status ORDER BY r.rank LIMIT 1),
           (SELECT latest.status FROM (
                SELECT (SELECT su.status FROM status_updates su
                        WHERE su.commitment_id = NEW.commitment_id AND su.party_id = cp.party_id
                          AND su.effective_on < changed.day
                        ORDER BY su.effective_on DESC, su.id DESC LIMIT 1) AS status
                FROM commitment_parties cp WHERE cp.commitment_id = NEW.commitment_id) latest
            JOIN status_ranks r ON r.status = latest.status ORDER BY r.rank LIMIT 1)
    FROM (SELECT NEW.effective_on AS day
          UNION
          SELECT day FROM overall_status_days
          WHERE commitment_id = NEW.commitment_id AND day > NEW.effective_on) changed
    WHERE true
    ON CONFLICT (commitment_id, day) DO UPDATE
    SET overall_status = excluded.overall_status, previous_status = excluded.previous_status
    WHERE overall_status IS NOT excluded.overall_status OR previous_status IS NOT excluded.previous_status;
END;

-- The "statuses over time" chart without replaying every status update of
-- every commitment it shows (issue 17: a summit's page took 35-46 ms on the
-- generated 100,000, 12,500 updates replayed, 10,000 of them of one busy
-- commitment). For each day on which a commitment's statuses changed, its
-- overall status at the end of that day and just before it (at the end of
-- its previous day of change): the chart sums these as +1 for the new
-- status and -1 for the previous one, grouped by month, so a view's chart
-- reads one row per commitment per day of change and gets back a few per
-- month.
--
-- As the list's replay did (store::listing::status_history), the overall
-- status at a day is that of the least advanced party among those with an
-- update on or before it, each party's latest by (effective_on, id); a
-- commitment without one is not counted yet (previous_status NULL).
CREATE TABLE overall_status_days (
    commitment_id   INTEGER NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    day             TEXT NOT NULL,
    overall_status  TEXT NOT NULL,
    previous_status TEXT,
    PRIMARY KEY (commitment_id, day)
) WITHOUT ROWID;

INSERT INTO overall_status_days (commitment_id, day, overall_status, previous_status)
SELECT changed.commitment_id, changed.day,
       (SELECT latest.status FROM (
            SELECT (SELECT su.status FROM status_updates su
                    WHERE su.commitment_id = changed.commitment_id AND su.party_id = cp.party_id
                      AND su.effective_on <= changed.day
                    ORDER BY su.effective_on DESC, su.id DESC LIMIT 1) AS status
            FROM commitment_parties cp WHERE cp.commitment_id = changed.commitment_id) latest
        JOIN status_ranks r ON r.status = latest.status ORDER BY r.rank LIMIT 1),
       (SELECT latest.status FROM (
            SELECT (SELECT su.status FROM status_updates su
                    WHERE su.commitment_id = changed.commitment_id AND su.party_id = cp.party_id
                      AND su.effective_on < changed.day
                    ORDER BY su.effective_on DESC, su.id DESC LIMIT 1) AS status
            FROM commitment_parties cp WHERE cp.commitment_id = changed.commitment_id) latest
        JOIN status_ranks r ON r.status = latest.status ORDER BY r.rank LIMIT 1)
FROM (SELECT DISTINCT commitment_id, effective_on AS day FROM status_updates) changed;

-- The history is append-only (status_updates_no_update, _no_delete): an
-- update changes its own day and every later day of change of its
-- commitment (usually none: updates mostly arrive in order), whose rows
-- are replaced.
CREATE TRIGGER status_updates_overall_days AFTER INSERT ON status_updates
BEGIN
    INSERT OR REPLACE INTO overall_status_days (commitment_id, day, overall_status, previous_status)
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
          WHERE commitment_id = NEW.commitment_id AND day > NEW.effective_on) changed;
END;

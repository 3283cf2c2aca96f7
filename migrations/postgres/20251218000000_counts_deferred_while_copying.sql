-- Copying a large site (`accord migrate-db`) replays every write in one
-- transaction, and each status change stepped the kept counts one by one.
-- A few rows take nearly all those steps (status_totals has six), and in
-- one transaction every step leaves a row version that cannot be pruned
-- until it commits, so each step walked a longer chain than the last: the
-- copy of 100,000 commitments slowed to under 100 status changes a second
-- and had not finished after 71 minutes. A transaction that sets
-- `accord.defer_counts` to 'on' (only `site_copy` does, with SET LOCAL) now
-- leaves the kept counts alone, and counts them once with
-- `recount_kept_tables()` before it commits. Every other transaction steps
-- them as before; the copy is then compared with its source row by row.

CREATE FUNCTION counts_deferred() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('accord.defer_counts', true), '') = 'on'
$$;

CREATE OR REPLACE FUNCTION count_list(p_party bigint, p_status text, p_summit bigint, p_theme text, p_overall text,
                                      p_step bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_summit IS NULL OR p_theme IS NULL OR p_overall IS NULL OR counts_deferred() THEN
        RETURN;  -- a row whose copies are not filled yet counts nowhere
    END IF;
    INSERT INTO list_counts AS k (party_id, party_status, summit_id, theme, overall_status, count)
    VALUES (p_party, p_status, p_summit, p_theme, p_overall, p_step)
    ON CONFLICT (party_id, party_status, summit_id, theme, overall_status)
    DO UPDATE SET count = k.count + excluded.count;
END;
$$;

CREATE OR REPLACE FUNCTION count_due_month(p_party bigint, p_status text, p_due_on text, p_theme text,
                                           p_overall text, p_step bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_due_on IS NULL OR p_theme IS NULL OR p_overall IS NULL OR counts_deferred() THEN
        RETURN;
    END IF;
    INSERT INTO due_month_counts AS k (party_id, party_status, due_month, theme, overall_status, count)
    VALUES (p_party, p_status, substr(p_due_on, 1, 7), p_theme, p_overall, p_step)
    ON CONFLICT (party_id, party_status, due_month, theme, overall_status)
    DO UPDATE SET count = k.count + excluded.count;
    DELETE FROM due_month_counts k
    WHERE k.party_id = p_party AND k.party_status = p_status AND k.due_month = substr(p_due_on, 1, 7)
      AND k.theme = p_theme AND k.overall_status = p_overall AND k.count = 0;
END;
$$;

CREATE OR REPLACE FUNCTION commitments_totalled() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF counts_deferred() THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE status_totals SET count = count - 1 WHERE overall_status = OLD.overall_status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO status_totals AS k (overall_status, count) VALUES (NEW.overall_status, 1)
        ON CONFLICT (overall_status) DO UPDATE SET count = k.count + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION commitments_due_totalled() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF counts_deferred() THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.due_on IS NOT NULL THEN
        UPDATE due_month_totals SET count = count - 1
        WHERE due_month = substr(OLD.due_on, 1, 7) AND overall_status = OLD.overall_status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.due_on IS NOT NULL THEN
        INSERT INTO due_month_totals AS k (due_month, overall_status, count)
        VALUES (substr(NEW.due_on, 1, 7), NEW.overall_status, 1)
        ON CONFLICT (due_month, overall_status) DO UPDATE SET count = k.count + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION overall_status_days_summed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF counts_deferred() THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE summit_status_months m SET count = m.count - 1
        WHERE m.summit_id = (SELECT summit_id FROM commitments WHERE id = OLD.commitment_id)
          AND m.month = substr(OLD.day, 1, 7) AND m.overall_status = OLD.overall_status
          AND m.previous_status = coalesce(OLD.previous_status, '');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO summit_status_months AS m (summit_id, month, overall_status, previous_status, count)
        SELECT c.summit_id, substr(NEW.day, 1, 7), NEW.overall_status, coalesce(NEW.previous_status, ''), 1
        FROM commitments c WHERE c.id = NEW.commitment_id
        ON CONFLICT (summit_id, month, overall_status, previous_status) DO UPDATE SET count = m.count + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION commitments_status_months_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF counts_deferred() THEN
        RETURN NULL;
    END IF;
    UPDATE summit_status_months m SET count = m.count - moved.n
    FROM (SELECT substr(day, 1, 7) AS month, overall_status, coalesce(previous_status, '') AS previous_status,
                 count(*) AS n
          FROM overall_status_days WHERE commitment_id = NEW.id GROUP BY 1, 2, 3) moved
    WHERE m.summit_id = OLD.summit_id AND m.month = moved.month
      AND m.overall_status = moved.overall_status AND m.previous_status = moved.previous_status;
    INSERT INTO summit_status_months AS m (summit_id, month, overall_status, previous_status, count)
    SELECT NEW.summit_id, substr(day, 1, 7), overall_status, coalesce(previous_status, ''), count(*)
    FROM overall_status_days WHERE commitment_id = NEW.id GROUP BY 2, 3, 4
    ON CONFLICT (summit_id, month, overall_status, previous_status) DO UPDATE SET count = m.count + excluded.count;
    RETURN NULL;
END;
$$;

-- The kept counts, counted afresh from the rows they count: what the
-- triggers above keep step by step (a row or a copy not yet filled counts
-- nowhere, as there).
CREATE FUNCTION recount_kept_tables() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM list_counts;
    INSERT INTO list_counts (party_id, party_status, summit_id, theme, overall_status, count)
    SELECT 0, '', summit_id, theme, overall_status, count(*)
    FROM commitments
    WHERE summit_id IS NOT NULL AND theme IS NOT NULL AND overall_status IS NOT NULL
    GROUP BY summit_id, theme, overall_status
    UNION ALL
    SELECT party_id, status, summit_id, theme, overall_status, count(*)
    FROM commitment_parties
    WHERE summit_id IS NOT NULL AND theme IS NOT NULL AND overall_status IS NOT NULL
    GROUP BY party_id, status, summit_id, theme, overall_status;

    DELETE FROM due_month_counts;
    INSERT INTO due_month_counts (party_id, party_status, due_month, theme, overall_status, count)
    SELECT 0, '', substr(due_on, 1, 7), theme, overall_status, count(*)
    FROM commitments
    WHERE due_on IS NOT NULL AND theme IS NOT NULL AND overall_status IS NOT NULL
    GROUP BY substr(due_on, 1, 7), theme, overall_status
    UNION ALL
    SELECT party_id, status, substr(due_on, 1, 7), theme, overall_status, count(*)
    FROM commitment_parties
    WHERE due_on IS NOT NULL AND theme IS NOT NULL AND overall_status IS NOT NULL
    GROUP BY party_id, status, substr(due_on, 1, 7), theme, overall_status;

    DELETE FROM status_totals;
    INSERT INTO status_totals (overall_status, count)
    SELECT overall_status, count(*) FROM commitments GROUP BY overall_status;

    DELETE FROM due_month_totals;
    INSERT INTO due_month_totals (due_month, overall_status, count)
    SELECT substr(due_on, 1, 7), overall_status, count(*)
    FROM commitments WHERE due_on IS NOT NULL
    GROUP BY substr(due_on, 1, 7), overall_status;

    DELETE FROM summit_status_months;
    INSERT INTO summit_status_months (summit_id, month, overall_status, previous_status, count)
    SELECT c.summit_id, substr(d.day, 1, 7), d.overall_status, coalesce(d.previous_status, ''), count(*)
    FROM overall_status_days d JOIN commitments c ON c.id = d.commitment_id
    GROUP BY c.summit_id, substr(d.day, 1, 7), d.overall_status, coalesce(d.previous_status, '');
END;
$$;

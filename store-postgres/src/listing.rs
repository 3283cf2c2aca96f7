//! Commitments' list rows, as rows (the twin of `store::listing`'s
//! statements that read rows by id).

use sqlx::PgPool;
use store_rows::{ListKeyRow, PartyRow, PartyStatusRow, SummaryRow};

/// The list rows of the given commitments, in the order of `ids`, and
/// their parties' current statuses; both at once.
pub async fn summaries_by_ids(
    pool: &PgPool,
    ids: &[i64],
) -> Result<(Vec<SummaryRow>, Vec<PartyStatusRow>), sqlx::Error> {
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"SELECT c.id AS "id!", c.slug AS "slug!", c.title AS "title!", c.summary AS "summary!",
                  c.theme AS "theme!", c.due_on::date AS "due_on?", c.due_basis,
                  c.source_count AS "source_count!", c.last_changed_on::date AS "last_changed_on?",
                  s.slug AS "summit_slug!", s.title AS "summit_title!", s.held_on::date AS "summit_held_on!",
                  s.time_zone AS "summit_time_zone!"
           FROM unnest($1::bigint[]) WITH ORDINALITY AS wanted (id, place)
           JOIN commitments c ON c.id = wanted.id
           JOIN summits s ON s.id = c.summit_id
           ORDER BY wanted.place"#,
        ids
    )
    .fetch_all(pool);
    let statuses = sqlx::query_as!(
        PartyStatusRow,
        r#"SELECT cp.commitment_id AS "commitment_id!", p.code AS "code!", p.short_name AS "short_name!",
                  cp.status AS "status!", cp.status_since::date AS "since?"
           FROM commitment_parties cp
           JOIN parties p ON p.id = cp.party_id
           WHERE cp.commitment_id = ANY($1)
           ORDER BY cp.commitment_id, p.id"#,
        ids
    )
    .fetch_all(pool);
    tokio::try_join!(rows, statuses)
}

/// The parties, in the order they were added.
pub async fn parties<'e>(executor: impl sqlx::PgExecutor<'e>) -> Result<Vec<PartyRow>, sqlx::Error> {
    sqlx::query_as!(
        PartyRow,
        r#"SELECT code AS "code!", short_name AS "short_name!" FROM parties ORDER BY id"#
    )
    .fetch_all(executor)
    .await
}

/// A list query's filters as this engine's statements bind them.
pub struct MatchFilters<'a> {
    pub status: Option<&'a str>,
    pub party: Option<&'a str>,
    pub theme: Option<&'a str>,
    pub summit: Option<&'a str>,
    /// The commitments a search finds (`search::matching_ids`); `None`
    /// without a search.
    pub searched: Option<&'a [i64]>,
    pub overdue: bool,
    /// Each summit time zone's name and the day it is there, for
    /// "overdue".
    pub zones: Vec<String>,
    pub days: Vec<String>,
}

/// The list's order, by the sort keys the schema keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchOrder {
    Summit,
    LastChange,
    Due,
    Title,
}

/// Which way a seek walks the view's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Walk {
    Forward,
    Backward,
}

/// Where a seek starts (exclusive), in the order's own types: the lead as a
/// number (the last change's order) or as text (the due date's and the
/// title's order; unread by the summit's order), then the summit's order
/// (`None` inside one summit, where every row has its summit's), the
/// position and the id. `store::listing` makes it from a cursor as SQLite's
/// seek key, with the same edges: before every row, or after every one.
pub struct SeekFrom {
    pub lead_number: i64,
    pub lead_text: String,
    pub summit_order: Option<i64>,
    pub position: i64,
    pub id: i64,
}

/// Up to `limit` matches (every one for `None`) after (or, walking
/// backward, before) `from` in `order`, after skipping `offset`, each with
/// the parts of its key. The filters are those of SQLite's list statement
/// (`store::listing`), each skipped when its parameter is NULL: a party's
/// own status with a party, the overall one without; "overdue" compares a
/// due date with the day in its summit's zone, and with the earliest and
/// latest of those days as SQLite's does. A title lead is a title as
/// written; SQLite compares it under `NOCASE`, so here it is folded as
/// `title_order` is.
pub async fn seek(
    pool: &PgPool,
    filters: &MatchFilters<'_>,
    order: MatchOrder,
    walk: Walk,
    from: &SeekFrom,
    limit: Option<i64>,
    offset: i64,
) -> Result<Vec<ListKeyRow>, sqlx::Error> {
    macro_rules! seek_sql {
        ($lead:expr, $seek:literal, $order:literal) => {
            sqlx::query_as!(
                ListKeyRow,
                r#"SELECT c.id AS "id!", c.overall_status AS "overall_status!",
                          c.summit_held_on::date AS "summit_held_on!", c.position AS "position!",
                          c.last_changed_on::date AS "last_changed_on?", c.due_on::date AS "due_on?",
                          c.title AS "title!"
                   FROM commitments c
                   WHERE ($4::text IS NULL OR c.summit_id = (SELECT id FROM summits WHERE slug = $4))
                     AND ($2::text IS NULL OR EXISTS (
                             SELECT 1 FROM commitment_parties cp
                             WHERE cp.commitment_id = c.id
                               AND cp.party_id = (SELECT id FROM parties WHERE code = $2)
                               AND ($1::text IS NULL OR cp.status = $1)))
                     AND ($1::text IS NULL OR $2::text IS NOT NULL OR c.overall_status = $1)
                     AND ($3::text IS NULL OR c.theme = $3)
                     AND ($5::bigint[] IS NULL OR c.id = ANY($5))
                     AND (NOT $6 OR (c.due_on IS NOT NULL AND c.overall_status <> 'fulfilled'
                                     AND (c.due_on < (SELECT min(day) FROM unnest($8::text[]) AS day)
                                          OR (c.due_on < (SELECT max(day) FROM unnest($8::text[]) AS day)
                                              AND c.due_on < (SELECT z.day FROM unnest($7::text[], $8::text[]) AS z (zone, day)
                                                              WHERE z.zone = (SELECT time_zone FROM summits
                                                                              WHERE id = c.summit_id))))))
                     AND "# + $seek + r#"
                   ORDER BY "# + $order + r#"
                   LIMIT $9 OFFSET $10"#,
                filters.status,
                filters.party,
                filters.theme,
                filters.summit,
                filters.searched,
                filters.overdue,
                &filters.zones,
                &filters.days,
                limit,
                offset,
                $lead,
                from.summit_order,
                from.position,
                from.id
            )
            .fetch_all(pool)
            .await
        };
    }
    match (order, walk) {
        (MatchOrder::Summit, Walk::Forward) => seek_sql!(
            from.lead_number,
            "$11::bigint IS NOT NULL AND (c.summit_order, c.position, c.id) > (coalesce($12, c.summit_order), $13, $14)",
            "c.summit_order, c.position, c.id"
        ),
        (MatchOrder::Summit, Walk::Backward) => seek_sql!(
            from.lead_number,
            "$11::bigint IS NOT NULL AND (c.summit_order, c.position, c.id) < (coalesce($12, c.summit_order), $13, $14)",
            "c.summit_order DESC, c.position DESC, c.id DESC"
        ),
        (MatchOrder::LastChange, Walk::Forward) => seek_sql!(
            from.lead_number,
            "(c.change_order, c.summit_order, c.position, c.id) > ($11, coalesce($12, c.summit_order), $13, $14)",
            "c.change_order, c.summit_order, c.position, c.id"
        ),
        (MatchOrder::LastChange, Walk::Backward) => seek_sql!(
            from.lead_number,
            "(c.change_order, c.summit_order, c.position, c.id) < ($11, coalesce($12, c.summit_order), $13, $14)",
            "c.change_order DESC, c.summit_order DESC, c.position DESC, c.id DESC"
        ),
        (MatchOrder::Due, Walk::Forward) => seek_sql!(
            &from.lead_text,
            "(c.due_order, c.summit_order, c.position, c.id) > ($11, coalesce($12, c.summit_order), $13, $14)",
            "c.due_order, c.summit_order, c.position, c.id"
        ),
        (MatchOrder::Due, Walk::Backward) => seek_sql!(
            &from.lead_text,
            "(c.due_order, c.summit_order, c.position, c.id) < ($11, coalesce($12, c.summit_order), $13, $14)",
            "c.due_order DESC, c.summit_order DESC, c.position DESC, c.id DESC"
        ),
        (MatchOrder::Title, Walk::Forward) => seek_sql!(
            &from.lead_text,
            "(c.title_order, c.summit_order, c.position, c.id) > (lower($11 COLLATE \"C\"), coalesce($12, c.summit_order), $13, $14)",
            "c.title_order, c.summit_order, c.position, c.id"
        ),
        (MatchOrder::Title, Walk::Backward) => seek_sql!(
            &from.lead_text,
            "(c.title_order, c.summit_order, c.position, c.id) < (lower($11 COLLATE \"C\"), coalesce($12, c.summit_order), $13, $14)",
            "c.title_order DESC, c.summit_order DESC, c.position DESC, c.id DESC"
        ),
    }
}

/// The row at `offset` in `order`, over every commitment or inside one
/// summit (`summit`, its slug), if there are that many.
pub async fn numbered_key(
    pool: &PgPool,
    summit: Option<&str>,
    order: MatchOrder,
    offset: i64,
) -> Result<Option<ListKeyRow>, sqlx::Error> {
    macro_rules! numbered_key_sql {
        ($order:literal) => {
            sqlx::query_as!(
                ListKeyRow,
                r#"SELECT c.id AS "id!", c.overall_status AS "overall_status!",
                          c.summit_held_on::date AS "summit_held_on!", c.position AS "position!",
                          c.last_changed_on::date AS "last_changed_on?", c.due_on::date AS "due_on?",
                          c.title AS "title!"
                   FROM commitments c
                   WHERE $1::text IS NULL OR c.summit_id = (SELECT id FROM summits WHERE slug = $1)
                   ORDER BY "#
                    + $order
                    + r#"
                   LIMIT 1 OFFSET $2"#,
                summit,
                offset
            )
            .fetch_optional(pool)
            .await
        };
    }
    match order {
        MatchOrder::Summit => numbered_key_sql!("c.summit_order, c.position, c.id"),
        MatchOrder::LastChange => numbered_key_sql!("c.change_order, c.summit_order, c.position, c.id"),
        MatchOrder::Due => numbered_key_sql!("c.due_order, c.summit_order, c.position, c.id"),
        MatchOrder::Title => numbered_key_sql!("c.title_order, c.summit_order, c.position, c.id"),
    }
}

/// How many of the matches stand at each overall status (code, count):
/// `seek`'s filters, the matches counted up to `limit` (every one for
/// `None`), so that a sum past the limit says "more than the limit".
pub async fn count_matches(
    pool: &PgPool,
    filters: &MatchFilters<'_>,
    limit: Option<i64>,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT hit.overall_status AS "overall_status!", count(*) AS "count!" FROM (
               SELECT c.overall_status
               FROM commitments c
               WHERE ($4::text IS NULL OR c.summit_id = (SELECT id FROM summits WHERE slug = $4))
                 AND ($2::text IS NULL OR EXISTS (
                         SELECT 1 FROM commitment_parties cp
                         WHERE cp.commitment_id = c.id
                           AND cp.party_id = (SELECT id FROM parties WHERE code = $2)
                           AND ($1::text IS NULL OR cp.status = $1)))
                 AND ($1::text IS NULL OR $2::text IS NOT NULL OR c.overall_status = $1)
                 AND ($3::text IS NULL OR c.theme = $3)
                 AND ($5::bigint[] IS NULL OR c.id = ANY($5))
                 AND (NOT $6 OR (c.due_on IS NOT NULL AND c.overall_status <> 'fulfilled'
                                 AND (c.due_on < (SELECT min(day) FROM unnest($8::text[]) AS day)
                                      OR (c.due_on < (SELECT max(day) FROM unnest($8::text[]) AS day)
                                          AND c.due_on < (SELECT z.day FROM unnest($7::text[], $8::text[]) AS z (zone, day)
                                                          WHERE z.zone = (SELECT time_zone FROM summits
                                                                          WHERE id = c.summit_id))))))
               LIMIT $9) hit
           GROUP BY hit.overall_status"#,
        filters.status,
        filters.party,
        filters.theme,
        filters.summit,
        filters.searched,
        filters.overdue,
        &filters.zones,
        &filters.days,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|row| (row.overall_status, row.count)).collect())
}

/// The scoreboard of the whole list, or of one overall status, with no
/// party, theme or summit: `status_totals` (kept by triggers), one row per
/// status.
pub async fn status_totals(pool: &PgPool, status: Option<&str>) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT overall_status AS "overall_status!", count AS "count!" FROM status_totals
           WHERE $1::text IS NULL OR overall_status = $1"#,
        status
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|row| (row.overall_status, row.count)).collect())
}

/// Views filtered by status, party, theme or summit (and no search or
/// "overdue"): the sums kept in `list_counts`, as SQLite's `list_counts`
/// statement reads them. Without a party, the rows of party 0 (every
/// commitment, party status `''`); with one, that party's rows, of one of
/// its statuses or all, as a range on the key.
pub async fn list_counts(pool: &PgPool, filters: &MatchFilters<'_>) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT overall_status AS "overall_status!", sum(count)::bigint AS "count!" FROM list_counts
           WHERE party_id = CASE WHEN $2::text IS NULL THEN 0 ELSE (SELECT id FROM parties WHERE code = $2) END
             AND party_status >= CASE WHEN $2::text IS NULL THEN '' ELSE coalesce($1::text, '') END
             AND party_status <= CASE WHEN $2::text IS NULL THEN '' ELSE coalesce($1::text, chr(1114111)) END
             AND ($2::text IS NOT NULL OR $1::text IS NULL OR overall_status = $1)
             AND ($3::text IS NULL OR theme = $3)
             AND ($4::text IS NULL OR summit_id = (SELECT id FROM summits WHERE slug = $4))
           GROUP BY overall_status"#,
        filters.status,
        filters.party,
        filters.theme,
        filters.summit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|row| (row.overall_status, row.count)).collect())
}

/// An "overdue" view with no summit or search: what was due in the months
/// before `month` ('YYYY-MM') is overdue in every zone, summed from the
/// counts kept by triggers (`due_month_totals` with no party or theme,
/// else `due_month_counts`); what is due from `month_start` (its first
/// day) on is counted one by one against the day in each summit's zone.
pub async fn overdue_counts(
    pool: &PgPool,
    filters: &MatchFilters<'_>,
    month: &str,
    month_start: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let before = async {
        if filters.party.is_none() && filters.theme.is_none() {
            let rows = sqlx::query!(
                r#"SELECT overall_status AS "overall_status!", sum(count)::bigint AS "count!" FROM due_month_totals
                   WHERE due_month < $2
                     AND overall_status <> 'fulfilled'
                     AND ($1::text IS NULL OR overall_status = $1)
                   GROUP BY overall_status"#,
                filters.status,
                month
            )
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>(
                rows.into_iter()
                    .map(|row| (row.overall_status, row.count))
                    .collect::<Vec<_>>(),
            )
        } else {
            let rows = sqlx::query!(
                r#"SELECT overall_status AS "overall_status!", sum(count)::bigint AS "count!" FROM due_month_counts
                   WHERE party_id = CASE WHEN $2::text IS NULL THEN 0 ELSE (SELECT id FROM parties WHERE code = $2) END
                     AND party_status >= CASE WHEN $2::text IS NULL THEN '' ELSE coalesce($1::text, '') END
                     AND party_status <= CASE WHEN $2::text IS NULL THEN '' ELSE coalesce($1::text, chr(1114111)) END
                     AND due_month < $4
                     AND overall_status <> 'fulfilled'
                     AND ($2::text IS NOT NULL OR $1::text IS NULL OR overall_status = $1)
                     AND ($3::text IS NULL OR theme = $3)
                   GROUP BY overall_status"#,
                filters.status,
                filters.party,
                filters.theme,
                month
            )
            .fetch_all(pool)
            .await?;
            Ok(rows.into_iter().map(|row| (row.overall_status, row.count)).collect())
        }
    };
    let this_month = async {
        let rows = sqlx::query!(
            r#"SELECT c.overall_status AS "overall_status!", count(*) AS "count!" FROM commitments c
               WHERE c.due_on >= $4
                 AND c.due_on < (SELECT max(day) FROM unnest($6::text[]) AS day)
                 AND c.due_on < (SELECT z.day FROM unnest($5::text[], $6::text[]) AS z (zone, day)
                                 WHERE z.zone = (SELECT time_zone FROM summits WHERE id = c.summit_id))
                 AND c.overall_status <> 'fulfilled'
                 AND ($2::text IS NULL OR EXISTS (
                         SELECT 1 FROM commitment_parties cp
                         WHERE cp.commitment_id = c.id
                           AND cp.party_id = (SELECT id FROM parties WHERE code = $2)
                           AND ($1::text IS NULL OR cp.status = $1)))
                 AND ($1::text IS NULL OR $2::text IS NOT NULL OR c.overall_status = $1)
                 AND ($3::text IS NULL OR c.theme = $3)
               GROUP BY c.overall_status"#,
            filters.status,
            filters.party,
            filters.theme,
            month_start,
            &filters.zones,
            &filters.days
        )
        .fetch_all(pool)
        .await?;
        Ok::<_, sqlx::Error>(
            rows.into_iter()
                .map(|row| (row.overall_status, row.count))
                .collect::<Vec<_>>(),
        )
    };
    let (mut rows, this_month) = tokio::try_join!(before, this_month)?;
    rows.extend(this_month);
    Ok(rows)
}

//! The "statuses over time" chart and the summits' listing, as rows (the
//! twins of `store::listing`'s statements). Days and months are ISO text,
//! so they compare and cut ('YYYY-MM') as on SQLite; sums are cast back to
//! `bigint` (PostgreSQL's `sum` of a `bigint` is a `numeric`).

use sqlx::PgPool;
use store_rows::{StatusChangeCountRow, SummitCountRow};

/// The changes of the given commitments' overall statuses up to `today`,
/// counted by month, the months before `window_start` counted as it.
pub async fn status_changes(
    pool: &PgPool,
    ids: &[i64],
    today: &str,
    window_start: &str,
) -> Result<Vec<StatusChangeCountRow>, sqlx::Error> {
    sqlx::query_as!(
        StatusChangeCountRow,
        r#"SELECT GREATEST(substr(o.day, 1, 7), $3) AS "month!", o.overall_status AS "overall_status!",
                  o.previous_status, count(*) AS "count!"
           FROM overall_status_days o
           WHERE o.commitment_id = ANY($1) AND o.day <= $2
           GROUP BY 1, 2, 3"#,
        ids,
        today,
        window_start
    )
    .fetch_all(pool)
    .await
}

/// As `status_changes`, for every commitment of one summit (`summit`, its
/// slug) or of every summit: the kept monthly sums before `today`'s month,
/// and the days of change of its month up to `today` itself.
pub async fn summit_status_changes(
    pool: &PgPool,
    summit: Option<&str>,
    today: &str,
    window_start: &str,
) -> Result<Vec<StatusChangeCountRow>, sqlx::Error> {
    sqlx::query_as!(
        StatusChangeCountRow,
        r#"SELECT GREATEST(m.month, $3) AS "month!", m.overall_status AS "overall_status!",
                  nullif(m.previous_status, '') AS "previous_status", sum(m.count)::bigint AS "count!"
           FROM summit_status_months m
           WHERE ($1::text IS NULL OR m.summit_id = (SELECT id FROM summits WHERE slug = $1))
             AND m.month < substr($2, 1, 7)
           GROUP BY 1, 2, 3
           HAVING sum(m.count) <> 0
           UNION ALL
           SELECT substr(o.day, 1, 7), o.overall_status, o.previous_status, count(*)
           FROM overall_status_days o
           JOIN commitments c ON c.id = o.commitment_id
           WHERE o.day >= substr($2, 1, 7) AND o.day <= $2
             AND ($1::text IS NULL OR c.summit_id = (SELECT id FROM summits WHERE slug = $1))
           GROUP BY 1, 2, 3"#,
        summit,
        today,
        window_start
    )
    .fetch_all(pool)
    .await
}

/// Every summit, newest first, with its commitments counted by overall
/// status.
pub async fn summit_counts(pool: &PgPool) -> Result<Vec<SummitCountRow>, sqlx::Error> {
    sqlx::query_as!(
        SummitCountRow,
        r#"SELECT s.slug AS "slug!", s.title AS "title!", s.held_on::date AS "held_on!", s.location AS "location!",
                  s.summary AS "summary!", s.time_zone AS "time_zone!",
                  c.overall_status AS "overall_status?", count(c.id) AS "count!"
           FROM summits s
           LEFT JOIN commitments c ON c.summit_id = s.id
           GROUP BY s.id, c.overall_status
           ORDER BY s.held_on DESC, s.id DESC"#
    )
    .fetch_all(pool)
    .await
}

//! Summits as rows (the twin of `store::summits`' statements).
//!
//! Dates are ISO text on both engines (migrations/postgres says why); a
//! read casts them to `date` so that sqlx hands back a `NaiveDate`.

use sqlx::PgPool;
use store_rows::SummitRow;

pub async fn count_summits(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "count!" FROM summits"#)
        .fetch_one(pool)
        .await
}

/// The most recent summit, the one the front page leads with.
pub async fn latest_summit(pool: &PgPool) -> Result<Option<SummitRow>, sqlx::Error> {
    sqlx::query_as!(
        SummitRow,
        r#"SELECT slug AS "slug!", title AS "title!", held_on::date AS "held_on!", location AS "location!",
                  summary AS "summary!", time_zone AS "time_zone!"
           FROM summits ORDER BY held_on DESC, id DESC LIMIT 1"#
    )
    .fetch_optional(pool)
    .await
}

/// Every summit, newest first.
pub async fn list_summits(pool: &PgPool) -> Result<Vec<SummitRow>, sqlx::Error> {
    sqlx::query_as!(
        SummitRow,
        r#"SELECT slug AS "slug!", title AS "title!", held_on::date AS "held_on!", location AS "location!",
                  summary AS "summary!", time_zone AS "time_zone!"
           FROM summits ORDER BY held_on DESC, id DESC"#
    )
    .fetch_all(pool)
    .await
}

/// The newest `limit` summits (and the one with slug `also`, when it is
/// older), newest first.
pub async fn newest_summits(pool: &PgPool, limit: i64, also: Option<&str>) -> Result<Vec<SummitRow>, sqlx::Error> {
    sqlx::query_as!(
        SummitRow,
        r#"SELECT slug AS "slug!", title AS "title!", held_on::date AS "held_on!", location AS "location!",
                  summary AS "summary!", time_zone AS "time_zone!"
           FROM summits
           WHERE id IN (SELECT id FROM summits ORDER BY held_on DESC, id DESC LIMIT $1) OR slug = $2
           ORDER BY held_on DESC, id DESC"#,
        limit,
        also
    )
    .fetch_all(pool)
    .await
}

/// How many summits there are, and every time zone one is held in.
pub async fn census(pool: &PgPool) -> Result<(i64, Vec<String>), sqlx::Error> {
    let row = sqlx::query!(r#"SELECT count(*) AS "total!", array_agg(DISTINCT time_zone) AS "zones" FROM summits"#)
        .fetch_one(pool)
        .await?;
    Ok((row.total, row.zones.unwrap_or_default()))
}

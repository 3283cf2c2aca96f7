//! When public pages last changed (the twin of `store::page_changes`).
//! SQLite's many-argument `max()` is `GREATEST` here; every argument is
//! made non-NULL first, as there, and the text compares byte by byte
//! (`COLLATE "C"`) as SQLite's does.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use store_rows::CommitmentChangeRow;

use crate::stored_text::parse_timestamp;

/// Every commitment with its last change, summit by summit in the order of
/// the summit's record.
pub async fn commitment_changes(pool: &PgPool) -> Result<Vec<CommitmentChangeRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT c.slug AS "slug!", s.slug AS "summit_slug!",
                  GREATEST(c.updated_at,
                      COALESCE((SELECT MAX(t.updated_at) FROM commitment_translations t
                                WHERE t.commitment_id = c.id), ''),
                      COALESCE((SELECT MAX(u.recorded_at) FROM status_updates u
                                WHERE u.commitment_id = c.id), ''),
                      COALESCE((SELECT MAX(v.recorded_at) FROM commitment_sources cs
                                JOIN source_versions v ON v.source_id = cs.source_id
                                WHERE cs.commitment_id = c.id), '')
                  ) AS "changed_at!"
           FROM commitments c JOIN summits s ON s.id = c.summit_id
           ORDER BY s.held_on, s.id, c.position, c.id"#
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(CommitmentChangeRow {
                slug: row.slug,
                summit_slug: row.summit_slug,
                changed_at: parse_timestamp(&row.changed_at)?,
            })
        })
        .collect()
}

/// When a commitment first appeared and when anything it shows last
/// changed.
pub async fn commitment_dates(
    pool: &PgPool,
    slug: &str,
) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT c.created_at AS "created_at!",
                  GREATEST(c.updated_at,
                      COALESCE((SELECT MAX(t.updated_at) FROM commitment_translations t
                                WHERE t.commitment_id = c.id), ''),
                      COALESCE((SELECT MAX(u.recorded_at) FROM status_updates u
                                WHERE u.commitment_id = c.id), ''),
                      COALESCE((SELECT MAX(v.recorded_at) FROM commitment_sources cs
                                JOIN source_versions v ON v.source_id = cs.source_id
                                WHERE cs.commitment_id = c.id), '')
                  ) AS "changed_at!"
           FROM commitments c WHERE c.slug = $1"#,
        slug
    )
    .fetch_optional(pool)
    .await?;
    row.map(|row| Ok((parse_timestamp(&row.created_at)?, parse_timestamp(&row.changed_at)?)))
        .transpose()
}

/// Every summit's slug, oldest summit first.
pub async fn summit_slugs(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT slug AS "slug!" FROM summits ORDER BY held_on, id"#)
        .fetch_all(pool)
        .await
}

/// The latest `updated_at` of a commitment or a translation, as stored
/// ('' for none).
pub async fn latest_update_text(pool: &PgPool) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT GREATEST(COALESCE((SELECT MAX(updated_at) FROM commitments), ''),
                           COALESCE((SELECT MAX(updated_at) FROM commitment_translations), '')) AS "latest!""#
    )
    .fetch_one(pool)
    .await
}

/// Every time zone a summit is held in, each once, by name.
pub async fn summit_time_zones(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT DISTINCT time_zone AS "time_zone!" FROM summits ORDER BY time_zone"#)
        .fetch_all(pool)
        .await
}

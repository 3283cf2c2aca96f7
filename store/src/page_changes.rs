//! When public pages last changed: what a sitemap's `<lastmod>` says and
//! what a feed's `Last-Modified` is dated by.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use crate::engine::{Engine, EngineRef};

/// One commitment's permalink and when anything it shows last changed: its
/// own fields and statuses (every write claims a new version and moves
/// `updated_at`), a translation, or a new version of a source it cites.
pub type CommitmentChange = store_rows::CommitmentChangeRow;

/// Every commitment with its last change, summit by summit in the order of
/// the summit's record.
pub async fn list_commitment_changes(db: &impl Engine) -> Result<Vec<CommitmentChange>, sqlx::Error> {
    match db.engine() {
        EngineRef::Sqlite(pool) => commitment_changes_on_sqlite(pool).await,
        EngineRef::Postgres(pool) => store_postgres::page_changes::commitment_changes(pool).await,
    }
}

async fn commitment_changes_on_sqlite(pool: &SqlitePool) -> Result<Vec<CommitmentChange>, sqlx::Error> {
    // SQLite's many-argument max() is NULL when any argument is: a
    // commitment without translations counts only its other changes.
    let rows = sqlx::query!(
        r#"SELECT c.slug AS "slug!: String", s.slug AS "summit_slug!: String",
                  max(c.updated_at,
                      COALESCE((SELECT MAX(t.updated_at) FROM commitment_translations t
                                WHERE t.commitment_id = c.id), ''),
                      COALESCE((SELECT MAX(u.recorded_at) FROM status_updates u
                                WHERE u.commitment_id = c.id), ''),
                      COALESCE((SELECT MAX(v.recorded_at) FROM commitment_sources cs
                                JOIN source_versions v ON v.source_id = cs.source_id
                                WHERE cs.commitment_id = c.id), '')
                  ) AS "changed_at!: DateTime<Utc>"
           FROM commitments c JOIN summits s ON s.id = c.summit_id
           ORDER BY s.held_on, s.id, c.position, c.id"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| CommitmentChange {
            slug: row.slug,
            summit_slug: row.summit_slug,
            changed_at: row.changed_at,
        })
        .collect())
}

/// When a commitment's permalink first appeared and when anything it shows
/// last changed (as in [`list_commitment_changes`]); `None` for no such
/// commitment.
pub async fn commitment_dates(
    db: &impl Engine,
    slug: &str,
) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>, sqlx::Error> {
    let pool = match db.engine() {
        EngineRef::Sqlite(pool) => pool,
        EngineRef::Postgres(pool) => return store_postgres::page_changes::commitment_dates(pool, slug).await,
    };
    let row = sqlx::query!(
        r#"SELECT c.created_at AS "created_at!: DateTime<Utc>",
                  max(c.updated_at,
                      COALESCE((SELECT MAX(t.updated_at) FROM commitment_translations t
                                WHERE t.commitment_id = c.id), ''),
                      COALESCE((SELECT MAX(u.recorded_at) FROM status_updates u
                                WHERE u.commitment_id = c.id), ''),
                      COALESCE((SELECT MAX(v.recorded_at) FROM commitment_sources cs
                                JOIN source_versions v ON v.source_id = cs.source_id
                                WHERE cs.commitment_id = c.id), '')
                  ) AS "changed_at!: DateTime<Utc>"
           FROM commitments c WHERE c.slug = ?1"#,
        slug
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| (row.created_at, row.changed_at)))
}

/// Every summit's slug, oldest summit first.
pub async fn list_summit_slugs(db: &impl Engine) -> Result<Vec<String>, sqlx::Error> {
    match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_scalar!(r#"SELECT slug AS "slug!: String" FROM summits ORDER BY held_on, id"#)
                .fetch_all(pool)
                .await
        }
        EngineRef::Postgres(pool) => store_postgres::page_changes::summit_slugs(pool).await,
    }
}

/// The latest change of a commitment or a translation: every write to a
/// commitment (its fields, a status change, a source it cites) claims a new
/// version and moves its `updated_at`. With the newest entry of a feed,
/// this dates every change a feed can show (entries, the titles they
/// name). `None` for an empty database. The tables of statuses, sources'
/// versions and revisions are not read: scanning them took a second at
/// 80,000 commitments, for nothing these two do not already date.
pub async fn last_change_at(db: &impl Engine) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let latest = match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_scalar!(
                r#"SELECT max(COALESCE((SELECT MAX(updated_at) FROM commitments), ''),
                      COALESCE((SELECT MAX(updated_at) FROM commitment_translations), '')) AS "latest!: String""#
            )
            .fetch_one(pool)
            .await?
        }
        EngineRef::Postgres(pool) => store_postgres::page_changes::latest_update_text(pool).await?,
    };
    if latest.is_empty() {
        return Ok(None);
    }
    // Read as the columns' other readers read it (sqlx's SQLite decoder
    // takes more forms than RFC 3339).
    store_postgres::stored_text::parse_timestamp(&latest).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[sqlx::test(migrations = "../migrations/sqlite")]
    async fn an_empty_database_has_no_changes(pool: SqlitePool) {
        assert_eq!(last_change_at(&pool).await.unwrap(), None);
        assert!(list_commitment_changes(&pool).await.unwrap().is_empty());
        assert!(list_summit_slugs(&pool).await.unwrap().is_empty());
    }
}

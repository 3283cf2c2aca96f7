//! The SQL of a PostgreSQL backup: a read-only snapshot that `pg_dump`
//! shares (`--snapshot`), so that the rows counted here are the rows the
//! dump holds, while the site keeps writing.

use sqlx::{PgConnection, Postgres, Transaction};

/// Opens a read-only, repeatable-read transaction and exports its snapshot
/// for another session (`pg_dump --snapshot=…`) to read the same data.
pub async fn begin_exported_snapshot(
    connection: &mut PgConnection,
) -> Result<(Transaction<'_, Postgres>, String), sqlx::Error> {
    use sqlx::Connection;
    let mut transaction = connection
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await?;
    let snapshot = sqlx::query_scalar!(r#"SELECT pg_export_snapshot() AS "snapshot!""#)
        .fetch_one(&mut *transaction)
        .await?;
    Ok((transaction, snapshot))
}

/// What a backup's summary counts, in one snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub commitments: i64,
    pub status_updates: i64,
    pub revisions: i64,
    pub users: i64,
    pub sessions: i64,
}

pub async fn count_rows(transaction: &mut Transaction<'_, Postgres>) -> Result<Counts, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM commitments) AS "commitments!",
                  (SELECT count(*) FROM status_updates) AS "status_updates!",
                  (SELECT count(*) FROM revisions) AS "revisions!",
                  (SELECT count(*) FROM users) AS "users!",
                  (SELECT count(*) FROM sessions) AS "sessions!""#
    )
    .fetch_one(&mut **transaction)
    .await?;
    Ok(Counts {
        commitments: row.commitments,
        status_updates: row.status_updates,
        revisions: row.revisions,
        users: row.users,
        sessions: row.sessions,
    })
}

/// Whether the database answers a query at all (the health check).
pub async fn ping(pool: &sqlx::PgPool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT 1 AS "one!""#).fetch_one(pool).await?;
    Ok(())
}

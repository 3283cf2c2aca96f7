//! The SQL of operations: checking a database file, counting what it holds,
//! copying it consistently, and asking whether it answers. The server's
//! backup, restore and health check call these; they hold no SQL of their own.

use std::path::Path;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

/// Opens a database file for reading only (a backup's source, or a file
/// about to be restored).
pub async fn open_read_only(path: &Path) -> Result<SqliteConnection, sqlx::Error> {
    SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(path).read_only(true)).await
}

/// Opens a database file to write to it (folding its WAL in before it is
/// replaced).
pub async fn open_for_writing(path: &Path) -> Result<SqliteConnection, sqlx::Error> {
    SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(path)).await
}

/// SQLite's own check of the whole file: `ok`, or what is wrong.
pub async fn integrity_check(connection: &mut SqliteConnection) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("PRAGMA integrity_check").fetch_one(connection).await
}

/// The versions of the migrations applied to the database, oldest first;
/// an error when it has no migration table (not an Accord database).
pub async fn applied_migrations(connection: &mut SqliteConnection) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(connection)
        .await
}

/// The tables a backup's summary counts.
#[derive(Clone, Copy, Debug)]
pub enum CountedTable {
    Commitments,
    StatusUpdates,
    Revisions,
    Users,
    Sessions,
}

/// How many rows a table holds.
pub async fn count_rows(connection: &mut SqliteConnection, table: CountedTable) -> Result<i64, sqlx::Error> {
    // Each statement is a literal: the table name is never spliced in.
    let sql = match table {
        CountedTable::Commitments => "SELECT COUNT(*) FROM commitments",
        CountedTable::StatusUpdates => "SELECT COUNT(*) FROM status_updates",
        CountedTable::Revisions => "SELECT COUNT(*) FROM revisions",
        CountedTable::Users => "SELECT COUNT(*) FROM users",
        CountedTable::Sessions => "SELECT COUNT(*) FROM sessions",
    };
    sqlx::query_scalar(sql).fetch_one(connection).await
}

/// Copies the database, as one read transaction sees it, into a new file at
/// `target` (SQLite's `VACUUM INTO`): consistent while others keep writing.
pub async fn vacuum_into(connection: &mut SqliteConnection, target: &str) -> Result<(), sqlx::Error> {
    sqlx::query("VACUUM INTO ?1").bind(target).execute(connection).await?;
    Ok(())
}

/// Whether the database answers a query at all (the health check).
pub async fn ping(db: &impl crate::engine::Engine) -> Result<(), sqlx::Error> {
    match db.engine() {
        crate::engine::EngineRef::Sqlite(pool) => {
            sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(pool).await?;
            Ok(())
        }
        crate::engine::EngineRef::Postgres(pool) => store_postgres::maintenance::ping(pool).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::SqlitePool;

    #[sqlx::test(migrations = "../migrations/sqlite")]
    async fn a_fresh_database_checks_out_and_counts_nothing_yet(pool: SqlitePool) {
        let mut connection = pool.acquire().await.unwrap().detach();
        assert_eq!(integrity_check(&mut connection).await.unwrap(), "ok");
        let applied = applied_migrations(&mut connection).await.unwrap();
        let known: Vec<i64> = crate::MIGRATOR.iter().map(|m| m.version).collect();
        assert_eq!(applied, known, "every embedded migration is applied, in order");
        for table in [
            CountedTable::Commitments,
            CountedTable::StatusUpdates,
            CountedTable::Revisions,
            CountedTable::Users,
            CountedTable::Sessions,
        ] {
            assert_eq!(count_rows(&mut connection, table).await.unwrap(), 0, "{table:?}");
        }
        ping(&pool).await.unwrap();
        pool.close().await;
        assert!(ping(&pool).await.is_err(), "a closed pool does not answer");
    }
}

//! Accord's data layer. All SQL lives here: one function per query, checked
//! against the schema at compile time by `sqlx::query!` (offline data in
//! `.sqlx/`). It speaks in `domain` types and knows nothing of the web. The
//! exceptions to checked SQL are `generate` (synthetic benchmark data, behind
//! the `generate` feature, which only `accord-dev` turns on), whose many-row
//! inserts are built at run time; `group_commit`'s savepoints; and
//! `maintenance`, which checks, counts and copies whole database files
//! (backups) with PRAGMAs, `VACUUM INTO` and reads of sqlx's own migration
//! table; and the two-engine tools, `schema_report` (each engine's
//! catalogue) and `site_copy` (a site copied from SQLite to PostgreSQL and
//! compared table by table), whose statements are built from the tables
//! and columns those catalogues report.

pub mod commitments;
pub mod corrections;
pub mod data_changes;
mod db;
pub mod editing;
mod editing_statements;
pub mod engine;
pub mod evidence;
pub mod form_flashes;
// The listing tests use the generator for data larger than the seed.
#[cfg(any(test, feature = "generate"))]
pub mod generate;
pub mod group_commit;
pub mod listing;
pub mod logins;
pub mod maintenance;
pub mod outside_writes;
pub mod page_changes;
pub mod page_comparison;
pub mod postgres;
// A PostgreSQL database per test, for this crate's tests and the server's.
#[cfg(any(test, feature = "postgres-tests"))]
pub mod postgres_test_database;
mod refusal;
pub mod replica_changes;
pub mod schema_report;
pub mod seed;
mod seed_statements;
pub mod sessions;
pub mod site_copy;
pub mod suggestions;
pub mod summit_dataset;
pub mod summits;
pub mod translations;
pub mod users;
pub mod zone_days;

#[cfg(test)]
mod data_changes_tests;
#[cfg(test)]
mod data_version_tests;
#[cfg(test)]
mod editing_tests;
#[cfg(test)]
mod engine_writes_tests;
#[cfg(test)]
mod engines_tests;
#[cfg(test)]
mod evidence_tests;
#[cfg(test)]
mod listing_tests;
#[cfg(test)]
mod outside_writes_tests;
#[cfg(test)]
mod replica_changes_tests;
#[cfg(test)]
mod shared_state_tests;
#[cfg(test)]
mod summit_dataset_tests;
#[cfg(test)]
mod test_fixture;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod translations_tests;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

pub use data_changes::{Acknowledgment, Change, DataChanges, Shows, Unpublished};
pub use db::{make_owner_only, Db, OWNER_ONLY};
pub use refusal::{Refusal, WriteError};

/// The embedded migrations (from the workspace's `migrations/` folder).
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// Opens (creating if missing) the SQLite database with the settings every
/// connection needs: WAL so readers never wait for a writer, foreign keys
/// enforced, and a busy timeout so concurrent writers queue instead of failing.
pub async fn connect(database_url: &str) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(database_url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // Named so that the server can find their threads and count the
        // CPU time SQLite spends on its writes (the editors' turns).
        .thread_name(|id| format!("{CONNECTION_THREAD_PREFIX}{id}"))
        // After a checkpoint restarts the WAL, the file is cut back to this
        // size instead of keeping its largest extent forever.
        .pragma("journal_size_limit", WAL_SIZE_LIMIT.to_string())
        .pragma("cache_size", format!("-{}", PAGE_CACHE_KIB));
    // SQLite creates the file but not its folder (e.g. the default `data/`).
    // An in-memory database has no file: sqlx names it `file:sqlx-in-memory-N`,
    // which must not be made on disk.
    let file = options.get_filename();
    let in_memory = database_url.contains(":memory:") || database_url.contains("mode=memory");
    if !in_memory && !file.as_os_str().is_empty() {
        if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(sqlx::Error::Io)?;
        }
        db::make_owner_only(file).map_err(sqlx::Error::Io)?;
    }
    SqlitePoolOptions::new()
        .max_connections(8)
        // sqlx pings a connection every time it is taken from the pool, to
        // catch a server that hung up. SQLite runs in this process and
        // cannot hang up; each ping was a round trip to the connection's
        // thread, four per status change (one inside the write turn).
        .test_before_acquire(false)
        .connect_with(options)
        .await
}

/// The start of the name of every pool connection's thread (sqlx runs each
/// SQLite connection on a thread of its own). Short enough that Linux keeps
/// it whole with a number after it (a thread's name is at most 15 bytes).
pub const CONNECTION_THREAD_PREFIX: &str = "accord-db-";

/// Each connection's own cache of database pages, in KiB (SQLite's default
/// is 2,000). A list page of the 100,000-commitment database reads a few
/// hundred scattered pages; with the default, the connections the pool
/// hands out in turn had evicted them, and each render read them again
/// from the operating system. The cache grows only as pages are read, so a
/// small database never fills it.
pub const PAGE_CACHE_KIB: u32 = 16 * 1024;

/// Bytes the `-wal` file is truncated to after a checkpoint restarts it.
pub const WAL_SIZE_LIMIT: u64 = 8 * 1024 * 1024;

/// A connection of its own for [`checkpoint_wal`], with a short busy
/// timeout: a full checkpoint holds back writers while it waits for
/// readers, so it gives up quickly and tries again next time rather than
/// stalling editors.
pub async fn open_checkpointer(database_url: &str) -> Result<sqlx::SqliteConnection, sqlx::Error> {
    use sqlx::ConnectOptions;
    SqliteConnectOptions::from_str(database_url)?
        .busy_timeout(Duration::from_millis(250))
        .connect()
        .await
}

/// What one checkpoint did: whether it was held back by readers or
/// writers, and the WAL's frames before and frames copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    pub busy: bool,
    pub wal_frames: i64,
    pub copied_frames: i64,
}

/// Copies the WAL into the database and, when no reader still needs it,
/// empties the `-wal` file. Readers never stop on a busy site, and SQLite's
/// own automatic checkpoints then copy frames but never restart the log, so
/// without this the WAL grows for as long as the server runs (measured:
/// 42 MB after 8 minutes of reads and writes).
pub async fn checkpoint_wal(connection: &mut sqlx::SqliteConnection) -> Result<Checkpoint, sqlx::Error> {
    let (busy, wal_frames, copied_frames): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(connection)
        .await?;
    Ok(Checkpoint {
        busy: busy != 0,
        wal_frames,
        copied_frames,
    })
}

/// Runs the embedded migrations; refuses to start on failure.
pub async fn migrate(pool: &SqlitePool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// How many connections a served site keeps to PostgreSQL, per replica
/// (readers and writers share them).
pub const POSTGRES_CONNECTIONS: u32 = 16;

/// Why the site's database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Postgres(#[from] postgres::PostgresError),
}

/// Opens the site's database that `database_url` names, on the engine its
/// scheme says (`postgres://` or `postgresql://`: PostgreSQL; anything
/// else: the SQLite file), and brings its schema up to date.
pub async fn open(database_url: &str) -> Result<Db, OpenError> {
    if postgres::is_postgres_url(database_url) {
        let pool = postgres::connect_postgres(database_url, POSTGRES_CONNECTIONS).await?;
        postgres::migrate_postgres(&pool).await?;
        Ok(Db::postgres(pool))
    } else {
        let pool = connect(database_url).await?;
        migrate(&pool).await?;
        Ok(Db::new(pool))
    }
}

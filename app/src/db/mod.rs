//! All SQL lives here: one function per query, checked against the schema at
//! compile time by `sqlx::query!` (offline data in `.sqlx/`). The exception is
//! `generate` (synthetic benchmark data), whose many-row inserts are built at
//! run time.

pub mod commitments;
pub mod editing;
pub mod generate;
pub mod listing;
pub mod logins;
pub mod seed;
pub mod sessions;
pub mod suggestions;
pub mod summits;
pub mod users;

#[cfg(test)]
mod editing_tests;
#[cfg(test)]
mod listing_tests;
#[cfg(test)]
mod tests;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

/// The embedded migrations (from the workspace's `migrations/` folder).
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Opens (creating if missing) the SQLite database with the settings every
/// connection needs: WAL so readers never wait for a writer, foreign keys
/// enforced, and a busy timeout so concurrent writers queue instead of failing.
pub async fn connect(database_url: &str) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(database_url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    // SQLite creates the file but not its folder (e.g. the default `data/`).
    if let Some(folder) = options.get_filename().parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(sqlx::Error::Io)?;
    }
    SqlitePoolOptions::new().max_connections(8).connect_with(options).await
}

/// Runs the embedded migrations; refuses to start on failure.
pub async fn migrate(pool: &SqlitePool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

//! Opening a PostgreSQL database and bringing its schema up to date: the
//! second engine, for sites that run several replicas (docs/SCALING.md).
//! Its migrations live in `migrations/postgres/`, beside SQLite's in
//! `migrations/sqlite/`; `schema_report` checks that both leave the same
//! tables, columns and constraints.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

/// The PostgreSQL migrations, embedded in the binary.
pub static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Why a PostgreSQL database cannot hold an Accord site.
#[derive(Debug, thiserror::Error)]
pub enum PostgresError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Text is compared by code point only in a UTF-8 database (the
    /// schema's `COLLATE "C"`, the same order as SQLite's).
    #[error("the database's encoding is {0}; Accord needs UTF8 (CREATE DATABASE … ENCODING 'UTF8')")]
    NotUtf8(String),
}

/// Opens a pool on `database_url` (`postgres://…`) and checks that the
/// database's encoding is UTF-8.
pub async fn connect_postgres(database_url: &str, max_connections: u32) -> Result<PgPool, PostgresError> {
    let options = PgConnectOptions::from_str(database_url)?.application_name("accord");
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await?;
    let encoding: String =
        sqlx::query_scalar("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()")
            .fetch_one(&pool)
            .await?;
    if encoding != "UTF8" {
        return Err(PostgresError::NotUtf8(encoding));
    }
    Ok(pool)
}

/// Runs the embedded PostgreSQL migrations.
pub async fn migrate_postgres(pool: &PgPool) -> Result<(), PostgresError> {
    POSTGRES_MIGRATOR.run(pool).await?;
    Ok(())
}

/// A backup's snapshot and counts on PostgreSQL (`accord backup`).
pub use store_postgres::maintenance::{begin_exported_snapshot, count_rows, Counts};

/// Whether a database URL names PostgreSQL (`postgres://` or
/// `postgresql://`); anything else is SQLite's.
pub fn is_postgres_url(database_url: &str) -> bool {
    database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")
}

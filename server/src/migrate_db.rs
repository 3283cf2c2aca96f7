//! `accord migrate-db`: a site moved from its SQLite file to PostgreSQL
//! (docs/SCALING.md). The SQLite site is brought to this binary's schema
//! (as `accord serve` would), PostgreSQL's empty database is migrated, the
//! site is copied in one transaction, and every table of the copy is
//! compared with the site's, row by row; any difference fails the command.

use std::fmt;
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use store::site_copy::{self, CopyOptions, CopyReport, SiteCopyError, TableComparison};

/// What `accord migrate-db` was asked to do.
#[derive(Clone, Debug)]
pub struct MigrateDbRequest {
    /// `sqlite://…`: the site's database file, which must exist.
    pub from: String,
    /// `postgres://…`: an empty database (a fresh one, or one migrated and
    /// never written to).
    pub to: String,
    /// Keep everyone signed in; by default sessions are not copied.
    pub keep_sessions: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateDbError {
    #[error("--from must be a sqlite:// URL of the site's database file (got {0:?})")]
    FromNotSqlite(String),
    #[error("--to must be a postgres:// URL (got a URL of another scheme)")]
    ToNotPostgres,
    #[error("the SQLite site {0} does not exist")]
    NoSuchFile(String),
    #[error("the SQLite site: {0}")]
    Source(#[from] sqlx::Error),
    #[error("the SQLite site's migrations: {0}")]
    SourceMigrations(#[from] sqlx::migrate::MigrateError),
    #[error("PostgreSQL: {0}")]
    Target(#[from] store::postgres::PostgresError),
    #[error("{0}")]
    Copy(#[from] SiteCopyError),
}

/// What was copied and how every table compared.
#[derive(Clone, Debug)]
pub struct MigrateDbReport {
    pub copied: CopyReport,
    pub compared: Vec<TableComparison>,
}

impl MigrateDbReport {
    /// The tables whose copy differs from the site's.
    pub fn differing(&self) -> Vec<&TableComparison> {
        self.compared.iter().filter(|t| !t.matches()).collect()
    }
}

impl fmt::Display for MigrateDbReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<24} {:>10} {:>10}  verdict", "table", "SQLite", "PostgreSQL")?;
        for table in &self.compared {
            let verdict = match &table.first_difference {
                _ if table.matches() => "same rows".to_string(),
                Some(difference) => format!("DIFFERS at {difference}"),
                None => "DIFFERS in row count".to_string(),
            };
            writeln!(
                f,
                "{:<24} {:>10} {:>10}  {verdict}",
                table.table, table.sqlite_rows, table.postgres_rows
            )?;
        }
        let copied: u64 = self.copied.tables.iter().map(|(_, rows)| rows).sum();
        write!(
            f,
            "{copied} rows copied; {} of {} tables compared the same",
            self.compared.len() - self.differing().len(),
            self.compared.len()
        )
    }
}

/// Copies the SQLite site at `request.from` into PostgreSQL at
/// `request.to` and compares the two.
pub async fn migrate_db(request: &MigrateDbRequest) -> Result<MigrateDbReport, MigrateDbError> {
    if !request.from.starts_with("sqlite:") {
        return Err(MigrateDbError::FromNotSqlite(request.from.clone()));
    }
    if !(request.to.starts_with("postgres://") || request.to.starts_with("postgresql://")) {
        return Err(MigrateDbError::ToNotPostgres);
    }
    // `store::connect` would create a missing file: a typo must not copy
    // an empty site.
    let file = SqliteConnectOptions::from_str(&request.from)?
        .get_filename()
        .to_path_buf();
    if !file.is_file() {
        return Err(MigrateDbError::NoSuchFile(file.display().to_string()));
    }
    let source = store::connect(&request.from).await?;
    store::migrate(&source).await?;
    let target = store::postgres::connect_postgres(&request.to, 4).await?;
    store::postgres::migrate_postgres(&target).await?;
    let options = CopyOptions {
        keep_sessions: request.keep_sessions,
    };
    let copied = site_copy::copy_site(&source, &target, options).await?;
    let compared = site_copy::compare_sites(&source, &target, request.keep_sessions).await?;
    source.close().await;
    target.close().await;
    Ok(MigrateDbReport { copied, compared })
}

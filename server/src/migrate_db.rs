//! `accord migrate-db`: a site moved from its SQLite file to PostgreSQL
//! (docs/SCALING.md). The SQLite site is brought to this binary's schema
//! (as `accord serve` would), PostgreSQL's empty database is migrated, the
//! site is copied in one transaction, every table of the copy is compared
//! with the site's, row by row, every commitment's page is read from both
//! and compared, and then rendered from both and compared; any difference
//! fails the command.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::sqlite::SqliteConnectOptions;
use store::page_comparison::{self, PageComparison};
use store::site_copy::{self, CopyOptions, CopyReport, SiteCopyError, TableComparison};

use crate::rendered_comparison::{self, RenderedComparison};

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

/// What was copied, how every table compared, and how the commitments'
/// pages read from both engines compared.
#[derive(Clone, Debug)]
pub struct MigrateDbReport {
    pub copied: CopyReport,
    pub compared: Vec<TableComparison>,
    pub pages: PageComparison,
    /// The front page and every commitment's permalink, rendered from each.
    pub rendered: RenderedComparison,
    /// How long the copy and each comparison took: an operator plans the
    /// downtime of the next site by them.
    pub took: [(&'static str, Duration); 4],
}

impl MigrateDbReport {
    /// The tables whose copy differs from the site's.
    pub fn differing(&self) -> Vec<&TableComparison> {
        self.compared.iter().filter(|t| !t.matches()).collect()
    }

    /// Every table and every page compared the same.
    pub fn verified(&self) -> bool {
        self.differing().is_empty() && self.pages.matches() && self.rendered.matches()
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
        writeln!(
            f,
            "{copied} rows copied; {} of {} tables compared the same",
            self.compared.len() - self.differing().len(),
            self.compared.len()
        )?;
        write!(
            f,
            "{} of {} pages read the same from both engines (each commitment's record, history and dates; the site's lists, charts and orders)",
            self.pages.compared - self.pages.differing,
            self.pages.compared
        )?;
        if !self.pages.matches() {
            let named: Vec<&str> = self.pages.first_differing.iter().map(|s| s.as_str()).collect();
            write!(f, "; they differ for {}", named.join(", "))?;
            if self.pages.differing > named.len() as u64 {
                write!(f, " and {} more", self.pages.differing - named.len() as u64)?;
            }
        }
        write!(
            f,
            "\n{} of {} pages rendered the same HTML from both engines (the front page and every commitment's)",
            self.rendered.compared - self.rendered.differing,
            self.rendered.compared
        )?;
        if !self.rendered.matches() {
            write!(f, "; they differ for {}", self.rendered.first_differing.join(", "))?;
            let named = self.rendered.first_differing.len() as u64;
            if self.rendered.differing > named {
                write!(f, " and {} more", self.rendered.differing - named)?;
            }
        }
        let took: Vec<String> = self
            .took
            .iter()
            .map(|(step, time)| format!("{step} {:.1} s", time.as_secs_f64()))
            .collect();
        write!(f, "\ntook: {}", took.join(", "))
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
    let started = Instant::now();
    let copied = site_copy::copy_site(&source, &target, options).await?;
    let copy_took = started.elapsed();
    let compared = site_copy::compare_sites(&source, &target, request.keep_sessions).await?;
    let compare_took = started.elapsed() - copy_took;
    let pages = page_comparison::compare_commitment_pages(&source, &target).await?;
    let pages_took = started.elapsed() - copy_took - compare_took;
    let (sqlite, postgres) = (store::Db::new(source.clone()), store::Db::postgres(target.clone()));
    let slugs = store::commitments::list_slugs(&sqlite).await?;
    let rendered = rendered_comparison::compare_rendered_pages(sqlite, postgres, &slugs, chrono::Utc::now()).await;
    let rendered_took = started.elapsed() - copy_took - compare_took - pages_took;
    source.close().await;
    target.close().await;
    Ok(MigrateDbReport {
        copied,
        compared,
        pages,
        rendered,
        took: [
            ("copy", copy_took),
            ("tables compared", compare_took),
            ("pages compared", pages_took),
            ("pages rendered", rendered_took),
        ],
    })
}

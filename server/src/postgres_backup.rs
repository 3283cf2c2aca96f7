//! `accord backup` of a site on PostgreSQL: `pg_dump` in its custom format,
//! reading the snapshot of a read-only transaction of ours (`--snapshot`),
//! so that the rows counted for the summary are the rows the dump holds and
//! the copy is consistent while the replicas keep writing. Restoring is
//! PostgreSQL's own `pg_restore` into an empty database (docs/SCALING.md).
//!
//! The dump holds what the database holds (password hashes, sessions), so
//! its file is made new and owner-only before `pg_dump` writes into it.

use std::path::Path;
use std::process::Command;

use sqlx::Connection;

use crate::backup::{create_owner_only, BackupError, DatabaseSummary};

/// Whether `database_url` names a PostgreSQL database.
pub fn is_postgres(database_url: &str) -> bool {
    database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")
}

/// The program that writes the dump, from the `PATH`.
const PG_DUMP: &str = "pg_dump";

/// Dumps the PostgreSQL database at `database_url` into `destination`, a
/// new file, and returns what it holds.
pub async fn backup_postgres(database_url: &str, destination: &Path) -> Result<DatabaseSummary, BackupError> {
    if let Some(folder) = destination.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|source| BackupError::Io {
            context: format!("creating {}", folder.display()),
            source,
        })?;
    }
    create_owner_only(destination)?;
    let dumped = dump(database_url, destination).await;
    if dumped.is_err() {
        // Leave no empty or partial file behind to be taken for a backup.
        let _ = std::fs::remove_file(destination);
    }
    dumped
}

async fn dump(database_url: &str, destination: &Path) -> Result<DatabaseSummary, BackupError> {
    let mut connection = sqlx::PgConnection::connect(database_url).await?;
    let (mut snapshot, name) = store::postgres::begin_exported_snapshot(&mut connection).await?;
    let counts = store::postgres::count_rows(&mut snapshot).await?;
    // The URL goes to pg_dump as its argument, never through a shell.
    let output = tokio::task::spawn_blocking({
        let destination = destination.to_owned();
        let url = database_url.to_owned();
        move || {
            Command::new(PG_DUMP)
                .arg("--format=custom")
                .arg("--no-owner")
                .arg(format!("--snapshot={name}"))
                .arg(format!("--file={}", destination.display()))
                .arg(format!("--dbname={url}"))
                .output()
        }
    })
    .await
    .map_err(|e| BackupError::Io {
        context: "running pg_dump".into(),
        source: std::io::Error::other(e),
    })?
    .map_err(|source| BackupError::Io {
        context: format!("starting {PG_DUMP} (Debian's postgresql-client has it)"),
        source,
    })?;
    snapshot.commit().await?;
    connection.close().await?;
    if !output.status.success() {
        return Err(BackupError::NotABackup {
            path: destination.to_owned(),
            reason: format!("pg_dump failed: {}", String::from_utf8_lossy(&output.stderr).trim()),
        });
    }
    Ok(DatabaseSummary {
        commitments: counts.commitments,
        status_updates: counts.status_updates,
        revisions: counts.revisions,
        // Not counted here: the dump is restored by pg_restore, not by this
        // binary, so which migrations it holds is checked by no one here.
        migrations: 0,
        users: counts.users,
        sessions: counts.sessions,
    })
}

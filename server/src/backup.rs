//! Online backups and restores of the SQLite database.
//!
//! A backup is `VACUUM INTO`: SQLite copies the database as one read
//! transaction sees it, so the copy is consistent while the server keeps
//! writing (WAL readers never block the writer). A restore replaces the
//! database file only when no server holds it (see `ServeLock`), and keeps
//! the replaced file beside it, so restoring never destroys data.
//!
//! Backups hold what the database holds (password hashes, sessions, pending
//! suggestions), so they are created readable by their owner only, like the
//! database (`store::make_owner_only`). A restore ends the sessions the
//! backup holds unless asked to keep them: they are sign-ins of another
//! time, perhaps of accounts disabled or passwords changed since.

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::Connection;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use store::maintenance::{self, CountedTable};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; choose a new file name so no earlier backup is overwritten")]
    DestinationExists(PathBuf),
    #[error("there is no database at {0}")]
    NoDatabase(PathBuf),
    #[error("{path} is not a usable Accord backup: {reason}")]
    NotABackup { path: PathBuf, reason: String },
    #[error("a server is using {0}; stop it before restoring")]
    InUse(PathBuf),
    #[error("the database URL must name a file: {0}")]
    NotAFile(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let context = context.into();
    move |source| BackupError::Io { context, source }
}

/// The database file a `sqlite://…` URL names.
pub fn database_path(database_url: &str) -> Result<PathBuf, BackupError> {
    let options =
        SqliteConnectOptions::from_str(database_url).map_err(|_| BackupError::NotAFile(database_url.to_owned()))?;
    let path = options.get_filename().to_path_buf();
    if path.as_os_str().is_empty() || path == Path::new(":memory:") {
        return Err(BackupError::NotAFile(database_url.to_owned()));
    }
    Ok(path)
}

/// What a backup or restore copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseSummary {
    pub commitments: i64,
    pub status_updates: i64,
    pub revisions: i64,
    pub migrations: i64,
    /// Editor accounts.
    pub users: i64,
    /// Sessions, expired or not (a restore ends them unless told to keep them).
    pub sessions: i64,
}

/// Checks a database file: SQLite's own integrity check, then that it is an
/// Accord database whose migrations this binary knows.
pub async fn verify(path: &Path) -> Result<DatabaseSummary, BackupError> {
    let not_a_backup = |reason: String| BackupError::NotABackup {
        path: path.to_owned(),
        reason,
    };
    if !path.is_file() {
        return Err(not_a_backup("no such file".into()));
    }
    let mut conn = maintenance::open_read_only(path)
        .await
        .map_err(|e| not_a_backup(format!("cannot be opened ({e})")))?;
    let integrity = maintenance::integrity_check(&mut conn)
        .await
        .map_err(|e| not_a_backup(format!("not a SQLite database ({e})")))?;
    if integrity != "ok" {
        return Err(not_a_backup(format!("integrity check failed: {integrity}")));
    }
    let applied = maintenance::applied_migrations(&mut conn)
        .await
        .map_err(|_| not_a_backup("it has no Accord migrations".into()))?;
    let known: Vec<i64> = store::MIGRATOR.iter().map(|m| m.version).collect();
    if let Some(unknown) = applied.iter().find(|v| !known.contains(v)) {
        return Err(not_a_backup(format!(
            "it was made by a newer Accord (migration {unknown} is unknown to this binary)"
        )));
    }
    let summary = DatabaseSummary {
        commitments: maintenance::count_rows(&mut conn, CountedTable::Commitments).await?,
        status_updates: maintenance::count_rows(&mut conn, CountedTable::StatusUpdates).await?,
        revisions: maintenance::count_rows(&mut conn, CountedTable::Revisions)
            .await
            .unwrap_or(0),
        migrations: applied.len() as i64,
        // Databases older than the editing migration have neither table.
        users: maintenance::count_rows(&mut conn, CountedTable::Users)
            .await
            .unwrap_or(0),
        sessions: maintenance::count_rows(&mut conn, CountedTable::Sessions)
            .await
            .unwrap_or(0),
    };
    conn.close().await?;
    Ok(summary)
}

/// Copies the live database at `database_url` to `destination`, a new file,
/// while the server may be writing to it; then verifies the copy.
pub async fn backup(database_url: &str, destination: &Path) -> Result<DatabaseSummary, BackupError> {
    let source = database_path(database_url)?;
    if !source.is_file() {
        return Err(BackupError::NoDatabase(source));
    }
    let target = destination
        .to_str()
        .ok_or_else(|| BackupError::NotAFile(destination.display().to_string()))?;
    if let Some(folder) = destination.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(io(format!("creating {}", folder.display())))?;
    }
    // The file is made here, new and owner-only, before SQLite writes into
    // it (VACUUM INTO fills an empty file): SQLite would create it readable
    // by everyone the umask lets read it. Creating it new is also what
    // refuses to overwrite an earlier backup, with no gap between a check
    // and the write.
    create_owner_only(destination)?;
    let copied = async {
        let mut conn = maintenance::open_read_only(&source).await?;
        maintenance::vacuum_into(&mut conn, target).await?;
        conn.close().await?;
        Ok::<(), BackupError>(())
    }
    .await;
    if let Err(error) = copied {
        // Leave no empty or partial file behind to be taken for a backup.
        let _ = std::fs::remove_file(destination);
        return Err(error);
    }
    verify(destination).await
}

/// Creates `path` as a new, empty file readable and writable by its owner only.
pub(crate) fn create_owner_only(path: &Path) -> Result<(), BackupError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, store::OWNER_ONLY);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(BackupError::DestinationExists(path.to_owned()))
        }
        Err(error) => Err(io(format!("creating {}", path.display()))(error)),
    }
}

/// What a restore does with the sessions in the backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupSessions {
    /// Delete them: everyone signs in again (the default).
    End,
    /// Keep them (`--keep-sessions`): whoever was signed in when the backup
    /// was made, and has the cookie still, is signed in again.
    Keep,
}

/// Replaces the database at `database_url` with the backup at `source`.
/// Refuses while a server holds the database; the replaced file is kept as
/// `<name>.replaced-<timestamp>`. The backup's sessions are deleted from the
/// restored database unless `sessions` is [`BackupSessions::Keep`].
pub async fn restore(
    database_url: &str,
    source: &Path,
    sessions: BackupSessions,
) -> Result<RestoreReport, BackupError> {
    let summary = verify(source).await?;
    let target = database_path(database_url)?;
    let _lock = ServeLock::acquire(&target)?;
    if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(io(format!("creating {}", folder.display())))?;
    }
    // Copy next to the target first, so the final step is an atomic rename.
    let staging = sibling(&target, ".restoring");
    let _ = std::fs::remove_file(&staging);
    create_owner_only(&staging)?;
    // Into the owner-only file made above (`fs::copy` would give it the
    // backup's permissions, and an old backup may be readable by all).
    std::io::copy(
        &mut File::open(source).map_err(io(format!("opening {}", source.display())))?,
        &mut OpenOptions::new()
            .write(true)
            .open(&staging)
            .map_err(io("opening the copy"))?,
    )
    .map_err(io(format!("copying {}", source.display())))?;
    let sessions_ended = match sessions {
        BackupSessions::Keep => 0,
        BackupSessions::End => {
            let mut copy = maintenance::open_for_writing(&staging).await?;
            let ended = store::sessions::delete_all(&mut copy).await?;
            // Into the file itself: a `-wal` beside the staging copy would
            // not follow it when it is renamed into place.
            store::checkpoint_wal(&mut copy).await?;
            copy.close().await?;
            ended
        }
    };
    File::open(&staging)
        .and_then(|f| f.sync_all())
        .map_err(io("syncing the copy"))?;
    let replaced = if target.exists() {
        // Fold any WAL into the old file so the kept copy is complete.
        if let Ok(mut old) = maintenance::open_for_writing(&target).await {
            let _ = store::checkpoint_wal(&mut old).await;
            let _ = old.close().await;
        }
        let kept = sibling(
            &target,
            &format!(".replaced-{}", chrono::Utc::now().format("%Y%m%dT%H%M%SZ")),
        );
        std::fs::rename(&target, &kept).map_err(io("keeping the replaced database"))?;
        Some(kept)
    } else {
        None
    };
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sibling(&target, suffix));
    }
    std::fs::rename(&staging, &target).map_err(io("putting the restored database in place"))?;
    Ok(RestoreReport {
        summary,
        replaced,
        sessions_ended,
    })
}

#[derive(Debug)]
pub struct RestoreReport {
    pub summary: DatabaseSummary,
    /// Where the database that was replaced now is.
    pub replaced: Option<PathBuf>,
    /// The backup's sessions deleted from the restored database.
    pub sessions_ended: u64,
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// An exclusive lock on `<database>.lock`, held by a serving process for its
/// lifetime and by a restore while it swaps files, so the two never overlap.
/// The operating system releases it if the process dies.
pub struct ServeLock {
    _file: File,
}

impl ServeLock {
    pub fn acquire(database: &Path) -> Result<ServeLock, BackupError> {
        if let Some(folder) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(io(format!("creating {}", folder.display())))?;
        }
        let path = sibling(database, ".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(format!("opening {}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(ServeLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(BackupError::InUse(database.to_owned())),
            Err(std::fs::TryLockError::Error(e)) => Err(io(format!("locking {}", path.display()))(e)),
        }
    }
}

//! Sessions and secrets at rest (issue 15, point 7): the database file, its
//! `-wal` and `-shm`, backups and restored databases are readable by their
//! owner only; a restore says how many accounts and sessions it brings back
//! and ends those sessions unless told to keep them. (That the sessions
//! table holds hashes, not ids, is tested in store/src/sessions.rs.)

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::support::scratch;
use server::backup::{self, BackupSessions};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

fn url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A file's permission bits, in octal as `ls` and `chmod` write them.
fn mode(path: &Path) -> String {
    let bits = std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode();
    format!("{:o}", bits & 0o777)
}

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A migrated database with two accounts and three sessions (one signed in).
async fn database_with_sessions(path: &Path) -> store::Db {
    let db = store::Db::new(store::connect(&url(path)).await.unwrap());
    store::migrate(db.sqlite_pool().unwrap()).await.unwrap();
    let now = chrono::Utc::now();
    let alice = store::users::create_user(&db, "alice", domain::Role::Editor, "a long enough password", now)
        .await
        .unwrap();
    store::users::create_user(&db, "bob", domain::Role::Admin, "another long password", now)
        .await
        .unwrap();
    let sessions = store::sessions::SqliteSessionStore::new(db.clone());
    for signed_in in [Some(alice), None, None] {
        let mut record = Record {
            id: Id::default(),
            data: signed_in
                .map(|id| (store::sessions::USER_ID_KEY.to_owned(), serde_json::json!(id)))
                .into_iter()
                .collect(),
            expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(8),
        };
        sessions.create(&mut record).await.unwrap();
    }
    db
}

async fn count_sessions(path: &Path) -> i64 {
    let pool = store::connect(&url(path)).await.unwrap();
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

// SQLite-only: the permissions of the database file and its -wal and -shm.
#[tokio::test]
async fn the_database_and_its_wal_and_shm_are_readable_by_their_owner_only() {
    let dir = scratch("owner-only");
    let path = dir.join("accord.db");
    let db = database_with_sessions(&path).await;
    // The pool is open and has written: the -wal and -shm exist now.
    for file in [path.clone(), beside(&path, "-wal"), beside(&path, "-shm")] {
        assert_eq!(mode(&file), "600", "{}", file.display());
    }
    db.close().await;

    // A database made by an earlier version, readable by all, is narrowed
    // when it is opened, and so are a -wal and -shm left beside it.
    let old = dir.join("old.db");
    let pool = store::connect(&url(&old)).await.unwrap();
    store::migrate(&pool).await.unwrap();
    pool.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let file = beside(&old, suffix);
        if !suffix.is_empty() {
            // Empty, as a clean close with persistent WAL files leaves them.
            std::fs::write(&file, b"").unwrap();
        }
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let pool = store::connect(&url(&old)).await.unwrap();
    sqlx::query("SELECT COUNT(*) FROM users").execute(&pool).await.unwrap();
    for suffix in ["", "-wal", "-shm"] {
        assert_eq!(mode(&beside(&old, suffix)), "600", "old.db{suffix}");
    }
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

// SQLite-only: a SQLite backup file and restore (postgres_backup tests PostgreSQL's pg_dump file).
#[tokio::test]
async fn backups_and_restored_databases_are_readable_by_their_owner_only() {
    let dir = scratch("backup-owner-only");
    let live = dir.join("accord.db");
    database_with_sessions(&live).await.close().await;
    let copy = dir.join("backups/copy.db");
    backup::backup(&url(&live), &copy).await.unwrap();
    assert_eq!(mode(&copy), "600", "the backup");

    // A backup made before this change, readable by all, is restored into
    // an owner-only file all the same.
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o644)).unwrap();
    let restored = dir.join("restored/accord.db");
    backup::restore(&url(&restored), &copy, BackupSessions::End)
        .await
        .unwrap();
    assert_eq!(mode(&restored), "600", "the restored database");
    let report = backup::restore(&url(&restored), &copy, BackupSessions::Keep)
        .await
        .unwrap();
    assert_eq!(mode(&restored), "600", "restored over the first");
    assert_eq!(
        mode(&report.replaced.unwrap()),
        "600",
        "the replaced file kept beside it"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs the `accord` binary on the database at `database`.
fn accord(args: &[&str], database: &Path) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .env("DATABASE_URL", url(database))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

// SQLite-only: `accord restore` restores SQLite files (on PostgreSQL it points to pg_restore).
#[tokio::test]
async fn a_restore_counts_accounts_and_sessions_and_ends_the_sessions_unless_kept() {
    let dir = scratch("restore-sessions");
    let live = dir.join("accord.db");
    database_with_sessions(&live).await.close().await;
    let copy = dir.join("copy.db");
    let said = accord(&["backup", copy.to_str().unwrap()], &live);
    assert!(said.contains("integrity ok"), "{said}");

    let said = accord(&["restore", copy.to_str().unwrap()], &live);
    assert!(said.contains("2 accounts, 3 sessions"), "what the backup holds: {said}");
    assert!(said.contains("ended the backup's 3 sessions"), "{said}");
    assert_eq!(
        count_sessions(&live).await,
        0,
        "no session survives a restore by default"
    );
    assert_eq!(count_sessions(&copy).await, 3, "the backup itself is untouched");

    let said = accord(&["restore", "--keep-sessions", copy.to_str().unwrap()], &live);
    assert!(said.contains("2 accounts, 3 sessions"), "{said}");
    assert!(said.contains("kept the backup's 3 sessions"), "{said}");
    assert_eq!(count_sessions(&live).await, 3, "--keep-sessions keeps them");
    let _ = std::fs::remove_dir_all(&dir);
}

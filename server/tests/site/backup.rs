//! `accord backup` and `accord restore` on real database files: a backup
//! taken while an editor keeps writing is consistent, and restoring it gives
//! back exactly what it holds, every row of every table, without destroying
//! the database it replaces.
//!
//! SQLite's alone: a PostgreSQL site is backed up by `pg_dump` and restored
//! by `pg_restore`, not by this binary; postgres_backup.rs tests that, with
//! the editor below writing during the dump.

use domain::{CurrentUser, PartyChoice, Role, Status, StatusChange};
use server::backup::{self, BackupError, ServeLock};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use store::editing::record_status_change;

use crate::support::{every_table_of, on_engine};

fn scratch_folder(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("accord-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A handle of its own on the database file at `path`, as it is.
async fn open(path: &Path) -> store::Db {
    store::Db::new(store::connect(&url(path)).await.unwrap())
}

async fn live_database(path: &Path) -> (store::Db, CurrentUser) {
    let db = open(path).await;
    store::migrate(db.sqlite_pool().unwrap()).await.unwrap();
    let editor = seeded_with_an_editor(&db).await;
    (db, editor)
}

/// Loads the shipped site into `db`, a migrated database of either engine,
/// and adds the editor who writes to it while it is backed up.
pub(crate) async fn seeded_with_an_editor(db: &store::Db) -> CurrentUser {
    server::seed::seed_if_empty(db).await.unwrap();
    let id = store::users::create_user(db, "writer", Role::Editor, "a long enough password", chrono::Utc::now())
        .await
        .unwrap();
    CurrentUser {
        id,
        name: "writer".into(),
        role: Role::Editor,
    }
}

/// How many status changes the [`Writer`] records.
pub(crate) const WRITES: i64 = 300;

/// An editor recording [`WRITES`] status changes on the first shipped
/// commitment, one after another: each adds a status update per owing
/// party, a version and a revision together, so a copy that took some
/// tables earlier than others breaks the sums [`progress_in`] reads.
pub(crate) struct Writer {
    /// The commitment written to.
    pub slug: domain::Slug,
    written: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Writer {
    pub async fn start(db: &store::Db, editor: CurrentUser) -> Writer {
        let data = server::seed::parse_dataset(server::seed::SUMMIT_2025_11_01).unwrap();
        let slug = data.commitments[0].slug.clone();
        let source_id: i64 = on_engine!(db, |pool| sqlx::query_scalar(
            "SELECT cs.source_id FROM commitment_sources cs JOIN commitments c ON c.id = cs.commitment_id
             WHERE c.slug = $1 LIMIT 1",
        )
        .bind(slug.as_str())
        .fetch_one(pool)
        .await
        .unwrap());
        let written = Arc::new(AtomicUsize::new(0));
        let task = tokio::spawn({
            let db = db.clone();
            let slug = slug.clone();
            let written = written.clone();
            async move {
                let statuses = [Status::InProgress, Status::Stalled];
                for n in 0..WRITES {
                    let change = StatusChange {
                        parties: PartyChoice::AllOwing,
                        status: statuses[(n % 2) as usize],
                        effective_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                        note: format!("write {n}"),
                        source_ids: vec![source_id],
                        new_source: None,
                        expected_version: n + 1,
                    };
                    record_status_change(&db, &slug, &change, &editor, chrono::Utc::now())
                        .await
                        .unwrap();
                    written.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        Writer { slug, written, task }
    }

    /// Waits until the writer is well under way, for a backup to start.
    pub async fn under_way(&self) {
        while self.written.load(Ordering::SeqCst) < 20 {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }

    /// Waits for the last write.
    pub async fn finish(self) {
        self.task.await.unwrap();
    }
}

/// How far the commitment `slug` had got: its version, its revisions, and
/// the writes (each a status update per owing party, one note) the
/// [`Writer`] made.
const PROGRESS: &str = "SELECT c.version,
        (SELECT COUNT(*) FROM revisions r WHERE r.commitment_id = c.id),
        (SELECT COUNT(DISTINCT su.note) FROM status_updates su
         WHERE su.commitment_id = c.id AND su.note LIKE 'write %')
    FROM commitments c WHERE c.slug = $1";

/// [`PROGRESS`] in `db`.
pub(crate) async fn progress_in(db: &store::Db, slug: &str) -> (i64, i64, i64) {
    on_engine!(db, |pool| sqlx::query_as(PROGRESS)
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap())
}

/// Every status update in `db`, as comparable rows, in the order written.
pub(crate) async fn status_rows_in(db: &store::Db) -> Vec<StatusRow> {
    on_engine!(db, |pool| sqlx::query_as(
        "SELECT id, commitment_id, status, note FROM status_updates ORDER BY id"
    )
    .fetch_all(pool)
    .await
    .unwrap())
}

/// A status update as [`status_rows_in`] reads it.
pub(crate) type StatusRow = (i64, i64, String, String);

/// Checks that `copy`, a backup of `live` taken while the [`Writer`] wrote
/// to `slug`, is one moment of the site: it holds the live status history
/// up to some point (the `before` rows at least, and fewer than live), its
/// summary `counted` those rows, and every table stands at that same point.
/// Returns the live and the copied status rows, for the caller's checks.
pub(crate) async fn assert_one_moment_of_the_site(
    live: &store::Db,
    copy: &store::Db,
    slug: &str,
    before: usize,
    counted: i64,
) -> (Vec<StatusRow>, Vec<StatusRow>) {
    let live_rows = status_rows_in(live).await;
    let copied_rows = status_rows_in(copy).await;
    assert_eq!(counted as usize, copied_rows.len(), "the summary counts the copy");
    assert!(copied_rows.len() >= before, "the copy holds at least the seed");
    assert!(
        live_rows.len() > copied_rows.len(),
        "writes went on after the copy was taken: {} vs {}",
        live_rows.len(),
        copied_rows.len()
    );
    // Consistent: the copy is exactly the live history up to some point
    // (one writer: ids in commit order) …
    assert_eq!(&live_rows[..copied_rows.len()], &copied_rows[..]);
    // …and its tables agree with one another at that point: each write
    // added one status update, one version and one revision together, so a
    // copy that took some tables earlier than others would break the sums.
    let (live_version, live_revisions, live_writes) = progress_in(live, slug).await;
    let (copied_version, copied_revisions, copied_writes) = progress_in(copy, slug).await;
    assert_eq!(live_writes, WRITES);
    assert!(
        copied_writes > 0 && copied_writes < live_writes,
        "{copied_writes} writes in the copy"
    );
    assert_eq!(live_version - live_writes, copied_version - copied_writes, "versions");
    assert_eq!(
        live_revisions - live_writes,
        copied_revisions - copied_writes,
        "revisions"
    );
    (live_rows, copied_rows)
}

/// [`status_rows_in`] the database file at `path`, read by a handle of its own.
async fn status_rows(path: &Path) -> Vec<StatusRow> {
    let db = open(path).await;
    let rows = status_rows_in(&db).await;
    db.close().await;
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_is_consistent_and_restores_exactly() {
    let dir = scratch_folder("backup");
    let live = dir.join("live.db");
    let (db, editor) = live_database(&live).await;
    let before = status_rows(&live).await.len();

    // An editor records status changes one after another while the backup
    // runs, which starts once the writer is well under way.
    let writer = Writer::start(&db, editor).await;
    let slug = writer.slug.clone();
    writer.under_way().await;
    let copy = dir.join("backups/during-writes.db");
    let summary = backup::backup(&url(&live), &copy).await.unwrap();
    writer.finish().await;
    db.close().await;

    let (live_db, copy_db) = (open(&live).await, open(&copy).await);
    let (live_rows, copied_rows) =
        assert_one_moment_of_the_site(&live_db, &copy_db, slug.as_str(), before, summary.status_updates).await;
    live_db.close().await;
    copy_db.close().await;
    let live_tables = every_table_of(&live).await;
    let copied_tables = every_table_of(&copy).await;
    // The tables that matter hold rows, or the comparisons below would
    // prove little about them.
    for table in [
        "_sqlx_migrations",
        "users",
        "summits",
        "commitments",
        "sources",
        "revisions",
        "status_updates",
    ] {
        assert!(!copied_tables[table].is_empty(), "{table} is empty in the backup");
    }

    // A second backup to the same file is refused; nothing is overwritten.
    assert!(matches!(
        backup::backup(&url(&live), &copy).await,
        Err(BackupError::DestinationExists(_))
    ));

    // Restore into a new place: the same rows.
    let elsewhere = dir.join("restored/accord.db");
    let report = backup::restore(&url(&elsewhere), &copy, backup::BackupSessions::Keep)
        .await
        .unwrap();
    assert_eq!(report.replaced, None);
    assert_eq!(status_rows(&elsewhere).await, copied_rows);
    let restored = every_table_of(&elsewhere).await;
    assert_eq!(
        restored.keys().collect::<Vec<_>>(),
        copied_tables.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, rows) in &copied_tables {
        assert_eq!(&restored[table], rows, "{table}, restored into a new place");
    }

    // Restoring over a database a server holds is refused.
    let held = ServeLock::acquire(&live).unwrap();
    assert!(matches!(
        backup::restore(&url(&live), &copy, backup::BackupSessions::Keep).await,
        Err(BackupError::InUse(_))
    ));
    drop(held);

    // Restoring over the live database keeps the replaced one, complete.
    let report = backup::restore(&url(&live), &copy, backup::BackupSessions::Keep)
        .await
        .unwrap();
    let kept = report.replaced.expect("the replaced database is kept");
    assert_eq!(status_rows(&live).await, copied_rows);
    assert_eq!(status_rows(&kept).await, live_rows);
    assert_eq!(
        every_table_of(&live).await,
        copied_tables,
        "restored in place, every table"
    );
    assert_eq!(
        every_table_of(&kept).await,
        live_tables,
        "the replaced database, every table"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn only_real_accord_backups_are_restored() {
    let dir = scratch_folder("not-a-backup");
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"this is not a database").unwrap();
    let target = url(&dir.join("accord.db"));
    assert!(matches!(
        backup::restore(&target, &junk, backup::BackupSessions::End).await,
        Err(BackupError::NotABackup { .. })
    ));
    // An SQLite file that is not Accord's.
    let other = dir.join("other.db");
    let pool = store::connect(&url(&other)).await.unwrap();
    sqlx::query("CREATE TABLE t (x)").execute(&pool).await.unwrap();
    pool.close().await;
    let refused = backup::restore(&target, &other, backup::BackupSessions::End)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("no Accord migrations"), "{refused}");
    assert!(!dir.join("accord.db").exists(), "nothing was put in place");
    assert!(matches!(
        backup::backup(&url(&dir.join("missing.db")), &dir.join("b.db")).await,
        Err(BackupError::NoDatabase(_))
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

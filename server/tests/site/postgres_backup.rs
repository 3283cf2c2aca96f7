//! `accord backup` of a site on PostgreSQL, as an operator runs it: a
//! `pg_dump` file made new and owner-only, whose summary counts what it
//! holds and says how it was made; `pg_restore` into an empty database
//! gives back every row of every table; a dump taken while an editor keeps
//! writing is one moment of the site; an existing file is never
//! overwritten, nor a file left by a dump that failed; and `accord
//! restore` says to use `pg_restore`.

use std::path::Path;
use std::process::{Command, Output};

use store::postgres_test_database::TestDatabase;
use store::site_copy::{copy_site, CopyOptions};

use crate::backup::{assert_one_moment_of_the_site, seeded_with_an_editor, status_rows_in, Writer};
use crate::support::scratch;

fn accord(args: &[&str], database_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A PostgreSQL site: the shipped one, seeded on SQLite and copied over,
/// with a session.
async fn postgres_site(folder: &Path) -> TestDatabase {
    let sqlite_url = format!("sqlite://{}", folder.join("seed.db").display());
    let db = store::Db::new(store::connect(&sqlite_url).await.unwrap());
    store::migrate(db.sqlite_pool().unwrap()).await.unwrap();
    server::seed::seed_if_empty(&db).await.unwrap();
    sqlx::query("INSERT INTO sessions (id, user_id, data, expires_at) VALUES ('hashed', NULL, x'00', 4102444800)")
        .execute(db.sqlite_pool().unwrap())
        .await
        .unwrap();
    let postgres = TestDatabase::migrated().await;
    copy_site(
        db.sqlite_pool().unwrap(),
        &postgres.pool,
        CopyOptions { keep_sessions: true },
    )
    .await
    .unwrap();
    db.close().await;
    postgres
}

/// Restores the dump at `dump` into `into`, an empty database, with
/// PostgreSQL's own `pg_restore`, as docs/SCALING.md tells an operator to.
fn pg_restore(dump: &Path, into: &TestDatabase) {
    let restored = Command::new("pg_restore")
        .arg("--no-owner")
        .arg(format!("--dbname={}", into.url()))
        .arg(dump)
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", text(&restored.stderr));
}

/// Every table's row count, by name.
async fn row_counts(pool: &sqlx::PgPool) -> Vec<(String, i64)> {
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            .fetch_all(pool)
            .await
            .unwrap();
    let mut counts = Vec::new();
    for table in tables {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM \"{table}\"")))
            .fetch_one(pool)
            .await
            .unwrap();
        counts.push((table, count));
    }
    counts
}

#[tokio::test]
async fn a_dump_holds_every_row_and_pg_restore_gives_them_back() {
    let folder = scratch("postgres-backup");
    let site = postgres_site(&folder).await;
    let dump = folder.join("backups").join("accord.dump");

    let backed_up = accord(&["backup", dump.to_str().unwrap()], &site.url());
    let said = text(&backed_up.stdout);
    assert!(backed_up.status.success(), "{said}\n{}", text(&backed_up.stderr));
    let commitments: i64 = sqlx::query_scalar("SELECT count(*) FROM commitments")
        .fetch_one(&site.pool)
        .await
        .unwrap();
    assert!(said.contains(&format!("{commitments} commitments")), "{said}");
    assert!(said.contains("1 sessions"), "{said}");
    // How it was made, and so how it is restored.
    assert!(
        said.contains("(pg_dump, custom format; restore with pg_restore)"),
        "{said}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dump).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the dump is readable by others: {mode:o}");
    }

    let restored = TestDatabase::empty().await;
    pg_restore(&dump, &restored);
    let before = row_counts(&site.pool).await;
    assert!(before
        .iter()
        .any(|(table, rows)| table == "status_updates" && *rows > 0));
    assert_eq!(before, row_counts(&restored.pool).await);
    let slugs = "SELECT string_agg(slug || ':' || overall_status, ',' ORDER BY id) FROM commitments";
    let original: String = sqlx::query_scalar(slugs).fetch_one(&site.pool).await.unwrap();
    let copy: String = sqlx::query_scalar(slugs).fetch_one(&restored.pool).await.unwrap();
    assert_eq!(original, copy);

    // An existing file is never overwritten.
    let again = accord(&["backup", dump.to_str().unwrap()], &site.url());
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("already exists"),
        "{}",
        text(&again.stderr)
    );

    // `accord restore` points to pg_restore.
    let restore = accord(&["restore", dump.to_str().unwrap()], &site.url());
    assert!(!restore.status.success());
    assert!(
        text(&restore.stderr).contains("pg_restore"),
        "{}",
        text(&restore.stderr)
    );

    restored.drop_database().await;
    site.drop_database().await;
    std::fs::remove_dir_all(&folder).ok();
}

/// The dump reads one snapshot, the one its summary was counted in: taken
/// while an editor keeps writing, it holds the live history up to one
/// point, every table at that same point, and the summary counts that.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dump_taken_while_an_editor_writes_is_one_moment_of_the_site() {
    let folder = scratch("postgres-backup-under-writes");
    let site = TestDatabase::migrated().await;
    let db = store::Db::postgres(site.pool.clone());
    let editor = seeded_with_an_editor(&db).await;
    let before = status_rows_in(&db).await.len();

    let writer = Writer::start(&db, editor).await;
    let slug = writer.slug.clone();
    writer.under_way().await;
    let dump = folder.join("during-writes.dump");
    let summary = server::postgres_backup::backup_postgres(&site.url(), &dump)
        .await
        .unwrap();
    writer.finish().await;

    let restored = TestDatabase::empty().await;
    pg_restore(&dump, &restored);
    let copy = store::Db::postgres(restored.pool.clone());
    assert_one_moment_of_the_site(&db, &copy, slug.as_str(), before, summary.status_updates).await;
    let revisions: i64 = sqlx::query_scalar("SELECT count(*) FROM revisions")
        .fetch_one(&restored.pool)
        .await
        .unwrap();
    assert_eq!(summary.revisions, revisions, "the summary counts the dump");

    restored.drop_database().await;
    site.drop_database().await;
    std::fs::remove_dir_all(&folder).ok();
}

/// A dump that fails (here: no such database) is refused, saying why, and
/// leaves no file to be taken for a backup.
#[tokio::test]
async fn a_failed_dump_leaves_no_file() {
    let folder = scratch("postgres-backup-failed");
    let gone = TestDatabase::empty().await;
    let url = gone.url();
    gone.drop_database().await;
    let dump = folder.join("accord.dump");

    let refused = accord(&["backup", dump.to_str().unwrap()], &url);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("does not exist"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(text(&refused.stdout), "", "no summary of a backup not made");
    assert!(!dump.exists(), "a failed dump left {}", dump.display());
    std::fs::remove_dir_all(&folder).ok();
}

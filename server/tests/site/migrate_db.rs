//! `accord migrate-db` as an operator runs it: the seeded site, with an
//! editor's change and a signed-in session, moves from its SQLite file to
//! an empty PostgreSQL database; every table compares the same, and so
//! does every commitment's page read from each engine; and the
//! command refuses a missing file, a database that already holds a site,
//! and URLs of the wrong engine, saying so.

use std::path::Path;
use std::process::Output;

use domain::{CurrentUser, PartyChoice, Role, Status, StatusChange};
use store::postgres_test_database::TestDatabase;

use crate::support::scratch;

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

fn migrate_db(from: &str, to: &str, extra: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["migrate-db", "--from", from, "--to", to])
        .args(extra)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The shipped site in a file, with one status change by an editor and
/// one session, as a site that has been running holds them.
async fn running_site(path: &Path) {
    let db = store::Db::new(store::connect(&sqlite_url(path)).await.unwrap());
    let pool = db.sqlite_pool().unwrap().clone();
    store::migrate(&pool).await.unwrap();
    server::seed::seed_if_empty(&db).await.unwrap();
    let now = chrono::Utc::now();
    let id = store::users::create_user(&pool, "mover", Role::Editor, "a long enough password", now)
        .await
        .unwrap();
    let editor = CurrentUser {
        id,
        name: "mover".into(),
        role: Role::Editor,
    };
    let (slug, version, source_id): (String, i64, i64) = sqlx::query_as(
        "SELECT c.slug, c.version, cs.source_id FROM commitments c
         JOIN commitment_sources cs ON cs.commitment_id = c.id ORDER BY c.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let change = StatusChange {
        parties: PartyChoice::AllOwing,
        status: Status::InProgress,
        effective_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        note: "Moved to PostgreSQL with the site.".into(),
        source_ids: vec![source_id],
        new_source: None,
        expected_version: version,
    };
    store::editing::record_status_change(&db, &slug.parse().unwrap(), &change, &editor, now)
        .await
        .unwrap();
    // As the session store writes one: its JSON as text, in the BLOB column.
    sqlx::query("INSERT INTO sessions (id, user_id, data, expires_at) VALUES ('hashed-id', ?1, ?2, 4102444800)")
        .bind(id)
        .bind(format!(r#"{{"user_id":{id}}}"#))
        .execute(&pool)
        .await
        .unwrap();
    db.close().await;
}

#[tokio::test]
async fn the_seeded_site_moves_to_postgres_and_every_table_compares_the_same() {
    let folder = scratch("migrate-db");
    let site = folder.join("accord.db");
    running_site(&site).await;
    let postgres = TestDatabase::empty().await;

    let moved = migrate_db(&sqlite_url(&site), &postgres.url(), &["--keep-sessions"]);
    let printed = text(&moved.stdout);
    assert!(moved.status.success(), "{printed}\n{}", text(&moved.stderr));
    assert!(printed.contains("of 23 tables compared the same"), "{printed}");
    assert!(printed.contains("23 of 23 tables compared the same"), "{printed}");
    assert!(!printed.contains("DIFFERS"), "{printed}");
    // Every seeded commitment's pages, and the site's recent changes, read
    // the same from both engines.
    let pages = printed
        .lines()
        .find(|l| l.contains("pages read the same from both engines"))
        .unwrap_or_default();
    let pages: Vec<u64> = pages.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    let seeded: i64 = sqlx::query_scalar("SELECT count(*) FROM commitments")
        .fetch_one(&postgres.pool)
        .await
        .unwrap();
    assert_eq!(pages, [seeded as u64 + 1, seeded as u64 + 1], "{printed}");
    assert!(seeded >= 10, "{seeded}");
    // The front page and every commitment's permalink, rendered from both.
    let rendered = printed
        .lines()
        .find(|l| l.contains("pages rendered the same HTML from both engines"))
        .unwrap_or_default();
    let rendered: Vec<u64> = rendered.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    assert_eq!(rendered, [seeded as u64 + 1, seeded as u64 + 1], "{printed}");
    assert!(
        printed
            .lines()
            .any(|l| l.starts_with("took: copy ") && l.contains("pages compared") && l.contains("pages rendered")),
        "{printed}"
    );
    for table in [
        "commitments",
        "status_updates",
        "list_counts",
        "overall_status_days",
        "sessions",
    ] {
        let line = printed.lines().find(|l| l.starts_with(table)).unwrap_or_default();
        let counts: Vec<u64> = line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        assert!(
            counts.len() == 2 && counts[0] == counts[1] && counts[0] > 0,
            "{table}: {line}"
        );
    }
    let changes: i64 =
        sqlx::query_scalar("SELECT count(*) FROM status_updates WHERE note = 'Moved to PostgreSQL with the site.'")
            .fetch_one(&postgres.pool)
            .await
            .unwrap();
    assert!(changes >= 1);

    // Again into the same database: refused, nothing doubled.
    let again = migrate_db(&sqlite_url(&site), &postgres.url(), &[]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("already holds a site"),
        "{}",
        text(&again.stderr)
    );
    postgres.drop_database().await;
    std::fs::remove_dir_all(&folder).ok();
}

#[tokio::test]
async fn sessions_stay_behind_unless_asked_for() {
    let folder = scratch("migrate-db");
    let site = folder.join("accord.db");
    running_site(&site).await;
    let postgres = TestDatabase::empty().await;
    let moved = migrate_db(&sqlite_url(&site), &postgres.url(), &[]);
    let printed = text(&moved.stdout);
    assert!(moved.status.success(), "{printed}\n{}", text(&moved.stderr));
    assert!(printed.contains("22 of 22 tables compared the same"), "{printed}");
    assert!(printed.contains("editors sign in again"), "{printed}");
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
        .fetch_one(&postgres.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    postgres.drop_database().await;
    std::fs::remove_dir_all(&folder).ok();
}

#[tokio::test]
async fn wrong_places_are_refused_before_anything_is_written() {
    let folder = scratch("migrate-db");
    let missing = folder.join("no-such.db");
    let postgres = TestDatabase::empty().await;
    for (from, to, said) in [
        (sqlite_url(&missing), postgres.url(), "does not exist"),
        (postgres.url(), postgres.url(), "--from must be a sqlite:// URL"),
        (
            sqlite_url(&missing),
            sqlite_url(&missing),
            "--to must be a postgres:// URL",
        ),
    ] {
        let refused = migrate_db(&from, &to, &[]);
        assert!(!refused.status.success(), "{from} -> {to}");
        assert!(text(&refused.stderr).contains(said), "{}", text(&refused.stderr));
    }
    assert!(!missing.exists(), "a missing site's file was created");
    let tables: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        .fetch_one(&postgres.pool)
        .await
        .unwrap();
    assert_eq!(tables, 0);
    postgres.drop_database().await;
    std::fs::remove_dir_all(&folder).ok();
}

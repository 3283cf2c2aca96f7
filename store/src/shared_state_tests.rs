//! What replicas on one PostgreSQL database must share, shared: a session
//! made through one is the same session through another, and failed
//! sign-ins and readers' suggestions through all of them count against one
//! limit, one at a time, deciding as SQLite decides.

use sqlx::SqlitePool;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{ExpiredDeletion, SessionStore};

use crate::logins::{begin_login_attempt, clear_failed_logins, ThrottleRule, FREE_FAILURES};
use crate::postgres::connect_postgres;
use crate::postgres_test_database::TestDatabase;
use crate::sessions::{stored_id, PostgresSessionStore, EXPIRY_SLACK_SECONDS};
use crate::suggestions::{submit_suggestion, Submitted, MAX_SUGGESTIONS_PER_HOUR};
use crate::Db;

fn record(expires_in: time::Duration) -> Record {
    Record {
        id: Id::default(),
        data: [("user_id".to_owned(), serde_json::json!(7))].into_iter().collect(),
        expiry_date: OffsetDateTime::now_utc() + expires_in,
    }
}

/// Two replicas: a pool each on the one database.
async fn two_replicas(database: &TestDatabase) -> (sqlx::PgPool, sqlx::PgPool) {
    (
        connect_postgres(&database.url(), 4).await.unwrap(),
        connect_postgres(&database.url(), 4).await.unwrap(),
    )
}

#[tokio::test]
async fn a_session_made_through_one_replica_is_the_same_session_through_another() {
    let database = TestDatabase::migrated().await;
    let (a, b) = two_replicas(&database).await;
    let (first, second) = (
        PostgresSessionStore::new(a.clone()),
        PostgresSessionStore::new(b.clone()),
    );
    // The signed-in editor the sessions below belong to.
    sqlx::query(
        "INSERT INTO users (id, name, role, password_hash, created_at, password_changed_at)
         VALUES (7, 'editor', 'editor', 'x', '2026-12-06', '2026-12-06')",
    )
    .execute(&a)
    .await
    .unwrap();

    let mut session = record(time::Duration::hours(8));
    first.create(&mut session).await.unwrap();
    let loaded = second
        .load(&session.id)
        .await
        .unwrap()
        .expect("the other replica finds it");
    assert_eq!(loaded.data, session.data);
    assert_eq!(
        loaded.expiry_date.unix_timestamp(),
        session.expiry_date.unix_timestamp()
    );

    // The table holds the id's hash, never the id.
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions")
        .fetch_all(&a)
        .await
        .unwrap();
    assert_eq!(ids, vec![stored_id(&session.id)]);
    assert!(!ids[0].contains(&session.id.to_string()));

    // A change saved through the second is read through the first.
    session.data.insert("language".into(), serde_json::json!("ko"));
    second.save(&session).await.unwrap();
    assert_eq!(first.load(&session.id).await.unwrap().unwrap().data, session.data);

    // Seconds of expiry alone write nothing; a minute does.
    let expiry = |pool: sqlx::PgPool| async move {
        sqlx::query_scalar::<_, i64>("SELECT expires_at FROM sessions")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let before = expiry(a.clone()).await;
    session.expiry_date += time::Duration::seconds(EXPIRY_SLACK_SECONDS - 1);
    first.save(&session).await.unwrap();
    assert_eq!(expiry(a.clone()).await, before);
    session.expiry_date += time::Duration::seconds(1);
    first.save(&session).await.unwrap();
    assert_eq!(expiry(a.clone()).await, before + EXPIRY_SLACK_SECONDS);

    // Signing out through the first ends it for the second.
    first.delete(&session.id).await.unwrap();
    assert!(second.load(&session.id).await.unwrap().is_none());

    // Expired sessions are not loaded, and are deleted, exactly they.
    let mut expired = record(time::Duration::minutes(-1));
    let mut live = record(time::Duration::minutes(1));
    first.create(&mut expired).await.unwrap();
    first.create(&mut live).await.unwrap();
    assert!(second.load(&expired.id).await.unwrap().is_none());
    second.delete_expired().await.unwrap();
    let left: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions")
        .fetch_all(&b)
        .await
        .unwrap();
    assert_eq!(left, vec![stored_id(&live.id)]);

    a.close().await;
    b.close().await;
    database.drop_database().await;
}

#[tokio::test]
async fn a_burst_of_guesses_through_two_replicas_is_counted_one_at_a_time() {
    let database = TestDatabase::migrated().await;
    let (a, b) = two_replicas(&database).await;
    let now = 1_800_000_000;
    let attempts = (0..20).map(|n| {
        let pool = if n % 2 == 0 { a.clone() } else { b.clone() };
        tokio::spawn(async move {
            begin_login_attempt(&crate::Db::postgres(pool.clone()), "editor", "203.0.113.7", now)
                .await
                .unwrap()
        })
    });
    let mut let_through = 0;
    for attempt in futures_join(attempts).await {
        if attempt.is_none() {
            let_through += 1;
        }
    }
    assert_eq!(let_through, FREE_FAILURES);
    let counted: i64 = sqlx::query_scalar("SELECT count(*) FROM failed_logins")
        .fetch_one(&a)
        .await
        .unwrap();
    assert_eq!(counted, FREE_FAILURES);
    a.close().await;
    b.close().await;
    database.drop_database().await;
}

async fn futures_join<T: Send + 'static>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut results = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        results.push(handle.await.unwrap());
    }
    results
}

/// The same attempts, at the same times, on both engines: the same answers.
#[sqlx::test(migrations = "../migrations/sqlite")]
async fn both_engines_decide_every_attempt_alike(sqlite: SqlitePool) {
    let db = Db::new(sqlite);
    let database = TestDatabase::migrated().await;
    let start = 1_800_000_000_i64;
    let mut answers = (Vec::new(), Vec::new());
    // One address guessing one account past its free failures; many
    // addresses guessing another account; the owner's typo and sign-in; and
    // the passing of the windows and of memory.
    let mut script: Vec<(&str, String, i64, bool)> = Vec::new();
    for n in 0..9 {
        script.push(("editor", "198.51.100.1".into(), start + n * 20, false));
    }
    for n in 0..14 {
        script.push(("admin", format!("192.0.2.{n}"), start + 200 + n, false));
    }
    script.push(("admin", "192.0.2.3".into(), start + 220, false));
    script.push(("admin", "203.0.113.9".into(), start + 221, false));
    script.push(("editor", "198.51.100.9".into(), start + 300, true));
    script.push(("editor", "198.51.100.1".into(), start + 4_000, false));
    script.push(("admin", "192.0.2.3".into(), start + 1_200, false));
    script.push(("editor", "198.51.100.1".into(), start + 90_000, false));
    for (user, address, now, then_clear) in &script {
        answers
            .0
            .push(begin_login_attempt(&db, user, address, *now).await.unwrap());
        answers.1.push(
            begin_login_attempt(&crate::Db::postgres(database.pool.clone()), user, address, *now)
                .await
                .unwrap(),
        );
        if *then_clear {
            clear_failed_logins(&db, user, address).await.unwrap();
            clear_failed_logins(&crate::Db::postgres(database.pool.clone()), user, address)
                .await
                .unwrap();
        }
    }
    assert_eq!(answers.0, answers.1);
    // Both rules refused something, and not everything was refused.
    let rules: Vec<_> = answers.0.iter().flatten().map(|t| t.rule).collect();
    assert!(rules.contains(&ThrottleRule::AddressGroup), "{answers:?}");
    assert!(rules.contains(&ThrottleRule::Account), "{answers:?}");
    assert!(rules.len() < script.len());
    database.drop_database().await;
}

fn a_suggestion() -> domain::Suggestion {
    domain::Suggestion {
        parties: domain::PartyChoice::AllOwing,
        status: domain::Status::InProgress,
        effective_on: chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
        note: "Talks began, says the ministry.".into(),
        source: domain::NewSource {
            publisher: "Yonhap".into(),
            title: "Talks on the FTA's second phase began".into(),
            dated_on: chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            date_basis: domain::DateBasis::Published,
            title_basis: domain::TitleBasis::Headline,
            via: None,
            url: Some("https://example.org/talks".into()),
            quote: "Talks began.".into(),
            kind: domain::SourceKind::MediaReport,
            language: Default::default(),
        },
        contact: None,
    }
}

/// The shipped site, on SQLite and copied to PostgreSQL.
async fn both_sites(sqlite: &SqlitePool) -> (TestDatabase, domain::Slug) {
    crate::test_fixture::seeded(sqlite).await;
    let postgres = TestDatabase::migrated().await;
    crate::site_copy::copy_site(
        sqlite,
        &postgres.pool,
        crate::site_copy::CopyOptions { keep_sessions: false },
    )
    .await
    .unwrap();
    let slug: String = sqlx::query_scalar("SELECT slug FROM commitments ORDER BY id LIMIT 1")
        .fetch_one(sqlite)
        .await
        .unwrap();
    (postgres, domain::Slug::parse(&slug).unwrap())
}

#[sqlx::test(migrations = "../migrations/sqlite")]
async fn a_burst_of_suggestions_through_two_replicas_keeps_to_the_hourly_limit(sqlite: SqlitePool) {
    let (database, slug) = both_sites(&sqlite).await;
    let (a, b) = two_replicas(&database).await;
    let now = chrono::Utc::now();
    let submissions = (0..12).map(|n| {
        let pool = if n % 2 == 0 { a.clone() } else { b.clone() };
        let slug = slug.clone();
        tokio::spawn(async move {
            submit_suggestion(
                &crate::Db::postgres(pool.clone()),
                &slug,
                &a_suggestion(),
                "198.51.100.4",
                now,
            )
            .await
            .unwrap()
        })
    });
    let outcomes = futures_join(submissions).await;
    let stored = outcomes.iter().filter(|o| matches!(o, Submitted::Stored(_))).count() as i64;
    assert_eq!(stored, MAX_SUGGESTIONS_PER_HOUR, "{outcomes:?}");
    assert!(outcomes
        .iter()
        .all(|o| matches!(o, Submitted::Stored(_) | Submitted::TooManyFromAddress)));
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM suggestions")
        .fetch_one(&a)
        .await
        .unwrap();
    assert_eq!(kept, MAX_SUGGESTIONS_PER_HOUR);
    a.close().await;
    b.close().await;
    database.drop_database().await;
}

/// The same submissions, at the same times, on both engines: the same
/// answers, and rows that compare equal, text formats of dates and times
/// included.
#[sqlx::test(migrations = "../migrations/sqlite")]
async fn both_engines_take_and_refuse_the_same_suggestions(sqlite: SqlitePool) {
    let (database, slug) = both_sites(&sqlite).await;
    let db = Db::new(sqlite.clone());
    let missing = domain::Slug::parse("no-such-commitment").unwrap();
    let start = chrono::Utc::now() - chrono::Duration::hours(3);
    let mut script = Vec::new();
    for n in 0..7 {
        script.push((&slug, "203.0.113.1", start + chrono::Duration::minutes(n * 5)));
    }
    script.push((&slug, "203.0.113.2", start + chrono::Duration::minutes(36)));
    script.push((&missing, "203.0.113.2", start + chrono::Duration::minutes(37)));
    script.push((&slug, "203.0.113.1", start + chrono::Duration::minutes(61)));
    script.push((
        &slug,
        "203.0.113.1",
        start + chrono::Duration::minutes(125) + chrono::Duration::microseconds(7),
    ));
    let mut answers = (Vec::new(), Vec::new());
    for (slug, address, at) in script {
        answers.0.push(
            submit_suggestion(&db, slug, &a_suggestion(), address, at)
                .await
                .unwrap(),
        );
        answers.1.push(
            submit_suggestion(
                &crate::Db::postgres(database.pool.clone()),
                slug,
                &a_suggestion(),
                address,
                at,
            )
            .await
            .unwrap(),
        );
    }
    assert_eq!(answers.0, answers.1);
    assert!(answers.0.contains(&Submitted::TooManyFromAddress));
    assert!(answers.0.contains(&Submitted::UnknownCommitment));
    let compared = crate::site_copy::compare_sites(&sqlite, &database.pool, false)
        .await
        .unwrap();
    let suggestions = compared.iter().find(|t| t.table == "suggestions").unwrap();
    assert!(suggestions.matches() && suggestions.sqlite_rows >= 7, "{suggestions:?}");
    assert!(compared.iter().all(|t| t.matches()), "{compared:#?}");
    // The review queue reads the same from both, page by page (a page past
    // the last is the last).
    for page in [1, 2, 99] {
        let on_postgres = crate::suggestions::list_pending_suggestions(&database.pool, page)
            .await
            .unwrap();
        assert_eq!(
            on_postgres,
            crate::suggestions::list_pending_suggestions(&sqlite, page)
                .await
                .unwrap(),
            "page {page}"
        );
        assert!(on_postgres.total >= 7 && !on_postgres.suggestions.is_empty());
    }
    database.drop_database().await;
}

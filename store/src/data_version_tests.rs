//! `Db::data_version`, the signal the page cache keeps pages by: it moves
//! after a committed write readers see, and never for a refused write, a
//! session, or an account change.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

use super::editing::record_status_change;
use super::{sessions, users};
use crate::test_fixture::{both_engines, editor, on_engine, seeded};
use crate::Db;
use domain::{PartyChoice, PartyCode, Role, Status, StatusChange};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap()
}

fn change(version: i64, source_ids: Vec<i64>) -> StatusChange {
    StatusChange {
        parties: PartyChoice::One(PartyCode::parse("kr").unwrap()),
        status: Status::InProgress,
        effective_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        note: "Negotiators met in Seoul.".into(),
        source_ids,
        new_source: None,
        expected_version: version,
    }
}

both_engines!(only_committed_writes_readers_see_move_the_data_version);
async fn only_committed_writes_readers_see_move_the_data_version(db: Db) {
    let data = seeded(&db).await;
    let alice = editor(&db, "alice").await;
    let slug = data
        .commitments
        .iter()
        .find(|c| c.owed_by.iter().any(|p| p.as_str() == "kr"))
        .unwrap()
        .slug
        .clone();
    let source: i64 = on_engine!(db, |pool| {
        sqlx::query_scalar(
        "SELECT cs.source_id FROM commitment_sources cs JOIN commitments c ON c.id = cs.commitment_id WHERE c.slug = $1 LIMIT 1",
    )
    .bind(slug.as_str())
    .fetch_one(pool)
    .await
    .unwrap()
    });
    let start = db.data_version();

    // Sessions and accounts are not what readers see.
    let store = sessions::SiteSessionStore::new(db.clone());
    let mut record = Record {
        id: Id::default(),
        data: [(sessions::USER_ID_KEY.to_owned(), serde_json::json!(alice.id))]
            .into_iter()
            .collect(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    store.create(&mut record).await.unwrap();
    store.save(&record).await.unwrap();
    store.delete(&record.id).await.unwrap();
    users::create_user(&db, "bob", Role::Editor, "correct horse battery", now())
        .await
        .unwrap();
    users::set_password(&db, "bob", "a brand new password", now())
        .await
        .unwrap();
    assert_eq!(db.data_version(), start, "sessions and accounts");

    // A refused write (a stale form; a source of another commitment).
    assert!(
        record_status_change(&db, &slug, &change(99, vec![source]), &alice, now())
            .await
            .is_err()
    );
    assert!(record_status_change(&db, &slug, &change(1, vec![-1]), &alice, now())
        .await
        .is_err());
    assert_eq!(db.data_version(), start, "refused writes");

    // A saved status change (through the group commit).
    record_status_change(&db, &slug, &change(1, vec![source]), &alice, now())
        .await
        .unwrap();
    assert_eq!(db.data_version(), start + 1, "a committed status change");
}

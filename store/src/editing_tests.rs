//! The write path, users, sessions and sign-in throttling against a real
//! database built from the migrations.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::editing::record_status_change;
use super::{commitments, sessions, users};
use crate::test_fixture::{both_engines, editor, on_engine, seeded};
use crate::Db;
use crate::{Refusal, WriteError};
use domain::{CurrentUser, Dataset, NewSource, PartyChoice, PartyCode, Role, Slug, SourceKind, Status, StatusChange};

/// The instant every write of these tests is made at: fixed, so no test
/// depends on today's date (a revert's status changes take effect on the
/// day it is made, after the changes the tests record in March and May).
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap()
}

fn bilateral(data: &Dataset) -> Slug {
    data.commitments
        .iter()
        .find(|c| c.owed_by.len() == 2)
        .unwrap()
        .slug
        .clone()
}

/// The status the seed file gives `party` for `slug` (the tests do not
/// assume which: that is the seed's editorial judgement).
fn seeded_status(data: &Dataset, slug: &Slug, party: &str) -> Status {
    data.commitments
        .iter()
        .find(|c| &c.slug == slug)
        .unwrap()
        .status
        .iter()
        .find(|s| s.party.as_str() == party)
        .unwrap()
        .status
}

async fn first_source_id(db: &Db, slug: &Slug) -> i64 {
    let record = commitments::find_commitment_by_slug(db, slug).await.unwrap().unwrap();
    record.sources[0].id
}

fn change(party: PartyChoice, status: Status, source_ids: Vec<i64>, version: i64) -> StatusChange {
    StatusChange {
        parties: party,
        status,
        effective_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        note: "Negotiators met in Seoul.".into(),
        source_ids,
        new_source: None,
        expected_version: version,
    }
}

/// The commitment as its page shows it.
async fn record_of(db: &Db, slug: &Slug) -> commitments::CommitmentRecord {
    commitments::find_commitment_by_slug(db, slug).await.unwrap().unwrap()
}

async fn count(db: &Db, table: &str) -> i64 {
    on_engine!(db, |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM {table}"
    )))
    .fetch_one(pool)
    .await
    .unwrap())
}

both_engines!(a_status_change_is_recorded_with_its_evidence_and_a_revision);
async fn a_status_change_is_recorded_with_its_evidence_and_a_revision(db: Db) {
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let alice = editor(&db, "alice").await;
    let source = first_source_id(&db, &slug).await;
    let kr = PartyChoice::One(PartyCode::parse("kr").unwrap());
    let recorded = record_status_change(
        &db,
        &slug,
        &change(kr, Status::InProgress, vec![source], 1),
        &alice,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(recorded.version, 2);
    assert_eq!(recorded.status_update_ids.len(), 1);

    let record = record_of(&db, &slug).await;
    assert_eq!(record.version, 2);
    let newest = &record.timeline[0];
    assert_eq!(newest.id, recorded.status_update_ids[0]);
    assert_eq!(
        (newest.status, newest.recorded_by.as_str()),
        (Status::InProgress, "alice")
    );
    assert_eq!(newest.sources.iter().map(|s| s.id).collect::<Vec<_>>(), vec![source]);

    let (summary, before, after): (String, String, String) = on_engine!(db, |pool| sqlx::query_as(
        "SELECT summary, before_json, after_json FROM revisions WHERE version = 2"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    let was = seeded_status(&data, &slug, "kr");
    assert!(
        summary.contains(&format!("South Korea: {} → In progress", was.label())),
        "{summary}"
    );
    let snapshot = |json: &str| serde_json::from_str::<domain::CommitmentSnapshot>(json).unwrap();
    let kr = PartyCode::parse("kr").unwrap();
    assert_eq!(
        (snapshot(&before).status_of(&kr), snapshot(&after).status_of(&kr)),
        (was, Status::InProgress)
    );
}

both_engines!(both_parties_at_once_and_a_new_source);
async fn both_parties_at_once_and_a_new_source(db: Db) {
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let alice = editor(&db, "alice").await;
    let sources_before = count(&db, "sources").await;
    let mut both = change(PartyChoice::AllOwing, Status::Stalled, vec![], 1);
    both.new_source = Some(NewSource {
        publisher: "Yonhap".into(),
        title: "Talks paused".into(),
        dated_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        date_basis: domain::DateBasis::Published,
        title_basis: domain::TitleBasis::Headline,
        via: None,
        url: Some("https://example.org/talks".into()),
        quote: "The talks were paused.".into(),
        kind: SourceKind::MediaReport,
        language: Default::default(),
    });
    let recorded = record_status_change(&db, &slug, &both, &alice, now()).await.unwrap();
    assert_eq!(recorded.status_update_ids.len(), 2);
    assert_eq!(count(&db, "sources").await, sources_before + 1);
    let record = record_of(&db, &slug).await;
    assert_eq!(
        record
            .commitment
            .party_statuses
            .iter()
            .map(|p| (p.party.code.as_str(), p.status))
            .collect::<Vec<_>>(),
        [("cn", Status::Stalled), ("kr", Status::Stalled)]
    );
    assert!(
        record.sources.iter().any(|s| s.text.publisher == "Yonhap"),
        "the new source is listed with the commitment"
    );
}

both_engines!(a_status_change_revision_records_the_full_state_after_it);
/// The revision's "after" is assembled from the statuses (and sources) a
/// status change touches; it must equal a full snapshot read afterwards.
async fn a_status_change_revision_records_the_full_state_after_it(db: Db) {
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let alice = editor(&db, "alice").await;
    let source = first_source_id(&db, &slug).await;
    let mut with_new_source = change(PartyChoice::AllOwing, Status::Stalled, vec![source], 2);
    with_new_source.new_source = Some(NewSource {
        publisher: "Yonhap".into(),
        title: "Talks paused".into(),
        dated_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        date_basis: domain::DateBasis::Published,
        title_basis: domain::TitleBasis::Headline,
        via: None,
        url: None,
        quote: "The talks were paused.".into(),
        kind: SourceKind::MediaReport,
        language: Default::default(),
    });
    let changes = [
        change(
            PartyChoice::One(PartyCode::parse("kr").unwrap()),
            Status::InProgress,
            vec![source],
            1,
        ),
        with_new_source,
    ];
    for change in &changes {
        record_status_change(&db, &slug, change, &alice, now()).await.unwrap();
        let stored: String = on_engine!(db, |pool| sqlx::query_scalar(
            "SELECT r.after_json FROM revisions r JOIN commitments c ON c.id = r.commitment_id
             WHERE c.slug = $1 ORDER BY r.version DESC LIMIT 1",
        )
        .bind(slug.as_str())
        .fetch_one(pool)
        .await
        .unwrap());
        let stored: domain::CommitmentSnapshot = serde_json::from_str(&stored).unwrap();
        let id: i64 = on_engine!(db, |pool| sqlx::query_scalar(
            "SELECT id FROM commitments WHERE slug = $1"
        )
        .bind(slug.as_str())
        .fetch_one(pool)
        .await
        .unwrap());
        let fresh = on_engine!(db, |pool| {
            let mut tx = pool.begin().await.unwrap();
            let fresh = super::editing::snapshot(&mut crate::engine::Tx::from(&mut *tx), id)
                .await
                .unwrap();
            tx.rollback().await.unwrap();
            fresh
        });
        assert_eq!(stored, fresh);
    }
}

both_engines!(the_timeline_carries_the_latest_changes_and_counts_them_all);
/// A commitment's page carries its latest status changes only, and says how
/// many there are.
async fn the_timeline_carries_the_latest_changes_and_counts_them_all(db: Db) {
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let alice = editor(&db, "alice").await;
    let source = first_source_id(&db, &slug).await;
    let start = record_of(&db, &slug).await;
    let extra = domain::TIMELINE_LIMIT + 3 - start.timeline.len();
    let statuses = [Status::InProgress, Status::Stalled];
    for i in 0..extra {
        let mut step = change(
            PartyChoice::AllOwing,
            statuses[i % 2],
            vec![source],
            start.version + i as i64,
        );
        step.note = format!("Step {i}");
        record_status_change(&db, &slug, &step, &alice, now()).await.unwrap();
    }
    let record = record_of(&db, &slug).await;
    let total = start.timeline_total + 2 * extra as u64;
    assert_eq!(record.timeline_total, total);
    assert_eq!(record.timeline.len(), domain::TIMELINE_LIMIT);
    assert_eq!(record.timeline[0].note, format!("Step {}", extra - 1), "newest first");
}

both_engines!(a_stale_form_is_refused_naming_the_change_it_missed);
async fn a_stale_form_is_refused_naming_the_change_it_missed(db: Db) {
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let alice = editor(&db, "alice").await;
    let bob = editor(&db, "bob").await;
    let source = first_source_id(&db, &slug).await;
    let cn = PartyChoice::One(PartyCode::parse("cn").unwrap());
    // Both loaded the form at version 1; Alice saves first.
    record_status_change(
        &db,
        &slug,
        &change(cn.clone(), Status::InProgress, vec![source], 1),
        &alice,
        now(),
    )
    .await
    .unwrap();
    let updates = count(&db, "status_updates").await;
    let err = record_status_change(&db, &slug, &change(cn, Status::Fulfilled, vec![source], 1), &bob, now())
        .await
        .unwrap_err();
    let WriteError::StaleVersion(info) = err else {
        panic!("expected a conflict, got {err:?}")
    };
    assert_eq!(info.changed_by, "alice");
    assert_eq!(info.current_version, 2);
    let was = seeded_status(&data, &slug, "cn");
    assert!(
        info.change.contains(&format!("China: {} → In progress", was.label())),
        "{}",
        info.change
    );
    assert!(info.message().contains("alice changed this commitment"));
    assert_eq!(
        count(&db, "status_updates").await,
        updates,
        "nothing of Bob's was written"
    );
    let record = record_of(&db, &slug).await;
    assert_eq!(record.version, 2);
}

both_engines!(concurrent_saves_from_the_same_version_let_exactly_one_through);
async fn concurrent_saves_from_the_same_version_let_exactly_one_through(db: Db) {
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let source = first_source_id(&db, &slug).await;
    let mut editors = Vec::new();
    for i in 0..8 {
        editors.push(editor(&db, &format!("editor{i}")).await);
    }
    let tasks: Vec<_> = editors
        .into_iter()
        .map(|who| {
            let db = db.clone();
            let slug = slug.clone();
            tokio::spawn(async move {
                let c = change(PartyChoice::AllOwing, Status::InProgress, vec![source], 1);
                record_status_change(&db, &slug, &c, &who, now()).await
            })
        })
        .collect();
    let mut saved = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => saved += 1,
            Err(WriteError::StaleVersion(_)) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(saved, 1, "one editor wins, the others are told");
    assert_eq!(count(&db, "revisions").await, 1);
}

both_engines!(parties_and_sources_must_belong_to_the_commitment);
async fn parties_and_sources_must_belong_to_the_commitment(db: Db) {
    let data = seeded(&db).await;
    let single = data.commitments.iter().find(|c| c.owed_by.len() == 1).unwrap();
    let other_party = if single.owed_by[0].as_str() == "cn" { "kr" } else { "cn" };
    let alice = editor(&db, "alice").await;
    let source = first_source_id(&db, &single.slug).await;
    let wrong_party = change(
        PartyChoice::One(PartyCode::parse(other_party).unwrap()),
        Status::InProgress,
        vec![source],
        1,
    );
    let err = record_status_change(&db, &single.slug, &wrong_party, &alice, now()).await;
    assert!(
        matches!(err, Err(WriteError::Refused(Refusal::PartyNotOwing))),
        "{err:?}"
    );

    let foreign: i64 = on_engine!(db, |pool| {
        sqlx::query_scalar(
        "SELECT id FROM sources WHERE id NOT IN (SELECT source_id FROM commitment_sources cs JOIN commitments c ON c.id = cs.commitment_id WHERE c.slug = $1) LIMIT 1",
    )
    .bind(single.slug.as_str())
    .fetch_one(pool)
    .await
    .unwrap()
    });
    let wrong_source = change(PartyChoice::AllOwing, Status::InProgress, vec![foreign], 1);
    let err = record_status_change(&db, &single.slug, &wrong_source, &alice, now()).await;
    assert!(
        matches!(err, Err(WriteError::Refused(Refusal::CitedSourceNotOnCommitment))),
        "{err:?}"
    );

    // Refusals roll back the version bump too.
    let record = commitments::find_commitment_by_slug(&db, &single.slug)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.version, 1);
    assert_eq!(count(&db, "revisions").await, 0);
    // The same change was looked up and refused for what it cites above; on
    // a slug no commitment has, it is not found at all.
    let missing = Slug::parse("no-such-thing").unwrap();
    let err = record_status_change(&db, &missing, &wrong_source, &alice, now()).await;
    assert!(matches!(err, Err(WriteError::NotFound)), "{err:?}");
}

both_engines!(revisions_are_append_only);
async fn revisions_are_append_only(db: Db) {
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let alice = editor(&db, "alice").await;
    let source = first_source_id(&db, &slug).await;
    record_status_change(
        &db,
        &slug,
        &change(PartyChoice::AllOwing, Status::InProgress, vec![source], 1),
        &alice,
        now(),
    )
    .await
    .unwrap();
    let update = on_engine!(db, |pool| sqlx::query("UPDATE revisions SET summary = 'x'")
        .execute(pool)
        .await
        .map(|_| ()));
    assert!(
        update.unwrap_err().to_string().contains("revisions are append-only"),
        "refused by the trigger"
    );
    let delete = on_engine!(db, |pool| sqlx::query("DELETE FROM revisions")
        .execute(pool)
        .await
        .map(|_| ()));
    assert!(delete.unwrap_err().to_string().contains("revisions are append-only"));
    let summaries: Vec<String> = on_engine!(db, |pool| sqlx::query_scalar("SELECT summary FROM revisions")
        .fetch_all(pool)
        .await
        .unwrap());
    assert_eq!(summaries.len(), 1);
    assert_ne!(summaries[0], "x");
}

both_engines!(accounts_hash_passwords_and_refuse_without_saying_why);
async fn accounts_hash_passwords_and_refuse_without_saying_why(db: Db) {
    let id = users::create_user(&db, "alice", Role::Editor, "correct horse battery", now())
        .await
        .unwrap();
    let stored: String = on_engine!(db, |pool| sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_one(pool)
        .await
        .unwrap());
    assert!(stored.starts_with("$argon2id$") && !stored.contains("correct horse"));
    assert!(matches!(
        users::create_user(&db, "ALICE", Role::Admin, "another long password", now()).await,
        Err(users::UserError::NameTaken(_))
    ));
    let ok = users::verify_credentials(&db, "alice", "correct horse battery")
        .await
        .unwrap();
    assert_eq!(
        ok,
        Some(CurrentUser {
            id,
            name: "alice".into(),
            role: Role::Editor
        })
    );
    assert_eq!(
        users::verify_credentials(&db, "alice", "wrong password!!")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        users::verify_credentials(&db, "nobody", "correct horse battery")
            .await
            .unwrap(),
        None
    );
    users::set_disabled(&db, "alice", true, now()).await.unwrap();
    assert_eq!(
        users::verify_credentials(&db, "alice", "correct horse battery")
            .await
            .unwrap(),
        None
    );
    assert_eq!(users::find_active_user(&db, id).await.unwrap(), None);
}

both_engines!(password_change_and_disabling_end_sessions);
async fn password_change_and_disabling_end_sessions(db: Db) {
    use tower_sessions::session::{Id, Record};
    use tower_sessions::session_store::SessionStore;
    let id = users::create_user(&db, "alice", Role::Editor, "correct horse battery", now())
        .await
        .unwrap();
    let store = sessions::SiteSessionStore::new(db.clone());
    let mut record = Record {
        id: Id::default(),
        data: [(sessions::USER_ID_KEY.to_owned(), serde_json::json!(id))]
            .into_iter()
            .collect(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    store.create(&mut record).await.unwrap();
    assert_eq!(store.load(&record.id).await.unwrap().unwrap().data, record.data);
    users::set_password(&db, "alice", "a brand new password", now())
        .await
        .unwrap();
    assert!(
        store.load(&record.id).await.unwrap().is_none(),
        "password change ends sessions"
    );
    assert!(users::verify_credentials(&db, "alice", "a brand new password")
        .await
        .unwrap()
        .is_some());

    store.create(&mut record).await.unwrap();
    users::set_disabled(&db, "alice", true, now()).await.unwrap();
    assert!(
        store.load(&record.id).await.unwrap().is_none(),
        "disabling ends sessions"
    );
    assert!(matches!(
        users::set_password(&db, "nobody", "whatever long pw", now()).await,
        Err(users::UserError::NotFound(_))
    ));
}

both_engines!(expired_sessions_are_not_loaded_and_are_deleted);
async fn expired_sessions_are_not_loaded_and_are_deleted(db: Db) {
    use tower_sessions::session::{Id, Record};
    use tower_sessions::session_store::{ExpiredDeletion, SessionStore};
    let store = sessions::SiteSessionStore::new(db.clone());
    let mut old = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() - time::Duration::minutes(1),
    };
    store.create(&mut old).await.unwrap();
    assert_eq!(count(&db, "sessions").await, 1, "stored, though expired");
    assert!(store.load(&old.id).await.unwrap().is_none());
    store.delete_expired().await.unwrap();
    assert_eq!(count(&db, "sessions").await, 0);
    let mut live = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    store.create(&mut live).await.unwrap();
    assert!(
        store.load(&live.id).await.unwrap().is_some(),
        "a live session is loaded"
    );
    store.delete_expired().await.unwrap();
    assert!(
        store.load(&live.id).await.unwrap().is_some(),
        "and not deleted as expired"
    );
    store.delete(&live.id).await.unwrap();
    assert!(store.load(&live.id).await.unwrap().is_none());
}

both_engines!(reverting_to_the_seeded_version_restores_every_status_it_had);
async fn reverting_to_the_seeded_version_restores_every_status_it_had(db: Db) {
    use super::editing::revert_commitment;
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let alice = editor(&db, "alice").await;
    let source = first_source_id(&db, &slug).await;
    let seeded_statuses = |record: &commitments::CommitmentRecord| {
        record
            .commitment
            .party_statuses
            .iter()
            .map(|p| (p.party.code.to_string(), p.status))
            .collect::<Vec<_>>()
    };
    let as_seeded = seeded_statuses(&record_of(&db, &slug).await);
    for (version, status) in [(1, Status::InProgress), (2, Status::Stalled)] {
        record_status_change(
            &db,
            &slug,
            &change(PartyChoice::AllOwing, status, vec![source], version),
            &alice,
            now(),
        )
        .await
        .unwrap();
    }
    assert_ne!(seeded_statuses(&record_of(&db, &slug).await), as_seeded);
    assert_eq!(revert_commitment(&db, &slug, 1, 3, &alice, now()).await.unwrap(), 4);
    assert_eq!(
        seeded_statuses(&record_of(&db, &slug).await),
        as_seeded,
        "each party is back at the status the summit's data gave it"
    );
    // Version 0 and the version being written never existed to go back to.
    for missing in [0, 5] {
        assert!(matches!(
            revert_commitment(&db, &slug, missing, 4, &alice, now()).await,
            Err(WriteError::Refused(Refusal::NoSuchVersion(v))) if v == missing
        ));
    }
}

both_engines!(a_revert_restores_statuses_dated_ahead_of_the_utc_day);
/// Before 09:00 in Seoul the summit's day is a day ahead of UTC: a change
/// the form accepts as effective "today" there is dated after UTC's today.
/// A revert made then still restores the earlier statuses.
async fn a_revert_restores_statuses_dated_ahead_of_the_utc_day(db: Db) {
    use super::editing::revert_commitment;
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let alice = editor(&db, "alice").await;
    let source = first_source_id(&db, &slug).await;
    // 08:30 on 2 March in Seoul, 23:30 on 1 March in UTC.
    let early = Utc.with_ymd_and_hms(2026, 3, 1, 23, 30, 0).unwrap();
    let seeded: Vec<(String, Status)> = ["cn", "kr"]
        .into_iter()
        .map(|party| (party.to_owned(), seeded_status(&data, &slug, party)))
        .collect();
    // A status neither party has yet, so the revert has something to undo.
    let other = [Status::InProgress, Status::Stalled, Status::PartlyFulfilled]
        .into_iter()
        .find(|s| seeded.iter().all(|(_, seeded)| seeded != s))
        .unwrap();
    let mut started = change(PartyChoice::AllOwing, other, vec![source], 1);
    started.effective_on = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    record_status_change(&db, &slug, &started, &alice, early).await.unwrap();
    revert_commitment(&db, &slug, 1, 2, &alice, early + chrono::Duration::minutes(10))
        .await
        .unwrap();
    let record = record_of(&db, &slug).await;
    let statuses: Vec<(String, Status)> = record
        .commitment
        .party_statuses
        .iter()
        .map(|p| (p.party.code.to_string(), p.status))
        .collect();
    assert_eq!(statuses, seeded, "the revert restored the seeded statuses");
    assert!(record.timeline[0].note.contains("Reverted to version 1"));
}

both_engines!(a_party_with_no_status_at_the_version_reverted_to_goes_back_to_not_yet_rated);
async fn a_party_with_no_status_at_the_version_reverted_to_goes_back_to_not_yet_rated(db: Db) {
    use super::editing::{create_commitment, revert_commitment};
    seeded(&db).await;
    let alice = editor(&db, "alice").await;
    // Version 1 of a new commitment: owed by both, no status recorded yet.
    let slug = create_commitment(&db, &fields("Resume ferry routes", &["cn", "kr"]), &alice, now())
        .await
        .unwrap();
    let mut started = change(PartyChoice::AllOwing, Status::InProgress, vec![], 1);
    started.new_source = Some(NewSource {
        publisher: "Yonhap".into(),
        title: "Ferries sail again".into(),
        dated_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        date_basis: domain::DateBasis::Published,
        title_basis: domain::TitleBasis::Headline,
        via: None,
        url: Some("https://example.org/ferries".into()),
        quote: "The first ferry sailed on Sunday.".into(),
        kind: SourceKind::MediaReport,
        language: Default::default(),
    });
    record_status_change(&db, &slug, &started, &alice, now()).await.unwrap();
    let statuses = |record: &commitments::CommitmentRecord| {
        record
            .commitment
            .party_statuses
            .iter()
            .map(|p| p.status)
            .collect::<Vec<_>>()
    };
    assert_eq!(statuses(&record_of(&db, &slug).await), [Status::InProgress; 2]);
    assert_eq!(revert_commitment(&db, &slug, 1, 2, &alice, now()).await.unwrap(), 3);
    let record = record_of(&db, &slug).await;
    assert_eq!(statuses(&record), [Status::NotYetRated; 2]);
    assert!(
        record.timeline[0].note.contains("no status had been recorded then"),
        "{}",
        record.timeline[0].note
    );
    assert!(record.timeline[0].sources.is_empty(), "no evidence is claimed for it");
}

both_engines!(reverting_restores_an_earlier_state_as_a_new_revision);
async fn reverting_restores_an_earlier_state_as_a_new_revision(db: Db) {
    use super::commitments::list_history_page;
    use super::editing::revert_commitment;
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let alice = editor(&db, "alice").await;
    let source = first_source_id(&db, &slug).await;
    let kr = PartyChoice::One(PartyCode::parse("kr").unwrap());
    record_status_change(
        &db,
        &slug,
        &change(kr.clone(), Status::InProgress, vec![source], 1),
        &alice,
        now(),
    )
    .await
    .unwrap();
    record_status_change(&db, &slug, &change(kr, Status::Stalled, vec![source], 2), &alice, now())
        .await
        .unwrap();
    let updates = count(&db, "status_updates").await;

    // A stale revert is refused like any other edit.
    assert!(matches!(
        revert_commitment(&db, &slug, 2, 2, &alice, now()).await,
        Err(WriteError::StaleVersion(_))
    ));
    assert!(matches!(
        revert_commitment(&db, &slug, 99, 3, &alice, now()).await,
        Err(WriteError::Refused(Refusal::NoSuchVersion(99)))
    ));

    let version = revert_commitment(&db, &slug, 2, 3, &alice, now()).await.unwrap();
    assert_eq!(version, 4);
    assert_eq!(
        count(&db, "status_updates").await,
        updates + 1,
        "history is appended to, never rewritten"
    );
    let record = record_of(&db, &slug).await;
    let kr_status = record
        .commitment
        .party_statuses
        .iter()
        .find(|p| p.party.code.as_str() == "kr")
        .unwrap();
    assert_eq!(kr_status.status, Status::InProgress);
    let restored = &record.timeline[0];
    assert!(restored.note.contains("Reverted to version 2"));
    assert_eq!(
        restored.sources.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![source],
        "cites the restored evidence"
    );

    let history = list_history_page(&db, &slug, None, u32::MAX).await.unwrap().unwrap();
    assert_eq!(history.current_version, 4);
    assert_eq!(
        history.revisions.iter().map(|r| r.version).collect::<Vec<_>>(),
        vec![4, 3, 2, 1],
        "the seeded first version is listed too"
    );
    assert_eq!(history.revisions[3].recorded_by, super::editing::SEEDED_BY);
    assert_eq!(history.revisions[0].action, "revert");
    assert!(
        history.revisions[0]
            .changes
            .iter()
            .any(|c| c.contains("Stalled → In progress")),
        "{:?}",
        history.revisions[0].changes
    );
    assert!(history.revisions[1]
        .changes
        .iter()
        .any(|c| c.contains("In progress → Stalled")));
}

fn fields(title: &str, owed: &[&str]) -> domain::CommitmentFields {
    domain::CommitmentFields {
        title: title.into(),
        summary: "Agreed at the summit.".into(),
        theme: domain::Theme::PeopleToPeople,
        proposed_by: None,
        owed_by: owed.iter().map(|c| PartyCode::parse(c).unwrap()).collect(),
        due_on: None,
        due_basis: None,
        due_note: None,
        summit: Slug::parse("xi-lee-2025-11-01").unwrap(),
    }
}

both_engines!(new_commitments_get_a_unique_slug_that_survives_title_edits);
async fn new_commitments_get_a_unique_slug_that_survives_title_edits(db: Db) {
    use super::commitments::list_history_page;
    use super::editing::{create_commitment, update_commitment};
    seeded(&db).await;
    let alice = editor(&db, "alice").await;
    let first = create_commitment(&db, &fields("Resume ferry routes", &["cn", "kr"]), &alice, now())
        .await
        .unwrap();
    assert_eq!(first.as_str(), "resume-ferry-routes");
    let second = create_commitment(&db, &fields("Resume ferry routes!", &["kr"]), &alice, now())
        .await
        .unwrap();
    assert_eq!(second.as_str(), "resume-ferry-routes-2");

    let record = record_of(&db, &first).await;
    assert_eq!(record.commitment.party_statuses.len(), 2);
    assert!(record
        .commitment
        .party_statuses
        .iter()
        .all(|p| p.status == Status::NotYetRated));

    let version = update_commitment(
        &db,
        &first,
        &fields("Reopen all ferry routes", &["cn", "kr"]),
        1,
        &alice,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(version, 2);
    let record = record_of(&db, &first).await;
    assert_eq!(record.commitment.title, "Reopen all ferry routes");
    assert_eq!(record.commitment.slug, first, "the link keeps working");
    let history = list_history_page(&db, &first, None, u32::MAX).await.unwrap().unwrap();
    assert_eq!(
        history.revisions.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
        vec!["edit", "create"]
    );
    assert!(
        history.revisions[0].changes.iter().any(|c| c.contains("Title")),
        "{:?}",
        history.revisions[0].changes
    );

    // Stale edits are refused.
    let stale = update_commitment(&db, &first, &fields("Something else", &["cn", "kr"]), 1, &alice, now()).await;
    assert!(matches!(stale, Err(WriteError::StaleVersion(_))));
}

both_engines!(a_party_with_history_cannot_be_dropped_and_unknown_summits_are_refused);
async fn a_party_with_history_cannot_be_dropped_and_unknown_summits_are_refused(db: Db) {
    use super::editing::{create_commitment, update_commitment};
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let alice = editor(&db, "alice").await;
    let title = data.commitments.iter().find(|c| c.slug == slug).unwrap().title.clone();
    let err = update_commitment(&db, &slug, &fields(&title, &["cn"]), 1, &alice, now()).await;
    assert!(
        matches!(err, Err(WriteError::Refused(Refusal::PartyHasHistory))),
        "{err:?}"
    );
    let mut elsewhere = fields(&title, &["cn", "kr"]);
    elsewhere.summit = Slug::parse("no-such-summit").unwrap();
    let err = update_commitment(&db, &slug, &elsewhere, 1, &alice, now()).await;
    assert!(
        matches!(err, Err(WriteError::Refused(Refusal::UnknownSummit))),
        "{err:?}"
    );
    let err = create_commitment(&db, &elsewhere, &alice, now()).await;
    assert!(
        matches!(err, Err(WriteError::Refused(Refusal::UnknownSummit))),
        "{err:?}"
    );
    // The stored summit is known: the same fields on it are saved.
    let created = create_commitment(
        &db,
        &fields("A known summit's commitment", &["cn", "kr"]),
        &alice,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(record_of(&db, &created).await.summit.slug.as_str(), "xi-lee-2025-11-01");
    let record = record_of(&db, &slug).await;
    assert_eq!(
        (record.version, record.commitment.title),
        (1, title),
        "refusals changed nothing"
    );
}

both_engines!(sources_are_added_corrected_and_removed_unless_cited);
async fn sources_are_added_corrected_and_removed_unless_cited(db: Db) {
    use super::editing::{edit_sources, SourceEdit};
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let alice = editor(&db, "alice").await;
    let new = NewSource {
        publisher: "Yonhap".into(),
        title: "Ferry talks".into(),
        dated_on: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
        date_basis: domain::DateBasis::Published,
        title_basis: domain::TitleBasis::Headline,
        via: None,
        url: None,
        quote: "Officials met.".into(),
        kind: SourceKind::MediaReport,
        language: Default::default(),
    };
    edit_sources(&db, &slug, SourceEdit::Add(&new), 1, &alice, now())
        .await
        .unwrap();
    let record = record_of(&db, &slug).await;
    let added = record.sources.iter().find(|s| s.text.publisher == "Yonhap").unwrap().id;
    let cited = record.timeline[0].sources[0].id;

    // The correction also records that the source was published in Korean.
    let corrected = NewSource {
        title: "Ferry talks resume".into(),
        language: "ko".parse().unwrap(),
        ..new.clone()
    };
    edit_sources(
        &db,
        &slug,
        SourceEdit::Correct(added, &corrected, "Wrong quote."),
        2,
        &alice,
        now(),
    )
    .await
    .unwrap();
    let language: String = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT language FROM sources WHERE id = $1"
    )
    .bind(added)
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(language, "ko", "a source keeps the language it was published in");
    let err = edit_sources(&db, &slug, SourceEdit::Remove(cited), 3, &alice, now()).await;
    assert!(
        matches!(err, Err(WriteError::Refused(Refusal::SourceIsEvidence))),
        "{err:?}"
    );
    // A source another commitment lists and this one does not.
    let foreign: i64 = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT cs.source_id FROM commitment_sources cs JOIN commitments c ON c.id = cs.commitment_id
         WHERE c.slug <> $1
           AND cs.source_id NOT IN (SELECT source_id FROM commitment_sources
                                    WHERE commitment_id = (SELECT id FROM commitments WHERE slug = $1))
         ORDER BY cs.source_id LIMIT 1",
    )
    .bind(slug.as_str())
    .fetch_one(pool)
    .await
    .expect("some other commitment lists a source this one does not"));
    assert!(record.sources.iter().all(|s| s.id != foreign));
    let err = edit_sources(&db, &slug, SourceEdit::Remove(foreign), 3, &alice, now()).await;
    assert!(
        matches!(err, Err(WriteError::Refused(Refusal::SourceNotOnCommitment))),
        "{err:?}"
    );
    let wrong = NewSource {
        title: "Not this commitment's".into(),
        ..new.clone()
    };
    let err = edit_sources(
        &db,
        &slug,
        SourceEdit::Correct(foreign, &wrong, "Wrong commitment."),
        3,
        &alice,
        now(),
    )
    .await;
    assert!(
        matches!(err, Err(WriteError::Refused(Refusal::SourceNotOnCommitment))),
        "{err:?}"
    );
    assert_eq!(record_of(&db, &slug).await.version, 3, "the refusals wrote nothing");
    edit_sources(&db, &slug, SourceEdit::Remove(added), 3, &alice, now())
        .await
        .unwrap();
    let record = record_of(&db, &slug).await;
    assert!(record.sources.iter().all(|s| s.id != added));
    assert_eq!(record.version, 4);
    let summaries: Vec<String> = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT summary FROM revisions ORDER BY version"
    )
    .fetch_all(pool)
    .await
    .unwrap());
    assert_eq!(summaries.len(), 3);
    assert!(
        summaries[1].contains("Ferry talks resume") && summaries[2].contains("Removed source"),
        "{summaries:?}"
    );
}

both_engines!(accepting_a_suggestion_records_the_change_and_the_decision_together);
async fn accepting_a_suggestion_records_the_change_and_the_decision_together(db: Db) {
    use super::suggestions::{accept_suggestion, list_pending_suggestions, submit_suggestion};
    let data = seeded(&db).await;
    let slug = bilateral(&data);
    let alice = editor(&db, "alice").await;
    let suggestion = domain::Suggestion {
        parties: PartyChoice::One(PartyCode::parse("cn").unwrap()),
        status: Status::InProgress,
        effective_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
        note: "Seen in the news.".into(),
        source: NewSource {
            publisher: "Yonhap".into(),
            title: "Talks".into(),
            dated_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            date_basis: domain::DateBasis::Published,
            title_basis: domain::TitleBasis::Headline,
            via: None,
            url: None,
            quote: "Talks began.".into(),
            kind: SourceKind::MediaReport,
            language: Default::default(),
        },
        contact: Some("r@example.org".into()),
    };
    let super::suggestions::Submitted::Stored(id) = submit_suggestion(&db, &slug, &suggestion, "10.0.0.1", now())
        .await
        .unwrap()
    else {
        panic!("stored")
    };
    // The real slug above was found (a suggestion id came back); a slug no
    // commitment has is not, and stores nothing.
    let missing = Slug::parse("no-such").unwrap();
    assert_eq!(
        submit_suggestion(&db, &missing, &suggestion, "10.0.0.1", now())
            .await
            .unwrap(),
        super::suggestions::Submitted::UnknownCommitment
    );
    let pending = list_pending_suggestions(&db, 1).await.unwrap().suggestions;
    assert_eq!(pending.iter().map(|p| p.id).collect::<Vec<_>>(), vec![id]);
    assert_eq!(accept_suggestion(&db, id, &alice, now()).await.unwrap(), slug);
    assert!(list_pending_suggestions(&db, 1).await.unwrap().suggestions.is_empty());
    let linked: Option<i64> = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT status_update_id FROM suggestions WHERE id = $1"
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap());
    let record = record_of(&db, &slug).await;
    assert_eq!(linked, Some(record.timeline[0].id));
    assert!(record.sources.iter().any(|s| s.text.publisher == "Yonhap"));
    assert!(matches!(
        accept_suggestion(&db, id, &alice, now()).await,
        Err(WriteError::Refused(Refusal::SuggestionAlreadyDecided))
    ));
}

/// On PostgreSQL, every change of a shared commit is announced to the
/// site's other replicas (each hears of each commitment it changed), and a
/// refused one is not.
#[tokio::test]
async fn status_changes_sharing_a_commit_are_each_heard_by_the_other_replicas() {
    use crate::data_changes::Shows;
    let database = crate::postgres_test_database::TestDatabase::migrated().await;
    let db = Db::postgres(database.pool.clone());
    let data = seeded(&db).await;
    let who = editor(&db, "announcer").await;
    let replica = crate::replica_changes_tests::OtherReplica::listening(&database.pool, db.replica()).await;
    // Whether saves share a commit depends on how the tasks interleave:
    // rounds of simultaneous saves go on until one commit carries several.
    let mut shared = false;
    for round in 0..5 {
        let seen = replica.changes.step();
        let before = db.group_stats();
        let status = if round % 2 == 0 {
            Status::InProgress
        } else {
            Status::Stalled
        };
        // The first commitment's save comes from a stale form.
        let saved = save_every_commitment_at_once(&db, &data, &who, status, Some(0)).await;
        let after = db.group_stats();
        assert_eq!((after.changes - before.changes) as usize, data.commitments.len() - 1);
        for (slug, saved) in &saved {
            let ok = saved.is_ok();
            let heard = replica.hears(&Shows::Commitment(slug.as_str().into()), seen).await;
            assert_eq!(heard, ok, "{slug}: saved {ok}, heard {heard}");
        }
        if after.commits - before.commits < after.changes - before.changes {
            shared = true;
            break;
        }
    }
    assert!(shared, "saves queued together never shared a commit");
    replica.stop().await;
    database.drop_database().await;
}

// Saves cut short at any point (their requests dropped: in the queue, in
// the change, in its commit) leave nothing half-stored and no group open:
// each change is stored whole (its version, status updates and revision)
// or not at all, and another process gets the write lock soon after.
both_engines!(saves_cut_short_anywhere_leave_nothing_half_done_and_no_group_open);
async fn saves_cut_short_anywhere_leave_nothing_half_done_and_no_group_open(db: Db) {
    let data = seeded(&db).await;
    let who = editor(&db, "impatient").await;
    let slug = bilateral(&data);
    let source = first_source_id(&db, &slug).await;
    let of_slug = |sql: &'static str| {
        let (db, slug) = (db.clone(), slug.to_string());
        async move {
            let counted: i64 = on_engine!(db, |pool| sqlx::query_scalar(sql)
                .bind(&slug)
                .fetch_one(pool)
                .await
                .unwrap());
            counted
        }
    };
    let updates =
        "SELECT COUNT(*) FROM status_updates u JOIN commitments c ON c.id = u.commitment_id WHERE c.slug = $1";
    let revisions = "SELECT COUNT(*) FROM revisions r JOIN commitments c ON c.id = r.commitment_id
                     WHERE c.slug = $1 AND r.action = 'status_change'";
    let updates_before = of_slug(updates).await;
    let mut cut_short = 0;
    for attempt in 0..60_u64 {
        let version = record_of(&db, &slug).await.version;
        let status = if attempt % 2 == 0 {
            Status::Stalled
        } else {
            Status::InProgress
        };
        let c = change(PartyChoice::AllOwing, status, vec![source], version);
        // Cut short after a growing wait: the first ones while queued or
        // joining, later ones in the change or while it commits.
        let wait = std::time::Duration::from_micros(attempt * 100);
        if tokio::time::timeout(wait, record_status_change(&db, &slug, &c, &who, now()))
            .await
            .is_err()
        {
            cut_short += 1;
            // Nobody else writes here to commit what it left open.
            another_process_can_take_the_write_lock(&db).await;
        }
    }
    assert!(cut_short > 10, "only {cut_short} saves were cut short");
    // What the last cut-short save had begun finishes on its own task.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let stored = record_of(&db, &slug).await.version - 1;
    assert!(stored > 0, "no save got through");
    assert_eq!(of_slug(revisions).await, stored, "a revision for each stored change");
    assert_eq!(
        of_slug(updates).await - updates_before,
        2 * stored,
        "both parties' statuses for each stored change"
    );
}

/// Saves `status` on every commitment at once, each from a form of its
/// current version but the `stale`th (from a form of version 700): what
/// each save answered, in the commitments' order.
async fn save_every_commitment_at_once(
    db: &Db,
    data: &Dataset,
    who: &CurrentUser,
    status: Status,
    stale: Option<usize>,
) -> Vec<(Slug, Result<super::editing::RecordedStatusChange, WriteError>)> {
    let mut tasks = Vec::new();
    for (i, commitment) in data.commitments.iter().enumerate() {
        let slug = commitment.slug.clone();
        let (db, who) = (db.clone(), who.clone());
        tasks.push(tokio::spawn(async move {
            let version = match stale {
                Some(stale) if stale == i => 700,
                _ => record_of(&db, &slug).await.version,
            };
            let source = first_source_id(&db, &slug).await;
            let c = change(PartyChoice::AllOwing, status, vec![source], version);
            let saved = record_status_change(&db, &slug, &c, &who, now()).await;
            (slug, saved)
        }));
    }
    let mut saved = Vec::new();
    for task in tasks {
        saved.push(task.await.unwrap());
    }
    saved
}

/// What another process (the CLI, another replica) does to write: it
/// gets the write lock within five seconds.
async fn another_process_can_take_the_write_lock(db: &Db) {
    let wait = std::time::Duration::from_secs(5);
    match crate::engine::Engine::engine(db) {
        crate::engine::EngineRef::Sqlite(pool) => {
            let mut other = sqlx::pool::PoolOptions::<sqlx::Sqlite>::new()
                .max_connections(1)
                .connect_with((*pool.connect_options()).clone().busy_timeout(wait))
                .await
                .unwrap()
                .acquire()
                .await
                .unwrap();
            sqlx::query("BEGIN IMMEDIATE").execute(&mut *other).await.unwrap();
            sqlx::query("ROLLBACK").execute(&mut *other).await.unwrap();
        }
        crate::engine::EngineRef::Postgres(pool) => {
            use sqlx::Connection;
            let mut other = sqlx::PgConnection::connect_with(&pool.connect_options()).await.unwrap();
            let mut transaction = other.begin().await.unwrap();
            tokio::time::timeout(wait, store_postgres::editing::lock_for_write(&mut transaction))
                .await
                .expect("the write lock was still held after five seconds")
                .unwrap();
            transaction.rollback().await.unwrap();
        }
    }
}

// Editors saving at once share commits, yet each change is kept or
// refused on its own, with its own revision.
both_engines!(simultaneous_status_changes_share_commits_and_each_stands_alone);
async fn simultaneous_status_changes_share_commits_and_each_stands_alone(db: Db) {
    let data = seeded(&db).await;
    let who = editor(&db, "rush").await;
    let before = db.group_stats();
    let updates_before = count(&db, "status_updates").await;
    let mut tasks = Vec::new();
    for (i, commitment) in data.commitments.iter().enumerate() {
        let slug = commitment.slug.clone();
        let source = first_source_id(&db, &slug).await;
        // Every third save comes from a stale form and must be refused.
        let version = if i % 3 == 2 { 7 } else { 1 };
        let who = who.clone();
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let c = change(PartyChoice::AllOwing, Status::InProgress, vec![source], version);
            let saved = record_status_change(&db, &slug, &c, &who, now()).await;
            (slug, version, saved)
        }));
    }
    let mut stored_updates = 0;
    for task in tasks {
        let (slug, version, saved) = task.await.unwrap();
        let record = record_of(&db, &slug).await;
        match saved {
            Ok(recorded) => {
                assert_eq!(version, 1, "{slug}: a stale form got through");
                assert_eq!(recorded.version, 2);
                assert_eq!(record.version, 2, "{slug}: stored");
                stored_updates += recorded.status_update_ids.len() as i64;
            }
            Err(WriteError::StaleVersion(_)) => {
                assert_eq!(version, 7, "{slug}: refused a current form");
                assert_eq!(record.version, 1, "{slug}: nothing of it stored");
            }
            Err(other) => panic!("{slug}: unexpected {other:?}"),
        }
    }
    assert!(stored_updates > 0);
    assert_eq!(count(&db, "status_updates").await, updates_before + stored_updates);
    let revisions: i64 = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM revisions WHERE action = 'status_change'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(revisions as usize, data.commitments.len() - data.commitments.len() / 3);
    let after = db.group_stats();
    assert_eq!(
        (after.changes - before.changes) as usize,
        data.commitments.len() - data.commitments.len() / 3
    );
    // Whether saves share a commit depends on how the tasks interleave, and
    // other tests' writers (on other databases, in this process) split
    // groups too; over a few rounds of simultaneous saves at least one
    // commit must carry several changes.
    let mut shared = false;
    for round in 0..5 {
        let before = db.group_stats();
        let status = if round % 2 == 0 {
            Status::Stalled
        } else {
            Status::InProgress
        };
        for (slug, saved) in save_every_commitment_at_once(&db, &data, &who, status, None).await {
            saved.unwrap_or_else(|error| panic!("{slug}: {error:?}"));
        }
        let after = db.group_stats();
        assert_eq!((after.changes - before.changes) as usize, data.commitments.len());
        if after.commits - before.commits < after.changes - before.changes {
            shared = true;
            break;
        }
    }
    assert!(shared, "saves queued together never shared a commit");
}

// A save whose request is dropped half-way leaves nothing behind, and
// neither the changes before it nor the database's write lock wait for
// the next editor.
both_engines!(a_status_change_dropped_half_way_is_undone_and_holds_nothing);
async fn a_status_change_dropped_half_way_is_undone_and_holds_nothing(db: Db) {
    let data = seeded(&db).await;
    let who = editor(&db, "dropper").await;
    let slug = bilateral(&data);
    let source = first_source_id(&db, &slug).await;
    let c = change(PartyChoice::AllOwing, Status::InProgress, vec![source], 1);
    let mut member = db.join_group().await.unwrap();
    super::editing::record_status_change_in(&mut member.tx(), &slug, &c, &who, now())
        .await
        .unwrap();
    drop(member); // the request went away before its change was kept
    another_process_can_take_the_write_lock(&db).await;
    assert_eq!(record_of(&db, &slug).await.version, 1, "nothing of it stored");
    // The next save from the same form goes through.
    let recorded = record_status_change(&db, &slug, &c, &who, now()).await.unwrap();
    assert_eq!(recorded.version, 2);
}

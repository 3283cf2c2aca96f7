//! Sources as versioned evidence, against a real database built from the
//! migrations: a correction keeps the earlier text, flags the status changes
//! that relied on it, and shows in the history of every commitment citing it.

use chrono::{NaiveDate, TimeZone, Utc};
use sqlx::SqlitePool;

use super::commitments::{self, CommitmentRecord};
use super::editing::{edit_sources, record_status_change, SourceEdit};
use crate::test_fixture::{both_engines, editor, on_engine, seeded};
use crate::{Db, Refusal, WriteError};
use domain::{PartyChoice, Slug, SourceField, Status, StatusChange};

async fn record_of(db: &Db, slug: &str) -> CommitmentRecord {
    commitments::find_commitment_by_slug(db, &Slug::parse(slug).unwrap())
        .await
        .unwrap()
        .unwrap()
}

/// A source listed by two commitments, and their slugs.
async fn shared_source(db: &Db) -> (i64, String, String) {
    let (source_id, first, second): (i64, String, String) = on_engine!(db, |pool| sqlx::query_as(
        "SELECT cs.source_id, min(c.slug), max(c.slug) FROM commitment_sources cs
         JOIN commitments c ON c.id = cs.commitment_id
         GROUP BY cs.source_id HAVING count(*) >= 2 ORDER BY cs.source_id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("the seed lists some source under two commitments"));
    assert_ne!(first, second);
    (source_id, first, second)
}

fn at(day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0).unwrap()
}

both_engines!(a_correction_keeps_the_old_text_and_flags_every_change_that_relied_on_it);
async fn a_correction_keeps_the_old_text_and_flags_every_change_that_relied_on_it(db: Db) {
    seeded(&db).await;
    let alice = editor(&db, "alice").await;
    let (source_id, first, second) = shared_source(&db).await;

    // A status change on the first commitment relies on the source as it reads now.
    let before = record_of(&db, &first).await;
    let change = StatusChange {
        parties: PartyChoice::AllOwing,
        status: Status::InProgress,
        effective_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        note: "Talks began.".into(),
        source_ids: vec![source_id],
        new_source: None,
        expected_version: before.version,
    };
    record_status_change(&db, &Slug::parse(&first).unwrap(), &change, &alice, at(1))
        .await
        .unwrap();
    let relying = record_of(&db, &first).await;
    let cited = &relying.timeline[0].sources[0];
    assert_eq!(
        (cited.id, cited.version, cited.later_correction.clone()),
        (source_id, 1, None)
    );
    let other_before = record_of(&db, &second).await;

    // The editor corrects the source's title through the first commitment.
    let original = relying.sources.iter().find(|s| s.id == source_id).unwrap().text.clone();
    let corrected = domain::SourceText {
        title: format!("{} (corrected)", original.title),
        ..original.clone()
    };
    edit_sources(
        &db,
        &Slug::parse(&first).unwrap(),
        SourceEdit::Correct(source_id, &corrected, "The title named the wrong outlet."),
        relying.version,
        &alice,
        at(5),
    )
    .await
    .unwrap();

    // The earlier text is kept as version 1; the source now reads version 2.
    let kept: Vec<(i64, String)> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT version, title FROM source_versions WHERE source_id = $1 ORDER BY version"
    )
    .bind(source_id)
    .fetch_all(pool)
    .await
    .unwrap());
    assert_eq!(kept, vec![(1, original.title.clone()), (2, corrected.title.clone())]);

    // On both commitments: the source shows its correction, with its note
    // and what changed.
    for slug in [&first, &second] {
        let record = record_of(&db, slug).await;
        let source = record.sources.iter().find(|s| s.id == source_id).unwrap();
        assert_eq!(source.version, 2, "{slug}");
        assert_eq!(source.text.title, corrected.title, "{slug}");
        assert_eq!(source.corrections.len(), 1, "{slug}");
        assert_eq!(source.corrections[0].note, "The title named the wrong outlet.");
        assert_eq!(source.corrections[0].corrected_at, at(5));
        assert_eq!(source.corrections[0].changes[0].field, SourceField::Title);
        assert_eq!(source.corrections[0].changes[0].before, original.title);
    }

    // The change that relied on version 1 is flagged, named as it was then.
    let relying = record_of(&db, &first).await;
    let cited = relying.timeline[0].sources.iter().find(|s| s.id == source_id).unwrap();
    assert_eq!(cited.version, 1);
    assert_eq!(cited.title, original.title, "named as the version it relied on");
    let later = cited.later_correction.as_ref().expect("flagged as corrected later");
    assert_eq!((later.first_corrected_at, later.current_version), (at(5), 2));
    assert_eq!(later.changes.len(), 1);
    assert_eq!(later.changes[0].after, corrected.title);

    // The other commitment got a revision of its own, and a new version, so
    // its kept pages and open forms see the correction.
    let other = record_of(&db, &second).await;
    assert_eq!(other.version, other_before.version + 1);
    let (action, summary): (String, String) = on_engine!(db, |pool| sqlx::query_as(
        "SELECT action, summary FROM revisions WHERE commitment_id = (SELECT id FROM commitments WHERE slug = $1)
         ORDER BY version DESC LIMIT 1",
    )
    .bind(&second)
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(action, "source_correction");
    assert!(summary.contains("The title named the wrong outlet."), "{summary}");

    // A change recorded after the correction relies on version 2: no flag.
    let change = StatusChange {
        status: Status::Stalled,
        effective_on: NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(),
        expected_version: relying.version,
        ..change
    };
    record_status_change(&db, &Slug::parse(&first).unwrap(), &change, &alice, at(6))
        .await
        .unwrap();
    let latest = record_of(&db, &first).await;
    let cited = latest.timeline[0].sources.iter().find(|s| s.id == source_id).unwrap();
    assert_eq!((cited.version, cited.later_correction.is_none()), (2, true));
}

both_engines!(a_correction_that_changes_nothing_is_refused_and_writes_nothing);
async fn a_correction_that_changes_nothing_is_refused_and_writes_nothing(db: Db) {
    seeded(&db).await;
    let alice = editor(&db, "alice").await;
    let (source_id, first, _) = shared_source(&db).await;
    let record = record_of(&db, &first).await;
    let same = record.sources.iter().find(|s| s.id == source_id).unwrap().text.clone();
    let err = edit_sources(
        &db,
        &Slug::parse(&first).unwrap(),
        SourceEdit::Correct(source_id, &same, "Nothing really."),
        record.version,
        &alice,
        at(2),
    )
    .await;
    assert!(
        matches!(err, Err(WriteError::Refused(Refusal::SourceUnchanged))),
        "{err:?}"
    );
    assert_eq!(record_of(&db, &first).await.version, record.version);
    let versions: i64 = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT count(*) FROM source_versions WHERE source_id = $1"
    )
    .bind(source_id)
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(versions, 1);
}

both_engines!(the_database_itself_refuses_to_rewrite_evidence);
async fn the_database_itself_refuses_to_rewrite_evidence(db: Db) {
    seeded(&db).await;
    let (source_id, _, _) = shared_source(&db).await;
    // In place, without a new version: refused by the schema, not only by the code.
    let in_place = on_engine!(db, |pool| sqlx::query(
        "UPDATE sources SET quote = 'rewritten' WHERE id = $1"
    )
    .bind(source_id)
    .execute(pool)
    .await
    .map(|_| ()));
    let refused = |result: Result<(), sqlx::Error>, message: &str| {
        let error = result.expect_err(message).to_string();
        assert!(error.contains(message), "{error}");
    };
    refused(in_place, "a source is corrected by adding a version");
    // Nor by bumping the number without a stored version behind it.
    let bumped = on_engine!(db, |pool| sqlx::query(
        "UPDATE sources SET quote = 'rewritten', version = version + 1 WHERE id = $1"
    )
    .bind(source_id)
    .execute(pool)
    .await
    .map(|_| ()));
    // A new number needs its version stored first.
    refused(bumped, "a source is corrected by adding a version");
    let pointed = on_engine!(db, |pool| sqlx::query("UPDATE sources SET version = 9 WHERE id = $1")
        .bind(source_id)
        .execute(pool)
        .await
        .map(|_| ()));
    // A source points only at a version that exists.
    refused(pointed, "a source is corrected by adding a version");
    let deleted_source = on_engine!(db, |pool| sqlx::query("DELETE FROM sources WHERE id = $1")
        .bind(source_id)
        .execute(pool)
        .await
        .map(|_| ()));
    refused(deleted_source, "sources are evidence and are never deleted");
    let rewritten = on_engine!(db, |pool| sqlx::query(
        "UPDATE source_versions SET quote = 'rewritten' WHERE source_id = $1"
    )
    .bind(source_id)
    .execute(pool)
    .await
    .map(|_| ()));
    refused(rewritten, "source versions are append-only");
    let deleted = on_engine!(db, |pool| sqlx::query(
        "DELETE FROM source_versions WHERE source_id = $1"
    )
    .bind(source_id)
    .execute(pool)
    .await
    .map(|_| ()));
    refused(deleted, "source versions are append-only");
    let quote: String = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT quote FROM source_versions WHERE source_id = $1 AND version = 1"
    )
    .bind(source_id)
    .fetch_one(pool)
    .await
    .unwrap());
    assert_ne!(quote, "rewritten");
}

both_engines!(the_corrections_list_holds_every_kind_newest_first);
async fn the_corrections_list_holds_every_kind_newest_first(db: Db) {
    // The shipped data's own corrections, and one of the test's, so the
    // list has data corrections whatever the seed file holds.
    let mut data = crate::test_fixture::dataset();
    data.corrections.push(domain::SeedCorrection {
        made_on: NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(),
        commitment: Some(data.commitments[0].slug.clone()),
        what: "A test's correction.".into(),
        why: "To be listed.".into(),
    });
    super::seed::insert_dataset(&db, &data, Utc.with_ymd_and_hms(2025, 11, 2, 9, 0, 0).unwrap())
        .await
        .unwrap();
    // The editors' corrections below are made after every data correction,
    // at fixed times (not today's, which may come before them).
    let last_made = data.corrections.iter().map(|c| c.made_on).max().unwrap();
    let later = |hour: u32| {
        (last_made + chrono::Duration::days(1))
            .and_hms_opt(hour, 0, 0)
            .unwrap()
            .and_utc()
    };
    let alice = editor(&db, "alice").await;
    let listed = crate::corrections::list_corrections(&db, None, 500).await.unwrap();
    assert_eq!(listed.len(), data.corrections.len());
    assert!(listed.iter().all(|c| c.kind == domain::CorrectionKind::Data));
    for correction in &data.corrections {
        assert!(listed
            .iter()
            .any(|c| c.what == correction.what && c.why == correction.why));
    }

    // A source correction lists every commitment citing the source.
    let (source_id, first, second) = shared_source(&db).await;
    let record = record_of(&db, &first).await;
    let text = record.sources.iter().find(|s| s.id == source_id).unwrap().text.clone();
    let corrected = domain::SourceText {
        publisher: format!("{} (corrected)", text.publisher),
        ..text
    };
    edit_sources(
        &db,
        &Slug::parse(&first).unwrap(),
        SourceEdit::Correct(source_id, &corrected, "Wrong publisher."),
        record.version,
        &alice,
        later(9),
    )
    .await
    .unwrap();
    // A revert is listed too.
    let record = record_of(&db, &second).await;
    super::editing::revert_commitment(
        &db,
        &Slug::parse(&second).unwrap(),
        1,
        record.version,
        &alice,
        later(10),
    )
    .await
    .unwrap();

    let listed = crate::corrections::list_corrections(&db, None, 500).await.unwrap();
    assert_eq!(listed.len(), data.corrections.len() + 2);
    assert_eq!(listed[0].kind, domain::CorrectionKind::Revert, "newest first");
    assert_eq!(listed[0].items[0].slug.as_str(), second);
    let source = &listed[1];
    assert_eq!(source.kind, domain::CorrectionKind::Source);
    assert_eq!(source.key, format!("source-{source_id}-v2"));
    assert_eq!(source.why, "Wrong publisher.");
    assert_eq!(source.changes[0].field, SourceField::Publisher);
    let cited: Vec<&str> = source.items.iter().map(|i| i.slug.as_str()).collect();
    assert!(
        cited.contains(&first.as_str()) && cited.contains(&second.as_str()),
        "{cited:?}"
    );
    assert_eq!(
        crate::corrections::list_corrections(&db, None, 1).await.unwrap().len(),
        1
    );
    // One commitment's corrections: the source it lists and its own revert.
    let of_second = crate::corrections::list_corrections(&db, Some(&Slug::parse(&second).unwrap()), 500)
        .await
        .unwrap();
    let kinds: Vec<_> = of_second.iter().map(|c| c.kind).collect();
    assert!(kinds.contains(&domain::CorrectionKind::Revert) && kinds.contains(&domain::CorrectionKind::Source));
    assert!(of_second
        .iter()
        .all(|c| c.items.iter().any(|i| i.slug.as_str() == second)));
}

both_engines!(a_rating_needs_evidence_dated_after_the_summit);
async fn a_rating_needs_evidence_dated_after_the_summit(db: Db) {
    let data = seeded(&db).await;
    let alice = editor(&db, "alice").await;
    let slug = data
        .commitments
        .iter()
        .find(|c| c.owed_by.len() == 2)
        .unwrap()
        .slug
        .clone();
    // A source dated the day of the summit: the record of the promise itself.
    let same_day = domain::SourceText {
        publisher: "Test Wire".into(),
        via: None,
        title: "Leaders meet".into(),
        title_basis: domain::TitleBasis::Headline,
        dated_on: data.summit.held_on,
        date_basis: domain::DateBasis::Published,
        url: None,
        quote: "The leaders promised to cooperate.".into(),
        kind: domain::SourceKind::MediaReport,
        language: Default::default(),
    };
    let version = record_of(&db, slug.as_str()).await.version;
    edit_sources(&db, &slug, SourceEdit::Add(&same_day), version, &alice, at(1))
        .await
        .unwrap();
    let record = record_of(&db, slug.as_str()).await;
    let promise = record
        .sources
        .iter()
        .find(|s| s.text.publisher == "Test Wire")
        .unwrap()
        .id;
    let change = |status, source_ids: Vec<i64>, expected_version| StatusChange {
        parties: PartyChoice::AllOwing,
        status,
        effective_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        note: "n".into(),
        source_ids,
        new_source: None,
        expected_version,
    };
    let none = record_status_change(
        &db,
        &slug,
        &change(Status::NotYetRated, vec![], record.version),
        &alice,
        at(2),
    )
    .await;
    assert!(
        matches!(none, Err(WriteError::Refused(Refusal::NoEvidence))),
        "{none:?}"
    );
    let refused = record_status_change(
        &db,
        &slug,
        &change(Status::InProgress, vec![promise], record.version),
        &alice,
        at(2),
    )
    .await;
    assert!(
        matches!(refused, Err(WriteError::Refused(Refusal::EvidencePredatesCommitment))),
        "{refused:?}"
    );
    assert_eq!(
        record_of(&db, slug.as_str()).await.version,
        record.version,
        "nothing written"
    );
    // Not yet rated may rest on it; a rating may when a later source is cited too.
    record_status_change(
        &db,
        &slug,
        &change(Status::NotYetRated, vec![promise], record.version),
        &alice,
        at(2),
    )
    .await
    .unwrap();
    let later = domain::SourceText {
        dated_on: NaiveDate::from_ymd_opt(2026, 2, 20).unwrap(),
        quote: "Negotiators met in February.".into(),
        ..same_day
    };
    let mut with_later = change(Status::InProgress, vec![promise], record.version + 1);
    with_later.new_source = Some(later);
    record_status_change(&db, &slug, &with_later, &alice, at(3))
        .await
        .unwrap();
}

/// Every status update rests on evidence, whichever write path made it:
/// the seed loader, a status change (citing listed sources, or adding
/// one), an accepted suggestion, a revert restoring an earlier status and
/// the benchmark generator. The one exception is a revert to a version at
/// which a party had no status yet: it writes "Not yet rated" and cites
/// nothing, since nothing was claimed then. Such a row is recognised by
/// what the revert stored with it, not by its note (an editor's note may
/// say anything): a `revert` revision of the same commitment, by the same
/// user, recorded at the same instant (`revisions.created_at` =
/// `status_updates.recorded_at`, one `now` in one transaction), whose
/// after-state names the row as the party's current status update and
/// whose before-state does not (so that revert wrote it).
// SQLite's alone: it ends with the benchmark generator's rows, and the
// generator writes SQLite.
#[sqlx::test(migrations = "../migrations/sqlite")]
async fn every_status_update_cites_evidence_except_a_revert_to_no_status(pool: SqlitePool) {
    let db = Db::new(pool.clone());
    use super::editing::{create_commitment, revert_commitment};
    use super::suggestions::{accept_suggestion, submit_suggestion};
    let data = seeded(&db).await;
    let alice = editor(&db, "alice").await;
    let count = |pool: SqlitePool| async move {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM status_updates")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let mut rows = count(pool.clone()).await;
    assert!(rows > 0, "the seed loader wrote status updates");
    let mut grew = |now: i64, by: i64, path: &str| {
        assert_eq!(now, rows + by, "{path} wrote {by} status updates");
        rows = now;
    };
    let bilateral: Vec<Slug> = data
        .commitments
        .iter()
        .filter(|c| c.owed_by.len() == 2)
        .map(|c| c.slug.clone())
        .take(2)
        .collect();
    let (first, second) = (&bilateral[0], &bilateral[1]);
    let kr = PartyChoice::One(domain::PartyCode::parse("kr").unwrap());
    let new_source = |quote: &str| domain::SourceText {
        publisher: "Test Wire".into(),
        via: None,
        title: "Talks".into(),
        title_basis: domain::TitleBasis::Headline,
        dated_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        date_basis: domain::DateBasis::Published,
        url: None,
        quote: quote.into(),
        kind: domain::SourceKind::MediaReport,
        language: Default::default(),
    };
    let change = |parties: PartyChoice, status, source_ids: Vec<i64>, expected_version| StatusChange {
        parties,
        status,
        effective_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        note: "n".into(),
        source_ids,
        new_source: None,
        expected_version,
    };

    // A status change citing one of the commitment's sources (version 2).
    let cited = record_of(&db, first.as_str()).await.sources[0].id;
    record_status_change(
        &db,
        first,
        &change(kr.clone(), Status::NotYetRated, vec![cited], 1),
        &alice,
        at(2),
    )
    .await
    .unwrap();
    grew(count(pool.clone()).await, 1, "a status change citing a source");
    // One adding its source (version 3), for both parties.
    let mut adding = change(PartyChoice::AllOwing, Status::InProgress, vec![], 2);
    adding.new_source = Some(new_source("Talks began."));
    record_status_change(&db, first, &adding, &alice, at(3)).await.unwrap();
    grew(count(pool.clone()).await, 2, "a status change adding a source");
    // A revert to version 2 restores each party's status then, citing its
    // evidence again.
    revert_commitment(&db, first, 2, 3, &alice, at(4)).await.unwrap();
    grew(count(pool.clone()).await, 2, "a revert restoring statuses");

    // An accepted suggestion.
    let suggestion = domain::Suggestion {
        parties: kr.clone(),
        status: Status::InProgress,
        effective_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        note: "Seen in the news.".into(),
        source: new_source("A reader's source."),
        contact: None,
    };
    let super::suggestions::Submitted::Stored(id) = submit_suggestion(&db, second, &suggestion, "10.0.0.1", at(5))
        .await
        .unwrap()
    else {
        panic!("stored")
    };
    accept_suggestion(&db, id, &alice, at(6)).await.unwrap();
    grew(count(pool.clone()).await, 1, "an accepted suggestion");

    // A revert to a version with no status at all: a new commitment,
    // rated, then reverted to its first version.
    let fields = domain::CommitmentFields {
        title: "Resume ferry routes".into(),
        summary: "Agreed at the summit.".into(),
        theme: domain::Theme::PeopleToPeople,
        proposed_by: None,
        owed_by: vec![
            domain::PartyCode::parse("cn").unwrap(),
            domain::PartyCode::parse("kr").unwrap(),
        ],
        due_on: None,
        due_basis: None,
        due_note: None,
        summit: data.summit.slug.clone(),
    };
    let fresh = create_commitment(&db, &fields, &alice, at(7)).await.unwrap();
    let mut rated = change(PartyChoice::AllOwing, Status::InProgress, vec![], 1);
    rated.new_source = Some(new_source("The first ferry sailed."));
    record_status_change(&db, &fresh, &rated, &alice, at(8)).await.unwrap();
    grew(count(pool.clone()).await, 2, "a status change on a new commitment");
    revert_commitment(&db, &fresh, 1, 2, &alice, at(9)).await.unwrap();
    grew(count(pool.clone()).await, 2, "a revert to no status");

    // The benchmark generator's rows.
    let options = crate::generate::GenerateOptions {
        until: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        ..crate::generate::GenerateOptions::new(4, 3, 5)
    };
    crate::generate::generate(&pool, &options, |_| {}).await.unwrap();
    grew(count(pool.clone()).await, 12, "the generator");

    // A status change citing nothing must be refused.
    let unsupported = record_status_change(
        &db,
        second,
        &change(
            kr,
            Status::NotYetRated,
            vec![],
            record_of(&db, second.as_str()).await.version,
        ),
        &alice,
        at(10),
    )
    .await;

    // The invariant, over every row.
    let without_evidence: Vec<(i64, String, String, String)> = on_engine!(db, |pool| {
        sqlx::query_as(
        "SELECT su.id, c.slug, su.status, su.note FROM status_updates su JOIN commitments c ON c.id = su.commitment_id
         WHERE NOT EXISTS (SELECT 1 FROM status_update_sources e WHERE e.status_update_id = su.id)
           AND NOT (su.status = 'not_yet_rated' AND EXISTS (
                 SELECT 1 FROM revisions r
                 WHERE r.commitment_id = su.commitment_id AND r.action = 'revert'
                   AND r.created_at = su.recorded_at AND r.user_id IS su.user_id
                   AND EXISTS (SELECT 1 FROM json_each(r.after_json, '$.statuses') a
                               WHERE json_extract(a.value, '$.status_update_id') = su.id)
                   AND NOT EXISTS (SELECT 1 FROM json_each(r.before_json, '$.statuses') b
                                   WHERE json_extract(b.value, '$.status_update_id') = su.id)))
         ORDER BY su.id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    });
    assert_eq!(without_evidence, vec![], "status updates citing no evidence");
    // The exception covers exactly the revert to no status: its two rows.
    let exempt: Vec<(String, String)> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT c.slug, su.status FROM status_updates su JOIN commitments c ON c.id = su.commitment_id
         WHERE NOT EXISTS (SELECT 1 FROM status_update_sources e WHERE e.status_update_id = su.id)
         ORDER BY su.id",
    )
    .fetch_all(pool)
    .await
    .unwrap());
    let fresh_text = fresh.to_string();
    assert_eq!(
        exempt,
        vec![
            (fresh_text.clone(), "not_yet_rated".to_owned()),
            (fresh_text, "not_yet_rated".to_owned())
        ]
    );
    assert!(
        matches!(unsupported, Err(WriteError::Refused(Refusal::NoEvidence))),
        "{unsupported:?}"
    );
    assert_eq!(count(pool.clone()).await, rows, "the refused change wrote nothing");
}

//! Sources as versioned evidence, against a real database built from the
//! migrations: a correction keeps the earlier text, flags the status changes
//! that relied on it, and shows in the history of every commitment citing it.

use chrono::{NaiveDate, TimeZone, Utc};
use sqlx::SqlitePool;

use super::commitments::{self, CommitmentRecord};
use super::editing::{edit_sources, record_status_change, SourceEdit};
use crate::test_fixture::{editor, seeded};
use crate::{Db, Refusal, WriteError};
use domain::{PartyChoice, Slug, SourceField, Status, StatusChange};

async fn record_of(pool: &SqlitePool, slug: &str) -> CommitmentRecord {
    commitments::find_commitment_by_slug(pool, &Slug::parse(slug).unwrap())
        .await
        .unwrap()
        .unwrap()
}

/// A source listed by two commitments, and their slugs.
async fn shared_source(pool: &SqlitePool) -> (i64, String, String) {
    let (source_id, first, second): (i64, String, String) = sqlx::query_as(
        "SELECT cs.source_id, min(c.slug), max(c.slug) FROM commitment_sources cs
         JOIN commitments c ON c.id = cs.commitment_id
         GROUP BY cs.source_id HAVING count(*) >= 2 ORDER BY cs.source_id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("the seed lists some source under two commitments");
    assert_ne!(first, second);
    (source_id, first, second)
}

fn at(day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0).unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_correction_keeps_the_old_text_and_flags_every_change_that_relied_on_it(pool: SqlitePool) {
    let db = Db::new(pool.clone());
    seeded(&pool).await;
    let alice = editor(&pool, "alice").await;
    let (source_id, first, second) = shared_source(&pool).await;

    // A status change on the first commitment relies on the source as it reads now.
    let before = record_of(&pool, &first).await;
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
    let relying = record_of(&pool, &first).await;
    let cited = &relying.timeline[0].sources[0];
    assert_eq!(
        (cited.id, cited.version, cited.later_correction.clone()),
        (source_id, 1, None)
    );
    let other_before = record_of(&pool, &second).await;

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
    let kept: Vec<(i64, String)> =
        sqlx::query_as("SELECT version, title FROM source_versions WHERE source_id = ? ORDER BY version")
            .bind(source_id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(kept, vec![(1, original.title.clone()), (2, corrected.title.clone())]);

    // On both commitments: the source shows its correction, with its note
    // and what changed.
    for slug in [&first, &second] {
        let record = record_of(&pool, slug).await;
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
    let relying = record_of(&pool, &first).await;
    let cited = relying.timeline[0].sources.iter().find(|s| s.id == source_id).unwrap();
    assert_eq!(cited.version, 1);
    assert_eq!(cited.title, original.title, "named as the version it relied on");
    let later = cited.later_correction.as_ref().expect("flagged as corrected later");
    assert_eq!((later.first_corrected_at, later.current_version), (at(5), 2));
    assert_eq!(later.changes.len(), 1);
    assert_eq!(later.changes[0].after, corrected.title);

    // The other commitment got a revision of its own, and a new version, so
    // its kept pages and open forms see the correction.
    let other = record_of(&pool, &second).await;
    assert_eq!(other.version, other_before.version + 1);
    let (action, summary): (String, String) = sqlx::query_as(
        "SELECT action, summary FROM revisions WHERE commitment_id = (SELECT id FROM commitments WHERE slug = ?)
         ORDER BY version DESC LIMIT 1",
    )
    .bind(&second)
    .fetch_one(&pool)
    .await
    .unwrap();
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
    let latest = record_of(&pool, &first).await;
    let cited = latest.timeline[0].sources.iter().find(|s| s.id == source_id).unwrap();
    assert_eq!((cited.version, cited.later_correction.is_none()), (2, true));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_correction_that_changes_nothing_is_refused_and_writes_nothing(pool: SqlitePool) {
    let db = Db::new(pool.clone());
    seeded(&pool).await;
    let alice = editor(&pool, "alice").await;
    let (source_id, first, _) = shared_source(&pool).await;
    let record = record_of(&pool, &first).await;
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
    assert_eq!(record_of(&pool, &first).await.version, record.version);
    let versions: i64 = sqlx::query_scalar("SELECT count(*) FROM source_versions WHERE source_id = ?")
        .bind(source_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(versions, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_database_itself_refuses_to_rewrite_evidence(pool: SqlitePool) {
    seeded(&pool).await;
    let (source_id, _, _) = shared_source(&pool).await;
    // In place, without a new version: refused by the schema, not only by the code.
    let in_place = sqlx::query("UPDATE sources SET quote = 'rewritten' WHERE id = ?")
        .bind(source_id)
        .execute(&pool)
        .await;
    assert!(in_place.is_err(), "a source is corrected by adding a version");
    // Nor by bumping the number without a stored version behind it.
    let bumped = sqlx::query("UPDATE sources SET quote = 'rewritten', version = version + 1 WHERE id = ?")
        .bind(source_id)
        .execute(&pool)
        .await;
    assert!(bumped.is_err(), "a new number needs its version stored first");
    let pointed = sqlx::query("UPDATE sources SET version = 9 WHERE id = ?")
        .bind(source_id)
        .execute(&pool)
        .await;
    assert!(pointed.is_err(), "a source points only at a version that exists");
    let deleted_source = sqlx::query("DELETE FROM sources WHERE id = ?")
        .bind(source_id)
        .execute(&pool)
        .await;
    assert!(deleted_source.is_err(), "sources are never deleted");
    let rewritten = sqlx::query("UPDATE source_versions SET quote = 'rewritten' WHERE source_id = ?")
        .bind(source_id)
        .execute(&pool)
        .await;
    assert!(rewritten.is_err(), "versions are append-only");
    let deleted = sqlx::query("DELETE FROM source_versions WHERE source_id = ?")
        .bind(source_id)
        .execute(&pool)
        .await;
    assert!(deleted.is_err(), "versions are append-only");
    let quote: String = sqlx::query_scalar("SELECT quote FROM source_versions WHERE source_id = ? AND version = 1")
        .bind(source_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_ne!(quote, "rewritten");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_corrections_list_holds_every_kind_newest_first(pool: SqlitePool) {
    let db = Db::new(pool.clone());
    let data = seeded(&pool).await;
    let alice = editor(&pool, "alice").await;
    // The shipped data's own corrections come first, from the seed file.
    let listed = crate::corrections::list_corrections(&pool, None, 500).await.unwrap();
    assert_eq!(listed.len(), data.corrections.len());
    assert!(listed.iter().all(|c| c.kind == domain::CorrectionKind::Data));
    for correction in &data.corrections {
        assert!(listed
            .iter()
            .any(|c| c.what == correction.what && c.why == correction.why));
    }

    // A source correction lists every commitment citing the source.
    let (source_id, first, second) = shared_source(&pool).await;
    let record = record_of(&pool, &first).await;
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
        Utc::now(),
    )
    .await
    .unwrap();
    // A revert is listed too.
    let record = record_of(&pool, &second).await;
    super::editing::revert_commitment(
        &db,
        &Slug::parse(&second).unwrap(),
        1,
        record.version,
        &alice,
        Utc::now(),
    )
    .await
    .unwrap();

    let listed = crate::corrections::list_corrections(&pool, None, 500).await.unwrap();
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
        crate::corrections::list_corrections(&pool, None, 1)
            .await
            .unwrap()
            .len(),
        1
    );
    // One commitment's corrections: the source it lists and its own revert.
    let of_second = crate::corrections::list_corrections(&pool, Some(&Slug::parse(&second).unwrap()), 500)
        .await
        .unwrap();
    let kinds: Vec<_> = of_second.iter().map(|c| c.kind).collect();
    assert!(kinds.contains(&domain::CorrectionKind::Revert) && kinds.contains(&domain::CorrectionKind::Source));
    assert!(of_second
        .iter()
        .all(|c| c.items.iter().any(|i| i.slug.as_str() == second)));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_rating_needs_evidence_dated_after_the_summit(pool: SqlitePool) {
    let db = Db::new(pool.clone());
    let data = seeded(&pool).await;
    let alice = editor(&pool, "alice").await;
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
    let version = record_of(&pool, slug.as_str()).await.version;
    edit_sources(&db, &slug, SourceEdit::Add(&same_day), version, &alice, at(1))
        .await
        .unwrap();
    let record = record_of(&pool, slug.as_str()).await;
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
        record_of(&pool, slug.as_str()).await.version,
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

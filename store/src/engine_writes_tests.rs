//! Every editor's write on both engines: the shipped site on SQLite is
//! copied to PostgreSQL, the same writes (and the same refused writes) are
//! made through a `Db` of each, each answers the same, and afterwards both
//! databases hold the same rows and show the same pages.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::{CurrentUser, NewSource, PartyChoice, PartyCode, Slug, SourceKind, Status, StatusChange};
use sqlx::SqlitePool;

use crate::editing::{
    create_commitment, edit_sources, record_status_change, revert_commitment, save_translation, update_commitment,
    SourceEdit,
};
use crate::page_comparison::compare_commitment_pages;
use crate::postgres_test_database::TestDatabase;
use crate::site_copy::{compare_sites, copy_site, CopyOptions};
use crate::suggestions::{accept_suggestion, reject_suggestion, submit_suggestion, Submitted};
use crate::test_fixture::{editor, seeded};
use crate::Db;

/// The same call on each engine's `Db`: both answers (`Ok` or the refusal)
/// must read the same; returns SQLite's.
macro_rules! on_both {
    ($sites:expr, |$db:ident| $call:expr) => {{
        let on_sqlite = {
            let $db = &$sites.sqlite;
            $call.await
        };
        let on_postgres = {
            let $db = &$sites.postgres;
            $call.await
        };
        assert_eq!(
            format!("{on_sqlite:?}"),
            format!("{on_postgres:?}"),
            "{}",
            stringify!($call)
        );
        on_sqlite
    }};
}

struct Sites {
    sqlite: Db,
    postgres: Db,
}

/// The instant of the `n`th write, to the nanosecond (PostgreSQL keeps it
/// as the text SQLite does, so a conflict names the same instant).
fn at(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap() + Duration::seconds(n) + Duration::nanoseconds(123_456_789)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn report(title: &str, dated_on: NaiveDate) -> NewSource {
    NewSource {
        publisher: "Yonhap".into(),
        via: None,
        title: title.into(),
        title_basis: domain::TitleBasis::Headline,
        dated_on,
        date_basis: domain::DateBasis::Published,
        url: Some("https://example.org/report".into()),
        quote: "Officials of both sides met.".into(),
        kind: SourceKind::MediaReport,
        language: Default::default(),
    }
}

fn status_change(parties: PartyChoice, status: Status, version: i64) -> StatusChange {
    StatusChange {
        parties,
        status,
        effective_on: day(2026, 3, 1),
        note: "Negotiators met in Seoul.".into(),
        source_ids: Vec::new(),
        new_source: None,
        expected_version: version,
    }
}

fn new_commitment(title: &str, owed: &[&str], due_on: Option<NaiveDate>) -> domain::CommitmentFields {
    domain::CommitmentFields {
        title: title.into(),
        summary: "Agreed at the summit.".into(),
        theme: domain::Theme::PeopleToPeople,
        proposed_by: None,
        owed_by: owed.iter().map(|c| PartyCode::parse(c).unwrap()).collect(),
        due_on,
        due_basis: due_on.map(|_| domain::DueBasis::Inferred),
        due_note: None,
        summit: Slug::parse("xi-lee-2025-11-01").unwrap(),
    }
}

fn a_suggestion() -> domain::Suggestion {
    domain::Suggestion {
        parties: PartyChoice::AllOwing,
        status: Status::InProgress,
        effective_on: day(2026, 5, 1),
        note: "Talks began, says the ministry.".into(),
        source: report("Talks began", day(2026, 5, 1)),
        contact: None,
    }
}

/// Ids of the sources a commitment lists, as SQLite's page shows them.
async fn listed_sources(pool: &SqlitePool, slug: &Slug) -> Vec<i64> {
    let record = crate::commitments::find_commitment_by_slug(pool, slug)
        .await
        .unwrap()
        .unwrap();
    record.sources.iter().map(|s| s.id).collect()
}

/// The commitment's version now (both engines agree on it, or the
/// comparison of their answers has already failed).
async fn version_of(pool: &SqlitePool, slug: &Slug) -> i64 {
    crate::commitments::find_commitment_by_slug(pool, slug)
        .await
        .unwrap()
        .unwrap()
        .version
}

/// A seeded source that more than one commitment lists: correcting it
/// writes a revision on each.
async fn a_shared_source(pool: &SqlitePool) -> (Slug, i64) {
    let (slug, id): (String, i64) = sqlx::query_as(
        "SELECT c.slug, cs.source_id FROM commitment_sources cs JOIN commitments c ON c.id = cs.commitment_id
         WHERE cs.source_id IN (SELECT source_id FROM commitment_sources GROUP BY source_id HAVING COUNT(*) > 1)
         ORDER BY cs.source_id, c.id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (Slug::parse(&slug).unwrap(), id)
}

#[sqlx::test(migrations = "../migrations/sqlite")]
async fn both_engines_make_and_refuse_the_same_writes_and_end_with_the_same_site(pool: SqlitePool) {
    let data = seeded(&pool).await;
    let alice: CurrentUser = editor(&pool, "alice").await;
    let postgres = TestDatabase::migrated().await;
    copy_site(&pool, &postgres.pool, CopyOptions { keep_sessions: true })
        .await
        .unwrap();
    let sites = Sites {
        sqlite: Db::new(pool.clone()),
        postgres: Db::postgres(postgres.pool.clone()),
    };
    let versions_before = sites.postgres.data_version();
    let x = data
        .commitments
        .iter()
        .find(|c| c.owed_by.len() == 2)
        .unwrap()
        .slug
        .clone();
    let seeded_source = listed_sources(&pool, &x).await[0];

    // A status change for both parties, with a new report as its evidence.
    let with_report = StatusChange {
        new_source: Some(report("Negotiators met", day(2026, 3, 1))),
        ..status_change(PartyChoice::AllOwing, Status::InProgress, 1)
    };
    let recorded = on_both!(sites, |db| record_status_change(db, &x, &with_report, &alice, at(1)));
    assert_eq!(recorded.unwrap().version, 2);
    let reported = *listed_sources(&pool, &x).await.iter().max().unwrap();

    // Refused alike: a stale form (naming the change it missed, to the
    // nanosecond), evidence from before the summit, a source of another
    // commitment, a party that does not owe it, an unknown commitment.
    let stale = on_both!(sites, |db| record_status_change(db, &x, &with_report, &alice, at(2)));
    assert!(format!("{stale:?}").contains("StaleVersion"), "{stale:?}");
    let old_evidence = StatusChange {
        new_source: Some(report("A report from before the summit", day(2025, 10, 1))),
        ..status_change(PartyChoice::AllOwing, Status::Fulfilled, 2)
    };
    let refused = on_both!(sites, |db| record_status_change(db, &x, &old_evidence, &alice, at(3)));
    assert!(
        format!("{refused:?}").contains("EvidencePredatesCommitment"),
        "{refused:?}"
    );
    // The seeded sources cited again (whether they count as later evidence
    // is the seed's to say; both engines say the same).
    let seeded_evidence = StatusChange {
        source_ids: vec![seeded_source],
        ..status_change(PartyChoice::AllOwing, Status::Fulfilled, 2)
    };
    on_both!(sites, |db| record_status_change(
        db,
        &x,
        &seeded_evidence,
        &alice,
        at(3)
    ))
    .ok();
    let elsewhere = StatusChange {
        source_ids: vec![999_999],
        ..status_change(PartyChoice::AllOwing, Status::Stalled, 2)
    };
    assert!(on_both!(sites, |db| record_status_change(db, &x, &elsewhere, &alice, at(4))).is_err());
    let nobody = Slug::parse("no-such-commitment").unwrap();
    assert!(on_both!(sites, |db| record_status_change(
        db,
        &nobody,
        &with_report,
        &alice,
        at(5)
    ))
    .is_err());

    // Two commitments of the same title: the second slug is numbered.
    let youth = new_commitment("Youth exchange week", &["kr", "cn"], None);
    let first = on_both!(sites, |db| create_commitment(db, &youth, &alice, at(6))).unwrap();
    let second = on_both!(sites, |db| create_commitment(db, &youth, &alice, at(7))).unwrap();
    assert_ne!(first, second);
    // Edited: one party fewer, a due date; then a summit that does not exist.
    let edited = new_commitment("Youth exchange week, in Busan", &["kr"], Some(day(2026, 12, 31)));
    assert_eq!(
        on_both!(sites, |db| update_commitment(db, &second, &edited, 1, &alice, at(8))).unwrap(),
        2
    );
    let nowhere = domain::CommitmentFields {
        summit: Slug::parse("no-such-summit").unwrap(),
        ..edited.clone()
    };
    assert!(on_both!(sites, |db| update_commitment(db, &second, &nowhere, 2, &alice, at(9))).is_err());

    // A translation, its correction, and one into the original language.
    let korean = |title: &str| domain::TranslationFields {
        language: domain::Locale::Ko,
        title: title.into(),
        summary: "정상회담에서 합의했다.".into(),
    };
    let v = version_of(&pool, &x).await;
    assert_eq!(
        on_both!(sites, |db| save_translation(
            db,
            &x,
            &korean("자유무역협정"),
            v,
            &alice,
            at(10)
        ))
        .unwrap(),
        v + 1
    );
    on_both!(sites, |db| save_translation(
        db,
        &x,
        &korean("자유무역협정 2단계"),
        v + 1,
        &alice,
        at(11)
    ))
    .unwrap();
    let english = domain::TranslationFields {
        language: domain::Locale::En,
        ..korean("FTA")
    };
    assert!(on_both!(sites, |db| save_translation(db, &x, &english, v + 2, &alice, at(12))).is_err());

    // Sources: one added; a shared one corrected (a revision on every
    // commitment that lists it); the cited report kept; an unchanged
    // correction refused.
    let added = report("A second report", day(2026, 4, 2));
    on_both!(sites, |db| edit_sources(
        db,
        &x,
        SourceEdit::Add(&added),
        v + 2,
        &alice,
        at(13)
    ))
    .unwrap();
    let (shared_on, shared) = a_shared_source(&pool).await;
    let shared_version = version_of(&pool, &shared_on).await;
    let mut corrected = crate::evidence::versions_of(&pool, &[shared])
        .await
        .unwrap()
        .remove(&shared)
        .unwrap()
        .pop()
        .unwrap()
        .text;
    corrected.title.push_str(" (corrected)");
    let corrected_edit = || SourceEdit::Correct(shared, &corrected, "The title was cut short.");
    on_both!(sites, |db| edit_sources(
        db,
        &shared_on,
        corrected_edit(),
        shared_version,
        &alice,
        at(14)
    ))
    .unwrap();
    let unchanged = on_both!(sites, |db| edit_sources(
        db,
        &shared_on,
        corrected_edit(),
        shared_version + 1,
        &alice,
        at(15)
    ));
    assert!(unchanged.is_err());
    let x_version = version_of(&pool, &x).await;
    let kept = on_both!(sites, |db| edit_sources(
        db,
        &x,
        SourceEdit::Remove(reported),
        x_version,
        &alice,
        at(16)
    ));
    assert!(kept.is_err());

    // Back to the seeded version: fields, sources, statuses, translations.
    let reverted = on_both!(sites, |db| revert_commitment(db, &x, 1, x_version, &alice, at(17))).unwrap();
    assert_eq!(reverted, x_version + 1);

    // Readers' suggestions: one accepted, one rejected, and neither twice.
    let first_suggestion = on_both!(sites, |db| submit_suggestion(
        db,
        &first,
        &a_suggestion(),
        "198.51.100.4",
        at(18)
    ))
    .unwrap();
    let second_suggestion = on_both!(sites, |db| submit_suggestion(
        db,
        &first,
        &a_suggestion(),
        "198.51.100.4",
        at(19)
    ))
    .unwrap();
    let (Submitted::Stored(accepted), Submitted::Stored(rejected)) = (first_suggestion, second_suggestion) else {
        panic!("both suggestions were stored");
    };
    on_both!(sites, |db| accept_suggestion(db, accepted, &alice, at(20))).unwrap();
    on_both!(sites, |db| reject_suggestion(
        db,
        rejected,
        "No source says so.",
        &alice,
        at(21)
    ))
    .unwrap();
    assert!(on_both!(sites, |db| accept_suggestion(db, rejected, &alice, at(22))).is_err());

    // Accounts: a new password, then disabled.
    on_both!(sites, |db| crate::users::set_password(
        db,
        "alice",
        "another long password",
        at(23)
    ))
    .unwrap();
    on_both!(sites, |db| crate::users::set_disabled(db, "alice", true, at(24))).unwrap();
    assert!(on_both!(sites, |db| crate::users::set_disabled(db, "nobody", true, at(25))).is_err());

    // A second summit imported on both (the first exported, renamed), with
    // its translations; then both export the same data sets, and find the
    // same slugs taken.
    let summit = data.summit.slug.as_str();
    let mut second = crate::test_fixture::dataset();
    // The shipped translations (the fixture loads the data set alone).
    let translations: Option<domain::SeedTranslations> =
        Some(toml::from_str(include_str!("../../seed/summit-2025-11-01.translations.toml")).unwrap());
    second.summit.slug = Slug::parse("second-summit").unwrap();
    for commitment in &mut second.commitments {
        commitment.slug = Slug::parse(&format!("second-{}", commitment.slug)).unwrap();
    }
    for correction in &mut second.corrections {
        correction.commitment = correction
            .commitment
            .as_ref()
            .map(|slug| Slug::parse(&format!("second-{slug}")).unwrap());
    }
    let second_translations = translations.map(|mut t| {
        for commitment in &mut t.commitments {
            commitment.slug = Slug::parse(&format!("second-{}", commitment.slug)).unwrap();
        }
        t
    });
    let imported = on_both!(sites, |db| crate::seed::import_dataset(
        db,
        &second,
        second_translations.as_ref(),
        "an operator",
        at(26)
    ));
    imported.unwrap();
    let again = on_both!(sites, |db| crate::seed::import_dataset(
        db,
        &second,
        None,
        "an operator",
        at(27)
    ));
    assert!(again.is_err());
    for slug in [summit, "second-summit"] {
        let exported = on_both!(sites, |db| crate::summit_dataset::read_dataset(db, slug));
        assert!(exported.unwrap().is_some());
        on_both!(sites, |db| crate::summit_dataset::read_translations(db, slug)).unwrap();
    }
    let translated = on_both!(sites, |db| crate::summit_dataset::read_translations(
        db,
        "second-summit"
    ));
    assert!(translated.unwrap().is_some());
    let taken = on_both!(sites, |db| crate::summit_dataset::taken_slugs(db, &second)).unwrap();
    assert!(
        taken.summit && taken.commitments.len() == second.commitments.len(),
        "{taken:?}"
    );

    // Each write that readers see moved the PostgreSQL site's data version.
    assert!(sites.postgres.data_version() > versions_before);
    // The same rows in every table (password hashes are salted apart and
    // compared by their account only) and the same pages.
    sqlx::query("UPDATE users SET password_hash = 'compared elsewhere'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET password_hash = 'compared elsewhere'")
        .execute(&postgres.pool)
        .await
        .unwrap();
    let compared = compare_sites(&pool, &postgres.pool, true).await.unwrap();
    let differing: Vec<_> = compared.iter().filter(|t| !t.matches()).collect();
    assert!(differing.is_empty(), "{differing:#?}");
    let pages = compare_commitment_pages(&pool, &postgres.pool).await.unwrap();
    assert_eq!(pages.differing, 0, "{pages:?}");
    let commitments: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM commitments")
        .fetch_one(&pool)
        .await
        .unwrap();
    // Every commitment's pages, and the site's own pages once.
    assert_eq!(pages.compared, u64::try_from(commitments).unwrap() + 1);
    postgres.drop_database().await;
}

//! Each write function reports what it changed (issue 17, point 1): the
//! commitments it wrote and their summits go stale, other commitments and
//! other summits do not; a write whose reach is site-wide (an import, the
//! translations of names) makes everything stale.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::data_changes::Shows;
use crate::editing::{
    create_commitment, edit_sources, record_status_change, revert_commitment, save_translation, update_commitment,
    SourceEdit,
};
use crate::test_fixture::{both_engines, dataset, editor, on_engine, seeded};
use crate::Db;
use domain::{CurrentUser, PartyChoice, Slug, Status, StatusChange};

const SUMMIT: &str = "xi-lee-2025-11-01";
/// A summit with nothing written to it.
const OTHER_SUMMIT: &str = "other-summit-2026";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap()
}

fn commitment(slug: &str) -> Shows {
    Shows::Commitment(slug.to_owned())
}

fn summit(slug: &str) -> Shows {
    Shows::Summit(slug.to_owned())
}

/// The seeded site, a second (empty) summit, an editor, and the slugs of
/// three seeded commitments: X written to, and two others.
struct Fixture {
    db: Db,
    alice: CurrentUser,
    x: String,
    others: Vec<String>,
}

async fn fixture(db: Db) -> Fixture {
    let data = seeded(&db).await;
    on_engine!(db, |pool| sqlx::query(
        "INSERT INTO summits (slug, title, held_on, location, summary, time_zone)
         VALUES ($1, 'Another summit', '2026-01-10', 'Seoul', 'Another.', 'Asia/Seoul')",
    )
    .bind(OTHER_SUMMIT)
    .execute(pool)
    .await
    .unwrap()
    .rows_affected());
    let alice = editor(&db, "alice").await;
    let mut slugs = data.commitments.iter().map(|c| c.slug.to_string());
    let x = slugs.next().unwrap();
    let others = slugs.take(2).collect();
    Fixture { db, alice, x, others }
}

impl Fixture {
    async fn version(&self, slug: &str) -> i64 {
        on_engine!(self.db, |pool| sqlx::query_scalar(
            "SELECT version FROM commitments WHERE slug = $1"
        )
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap())
    }

    fn x(&self) -> Slug {
        Slug::parse(&self.x).unwrap()
    }

    /// Runs `write` and checks that what it changed is stale and the
    /// other commitments and the other summit are not.
    async fn assert_write_changes<F: std::future::Future<Output = ()>>(
        &self,
        what: &str,
        changed: &[Shows],
        write: impl FnOnce() -> F,
    ) {
        let changes = self.db.data_changes();
        let before = changes.step();
        write().await;
        for shows in changed.iter().chain([&Shows::AnyCommitment]) {
            assert!(changes.changed_since(shows, before), "{what}: {shows:?} is stale");
        }
        for unchanged in self
            .others
            .iter()
            .map(|slug| commitment(slug))
            .chain([summit(OTHER_SUMMIT)])
        {
            if !changed.contains(&unchanged) {
                assert!(
                    !changes.changed_since(&unchanged, before),
                    "{what}: {unchanged:?} is not stale"
                );
            }
        }
    }

    async fn first_source_of(&self, slug: &str) -> i64 {
        on_engine!(self.db, |pool| sqlx::query_scalar(
            "SELECT cs.source_id FROM commitment_sources cs JOIN commitments c ON c.id = cs.commitment_id
             WHERE c.slug = $1 ORDER BY cs.source_id LIMIT 1",
        )
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap())
    }

    async fn change_status(&self, status: Status) {
        let source = self.first_source_of(&self.x).await;
        let change = StatusChange {
            parties: PartyChoice::AllOwing,
            status,
            effective_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            note: "Talks began.".into(),
            source_ids: vec![source],
            new_source: None,
            expected_version: self.version(&self.x).await,
        };
        record_status_change(&self.db, &self.x(), &change, &self.alice, now())
            .await
            .unwrap();
    }
}

both_engines!(each_edit_of_a_commitment_reports_that_commitment_and_its_summit);
async fn each_edit_of_a_commitment_reports_that_commitment_and_its_summit(db: Db) {
    let f = fixture(db).await;
    let x_in_its_summit = [commitment(&f.x), summit(SUMMIT)];

    f.assert_write_changes("a status change", &x_in_its_summit, || {
        f.change_status(Status::InProgress)
    })
    .await;

    f.assert_write_changes("a translation", &x_in_its_summit, || async {
        let fields = domain::TranslationFields {
            language: domain::Locale::Ko,
            title: "제목".into(),
            summary: "요약.".into(),
        };
        save_translation(&f.db, &f.x(), &fields, f.version(&f.x).await, &f.alice, now())
            .await
            .unwrap();
    })
    .await;

    f.assert_write_changes("a source added", &x_in_its_summit, || async {
        let source = domain::SourceText {
            publisher: "Yonhap".into(),
            via: None,
            title: "Ferry talks resume".into(),
            title_basis: domain::TitleBasis::Headline,
            dated_on: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            date_basis: domain::DateBasis::Published,
            url: None,
            quote: "Officials met.".into(),
            kind: domain::SourceKind::MediaReport,
            language: Default::default(),
        };
        edit_sources(
            &f.db,
            &f.x(),
            SourceEdit::Add(&source),
            f.version(&f.x).await,
            &f.alice,
            now(),
        )
        .await
        .unwrap();
    })
    .await;

    f.assert_write_changes("a revert", &x_in_its_summit, || async {
        revert_commitment(&f.db, &f.x(), 1, f.version(&f.x).await, &f.alice, now())
            .await
            .unwrap();
    })
    .await;

    // An edit that moves X to the other summit: both summits' views.
    f.assert_write_changes(
        "a move to another summit",
        &[commitment(&f.x), summit(SUMMIT), summit(OTHER_SUMMIT)],
        || async {
            let seeded = dataset()
                .commitments
                .into_iter()
                .find(|c| c.slug.as_str() == f.x)
                .unwrap();
            let fields = domain::CommitmentFields {
                title: seeded.title,
                summary: seeded.summary,
                theme: seeded.theme,
                proposed_by: None,
                owed_by: seeded.owed_by,
                due_on: seeded.due_on,
                due_basis: seeded.due_basis,
                due_note: seeded.due_note,
                summit: Slug::parse(OTHER_SUMMIT).unwrap(),
            };
            update_commitment(&f.db, &f.x(), &fields, f.version(&f.x).await, &f.alice, now())
                .await
                .unwrap();
        },
    )
    .await;

    f.assert_write_changes(
        "a new commitment",
        &[commitment("resume-ferry-routes"), summit(SUMMIT)],
        || async {
            let fields = domain::CommitmentFields {
                title: "Resume ferry routes".into(),
                summary: "Agreed at the summit.".into(),
                theme: domain::Theme::PeopleToPeople,
                proposed_by: None,
                owed_by: vec![domain::PartyCode::parse("kr").unwrap()],
                due_on: None,
                due_basis: None,
                due_note: None,
                summit: Slug::parse(SUMMIT).unwrap(),
            };
            let slug = create_commitment(&f.db, &fields, &f.alice, now()).await.unwrap();
            assert_eq!(slug.as_str(), "resume-ferry-routes");
        },
    )
    .await;
}

both_engines!(a_corrected_source_reports_every_commitment_that_lists_it);
/// A corrected source shows on every commitment that lists it: each is
/// reported, with its summit.
async fn a_corrected_source_reports_every_commitment_that_lists_it(db: Db) {
    let mut f = fixture(db).await;
    let (source_id, first, second): (i64, String, String) = on_engine!(f.db, |pool| sqlx::query_as(
        "SELECT cs.source_id, min(c.slug), max(c.slug) FROM commitment_sources cs
         JOIN commitments c ON c.id = cs.commitment_id
         GROUP BY cs.source_id HAVING count(*) = 2 ORDER BY cs.source_id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("the seed lists some source under exactly two commitments"));
    // One commitment listing the source nowhere, to stay kept.
    let unrelated: String = on_engine!(f.db, |pool| sqlx::query_scalar(
        "SELECT slug FROM commitments WHERE id NOT IN
           (SELECT commitment_id FROM commitment_sources WHERE source_id = $1) ORDER BY id LIMIT 1",
    )
    .bind(source_id)
    .fetch_one(pool)
    .await
    .unwrap());
    f.others = vec![unrelated];
    let record = crate::commitments::find_commitment_by_slug(&f.db, &Slug::parse(&first).unwrap())
        .await
        .unwrap()
        .unwrap();
    let text = record.sources.iter().find(|s| s.id == source_id).unwrap().text.clone();
    let corrected = domain::SourceText {
        title: format!("{} (corrected)", text.title),
        ..text
    };
    f.assert_write_changes(
        "a source correction",
        &[commitment(&first), commitment(&second), summit(SUMMIT)],
        || async {
            edit_sources(
                &f.db,
                &Slug::parse(&first).unwrap(),
                SourceEdit::Correct(source_id, &corrected, "The title named the wrong outlet."),
                record.version,
                &f.alice,
                now(),
            )
            .await
            .unwrap();
        },
    )
    .await;
}

both_engines!(accepting_a_suggestion_reports_its_commitment);
async fn accepting_a_suggestion_reports_its_commitment(db: Db) {
    let f = fixture(db).await;
    let suggestion = domain::Suggestion {
        parties: PartyChoice::AllOwing,
        status: Status::InProgress,
        effective_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
        note: "Seen in the news.".into(),
        source: domain::NewSource {
            publisher: "Yonhap".into(),
            title: "Talks".into(),
            dated_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            date_basis: domain::DateBasis::Published,
            title_basis: domain::TitleBasis::Headline,
            via: None,
            url: None,
            quote: "Talks began.".into(),
            kind: domain::SourceKind::MediaReport,
            language: Default::default(),
        },
        contact: None,
    };
    let submitted = crate::suggestions::submit_suggestion(&f.db, &f.x(), &suggestion, "10.0.0.1", now())
        .await
        .unwrap();
    let crate::suggestions::Submitted::Stored(id) = submitted else {
        panic!("stored: {submitted:?}")
    };
    let changes = f.db.data_changes();
    assert!(
        !changes.changed_since(&commitment(&f.x), 0),
        "a pending suggestion changes no page"
    );
    f.assert_write_changes(
        "an accepted suggestion",
        &[commitment(&f.x), summit(SUMMIT)],
        || async {
            crate::suggestions::accept_suggestion(&f.db, id, &f.alice, now())
                .await
                .unwrap();
        },
    )
    .await;
}

both_engines!(an_import_and_translations_of_names_report_everything);
/// An import and the translations of a summit's and its parties' names
/// reach every page.
async fn an_import_and_translations_of_names_report_everything(db: Db) {
    let changes = db.data_changes();
    let data = dataset();
    let before = changes.step();
    crate::seed::insert_dataset(&db, &data, now()).await.unwrap();
    let everything = [
        commitment("never-written"),
        summit("never-written"),
        Shows::AnyCommitment,
    ];
    for shows in &everything {
        assert!(changes.changed_since(shows, before), "an import: {shows:?}");
    }
    let translations: domain::SeedTranslations =
        toml::from_str(include_str!("../../seed/summit-2025-11-01.translations.toml")).unwrap();
    let before = changes.step();
    assert!(
        crate::seed::insert_translations(&db, &data.summit.slug, &translations, now())
            .await
            .unwrap()
    );
    for shows in &everything {
        assert!(changes.changed_since(shows, before), "translations: {shows:?}");
    }
}

//! Filters, search, the columns the discovery migration maintains, and the
//! status history, against a real database with the shipped seed data.

use chrono::{Datelike, NaiveDate, Utc};
use sqlx::SqlitePool;

use super::editing::{edit_sources, record_status_change, SourceEdit};
use super::listing;
use crate::test_fixture::{both_engines, editor, on_engine, seeded};
use crate::Db;
use domain::{Dataset, ListQuery, NewSource, PartyChoice, PartyCode, SourceKind, Status, StatusChange, Theme};

/// Noon UTC on that day: the same day in Seoul (21:00), the seed's zone.
fn at(text: &str) -> chrono::DateTime<Utc> {
    day(text).and_hms_opt(12, 0, 0).unwrap().and_utc()
}

/// "Today" in every summit's zone at noon UTC on that day.
async fn days(db: &Db, text: &str) -> listing::ZoneDays {
    listing::ZoneDays::at(db, at(text)).await.unwrap()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// Generated commitments whose data ends on 1 November 2026 (a fixed last
/// day: `GenerateOptions::new` would end it today).
async fn generate_until_november(pool: &SqlitePool, commitments: u64, updates_per: u32, seed: u64) {
    let options = super::generate::GenerateOptions {
        until: day("2026-11-01"),
        ..super::generate::GenerateOptions::new(commitments, updates_per, seed)
    };
    super::generate::generate(pool, &options, |_| {}).await.unwrap();
}

/// Fills `db`'s empty database with generated commitments (after the
/// shipped data set, if `with_seed`), and returns a SQLite site holding the
/// same rows, ids included, for statements only SQLite runs (the reference
/// orders the paging tests compare with). So on PostgreSQL the site is
/// generated in a SQLite database in memory and copied with `copy_site`, as
/// `accord migrate-db` moves a site, PostgreSQL's own triggers deriving the
/// columns and counts they keep.
async fn generated_site(db: &Db, with_seed: bool, commitments: u64, updates_per: u32, seed: u64) -> SqlitePool {
    let sqlite = match crate::engine::Engine::engine(db) {
        crate::engine::EngineRef::Sqlite(pool) => pool.clone(),
        crate::engine::EngineRef::Postgres(_) => {
            // One connection: each connection to ":memory:" is a database of its own.
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect("sqlite::memory:")
                .await
                .unwrap();
            crate::migrate(&pool).await.unwrap();
            pool
        }
    };
    if with_seed {
        seeded(&sqlite).await;
    }
    generate_until_november(&sqlite, commitments, updates_per, seed).await;
    if let crate::engine::EngineRef::Postgres(postgres) = crate::engine::Engine::engine(db) {
        let options = crate::site_copy::CopyOptions { keep_sessions: false };
        crate::site_copy::copy_site(&sqlite, postgres, options).await.unwrap();
    }
    sqlite
}

fn query(text: &str) -> ListQuery {
    ListQuery::parse_query_string(text).unwrap()
}

/// The slugs a query matches, in order, on 29 November 2026.
async fn slugs(db: &Db, text: &str) -> Vec<String> {
    slugs_on(db, text, "2026-11-29").await
}

/// The slugs a query matches, in order, at noon UTC on `today`.
async fn slugs_on(db: &Db, text: &str, today: &str) -> Vec<String> {
    let ids: Vec<i64> = listing::match_commitments(db, &query(text), &days(db, today).await)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    listing::summaries_by_ids(db, &ids)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.slug.to_string())
        .collect()
}

/// What the seed file says each commitment's overall status is.
fn seeded_overall(data: &Dataset) -> Vec<(String, Status)> {
    data.commitments
        .iter()
        .map(|c| {
            let latest = c.owed_by.iter().map(|party| {
                c.status
                    .iter()
                    .filter(|s| &s.party == party)
                    .max_by_key(|s| s.effective_on)
                    .map(|s| s.status)
                    .unwrap_or(Status::NotYetRated)
            });
            (c.slug.to_string(), Status::overall(latest))
        })
        .collect()
}

/// The test's own commitment, owed by South Korea alone: its slug, title,
/// due date (if any) and the status it starts with, effective the day of
/// its summit.
struct Item(
    &'static str,         // slug
    &'static str,         // title
    Option<&'static str>, // due date
    &'static str,         // status
);

/// A summit of the test's own, held on `held_on` in `time_zone`, with
/// `items` in that order, each citing one source dated the day after it.
/// Nothing of it comes from the shipped seed, so no assertion on it
/// depends on that file's editorial judgements.
fn own_summit(slug: &str, held_on: &str, time_zone: &str, items: &[Item]) -> Dataset {
    let reported = (day(held_on) + chrono::Duration::days(1)).to_string();
    let commitments: Vec<serde_json::Value> = items
        .iter()
        .map(|Item(slug, title, due_on, status)| {
            let mut c = serde_json::json!({
                "slug": slug, "title": title, "summary": "Made up for a test.",
                "theme": "economy", "proposed_by": "joint", "owed_by": ["kr"], "sources": ["report"],
                "status": [{ "party": "kr", "status": status, "effective_on": held_on, "note": "n",
                             "sources": ["report"] }]
            });
            if let Some(due) = due_on {
                c["due_on"] = (*due).into();
                c["due_basis"] = "explicit".into();
                c["due_note"] = "Set by the test.".into();
            }
            c
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "summit": { "slug": slug, "title": slug, "held_on": held_on, "location": "L", "summary": "",
                    "time_zone": time_zone },
        "parties": [
            { "code": "cn", "name": "People's Republic of China", "short_name": "China", "leader": "X" },
            { "code": "kr", "name": "Republic of Korea", "short_name": "South Korea", "leader": "L" }
        ],
        "sources": [{ "key": "report", "publisher": "Test Wire", "title": "Report", "title_is": "headline",
                      "published_on": reported, "kind": "media_report", "quote": "A step was taken." }],
        "commitments": commitments
    }))
    .unwrap()
}

/// Stores a data set through the seed loader, as the server loads one.
async fn load(db: &Db, data: &Dataset) {
    super::seed::insert_dataset(db, data, at("2025-11-02")).await.unwrap();
}

/// Records `status` for one party of `slug`, effective `on`, citing a new
/// source dated that day (so a rating is never refused for its evidence).
async fn rate(db: &Db, slug: &str, party: &str, status: Status, on: &str, who: &domain::CurrentUser) {
    let slug = domain::Slug::parse(slug).unwrap();
    let record = super::commitments::find_commitment_by_slug(db, &slug)
        .await
        .unwrap()
        .unwrap();
    let change = StatusChange {
        parties: PartyChoice::One(PartyCode::parse(party).unwrap()),
        status,
        effective_on: day(on),
        note: format!("{party}: {status:?} from {on}."),
        source_ids: vec![],
        new_source: Some(NewSource {
            publisher: "Test Wire".into(),
            title: format!("{party} {on}"),
            dated_on: day(on),
            date_basis: domain::DateBasis::Published,
            title_basis: domain::TitleBasis::Headline,
            via: None,
            url: None,
            quote: "Officials said so.".into(),
            kind: SourceKind::MediaReport,
            language: Default::default(),
        }),
        expected_version: record.version,
    };
    record_status_change(db, &slug, &change, who, at(on)).await.unwrap();
}

/// China's and South Korea's statuses, and the overall status the rule
/// gives (the least advanced party's): every status is some commitment's
/// overall status, and most pairs differ.
const SPREAD: [(Status, Status, Status); 6] = [
    (Status::InProgress, Status::Fulfilled, Status::InProgress),
    (Status::Fulfilled, Status::Fulfilled, Status::Fulfilled),
    (Status::PartlyFulfilled, Status::Stalled, Status::Stalled),
    (Status::PartlyFulfilled, Status::Fulfilled, Status::PartlyFulfilled),
    (Status::NotFulfilled, Status::InProgress, Status::NotFulfilled),
    (Status::NotYetRated, Status::Fulfilled, Status::NotYetRated),
];

/// Rates six commitments both parties owe with the pairs of `SPREAD`
/// (the seed rates nothing beyond Not yet rated); returns their slugs, in
/// `SPREAD`'s order.
async fn spread_statuses(db: &Db, data: &Dataset) -> Vec<String> {
    let who = editor(db, "spreader").await;
    let bilateral: Vec<String> = data
        .commitments
        .iter()
        .filter(|c| c.owed_by.len() == 2)
        .map(|c| c.slug.to_string())
        .take(SPREAD.len())
        .collect();
    assert_eq!(bilateral.len(), SPREAD.len(), "six commitments both parties owe");
    for (slug, (cn, kr, _)) in bilateral.iter().zip(SPREAD) {
        rate(db, slug, "cn", cn, "2026-02-01", &who).await;
        rate(db, slug, "kr", kr, "2026-02-02", &who).await;
    }
    bilateral
}

both_engines!(the_stored_overall_status_follows_the_rust_rule);
async fn the_stored_overall_status_follows_the_rust_rule(db: Db) {
    let data = seeded(&db).await;
    // The seed rates nothing beyond Not yet rated: the test rates pairs of
    // parties itself, so that every status is some commitment's overall one.
    let rated = spread_statuses(&db, &data).await;
    let mut expected = seeded_overall(&data);
    for (slug, (cn, kr, overall)) in rated.iter().zip(SPREAD) {
        assert_eq!(
            Status::overall([cn, kr]),
            overall,
            "the Rust rule, for {cn:?} and {kr:?}"
        );
        expected.iter_mut().find(|(s, _)| s == slug).unwrap().1 = overall;
    }
    assert_eq!(expected.len(), data.commitments.len());
    for (slug, expected) in &expected {
        let stored: String = on_engine!(db, |pool| sqlx::query_scalar(
            "SELECT overall_status FROM commitments WHERE slug = $1"
        )
        .bind(slug)
        .fetch_one(pool)
        .await)
        .unwrap();
        assert_eq!(stored, expected.code(), "{slug}");
    }
    let distinct: std::collections::HashSet<Status> = expected.iter().map(|(_, s)| *s).collect();
    assert_eq!(
        distinct.len(),
        Status::ALL.len(),
        "every status is checked: {distinct:?}"
    );
    // The SQL ranking is the same order as Status::advancement.
    let ranks: Vec<(String, i64)> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT status, CAST(rank AS BIGINT) FROM status_ranks ORDER BY rank"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let mut by_advancement = Status::ALL.to_vec();
    by_advancement.sort_by_key(|s| s.advancement());
    let codes: Vec<&str> = ranks.iter().map(|(code, _)| code.as_str()).collect();
    assert_eq!(codes, by_advancement.iter().map(|s| s.code()).collect::<Vec<_>>());
}

both_engines!(filters_match_what_the_seed_says);
async fn filters_match_what_the_seed_says(db: Db) {
    let data = seeded(&db).await;
    // The seed rates nothing beyond Not yet rated; the test rates six
    // commitments itself, so every status filter has something to find.
    let rated = spread_statuses(&db, &data).await;
    // Each party's status now: the test's rating, else the seed's.
    let party_status = |c: &domain::SeedCommitment, party: &str| -> Option<Status> {
        if !c.owed_by.iter().any(|p| p.as_str() == party) {
            return None;
        }
        if let Some(i) = rated.iter().position(|slug| slug == c.slug.as_str()) {
            let (cn, kr, _) = SPREAD[i];
            return Some(if party == "cn" { cn } else { kr });
        }
        Some(
            c.status
                .iter()
                .filter(|s| s.party.as_str() == party)
                .max_by_key(|s| s.effective_on)
                .map_or(Status::NotYetRated, |s| s.status),
        )
    };
    let mut overall = seeded_overall(&data);
    for (slug, (_, _, status)) in rated.iter().zip(SPREAD) {
        overall.iter_mut().find(|(s, _)| s == slug).unwrap().1 = status;
    }
    for status in Status::ALL {
        let expected: Vec<String> = overall
            .iter()
            .filter(|(_, s)| *s == status)
            .map(|(slug, _)| slug.clone())
            .collect();
        assert!(!expected.is_empty(), "some commitment is {status:?}");
        assert_eq!(
            slugs(&db, &format!("status={}", status.code())).await,
            expected,
            "{status:?}"
        );
    }
    let mut themes_found = 0;
    for theme in Theme::ALL {
        let expected: Vec<String> = data
            .commitments
            .iter()
            .filter(|c| c.theme == *theme)
            .map(|c| c.slug.to_string())
            .collect();
        themes_found += usize::from(!expected.is_empty());
        assert_eq!(slugs(&db, &format!("theme={}", theme.code())).await, expected);
    }
    assert!(themes_found >= 2, "the seed has commitments of several themes");
    for party in ["cn", "kr"] {
        let expected: Vec<String> = data
            .commitments
            .iter()
            .filter(|c| c.owed_by.iter().any(|p| p.as_str() == party))
            .map(|c| c.slug.to_string())
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(slugs(&db, &format!("party={party}")).await, expected);
    }
    // With a party, the status is that party's own, not the overall one:
    // exact lists for every party and status, empty ones included.
    let mut found_some = 0;
    for party in ["cn", "kr"] {
        for status in Status::ALL {
            let expected: Vec<String> = data
                .commitments
                .iter()
                .filter(|c| party_status(c, party) == Some(status))
                .map(|c| c.slug.to_string())
                .collect();
            found_some += usize::from(!expected.is_empty());
            assert_eq!(
                slugs(&db, &format!("status={}&party={party}", status.code())).await,
                expected,
                "{party} {status:?}"
            );
        }
    }
    assert!(
        found_some >= 8,
        "the test's ratings alone give China five statuses and South Korea three: {found_some}"
    );

    assert_eq!(
        slugs(&db, &format!("summit={}", data.summit.slug)).await,
        data.commitments.iter().map(|c| c.slug.to_string()).collect::<Vec<_>>()
    );
    assert!(slugs(&db, "summit=no-such-summit").await.is_empty());
}

both_engines!(search_finds_titles_summaries_and_quotes_and_nothing_else);
async fn search_finds_titles_summaries_and_quotes_and_nothing_else(db: Db) {
    let data = seeded(&db).await;
    let fraud = slugs(&db, "q=fraud").await;
    assert!(
        fraud.iter().any(|s| s.contains("fraud")),
        "the telecom-fraud commitment is found: {fraud:?}"
    );
    // Prefix and case: "Gambl" finds "gambling".
    assert_eq!(slugs(&db, "q=Gambl").await, slugs(&db, "q=gambling").await);
    assert!(!slugs(&db, "q=gambling").await.is_empty());
    // A word that occurs only in source quotes finds the commitments citing them.
    let in_text = |word: &str| {
        data.commitments.iter().any(|c| {
            let text = format!("{} {}", c.title, c.summary).to_lowercase();
            text.split(|ch: char| !ch.is_alphanumeric())
                .any(|w| w.starts_with(word))
        })
    };
    let word = data
        .sources
        .iter()
        .flat_map(|s| s.quote.split(|ch: char| !ch.is_alphanumeric()))
        .map(str::to_lowercase)
        .find(|w| w.len() > 6 && w.chars().all(|c| c.is_ascii_alphabetic()) && !in_text(w))
        .expect("some quote word is in no title or summary");
    let citing: Vec<String> = data
        .commitments
        .iter()
        .filter(|c| {
            c.sources
                .iter()
                .chain(c.status.iter().flat_map(|s| &s.sources))
                .any(|key| {
                    data.sources.iter().any(|s| {
                        &s.key == key
                            && s.quote
                                .to_lowercase()
                                .split(|ch: char| !ch.is_alphanumeric())
                                .any(|w| w.starts_with(word.as_str()))
                    })
                })
        })
        .map(|c| c.slug.to_string())
        .collect();
    assert!(!citing.is_empty());
    assert_eq!(slugs(&db, &format!("q={word}")).await, citing, "quote-only word {word}");

    // Commitments of the test's own, with made-up words: "quokka" in two,
    // "wombat" in two, both (and "notable", "orchards", "near") in one.
    let who = editor(&db, "searcher").await;
    let mut own = Vec::new();
    for (title, theme, owed_by) in [
        ("Quokka habitat survey", Theme::Economy, &["cn", "kr"][..]),
        ("Wombat burrow census", Theme::Security, &["kr"][..]),
        (
            "Notable quokka and wombat orchards near the coast",
            Theme::Security,
            &["cn"][..],
        ),
    ] {
        let fields = domain::CommitmentFields {
            title: title.into(),
            summary: "Agreed at the summit.".into(),
            theme,
            proposed_by: None,
            owed_by: owed_by.iter().map(|c| PartyCode::parse(c).unwrap()).collect(),
            due_on: None,
            due_basis: None,
            due_note: None,
            summit: data.summit.slug.clone(),
        };
        let slug = super::editing::create_commitment(&db, &fields, &who, at("2026-01-05"))
            .await
            .unwrap();
        own.push(slug.to_string());
    }
    let (habitat, census, orchards) = (&own[0], &own[1], &own[2]);
    let list = |slugs: &[&String]| slugs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let none: Vec<String> = Vec::new();
    assert_eq!(slugs(&db, "q=quokka").await, list(&[habitat, orchards]));
    assert_eq!(slugs(&db, "q=wombat").await, list(&[census, orchards]));
    // A miss: a prefix of the text's words, not a word the text starts.
    assert_eq!(slugs(&db, "q=quokkas").await, none);

    // Search and filters combine: each filter keeps some matches and drops others.
    assert_eq!(slugs(&db, "q=quokka&theme=economy").await, list(&[habitat]));
    assert_eq!(slugs(&db, "q=quokka&theme=security").await, list(&[orchards]));
    assert_eq!(slugs(&db, "q=quokka&theme=diplomacy").await, none);
    assert_eq!(slugs(&db, "q=wombat&party=kr").await, list(&[census]));
    assert_eq!(slugs(&db, "q=wombat&party=cn").await, list(&[orchards]));
    assert_eq!(slugs(&db, "q=wombat&theme=security&party=kr").await, list(&[census]));
    assert_eq!(slugs(&db, "q=quokka&theme=security&party=kr").await, none);
    assert_eq!(
        slugs(&db, &format!("q=quokka&summit={}", data.summit.slug)).await,
        list(&[habitat, orchards])
    );
    assert_eq!(slugs(&db, "q=quokka&summit=no-such-summit").await, none);

    // Input that would be FTS5 syntax is words, each a prefix that must
    // occur. Read as FTS5, each of these would find something else (or fail).
    assert_eq!(
        slugs(&db, "q=quokka+OR+wombat").await,
        list(&[orchards]),
        "as FTS5, OR: all three"
    );
    assert_eq!(
        slugs(&db, "q=quokka+NOT+wombat").await,
        list(&[orchards]),
        "as FTS5, NOT: the habitat survey"
    );
    assert_eq!(
        slugs(&db, "q=%22wombat+quokka%22").await,
        list(&[orchards]),
        "as FTS5, a phrase no text has"
    );
    assert_eq!(
        slugs(&db, "q=NEAR%28quokka+habitat%29").await,
        none,
        "as FTS5, NEAR: the habitat survey"
    );
    assert_eq!(
        slugs(&db, "q=quokka+AND+NOT").await,
        list(&[orchards]),
        "as FTS5, a syntax error"
    );
    // Only punctuation: no terms, no match (as FTS5, a syntax error).
    assert_eq!(slugs(&db, "q=%22%29%28*%5E").await, none);
}

both_engines!(the_write_path_keeps_search_and_summaries_current);
async fn the_write_path_keeps_search_and_summaries_current(db: Db) {
    let db = db.clone();
    let data = seeded(&db).await;
    let alice = editor(&db, "lister").await;
    let target = data.commitments.iter().find(|c| c.owed_by.len() == 2).unwrap();
    let slug = target.slug.clone();
    assert!(slugs(&db, "q=hovercraft").await.is_empty());

    // A new source's quote becomes searchable, and counts as a source.
    let source = NewSource {
        publisher: "Yonhap".into(),
        title: "Ferry talks".into(),
        dated_on: day("2026-02-01"),
        date_basis: domain::DateBasis::Published,
        title_basis: domain::TitleBasis::Headline,
        via: None,
        url: None,
        quote: "The hovercraft service will resume.".into(),
        kind: SourceKind::MediaReport,
        language: Default::default(),
    };
    edit_sources(&db, &slug, SourceEdit::Add(&source), 1, &alice, at("2026-04-01"))
        .await
        .unwrap();
    assert_eq!(slugs(&db, "q=hovercraft").await, vec![slug.to_string()]);

    // Correcting the quote re-indexes it.
    let record = super::commitments::find_commitment_by_slug(&db, &slug)
        .await
        .unwrap()
        .unwrap();
    let added = record.sources.iter().find(|s| s.text.publisher == "Yonhap").unwrap().id;
    let corrected = NewSource {
        quote: "The ferry service will resume.".into(),
        ..source.clone()
    };
    edit_sources(
        &db,
        &slug,
        SourceEdit::Correct(added, &corrected, "Wrong quote."),
        2,
        &alice,
        at("2026-04-01"),
    )
    .await
    .unwrap();
    assert!(slugs(&db, "q=hovercraft").await.is_empty());
    assert_eq!(slugs(&db, "q=ferry").await, vec![slug.to_string()]);

    // A status change moves the item between filters and updates its row.
    let change = StatusChange {
        parties: PartyChoice::One(PartyCode::parse("kr").unwrap()),
        status: Status::Stalled,
        effective_on: day("2026-03-01"),
        note: "Talks paused.".into(),
        source_ids: vec![added],
        new_source: None,
        expected_version: 3,
    };
    record_status_change(&db, &slug, &change, &alice, at("2026-04-01"))
        .await
        .unwrap();
    let stalled = slugs(&db, "status=stalled&party=kr").await;
    assert_eq!(stalled, vec![slug.to_string()]);
    let row = listing::summaries_by_ids(
        &db,
        &[
            listing::match_commitments(&db, &query("q=ferry"), &days(&db, "2026-11-29").await)
                .await
                .unwrap()[0]
                .id,
        ],
    )
    .await
    .unwrap()
    .remove(0);
    assert_eq!(row.last_changed_on, Some(day("2026-03-01")));
    assert_eq!(row.source_count as usize, target_source_count(&data, &slug) + 1);
    let kr = row
        .party_statuses
        .iter()
        .find(|p| p.party.code.as_str() == "kr")
        .unwrap();
    assert_eq!((kr.status, kr.since), (Status::Stalled, Some(day("2026-03-01"))));
    let stored: String = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT overall_status FROM commitments WHERE slug = $1"
    )
    .bind(slug.as_str())
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(
        stored,
        row.overall_status().code(),
        "the stored overall status follows the parties"
    );
    // A back-dated entry joins the history without replacing the present.
    let backdated = StatusChange {
        status: Status::InProgress,
        effective_on: day("2026-01-15"),
        expected_version: 4,
        ..change
    };
    record_status_change(&db, &slug, &backdated, &alice, at("2026-04-01"))
        .await
        .unwrap();
    assert_eq!(slugs(&db, "status=stalled&party=kr").await, vec![slug.to_string()]);
}

fn target_source_count(data: &Dataset, slug: &domain::Slug) -> usize {
    let c = data.commitments.iter().find(|c| &c.slug == slug).unwrap();
    let mut keys: Vec<&String> = c
        .sources
        .iter()
        .chain(c.status.iter().flat_map(|s| &s.sources))
        .collect();
    keys.sort();
    keys.dedup();
    keys.len()
}

/// Two summits of the test's own (the older stored first, so that id order
/// is not summit order), seven commitments with due dates and status
/// changes on distinct days, one never rated.
async fn two_summits(db: &Db) {
    load(
        db,
        &own_summit(
            "older-summit",
            "2024-05-10",
            "Asia/Seoul",
            &[
                Item("kelp-farming", "Kelp farming", Some("2025-08-01"), "not_yet_rated"),
                Item("banana-trade", "Banana trade", None, "not_yet_rated"),
                Item("copper-cables", "Copper cables", Some("2027-01-01"), "not_yet_rated"),
            ],
        ),
    )
    .await;
    load(
        db,
        &own_summit(
            "newer-summit",
            "2025-06-20",
            "Asia/Seoul",
            &[
                Item("mango-exports", "Mango exports", Some("2026-03-01"), "not_yet_rated"),
                // Lower case: the title order ignores case.
                Item("apple-tariffs", "apple tariffs", None, "not_yet_rated"),
                Item("zinc-mining", "Zinc mining", Some("2025-12-01"), "fulfilled"),
            ],
        ),
    )
    .await;
    // A commitment added later to the older summit: no due date, no status change.
    let who = editor(db, "sorter").await;
    let fields = domain::CommitmentFields {
        title: "Delta ports".into(),
        summary: "Added by an editor.".into(),
        theme: Theme::Economy,
        proposed_by: None,
        owed_by: vec![PartyCode::parse("kr").unwrap()],
        due_on: None,
        due_basis: None,
        due_note: None,
        summit: domain::Slug::parse("older-summit").unwrap(),
    };
    let slug = super::editing::create_commitment(db, &fields, &who, at("2025-06-01"))
        .await
        .unwrap();
    assert_eq!(slug.as_str(), "delta-ports");
    // Status changes, recorded out of date order.
    for (slug, on) in [
        ("copper-cables", "2025-10-01"),
        ("mango-exports", "2025-07-01"),
        ("kelp-farming", "2025-08-30"),
        ("apple-tariffs", "2025-09-15"),
    ] {
        rate(db, slug, "kr", Status::InProgress, on, &who).await;
    }
}

both_engines!(every_sort_order_gives_its_full_order);
async fn every_sort_order_gives_its_full_order(db: Db) {
    two_summits(&db).await;
    // Newest summit first, then in the order each summit record gives.
    assert_eq!(
        slugs(&db, "").await,
        [
            "mango-exports",
            "apple-tariffs",
            "zinc-mining",
            "kelp-farming",
            "banana-trade",
            "copper-cables",
            "delta-ports"
        ]
    );
    assert_eq!(slugs(&db, "sort=summit").await, slugs(&db, "").await);
    // Most recent status change first; never changed last.
    assert_eq!(
        slugs(&db, "sort=last_change").await,
        [
            "copper-cables", // 1 October 2025
            "apple-tariffs", // 15 September 2025
            "kelp-farming",  // 30 August 2025
            "mango-exports", // 1 July 2025
            "zinc-mining",   // 20 June 2025, its summit's day
            "banana-trade",  // 10 May 2024, its summit's day
            "delta-ports"    // no status change
        ]
    );
    // Soonest due date first; those without one last, in summit order.
    assert_eq!(
        slugs(&db, "sort=due").await,
        [
            "kelp-farming",  // 1 August 2025
            "zinc-mining",   // 1 December 2025
            "mango-exports", // 1 March 2026
            "copper-cables", // 1 January 2027
            "apple-tariffs",
            "banana-trade",
            "delta-ports"
        ]
    );
    // Alphabetical, whatever the case.
    assert_eq!(
        slugs(&db, "sort=title").await,
        [
            "apple-tariffs",
            "banana-trade",
            "copper-cables",
            "delta-ports",
            "kelp-farming",
            "mango-exports",
            "zinc-mining"
        ]
    );
    // An order applies within a filter too.
    assert_eq!(
        slugs(&db, "summit=older-summit&sort=title").await,
        ["banana-trade", "copper-cables", "delta-ports", "kelp-farming"]
    );
    // The summits, newest first.
    let summits: Vec<String> = listing::list_summit_listings(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.summit.slug.to_string())
        .collect();
    assert_eq!(summits, ["newer-summit", "older-summit"]);
}

both_engines!(overdue_lists_what_is_past_due_and_unfulfilled_on_the_day_asked);
async fn overdue_lists_what_is_past_due_and_unfulfilled_on_the_day_asked(db: Db) {
    two_summits(&db).await;
    let everything = slugs(&db, "").await;
    assert_eq!(everything.len(), 7);
    for (today, late) in [
        ("2025-07-01", &[][..]),
        // Kelp farming is past due; Zinc mining too, but it is fulfilled.
        ("2026-01-15", &["kelp-farming"][..]),
        // Mango exports is due on 1 March: not overdue that day, the day after.
        ("2026-03-01", &["kelp-farming"][..]),
        ("2026-03-02", &["mango-exports", "kelp-farming"][..]),
        ("2027-06-01", &["mango-exports", "kelp-farming", "copper-cables"][..]),
    ] {
        assert_eq!(slugs_on(&db, "overdue=1", today).await, late, "{today}");
        // The scoreboard agrees: the months before this one from the kept
        // counts, this month's dues (and one summit's) one by one.
        for text in [
            "overdue=1",
            "overdue=1&summit=newer-summit",
            "overdue=1&summit=older-summit",
        ] {
            let today = days(&db, today).await;
            let all = listing::match_commitments(&db, &query(text), &today).await.unwrap();
            let counts = listing::count_matches(&db, &query(text), &today, None).await.unwrap();
            assert_eq!(counts, listing::count_by_status(&all), "{text} on {today:?}: counts");
        }
        // The list rows' own flag agrees, for every commitment.
        let ids: Vec<i64> = listing::match_commitments(&db, &query(""), &days(&db, today).await)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.id)
            .collect();
        let flagged: Vec<String> = listing::summaries_by_ids(&db, &ids)
            .await
            .unwrap()
            .into_iter()
            .filter(|row| row.is_overdue(day(today)))
            .map(|row| row.slug.to_string())
            .collect();
        assert_eq!(flagged, late, "{today}: is_overdue");
    }
    // With an order and a filter.
    assert_eq!(
        slugs_on(&db, "overdue=1&sort=due", "2027-06-01").await,
        ["kelp-farming", "mango-exports", "copper-cables"]
    );
    assert_eq!(
        slugs_on(&db, "overdue=1&summit=newer-summit", "2027-06-01").await,
        ["mango-exports"]
    );
}

/// How many of `overall` stand at each status, in `Status::ALL` order.
fn tally(overall: &[(String, Status)]) -> Vec<u64> {
    Status::ALL
        .iter()
        .map(|status| overall.iter().filter(|(_, s)| s == status).count() as u64)
        .collect()
}

both_engines!(history_counts_overall_statuses_at_each_month_end);
async fn history_counts_overall_statuses_at_each_month_end(db: Db) {
    let data = seeded(&db).await;
    let who = editor(&db, "historian").await;
    let bilateral: Vec<String> = data
        .commitments
        .iter()
        .filter(|c| c.owed_by.len() == 2)
        .map(|c| c.slug.to_string())
        .take(3)
        .collect();
    // Both parties of one commitment in progress from mid-December, of
    // another stalled from late January; a third fulfilled after the day
    // the chart ends, so not in it.
    for (slug, status, on) in [
        (&bilateral[0], Status::InProgress, "2025-12-15"),
        (&bilateral[1], Status::Stalled, "2026-01-20"),
        (&bilateral[2], Status::Fulfilled, "2026-03-01"),
    ] {
        for party in ["cn", "kr"] {
            rate(&db, slug, party, status, on, &who).await;
        }
    }
    let ids: Vec<i64> = listing::match_commitments(&db, &query(""), &days(&db, "2026-02-10").await)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids.len(), data.commitments.len());
    let history = listing::status_history(&db, &ids, day("2026-02-10")).await.unwrap();
    let days: Vec<NaiveDate> = history.iter().map(|s| s.on).collect();
    assert_eq!(
        days,
        vec![
            day("2025-11-30"),
            day("2025-12-31"),
            day("2026-01-31"),
            day("2026-02-10")
        ]
    );
    // The counts the seed gives, then each change as it takes effect.
    let mut overall = seeded_overall(&data);
    let seeded_counts = tally(&overall);
    overall.iter_mut().find(|(s, _)| s == &bilateral[0]).unwrap().1 = Status::InProgress;
    let december = tally(&overall);
    overall.iter_mut().find(|(s, _)| s == &bilateral[1]).unwrap().1 = Status::Stalled;
    let january = tally(&overall);
    let counts: Vec<Vec<u64>> = history.iter().map(|s| s.counts.clone()).collect();
    assert_eq!(counts, vec![seeded_counts, december, january.clone(), january]);
    assert_ne!(counts[0], counts[1], "the December change shows");
    assert_ne!(counts[1], counts[2], "the January change shows");
    for snapshot in &history {
        assert_eq!(snapshot.total(), data.commitments.len() as u64);
    }
    assert!(listing::status_history(&db, &[], day("2026-02-10"))
        .await
        .unwrap()
        .is_empty());
}

both_engines!(history_keeps_only_the_latest_month_ends);
/// Years later the chart shows only the latest month ends, with the counts
/// the replay reached: the seed's statuses, every commitment counted once.
async fn history_keeps_only_the_latest_month_ends(db: Db) {
    let data = seeded(&db).await;
    let today = day("2031-06-15");
    let ids: Vec<i64> = listing::match_commitments(&db, &query(""), &days(&db, "2031-06-15").await)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    let history = listing::status_history(&db, &ids, today).await.unwrap();
    assert_eq!(history.len(), listing::CHART_MONTHS);
    assert_eq!(history.last().unwrap().on, today);
    assert_eq!(history.first().unwrap().on, day("2029-07-31"));
    let expected: Vec<u64> = domain::scoreboard(&listing::summaries_by_ids(&db, &ids).await.unwrap())
        .iter()
        .map(|(_, n)| *n)
        .collect();
    for snapshot in &history {
        assert_eq!(snapshot.total(), data.commitments.len() as u64);
        assert_eq!(snapshot.counts, expected);
    }
}

/// The chart as it was computed before `overall_status_days`: every status
/// update of the commitments replayed in order, a snapshot of the overall
/// statuses at each month end from the first update to `today` (the last
/// snapshot), the latest `CHART_MONTHS` of them.
async fn replayed_history(db: &Db, ids: &[i64], today: NaiveDate) -> Vec<domain::StatusSnapshot> {
    use std::collections::HashMap;
    let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
    let every_update: Vec<(i64, i64, String, String)> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT commitment_id, party_id, status, effective_on FROM status_updates ORDER BY effective_on, id"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let rows: Vec<(i64, i64, String, NaiveDate)> = every_update
        .into_iter()
        .map(|(commitment, party, status, on)| (commitment, party, status, day(&on)))
        .filter(|(commitment, _, _, on)| wanted.contains(commitment) && *on <= today)
        .collect();
    let Some(first) = rows.first().map(|r| r.3) else {
        return Vec::new();
    };
    let month_end = |date: NaiveDate| {
        let next = date.with_day(1).unwrap() + chrono::Months::new(1);
        next.pred_opt().unwrap()
    };
    let mut days = Vec::new();
    let mut on = month_end(first);
    while on < today {
        days.push(on);
        on = month_end(on.succ_opt().unwrap());
    }
    days.push(today);
    let days = days.split_off(days.len().saturating_sub(listing::CHART_MONTHS));
    let mut parties: HashMap<i64, HashMap<i64, Status>> = HashMap::new();
    let mut rows = rows.into_iter().peekable();
    let mut snapshots = Vec::new();
    for on in days {
        while let Some((commitment, party, status, _)) = rows.next_if(|r| r.3 <= on) {
            parties
                .entry(commitment)
                .or_default()
                .insert(party, status.parse().unwrap());
        }
        let counts = Status::ALL
            .iter()
            .map(|status| {
                parties
                    .values()
                    .filter(|p| Status::overall(p.values().copied()) == *status)
                    .count() as u64
            })
            .collect();
        snapshots.push(domain::StatusSnapshot { on, counts });
    }
    snapshots
}

both_engines!(chart_from_the_days_of_change_equals_a_replay_of_every_update);
/// The chart sums the days of change the triggers keep; it must equal a
/// replay of every update, for generated commitments (several updates a
/// month, some parties never updated) and after a back-dated update, two
/// on one day, one dated after the chart's last day and a commitment
/// updated a hundred times, for every summit and the whole list, on a
/// month's last day, mid-month, and years later (the window cut).
async fn chart_from_the_days_of_change_equals_a_replay_of_every_update(db: Db) {
    generated_site(&db, true, 400, 6, 3).await;
    let pairs: Vec<(i64, i64)> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT commitment_id, party_id FROM commitment_parties
         WHERE commitment_id IN (SELECT commitment_id FROM status_updates) ORDER BY commitment_id, party_id",
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let update = |(commitment, party): (i64, i64), status: &'static str, on: String| {
        let db = db.clone();
        async move {
            on_engine!(db, |pool| sqlx::query(
                "INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, 'test', 'test', '2026-11-21T00:00:00Z')",
            )
            .bind(commitment)
            .bind(party)
            .bind(status)
            .bind(on)
            .execute(pool)
            .await.map(|done| done.rows_affected()))
            .unwrap();
        }
    };
    update(pairs[0], "not_fulfilled", "2019-03-03".into()).await;
    update(pairs[1], "fulfilled", "2026-10-10".into()).await;
    update(pairs[1], "stalled", "2026-10-10".into()).await;
    update(pairs[2], "fulfilled", "2026-12-20".into()).await;
    let busy = pairs[3];
    for n in 0..100_u32 {
        let status = ["in_progress", "stalled", "partly_fulfilled", "fulfilled"][n as usize % 4];
        let on = day("2026-03-01") + chrono::Duration::days(i64::from(n * 2));
        update(busy, status, on.to_string()).await;
    }
    update(busy, "not_fulfilled", "2026-02-14".into()).await;
    // Each summit's commitments, and every commitment (no summit).
    let summits: Vec<(i64, String)> = on_engine!(db, |pool| sqlx::query_as("SELECT id, slug FROM summits ORDER BY id")
        .fetch_all(pool)
        .await)
    .unwrap();
    let commitments: Vec<(i64, i64)> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT id, summit_id FROM commitments ORDER BY position, id"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let mut views: Vec<(Option<domain::Slug>, Vec<i64>)> = summits
        .iter()
        .map(|(summit, slug)| {
            let ids = commitments
                .iter()
                .filter(|(_, s)| s == summit)
                .map(|(id, _)| *id)
                .collect();
            (Some(domain::Slug::parse(slug).unwrap()), ids)
        })
        .collect();
    views.push((None, commitments.iter().map(|(id, _)| *id).collect()));
    let mut compared = 0;
    // 2026-10-09 and 2026-12-10 fall in a month with a change dated after
    // them, which the chart must not count yet.
    for today in [
        "2026-10-09",
        "2026-10-31",
        "2026-11-15",
        "2026-12-10",
        "2026-12-20",
        "2029-07-04",
    ] {
        compared += compare_charts(&db, &views, today).await;
    }
    assert!(compared > 8, "the views have histories");
    // A commitment moved to another summit takes its days of change along.
    let moved = busy.0;
    let (from, to) = (summits[0].0, summits[summits.len() - 1].0);
    assert_ne!(from, to, "the data has more than one summit");
    on_engine!(db, |pool| sqlx::query(
        "UPDATE commitments SET summit_id = CASE summit_id WHEN $2 THEN $3 ELSE $2 END WHERE id = $1"
    )
    .bind(moved)
    .bind(from)
    .bind(to)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    for (summit, ids) in views.iter_mut() {
        let summit_id = summits
            .iter()
            .find(|(_, slug)| Some(slug.as_str()) == summit.as_ref().map(|s| s.as_str()))
            .map(|(id, _)| *id);
        let now_in: Vec<i64> = on_engine!(db, |pool| sqlx::query_scalar(
            "SELECT id FROM commitments WHERE $1 IS NULL OR summit_id = $1 ORDER BY position, id"
        )
        .bind(summit_id)
        .fetch_all(pool)
        .await)
        .unwrap();
        *ids = now_in;
    }
    for today in ["2026-12-10", "2029-07-04"] {
        compare_charts(&db, &views, today).await;
    }
    // Every commitment with a history moved out of a summit: its chart is
    // empty, as a replay of its commitments' updates is (the sums it keeps
    // for those months are 0, not rows of a chart).
    on_engine!(db, |pool| sqlx::query(
        "UPDATE commitments SET summit_id = $2
         WHERE summit_id = $1 AND id IN (SELECT commitment_id FROM status_updates)",
    )
    .bind(to)
    .bind(from)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    let emptied = domain::Slug::parse(&summits[summits.len() - 1].1).unwrap();
    assert!(
        on_engine!(db, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM summit_status_months WHERE summit_id = $1 AND count = 0"
        )
        .bind(to)
        .fetch_one(pool)
        .await)
        .unwrap()
            > 0
    );
    assert_eq!(
        listing::summit_status_history(&db, Some(&emptied), day("2029-07-04"))
            .await
            .unwrap(),
        Vec::new(),
        "a summit left with no history draws no chart"
    );
}

/// Compares each view's chart on `today`, from its ids and by its summit,
/// with a replay of every update; how many views had a history.
async fn compare_charts(db: &Db, views: &[(Option<domain::Slug>, Vec<i64>)], today: &str) -> usize {
    let mut compared = 0;
    for (summit, ids) in views {
        let replayed = replayed_history(db, ids, day(today)).await;
        let kept = listing::status_history(db, ids, day(today)).await.unwrap();
        assert_eq!(kept, replayed, "{} commitments on {today}", ids.len());
        let by_summit = listing::summit_status_history(db, summit.as_ref(), day(today))
            .await
            .unwrap();
        assert_eq!(by_summit, replayed, "{summit:?} on {today}");
        compared += usize::from(!kept.is_empty());
    }
    compared
}

both_engines!(a_page_holds_its_share_of_the_matches);
async fn a_page_holds_its_share_of_the_matches(db: Db) {
    let data = seeded(&db).await;
    let mut seen = Vec::new();
    for page in 1..=3 {
        let q = query(&format!("page={page}"));
        let view = listing::load_commitment_page(&db, &q, 5, "http://x/".into(), at("2026-11-29"))
            .await
            .unwrap();
        assert_eq!(view.total, data.commitments.len() as u64);
        assert_eq!(view.page_count(), 3);
        seen.extend(view.items.into_iter().map(|c| c.slug));
    }
    // Every commitment once, in summit order: the pages neither repeat
    // nor skip one.
    assert_eq!(
        seen,
        data.commitments.iter().map(|c| c.slug.clone()).collect::<Vec<_>>()
    );
    let beyond = listing::load_commitment_page(&db, &query("page=9"), 5, "http://x/".into(), at("2026-11-29"))
        .await
        .unwrap();
    assert!(beyond.items.is_empty());
    let summits = listing::list_summit_listings(&db).await.unwrap();
    assert_eq!(summits.len(), 1);
    assert_eq!(summits[0].commitment_count, data.commitments.len() as u64);
}

both_engines!(views_larger_than_the_chart_limit_omit_the_chart);
/// Past the chart's limit the listing skips the history (whose cost grows
/// with every update) and says so; a summit of that data still gets one.
async fn views_larger_than_the_chart_limit_omit_the_chart(db: Db) {
    generated_site(&db, false, domain::CHART_MAX_COMMITMENTS as u64 + 50, 2, 7).await;
    let today = at("2026-11-29");
    let everything = listing::load_commitment_page(&db, &query(""), 5, "http://x/".into(), today)
        .await
        .unwrap();
    assert!(everything.total > domain::CHART_MAX_COMMITMENTS as u64);
    assert!(everything.chart_omitted);
    assert!(everything.history.is_empty());
    assert_eq!(everything.items.len(), 5, "the page itself is unaffected");
    let summit = everything.summits.first().unwrap().slug.clone();
    let one_summit =
        listing::load_commitment_page(&db, &query(&format!("summit={summit}")), 5, "http://x/".into(), today)
            .await
            .unwrap();
    assert!(one_summit.total <= domain::CHART_MAX_COMMITMENTS as u64);
    assert!(!one_summit.chart_omitted);
    assert!(!one_summit.history.is_empty());
    assert_eq!(one_summit.history.last().unwrap().total(), one_summit.total);
}

/// The list as the single statement before keyset paging gave it: every
/// filter and the sort order spelled out (`ORDER BY CASE ...` over a join,
/// which no index serves), the reference the keyset statements must match.
async fn reference_ids(pool: &SqlitePool, q: &ListQuery, today: &listing::ZoneDays) -> Vec<(i64, String)> {
    let search = q.search.as_ref();
    sqlx::query_as(
        r#"SELECT c.id, c.overall_status
           FROM commitments c
           JOIN summits s ON s.id = c.summit_id
           WHERE (?2 IS NULL OR c.id IN (
                     SELECT cp.commitment_id FROM commitment_parties cp JOIN parties p ON p.id = cp.party_id
                     WHERE p.code = ?2 AND (?1 IS NULL OR cp.status = ?1)))
             AND (?1 IS NULL OR ?2 IS NOT NULL OR c.overall_status = ?1)
             AND (?3 IS NULL OR c.theme = ?3)
             AND (?4 IS NULL OR s.slug = ?4)
             AND (?5 IS NULL OR c.id IN (SELECT rowid FROM commitment_search WHERE commitment_search MATCH ?5))
             AND (?9 IS NULL OR c.id IN (
                     SELECT rowid FROM commitment_search_cjk WHERE commitment_search_cjk MATCH ?9))
             AND (?10 IS NULL OR c.id IN (
                     SELECT t.doc FROM json_each(?10) short
                     CROSS JOIN commitment_search_cjk_trigrams t
                         ON t.term >= short.value AND t.term < short.value || char(0x10FFFF)
                     GROUP BY t.doc HAVING count(DISTINCT short.key) = json_array_length(?10)))
             AND (NOT ?6 OR (c.due_on < (SELECT value FROM json_each(?7) WHERE key = s.time_zone)
                             AND c.overall_status <> 'fulfilled'))
           ORDER BY
             CASE WHEN ?8 = 'last_change' THEN c.last_changed_on END DESC,
             CASE WHEN ?8 = 'due' THEN coalesce(c.due_on, '9999-12-31') END,
             CASE WHEN ?8 = 'title' THEN c.title END COLLATE NOCASE,
             s.held_on DESC, c.position, c.id"#,
    )
    .bind(q.status.map(|s| s.code()))
    .bind(q.party.as_ref().map(|p| p.as_str().to_owned()))
    .bind(q.theme.map(|t| t.code()))
    .bind(q.summit.as_ref().map(|s| s.as_str().to_owned()))
    .bind(search.and_then(|s| s.fts_query()))
    .bind(q.overdue)
    .bind(today.json().to_owned())
    .bind(q.sort.code())
    .bind(search.and_then(|s| s.trigram_query()))
    .bind(search.and_then(|s| s.short_terms_json()))
    .fetch_all(pool)
    .await
    .unwrap()
}

/// Every page of `q`, following the pager's links from the first page
/// forward and from the last page backward: both must give `all`, in order,
/// each page knowing exactly whether it has neighbours.
async fn walk_pages(db: &Db, q: &ListQuery, today: &listing::ZoneDays, per_page: u32, all: &[i64]) {
    let label = q.to_query_string();
    let mut seen: Vec<i64> = Vec::new();
    let mut cursor = None;
    loop {
        let page = listing::match_page(db, &q.with_cursor(cursor.clone()), today, per_page)
            .await
            .unwrap();
        assert_eq!(
            page.previous.is_some(),
            !seen.is_empty() && !page.ids.is_empty(),
            "{label}: previous"
        );
        seen.extend(&page.ids);
        match page.next {
            Some(next) => {
                assert_eq!(
                    page.ids.len(),
                    per_page as usize,
                    "{label}: a full page before the next"
                );
                cursor = Some(next);
            }
            None => break,
        }
        assert!(seen.len() <= all.len(), "{label}: the walk forward ends");
    }
    assert_eq!(seen, all, "{label}: forward");
    let mut seen_backward: Vec<i64> = Vec::new();
    let mut cursor = Some(domain::PageCursor::Last);
    loop {
        let page = listing::match_page(db, &q.with_cursor(cursor.clone()), today, per_page)
            .await
            .unwrap();
        assert_eq!(
            page.next.is_some(),
            !seen_backward.is_empty(),
            "{label}: next, walking back"
        );
        seen_backward.splice(0..0, page.ids.iter().copied());
        match page.previous {
            Some(previous) => cursor = Some(previous),
            None => break,
        }
        assert!(seen_backward.len() <= all.len(), "{label}: the walk backward ends");
    }
    assert_eq!(seen_backward, all, "{label}: backward");
}

both_engines!(counts_and_pages_agree_with_the_full_list_of_matches);
/// The scoreboard's counts and a page's rows come from statements that
/// repeat one filter: for every kind of filter and every sort order they
/// must agree with the full list of matches, which must agree with the
/// reference statement; pages are walked by their links both ways, and
/// the old numbered pages still give the same slices.
async fn counts_and_pages_agree_with_the_full_list_of_matches(db: Db) {
    let reference_site = generated_site(&db, true, 300, 3, 11).await;
    let now = at("2026-11-29");
    let today = days(&db, "2026-11-29").await;
    let summit = listing::list_summit_listings(&db).await.unwrap()[1].summit.slug.clone();
    let mut checked_nonempty = 0;
    for text in [
        String::new(),
        "status=in_progress".into(),
        "status=fulfilled&party=cn".into(),
        "party=kr".into(),
        "theme=economy".into(),
        format!("summit={summit}"),
        format!("summit={summit}&party=kr&theme=economy"),
        "q=fraud".into(),
        "q=cooperation&party=kr".into(),
        "overdue=1".into(),
        "overdue=1&status=stalled".into(),
        "overdue=1&party=kr".into(),
        "overdue=1&status=stalled&theme=security".into(),
        format!("overdue=1&summit={summit}"),
        "status=stalled&theme=security".into(),
        "party=zz".into(),
        "summit=no-such-summit".into(),
    ] {
        for sort in domain::SortOrder::ALL {
            let q = ListQuery { sort, ..query(&text) };
            let label = q.to_query_string();
            let all = listing::match_commitments(&db, &q, &today).await.unwrap();
            let ids: Vec<i64> = all.iter().map(|m| m.id).collect();
            let reference = reference_ids(&reference_site, &q, &today).await;
            assert_eq!(
                ids,
                reference.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
                "{label}: order"
            );
            let counts = listing::count_matches(&db, &q, &today, None).await.unwrap();
            assert_eq!(counts, listing::count_by_status(&all), "{label}: counts");
            walk_pages(&db, &q, &today, 9, &ids).await;
            // Old numbered links: OFFSET over the same walk.
            for page in [1_u32, 2, (ids.len() / 9) as u32 + 1, (ids.len() / 9) as u32 + 3] {
                let got = listing::match_page(&db, &q.with_page(page), &today, 9).await.unwrap();
                let expected: Vec<i64> = ids.iter().skip((page as usize - 1) * 9).take(9).copied().collect();
                assert_eq!(got.ids, expected, "{label}: page {page}");
                assert_eq!(
                    got.previous.is_some(),
                    page > 1,
                    "{label}: page {page} has a previous page"
                );
                assert_eq!(
                    got.next.is_some(),
                    (page as usize) * 9 < ids.len(),
                    "{label}: page {page} has a next page"
                );
                // Its links lead on to the neighbouring slices.
                for (cursor, from) in [
                    (got.next, page as usize * 9),
                    (got.previous, (page as usize).saturating_sub(2) * 9),
                ] {
                    let Some(cursor @ (domain::PageCursor::After(_) | domain::PageCursor::Before(_))) = cursor else {
                        continue;
                    };
                    let q = ListQuery {
                        cursor: Some(cursor),
                        ..q.with_page(1)
                    };
                    let neighbour = listing::match_page(&db, &q, &today, 9).await.unwrap();
                    let expected: Vec<i64> = ids.iter().skip(from).take(9).copied().collect();
                    assert_eq!(
                        neighbour.ids, expected,
                        "{label}: page {page}'s link to items from {from}"
                    );
                }
            }
            let view = listing::load_commitment_page(&db, &q, 10, "http://x/".into(), now)
                .await
                .unwrap();
            assert_eq!(view.total, all.len() as u64, "{label}: total");
            if !all.is_empty() {
                checked_nonempty += 1;
            }
        }
    }
    assert!(checked_nonempty >= 40, "most filters match something");
}

/// The counts the triggers keep (`list_counts`, `status_totals`,
/// `due_month_counts`, `due_month_totals`) and the summit dates they copy,
/// against a count of the tables themselves.
async fn assert_kept_counts(db: &Db, when: &str) {
    type Row = (i64, String, i64, String, String, i64);
    let kept: Vec<Row> = on_engine!(db, |pool| {
        sqlx::query_as(
        "SELECT party_id, party_status, summit_id, theme, overall_status, CAST(sum(count) AS BIGINT) FROM list_counts
         GROUP BY 1, 2, 3, 4, 5 HAVING sum(count) <> 0 ORDER BY 1, 2, 3, 4, 5",
    )
    .fetch_all(pool)
    .await
    })
    .unwrap();
    let counted: Vec<Row> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT CAST(0 AS BIGINT), '', summit_id, theme, overall_status, count(*) FROM commitments GROUP BY 3, 4, 5
         UNION ALL
         SELECT cp.party_id, cp.status, c.summit_id, c.theme, c.overall_status, count(*)
         FROM commitment_parties cp JOIN commitments c ON c.id = cp.commitment_id GROUP BY 1, 2, 3, 4, 5
         ORDER BY 1, 2, 3, 4, 5",
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(kept, counted, "{when}: list_counts");
    let kept_totals: Vec<(String, i64)> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT overall_status, count FROM status_totals WHERE count <> 0 ORDER BY 1"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let counted_totals: Vec<(String, i64)> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT overall_status, count(*) FROM commitments GROUP BY 1 ORDER BY 1"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(kept_totals, counted_totals, "{when}: status_totals");
    type DueRow = (i64, String, String, String, String, i64);
    let kept: Vec<DueRow> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT party_id, party_status, due_month, theme, overall_status, CAST(sum(count) AS BIGINT) FROM due_month_counts
         GROUP BY 1, 2, 3, 4, 5 HAVING sum(count) <> 0 ORDER BY 1, 2, 3, 4, 5",
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let counted: Vec<DueRow> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT CAST(0 AS BIGINT), '', substr(due_on, 1, 7), theme, overall_status, count(*) FROM commitments
         WHERE due_on IS NOT NULL GROUP BY 3, 4, 5
         UNION ALL
         SELECT cp.party_id, cp.status, substr(c.due_on, 1, 7), c.theme, c.overall_status, count(*)
         FROM commitment_parties cp JOIN commitments c ON c.id = cp.commitment_id
         WHERE c.due_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5
         ORDER BY 1, 2, 3, 4, 5",
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert!(!counted.is_empty(), "{when}: some commitments have due dates");
    assert_eq!(kept, counted, "{when}: due_month_counts");
    let kept_totals: Vec<(String, String, i64)> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT due_month, overall_status, count FROM due_month_totals WHERE count <> 0 ORDER BY 1, 2"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let counted_totals: Vec<(String, String, i64)> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT substr(due_on, 1, 7), overall_status, count(*) FROM commitments
         WHERE due_on IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(kept_totals, counted_totals, "{when}: due_month_totals");
    type MonthRow = (i64, String, String, String, i64);
    let kept: Vec<MonthRow> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT summit_id, month, overall_status, previous_status, count FROM summit_status_months
         WHERE count <> 0 ORDER BY 1, 2, 3, 4",
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let counted: Vec<MonthRow> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT c.summit_id, substr(o.day, 1, 7), o.overall_status, coalesce(o.previous_status, ''), count(*)
         FROM overall_status_days o JOIN commitments c ON c.id = o.commitment_id
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert!(!counted.is_empty(), "{when}: some commitments have changed");
    assert_eq!(kept, counted, "{when}: summit_status_months");
    let stale: i64 = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT count(*) FROM commitments c JOIN summits s ON s.id = c.summit_id
         WHERE c.summit_held_on IS DISTINCT FROM s.held_on",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(stale, 0, "{when}: summit dates copied");
}

both_engines!(counts_kept_by_triggers_equal_a_count_of_the_tables);
/// The triggers keep the counts and copies right through every kind of
/// write (the chart's monthly sums by summit too): generated commitments,
/// status changes (a back-dated one too),
/// a summit's new date, a commitment moved to another summit and theme
/// and moved back (what a revert writes), its due date moved, removed and
/// set again, a commitment added with a due date, an owing party removed,
/// and a commitment deleted.
async fn counts_kept_by_triggers_equal_a_count_of_the_tables(db: Db) {
    generated_site(&db, true, 120, 3, 5).await;
    assert_kept_counts(&db, "generated").await;

    let (commitment, party): (i64, i64) = on_engine!(db, |pool| sqlx::query_as(
        "SELECT commitment_id, party_id FROM commitment_parties ORDER BY commitment_id LIMIT 1"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    for (status, on) in [
        ("stalled", "2026-11-20"),
        ("fulfilled", "2026-11-21"),
        ("not_fulfilled", "2020-01-01"),
    ] {
        on_engine!(db, |pool| sqlx::query(
            "INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, 'test', 'test', '2026-11-21T00:00:00Z')",
        )
        .bind(commitment)
        .bind(party)
        .bind(status)
        .bind(on)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .unwrap();
        assert_kept_counts(&db, &format!("status {status} on {on}")).await;
    }

    on_engine!(db, |pool| sqlx::query(
        "UPDATE summits SET held_on = '2019-05-05' WHERE id = (SELECT max(id) FROM summits)"
    )
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    assert_kept_counts(&db, "a summit's date changed").await;

    let (old_summit, old_theme): (i64, String) = on_engine!(db, |pool| sqlx::query_as(
        "SELECT summit_id, theme FROM commitments WHERE id = $1"
    )
    .bind(commitment)
    .fetch_one(pool)
    .await)
    .unwrap();
    on_engine!(db, |pool| sqlx::query(
        "UPDATE commitments SET summit_id = (SELECT min(id) FROM summits WHERE id <> $2),
                theme = CASE theme WHEN 'security' THEN 'economy' ELSE 'security' END WHERE id = $1",
    )
    .bind(commitment)
    .bind(old_summit)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    assert_kept_counts(&db, "moved to another summit and theme").await;
    on_engine!(db, |pool| sqlx::query(
        "UPDATE commitments SET summit_id = $2, theme = $3 WHERE id = $1"
    )
    .bind(commitment)
    .bind(old_summit)
    .bind(&old_theme)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    assert_kept_counts(&db, "moved back (a revert)").await;
    for due_on in [Some("2027-03-04"), None, Some("2026-11-30")] {
        on_engine!(db, |pool| sqlx::query(
            "UPDATE commitments SET due_on = $2 WHERE id = $1"
        )
        .bind(commitment)
        .bind(due_on)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .unwrap();
        assert_kept_counts(&db, &format!("due on {due_on:?}")).await;
    }

    // A commitment without history can lose an owing party, and be deleted.
    let fresh: i64 = on_engine!(db, |pool| sqlx::query_scalar(
        "INSERT INTO commitments (summit_id, slug, title, summary, theme, position, due_on, created_at, updated_at)
         VALUES ((SELECT min(id) FROM summits), 'fresh-commitment', 'Fresh', 'Fresh.', 'diplomacy', 999,
                 '2027-01-31', '2026-11-21T00:00:00Z', '2026-11-21T00:00:00Z')
         RETURNING id",
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    on_engine!(db, |pool| sqlx::query(
        "INSERT INTO commitment_parties (commitment_id, party_id) SELECT $1, id FROM parties"
    )
    .bind(fresh)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    assert_kept_counts(&db, "a commitment added with its parties").await;
    on_engine!(db, |pool| sqlx::query(
        "DELETE FROM commitment_parties
         WHERE commitment_id = $1 AND party_id = (SELECT min(party_id) FROM commitment_parties WHERE commitment_id = $1)",
    )
    .bind(fresh)
    .execute(pool)
    .await.map(|done| done.rows_affected()))
    .unwrap();
    assert_kept_counts(&db, "an owing party removed").await;
    on_engine!(db, |pool| sqlx::query("DELETE FROM commitments WHERE id = $1")
        .bind(fresh)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
    .unwrap();
    assert_kept_counts(&db, "a commitment deleted").await;
}

/// What is wrong with a statement's query plan: a full scan of the
/// commitments or the status history (not a walk of one of their indexes),
/// a sort of the rows for ORDER BY, or a list statement that does not seek
/// (a range of its index) from the page's key.
fn plan_problems(plan: &[String], seeks: Option<bool>) -> Vec<String> {
    let mut problems = Vec::new();
    for line in plan {
        let scans = [
            "SCAN c",
            "SCAN commitments",
            "SCAN su",
            "SCAN status_updates",
            "SCAN cp",
            "SCAN commitment_parties",
        ]
        .iter()
        .any(|table| line == table || line.starts_with(&format!("{table} ")));
        if scans && !line.contains("USING") {
            problems.push(format!("full scan: {line}"));
        }
        if line.contains("TEMP B-TREE FOR ORDER BY") {
            problems.push(format!("sorts: {line}"));
        }
    }
    if let Some(forward) = seeks {
        let walk = plan.first().map(String::as_str).unwrap_or("");
        let range = if forward { ">" } else { "<" };
        if !(walk.starts_with("SEARCH c USING INDEX commitments_") && walk.contains("list_by_") && walk.contains(range))
        {
            problems.push(format!("does not seek in a sort order's index: {walk}"));
        }
    }
    problems
}

async fn plan(conn: &mut sqlx::SqliteConnection, sql: &str, parameters: usize) -> Vec<String> {
    let text = format!("EXPLAIN QUERY PLAN {sql}");
    let mut explain = sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(text));
    for _ in 0..parameters {
        explain = explain.bind(None::<String>);
    }
    explain
        .fetch_all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.3)
        .collect()
}

/// Every list statement (over the whole list and inside one summit, each
/// sort order, both ways) walks its sort order's index from the page's key
/// and sorts nothing; the scoreboard's statements read indexes and the
/// kept counts, never every commitment. The text explained is the text the
/// store runs. Without an order's index the check fails. SQLite's query
/// plans (PostgreSQL's are read in docs/PERFORMANCE.md's bench).
#[sqlx::test(migrations = "../migrations/sqlite")]
async fn every_list_statement_seeks_in_an_index_and_sorts_nothing(pool: SqlitePool) {
    seeded(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let conn = &mut *conn;
    for scoped in [false, true] {
        for sort in domain::SortOrder::ALL {
            for forward in [true, false] {
                let sql = listing::seek_statement(scoped, sort, forward);
                let plan = plan(conn, sql, 15).await;
                let problems = plan_problems(&plan, Some(forward));
                assert!(
                    problems.is_empty(),
                    "summit {scoped}, {sort:?}, forward {forward}: {problems:?}\n{plan:#?}"
                );
            }
        }
    }
    for (name, sql) in listing::count_statements() {
        let parameters = match name {
            "search" => 9,
            "overdue" | "overdue_summit" => 5,
            "status_totals" => 1,
            "overdue_month_totals" => 2,
            _ => 4,
        };
        let plan = plan(conn, sql, parameters).await;
        let problems = plan_problems(&plan, None);
        assert!(problems.is_empty(), "{name}: {problems:?}\n{plan:#?}");
        assert!(
            plan.iter()
                .all(|line| !line.starts_with("SCAN list_counts") && !line.starts_with("SCAN due_month_counts")),
            "{name}: the kept counts are read by party\n{plan:#?}"
        );
        if name == "list_counts" || name == "overdue_months" {
            assert!(
                plan.iter()
                    .any(|line| line.contains("(party_id=? AND party_status>? AND party_status<?)")),
                "{name}: the kept counts are read by party and party status\n{plan:#?}"
            );
        }
    }
    for scoped in [false, true] {
        for sort in domain::SortOrder::ALL {
            let numbered = plan(conn, listing::numbered_key_statement(scoped, sort), 2).await;
            let problems = plan_problems(&numbered, None);
            assert!(
                problems.is_empty(),
                "page number, summit {scoped}, {sort:?}: {problems:?}\n{numbered:#?}"
            );
            assert!(
                numbered
                    .first()
                    .is_some_and(|walk| walk.contains("USING INDEX commitments_") && walk.contains("list_by_")),
                "page number, summit {scoped}, {sort:?}: walks its order's index\n{numbered:#?}"
            );
        }
    }
    for (name, sql) in listing::status_changes_statements() {
        let parameters = if name == "all" { 2 } else { 3 };
        let chart = plan(conn, sql, parameters).await;
        let problems = plan_problems(&chart, None);
        assert!(problems.is_empty(), "chart over {name}: {problems:?}\n{chart:#?}");
        // A view's ids: each commitment's days. A summit (or every summit):
        // the kept monthly sums, the summit's by its key, and this month's
        // days found by day.
        let reads = |prefix: &str| chart.iter().any(|line| line.starts_with(prefix));
        match name {
            "ids" => assert!(
                reads("SEARCH o USING PRIMARY KEY (commitment_id=?"),
                "chart over {name}: the days of change read by commitment\n{chart:#?}"
            ),
            _ => {
                assert!(
                    reads("SEARCH o USING INDEX overall_status_days_by_day (day>? AND day<?)"),
                    "chart over {name}: this month's days found by day\n{chart:#?}"
                );
                assert!(
                    name == "all" || reads("SEARCH m USING PRIMARY KEY (summit_id=? AND month<?)"),
                    "chart over {name}: the summit's monthly sums read by its key\n{chart:#?}"
                );
                assert!(
                    !reads("SCAN o") && !reads("SEARCH o USING PRIMARY KEY"),
                    "chart over {name}: no day of change before this month read\n{chart:#?}"
                );
            }
        }
    }
    // The check fails once an order loses its index.
    sqlx::query("DROP INDEX commitments_list_by_title")
        .execute(&mut *conn)
        .await
        .unwrap();
    let plan = plan(conn, listing::seek_statement(false, domain::SortOrder::Title, true), 15).await;
    assert!(!plan_problems(&plan, Some(true)).is_empty(), "{plan:#?}");
}

// Search in every language. The seed is English; Korean and Chinese text
// comes in as translations (or an edit), as editors will add it.

/// Adds `commitment`'s translation into `language`.
async fn translate(db: &Db, slug: &str, language: &str, title: &str, summary: &str) {
    on_engine!(db, |pool| sqlx::query(
        "INSERT INTO commitment_translations (commitment_id, language, title, summary, translated_by, updated_at)
         VALUES ((SELECT id FROM commitments WHERE slug = $1), $2, $3, $4, 'Accord', '2025-11-02T09:00:00Z')",
    )
    .bind(slug)
    .bind(language)
    .bind(title)
    .bind(summary)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
}

/// The slugs the search `text` (as typed, not URL-encoded) matches, sorted;
/// the scoreboard's count and a page must agree with them.
async fn search(db: &Db, text: &str) -> Vec<String> {
    let now = at("2026-11-29");
    let today = days(db, "2026-11-29").await;
    let q = ListQuery {
        search: domain::SearchText::parse(text).unwrap(),
        page: 1,
        ..ListQuery::default()
    };
    let all = listing::match_commitments(db, &q, &today).await.unwrap();
    let counts = listing::count_matches(db, &q, &today, None).await.unwrap();
    assert_eq!(counts, listing::count_by_status(&all), "{text}: counts");
    let page = listing::match_page(db, &q, &today, 3).await.unwrap();
    assert_eq!(
        page.ids,
        all.iter().take(3).map(|m| m.id).collect::<Vec<_>>(),
        "{text}: page"
    );
    let view = listing::load_commitment_page(db, &q, 10, "http://x/".into(), now)
        .await
        .unwrap();
    assert_eq!(view.total, all.len() as u64, "{text}: total");
    let ids: Vec<i64> = all.iter().map(|m| m.id).collect();
    let mut found: Vec<String> = listing::summaries_by_ids(db, &ids)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.slug.to_string())
        .collect();
    found.sort();
    found
}

/// What search should find for `text`, worked out in Rust from each
/// commitment's text (title, summary, quotes, translations): a CJK term
/// anywhere in it, any other term at the start of one of its words; every
/// term, and nothing for text without terms. Sorted slugs.
async fn expected(db: &Db, text: &str) -> Vec<String> {
    let Some(search) = domain::SearchText::parse(text).unwrap() else {
        return Vec::new();
    };
    // Each text on a line of its own, read from the tables editors write
    // (not from either engine's search index).
    let texts: Vec<(String, String)> = on_engine!(db, |pool| sqlx::query_as(
        "SELECT slug, title || ' ' || summary FROM commitments
         UNION ALL
         SELECT c.slug, s.quote FROM commitment_sources cs
           JOIN commitments c ON c.id = cs.commitment_id JOIN sources s ON s.id = cs.source_id
         UNION ALL
         SELECT c.slug, t.title || ' ' || t.summary FROM commitment_translations t
           JOIN commitments c ON c.id = t.commitment_id",
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let mut bodies = std::collections::BTreeMap::<String, String>::new();
    for (slug, text) in texts {
        let body = bodies.entry(slug).or_default();
        body.push_str(&text);
        body.push('\n');
    }
    bodies
        .into_iter()
        .filter(|(_, body)| {
            let body = body.to_lowercase();
            !search.terms().is_empty()
                && search.terms().iter().all(|term| {
                    if term.chars().any(domain::is_cjk) {
                        body.contains(term.as_str())
                    } else {
                        body.split(|c: char| !c.is_alphanumeric())
                            .any(|w| w.starts_with(term.as_str()))
                    }
                })
        })
        .map(|(slug, _)| slug)
        .collect()
}

const FTA: &str = "fta-phase-two-negotiations";
const FRAUD: &str = "online-gambling-telecom-fraud";
const TRAVEL: &str = "facilitate-cross-border-travel";

/// Korean and Chinese translations of three seeded commitments. "협정" occurs
/// only with a particle (협정을) or inside a compound (자유무역협정); "自贸"
/// only inside the longer title.
async fn translated(db: &Db) {
    seeded(db).await;
    translate(
        db,
        FTA,
        "zh",
        "加快中韩自贸协定第二阶段谈判",
        "双方同意加快推进中韩自由贸易协定第二阶段谈判。",
    )
    .await;
    translate(
        db,
        FTA,
        "ko",
        "한중 자유무역협정 2단계 협상 가속화",
        "양국은 협정을 조속히 타결하기로 했다.",
    )
    .await;
    translate(
        db,
        FRAUD,
        "zh",
        "合作打击网络赌博和电信诈骗",
        "两国在双边和地区层面合作打击电信诈骗。",
    )
    .await;
    translate(
        db,
        FRAUD,
        "ko",
        "온라인 도박과 전화금융사기 공동 대응",
        "양국은 보이스피싱 범죄에 공동 대응한다.",
    )
    .await;
    translate(
        db,
        TRAVEL,
        "zh",
        "便利中韩两国人员往来",
        "双方将为游客和商务人员往来提供便利。",
    )
    .await;
}

both_engines!(search_finds_korean_words_with_particles_and_chinese_words_inside_longer_text);
async fn search_finds_korean_words_with_particles_and_chinese_words_inside_longer_text(db: Db) {
    translated(&db).await;
    // Korean: a two-syllable word with its particle attached (협정을), and
    // inside a compound (자유무역협정); the word with its particle; a
    // longer word.
    assert_eq!(search(&db, "협정").await, vec![FTA]);
    assert_eq!(search(&db, "협정을").await, vec![FTA]);
    assert_eq!(search(&db, "자유무역").await, vec![FTA]);
    assert_eq!(search(&db, "보이스피싱").await, vec![FRAUD]);
    // Chinese: two characters inside a longer run of Han characters, one
    // character, three and more.
    assert_eq!(search(&db, "自贸").await, vec![FTA]);
    assert_eq!(search(&db, "赌").await, vec![FRAUD]);
    assert_eq!(search(&db, "自贸协").await, vec![FTA]);
    assert_eq!(search(&db, "第二阶段谈判").await, vec![FTA]);
    assert_eq!(search(&db, "电信诈骗").await, vec![FRAUD]);
    // A character in two commitments finds both; every term must match.
    assert_eq!(search(&db, "中韩").await, vec![TRAVEL, FTA]);
    assert_eq!(search(&db, "中韩 自贸").await, vec![FTA]);
    assert_eq!(search(&db, "中韩，协定 협정").await, vec![FTA]);
    assert_eq!(search(&db, "中韩 赌博").await, Vec::<String>::new());
    assert_eq!(search(&db, "自贸协定 第二阶段").await, vec![FTA]);
    // Scripts mix: an English word with a Chinese one.
    assert_eq!(search(&db, "FTA 自贸").await, vec![FTA]);
    assert_eq!(search(&db, "fraud 自贸").await, Vec::<String>::new());
    // Misses, short and long.
    for text in ["熊猫", "판다", "자유무역협정서", "自贸区", "猫"] {
        assert_eq!(search(&db, text).await, Vec::<String>::new(), "{text}");
    }
    // Every answer above is what the Rust reading of the text says.
    for text in ["협정", "自贸", "中韩", "谈判 협상", "两国", "양국은", "便利", "FTA"] {
        assert_eq!(search(&db, text).await, expected(&db, text).await, "{text}");
    }
}

both_engines!(english_search_works_as_before_and_reads_translations_too);
async fn english_search_works_as_before_and_reads_translations_too(db: Db) {
    translated(&db).await;
    // Word prefixes, as before: "fraud", "Gambl"; no substring matches
    // inside English words ("raud" is not a word start).
    assert!(search(&db, "fraud").await.contains(&FRAUD.to_owned()));
    assert_eq!(search(&db, "Gambl").await, search(&db, "gambling").await);
    assert_eq!(search(&db, "raud").await, Vec::<String>::new());
    for text in ["fraud", "telecom fraud", "cooperation", "APEC 2026", "ftaap"] {
        assert_eq!(search(&db, text).await, expected(&db, text).await, "{text}");
    }
    // An English translation of a commitment first written in Korean.
    on_engine!(db, |pool| sqlx::query(
        "UPDATE commitments SET language = 'ko' WHERE slug = $1"
    )
    .bind(TRAVEL)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    translate(
        &db,
        TRAVEL,
        "en",
        "Hovercraft links",
        "Hovercraft services between the ports.",
    )
    .await;
    assert_eq!(search(&db, "hovercraft").await, vec![TRAVEL]);
}

both_engines!(a_translation_is_found_until_it_is_changed_or_deleted);
async fn a_translation_is_found_until_it_is_changed_or_deleted(db: Db) {
    seeded(&db).await;
    // SQLite's trigram index is a table of its own (PostgreSQL's is an
    // index on the search table's rows): None on PostgreSQL.
    let cjk_rows = || async {
        match crate::engine::Engine::engine(&db) {
            crate::engine::EngineRef::Sqlite(pool) => Some(
                sqlx::query_scalar::<_, i64>("SELECT count(*) FROM commitment_search_cjk")
                    .fetch_one(pool)
                    .await
                    .unwrap(),
            ),
            crate::engine::EngineRef::Postgres(_) => None,
        }
    };
    assert!(
        matches!(cjk_rows().await, None | Some(0)),
        "English text is not in the trigram index"
    );
    translate(&db, TRAVEL, "zh", "熊猫外交", "大熊猫将赴韩国。").await;
    translate(&db, TRAVEL, "ko", "판다 외교 (panda diplomacy)", "판다가 한국에 간다.").await;
    assert_eq!(search(&db, "熊猫").await, vec![TRAVEL]);
    assert_eq!(search(&db, "熊猫外交").await, vec![TRAVEL]);
    assert_eq!(search(&db, "판다").await, vec![TRAVEL]);
    assert_eq!(
        search(&db, "panda").await,
        vec![TRAVEL],
        "translations are in the word index"
    );
    assert!(matches!(cjk_rows().await, None | Some(1)));

    // Changing the Chinese translation re-indexes it; the Korean one stays.
    on_engine!(db, |pool| sqlx::query(
        "UPDATE commitment_translations SET title = '文化交流', summary = '扩大人文交流。'
         WHERE commitment_id = (SELECT id FROM commitments WHERE slug = $1) AND language = 'zh'",
    )
    .bind(TRAVEL)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    assert_eq!(search(&db, "熊猫").await, Vec::<String>::new());
    assert_eq!(search(&db, "熊猫外交").await, Vec::<String>::new());
    assert_eq!(search(&db, "文化交流").await, vec![TRAVEL]);
    assert_eq!(search(&db, "人文").await, vec![TRAVEL]);
    assert_eq!(search(&db, "판다").await, vec![TRAVEL]);

    // Deleting them takes their text out of both indexes.
    on_engine!(db, |pool| sqlx::query(
        "DELETE FROM commitment_translations WHERE commitment_id = (SELECT id FROM commitments WHERE slug = $1)",
    )
    .bind(TRAVEL)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    for text in ["文化交流", "人文", "판다", "panda"] {
        assert_eq!(search(&db, text).await, Vec::<String>::new(), "{text}");
    }
    assert!(matches!(cjk_rows().await, None | Some(0)), "no CJK text, no row");
    assert_eq!(
        search(&db, "travel").await,
        expected(&db, "travel").await,
        "the commitment's own text is still found"
    );
    // FTS5's own check: each index agrees with the text it holds.
    if let crate::engine::EngineRef::Sqlite(pool) = crate::engine::Engine::engine(&db) {
        for check in [
            "INSERT INTO commitment_search (commitment_search, rank) VALUES ('integrity-check', 1)",
            "INSERT INTO commitment_search_cjk (commitment_search_cjk, rank) VALUES ('integrity-check', 1)",
        ] {
            sqlx::query(check).execute(pool).await.unwrap();
        }
    }
}

both_engines!(short_terms_are_found_at_the_very_end_of_the_text);
/// A short term is found through the trigrams that start with it, so the
/// last one or two characters of the text need the line breaks after it.
async fn short_terms_are_found_at_the_very_end_of_the_text(db: Db) {
    seeded(&db).await;
    // The only CJK text of the commitment: two characters, nothing after.
    translate(&db, TRAVEL, "zh", "Panda", "熊猫").await;
    assert_eq!(search(&db, "熊猫").await, vec![TRAVEL]);
    assert_eq!(search(&db, "猫").await, vec![TRAVEL]);
    assert_eq!(search(&db, "熊").await, vec![TRAVEL]);
    translate(&db, FTA, "ko", "FTA", "협").await;
    assert_eq!(search(&db, "협").await, vec![FTA]);
    assert_eq!(search(&db, "熊猫 협").await, Vec::<String>::new());
}

both_engines!(the_write_path_keeps_the_trigram_index_current);
/// Korean or Chinese written through the store's own write functions (a new
/// commitment, an edit, a source's quote) is found, and edited away is not.
async fn the_write_path_keeps_the_trigram_index_current(db: Db) {
    use super::editing::{create_commitment, update_commitment};
    let db = db.clone();
    seeded(&db).await;
    let alice = editor(&db, "alice").await;
    let mut fields = domain::CommitmentFields {
        title: "Resume ferry routes".into(),
        summary: "양국은 여객선 항로를 재개하기로 합의했다.".into(),
        theme: Theme::PeopleToPeople,
        proposed_by: None,
        owed_by: vec![PartyCode::parse("cn").unwrap(), PartyCode::parse("kr").unwrap()],
        due_on: None,
        due_basis: None,
        due_note: None,
        summit: domain::Slug::parse("xi-lee-2025-11-01").unwrap(),
    };
    let slug = create_commitment(&db, &fields, &alice, at("2026-04-01")).await.unwrap();
    assert_eq!(search(&db, "항로").await, vec![slug.to_string()]);
    assert_eq!(search(&db, "여객선").await, vec![slug.to_string()]);

    fields.summary = "双方同意恢复客轮航线。".into();
    update_commitment(&db, &slug, &fields, 1, &alice, at("2026-04-01"))
        .await
        .unwrap();
    assert_eq!(search(&db, "항로").await, Vec::<String>::new());
    assert_eq!(search(&db, "航线").await, vec![slug.to_string()]);

    let source = NewSource {
        publisher: "Yonhap".into(),
        title: "Ferry talks".into(),
        dated_on: day("2026-02-01"),
        date_basis: domain::DateBasis::Published,
        title_basis: domain::TitleBasis::Headline,
        via: None,
        url: None,
        quote: "인천과 웨이하이를 잇는 카페리 운항이 재개된다.".into(),
        kind: SourceKind::MediaReport,
        language: Default::default(),
    };
    edit_sources(&db, &slug, SourceEdit::Add(&source), 2, &alice, at("2026-04-01"))
        .await
        .unwrap();
    assert_eq!(search(&db, "카페리").await, vec![slug.to_string()]);
    assert_eq!(search(&db, "航线 카페리").await, vec![slug.to_string()]);
}

both_engines!(hostile_search_input_matches_nothing_unexpected_and_never_errors);
/// Nothing a reader types is FTS5 syntax, a LIKE pattern or SQL: each input
/// finds exactly what its terms find, and none is an error.
async fn hostile_search_input_matches_nothing_unexpected_and_never_errors(db: Db) {
    translated(&db).await;
    for text in [
        "\"",
        "\"\"\"",
        "*",
        "%",
        "_",
        "%%_",
        "-",
        "()",
        "^",
        "NEAR",
        "NEAR(fraud telecom)",
        "fraud NEAR zzyzx",
        "fraud OR zzyzx",
        "fraud NOT telecom",
        "-fraud",
        "fraud -telecom",
        "fraud*",
        "\"fraud\"*",
        "title:fraud",
        "{title summary}: fraud",
        "commitment_search",
        "'; DROP TABLE commitments; --",
        "\\",
        "自贸\"*",
        "\"自贸\" OR \"赌博\"",
        "自贸 NOT 协定",
        "自贸 OR 熊猫",
        "(自贸)",
        "自%",
        "%协定%",
        "_贸",
        "自_贸",
        "협정*",
        "-협정",
        "NEAR(自贸协定 赌博)",
        "（自贸）＊",
        "自贸协定\" OR \"",
        "中韩 AND",
        "AND",
        "OR",
        "[\"自贸\"]",
        "\"]",
        "fraud\\\"",
    ] {
        assert_eq!(search(&db, text).await, expected(&db, text).await, "{text}");
    }
    // Wildcards are not wildcards: each of these has no terms, or terms
    // nothing contains.
    for text in ["%", "_", "*", "%%_", "()", "\"", "自%贸", "-"] {
        let found = search(&db, text).await;
        assert!(found.is_empty() || text == "自%贸", "{text}: {found:?}");
    }
    assert_eq!(search(&db, "自%贸").await, vec![FTA], "自 and 贸, each somewhere");
}

both_engines!(sql_and_rust_agree_on_which_characters_are_cjk);
/// The migration's GLOB pattern (which text the trigram index holds) and
/// `domain::is_cjk` (which terms are looked for there) name the same
/// characters: a CJK term always searches text that was indexed. On
/// PostgreSQL the schema's `has_cjk` says which text the index holds.
async fn sql_and_rust_agree_on_which_characters_are_cjk(db: Db) {
    let mut probes: Vec<char> = vec!['a', 'é', 'Ω', '—', '中', '협', 'あ', '\u{10FFFF}'];
    for (low, high) in domain::CJK_RANGES {
        for code in [low as u32 - 1, low as u32, high as u32, high as u32 + 1] {
            probes.extend(char::from_u32(code));
        }
    }
    for c in probes {
        let probe = format!("x{c}y");
        let in_sql: bool = match crate::engine::Engine::engine(&db) {
            crate::engine::EngineRef::Sqlite(pool) => {
                sqlx::query_scalar("SELECT ?1 GLOB (SELECT pattern FROM search_cjk_glob)")
                    .bind(probe)
                    .fetch_one(pool)
                    .await
            }
            crate::engine::EngineRef::Postgres(pool) => {
                sqlx::query_scalar("SELECT has_cjk($1)")
                    .bind(probe)
                    .fetch_one(pool)
                    .await
            }
        }
        .unwrap();
        assert_eq!(in_sql, domain::is_cjk(c), "U+{:04X}", c as u32);
    }
}

/// The migration rebuilds the index from what is already stored: text
/// written before it (here a Chinese translation) is found after it.
/// SQLite's: PostgreSQL's schema began with the search of every language.
#[sqlx::test(migrations = false)]
async fn the_migration_indexes_what_was_stored_before_it(pool: SqlitePool) {
    let db = crate::Db::new(pool.clone());
    crate::MIGRATOR.run_to(20251204000000, &pool).await.unwrap();
    // The seed loader speaks today's schema, so the commitments are written
    // as that schema's code wrote them.
    let data = crate::test_fixture::dataset();
    sqlx::query(
        "INSERT INTO summits (id, slug, title, held_on, location, summary) VALUES (1, 's', 'S', '2025-11-01', 'L', '')",
    )
    .execute(&pool)
    .await
    .unwrap();
    for (position, c) in data.commitments.iter().enumerate() {
        sqlx::query(
            "INSERT INTO commitments (summit_id, slug, title, summary, theme, position, created_at, updated_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, '2025-11-02T09:00:00Z', '2025-11-02T09:00:00Z')",
        )
        .bind(c.slug.as_str())
        .bind(&c.title)
        .bind(&c.summary)
        .bind(c.theme.code())
        .bind(position as i64 + 1)
        .execute(&pool)
        .await
        .unwrap();
    }
    translate(&db, FTA, "zh", "加快中韩自贸协定第二阶段谈判", "双方同意加快谈判。").await;
    crate::MIGRATOR.run(&pool).await.unwrap();
    assert_eq!(search(&db, "自贸").await, vec![FTA]);
    assert_eq!(search(&db, "自贸协定").await, vec![FTA]);
    assert_eq!(search(&db, "fraud").await, expected(&db, "fraud").await);
    assert!(!search(&db, "fraud").await.is_empty());
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM commitment_search")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, data.commitments.len() as i64);
}

both_engines!(overdue_turns_over_at_midnight_in_the_summits_time_zone);
/// A due date passes at midnight where the summit was held: the seed's
/// summit is in Seoul, nine hours ahead of UTC, so the overdue filter and
/// the scoreboard's count turn over at 15:00 UTC the day before.
async fn overdue_turns_over_at_midnight_in_the_summits_time_zone(db: Db) {
    load(
        &db,
        &own_summit(
            "seoul-summit",
            "2025-06-20",
            "Asia/Seoul",
            &[
                Item("mango-exports", "Mango exports", Some("2026-03-01"), "not_yet_rated"),
                Item("apple-tariffs", "Apple tariffs", None, "not_yet_rated"),
                Item("zinc-mining", "Zinc mining", Some("2026-03-01"), "fulfilled"),
            ],
        ),
    )
    .await;
    let due = day("2026-03-01");
    let overdue = query("overdue=1");
    let seoul_midnight = (due + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        - chrono::Duration::hours(9);
    let before = listing::ZoneDays::at(&db, seoul_midnight - chrono::Duration::seconds(1))
        .await
        .unwrap();
    let after = listing::ZoneDays::at(&db, seoul_midnight).await.unwrap();
    assert!(listing::match_commitments(&db, &overdue, &before)
        .await
        .unwrap()
        .is_empty());
    let late = listing::match_commitments(&db, &overdue, &after).await.unwrap();
    let late = listing::summaries_by_ids(&db, &late.iter().map(|m| m.id).collect::<Vec<_>>())
        .await
        .unwrap();
    assert_eq!(
        late.iter().map(|c| c.slug.as_str()).collect::<Vec<_>>(),
        ["mango-exports"],
        "the unfulfilled commitment due that day, though it is not yet the next day in UTC"
    );
    let expected = 1;
    let counted: u64 = total_matched(&db, &overdue, &after, None).await;
    assert_eq!(counted as usize, expected);
    // In UTC it is still the due date itself.
    assert_eq!(seoul_midnight.date_naive(), due);
    let page = listing::load_commitment_page(&db, &query(""), 50, "http://x/".into(), seoul_midnight)
        .await
        .unwrap();
    assert_eq!(
        page.today,
        due + chrono::Duration::days(1),
        "the chart ends on Seoul's day"
    );
    let card = |slug: &str| page.items.iter().find(|c| c.slug.as_str() == slug).unwrap();
    assert_eq!(card("mango-exports").due_on, Some(due));
    assert!(card("mango-exports").is_overdue(card("mango-exports").today_at(page.now)));
    assert!(
        !card("zinc-mining").is_overdue(card("zinc-mining").today_at(page.now)),
        "fulfilled"
    );
}

/// How many commitments `count_matches` counts in all, over every status.
async fn total_matched(db: &Db, q: &ListQuery, today: &listing::ZoneDays, limit: Option<u64>) -> u64 {
    listing::count_matches(db, q, today, limit)
        .await
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum()
}

both_engines!(overdue_judges_each_commitment_by_its_own_summits_day);
/// With summits in zones whose days differ, a due date has passed in one
/// and not in the other: the list, its count and a search agree, each
/// commitment judged by its own summit's day (the earliest day of all
/// zones is only a shortcut for dates past everywhere).
async fn overdue_judges_each_commitment_by_its_own_summits_day(db: Db) {
    for (slug, zone, item, old) in [
        ("seoul-summit", "Asia/Seoul", "mango-exports", "mango-exports-old"),
        ("lima-summit", "America/Lima", "guava-exports", "guava-exports-old"),
    ] {
        load(
            &db,
            &own_summit(
                slug,
                "2025-06-20",
                zone,
                &[
                    Item(item, "Fruit exports", Some("2026-03-01"), "not_yet_rated"),
                    Item(old, "Old fruit exports", Some("2026-02-01"), "not_yet_rated"),
                ],
            ),
        )
        .await;
    }
    // 20:00 UTC: 05:00 on 2 March in Seoul, 15:00 on 1 March in Lima.
    let at = day("2026-03-01").and_hms_opt(20, 0, 0).unwrap().and_utc();
    let days = listing::ZoneDays::at(&db, at).await.unwrap();
    for text in ["overdue=1", "overdue=1&q=exports"] {
        let q = query(text);
        let found = listing::match_commitments(&db, &q, &days).await.unwrap();
        let found = listing::summaries_by_ids(&db, &found.iter().map(|m| m.id).collect::<Vec<_>>())
            .await
            .unwrap();
        let mut slugs: Vec<&str> = found.iter().map(|c| c.slug.as_str()).collect();
        slugs.sort_unstable();
        assert_eq!(
            slugs,
            ["guava-exports-old", "mango-exports", "mango-exports-old"],
            "{text}: due today in Lima is not overdue there"
        );
        let counted: u64 = total_matched(&db, &q, &days, None).await;
        assert_eq!(counted, 3, "{text}: counted");
    }
}

both_engines!(a_listing_for_the_api_skips_the_charts_history);
/// The JSON API shows no chart, so its listing skips the history the pages
/// chart: the same view, with and without it.
async fn a_listing_for_the_api_skips_the_charts_history(db: Db) {
    let data = seeded(&db).await;
    let who = editor(&db, "charter").await;
    let slug = data.commitments[0].slug.to_string();
    rate(
        &db,
        &slug,
        data.commitments[0].owed_by[0].as_str(),
        Status::InProgress,
        "2025-12-15",
        &who,
    )
    .await;
    let now = at("2026-02-10");
    let with_chart = listing::load_listing(&db, &query(""), 10, "http://x/".into(), now, listing::ListingUse::Page)
        .await
        .unwrap();
    let for_api = listing::load_listing(&db, &query(""), 10, "http://x/".into(), now, listing::ListingUse::Data)
        .await
        .unwrap();
    assert!(!with_chart.history.is_empty(), "the page's chart has month ends");
    assert!(for_api.history.is_empty(), "the API's listing computes none");
    assert_eq!(for_api.items, with_chart.items, "the rest is the same view");
}

both_engines!(a_search_page_counts_up_to_the_limit_and_the_api_counts_every_match);
/// A search's page stops counting after `SEARCH_COUNT_LIMIT` matches (it
/// says "more than" and draws no chart); the JSON API's listing counts them
/// all; the page's rows are the same either way, and a search under the
/// limit is counted exactly on both.
async fn a_search_page_counts_up_to_the_limit_and_the_api_counts_every_match(db: Db) {
    generated_site(&db, true, 2_100, 1, 11).await;
    let now = at("2026-11-02");
    let load = |text: &'static str, purpose| {
        let db = db.clone();
        async move {
            listing::load_listing(&db, &query(text), 50, "http://x/".into(), now, purpose)
                .await
                .unwrap()
        }
    };
    let data = load("q=agreed", listing::ListingUse::Data).await;
    assert!(
        data.total > domain::SEARCH_COUNT_LIMIT,
        "the generated commitments are agreed: {}",
        data.total
    );
    assert!(!data.counts_capped);
    assert_eq!(data.counts.iter().map(|(_, n)| n).sum::<u64>(), data.total);
    let page = load("q=agreed", listing::ListingUse::Page).await;
    assert!(page.counts_capped, "counting stopped");
    assert_eq!(page.total, domain::SEARCH_COUNT_LIMIT);
    assert!(page.chart_omitted);
    assert_eq!(page.items, data.items, "the same rows");
    assert_eq!(page.next, data.next);

    let few_data = load("q=fraud", listing::ListingUse::Data).await;
    let few_page = load("q=fraud", listing::ListingUse::Page).await;
    assert!(few_page.total > 0 && few_page.total <= domain::SEARCH_COUNT_LIMIT);
    assert!(!few_page.counts_capped);
    assert_eq!(few_page.total, few_data.total);
    assert_eq!(few_page.counts, few_data.counts);

    // With a limit, at most one more than it is counted.
    let today = days(&db, "2026-11-02").await;
    let counted: u64 = total_matched(&db, &query("q=agreed"), &today, Some(10)).await;
    assert_eq!(counted, 11);

    // A search of words alone matches exactly the word index's hits, so
    // a page may ask SQLite's index alone whether they pass the limit.
    let crate::engine::EngineRef::Sqlite(pool) = crate::engine::Engine::engine(&db) else {
        return;
    };
    for text in ["agreed", "fraud", "agreed fraud", "zzzz"] {
        let q = query(&format!("q={text}"));
        let matched: u64 = total_matched(&db, &q, &today, None).await;
        let words = q.search.as_ref().and_then(|s| s.fts_query()).unwrap();
        for limit in [matched.saturating_sub(1), matched, matched + 1] {
            let exceeds = listing::word_hits_exceed(pool, &words, limit).await.unwrap();
            assert_eq!(exceeds, matched > limit, "{text}: {matched} matches, limit {limit}");
        }
    }
}

both_engines!(a_list_page_offers_the_newest_summits_and_knows_every_zone);
/// A list page reads the newest `SUMMIT_CHOICES` summits (and the filtered
/// one when older), with their translations, but counts every summit and
/// reckons "today" in every summit's zone, also those it does not offer.
async fn a_list_page_offers_the_newest_summits_and_knows_every_zone(db: Db) {
    seeded(&db).await;
    // The oldest summit is held in Paris, and only it; it has a Korean title.
    on_engine!(db, |pool| sqlx::query(
        "INSERT INTO summits (slug, title, held_on, location, summary, time_zone)
         VALUES ('paris-1999', 'Paris summit', '1999-05-05', 'Paris', 'Old.', 'Europe/Paris')",
    )
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    on_engine!(db, |pool| sqlx::query(
        "INSERT INTO summit_translations (summit_id, language, title, location, summary, translated_by)
         SELECT id, 'ko', '파리 정상회담', '파리', '옛 회담.', 'tester' FROM summits WHERE slug = 'paris-1999'",
    )
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    for n in 0..domain::SUMMIT_CHOICES + 5 {
        on_engine!(db, |pool| sqlx::query(
            "INSERT INTO summits (slug, title, held_on, location, summary, time_zone)
             VALUES ($1, $2, $3, 'Seoul', 'Newer.', 'Asia/Seoul')",
        )
        .bind(format!("summit-{n}"))
        .bind(format!("Summit {n}"))
        .bind((day("2010-01-01") + chrono::Months::new(n as u32)).to_string())
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .unwrap();
    }
    let every = super::summits::list_summits(&db).await.unwrap();
    let load = |text: &'static str| {
        let db = db.clone();
        async move {
            listing::load_commitment_page(&db, &query(text), 50, "http://x/".into(), at("2026-11-02"))
                .await
                .unwrap()
        }
    };
    let home = load("").await;
    assert_eq!(home.summit_total, every.len() as u64);
    let offered: Vec<&str> = home.summits.iter().map(|s| s.slug.as_str()).collect();
    let newest: Vec<&str> = every[..domain::SUMMIT_CHOICES]
        .iter()
        .map(|s| s.slug.as_str())
        .collect();
    assert_eq!(offered, newest, "the newest, newest first");
    assert_eq!(home.summit.as_ref().map(|s| s.slug.as_str()), Some(newest[0]));
    // Seoul and Paris: no one zone is shared, so the list's dates are UTC.
    assert_eq!(home.time_zone.name(), "UTC");

    let paris = load("summit=paris-1999").await;
    let offered: Vec<&str> = paris.summits.iter().map(|s| s.slug.as_str()).collect();
    assert_eq!(offered.len(), domain::SUMMIT_CHOICES + 1);
    assert_eq!(offered.last(), Some(&"paris-1999"), "the filtered summit, though older");
    let chosen = paris.summit.as_ref().unwrap();
    assert_eq!(chosen.slug.as_str(), "paris-1999");
    assert_eq!(chosen.time_zone.name(), "Europe/Paris");
    assert_eq!(paris.time_zone.name(), "Europe/Paris");
    assert_eq!(chosen.translations.len(), 1, "with its translation");
    assert_eq!(chosen.translations[0].title, "파리 정상회담");
    let in_menu = paris.summits.last().unwrap();
    assert_eq!(in_menu.translated_titles.len(), 1);
    assert_eq!(in_menu.translated_titles[0].title, "파리 정상회담");
}

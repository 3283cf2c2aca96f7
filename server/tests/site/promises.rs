//! README promises that `readme_promises.rs` left partly open, each held
//! through the real router (or the real binary) with every expectation
//! worked out here from data the test made, never by the code under test:
//!
//! - the list over two summits: 50 a page, `rel="prev"`/`rel="next"`
//!   followed as a browser would, and every sort order (summit, last change,
//!   due date, title) over distinct dates and mixed-case titles; the
//!   scoreboards of `/`, a filter, each summit's page and `/summits`;
//! - a status change saved through the site reaching readers of pages the
//!   page cache held (proved held first);
//! - `/healthz` answering 503 while the database does not answer, and 200
//!   again once it does;
//! - `accord user passwd`, `disable` and `enable` (the real binary) against
//!   the sessions and sign-ins of the router over the same file;
//! - the session cookie's eight hours, renewed by each visit;
//! - a blocked account or address waiting out the window, and no longer;
//! - a revert to a middle version bringing back its fields and statuses;
//! - `accord restore` refused while a real `accord serve` holds the
//!   database, then done once it stops, keeping the replaced file.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use chrono::{Days, NaiveDate};
use domain::{Dataset, DueBasis, PartyCode, Proposer, SeedCommitment, SeedStatus, Slug, Status, Theme, PAGE_SIZE};

use crate::support::{
    self, both_engines, every_table_of, get_page, listed_in_order, on_engine, respond, scratch, seeded_overall,
    shipped, Answer, TestSite, PASSWORD, SITE,
};

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

// ---------------------------------------------------------------------
// The list: pages, sort orders and counts.

/// How many commitments the made-up later summit has: with the shipped
/// ones, more than one page.
const LATER: usize = 45;

/// A summit held after the shipped one, with [`LATER`] commitments made up
/// here: titles starting in lower and upper case, due dates some shared
/// (one with the shipped data's) and some missing, each rated once by China
/// on a day of its own, themes and statuses in turn.
fn later_summit() -> Dataset {
    let mut data = shipped();
    data.summit.slug = Slug::parse("later-summit-2026-04-01").unwrap();
    data.summit.title = "A later summit, made up by a test".into();
    data.summit.held_on = day(2026, 4, 1);
    data.corrections.clear();
    let source = data.sources[0].key.clone();
    let china = PartyCode::parse("cn").unwrap();
    let words = [
        "apricot", "Bramble", "cedar", "Dune", "ember", "Fjord", "garnet", "Harbor", "iris",
    ];
    let rated = [
        Status::InProgress,
        Status::Stalled,
        Status::PartlyFulfilled,
        Status::Fulfilled,
        Status::NotYetRated,
    ];
    let held_on = data.summit.held_on;
    data.commitments = (0..LATER)
        .map(|i| {
            let due_on = match i {
                // The day two shipped commitments fall due: a tie across summits.
                3 => Some(day(2026, 12, 31)),
                _ if i % 6 == 5 => None,
                // 23 days for 45 commitments: ties within the summit too.
                _ => Some(day(2026, 6, 1) + Days::new(((i * 7) % 23) as u64)),
            };
            SeedCommitment {
                slug: Slug::parse(&format!("later-pledge-{i:02}")).unwrap(),
                // 11 and 47 share no factor: 45 different numbers.
                title: format!("{} pledge {:02}", words[(i * 5) % words.len()], (i * 11) % 47),
                summary: format!("Commitment {i} of a summit made up by a test."),
                theme: Theme::ALL[i % Theme::ALL.len()],
                proposed_by: Proposer::Joint,
                owed_by: vec![china.clone()],
                sources: vec![source.clone()],
                due_on,
                due_basis: due_on.map(|_| DueBasis::Explicit),
                due_note: due_on.map(|_| "Set by the test.".to_owned()),
                status: vec![SeedStatus {
                    party: china.clone(),
                    status: rated[i % rated.len()],
                    // 13 and 45 share no factor: 45 different days.
                    effective_on: held_on + Days::new(((i * 13) % 45) as u64),
                    note: format!("Rated by the test ({i})."),
                    sources: vec![source.clone()],
                }],
            }
        })
        .collect();
    data
}

/// A commitment as a reader of the list sees it, worked out from its data set.
struct Item {
    slug: String,
    summit: String,
    held_on: NaiveDate,
    /// Its place in its summit's record.
    position: usize,
    title: String,
    due_on: Option<NaiveDate>,
    last_change: Option<NaiveDate>,
    theme: Theme,
    overall: Status,
}

fn items_of(data: &Dataset) -> Vec<Item> {
    data.commitments
        .iter()
        .enumerate()
        .map(|(position, c)| Item {
            slug: c.slug.to_string(),
            summit: data.summit.slug.to_string(),
            held_on: data.summit.held_on,
            position,
            title: c.title.clone(),
            due_on: c.due_on,
            last_change: c.status.iter().map(|s| s.effective_on).max(),
            theme: c.theme,
            overall: seeded_overall(data, c.slug.as_str()),
        })
        .collect()
}

/// The slugs of `items` sorted by `key`, ties in summit order (newest
/// summit first, then each summit's own order), as the README's "sort by
/// summit order / last change / due date / title" reads.
fn sorted_by<K: Ord>(items: &[Item], key: impl Fn(&Item) -> K) -> Vec<String> {
    let mut sorted: Vec<&Item> = items.iter().collect();
    sorted.sort_by_key(|c| (key(c), Reverse(c.held_on), c.position));
    sorted.into_iter().map(|c| c.slug.clone()).collect()
}

/// Each status's count, every status present (zero or not).
fn counts_of<'a>(items: impl IntoIterator<Item = &'a Item>) -> BTreeMap<String, u64> {
    let mut counts: BTreeMap<String, u64> = Status::ALL.iter().map(|s| (s.code().to_owned(), 0)).collect();
    for item in items {
        *counts.get_mut(item.overall.code()).unwrap() += 1;
    }
    counts
}

/// The scoreboard's count for each status, as printed inside `scope`.
fn scoreboard_in(scope: scraper::ElementRef<'_>) -> BTreeMap<String, u64> {
    let item = scraper::Selector::parse("li.scoreboard-count").unwrap();
    let count = scraper::Selector::parse(".count").unwrap();
    let badge = scraper::Selector::parse(".badge").unwrap();
    scope
        .select(&item)
        .map(|li| {
            let number: String = li.select(&count).next().expect("a count").text().collect();
            let class = li
                .select(&badge)
                .next()
                .expect("a badge")
                .value()
                .attr("class")
                .unwrap();
            let status = class
                .split_whitespace()
                .find_map(|c| c.strip_prefix("status-"))
                .expect("a status class");
            (status.to_owned(), number.trim().parse().expect("a number"))
        })
        .collect()
}

fn scoreboard(html: &str) -> BTreeMap<String, u64> {
    let page = scraper::Html::parse_document(html);
    scoreboard_in(page.root_element())
}

/// The pager's `rel="prev"` and `rel="next"` targets, as a browser reads
/// the `href` (entities decoded).
fn pager(html: &str) -> (Option<String>, Option<String>) {
    let page = scraper::Html::parse_document(html);
    let link = |rel: &str| {
        let selector = scraper::Selector::parse(&format!(r#"nav.pager a[rel="{rel}"]"#)).unwrap();
        page.select(&selector)
            .next()
            .map(|a| a.value().attr("href").expect("an href").to_owned())
    };
    (link("prev"), link("next"))
}

/// Every page of a listing, from `first` on, by following `rel="next"`;
/// checks that each page's `rel="prev"` leads back to the page before.
async fn every_page(app: &Router, first: &str) -> Vec<Vec<String>> {
    let mut pages: Vec<Vec<String>> = Vec::new();
    let mut path = first.to_owned();
    loop {
        let (status, html) = get_page(app, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let listed = listed_in_order(&html);
        let (prev, next) = pager(&html);
        match (pages.last(), prev) {
            (None, None) => {}
            (None, Some(prev)) => panic!("{path}: the first page links back to {prev}"),
            (Some(_), None) => panic!("{path}: no rel=prev after page 1"),
            (Some(before), Some(prev)) => {
                let (status, html) = get_page(app, &prev).await;
                assert_eq!(status, StatusCode::OK, "{prev}");
                assert_eq!(&listed_in_order(&html), before, "{path}'s rel=prev ({prev})");
            }
        }
        pages.push(listed);
        assert!(pages.len() < 10, "{first}: the pages never end");
        match next {
            Some(next) => path = next,
            None => return pages,
        }
    }
}

both_engines!(the_list_over_two_summits_pages_sorts_and_counts_as_worked_out_here);
async fn the_list_over_two_summits_pages_sorts_and_counts_as_worked_out_here(db: store::Db) {
    let shipped = shipped();
    let later = later_summit();
    let app = support::seeded_site_on_of(db.clone(), day(2026, 6, 20), server::Limits::default()).await;
    store::seed::insert_dataset(&db, &later, chrono::Utc::now())
        .await
        .unwrap();
    let mut items = items_of(&shipped);
    items.extend(items_of(&later));
    let total = items.len();
    assert!(
        total > PAGE_SIZE as usize && total < 2 * PAGE_SIZE as usize,
        "{total}: two pages"
    );
    assert_eq!(PAGE_SIZE, 50, "the README's 50 per page");

    let orders = [
        ("summit", sorted_by(&items, |_| ())),
        (
            "last_change",
            sorted_by(&items, |c| (c.last_change.is_none(), Reverse(c.last_change))),
        ),
        ("due", sorted_by(&items, |c| c.due_on.unwrap_or(NaiveDate::MAX))),
        // SQLite's NOCASE: ASCII letters folded, then byte order.
        ("title", sorted_by(&items, |c| c.title.to_ascii_lowercase())),
    ];
    // The orders differ from one another, or one could pass for another.
    for (i, (a, first)) in orders.iter().enumerate() {
        for (b, second) in &orders[i + 1..] {
            assert_ne!(first, second, "{a} and {b} orders coincide in the test data");
        }
    }
    for (code, expected) in &orders {
        let pages = every_page(&app, &format!("/?sort={code}")).await;
        let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(
            sizes,
            [PAGE_SIZE as usize, total - PAGE_SIZE as usize],
            "{code}: page sizes"
        );
        // In order across the pages, so each commitment once and none missing.
        assert_eq!(&pages.concat(), expected, "sort={code}");
    }
    // The default is summit order; the newest summit comes first.
    let summit_order = &orders[0].1;
    assert_eq!(&every_page(&app, "/").await.concat(), summit_order);
    assert!(summit_order[0].starts_with("later-pledge-"));
    // A filter keeps to the pages it has: one page here, no pager.
    let (_, page) = get_page(&app, "/?theme=economy&sort=title").await;
    let economy: Vec<String> = orders[3]
        .1
        .iter()
        .filter(|slug| items.iter().any(|c| &c.slug == *slug && c.theme == Theme::Economy))
        .cloned()
        .collect();
    assert!(economy.len() > 2, "{economy:?}");
    assert_eq!(listed_in_order(&page), economy, "economy, by title");
    assert_eq!(pager(&page), (None, None));

    // The scoreboards: everything on /, what the filter matches, each
    // summit's own on its page.
    let expected_all = counts_of(&items);
    assert!(
        expected_all.values().filter(|n| **n > 0).count() >= 5,
        "the data spreads over the statuses: {expected_all:?}"
    );
    let (_, home) = get_page(&app, "/").await;
    assert_eq!(scoreboard(&home), expected_all, "the scoreboard on /");
    let (_, filtered) = get_page(&app, "/?theme=economy").await;
    assert_eq!(
        scoreboard(&filtered),
        counts_of(items.iter().filter(|c| c.theme == Theme::Economy)),
        "the scoreboard of /?theme=economy"
    );
    let mut cards = BTreeMap::new();
    for summit in [&shipped.summit, &later.summit] {
        let of_summit: Vec<&Item> = items.iter().filter(|c| c.summit == summit.slug.as_str()).collect();
        let (status, page) = get_page(&app, &format!("/summits/{}", summit.slug)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            scoreboard(&page),
            counts_of(of_summit.iter().copied()),
            "the scoreboard of /summits/{}",
            summit.slug
        );
        assert_eq!(
            listed_in_order(&page),
            of_summit.iter().map(|c| c.slug.clone()).collect::<Vec<_>>(),
            "the commitments of /summits/{}",
            summit.slug
        );
        cards.insert(summit.slug.to_string(), of_summit);
    }
    assert_ne!(
        scoreboard(&get_page(&app, &format!("/summits/{}", shipped.summit.slug)).await.1),
        scoreboard(&get_page(&app, &format!("/summits/{}", later.summit.slug)).await.1),
        "the two summits' counts differ, so a mix-up would show"
    );

    // /summits: newest first, each with its number of commitments and its
    // counts (the statuses it has).
    let (status, html) = get_page(&app, "/summits").await;
    assert_eq!(status, StatusCode::OK);
    let page = scraper::Html::parse_document(&html);
    let card = scraper::Selector::parse("li.summit-card").unwrap();
    let heading = scraper::Selector::parse("h2[id]").unwrap();
    let total_line = scraper::Selector::parse(".scoreboard-total").unwrap();
    let mut seen = Vec::new();
    for li in page.select(&card) {
        let id = li.select(&heading).next().unwrap().value().attr("id").unwrap();
        let slug = id.strip_prefix("summit-").unwrap().to_owned();
        let of_summit = &cards[&slug];
        let line: String = li.select(&total_line).next().unwrap().text().collect();
        let number: String = line.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(number, of_summit.len().to_string(), "{slug}: {line}");
        let mut expected = counts_of(of_summit.iter().copied());
        expected.retain(|_, n| *n > 0);
        assert_eq!(scoreboard_in(li), expected, "the counts of {slug} on /summits");
        seen.push(slug);
    }
    assert_eq!(seen, [later.summit.slug.to_string(), shipped.summit.slug.to_string()]);
}

// ---------------------------------------------------------------------
// The page cache and a status change.

/// The overall status and each party's, as a commitment's page shows them.
fn status_panel(page: &str) -> Vec<String> {
    let start = page.find(r#"<div class="status-grid">"#).expect("the status panel");
    let end = start + page[start..].find("</section>").expect("the end of the panel");
    page[start..end]
        .split(r#"class="badge status-"#)
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect()
}

both_engines!(a_status_change_saved_through_the_site_reaches_readers_of_kept_pages);
async fn a_status_change_saved_through_the_site_reaches_readers_of_kept_pages(db: store::Db) {
    let data = shipped();
    let site = TestSite::on_of(db, day(2026, 6, 15)).await;
    // The commitment that changes: the last one, so that its change moves
    // it to the top of the last-change order (the shipped statuses are all
    // dated the summit's day, so it starts at the bottom).
    let target = data.commitments.last().unwrap();
    let slug = target.slug.to_string();
    let before_status = seeded_overall(&data, &slug);
    assert_ne!(before_status, Status::Stalled, "a change to stalled shows");
    let source: i64 = on_engine!(site.db, |pool| {
        sqlx::query_scalar(
        "SELECT cs.source_id FROM commitment_sources cs JOIN commitments c ON c.id = cs.commitment_id WHERE c.slug = $1 LIMIT 1",
    )
    .bind(&slug)
    .fetch_one(pool)
    .await
    .unwrap()
    });
    // Signing in is a write, which empties the cache: done before any read.
    let alice = site.sign_in("alice").await;

    let commitment_page = format!("/commitments/{slug}");
    let summit_page = format!("/summits/{}", data.summit.slug);
    let paths = [
        "/",
        summit_page.as_str(),
        commitment_page.as_str(),
        "/?sort=last_change",
    ];
    let mut first = Vec::new();
    for path in paths {
        let page = site.get(path, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        first.push(page);
    }
    // Kept: a change made behind the site's back (no request) is not seen,
    // and each page comes back byte for byte.
    let other = data.commitments[0].slug.as_str();
    let retitled = "Retitled out of band by the cache test";
    support::retitle_behind_the_sites_back(&site.db, other, retitled).await;
    for (path, page) in paths.iter().zip(&first) {
        let again = site.get(path, None).await;
        assert_eq!(again.body, page.body, "{path} comes from memory");
        assert!(!again.text().contains(retitled), "{path}");
    }
    let items = items_of(&data);
    let mut expected = counts_of(&items);
    assert_eq!(scoreboard(&first[0].text()), expected, "/ before the change");
    assert_eq!(
        scoreboard(&first[1].text()),
        expected,
        "the summit's page before the change"
    );
    assert_ne!(status_panel(&first[2].text()), ["stalled"; 3]);
    assert_ne!(listed_in_order(&first[3].text())[0], slug);

    // An editor records that both parties' work has stalled.
    let version = site.version_of(&slug).await.to_string();
    let source = source.to_string();
    let note = "Talks paused, as the cache test records.";
    let fields = [
        ("slug", slug.as_str()),
        ("version", version.as_str()),
        ("party", "all"),
        ("status", "stalled"),
        ("effective_on", "2026-06-01"),
        ("note", note),
        ("source_ids[]", source.as_str()),
    ];
    let saved = site.post_form("/api/update_status", &fields, Some(&alice)).await;
    assert!(saved.status.is_redirection(), "{} {}", saved.status, saved.text());

    // The very next reader gets the new state.
    *expected.get_mut(before_status.code()).unwrap() -= 1;
    *expected.get_mut("stalled").unwrap() += 1;
    let home = site.get("/", None).await.text();
    assert_eq!(scoreboard(&home), expected, "/ after the change");
    assert!(home.contains(retitled), "the whole cache was emptied");
    let summit = site.get(&summit_page, None).await.text();
    assert_eq!(scoreboard(&summit), expected, "the summit's page after the change");
    let page = site.get(&commitment_page, None).await.text();
    assert_eq!(status_panel(&page), ["stalled"; 3], "overall and both parties");
    assert!(page.contains(note));
    let by_change = site.get("/?sort=last_change", None).await.text();
    assert_eq!(listed_in_order(&by_change)[0], slug, "the newest change first");
}

// ---------------------------------------------------------------------
// /healthz.

#[tokio::test]
async fn the_health_check_answers_503_while_the_database_does_not_and_recovers() {
    // One connection, given up on after a short wait: holding it is a
    // database that does not answer (a stuck query, a locked file).
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_millis(300))
        .connect("sqlite::memory:")
        .await
        .unwrap();
    let app = server::router(support::state(pool.clone(), support::PUBLIC_URL, "target/site"));
    let health = || async {
        let (status, body) = get_page(&app, "/healthz").await;
        (status.as_u16(), body)
    };
    assert_eq!(health().await, (200, "ok\n".to_owned()));
    let held = pool.acquire().await.unwrap();
    let started = std::time::Instant::now();
    assert_eq!(health().await, (503, "database unavailable\n".to_owned()));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "answered promptly"
    );
    drop(held);
    assert_eq!(
        health().await,
        (200, "ok\n".to_owned()),
        "healthy again once it answers"
    );
    pool.close().await;
    assert_eq!(
        health().await,
        (503, "database unavailable\n".to_owned()),
        "closed for good"
    );
}

// ---------------------------------------------------------------------
// Sessions and sign-in.

/// The `Set-Cookie` of the session cookie, if the answer has one.
fn session_set_cookie(answer: &Answer) -> Option<String> {
    support::session_set_cookie(&answer.headers)
}

/// The seconds of a `Set-Cookie`'s `Max-Age`.
fn max_age(set_cookie: &str) -> i64 {
    set_cookie
        .split(';')
        .find_map(|part| part.trim().strip_prefix("Max-Age="))
        .unwrap_or_else(|| panic!("no Max-Age: {set_cookie}"))
        .parse()
        .unwrap()
}

both_engines!(the_session_cookie_lasts_eight_idle_hours_and_each_visit_renews_it);
async fn the_session_cookie_lasts_eight_idle_hours_and_each_visit_renews_it(db: store::Db) {
    let site = TestSite::of(db).await;
    let limit = server::SESSION_IDLE_LIMIT.whole_seconds();
    assert_eq!(limit, 8 * 3600, "the README's eight hours");
    // A reader is given no session (and no cookie).
    let read = site.get("/", None).await;
    assert_eq!(session_set_cookie(&read), None);

    let signed_in = site
        .post_form("/api/login", &[("name", "alice"), ("password", PASSWORD)], None)
        .await;
    assert!(signed_in.status.is_redirection(), "{}", signed_in.status);
    let set = session_set_cookie(&signed_in).expect("a session cookie");
    assert_eq!(max_age(&set), limit, "the browser keeps it eight hours: {set}");
    let cookie = set.split(';').next().unwrap().to_owned();
    let stored = || async {
        on_engine!(site.db, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT expires_at FROM sessions"
        )
        .fetch_one(pool)
        .await
        .unwrap())
    };
    let now = chrono::Utc::now().timestamp();
    assert!(
        (stored().await - (now + limit)).abs() <= 60,
        "the server keeps it as long"
    );

    // Seven idle hours later (the stored expiry moved back as if so), a
    // visit gives the session, and the browser's cookie, eight hours again.
    on_engine!(site.db, |pool| sqlx::query(
        "UPDATE sessions SET expires_at = expires_at - 7 * 3600"
    )
    .execute(pool)
    .await
    .unwrap()
    .rows_affected());
    let visit = site.get("/review", Some(&cookie)).await;
    assert_eq!(visit.status, StatusCode::OK, "still signed in");
    let renewed = session_set_cookie(&visit).expect("the cookie is sent again");
    assert_eq!(renewed.split(';').next().unwrap(), cookie, "the same session");
    assert_eq!(max_age(&renewed), limit, "{renewed}");
    let now = chrono::Utc::now().timestamp();
    assert!((stored().await - (now + limit)).abs() <= 60, "renewed on the server");
}

/// A sign-in (answered as JSON) from the loopback address `127.0.0.x`, as
/// the server reads a client's address from its connection.
fn sign_in_request(site: &TestSite, address: u8, name: &str, password: &str) -> Request<Body> {
    let mut request = site.form_request("/api/login", &[("name", name), ("password", password)], None);
    request
        .headers_mut()
        .insert(header::ACCEPT, "application/json".parse().unwrap());
    request.extensions_mut().insert(ConnectInfo(SocketAddr::from((
        Ipv4Addr::new(127, 0, 0, address),
        40_000,
    ))));
    request
}

both_engines!(a_blocked_address_waits_out_its_delay_and_the_owner_is_never_locked_out);
async fn a_blocked_address_waits_out_its_delay_and_the_owner_is_never_locked_out(db: store::Db) {
    let site = TestSite::of(db).await;
    assert_eq!(store::logins::FREE_FAILURES, 5, "the README's five failures");
    assert_eq!(store::logins::FIRST_WAIT_SECONDS, 60, "the README's first minute");
    // The same site at two moments: the failures, and 2 minutes later.
    let start = day(2026, 6, 15).and_hms_opt(9, 0, 0).unwrap().and_utc();
    let at = |minutes: i64| {
        let mut state = support::state_of(site.db.clone(), &format!("{SITE}/"), "target/site");
        state.clock = domain::Clock::Fixed(start + chrono::Duration::minutes(minutes));
        server::router(state)
    };
    let (now, later) = (at(0), at(2));
    let statuses = |answers: &[Answer]| answers.iter().map(|a| a.status.as_u16()).collect::<Vec<_>>();

    // Bob's password guessed wrong five times, each from an address of its
    // own; and five names tried from one address.
    let mut answers = Vec::new();
    for n in 0..5 {
        answers.push(respond(&now, sign_in_request(&site, 10 + n, "bob", "a wrong guess")).await);
    }
    assert_eq!(statuses(&answers), [422; 5], "each guess is told it is wrong");
    let mut answers = Vec::new();
    for n in 0..5 {
        let name = format!("nobody{n}");
        answers.push(respond(&now, sign_in_request(&site, 99, &name, "a wrong guess")).await);
    }
    assert_eq!(statuses(&answers), [422; 5], "each name is told it is wrong");

    // Bob, from an address of his own, is let in at once: guesses from
    // elsewhere cannot lock him out.
    let answer = respond(&now, sign_in_request(&site, 30, "bob", PASSWORD)).await;
    assert_eq!(answer.status, StatusCode::OK, "the owner: {}", answer.text());
    // The address that failed five times waits a minute, whatever the name
    // and even with the right password; the wait is told in minutes…
    let answer = respond(&now, sign_in_request(&site, 99, "alice", PASSWORD)).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "the address's limit");
    assert!(answer.text().contains("Try again in 1 minute."), "{}", answer.text());
    // …while alice, from another address, is let in.
    let answer = respond(&now, sign_in_request(&site, 98, "alice", PASSWORD)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());

    // Once the wait has passed, the address is let in.
    let answer = respond(&later, sign_in_request(&site, 99, "alice", PASSWORD)).await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "the address, after its wait: {}",
        answer.text()
    );
}

// ---------------------------------------------------------------------
// The `user` commands of the real binary.

/// Runs the real binary with `args` over the SQLite file `database`,
/// `input` (a password) on its standard input.
fn accord(args: &[&str], database: &Path, input: Option<&str>) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .env("DATABASE_URL", format!("sqlite://{}", database.display()))
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = input {
        writeln!(child.stdin.as_mut().unwrap(), "{input}").unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// What a command said on standard output, once it has succeeded.
fn succeeded(output: std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{:?}: {}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn the_user_commands_end_sessions_and_refuse_sign_ins_on_the_site() {
    let folder = scratch("user-commands");
    let database = folder.join("accord.db");
    let first = "carol's first password";
    let second = "carol's second password";
    let said = succeeded(accord(
        &["user", "add", "carol", "--role", "editor"],
        &database,
        Some(first),
    ));
    assert!(said.contains("created editor account `carol`"), "{said}");

    // The site over the same file, in this process.
    let pool = store::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    let state = support::state(pool.clone(), &format!("{SITE}/"), "target/site");
    let site = TestSite {
        flashes: state.flashes.clone(),
        db: state.db.clone(),
        app: server::router(state),
        slug: String::new(),
        source_id: 0,
    };
    let sign_in = |password: &'static str| {
        let site = &site;
        async move {
            let mut request = site.form_request("/api/login", &[("name", "carol"), ("password", password)], None);
            request
                .headers_mut()
                .insert(header::ACCEPT, "application/json".parse().unwrap());
            let answer = respond(&site.app, request).await;
            if answer.status == StatusCode::OK {
                let set = session_set_cookie(&answer).expect("a session cookie");
                Ok(set.split(';').next().unwrap().to_owned())
            } else {
                Err(answer.status.as_u16())
            }
        }
    };
    let review = |cookie: String| {
        let site = &site;
        async move { site.get("/review", Some(&cookie)).await.status.as_u16() }
    };
    let sessions = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = 'carol')",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let before_passwd = sign_in(first).await.expect("carol signs in");
    assert_eq!(review(before_passwd.clone()).await, 200);

    // passwd: the old password and the sessions it opened are over.
    let said = succeeded(accord(&["user", "passwd", "carol"], &database, Some(second)));
    assert!(
        said.contains("password changed for `carol`; its sessions were ended"),
        "{said}"
    );
    assert_eq!(sessions().await, 0);
    assert_eq!(review(before_passwd).await, 401, "signed out by the new password");
    assert_eq!(sign_in(first).await, Err(422), "the old password");
    let before_disable = sign_in(second).await.expect("the new password");
    assert_eq!(review(before_disable.clone()).await, 200);
    // A password under 12 characters is refused, and changes nothing.
    let short = accord(&["user", "passwd", "carol"], &database, Some("too short"));
    assert!(!short.status.success(), "a short password");
    assert!(String::from_utf8_lossy(&short.stderr).contains("12"), "{short:?}");
    assert_eq!(review(before_disable.clone()).await, 200, "still signed in");

    // disable: signed out at once, and refused with the right password.
    let said = succeeded(accord(&["user", "disable", "carol"], &database, None));
    assert!(said.contains("disabled `carol`; its sessions were ended"), "{said}");
    assert_eq!(sessions().await, 0);
    assert_eq!(review(before_disable.clone()).await, 401, "signed out by disable");
    assert_eq!(sign_in(second).await, Err(422), "a disabled account");

    // enable: carol signs in again; the sessions disable ended stay ended.
    let said = succeeded(accord(&["user", "enable", "carol"], &database, None));
    assert!(said.contains("enabled `carol`"), "{said}");
    let after_enable = sign_in(second).await.expect("enabled again");
    assert_eq!(review(after_enable).await, 200);
    assert_eq!(review(before_disable).await, 401, "ended, not suspended");
    pool.close().await;
    let _ = std::fs::remove_dir_all(&folder);
}

// ---------------------------------------------------------------------
// Reverting.

/// What a revert brings back of a commitment, as the API shows it: its
/// fields, its sources and each party's status (not the dates, which a
/// revert sets to the day it is made).
async fn revertible_state(site: &TestSite, slug: &str) -> serde_json::Value {
    let answer = site.get(&format!("/api/v1/commitments/{slug}"), None).await;
    assert_eq!(answer.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    let commitment = &json["commitment"];
    let statuses: BTreeMap<String, serde_json::Value> = commitment["party_statuses"]
        .as_array()
        .expect("party statuses")
        .iter()
        .map(|p| (p["party"]["code"].as_str().unwrap().to_owned(), p["status"].clone()))
        .collect();
    let mut sources: Vec<i64> = json["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    sources.sort();
    serde_json::json!({
        "title": commitment["title"],
        "summary": commitment["summary"],
        "theme": commitment["theme"],
        "due_on": commitment["due_on"],
        "due_basis": commitment["due_basis"],
        "due_note": json["due_note"],
        "proposed_by": json["proposed_by"]["code"],
        "sources": sources,
        "statuses": statuses,
    })
}

both_engines!(a_revert_to_a_middle_version_brings_back_its_fields_and_statuses);
async fn a_revert_to_a_middle_version_brings_back_its_fields_and_statuses(db: store::Db) {
    let data = shipped();
    let site = TestSite::on_of(db, day(2026, 6, 15)).await;
    let alice = site.sign_in("alice").await;
    let slug = site.slug.as_str();
    let source = site.source_id.to_string();
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let site = &site;
        let alice = &alice;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let answer = site.post_form(path, &fields, Some(alice)).await;
            assert!(
                answer.status.is_redirection(),
                "{path}: {} {}",
                answer.status,
                answer.text()
            );
        }
    };
    let status_change = |version: i64, party: &str, status: &str, on: &str, note: &str| {
        vec![
            ("slug", slug.to_owned()),
            ("version", version.to_string()),
            ("party", party.to_owned()),
            ("status", status.to_owned()),
            ("effective_on", on.to_owned()),
            ("note", note.to_owned()),
            ("source_ids[]", source.clone()),
        ]
    };
    let v1 = revertible_state(&site, slug).await;
    // Version 2: South Korea's status.
    post(
        "/api/update_status",
        status_change(1, "kr", "in_progress", "2026-03-01", "Version 2."),
    )
    .await;
    let v2 = revertible_state(&site, slug).await;
    // Version 3: the commitment's own fields.
    let mut edit = vec![
        ("slug", slug.to_owned()),
        ("version", "2".to_owned()),
        ("title", "Retitled in version 3".to_owned()),
        ("summary", "Summarised anew in version 3.".to_owned()),
        ("theme", "security".to_owned()),
        ("proposed_by", "kr".to_owned()),
        ("due_on", "2027-03-31".to_owned()),
        ("due_basis", "inferred".to_owned()),
        ("due_note", "Inferred in version 3.".to_owned()),
        ("summit", data.summit.slug.to_string()),
    ];
    edit.extend([("owed_by[]", "cn".to_owned()), ("owed_by[]", "kr".to_owned())]);
    post("/api/save_commitment", edit).await;
    let v3 = revertible_state(&site, slug).await;
    // Version 4: both parties' statuses.
    post(
        "/api/update_status",
        status_change(3, "all", "stalled", "2026-05-01", "Version 4."),
    )
    .await;
    let v4 = revertible_state(&site, slug).await;
    assert_eq!(site.version_of(slug).await, 4);
    // Each version differs from the next, in what the test means to see.
    assert_ne!(v1["statuses"], v2["statuses"]);
    assert_eq!(v3["statuses"], v2["statuses"]);
    assert_ne!(v3["title"], v2["title"]);
    assert_ne!(v3["due_on"], v2["due_on"]);
    assert_ne!(v4["statuses"], v3["statuses"]);

    // Back to version 3: its fields, and the statuses it had.
    let revert = |to: &str, version: &str| {
        vec![
            ("slug", slug.to_owned()),
            ("to_version", to.to_owned()),
            ("version", version.to_owned()),
        ]
    };
    post("/api/revert_commitment", revert("3", "4")).await;
    assert_eq!(site.version_of(slug).await, 5, "a revert is a new version");
    assert_eq!(revertible_state(&site, slug).await, v3, "as at version 3");
    // Back to version 2: the fields the summit's data gave, South Korea's
    // status of version 2 and China's as seeded.
    post("/api/revert_commitment", revert("2", "5")).await;
    assert_eq!(site.version_of(slug).await, 6);
    assert_eq!(revertible_state(&site, slug).await, v2, "as at version 2");

    // The history lists both reverts, by whom, as versions of their own.
    let history = site.get(&format!("/commitments/{slug}/history"), None).await.text();
    for line in [
        "Reverted to version 3.",
        "Reverted to version 2.",
        "Version 5",
        "Version 6",
    ] {
        assert!(history.contains(line), "the history shows {line}");
    }
    let reverts: i64 = on_engine!(site.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM revisions r JOIN commitments c ON c.id = r.commitment_id
         JOIN users u ON u.id = r.user_id
         WHERE c.slug = $1 AND r.action = 'revert' AND u.name = 'alice'",
    )
    .bind(slug)
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(reverts, 2, "two reverts, by alice");
}

// ---------------------------------------------------------------------
// Restore and a running server.

/// A real `accord serve`, killed if the test ends (or fails) before it
/// stops it, so no server outlives its test.
struct Serving(Option<std::process::Child>);

impl Serving {
    /// Stops the server as a service manager does (SIGTERM); it must exit
    /// cleanly.
    fn stop(&mut self) {
        let child = self.0.take().expect("a running server");
        let stopped = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(stopped.success());
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{output:?}");
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_is_refused_while_a_real_server_runs_and_keeps_the_file_it_replaces() {
    let folder = scratch("restore-serving");
    let live = folder.join("accord.db");
    let (server, port) = support::spawn_server(&live);
    let mut server = Serving(Some(server));

    // A backup, then a change it does not hold: an account added.
    let copy = folder.join("backup.db");
    let said = succeeded(accord(&["backup", copy.to_str().unwrap()], &live, None));
    assert!(said.contains("integrity ok"), "{said}");
    succeeded(accord(
        &["user", "add", "erin"],
        &live,
        Some("a long password for erin"),
    ));
    let current = every_table_of(&live).await;
    let backed_up = every_table_of(&copy).await;
    assert_ne!(current["users"], backed_up["users"], "the live database moved on");

    // The server holds the database: the restore is refused, says why, and
    // leaves every file as it was; the server keeps serving.
    let refused = accord(&["restore", copy.to_str().unwrap()], &live, None);
    assert!(!refused.status.success(), "restore under a running server");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(&format!(
            "a server is using {}; stop it before restoring",
            live.display()
        )),
        "{stderr}"
    );
    assert_eq!(every_table_of(&live).await, current, "nothing changed");
    let beside = |folder: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".replaced-") || n.contains(".restoring"))
            .collect();
        names.sort();
        names
    };
    assert_eq!(beside(&folder), Vec::<String>::new(), "no file was swapped");
    support::wait_until_healthy(port);

    // Stopped, the restore goes through and says where the replaced file is.
    server.stop();
    let said = succeeded(accord(&["restore", copy.to_str().unwrap()], &live, None));
    let kept = beside(&folder);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].starts_with("accord.db.replaced-"), "{kept:?}");
    let kept = folder.join(&kept[0]);
    assert!(
        said.contains(&format!("the replaced database is kept at {}", kept.display())),
        "{said}"
    );
    assert_eq!(every_table_of(&live).await, backed_up, "the backup, every table");
    assert_eq!(every_table_of(&kept).await, current, "the replaced database, whole");
    let listed = succeeded(accord(&["user", "list"], &live, None));
    assert!(!listed.contains("erin"), "{listed}");
    let _ = std::fs::remove_dir_all(&folder);
}

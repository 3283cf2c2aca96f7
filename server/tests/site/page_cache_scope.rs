//! Issue 17, point 1: a write makes stale what it changed, no more. After a
//! write to commitment X through the site, every URL that shows X (its
//! permalink and history in every language, its summit's views, every list
//! that may show it, the feeds, its card and badge, the CSV export and the
//! JSON API) is answered at once exactly as a site without
//! a page cache renders it; the pages of another commitment, and the views
//! of another summit, are still the kept bytes (shown by a title changed
//! behind the site's back, which a new render would show).

use crate::support::{self, both_engines, Answer, TestSite};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use domain::Clock;

/// The seeded summit, and the fictional one imported beside it.
const SEEDED_SUMMIT: &str = "xi-lee-2025-11-01";
const OTHER_SUMMIT: &str = "aurelia-borealis-2099-03-14";
/// A commitment of the other summit.
const OTHER_SUMMITS_COMMITMENT: &str = "aurelia-borealis-ferry-line";
const FIXTURE: &str = include_str!("../fixtures/summit-2099-03-14.toml");
const FIXTURE_TRANSLATIONS: &str = include_str!("../fixtures/summit-2099-03-14.translations.toml");

/// The day the sites' clocks are stopped at, so that two renders of a page
/// differ only by what was written.
fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

/// What the tests compare: the site with its page cache (a stale page is
/// rendered again for the next reader), a site over
/// the same database without any cache, and the commitments in play.
struct Sites {
    cached: TestSite,
    uncached: Router,
    /// Commitment X, written to (owed by both parties, of the seeded summit).
    x: String,
    /// Another commitment of X's summit.
    neighbour: String,
    /// A commitment of another summit.
    y: String,
    editor: String,
}

async fn sites(db: store::Db) -> Sites {
    let mut cached = TestSite::of(db.clone()).await;
    let state = |limits: server::Limits| {
        let mut state = support::state_of(
            support::another_handle(&db),
            &format!("{}/", support::SITE),
            "target/site",
        );
        state.clock = Clock::Fixed(today().and_hms_opt(12, 0, 0).unwrap().and_utc());
        (state.db.clone(), server::router_with_limits(state, limits))
    };
    let (db, app) = state(server::Limits::default());
    // Writes made beside the router go through the router's own handle,
    // as the server's would.
    cached.db = db;
    cached.app = app;
    let (_, uncached) = state(server::Limits {
        page_cache_ttl: None,
        ..server::Limits::default()
    });
    let dataset = server::seed::parse_dataset(FIXTURE).unwrap();
    store::seed::import_dataset(&cached.db, &dataset, None, "Operator Olsen", chrono::Utc::now())
        .await
        .unwrap();
    let x = cached.slug.clone();
    let neighbour = support::shipped()
        .commitments
        .iter()
        .map(|c| c.slug.to_string())
        .find(|slug| *slug != x)
        .unwrap();
    let editor = cached.sign_in("alice").await;
    Sites {
        cached,
        uncached,
        x,
        neighbour,
        y: OTHER_SUMMITS_COMMITMENT.to_owned(),
        editor,
    }
}

/// `answer`'s body as the page cache keeps it: the render's nonce taken
/// out of its scripts and preload links (see `page_cache::kept_page`).
fn as_kept(answer: &Answer) -> Vec<u8> {
    let policy = answer.header(header::CONTENT_SECURITY_POLICY);
    let Some(start) = policy.find("'nonce-") else {
        return answer.body.to_vec();
    };
    let nonce = &policy[start + "'nonce-".len()..];
    let nonce = &nonce[..nonce.find('\'').unwrap()];
    answer
        .text()
        .replace(&format!(" nonce=\"{nonce}\""), "")
        .replace(&format!(" crossorigin=\"{nonce}\""), " crossorigin=\"anonymous\"")
        .into_bytes()
}

/// Where two bodies first differ, for a readable failure.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let at = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let around =
        |body: &[u8]| String::from_utf8_lossy(&body[at.saturating_sub(80)..(at + 80).min(body.len())]).into_owned();
    format!(
        "at byte {at}:\n  served:   …{}…\n  uncached: …{}…",
        around(a),
        around(b)
    )
}

impl Sites {
    /// The URLs that show X: its own, its summit's views and every list,
    /// pages in each language, and the files and API answers made of it.
    fn showing_x(&self) -> Vec<String> {
        let x = &self.x;
        let mut urls = Vec::new();
        for language in ["", "/ko", "/zh"] {
            urls.push(format!("{language}/commitments/{x}"));
            urls.push(format!("{language}/commitments/{x}/history"));
        }
        urls.extend([
            "/".to_owned(),
            "/ko".to_owned(),
            "/?status=in_progress".to_owned(),
            "/?status=not_yet_rated".to_owned(),
            format!("/?summit={SEEDED_SUMMIT}"),
            format!("/summits/{SEEDED_SUMMIT}"),
            format!("/zh/summits/{SEEDED_SUMMIT}"),
            "/summits".to_owned(),
            "/corrections".to_owned(),
            "/feed.atom".to_owned(),
            format!("/commitments/{x}/feed.atom"),
            "/corrections.atom".to_owned(),
            format!("/commitments/{x}/card.png"),
            format!("/commitments/{x}/badge.svg"),
            format!("/ko/commitments/{x}/badge.svg"),
            "/export/commitments.csv".to_owned(),
            format!("/api/v1/commitments/{x}"),
            "/api/v1/commitments".to_owned(),
        ]);
        urls
    }

    /// Pages that do not show X: another commitment of its summit, a
    /// commitment of another summit, and that summit's views.
    fn not_showing_x(&self) -> Vec<String> {
        let (y, neighbour) = (&self.y, &self.neighbour);
        vec![
            format!("/commitments/{y}"),
            format!("/ko/commitments/{y}"),
            format!("/zh/commitments/{y}/history"),
            format!("/commitments/{neighbour}"),
            format!("/commitments/{neighbour}/history"),
            format!("/summits/{OTHER_SUMMIT}"),
            format!("/ko/summits/{OTHER_SUMMIT}"),
            format!("/?summit={OTHER_SUMMIT}&status=not_yet_rated"),
        ]
    }

    async fn get(&self, url: &str) -> Answer {
        let answer = self.cached.get(url, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{url}: {}", answer.text());
        answer
    }

    /// Reads every URL once, so that the pages among them are kept.
    async fn warm(&self) -> Vec<(String, Answer)> {
        let mut kept = Vec::new();
        for url in self.showing_x().iter().chain(&self.not_showing_x()) {
            kept.push((url.clone(), self.get(url).await));
        }
        kept
    }

    /// Titles Y and X's neighbour behind the site's back (no write the
    /// store records): a page rendered again shows `mark`, a kept one does
    /// not.
    async fn retitle_others_behind_the_sites_back(&self, mark: &str) {
        for slug in [&self.y, &self.neighbour] {
            support::retitle_behind_the_sites_back(&self.cached.db, slug, &format!("{mark} {slug}")).await;
        }
    }

    /// `url` answered by the cached site exactly as the site without a
    /// cache renders it now.
    async fn assert_current(&self, url: &str) -> Answer {
        let served = self.get(url).await;
        let fresh = support::respond(&self.uncached, Request::get(url).body(Body::empty()).unwrap()).await;
        assert_eq!(fresh.status, StatusCode::OK, "{url} uncached");
        let fresh = as_kept(&fresh);
        assert!(
            served.body[..] == fresh[..],
            "{url} is not what the site renders now, {}",
            first_difference(&served.body, &fresh)
        );
        served
    }

    /// `url` still answered with the bytes kept before the write.
    async fn assert_kept(&self, url: &str, before: &Answer, mark: &str) {
        let served = self.get(url).await;
        assert!(
            !served.text().contains(mark),
            "{url} was rendered again after a write that did not change it"
        );
        assert_eq!(served.header(header::ETAG), before.header(header::ETAG), "{url}");
        assert!(!before.header(header::ETAG).is_empty(), "{url} is a kept page");
        assert!(served.body == before.body, "{url}: the same bytes");
    }

    /// Posts an editor's form (as a browser without JavaScript does).
    async fn post(&self, path: &str, fields: &[(&str, &str)]) {
        let answer = self.cached.post_form(path, fields, Some(&self.editor)).await;
        assert!(
            answer.status.is_redirection() && support::flash_cookie(&answer.headers).is_none(),
            "{path}: {} {}",
            answer.status,
            answer.text()
        );
    }

    async fn version_of_x(&self) -> String {
        self.cached.version_of(&self.x).await.to_string()
    }

    async fn change_xs_status(&self, status: &str) {
        self.change_xs_status_noting(status, "Negotiators met in Seoul.").await;
    }

    async fn change_xs_status_noting(&self, status: &str, note: &str) {
        let version = self.version_of_x().await;
        let source = self.cached.source_id.to_string();
        self.post(
            "/api/update_status",
            &[
                ("slug", self.x.as_str()),
                ("version", &version),
                // Both parties: the overall status, which lists count and
                // filter by, changes too.
                ("party", "all"),
                ("status", status),
                ("effective_on", "2026-03-01"),
                ("note", note),
                ("source_ids[]", &source),
            ],
        )
        .await;
    }

    /// Warms every URL, makes `write` (to X only), and checks at once that
    /// every URL showing X is current and every other page is still kept.
    /// Returns the pages showing X as they were before and after.
    async fn check_write_to_x<F: std::future::Future<Output = ()>>(
        &self,
        round: &str,
        write: impl FnOnce() -> F,
    ) -> Vec<(String, Answer, Answer)> {
        let warmed = self.warm().await;
        let mark = format!("Retitled out of band ({round})");
        self.retitle_others_behind_the_sites_back(&mark).await;
        write().await;
        let not_showing = self.not_showing_x();
        let mut showing = Vec::new();
        for (url, before) in warmed {
            if not_showing.contains(&url) {
                self.assert_kept(&url, &before, &mark).await;
            } else {
                let after = self.assert_current(&url).await;
                showing.push((url, before, after));
            }
        }
        showing
    }

    /// That the write changed what the page at `url` shows (so that
    /// "current" was not simply "unchanged").
    fn assert_changed(showing: &[(String, Answer, Answer)], url: &str) {
        let (_, before, after) = showing.iter().find(|(u, _, _)| u == url).unwrap();
        assert!(before.body != after.body, "{url} shows the write");
    }
}

both_engines!(a_status_change_makes_current_what_shows_the_commitment_and_keeps_every_other_page);
async fn a_status_change_makes_current_what_shows_the_commitment_and_keeps_every_other_page(db: store::Db) {
    let sites = sites(db).await;
    let showing = sites
        .check_write_to_x("status", || sites.change_xs_status("in_progress"))
        .await;
    let x = &sites.x;
    for url in [
        format!("/commitments/{x}"),
        format!("/ko/commitments/{x}"),
        format!("/zh/commitments/{x}/history"),
        "/".to_owned(),
        "/?status=in_progress".to_owned(),
        format!("/?summit={SEEDED_SUMMIT}"),
        format!("/summits/{SEEDED_SUMMIT}"),
        "/summits".to_owned(),
        "/feed.atom".to_owned(),
        format!("/commitments/{x}/feed.atom"),
        format!("/commitments/{x}/badge.svg"),
        "/export/commitments.csv".to_owned(),
        format!("/api/v1/commitments/{x}"),
    ] {
        Sites::assert_changed(&showing, &url);
    }
}

both_engines!(a_source_added_to_a_commitment_makes_its_pages_current_and_keeps_the_others);
async fn a_source_added_to_a_commitment_makes_its_pages_current_and_keeps_the_others(db: store::Db) {
    let sites = sites(db).await;
    let showing = sites
        .check_write_to_x("source", || async {
            let version = sites.version_of_x().await;
            sites
                .post(
                    "/api/change_source",
                    &[
                        ("slug", sites.x.as_str()),
                        ("version", &version),
                        ("action", "add"),
                        ("source_publisher", "Yonhap"),
                        ("source_title", "Ferry talks resume"),
                        ("source_published_on", "2026-02-01"),
                        ("source_url", "https://example.org/ferry-talks"),
                        ("source_quote", "Officials met."),
                        ("source_kind", "media_report"),
                    ],
                )
                .await;
        })
        .await;
    Sites::assert_changed(&showing, &format!("/commitments/{}", sites.x));
    Sites::assert_changed(&showing, &format!("/zh/commitments/{}/history", sites.x));
}

both_engines!(a_revert_makes_current_what_shows_the_commitment_and_keeps_every_other_page);
async fn a_revert_makes_current_what_shows_the_commitment_and_keeps_every_other_page(db: store::Db) {
    let sites = sites(db).await;
    sites.change_xs_status("in_progress").await;
    let showing = sites
        .check_write_to_x("revert", || async {
            let version = sites.version_of_x().await;
            sites
                .post(
                    "/api/revert_commitment",
                    &[("slug", sites.x.as_str()), ("to_version", "1"), ("version", &version)],
                )
                .await;
        })
        .await;
    Sites::assert_changed(&showing, &format!("/commitments/{}", sites.x));
    Sites::assert_changed(&showing, "/corrections");
    Sites::assert_changed(&showing, &format!("/summits/{SEEDED_SUMMIT}"));
    Sites::assert_changed(&showing, "/?status=in_progress");
}

both_engines!(a_translation_makes_current_what_shows_the_commitment_and_keeps_every_other_page);
async fn a_translation_makes_current_what_shows_the_commitment_and_keeps_every_other_page(db: store::Db) {
    let sites = sites(db).await;
    let showing = sites
        .check_write_to_x("translation", || async {
            let version = sites.version_of_x().await;
            sites
                .post(
                    "/api/save_translation",
                    &[
                        ("slug", sites.x.as_str()),
                        ("version", &version),
                        ("language", "ko"),
                        ("title", "편집자가 고친 제목"),
                        ("summary", "편집자가 고친 요약."),
                    ],
                )
                .await;
        })
        .await;
    Sites::assert_changed(&showing, &format!("/ko/commitments/{}", sites.x));
    Sites::assert_changed(&showing, "/ko");
}

both_engines!(a_write_of_a_summit_makes_every_page_current);
/// A write whose reach is site-wide (here the translations of the other
/// summit's and its parties' names, as `accord-dev` or a start-up stores
/// them) makes every kept page stale, the other commitments' too.
async fn a_write_of_a_summit_makes_every_page_current(db: store::Db) {
    let sites = sites(db).await;
    let warmed = sites.warm().await;
    let mark = "Retitled out of band (summit)";
    sites.retitle_others_behind_the_sites_back(mark).await;
    let translations = server::seed::parse_translations(FIXTURE_TRANSLATIONS).unwrap();
    let summit = domain::Slug::parse(OTHER_SUMMIT).unwrap();
    assert!(
        store::seed::insert_translations(&sites.cached.db, &summit, &translations, chrono::Utc::now())
            .await
            .unwrap()
    );
    for (url, _) in &warmed {
        let page = sites.assert_current(url).await;
        // In English (the other languages show the translated title).
        let permalink_of = |slug: &str| url.starts_with(&format!("/commitments/{slug}"));
        if permalink_of(&sites.y) || permalink_of(&sites.neighbour) {
            assert!(page.text().contains(mark), "{url} was rendered again");
        }
    }
}

both_engines!(a_save_renders_again_the_pages_readers_are_on_before_it_is_answered);
/// Issue 17, point 2: the kept pages readers are on are rendered again
/// before an editor's save is answered, so the readers who come after it
/// are served them from memory instead of waiting for a render; a kept page
/// nobody has read since it was kept waits for its next reader. Titles
/// changed behind the site's back after the save tell the two apart: a
/// page rendered before they changed does not show them.
async fn a_save_renders_again_the_pages_readers_are_on_before_it_is_answered(db: store::Db) {
    let sites = sites(db).await;
    // Each shows X's overall status; `/` also its neighbour's title.
    let read = ["/".to_owned(), "/ko".to_owned(), format!("/zh/summits/{SEEDED_SUMMIT}")];
    let unread = [format!("/?summit={SEEDED_SUMMIT}"), format!("/summits/{SEEDED_SUMMIT}")];
    for url in read.iter().chain(&unread) {
        sites.get(url).await;
    }
    for url in &read {
        sites.get(url).await;
    }
    sites.change_xs_status("in_progress").await;
    let mut as_saved = Vec::new();
    for url in &read {
        let fresh = support::respond(&sites.uncached, Request::get(url).body(Body::empty()).unwrap()).await;
        assert_eq!(fresh.status, StatusCode::OK, "{url} uncached");
        as_saved.push(as_kept(&fresh));
    }
    let mark = "Retitled after the save";
    sites.retitle_others_behind_the_sites_back(mark).await;
    let now = support::respond(&sites.uncached, Request::get("/").body(Body::empty()).unwrap()).await;
    assert!(now.text().contains(mark), "a render after the retitling shows it");
    for (url, saved) in read.iter().zip(&as_saved) {
        let served = sites.get(url).await;
        assert!(
            served.body[..] == saved[..],
            "{url} is not the page rendered between the save and its answer, {}",
            first_difference(&served.body, saved)
        );
        assert!(
            sites.cached.get(url, None).await.body == served.body,
            "{url} stays kept"
        );
    }
    for url in &unread {
        let served = sites.assert_current(url).await;
        assert!(
            served.text().contains(mark),
            "{url}, kept but not read, is rendered for its next reader"
        );
    }
}

/// The latest round a page shows, by the notes `Round N of the race.`.
fn latest_round(page: &str) -> u64 {
    page.match_indices("Round ")
        .filter_map(|(at, _)| {
            let rest = &page[at + "Round ".len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            rest[digits.len()..]
                .starts_with(" of the race")
                .then(|| digits.parse().ok())?
        })
        .max()
        .unwrap_or(0)
}

both_engines!(readers_racing_an_editor_never_get_a_page_older_than_an_acknowledged_write);
/// Issue 17, point 1: no reader ever gets a page older than a write it
/// could have seen. Readers keep asking for X's permalink, in several
/// languages, while an editor changes X's status round after round; each
/// reader notes the last round acknowledged before it asks, and the page
/// it gets must show that round or a later one. (Before, a reader who came
/// while another reader's render of the page was under way was served the
/// copy kept before the write.)
async fn readers_racing_an_editor_never_get_a_page_older_than_an_acknowledged_write(db: store::Db) {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::Arc;
    let sites = sites(db).await;
    let acknowledged = Arc::new(AtomicU64::new(0));
    let writing = Arc::new(AtomicBool::new(true));
    let readers: Vec<_> = ["", "", "/ko", "/zh"]
        .into_iter()
        .map(|language| {
            let app = sites.cached.app.clone();
            let url = format!("{language}/commitments/{}", sites.x);
            let (acknowledged, writing) = (acknowledged.clone(), writing.clone());
            tokio::spawn(async move {
                let mut reads = 0;
                while writing.load(Ordering::SeqCst) {
                    let could_have_seen = acknowledged.load(Ordering::SeqCst);
                    let answer = support::respond(&app, Request::get(&url).body(Body::empty()).unwrap()).await;
                    assert_eq!(answer.status, StatusCode::OK, "{url}");
                    let shown = latest_round(&answer.text());
                    assert!(
                        shown >= could_have_seen,
                        "{url}: round {shown} served after round {could_have_seen} was acknowledged"
                    );
                    reads += 1;
                    // A kept page is answered without a pause: let the
                    // editor's task run between reads.
                    tokio::task::yield_now().await;
                }
                reads
            })
        })
        .collect();
    for round in 1..=12u64 {
        let status = if round % 2 == 1 { "in_progress" } else { "stalled" };
        sites
            .change_xs_status_noting(status, &format!("Round {round} of the race."))
            .await;
        acknowledged.store(round, Ordering::SeqCst);
        tokio::task::yield_now().await;
    }
    writing.store(false, Ordering::SeqCst);
    let mut reads = 0;
    for reader in readers {
        reads += reader.await.unwrap();
    }
    assert!(reads >= 12, "the readers raced the writes ({reads} reads)");
    let last = sites.get(&format!("/commitments/{}", sites.x)).await;
    assert_eq!(latest_round(&last.text()), 12, "the permalink shows the notes");
}

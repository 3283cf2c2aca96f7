//! An in-memory cache of rendered pages for readers who are not signed in.
//!
//! Reads vastly outnumber writes, and every anonymous reader of a URL gets
//! the same HTML, so a page is rendered once and then served from memory
//! until something it shows changes. What changes pages is a committed
//! write of the data readers see (and only that: a sign-in, a sign-out, a
//! refused form, a preflight change nothing), and the store says what each
//! write changed (`store::data_changes`): a commitment and its summit, or
//! everything. A page is kept with what it [`Shows`], worked out from its
//! canonical view (`shows`, every language alike): one commitment's
//! permalink, history or edit page shows that commitment; a summit's page
//! and a list filtered to one summit (`/summits/S…`, `/?summit=S…`) show
//! that summit's commitments; every other page (the front page and its
//! other filters, `/summits`, `/corrections`…) may show any commitment. So
//! a status change on commitment X makes X's pages, its summit's views and
//! every cross-summit list stale, and leaves other commitments' pages and
//! other summits' views as they are kept. A page is dated by the store's
//! step read *before* it is rendered, so a write that lands during the
//! render leaves it stale. A time limit bounds staleness from anything else
//! (the date on the page).
//!
//! A page is kept by its canonical view: the path and only the query
//! parameters that page reads, in a fixed order (`canonical_view`), and it
//! is rendered from exactly that URL, with no `Cookie` header at all, so a
//! kept page is anonymous by construction and tracking parameters neither
//! make new entries nor reach the page. Requests carrying the session
//! cookie, as the session layer's own cookie parser reads it, are never
//! served from memory. Entries are evicted least recently used first.
//!
//! No reader gets a page older than a write acknowledged before the reader
//! asked: a reader notes, on arrival, the step of the latest published
//! write to what the page shows (a write is published when the request
//! that made it is answered, `acknowledge_writes`), and is served a kept
//! page only if it was rendered at that step or later. Otherwise the reader waits for a render of the page
//! that began at or after that step, shared with every other reader of the
//! page: one render of a page runs at a time (a *flight*); a reader who
//! arrives while it runs and whom it serves (nothing the page shows was
//! written after it began) waits for it; one whom it does not serve (a
//! write landed after it began) waits for it to end and then for the next
//! render, begun after that write, which every such reader shares. So a
//! page costs at most one render at a time, however many readers and
//! writes arrive, and a saved edit is on every page that shows it for the
//! very next reader (and always for editors, whose pages are never kept).
//! A page that could not be kept (too large, an error) is rendered by each
//! of its waiting readers on their own, as if it had never been asked for.
//!
//! A kept page is fixed bytes, so that serving it costs no work per
//! request. A rendered page's CSP allows its scripts by a nonce, which must
//! not repeat; when the page is kept, the nonce is taken out of it and the
//! policy lists the SHA-256 hash of each inline script that carried the
//! nonce instead (as strong a guard: only scripts with exactly that text
//! run). Fixed bytes also give the page an `ETag` (a reader who has it gets
//! `304 Not Modified`) and let it be compressed once per version, not once
//! per response.

mod counted_threads;
mod kept_page;
#[cfg(test)]
mod tests;
mod write_runtime;
pub mod write_turns;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::Response;
use bytes::BytesMut;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

use kept_page::CachedPage;
use store::Shows;

/// Pages larger than this are not kept (a list page is tens of KB).
pub(super) const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// All kept pages together stay below this; beyond it the least recently
/// used pages are dropped (so memory stays flat however the pages grow).
const MAX_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// Kept pages may be stored by any cache but must be revalidated on every
/// use (answered with a cheap 304 while unchanged): a tracker's page is
/// only as good as its latest status. A signed-in editor's page differs
/// from a reader's, hence `Cookie` in `Vary`.
pub(super) const PAGE_CACHE_CONTROL: &str = "no-cache";
pub(super) const PAGE_VARY: &str = "accept-encoding, cookie";

pub struct PageCache {
    ttl: Duration,
    /// What each committed write changed (the store's
    /// `Db::data_changes`): a page is stale once something it shows was
    /// written after the step it was rendered at.
    changes: store::DataChanges,
    entries: Mutex<Entries>,
    /// The render of each page under way, by key (at most one a page).
    flights: Mutex<HashMap<String, Flight>>,
    /// Tells flights apart, so that a render that ends removes its own
    /// flight and never a later one.
    flights_begun: AtomicU64,
    /// Pages served from memory, for the tests (the write turns keep the
    /// time of the last one, `WriteTurns::reader_answered`).
    #[cfg(test)]
    hits: AtomicU64,
    /// Turns to render a page that is not kept (or stale): a stream of
    /// distinct views (every search is one) costs at most this many renders
    /// at a time; beyond them a reader waits `render_wait` for a turn and
    /// is then answered 503 with `Retry-After`.
    render_turns: Arc<tokio::sync::Semaphore>,
    render_wait: Duration,
    /// Editors' writes take turns while readers are answered.
    write_turns: write_turns::WriteTurns,
    /// Where editors' writes run, so that their turns are charged every
    /// task they spawn; `None` runs them where they arrive (the tests',
    /// whose turns count only the requests' own threads).
    write_runtime: Option<write_runtime::WriteRuntime>,
}

/// How long a reader whose page must be rendered waits for a turn.
const RENDER_WAIT: Duration = Duration::from_secs(2);

/// At most this many kept pages are rendered again before a write is
/// acknowledged (see `PageCache::refresh`): the front page, the changed
/// commitment's permalink, its summit's page and a few lists readers are on.
const REFRESH_PAGES: usize = 6;

/// An editor's write is acknowledged after at most this long refreshing
/// pages; what is not refreshed by then waits for its next reader.
const REFRESH_WAIT: Duration = Duration::from_millis(500);

/// Kept pages in two pools, each least recently used first out: views
/// without a query (the front page, each commitment, summit and history
/// page: a bounded set, the pages shared links point to) and views with one
/// (searches, filters, pages of a list: as many as anyone cares to type).
/// A stream of made-up searches then evicts only other queried views, never
/// the pages most readers ask for.
struct Entries {
    plain: Pool,
    queried: Pool,
}

struct Pool {
    pages: lru::LruCache<String, Arc<CachedPage>>,
    /// The bodies' total size.
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

impl Pool {
    fn new(max_entries: usize, max_bytes: usize) -> Pool {
        Pool {
            pages: lru::LruCache::unbounded(),
            bytes: 0,
            max_entries: max_entries.max(1),
            max_bytes,
        }
    }

    fn put(&mut self, key: String, page: Arc<CachedPage>) {
        let size = page.size();
        if let Some(replaced) = self.pages.put(key, page) {
            self.bytes -= replaced.size();
        }
        self.bytes += size;
        while self.pages.len() > self.max_entries || self.bytes > self.max_bytes {
            match self.pages.pop_lru() {
                Some((_, evicted)) => self.bytes -= evicted.size(),
                None => break,
            }
        }
    }
}

impl Entries {
    fn pool(&mut self, key: &str) -> &mut Pool {
        if key.contains('?') {
            &mut self.queried
        } else {
            &mut self.plain
        }
    }
}

/// The share of the entries and bytes that views with a query may hold.
const QUERIED_SHARE: usize = 4;

enum Lookup {
    /// Kept, and rendered after every write to what it shows that was
    /// committed before the reader asked.
    Serve(Arc<CachedPage>),
    /// Render it: missing or stale, and no render under way serves this
    /// reader. The render is the page's flight while `Render` lives, or,
    /// for a page that could not be kept, the reader's own.
    Render(Render),
}

/// How a page's render ended, as the readers waiting for it learn it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Landing {
    /// Still rendering (or, once the flight is gone, cancelled: the reader
    /// looks again).
    Rendering,
    /// The page is kept: the readers are served it.
    Kept,
    /// The page could not be kept: each reader renders it for itself.
    NotKept,
}

/// A page's render under way, and how waiting readers learn that it ended.
struct Flight {
    id: u64,
    landing: watch::Receiver<Landing>,
}

/// A render a reader was sent to make, dated by the store's step read
/// before it began.
struct Render {
    rendered_at: u64,
    flight: Option<OwnFlight>,
}

/// The flight a reader renders for the others: it ends (and is taken out
/// of the flights) however the render ends, stored, not kept, failed or
/// cancelled.
struct OwnFlight {
    flights: Arc<PageCache>,
    key: String,
    id: u64,
    landing: watch::Sender<Landing>,
}

impl Render {
    /// Ends the flight and tells the readers waiting for it how the render
    /// ended.
    fn land(&mut self, kept: bool) {
        if let Some(flight) = self.flight.take() {
            // Out of the flights first: a reader woken by the landing who
            // still needs a newer render begins it rather than waiting for
            // this one again.
            flight.leave();
            flight
                .landing
                .send_replace(if kept { Landing::Kept } else { Landing::NotKept });
        }
    }
}

impl OwnFlight {
    fn leave(&self) {
        let mut flights = self.flights.flights();
        if flights.get(&self.key).is_some_and(|flight| flight.id == self.id) {
            flights.remove(&self.key);
        }
    }
}

impl Drop for OwnFlight {
    fn drop(&mut self) {
        // Cancelled (the reader went away) or landed: either way no longer
        // under way. Dropping the sender then wakes whoever still waits,
        // to look again.
        self.leave();
    }
}

/// How a cache's renders and editors' writes take turns.
struct Turns {
    renders: usize,
    render_wait: Duration,
    write_turns: write_turns::WriteTurns,
    write_runtime: Option<write_runtime::WriteRuntime>,
}

impl PageCache {
    /// A cache keeping pages for `ttl`, whose editors' writes have
    /// `write_share` of the time while readers are answered (see
    /// `write_turns`).
    pub fn new(ttl: Duration, max_entries: usize, changes: store::DataChanges, write_share: f64) -> Arc<PageCache> {
        // Rendering is CPU work: a few per core keep every core busy while
        // pages wait on the database.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let renders = 4 * cores;
        let write_turns = write_turns::WriteTurns::with_counted_threads(write_share);
        let write_runtime = write_runtime::WriteRuntime::new(cores)
            .inspect_err(|e| {
                tracing::warn!(error = %e, "no runtime of their own for editors' writes: they run where they arrive")
            })
            .ok();
        let turns = Turns {
            renders,
            render_wait: RENDER_WAIT,
            write_turns,
            write_runtime,
        };
        PageCache::with_turns(ttl, max_entries, changes, turns)
    }

    /// `new` with `renders` turns to render, readers waiting at most
    /// `render_wait` for one, and the editors' `write_turns`, their writes
    /// run where they arrive (the tests': their turns count only their
    /// requests' own CPU, not the threads other tests in the process keep
    /// busy).
    #[cfg(test)]
    fn with_render_turns(
        ttl: Duration,
        max_entries: usize,
        changes: store::DataChanges,
        write_turns: write_turns::WriteTurns,
        renders: usize,
        render_wait: Duration,
    ) -> Arc<PageCache> {
        let turns = Turns {
            renders,
            render_wait,
            write_turns,
            write_runtime: None,
        };
        PageCache::with_turns(ttl, max_entries, changes, turns)
    }

    fn with_turns(ttl: Duration, max_entries: usize, changes: store::DataChanges, turns: Turns) -> Arc<PageCache> {
        Arc::new(PageCache {
            ttl,
            changes,
            entries: Mutex::new(Entries {
                plain: Pool::new(max_entries, MAX_CACHE_BYTES),
                queried: Pool::new(max_entries / QUERIED_SHARE, MAX_CACHE_BYTES / QUERIED_SHARE),
            }),
            flights: Mutex::new(HashMap::new()),
            flights_begun: AtomicU64::new(0),
            #[cfg(test)]
            hits: AtomicU64::new(0),
            render_turns: Arc::new(tokio::sync::Semaphore::new(turns.renders.max(1))),
            render_wait: turns.render_wait,
            write_turns: turns.write_turns,
            write_runtime: turns.write_runtime,
        })
    }

    /// How many requests were answered from memory.
    #[cfg(test)]
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        // Every change to the entries is a whole insert or removal: a panic
        // elsewhere cannot leave them half-changed, so keep using them.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn flights(&self) -> std::sync::MutexGuard<'_, HashMap<String, Flight>> {
        // As with the entries: every change is a whole insert or removal.
        self.flights.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether `page` serves a reader who needs a render at step `needed`
    /// or later.
    fn serves(&self, page: &CachedPage, needed: u64) -> bool {
        page.rendered_at >= needed && page.stored_at.elapsed() <= self.ttl
    }

    /// The kept page at `key` if it serves a reader who needs a render at
    /// step `needed` or later.
    fn kept(&self, key: &str, needed: u64) -> Option<Arc<CachedPage>> {
        let page = self.entries().pool(key).pages.get(key).cloned()?;
        self.serves(&page, needed).then_some(page)
    }

    /// The kept page at `key` if it is current for a reader who asks now
    /// (rendered after every published write to what it shows), counted
    /// as served. The common case: two short locks.
    fn current(&self, key: &str) -> Option<Arc<CachedPage>> {
        let page = self.entries().pool(key).pages.get(key).cloned()?;
        let needed = self.changes.last_change(&page.shows);
        self.serves(&page, needed).then(|| {
            self.count_served(&page);
            page
        })
    }

    fn count_served(&self, page: &CachedPage) {
        #[cfg(test)]
        self.hits.fetch_add(1, Ordering::Relaxed);
        self.write_turns.reader_answered();
        page.note_served();
    }

    /// What a reader of `key` who asks now is served: the kept page, or a
    /// render (after waiting, if one is under way, for it to end).
    async fn lookup(self: &Arc<Self>, key: &str) -> Lookup {
        if let Some(page) = self.current(key) {
            return Lookup::Serve(page);
        }
        let found = self.kept_or_render(key, self.changes.last_change(&shows(key))).await;
        if let Lookup::Serve(page) = &found {
            self.count_served(page);
        }
        found
    }

    /// The page at `key` kept at step `needed` or later, or the render
    /// that will keep it (after waiting, if one is under way, for it to
    /// end).
    async fn kept_or_render(self: &Arc<Self>, key: &str, needed: u64) -> Lookup {
        loop {
            let mut landing = {
                let mut flights = self.flights();
                // A flight may have just stored the page.
                if let Some(page) = self.kept(key, needed) {
                    return Lookup::Serve(page);
                }
                match flights.get(key) {
                    // Under way: whether or not it began after `needed`,
                    // wait for it (if it began too early, the render this
                    // reader needs begins once it ends, not beside it).
                    Some(flight) => flight.landing.clone(),
                    None => {
                        let id = self.flights_begun.fetch_add(1, Ordering::Relaxed);
                        // Read before the render: a write committed after
                        // this makes the page stale even if the render saw
                        // it, and every write before it is in the render.
                        let begun_at = self.changes.step();
                        let (sender, receiver) = watch::channel(Landing::Rendering);
                        flights.insert(key.to_owned(), Flight { id, landing: receiver });
                        return Lookup::Render(Render {
                            rendered_at: begun_at,
                            flight: Some(OwnFlight {
                                flights: self.clone(),
                                key: key.to_owned(),
                                id,
                                landing: sender,
                            }),
                        });
                    }
                }
            };
            // Ends when the render lands or its flight is dropped.
            let landed = match landing.wait_for(|landing| *landing != Landing::Rendering).await {
                Ok(landing) => *landing,
                Err(_) => Landing::Rendering,
            };
            if landed == Landing::NotKept {
                return Lookup::Render(Render {
                    rendered_at: self.changes.step(),
                    flight: None,
                });
            }
        }
    }

    /// Renders again, before a request's writes are acknowledged, the
    /// kept pages they made stale that readers are reading: those served
    /// since they were kept, at most `REFRESH_PAGES`, views without a query
    /// first, each pool's most recently used first. Each page is rendered
    /// from the step of the latest unpublished write it shows: a page
    /// already rendered at that step, or being rendered by a flight that
    /// began after it, costs nothing more; any other stale page waits for
    /// its next reader.
    async fn refresh(self: &Arc<Self>, render_with: &Next, unpublished: &store::Unpublished) {
        let keys: Vec<(String, u64)> = {
            let entries = self.entries();
            [&entries.plain, &entries.queried]
                .into_iter()
                .flat_map(|pool| pool.pages.iter())
                .filter(|(_, page)| page.served.load(Ordering::Relaxed) && page.stored_at.elapsed() <= self.ttl)
                .filter_map(|(key, page)| {
                    let needed = unpublished.reaching(&page.shows)?;
                    (page.rendered_at < needed).then(|| (key.clone(), needed))
                })
                .take(REFRESH_PAGES)
                .collect()
        };
        for (key, needed) in keys {
            let Lookup::Render(mut render) = self.kept_or_render(&key, needed).await else {
                continue;
            };
            // A page that could not be kept is not worth a render nobody
            // waits for.
            if render.flight.is_none() {
                continue;
            }
            let Ok(uri) = key.parse::<Uri>() else {
                render.land(false);
                continue;
            };
            let mut request = Request::new(Body::empty());
            *request.uri_mut() = uri;
            let Some(_turn) = crate::cost_limits::turn_within(&self.render_turns, self.render_wait).await else {
                render.land(false);
                return;
            };
            let response = render_with.clone().run(request).await;
            keep(self, key, &mut render, response, &HeaderMap::new()).await;
        }
    }

    /// Keeps a page rendered after the store's step `rendered_at` (read
    /// before the render began); returns it as kept, or `None` if it cannot
    /// be kept (see `CachedPage::new`).
    fn store(&self, key: String, rendered_at: u64, headers: HeaderMap, body: Bytes) -> Option<Arc<CachedPage>> {
        let page = Arc::new(CachedPage::new(rendered_at, shows(&key), headers, body)?);
        // A render that began before a write is kept, but already stale:
        // readers who arrive after that write are not served it.
        self.entries().pool(&key).put(key, page.clone());
        Some(page)
    }
}

/// Whether the request carries the session cookie as the session layer
/// reads it: tower-cookies (under tower-sessions) reads every `Cookie`
/// header as UTF-8, splits it at `;` and parses each piece with
/// `cookie::Cookie::parse_encoded` (names and values trimmed and
/// percent-decoded). The same parser here, so no form of the header that
/// signs an editor in is taken for a reader's. (A reader's page is rendered
/// with every `Cookie` header removed besides, so even a form this missed
/// could not put an editor's page in the cache.)
fn has_session(headers: &HeaderMap, cookie_name: &str) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| std::str::from_utf8(v.as_bytes()).ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|piece| tower_sessions::cookie::Cookie::parse_encoded(piece).ok())
        .any(|cookie| cookie.name() == cookie_name)
}

/// Whether a GET of `path` may answer with a page (HTML for people): not
/// the API, the bundle, the health check, or a file such as a feed, a CSV,
/// a badge or an image (those end in an extension, which no page does).
fn is_page_path(path: &str) -> bool {
    // `/ko/api/…` is the API, as `language::split_language` will route it.
    let path = domain::Locale::split_path(path).1;
    let last_segment = path.rsplit('/').next().unwrap_or("");
    // `/oembed` answers JSON for the address in its query, which a kept
    // page's canonical view would drop.
    !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && path != "/healthz"
        && path != crate::oembed::OEMBED_PATH
        && !last_segment.contains('.')
}

/// Whether a GET of `path` is answered by a route of its own (the API, the
/// bundle, the health check, a feed, the export, a card or badge) rather
/// than by Leptos. Anything else, dotted or not (`/commitments/a.b`,
/// `/foo.x`), reaches Leptos as a page or its 404 page and so takes a
/// render turn: deciding by a dot let a rush of dotted paths render
/// without any bound.
fn is_served_without_rendering(path: &str) -> bool {
    let path = domain::Locale::split_path(path).1;
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || matches!(
            segments.as_slice(),
            ["healthz"]
                | ["feed.atom"]
                | ["corrections.atom"]
                | ["export", "commitments.csv"]
                | ["robots.txt"]
                | ["sitemap.xml"]
                | ["sitemaps", _]
                | ["oembed"]
        )
        || matches!(
            segments.as_slice(),
            ["commitments", _, "feed.atom" | "card.png" | "badge.svg"]
        )
}

/// The query parameters Leptos carries a no-JavaScript form's error in:
/// a page showing one is one browser's, never kept or served from memory.
const FORM_ERROR_PARAMETERS: [&str; 2] = ["__err", "__path"];

/// The view a page request asks for, as the cache keys it and the page is
/// rendered from: the path and the query parameters that page reads, in
/// a fixed order (a list's filters as `ListQuery` writes them; `next` on
/// the sign-in page; `suggested` on a commitment's; `before` on a history
/// page). Anything else in the query (`utm_*`, `fbclid`…) is left out.
/// `None` when the request must not be kept: it carries a form's error, or
/// its list filters or history cursor are not valid (that page is a 400
/// saying so).
fn canonical_view(uri: &Uri) -> Option<String> {
    let path = uri.path();
    let query = uri.query().unwrap_or("");
    // Most readers ask with no query at all, and every page's view of no
    // parameters is its path (`canonical_query` of nothing is empty): the
    // kept-page fast path skips the parsing.
    if query.is_empty() {
        return Some(path.to_owned());
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    if pairs
        .iter()
        .any(|(name, _)| FORM_ERROR_PARAMETERS.contains(&name.as_str()))
    {
        return None;
    }
    let query = canonical_query(path, &pairs)?;
    Some(if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    })
}

/// The query of the canonical view of the page at `path` asked for with
/// `pairs` (see `canonical_view`); `None` when it must not be kept.
fn canonical_query(path: &str, pairs: &[(String, String)]) -> Option<String> {
    let page = domain::Locale::split_path(path).1;
    let segments: Vec<&str> = page.split('/').skip(1).collect();
    Some(match segments.as_slice() {
        [""] | ["summits", _] => domain::ListQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .ok()?
            .to_query_string(),
        ["login"] => only_parameters(pairs, "next"),
        // A page of a commitment's history: where it starts. A cursor that
        // is no version is a 400 saying so, never kept.
        ["commitments", _, "history"] => match pairs.iter().find(|(name, _)| name == domain::HISTORY_BEFORE_PARAM) {
            Some((_, value)) => format!(
                "{}={}",
                domain::HISTORY_BEFORE_PARAM,
                domain::parse_history_before(value)?
            ),
            None => String::new(),
        },
        // The page only asks whether `suggested` is there (to thank the
        // reader who just sent one): one view however it is spelt.
        ["commitments", _] if pairs.iter().any(|(name, _)| name == "suggested") => "suggested=1".to_owned(),
        _ => String::new(),
    })
}

/// What the page of a canonical view (see `canonical_view`) shows, which
/// decides the writes that make it stale. A commitment's pages (`/commitments/X`,
/// its history and edit page) show that commitment; a summit's page and a
/// list filtered to one summit show that summit's commitments; anything
/// else, and any view whose slug is not one as the store writes it (a
/// percent-encoded one, say, which the router may still read as the same
/// commitment), may show any commitment. Every page also shows what only
/// `Change::Everything` changes (parties, summits, their names).
fn shows(view: &str) -> Shows {
    let (path, query) = view.split_once('?').unwrap_or((view, ""));
    let page = domain::Locale::split_path(path).1;
    let segments: Vec<&str> = page.split('/').skip(1).collect();
    let slug = |text: &str| domain::Slug::parse(text).ok().map(|slug| slug.as_str().to_owned());
    let shown = match segments.as_slice() {
        ["commitments", commitment, ..] => slug(commitment).map(Shows::Commitment),
        ["summits", summit] => slug(summit).map(Shows::Summit),
        [""] => {
            let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
            domain::ListQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .ok()
                .and_then(|query| query.summit)
                .map(|summit| Shows::Summit(summit.as_str().to_owned()))
        }
        _ => None,
    };
    shown.unwrap_or(Shows::AnyCommitment)
}

/// The pairs named `name`, in their order, as a query string.
fn only_parameters(pairs: &[(String, String)], name: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().filter(|(key, _)| key == name))
        .finish()
}

/// `response` as the answer to a `HEAD`: the same status and headers, with
/// the length the body would have had, and no body.
fn without_body(response: Response) -> Response {
    let length = axum::body::HttpBody::size_hint(response.body()).exact();
    let (mut parts, _) = response.into_parts();
    if let Some(length) = length {
        parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    Response::from_parts(parts, Body::empty())
}

/// The middleware: serves anonymous GETs and HEADs of pages from the
/// cache, and keeps what it renders for them.
pub async fn serve_cached_pages(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return acknowledge_writes(&cache, request, next).await;
    }
    let page = is_page_path(request.uri().path());
    let cacheable = page && !has_session(request.headers(), crate::SESSION_COOKIE);
    let key = if cacheable { canonical_view(request.uri()) } else { None };
    let Some(key) = key else {
        let renders = !is_served_without_rendering(request.uri().path());
        if !page && !renders {
            return next.run(request).await;
        }
        // A page rendered for one response (a session cookie, real or
        // made up; a form's error) takes a turn to render like any other,
        // so sending a cookie is no way round the bound.
        let Some(_turn) = crate::cost_limits::turn_within(&cache.render_turns, cache.render_wait).await else {
            return busy();
        };
        return next.run(request).await;
    };
    let head = method == Method::HEAD;
    let mut render = match cache.lookup(&key).await {
        Lookup::Serve(page) => {
            let response = page.response(request.headers());
            return if head { without_body(response) } else { response };
        }
        Lookup::Render(render) => render,
    };
    let request_headers = request.headers().clone();
    let (mut parts, body) = request.into_parts();
    // The page is rendered for nobody in particular: from its canonical
    // URL, as a GET, with no cookie (so no session can be loaded for it,
    // whatever form its cookie header took), and uncompressed (it is kept
    // as identity bytes and compressed here, once per version).
    match key.parse::<Uri>() {
        Ok(uri) => parts.uri = uri,
        Err(_) => return next.run(Request::from_parts(parts, body)).await,
    }
    parts.method = Method::GET;
    parts.headers.remove(header::COOKIE);
    parts.headers.remove(header::ACCEPT_ENCODING);
    let request = Request::from_parts(parts, body);
    let Some(_turn) = crate::cost_limits::turn_within(&cache.render_turns, cache.render_wait).await else {
        // The readers waiting for this render would wait as long for a
        // turn: each tries for itself and is answered busy in turn.
        render.land(false);
        return busy();
    };
    let response = next.run(request).await;
    let response = keep(&cache, key, &mut render, response, &request_headers).await;
    if head {
        without_body(response)
    } else {
        response
    }
}

impl PageCache {
    /// The answer to `request` from memory, if it is a reader's GET or HEAD
    /// of a page kept and current, and carries no cookie at all; `None`
    /// sends it through the router as usual. The server's connection loop
    /// asks this first (`listener::serve_connections`), so that the pages
    /// most readers get cost no routing and no middleware: nothing those do
    /// concerns such a request (the flash and session layers read cookies;
    /// the other layers are inside the router, below this cache), and the
    /// answer is the one `serve_cached_pages` would give it.
    pub fn serve_kept<B>(&self, request: &axum::http::Request<B>) -> Option<Response> {
        let head = match *request.method() {
            Method::GET => false,
            Method::HEAD => true,
            _ => return None,
        };
        if request.headers().contains_key(header::COOKIE) || !is_page_path(request.uri().path()) {
            return None;
        }
        let page = self.current(&canonical_view(request.uri())?)?;
        let response = page.response(request.headers());
        Some(if head { without_body(response) } else { response })
    }
}

/// A request that may write (any method but GET and HEAD): its writes are
/// published to readers only when it is answered, and the kept pages they
/// made stale that readers are reading are rendered again first, so the
/// readers who come after the answer find them kept rather than all
/// waiting for a render (issue 17, point 2; see `store::data_changes`).
/// Readers who come before the answer may still get the page kept before
/// the write, which nobody has been told of yet.
async fn acknowledge_writes(cache: &Arc<PageCache>, request: Request, next: Next) -> Response {
    // A request with the session cookie (an editor's save, and whatever
    // else a browser holding the cookie posts, a stale or made-up one
    // included) takes its turn, held across the refresh of what it made
    // stale. A reader's suggestion and a sign-in come without the cookie
    // and are bounded by their own limits (a flood of cheap reads must not
    // starve the password checks).
    // The turn is charged the CPU time the write and its refresh spend,
    // run on the writes' own threads with every task they spawn.
    if has_session(request.headers(), crate::SESSION_COOKIE) {
        let mut turn = cache.write_turns.take().await;
        match &cache.write_runtime {
            Some(runtime) => {
                let cache_for_write = cache.clone();
                let write = async move { write_and_refresh(&cache_for_write, request, next).await };
                turn.run(runtime.run(write)).await
            }
            None => turn.run(write_and_refresh(cache, request, next)).await,
        }
    } else {
        write_and_refresh(cache, request, next).await
    }
}

/// Runs a request that may write, then renders again the kept pages its
/// writes made stale (see `acknowledge_writes`).
async fn write_and_refresh(cache: &Arc<PageCache>, request: Request, next: Next) -> Response {
    // Opened before the request runs, so that its writes are pending; it
    // publishes them when dropped, also if the request is cancelled.
    let mut acknowledgment = cache.changes.begin_acknowledgment();
    let render_with = next.clone();
    let response = next.run(request).await;
    // A refused request wrote nothing; others' writes are refreshed by
    // their own requests.
    let refused = response.status().is_client_error() || response.status().is_server_error();
    if let Some(unpublished) = acknowledgment.unpublished().filter(|_| !refused) {
        // Past the limit the refresh is dropped (its flight with it:
        // readers waiting for it look again) and the write published.
        let _ = tokio::time::timeout(REFRESH_WAIT, cache.refresh(&render_with, &unpublished)).await;
    }
    drop(acknowledgment);
    response
}

/// Every turn to render is taken: come back in a second.
fn busy() -> Response {
    let mut response = Response::new(Body::from(
        "The server is busy rendering pages; try again in a second.\n",
    ));
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// Keeps a freshly rendered page if it can be kept, and answers with it.
async fn keep(
    cache: &PageCache,
    key: String,
    render: &mut Render,
    response: Response,
    request_headers: &HeaderMap,
) -> Response {
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if response.status() != StatusCode::OK || !is_page || response.headers().contains_key(header::SET_COOKIE) {
        render.land(false);
        return response;
    }
    let (parts, body) = response.into_parts();
    // Read the page chunk by chunk: one too large to keep (a commitment
    // with thousands of updates) is passed on whole, not cut off.
    let mut stream = body.into_data_stream();
    let mut pieces: Vec<Bytes> = Vec::new();
    let mut size = 0;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => {
                size += chunk.len();
                pieces.push(chunk);
                if size > MAX_PAGE_BYTES {
                    render.land(false);
                    let read = futures_util::stream::iter(pieces.into_iter().map(Ok::<_, axum::Error>));
                    return Response::from_parts(parts, Body::from_stream(read.chain(stream)));
                }
            }
            Err(error) => {
                // The render failed mid-way and part of the page is gone:
                // answer with an error rather than half a page.
                tracing::error!(%error, "page cache: the page failed while it was read");
                render.land(false);
                let mut response = Response::new(Body::from("The page could not be produced; try again.\n"));
                *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                return response;
            }
        }
    }
    let mut whole = BytesMut::with_capacity(size);
    for piece in pieces {
        whole.extend_from_slice(&piece);
    }
    let bytes = whole.freeze();
    match cache.store(key, render.rendered_at, parts.headers.clone(), bytes.clone()) {
        // Every reader gets the page as kept, the first one too.
        Some(page) => {
            render.land(true);
            page.response(request_headers)
        }
        None => {
            render.land(false);
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}

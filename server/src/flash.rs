//! A form's refusal reaches the page only from the same browser's own post.
//!
//! Without JavaScript, a Leptos server function that fails answers a 303 to
//! the form's page with `__path=<action>&__err=<the error, base64 JSON>` in
//! the query, and the page shows that error and the field values it
//! carries. Anyone could write such a link: a message of their choosing on
//! our domain, fields filled in for the victim. So the error never travels
//! in the URL:
//!
//! - a POST under `/api/` answered with a redirect whose `Location` holds
//!   `__err` has `__path` and `__err` taken out of the `Location` and kept
//!   here, in memory, for one minute, under a random id; the browser gets
//!   only that id, in the cookie `accord_flash` (`__Host-accord_flash` on
//!   https, so no other host can plant one);
//! - every GET (and HEAD) has `__err` and `__path` removed from its query,
//!   so a crafted link shows nothing; when it carries the id of a flash
//!   kept for this very page, the flash is taken (it is shown once) and put
//!   back into the URI, where Leptos reads it, and the answer clears the
//!   cookie and is `Cache-Control: no-store`.
//!
//! Where it is kept: in this process's memory for a site on SQLite (one
//! process serves it), and in the database (`store::form_flashes`) for a
//! site on PostgreSQL, whose replicas share it: the replica that answers
//! the redirect is not always the one that refused the post.
//!
//! The error stays on the server, not in the cookie, because a refused form
//! carries what was typed: a long note (2,000 characters of Chinese is 6 KB
//! in UTF-8, twice base64-encoded) would make a cookie over the 4,096 bytes
//! browsers keep, and the form would come back empty without a word.
//!
//! This layer is the outermost, outside the page cache: the cache never
//! sees a crafted `__err`, and skips the requests this layer gives one.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http::header::{self, HeaderValue};
use http::{Method, Uri};
use url::Url;

/// The cookie a refusal's id travels in, from the post to the page, on a
/// site served over http; over https it is [`FLASH_COOKIE_HTTPS`].
pub const FLASH_COOKIE: &str = "accord_flash";
/// The same cookie on https: the `__Host-` prefix makes browsers refuse it
/// unless it is Secure, for this host only, with `Path=/`.
pub const FLASH_COOKIE_HTTPS: &str = "__Host-accord_flash";

/// The query parameters Leptos carries a no-JavaScript form's error in.
const CARRIED: [&str; 2] = ["__path", "__err"];

/// How long a flash is kept: the redirect is followed at once.
const FLASH_LIFETIME: Duration = Duration::from_secs(60);
/// At most this much refused input is held at once (the oldest flashes go
/// first), so a flood of refused posts costs bounded memory.
const MAX_HELD_BYTES: usize = 16 * 1024 * 1024;
const MAX_HELD: usize = 10_000;

/// The refusals waiting to be shown, by id; one store per site (in
/// `AppState`). Cloning shares it.
#[derive(Clone)]
pub struct Flash {
    store: Store,
    lifetime: Duration,
}

#[derive(Clone)]
enum Store {
    Memory(Arc<Mutex<Held>>),
    /// The site's database, on PostgreSQL: shared by its replicas.
    Database(store::Db),
}

#[derive(Default)]
struct Held {
    by_id: HashMap<String, Kept>,
    /// Ids oldest first, for expiry and eviction.
    order: VecDeque<String>,
    bytes: usize,
}

struct Kept {
    page: String,
    carried: String,
    kept_at: Instant,
}

impl Default for Flash {
    fn default() -> Flash {
        Flash::with_lifetime(FLASH_LIFETIME)
    }
}

impl Flash {
    /// A store in this process's memory whose flashes are shown only within
    /// `lifetime` of the post.
    pub fn with_lifetime(lifetime: Duration) -> Flash {
        Flash {
            store: Store::Memory(Arc::default()),
            lifetime,
        }
    }

    /// The store a site on `db` keeps its flashes in: the database when its
    /// replicas share one (PostgreSQL), else this process's memory.
    pub fn for_site(db: &store::Db) -> Flash {
        match db.postgres_pool() {
            Some(_) => Flash::in_database(db.clone(), FLASH_LIFETIME),
            None => Flash::default(),
        }
    }

    /// A store in `db` (either engine; a site on SQLite needs none).
    pub fn in_database(db: store::Db, lifetime: Duration) -> Flash {
        Flash {
            store: Store::Database(db),
            lifetime,
        }
    }

    fn held(held: &Mutex<Held>) -> MutexGuard<'_, Held> {
        // Each operation leaves the maps consistent: keep using them after
        // a panic elsewhere.
        held.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Keeps `carried` (the `__path=…&__err=…` query) for `page`; returns
    /// the id the browser is given, or `None` when the database could not
    /// keep it (logged; the form then comes back without its refusal, as
    /// a crafted link would).
    pub async fn keep(&self, page: &str, carried: &str) -> Option<String> {
        let mut id = [0u8; 24];
        getrandom::fill(&mut id).expect("the operating system's random source");
        let id = URL_SAFE_NO_PAD.encode(id);
        match &self.store {
            Store::Memory(held) => {
                let size = page.len() + carried.len();
                let mut held = Flash::held(held);
                held.forget_expired(self.lifetime);
                while !held.order.is_empty() && (held.order.len() >= MAX_HELD || held.bytes + size > MAX_HELD_BYTES) {
                    held.forget_oldest();
                }
                held.bytes += size;
                held.order.push_back(id.clone());
                held.by_id.insert(
                    id.clone(),
                    Kept {
                        page: page.to_owned(),
                        carried: carried.to_owned(),
                        kept_at: Instant::now(),
                    },
                );
                Some(id)
            }
            Store::Database(db) => {
                let now = unix_now();
                let expires_at = now + self.lifetime.as_secs() as i64;
                match store::form_flashes::keep(db, &id, page, carried, now, expires_at, MAX_HELD as i64).await {
                    Ok(()) => Some(id),
                    Err(error) => {
                        tracing::warn!(%error, "could not keep a form's refusal for its page");
                        None
                    }
                }
            }
        }
    }

    /// The flash kept under `id` for `page`, taken so it is shown once;
    /// `None` when there is none, it is for another page, or it is too old.
    async fn take(&self, id: &str, page: &str) -> Option<String> {
        match &self.store {
            Store::Memory(held) => {
                let mut held = Flash::held(held);
                held.forget_expired(self.lifetime);
                if held.by_id.get(id)?.page != page {
                    return None;
                }
                let kept = held.by_id.remove(id)?;
                held.bytes -= kept.page.len() + kept.carried.len();
                held.order.retain(|other| other != id);
                Some(kept.carried)
            }
            Store::Database(db) => match store::form_flashes::take(db, id, page, unix_now()).await {
                Ok(carried) => carried,
                Err(error) => {
                    tracing::warn!(%error, "could not read a form's refusal");
                    None
                }
            },
        }
    }

    /// What a browser holding `id` would be shown, without taking it (for
    /// tests that read a refusal as a script would have had it).
    pub async fn peek(&self, id: &str) -> Option<String> {
        match &self.store {
            Store::Memory(held) => Flash::held(held)
                .by_id
                .get(id)
                .filter(|kept| kept.kept_at.elapsed() <= self.lifetime)
                .map(|kept| kept.carried.clone()),
            Store::Database(db) => store::form_flashes::peek(db, id, unix_now()).await.ok().flatten(),
        }
    }
}

/// Now, in Unix seconds, as the database's flashes are dated.
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Held {
    fn forget_oldest(&mut self) {
        if let Some(id) = self.order.pop_front() {
            if let Some(kept) = self.by_id.remove(&id) {
                self.bytes -= kept.page.len() + kept.carried.len();
            }
        }
    }

    fn forget_expired(&mut self, lifetime: Duration) {
        while let Some(oldest) = self.order.front() {
            let expired = self
                .by_id
                .get(oldest)
                .is_none_or(|kept| kept.kept_at.elapsed() > lifetime);
            if !expired {
                break;
            }
            self.forget_oldest();
        }
    }
}

/// The layer's state: the site's flashes and how its cookie is set.
#[derive(Clone)]
pub struct FlashLayer {
    pub flashes: Flash,
    /// The site is served over https: the cookie is `Secure` and `__Host-`.
    pub secure: bool,
}

impl FlashLayer {
    fn cookie_name(&self) -> &'static str {
        if self.secure {
            FLASH_COOKIE_HTTPS
        } else {
            FLASH_COOKIE
        }
    }

    fn cookie(&self, value: &str, max_age: u64) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
            self.cookie_name()
        ))
        .expect("base64url and fixed text make a valid header")
    }
}

/// A URL as this layer compares and rebuilds it: relative ones resolved
/// against a placeholder origin, so a page's path is written one way.
fn parse(target: &str) -> Option<Url> {
    Url::parse("http://flash.invalid/").ok()?.join(target).ok()
}

/// The query without the carried parameters, and those parameters alone.
/// A query's name and value pairs, decoded.
type QueryPairs = Vec<(String, String)>;

fn split_query(url: &Url) -> (QueryPairs, QueryPairs) {
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .partition(|(k, _)| !CARRIED.contains(&k.as_str()))
}

fn encode(pairs: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The layer: see the module's documentation.
pub async fn carry_form_errors_in_a_cookie(
    State(flash): State<FlashLayer>,
    mut request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    if method == Method::GET || method == Method::HEAD {
        let shown = put_back_flash(&flash, &mut request).await;
        let mut response = next.run(request).await;
        if shown {
            let headers = response.headers_mut();
            headers.append(header::SET_COOKIE, flash.cookie("", 0));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        return response;
    }
    let is_form_post =
        method == Method::POST && domain::Locale::split_path(request.uri().path()).1.starts_with("/api/");
    let mut response = next.run(request).await;
    if is_form_post && response.status().is_redirection() {
        take_error_out_of_location(&flash, &mut response).await;
    }
    response
}

/// Removes `__err`/`__path` from a GET's query and, when the request
/// carries a good flash for its page, puts the flash's back. Returns
/// whether it did.
async fn put_back_flash(flash: &FlashLayer, request: &mut Request) -> bool {
    // Most GETs are readers' with neither a cookie nor a query that could
    // name `__err`/`__path` (even percent-encoded, which takes a `%`):
    // nothing to strip or put back, so no URL to parse on the hot path.
    let query_may_carry = request
        .uri()
        .query()
        .is_some_and(|q| q.contains('_') || q.contains('%'));
    if !query_may_carry && !request.headers().contains_key(header::COOKIE) {
        return false;
    }
    let Some(url) = parse(&request.uri().to_string()) else {
        return false;
    };
    let (kept, crafted) = split_query(&url);
    let ids: Vec<String> = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(tower_sessions::cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .filter(|c| c.name() == flash.cookie_name())
        .map(|c| c.value().to_owned())
        .collect();
    let mut carried = None;
    for id in ids {
        carried = flash.flashes.take(&id, url.path()).await;
        if carried.is_some() {
            break;
        }
    }
    if crafted.is_empty() && carried.is_none() {
        return false;
    }
    let mut query = encode(&kept);
    if let Some(carried) = &carried {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(carried);
    }
    let rebuilt = if query.is_empty() {
        url.path().to_owned()
    } else {
        format!("{}?{query}", url.path())
    };
    if let Ok(uri) = rebuilt.parse::<Uri>() {
        *request.uri_mut() = uri;
    }
    carried.is_some()
}

/// Moves `__path`/`__err` from a redirect's `Location` into a flash cookie
/// bound to the page the redirect goes to.
async fn take_error_out_of_location(flash: &FlashLayer, response: &mut Response) {
    let Some(location) = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()) else {
        return;
    };
    let absolute = Url::parse(location).is_ok();
    let Some(mut url) = parse(location) else { return };
    let (kept, carried) = split_query(&url);
    if !carried.iter().any(|(k, _)| k == "__err") {
        return;
    }
    let id = flash.flashes.keep(url.path(), &encode(&carried)).await;
    let query = encode(&kept);
    url.set_query((!query.is_empty()).then_some(query.as_str()));
    let cleaned = if absolute {
        url.to_string()
    } else {
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    };
    let headers = response.headers_mut();
    match HeaderValue::from_str(&cleaned) {
        Ok(value) => headers.insert(header::LOCATION, value),
        Err(_) => return,
    };
    if let Some(id) = id {
        headers.append(header::SET_COOKIE, flash.cookie(&id, FLASH_LIFETIME.as_secs()));
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes_held(flash: &Flash) -> usize {
        match &flash.store {
            Store::Memory(held) => Flash::held(held).bytes,
            Store::Database(_) => unreachable!("these tests keep flashes in memory"),
        }
    }

    #[tokio::test]
    async fn a_flash_is_shown_once_only_on_its_page_and_only_while_fresh() {
        let flash = Flash::default();
        let id = flash.keep("/login", "__path=%2Fapi%2Flogin&__err=e30").await.unwrap();
        assert_eq!(flash.take(&id, "/review").await, None, "another page");
        assert_eq!(Flash::default().take(&id, "/login").await, None, "another site's store");
        assert_eq!(flash.take("made-up", "/login").await, None, "an unknown id");
        assert_eq!(
            flash.take(&id, "/login").await.as_deref(),
            Some("__path=%2Fapi%2Flogin&__err=e30")
        );
        assert_eq!(flash.take(&id, "/login").await, None, "shown once");
        assert_eq!(bytes_held(&flash), 0);

        let stale = Flash::with_lifetime(Duration::ZERO);
        let id = stale.keep("/login", "__err=e30").await.unwrap();
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(stale.take(&id, "/login").await, None, "too old");
        let Store::Memory(held) = &stale.store else {
            unreachable!()
        };
        assert!(Flash::held(held).by_id.is_empty(), "and forgotten");
    }

    #[tokio::test]
    async fn a_crafted_carrier_is_dropped_however_it_is_spelt() {
        let layer = FlashLayer {
            flashes: Flash::default(),
            secure: false,
        };
        for uri in ["/login?__err=x", "/login?%5F%5Ferr=x", "/login?%5f_path=y&__err=z"] {
            let mut request = Request::get(uri).body(axum::body::Body::empty()).unwrap();
            assert!(!put_back_flash(&layer, &mut request).await, "{uri}");
            assert_eq!(request.uri().query(), None, "{uri}");
        }
        let mut plain = Request::get("/login?next=%2Freview")
            .body(axum::body::Body::empty())
            .unwrap();
        put_back_flash(&layer, &mut plain).await;
        assert_eq!(plain.uri().query(), Some("next=%2Freview"), "other parameters are kept");
    }

    #[tokio::test]
    async fn a_flood_of_refusals_holds_bounded_memory() {
        let flash = Flash::default();
        let big = "x".repeat(100_000);
        let first = flash.keep("/login", &big).await.unwrap();
        for _ in 0..400 {
            flash.keep("/login", &big).await;
        }
        let Store::Memory(held) = &flash.store else {
            unreachable!()
        };
        let held = Flash::held(held);
        assert!(held.bytes <= MAX_HELD_BYTES, "{} bytes held", held.bytes);
        assert!(!held.by_id.contains_key(&first), "the oldest went first");
        assert_eq!(held.by_id.len(), held.order.len());
    }
}

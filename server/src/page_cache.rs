//! An in-memory cache of rendered pages for readers who are not signed in.
//!
//! Reads vastly outnumber writes, and every anonymous reader of a URL gets
//! the same HTML, so a page is rendered once and then served from memory
//! until something changes. Every successful state-changing request
//! (anything but GET/HEAD answered below 400) marks every cached page
//! stale; a time limit bounds staleness from anything else (the date on the
//! page, writes by other processes).
//!
//! A stale page is re-rendered by the first reader who asks for it; readers
//! who arrive while that render runs get the stale copy instead of starting
//! renders of their own, and a page rendered less than `refresh_gap` (50 ms
//! in production) ago is not rendered again yet. So during an editors' rush
//! each page costs at most one render per gap, not one per reader or per
//! write, and an anonymous reader sees a saved edit no later than the gap
//! plus one render after it (editors, who have a session, always get a
//! fresh page).
//!
//! Each response still gets a fresh CSP nonce: the page is kept split at its
//! nonce, and the pieces are joined with a new one for every response, since
//! a nonce must not repeat.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use bytes::BytesMut;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Pages larger than this are not kept (a list page is tens of KB).
const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// All kept pages together stay below this; beyond it the cache starts
/// afresh (so memory stays flat however the pages grow).
const MAX_CACHE_BYTES: usize = 32 * 1024 * 1024;

pub struct PageCache {
    ttl: Duration,
    /// A page made stale by a write is not re-rendered until this long after
    /// its last render: during an editors' rush (hundreds of writes a
    /// second) each page is rendered at most this often, not back to back.
    refresh_gap: Duration,
    max_entries: usize,
    /// Bumped by every write; entries from an older generation are stale.
    generation: AtomicU64,
    entries: RwLock<Entries>,
    hits: AtomicU64,
}

#[derive(Default)]
struct Entries {
    pages: HashMap<String, Arc<CachedPage>>,
    /// The bodies' total size.
    bytes: usize,
}

struct CachedPage {
    generation: u64,
    stored_at: Instant,
    headers: HeaderMap,
    /// The body cut at each occurrence of its nonce (one piece if none).
    body: Vec<Bytes>,
    /// The CSP header cut at its nonce, when the page has one.
    policy: Option<(String, String)>,
    /// Set while one request renders a fresh copy of this page.
    refreshing: AtomicBool,
}

enum Lookup {
    /// Current, or stale while another request renders its replacement.
    Serve(Response),
    /// Missing, or stale and nobody is rendering it: render it, holding
    /// the guard so that others keep getting the stale copy meanwhile.
    Render(Option<RefreshGuard>),
}

/// Clears a page's `refreshing` flag however the render ends (stored, not
/// cacheable, failed or cancelled).
struct RefreshGuard(Arc<CachedPage>);

impl Drop for RefreshGuard {
    fn drop(&mut self) {
        self.0.refreshing.store(false, Ordering::Release);
    }
}

impl CachedPage {
    fn new(generation: u64, mut headers: HeaderMap, body: Bytes) -> CachedPage {
        headers.remove(header::CONTENT_LENGTH);
        let policy_text = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let nonce = policy_text.as_deref().and_then(|csp| {
            let start = csp.find("'nonce-")? + "'nonce-".len();
            let end = start + csp[start..].find('\'')?;
            Some((start, end))
        });
        let (body, policy) = match (nonce, policy_text) {
            (Some((start, end)), Some(csp)) if end > start => {
                let nonce = &csp[start..end];
                // Leptos writes the nonce in `nonce` attributes; a 128-bit
                // random value occurs nowhere else in the page.
                let mut pieces = Vec::new();
                let mut rest = 0;
                let html = &body[..];
                while let Some(found) = memchr::memmem::find(&html[rest..], nonce.as_bytes()) {
                    pieces.push(body.slice(rest..rest + found));
                    rest += found + nonce.len();
                }
                pieces.push(body.slice(rest..));
                (pieces, Some((csp[..start].to_owned(), csp[end..].to_owned())))
            }
            _ => (vec![body], None),
        };
        CachedPage {
            generation,
            stored_at: Instant::now(),
            headers,
            body,
            policy,
            refreshing: AtomicBool::new(false),
        }
    }

    fn size(&self) -> usize {
        self.body.iter().map(Bytes::len).sum()
    }

    /// The page as a response, with a nonce of its own.
    fn response(&self) -> Response {
        let mut headers = self.headers.clone();
        let body = match &self.policy {
            Some((before, after)) => {
                let nonce = leptos::nonce::Nonce::new().to_string();
                if let Ok(policy) = HeaderValue::from_str(&format!("{before}{nonce}{after}")) {
                    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
                }
                // The pieces go out as they are, the nonce between them:
                // nothing is copied (hyper writes them with one writev).
                let nonce = Bytes::from(nonce);
                let mut pieces = std::collections::VecDeque::with_capacity(self.body.len() * 2);
                for (i, piece) in self.body.iter().enumerate() {
                    if i > 0 {
                        pieces.push_back(nonce.clone());
                    }
                    pieces.push_back(piece.clone());
                }
                Body::new(Pieces::new(pieces))
            }
            None => Body::from(self.body.first().cloned().unwrap_or_default()),
        };
        let mut response = Response::new(body);
        *response.headers_mut() = headers;
        response
    }
}

/// A body made of shared pieces, sent one after the other, whose exact
/// length is known up front (so the response has a Content-Length).
struct Pieces {
    pieces: std::collections::VecDeque<Bytes>,
    remaining: u64,
}

impl Pieces {
    fn new(pieces: std::collections::VecDeque<Bytes>) -> Pieces {
        let remaining = pieces.iter().map(|p| p.len() as u64).sum();
        Pieces { pieces, remaining }
    }
}

impl http_body::Body for Pieces {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let next = self.pieces.pop_front();
        if let Some(piece) = &next {
            self.remaining -= piece.len() as u64;
        }
        std::task::Poll::Ready(next.map(|piece| Ok(http_body::Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.pieces.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

impl PageCache {
    pub fn new(ttl: Duration, refresh_gap: Duration, max_entries: usize) -> Arc<PageCache> {
        Arc::new(PageCache {
            ttl,
            refresh_gap,
            max_entries,
            generation: AtomicU64::new(0),
            entries: RwLock::new(Entries::default()),
            hits: AtomicU64::new(0),
        })
    }

    /// How many requests were answered from memory (for tests and benches).
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn lookup(&self, key: &str) -> Lookup {
        let generation = self.generation.load(Ordering::SeqCst);
        let page = match self.entries.read() {
            Ok(entries) => entries.pages.get(key).cloned(),
            Err(_) => None,
        };
        let Some(page) = page else {
            return Lookup::Render(None);
        };
        let age = page.stored_at.elapsed();
        let current = page.generation == generation && age <= self.ttl;
        let resting = age < self.refresh_gap;
        // Stale: whoever flips the flag renders; everyone else is served the
        // old copy until that render is stored.
        if !current && !resting && !page.refreshing.swap(true, Ordering::AcqRel) {
            return Lookup::Render(Some(RefreshGuard(page)));
        }
        self.hits.fetch_add(1, Ordering::Relaxed);
        Lookup::Serve(page.response())
    }

    fn store(&self, key: String, generation: u64, headers: HeaderMap, body: Bytes) {
        let page = Arc::new(CachedPage::new(generation, headers, body));
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        let size = page.size();
        if let Some(replaced) = entries.pages.get(&key) {
            entries.bytes -= replaced.size();
        } else if entries.pages.len() >= self.max_entries {
            entries.pages.clear();
            entries.bytes = 0;
        }
        if entries.bytes + size > MAX_CACHE_BYTES {
            entries.pages.clear();
            entries.bytes = 0;
        }
        entries.bytes += size;
        // A render that began before a write is kept, but already stale: it
        // is served only while its own replacement renders.
        entries.pages.insert(key, page);
    }
}

/// Whether the request comes from a browser with a session (an editor, or a
/// reader mid-sign-in): their pages differ, so they are never cached.
fn has_session(headers: &HeaderMap, cookie_name: &str) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|pair| pair.trim_start().starts_with(&format!("{cookie_name}=")))
}

/// The middleware: serves anonymous GETs of pages from the cache, stores
/// what it renders, and empties the cache after every successful write.
pub async fn serve_cached_pages(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let response = next.run(request).await;
        if response.status().as_u16() < 400 {
            cache.invalidate();
        }
        return response;
    }
    let path = request.uri().path();
    let cacheable = method == Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && !has_session(request.headers(), crate::SESSION_COOKIE);
    if !cacheable {
        return next.run(request).await;
    }
    let key = request.uri().to_string();
    let _refreshing = match cache.lookup(&key) {
        Lookup::Serve(page) => return page,
        Lookup::Render(guard) => guard,
    };
    let generation = cache.generation.load(Ordering::SeqCst);
    let response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if response.status() != StatusCode::OK || !is_page || response.headers().contains_key(header::SET_COOKIE) {
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
                    let read = futures_util::stream::iter(pieces.into_iter().map(Ok::<_, axum::Error>));
                    return Response::from_parts(parts, Body::from_stream(read.chain(stream)));
                }
            }
            Err(error) => {
                // The render failed mid-way and part of the page is gone:
                // answer with an error rather than half a page.
                tracing::error!(%error, "page cache: the page failed while it was read");
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
    cache.store(key, generation, parts.headers.clone(), bytes.clone());
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONCE: &str = "c3RvcmVkIG5vbmNlIDEyMw";

    fn page_headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&format!("default-src 'self'; script-src 'nonce-{NONCE}' 'self'")).unwrap(),
        );
        headers
    }

    fn page_body(text: &str) -> Bytes {
        Bytes::from(format!(
            "<script nonce=\"{NONCE}\">a()</script><p>{text}</p><script nonce=\"{NONCE}\">b()</script>"
        ))
    }

    async fn text_of(response: Response) -> (String, String) {
        let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (String::from_utf8(body.to_vec()).unwrap(), policy)
    }

    #[tokio::test]
    async fn every_hit_gets_one_fresh_nonce_in_the_page_and_its_policy() {
        let cache = PageCache::new(Duration::from_secs(60), Duration::ZERO, 8);
        cache.store("/".into(), 0, page_headers(), page_body("hello"));
        let mut seen = Vec::new();
        for _ in 0..3 {
            let Lookup::Serve(response) = cache.lookup("/") else {
                panic!("a current page is served")
            };
            let announced = http_body::Body::size_hint(response.body()).exact();
            let (body, policy) = text_of(response).await;
            assert_eq!(
                announced,
                Some(body.len() as u64),
                "an exact length, for Content-Length"
            );
            assert!(
                !body.contains(NONCE) && !policy.contains(NONCE),
                "the stored nonce never leaves"
            );
            let start = policy.find("'nonce-").unwrap() + 7;
            let nonce = &policy[start..start + policy[start..].find('\'').unwrap()];
            assert_eq!(body.matches(nonce).count(), 2, "{body}");
            assert_eq!(
                body,
                format!("<script nonce=\"{nonce}\">a()</script><p>hello</p><script nonce=\"{nonce}\">b()</script>")
            );
            seen.push(nonce.to_owned());
        }
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 3, "no nonce repeats");
    }

    #[tokio::test]
    async fn a_stale_page_is_rendered_by_one_request_while_the_others_get_the_old_copy() {
        let cache = PageCache::new(Duration::from_secs(60), Duration::ZERO, 8);
        cache.store("/".into(), 0, page_headers(), page_body("before"));
        cache.invalidate();
        let Lookup::Render(Some(guard)) = cache.lookup("/") else {
            panic!("the first reader after a write renders")
        };
        for _ in 0..5 {
            let Lookup::Serve(response) = cache.lookup("/") else {
                panic!("readers during that render are not sent to render too")
            };
            assert!(text_of(response).await.0.contains("before"));
        }
        // The render failed (or was not cacheable): the next reader tries again.
        drop(guard);
        let Lookup::Render(Some(_guard)) = cache.lookup("/") else {
            panic!("a render that stored nothing leaves the page to the next reader")
        };
        cache.store("/".into(), 1, page_headers(), page_body("after"));
        let Lookup::Serve(response) = cache.lookup("/") else {
            panic!("the fresh page is served")
        };
        assert!(text_of(response).await.0.contains("after"));
    }

    #[tokio::test]
    async fn a_page_rendered_across_a_write_is_kept_only_as_stale() {
        let cache = PageCache::new(Duration::from_secs(60), Duration::ZERO, 8);
        let generation = cache.generation.load(Ordering::SeqCst);
        cache.invalidate(); // a write lands while the page renders
        cache.store("/".into(), generation, page_headers(), page_body("raced"));
        assert!(
            matches!(cache.lookup("/"), Lookup::Render(Some(_))),
            "the next reader renders again"
        );
        assert!(
            matches!(cache.lookup("/other"), Lookup::Render(None)),
            "a missing page is rendered"
        );
    }

    /// A page too large to keep is still sent whole (it used to become a
    /// 500), and is rendered again next time rather than kept.
    #[tokio::test]
    async fn a_page_too_large_to_keep_is_passed_on_whole() {
        use tower::ServiceExt;
        let big = "x".repeat(MAX_PAGE_BYTES * 2 + 17);
        let page = big.clone();
        let cache = PageCache::new(Duration::from_secs(60), Duration::ZERO, 8);
        let app = axum::Router::new()
            .route(
                "/big",
                axum::routing::get(move || {
                    let page = page.clone();
                    async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page) }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(cache.clone(), serve_cached_pages));
        for _ in 0..2 {
            let response = app
                .clone()
                .oneshot(Request::builder().uri("/big").body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            assert_eq!(body.len(), big.len());
        }
        assert_eq!(cache.hits(), 0, "not kept");
    }

    #[tokio::test]
    async fn a_page_rendered_moments_ago_is_not_rendered_again_at_once() {
        let cache = PageCache::new(Duration::from_secs(60), Duration::from_millis(200), 8);
        cache.store("/".into(), 0, page_headers(), page_body("before"));
        cache.invalidate();
        assert!(
            matches!(cache.lookup("/"), Lookup::Serve(_)),
            "within the gap the last render is served"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert!(
            matches!(cache.lookup("/"), Lookup::Render(Some(_))),
            "after it, the next reader renders"
        );
    }
}

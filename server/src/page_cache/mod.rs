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
//! A kept page is fixed bytes, so that serving it costs no work per
//! request. A rendered page's CSP allows its scripts by a nonce, which must
//! not repeat; when the page is kept, the nonce is taken out of it and the
//! policy lists the SHA-256 hash of each inline script instead (as strong a
//! guard: only scripts with exactly that text run). Fixed bytes also give the
//! page an `ETag` (a reader who has it gets `304 Not Modified`) and let it be
//! compressed once per version, not once per response.

mod kept_page;
#[cfg(test)]
mod tests;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use bytes::BytesMut;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use kept_page::CachedPage;

/// Pages larger than this are not kept (a list page is tens of KB).
pub(super) const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// All kept pages together stay below this; beyond it the cache starts
/// afresh (so memory stays flat however the pages grow).
const MAX_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// Kept pages may be stored by any cache but must be revalidated on every
/// use (answered with a cheap 304 while unchanged): a tracker's page is
/// only as good as its latest status. A signed-in editor's page differs
/// from a reader's, hence `Cookie` in `Vary`.
pub(super) const PAGE_CACHE_CONTROL: &str = "no-cache";
pub(super) const PAGE_VARY: &str = "accept-encoding, cookie";

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

enum Lookup {
    /// Current, or stale while another request renders its replacement.
    Serve(Arc<CachedPage>),
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

    /// How many requests were answered from memory.
    #[cfg(test)]
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
        Lookup::Serve(page)
    }

    /// Keeps a rendered page; returns it as kept, or `None` if it cannot be
    /// kept (see `CachedPage::new`).
    fn store(&self, key: String, generation: u64, headers: HeaderMap, body: Bytes) -> Option<Arc<CachedPage>> {
        let page = Arc::new(CachedPage::new(generation, headers, body)?);
        let Ok(mut entries) = self.entries.write() else {
            return Some(page);
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
        entries.pages.insert(key, page.clone());
        Some(page)
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

/// Whether a GET of `path` may answer with a page (HTML for people): not
/// the API, the bundle, the health check, or a file such as a feed, a CSV,
/// a badge or an image (those end in an extension, which no page does).
fn is_page_path(path: &str) -> bool {
    // `/ko/api/…` is the API, as `language::split_language` will route it.
    let path = domain::Locale::split_path(path).1;
    let last_segment = path.rsplit('/').next().unwrap_or("");
    !path.starts_with("/api/") && !path.starts_with("/pkg/") && path != "/healthz" && !last_segment.contains('.')
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
    let cacheable =
        method == Method::GET && is_page_path(path) && !has_session(request.headers(), crate::SESSION_COOKIE);
    if !cacheable {
        return next.run(request).await;
    }
    // Requests reach a server in origin form, so the path and query are
    // the whole target.
    let key = request.uri().path_and_query().map_or(path, |p| p.as_str());
    let _refreshing = match cache.lookup(key) {
        Lookup::Serve(page) => return page.response(request.headers()),
        Lookup::Render(guard) => guard,
    };
    let key = key.to_owned();
    let request_headers = request.headers().clone();
    // The page is kept as identity bytes and compressed here, once per
    // version: ask the router for it uncompressed.
    let mut request = request;
    request.headers_mut().remove(header::ACCEPT_ENCODING);
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
    match cache.store(key, generation, parts.headers.clone(), bytes.clone()) {
        // Every reader gets the page as kept, the first one too.
        Some(page) => page.response(&request_headers),
        None => Response::from_parts(parts, Body::from(bytes)),
    }
}

//! An in-memory cache of rendered pages for readers who are not signed in.
//!
//! Reads vastly outnumber writes, and every anonymous reader of a URL gets
//! the same HTML, so a page is rendered once and then served from memory
//! until something changes. Every successful state-changing request
//! (anything but GET/HEAD answered below 400) empties the cache, so a saved
//! edit is visible on the next request; a time limit bounds staleness from
//! anything else (the date on the page, writes by other processes).
//!
//! Each response still gets a fresh CSP nonce: the cached page's nonce is
//! replaced in its scripts and its header, since a nonce must not repeat.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Pages larger than this are not kept (a list page is tens of KB).
const MAX_PAGE_BYTES: usize = 512 * 1024;

pub struct PageCache {
    ttl: Duration,
    max_entries: usize,
    /// Bumped by every write; entries from an older generation are stale.
    generation: AtomicU64,
    entries: RwLock<HashMap<String, CachedPage>>,
    hits: AtomicU64,
}

struct CachedPage {
    generation: u64,
    stored_at: Instant,
    headers: HeaderMap,
    body: Bytes,
    /// The nonce the page was rendered with, replaced on every hit.
    nonce: Option<String>,
}

impl PageCache {
    pub fn new(ttl: Duration, max_entries: usize) -> Arc<PageCache> {
        Arc::new(PageCache {
            ttl,
            max_entries,
            generation: AtomicU64::new(0),
            entries: RwLock::new(HashMap::new()),
            hits: AtomicU64::new(0),
        })
    }

    /// How many requests were answered from memory (for tests and benches).
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }

    fn lookup(&self, key: &str) -> Option<Response> {
        let generation = self.generation.load(Ordering::SeqCst);
        let entries = self.entries.read().ok()?;
        let page = entries.get(key)?;
        if page.generation != generation || page.stored_at.elapsed() > self.ttl {
            return None;
        }
        let mut headers = page.headers.clone();
        let body = match &page.nonce {
            Some(old) => {
                let fresh = leptos::nonce::Nonce::new().to_string();
                if let Some(csp) = headers.get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()) {
                    let renewed = csp.replace(&format!("'nonce-{old}'"), &format!("'nonce-{fresh}'"));
                    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(&renewed).ok()?);
                }
                // Leptos writes the nonce in `nonce` and `crossorigin`
                // attributes; a 128-bit random value occurs nowhere else.
                let html = std::str::from_utf8(&page.body).ok()?;
                Bytes::from(html.replace(old.as_str(), &fresh))
            }
            None => page.body.clone(),
        };
        self.hits.fetch_add(1, Ordering::Relaxed);
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        response.headers_mut().remove(header::CONTENT_LENGTH);
        Some(response)
    }

    fn store(&self, key: String, generation: u64, headers: HeaderMap, body: Bytes) {
        let nonce = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .and_then(|csp| {
                let start = csp.find("'nonce-")? + "'nonce-".len();
                let end = start + csp[start..].find('\'')?;
                Some(csp[start..end].to_owned())
            });
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        // A write happened while this page was rendered: it may be stale.
        if generation != self.generation.load(Ordering::SeqCst) {
            return;
        }
        if entries.len() >= self.max_entries && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(
            key,
            CachedPage {
                generation,
                stored_at: Instant::now(),
                headers,
                body,
                nonce,
            },
        );
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
    if let Some(hit) = cache.lookup(&key) {
        return hit;
    }
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
    match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => {
            cache.store(key, generation, parts.headers.clone(), bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(error) => {
            // Too large to keep, or the body failed mid-way; the page was
            // consumed, so answer with an error rather than half a page.
            tracing::error!(%error, "page cache: could not buffer the page");
            let mut response = Response::new(Body::from("The page could not be produced; try again.\n"));
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
    }
}

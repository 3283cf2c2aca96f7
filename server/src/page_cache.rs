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

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use bytes::BytesMut;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

/// Pages larger than this are not kept (a list page is tens of KB).
const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// All kept pages together stay below this; beyond it the cache starts
/// afresh (so memory stays flat however the pages grow).
const MAX_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// Kept pages may be stored by any cache but must be revalidated on every
/// use (answered with a cheap 304 while unchanged): a tracker's page is
/// only as good as its latest status. A signed-in editor's page differs
/// from a reader's, hence `Cookie` in `Vary`.
const PAGE_CACHE_CONTROL: &str = "no-cache";
const PAGE_VARY: &str = "accept-encoding, cookie";

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

/// The ways a kept page can be sent, best first when a reader accepts
/// several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    fn header(self) -> Option<HeaderValue> {
        match self {
            Encoding::Brotli => Some(HeaderValue::from_static("br")),
            Encoding::Gzip => Some(HeaderValue::from_static("gzip")),
            Encoding::Identity => None,
        }
    }

    /// The best encoding the request's `Accept-Encoding` allows.
    fn preferred(headers: &HeaderMap) -> Encoding {
        let mut gzip = false;
        let mut brotli = false;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim();
                // `q=0` means "not this one"; any other weight is a yes.
                let refused = parts.any(|p| {
                    let p = p.trim();
                    p.strip_prefix("q=")
                        .or_else(|| p.strip_prefix("Q="))
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                if name.eq_ignore_ascii_case("br") {
                    brotli = true;
                } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                    gzip = true;
                }
            }
        }
        if brotli {
            Encoding::Brotli
        } else if gzip {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }
}

struct CachedPage {
    generation: u64,
    stored_at: Instant,
    /// The response's headers with the hash CSP, `ETag`, `Cache-Control`
    /// and `Vary`, as sent with the identity body.
    headers: HeaderMap,
    /// The fixed page.
    body: Bytes,
    /// A strong validator of the page's bytes, without quotes.
    tag: String,
    /// The page compressed, made by the first reader who asks for it.
    gzip: OnceLock<Option<Bytes>>,
    brotli: OnceLock<Option<Bytes>>,
    /// Set while one request renders a fresh copy of this page.
    refreshing: AtomicBool,
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

/// The nonce a page's CSP allows scripts by, if any.
fn policy_nonce(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let end = start + policy[start..].find('\'')?;
    (end > start).then(|| &policy[start..end])
}

/// `'sha256-…'` sources for the text of every inline `<script>` in the
/// page, in order and without repeats. `None` when a script is not closed
/// (never the case in a page Leptos rendered whole).
fn inline_script_hashes(html: &[u8]) -> Option<Vec<String>> {
    let finder = memchr::memmem::Finder::new(b"<script");
    let closer = memchr::memmem::Finder::new(b"</script>");
    let mut hashes: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(found) = finder.find(&html[at..]) {
        let tag_start = at + found;
        let tag_end = tag_start + memchr::memchr(b'>', &html[tag_start..])?;
        let text_start = tag_end + 1;
        let text_end = text_start + closer.find(&html[text_start..])?;
        let tag = &html[tag_start..tag_end];
        // Scripts loaded from a URL are allowed by 'self', not by a hash.
        if memchr::memmem::find(tag, b" src=").is_none() {
            let digest = Sha256::digest(&html[text_start..text_end]);
            let source = format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest));
            if !hashes.contains(&source) {
                hashes.push(source);
            }
        }
        at = text_end + "</script>".len();
    }
    Some(hashes)
}

/// `bytes` with every `from` replaced by `to`.
fn replace_all(bytes: &Bytes, from: &[u8], to: &[u8]) -> Bytes {
    let mut out = BytesMut::with_capacity(bytes.len());
    let mut rest = &bytes[..];
    while let Some(found) = memchr::memmem::find(rest, from) {
        out.extend_from_slice(&rest[..found]);
        out.extend_from_slice(to);
        rest = &rest[found + from.len()..];
    }
    out.extend_from_slice(rest);
    out.freeze()
}

impl CachedPage {
    /// The page as it will be kept, or `None` when it cannot be made into
    /// fixed bytes (it is then sent as rendered and not kept).
    fn new(generation: u64, mut headers: HeaderMap, body: Bytes) -> Option<CachedPage> {
        headers.remove(header::CONTENT_LENGTH);
        headers.remove(header::CONTENT_ENCODING);
        let policy = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = match policy.as_deref().and_then(policy_nonce) {
            Some(nonce) => {
                let policy = policy.as_deref().unwrap_or_default();
                // Leptos writes the nonce as `nonce` attributes of scripts,
                // and also as the `crossorigin` value of its preload links
                // (an invalid value, which browsers read as "anonymous").
                // A 128-bit random value occurs nowhere else by chance; if
                // it does, the page is not kept.
                let mut fixed = body.clone();
                for (attribute, replacement) in [
                    (format!(" nonce=\"{nonce}\""), ""),
                    (format!(" crossorigin=\"{nonce}\""), " crossorigin=\"anonymous\""),
                ] {
                    fixed = replace_all(&fixed, attribute.as_bytes(), replacement.as_bytes());
                }
                if memchr::memmem::find(&fixed, nonce.as_bytes()).is_some() {
                    return None;
                }
                let hashes = inline_script_hashes(&fixed)?.join(" ");
                let token = format!("'nonce-{nonce}'");
                let policy = policy.replace(&token, &hashes).replace("  ", " ");
                headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(&policy).ok()?);
                fixed
            }
            None => body,
        };
        let digest = Sha256::digest(&body);
        let tag: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        headers.insert(header::ETAG, HeaderValue::from_str(&format!("\"{tag}\"")).ok()?);
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PAGE_CACHE_CONTROL));
        headers.insert(header::VARY, HeaderValue::from_static(PAGE_VARY));
        Some(CachedPage {
            generation,
            stored_at: Instant::now(),
            headers,
            body,
            tag,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            refreshing: AtomicBool::new(false),
        })
    }

    fn size(&self) -> usize {
        self.body.len()
    }

    /// The entity tag of the page sent in `encoding` (each encoding is a
    /// representation of its own, so each has its own tag).
    fn entity_tag(&self, encoding: Encoding) -> String {
        match encoding {
            Encoding::Identity => format!("\"{}\"", self.tag),
            Encoding::Gzip => format!("\"{}-gzip\"", self.tag),
            Encoding::Brotli => format!("\"{}-br\"", self.tag),
        }
    }

    /// The body in `encoding`, compressed on first use; `None` if that
    /// failed (the identity body is sent instead).
    fn encoded(&self, encoding: Encoding) -> Option<Bytes> {
        let compress = |encoding| -> Option<Bytes> {
            let mut out = Vec::with_capacity(self.body.len() / 4);
            match encoding {
                Encoding::Gzip => {
                    let mut encoder = flate2::write::GzEncoder::new(&mut out, flate2::Compression::new(9));
                    encoder.write_all(&self.body).ok()?;
                    encoder.finish().ok()?;
                }
                Encoding::Brotli => {
                    let mut encoder = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
                    encoder.write_all(&self.body).ok()?;
                    encoder.flush().ok()?;
                    drop(encoder);
                }
                Encoding::Identity => return Some(self.body.clone()),
            }
            Some(Bytes::from(out))
        };
        match encoding {
            Encoding::Identity => Some(self.body.clone()),
            Encoding::Gzip => self.gzip.get_or_init(|| compress(Encoding::Gzip)).clone(),
            Encoding::Brotli => self.brotli.get_or_init(|| compress(Encoding::Brotli)).clone(),
        }
    }

    /// The response to a request with these headers: `304` when the reader
    /// already has this version, otherwise the page in the best encoding
    /// the reader accepts.
    fn response(&self, request: &HeaderMap) -> Response {
        let mut encoding = Encoding::preferred(request);
        let body = match self.encoded(encoding) {
            Some(body) => body,
            None => {
                encoding = Encoding::Identity;
                self.body.clone()
            }
        };
        let tag = self.entity_tag(encoding);
        if if_none_match(request, &tag) {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            let headers = response.headers_mut();
            // What a 200 would have carried that describes the page (RFC
            // 9110 15.4.5); not the CSP, so the reader's stored copy keeps
            // the policy it came with.
            for name in [header::CACHE_CONTROL, header::VARY] {
                if let Some(value) = self.headers.get(&name) {
                    headers.insert(name, value.clone());
                }
            }
            if let Ok(tag) = HeaderValue::from_str(&tag) {
                headers.insert(header::ETAG, tag);
            }
            return response;
        }
        let mut headers = self.headers.clone();
        if let Some(value) = encoding.header() {
            headers.insert(header::CONTENT_ENCODING, value);
            if let Ok(tag) = HeaderValue::from_str(&tag) {
                headers.insert(header::ETAG, tag);
            }
        }
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        response
    }
}

/// Whether `If-None-Match` names `tag` (weak comparison, as RFC 9110 asks
/// for this header) or is `*`.
fn if_none_match(request: &HeaderMap, tag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
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

    fn sha256_source(text: &str) -> String {
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
        )
    }

    fn served(cache: &PageCache, key: &str, request: &HeaderMap) -> Response {
        match cache.lookup(key) {
            Lookup::Serve(page) => page.response(request),
            Lookup::Render(_) => panic!("{key}: a current page is served"),
        }
    }

    #[tokio::test]
    async fn a_kept_page_is_fixed_bytes_whose_inline_scripts_are_allowed_by_their_hashes() {
        let cache = PageCache::new(Duration::from_secs(60), Duration::ZERO, 8);
        let body = format!(
            "<link rel=\"modulepreload\" href=\"/pkg/x.js\" crossorigin=\"{NONCE}\">\
             <script nonce=\"{NONCE}\">a()</script><p>hello</p><script type=\"module\" nonce=\"{NONCE}\">b()</script>\
             <script nonce=\"{NONCE}\">a()</script><script src=\"/pkg/x.js\" nonce=\"{NONCE}\"></script>"
        );
        cache.store("/".into(), 0, page_headers(), Bytes::from(body)).unwrap();
        let mut pages = Vec::new();
        for _ in 0..2 {
            let response = served(&cache, "/", &HeaderMap::new());
            let fixed = "<link rel=\"modulepreload\" href=\"/pkg/x.js\" crossorigin=\"anonymous\">\
                         <script>a()</script><p>hello</p><script type=\"module\">b()</script>\
                         <script>a()</script><script src=\"/pkg/x.js\"></script>";
            assert_eq!(
                axum::body::HttpBody::size_hint(response.body()).exact(),
                Some(fixed.len() as u64),
                "one body of known length, for Content-Length"
            );
            pages.push(text_of(response).await);
        }
        assert_eq!(pages[0], pages[1], "every reader gets the same bytes");
        let (body, policy) = &pages[0];
        assert!(
            !body.contains(NONCE) && !policy.contains(NONCE),
            "the nonce never leaves"
        );
        assert!(!policy.contains("'nonce-"), "{policy}");
        assert_eq!(
            policy,
            &format!(
                "default-src 'self'; script-src {} {} 'self'",
                sha256_source("a()"),
                sha256_source("b()")
            ),
            "one hash per distinct inline script, none for scripts with a src"
        );
    }

    #[tokio::test]
    async fn a_reader_who_has_the_current_version_gets_304_and_a_changed_page_gets_200() {
        let cache = PageCache::new(Duration::from_secs(60), Duration::ZERO, 8);
        cache.store("/".into(), 0, page_headers(), page_body("before")).unwrap();
        let first = served(&cache, "/", &HeaderMap::new());
        let tag = first.headers()[header::ETAG].clone();
        assert_eq!(first.headers()[header::CACHE_CONTROL], "no-cache");
        assert!(tag.to_str().unwrap().starts_with('"'), "a strong validator");
        let mut revalidate = HeaderMap::new();
        revalidate.insert(header::IF_NONE_MATCH, tag.clone());
        let response = served(&cache, "/", &revalidate);
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(response.headers()[header::ETAG], tag);
        assert!(
            response.headers().get(header::CONTENT_SECURITY_POLICY).is_none(),
            "the stored copy keeps the policy that matches its scripts"
        );
        assert!(axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap()
            .is_empty());
        // Another version of the page: the old tag no longer matches.
        cache.store("/".into(), 0, page_headers(), page_body("after")).unwrap();
        let response = served(&cache, "/", &revalidate);
        assert_eq!(response.status(), StatusCode::OK);
        assert_ne!(response.headers()[header::ETAG], tag);
        assert!(text_of(response).await.0.contains("after"));
    }

    #[tokio::test]
    async fn readers_get_the_page_compressed_as_they_accept_and_it_decodes_to_the_same_bytes() {
        use std::io::Read;
        let cache = PageCache::new(Duration::from_secs(60), Duration::ZERO, 8);
        let long = "the same words again and again ".repeat(200);
        cache.store("/".into(), 0, page_headers(), page_body(&long)).unwrap();
        let plain = served(&cache, "/", &HeaderMap::new());
        let plain_tag = plain.headers()[header::ETAG].clone();
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        let plain = axum::body::to_bytes(plain.into_body(), usize::MAX).await.unwrap();
        let mut tags = vec![plain_tag];
        for (accept, expected) in [
            ("gzip, deflate", Some("gzip")),
            ("gzip, deflate, br, zstd", Some("br")),
            ("br;q=0, gzip;q=0.5", Some("gzip")),
            ("gzip;q=0, identity", None),
            ("deflate", None),
        ] {
            let mut request = HeaderMap::new();
            request.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(accept));
            let response = served(&cache, "/", &request);
            let encoding = response
                .headers()
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap().to_owned());
            assert_eq!(encoding.as_deref(), expected, "{accept}");
            let tag = response.headers()[header::ETAG].clone();
            let sent = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            let mut decoded = Vec::new();
            match expected {
                Some("gzip") => {
                    flate2::read::GzDecoder::new(&sent[..])
                        .read_to_end(&mut decoded)
                        .unwrap();
                }
                Some("br") => {
                    brotli::Decompressor::new(&sent[..], 4096)
                        .read_to_end(&mut decoded)
                        .unwrap();
                }
                _ => decoded = sent.to_vec(),
            }
            assert_eq!(decoded, plain, "{accept}: the same page");
            if expected.is_some() {
                assert!(sent.len() * 5 < plain.len(), "{accept}: compressed");
                tags.push(tag);
            }
        }
        tags.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        tags.dedup();
        assert_eq!(tags.len(), 3, "each encoding is a representation with its own tag");
    }

    #[test]
    fn pages_are_told_from_files_and_the_api_by_their_path() {
        for page in ["/", "/commitments/fta-phase-two", "/summits", "/history", "/login"] {
            assert!(is_page_path(page), "{page}");
        }
        for other in [
            "/api/v1/summits",
            "/pkg/accord.js",
            "/healthz",
            "/feed.atom",
            "/commitments/x/badge.svg",
            "/export/commitments.csv",
            "/favicon.svg",
        ] {
            assert!(!is_page_path(other), "{other}");
        }
    }

    #[test]
    fn a_page_whose_nonce_appears_outside_its_script_tags_is_not_kept() {
        let cache = PageCache::new(Duration::from_secs(60), Duration::ZERO, 8);
        let body = format!("<script nonce=\"{NONCE}\">a()</script><p>{NONCE}</p>");
        assert!(cache.store("/".into(), 0, page_headers(), Bytes::from(body)).is_none());
        assert!(matches!(cache.lookup("/"), Lookup::Render(None)));
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
            let Lookup::Serve(page) = cache.lookup("/") else {
                panic!("readers during that render are not sent to render too")
            };
            assert!(text_of(page.response(&HeaderMap::new())).await.0.contains("before"));
        }
        // The render failed (or was not cacheable): the next reader tries again.
        drop(guard);
        let Lookup::Render(Some(_guard)) = cache.lookup("/") else {
            panic!("a render that stored nothing leaves the page to the next reader")
        };
        cache.store("/".into(), 1, page_headers(), page_body("after"));
        assert!(text_of(served(&cache, "/", &HeaderMap::new()))
            .await
            .0
            .contains("after"));
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

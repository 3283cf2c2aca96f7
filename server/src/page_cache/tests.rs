//! The page cache's unit tests: kept bytes, CSP hashes, conditional GETs,
//! compression and staleness.

use super::*;
use axum::http::HeaderValue;
use base64::Engine;
use sha2::{Digest, Sha256};

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

/// A cache kept for 60 s, and the store's record of changes it reads (a
/// test records writes in it as the store would).
fn cache_with(max_entries: usize) -> (Arc<PageCache>, store::DataChanges) {
    let changes = store::DataChanges::default();
    let cache = PageCache::with_render_turns(
        Duration::from_secs(60),
        max_entries,
        changes.clone(),
        write_turns::WriteTurns::new(crate::DEFAULT_WRITE_SHARE),
        4 * std::thread::available_parallelism().map_or(2, |n| n.get()),
        RENDER_WAIT,
    );
    (cache, changes)
}

async fn served(cache: &Arc<PageCache>, key: &str, request: &HeaderMap) -> Response {
    match cache.lookup(key).await {
        Lookup::Serve(page) => page.response(request),
        Lookup::Render(_) => panic!("{key}: a current page is served"),
    }
}

#[tokio::test]
async fn a_kept_page_is_fixed_bytes_whose_inline_scripts_are_allowed_by_their_hashes() {
    let (cache, _changes) = cache_with(8);
    let body = format!(
        "<link rel=\"modulepreload\" href=\"/pkg/x.js\" crossorigin=\"{NONCE}\">\
         <script nonce=\"{NONCE}\">a()</script><p>hello</p><script type=\"module\" nonce=\"{NONCE}\">b()</script>\
         <script nonce=\"{NONCE}\">a()</script><script src=\"/pkg/x.js\" nonce=\"{NONCE}\"></script>"
    );
    cache.store("/".into(), 0, page_headers(), Bytes::from(body)).unwrap();
    let mut pages = Vec::new();
    for _ in 0..2 {
        let response = served(&cache, "/", &HeaderMap::new()).await;
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
    let (cache, _changes) = cache_with(8);
    cache.store("/".into(), 0, page_headers(), page_body("before")).unwrap();
    let first = served(&cache, "/", &HeaderMap::new()).await;
    let tag = first.headers()[header::ETAG].clone();
    assert_eq!(first.headers()[header::CACHE_CONTROL], "no-cache");
    assert!(tag.to_str().unwrap().starts_with('"'), "a strong validator");
    let mut revalidate = HeaderMap::new();
    revalidate.insert(header::IF_NONE_MATCH, tag.clone());
    let response = served(&cache, "/", &revalidate).await;
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
    let response = served(&cache, "/", &revalidate).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_ne!(response.headers()[header::ETAG], tag);
    assert!(text_of(response).await.0.contains("after"));
}

#[tokio::test]
async fn readers_get_the_page_compressed_as_they_accept_and_it_decodes_to_the_same_bytes() {
    use std::io::Read;
    let (cache, _changes) = cache_with(8);
    let long = "the same words again and again ".repeat(200);
    cache.store("/".into(), 0, page_headers(), page_body(&long)).unwrap();
    let plain = served(&cache, "/", &HeaderMap::new()).await;
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
        let response = served(&cache, "/", &request).await;
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
        "/oembed",
        "/ko/oembed",
        "/sitemap.xml",
        "/robots.txt",
    ] {
        assert!(!is_page_path(other), "{other}");
    }
}

#[tokio::test]
async fn a_page_whose_nonce_appears_outside_its_script_tags_is_not_kept() {
    let (cache, _changes) = cache_with(8);
    let body = format!("<script nonce=\"{NONCE}\">a()</script><p>{NONCE}</p>");
    assert!(cache.store("/".into(), 0, page_headers(), Bytes::from(body)).is_none());
    assert!(matches!(cache.lookup("/").await, Lookup::Render(_)));
}

/// Whether `reader` is still waiting after the others had their turn.
async fn still_waiting(reader: &tokio::task::JoinHandle<Lookup>) -> bool {
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
    tokio::time::sleep(Duration::from_millis(20)).await;
    !reader.is_finished()
}

/// A reader whose lookup runs on its own task, as a request's does.
fn reader(cache: &Arc<PageCache>, key: &'static str) -> tokio::task::JoinHandle<Lookup> {
    let cache = cache.clone();
    tokio::spawn(async move { cache.lookup(key).await })
}

/// The text a lookup serves; panics if it sends the reader to render.
async fn served_text(lookup: Lookup) -> String {
    match lookup {
        Lookup::Serve(page) => text_of(page.response(&HeaderMap::new())).await.0,
        Lookup::Render(_) => panic!("the reader is served, not sent to render"),
    }
}

/// Issue 17, point 1: no reader is served a page older than a write
/// acknowledged before it asked. Readers who arrive after a write wait for
/// one render, shared, instead of being served the old copy.
#[tokio::test]
async fn readers_after_a_write_wait_for_one_shared_render_not_the_old_copy() {
    let (cache, changes) = cache_with(8);
    cache.store("/".into(), 0, page_headers(), page_body("before"));
    changes.record(&store::Change::Everything);
    let Lookup::Render(mut render) = cache.lookup("/").await else {
        panic!("the first reader after a write renders")
    };
    assert!(render.rendered_at >= 1, "dated after the write");
    let waiting: Vec<_> = (0..5).map(|_| reader(&cache, "/")).collect();
    for waiter in &waiting {
        assert!(still_waiting(waiter).await, "not served the copy from before the write");
    }
    cache.store("/".into(), render.rendered_at, page_headers(), page_body("after"));
    render.land(true);
    for waiter in waiting {
        assert!(served_text(waiter.await.unwrap()).await.contains("after"));
    }
}

/// A render that began before a write serves the readers who came before
/// the write, never one who came after it: that reader waits for it to end
/// and then renders again (once, for everyone who came after the write).
#[tokio::test]
async fn a_render_begun_before_a_write_serves_only_readers_who_came_before_it() {
    let (cache, changes) = cache_with(8);
    cache.store("/".into(), 0, page_headers(), page_body("first"));
    changes.record(&store::Change::commitment("x", "s"));
    let Lookup::Render(mut render) = cache.lookup("/").await else {
        panic!("stale: the reader renders")
    };
    let before_the_write = reader(&cache, "/");
    assert!(still_waiting(&before_the_write).await);
    changes.record(&store::Change::commitment("x", "s")); // lands during the render
    let after_the_write = reader(&cache, "/");
    assert!(still_waiting(&after_the_write).await);
    cache.store("/".into(), render.rendered_at, page_headers(), page_body("raced"));
    render.land(true);
    assert!(served_text(before_the_write.await.unwrap()).await.contains("raced"));
    let Lookup::Render(mut next) = after_the_write.await.unwrap() else {
        panic!("a reader who came after the write is not served the render that missed it")
    };
    assert!(next.rendered_at >= 2, "the next render is dated after the write");
    let also_after = reader(&cache, "/");
    assert!(still_waiting(&also_after).await, "and shared: one render at a time");
    cache.store("/".into(), next.rendered_at, page_headers(), page_body("current"));
    next.land(true);
    assert!(served_text(also_after.await.unwrap()).await.contains("current"));
}

/// A render that is cancelled (its reader went away) hands the page to
/// one of the readers waiting for it; one that could not be kept sends
/// each waiting reader to render for itself.
#[tokio::test]
async fn waiting_readers_render_for_themselves_when_the_shared_render_fails() {
    let (cache, _changes) = cache_with(8);
    let Lookup::Render(render) = cache.lookup("/").await else {
        panic!("a missing page is rendered")
    };
    let first = reader(&cache, "/");
    assert!(still_waiting(&first).await);
    drop(render);
    let Lookup::Render(mut taken_over) = first.await.unwrap() else {
        panic!("a waiting reader takes the cancelled render over")
    };
    assert!(taken_over.flight.is_some(), "as the shared render");
    let second = reader(&cache, "/");
    assert!(still_waiting(&second).await, "which the next reader waits for");
    taken_over.land(false);
    let Lookup::Render(own) = second.await.unwrap() else {
        panic!("a page that could not be kept is rendered by each reader")
    };
    assert!(own.flight.is_none(), "on its own, not as a shared render");
}

#[tokio::test]
async fn a_page_rendered_across_a_write_is_kept_only_as_stale() {
    let (cache, changes) = cache_with(8);
    let rendered_at = changes.step();
    changes.record(&store::Change::commitment("x", "s")); // a write lands while the page renders
    cache.store("/".into(), rendered_at, page_headers(), page_body("raced"));
    assert!(
        matches!(cache.lookup("/").await, Lookup::Render(_)),
        "the next reader renders again"
    );
    assert!(
        matches!(cache.lookup("/other").await, Lookup::Render(_)),
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
    let (cache, _changes) = cache_with(8);
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

/// Issue 15, point 2: only scripts that carried the render's nonce are
/// Accord's; a `<script>` that got into the HTML any other way (text a
/// person typed, if escaping ever failed) gets no hash and stays blocked.
#[tokio::test]
async fn a_script_without_the_renders_nonce_gets_no_hash() {
    let (cache, _changes) = cache_with(8);
    let body = format!(
        "<script nonce=\"{NONCE}\">a()</script>\
         <p>typed: <script>steal()</script></p>\
         <a title=\"<script \">x</a><script nonce=\"{NONCE}\">b()</script>\
         <SCRIPT>alert(1)</SCRIPT><script type=\"module\">evil()</script>"
    );
    cache.store("/".into(), 0, page_headers(), Bytes::from(body)).unwrap();
    let (_, policy) = text_of(served(&cache, "/", &HeaderMap::new()).await).await;
    for foreign in ["steal()", "alert(1)", "evil()"] {
        assert!(
            !policy.contains(&sha256_source(foreign)),
            "{foreign} got a hash: {policy}"
        );
    }
    assert_eq!(
        policy,
        format!(
            "default-src 'self'; script-src {} {} 'self'",
            sha256_source("a()"),
            sha256_source("b()")
        )
    );
    assert_eq!(
        kept_page::inline_script_hashes(b"<script>steal()</script>", NONCE),
        Some(Vec::new()),
        "no nonce, no hash"
    );
}

/// Issue 15, point 3: the least recently used page goes first, not every
/// page at once.
#[tokio::test]
async fn the_least_recently_used_page_is_evicted_first() {
    let (cache, _changes) = cache_with(2);
    cache.store("/a".into(), 0, page_headers(), page_body("a")).unwrap();
    cache.store("/b".into(), 0, page_headers(), page_body("b")).unwrap();
    assert!(matches!(cache.lookup("/a").await, Lookup::Serve(_)), "/a used last");
    cache.store("/c".into(), 0, page_headers(), page_body("c")).unwrap();
    assert!(matches!(cache.lookup("/a").await, Lookup::Serve(_)), "/a kept");
    assert!(matches!(cache.lookup("/c").await, Lookup::Serve(_)), "/c kept");
    assert!(matches!(cache.lookup("/b").await, Lookup::Render(_)), "/b evicted");
}

/// Review finding F4: made-up searches cannot push the shared pages out.
/// Views with a query are kept in a pool of their own (a quarter of the
/// entries): a thousand junk searches evict only other searches.
#[tokio::test]
async fn junk_queries_never_evict_the_pages_without_a_query() {
    let (cache, _changes) = cache_with(8);
    for key in ["/", "/commitments/x", "/summits/s"] {
        cache.store(key.into(), 0, page_headers(), page_body(key)).unwrap();
    }
    cache
        .store("/?q=real".into(), 0, page_headers(), page_body("real"))
        .unwrap();
    for n in 0..1_000 {
        let key = format!("/?q=junk{n}");
        cache.store(key.clone(), 0, page_headers(), page_body(&key)).unwrap();
    }
    let hits = cache.hits();
    for key in ["/", "/commitments/x", "/summits/s"] {
        assert!(matches!(cache.lookup(key).await, Lookup::Serve(_)), "{key} still kept");
    }
    assert_eq!(cache.hits(), hits + 3);
    assert!(
        matches!(cache.lookup("/?q=real").await, Lookup::Render(_)),
        "searches evict searches"
    );
    assert!(
        matches!(cache.lookup("/?q=junk999").await, Lookup::Serve(_)),
        "the newest search kept"
    );
    let entries = cache.entries();
    assert_eq!(entries.queried.pages.len(), 2, "a quarter of 8");
    assert_eq!(entries.plain.pages.len(), 3);
}

/// Issue 15, point 3: the key is the view the page reads, in one order.
#[test]
fn a_page_is_keyed_by_the_parameters_it_reads_in_a_fixed_order() {
    let view = |uri: &str| canonical_view(&uri.parse::<Uri>().unwrap());
    assert_eq!(view("/"), Some("/".to_owned()));
    assert_eq!(view("/?utm_source=x&fbclid=y&gclid=z"), Some("/".to_owned()));
    assert_eq!(
        view("/?party=kr&utm_medium=m&status=in_progress"),
        view("/?status=in_progress&party=kr")
    );
    assert_eq!(
        view("/?status=in_progress&party=kr"),
        Some("/?status=in_progress&party=kr".to_owned())
    );
    assert_eq!(view("/?page=1&sort=summit"), Some("/".to_owned()), "defaults left out");
    assert_eq!(
        view("/ko/summits/s?q=apec&x=1"),
        Some("/ko/summits/s?q=apec".to_owned())
    );
    assert_eq!(view("/methodology?q=1&page=2"), Some("/methodology".to_owned()));
    assert_eq!(
        view("/login?next=%2Freview&ref=mail"),
        Some("/login?next=%2Freview".to_owned())
    );
    assert_eq!(
        view("/commitments/x?suggested=1&utm_campaign=c"),
        Some("/commitments/x?suggested=1".to_owned())
    );
    for spelling in [
        "suggested=x",
        "suggested",
        "suggested=1&suggested=2",
        "suggested=%E2%80%8B",
    ] {
        assert_eq!(
            view(&format!("/commitments/x?{spelling}")),
            Some("/commitments/x?suggested=1".to_owned()),
            "{spelling}: the page only asks whether it is there"
        );
    }
    assert_eq!(view("/?status=broken"), None, "a refused filter is a 400, not kept");
    for carrier in ["/login?__err=e30", "/?__path=%2F", "/commitments/x?a=1&__err=x"] {
        assert_eq!(view(carrier), None, "{carrier}");
    }
}

/// A request with no query is keyed by its path without parsing anything:
/// the full computation over no parameters gives every page's path too.
#[test]
fn a_page_asked_for_with_no_query_is_keyed_by_its_path() {
    for path in [
        "/",
        "/ko/",
        "/zh/summits/xi-lee-2025-11-01",
        "/summits/xi-lee-2025-11-01",
        "/login",
        "/commitments/x",
        "/commitments/x/history",
        "/ko/commitments/x/history",
        "/methodology",
        "/review",
    ] {
        assert_eq!(canonical_query(path, &[]), Some(String::new()), "{path}");
        assert_eq!(canonical_view(&path.parse::<Uri>().unwrap()), Some(path.to_owned()));
        assert_eq!(
            canonical_view(&format!("{path}?").parse::<Uri>().unwrap()),
            Some(path.to_owned())
        );
    }
}

/// Issue 15, point 1: the session cookie as tower-cookies reads it (every
/// `Cookie` header, UTF-8, split at `;`, names trimmed and percent-decoded).
#[test]
fn the_session_cookie_is_found_in_every_form_the_session_layer_reads() {
    let found = |values: &[&[u8]]| {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(header::COOKIE, HeaderValue::from_bytes(value).unwrap());
        }
        has_session(&headers, "accord_session")
    };
    for form in [
        &[&b"accord_session=abc"[..]][..],
        &[b"accord_session = abc"],
        &[b"accord_session =abc"],
        &[b"\taccord_session\t=abc"],
        &[b"; accord_session=abc"],
        &[b"a=1;accord_session=abc;b=2"],
        &[b"a=1", b"accord_session=abc"],
        &[b"accord%5Fsession=abc"],
        &[b"accord_session=\"abc\""],
        &["caf\u{e9}=\u{e9}; accord_session=abc".as_bytes()],
    ] {
        assert!(found(form), "{form:?}");
    }
    for form in [
        &[&b"a=1"[..]][..],
        &[b"Accord_Session=abc"],
        &[b"accord_sessionx=abc"],
        &[b"xaccord_session=abc"],
    ] {
        assert!(!found(form), "{form:?}");
    }
}

/// Issue 15, points 1 and 3: a page to keep is rendered from its canonical
/// URL, as a GET, without any cookie; a `HEAD` is answered from memory with
/// the page's headers and no body.
#[tokio::test]
async fn a_page_to_keep_reaches_the_router_without_cookies_and_head_is_served_from_memory() {
    use tower::ServiceExt;
    let (cache, _changes) = cache_with(8);
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let record = seen.clone();
    let app = axum::Router::new()
        .route(
            "/",
            axum::routing::get(move |request: Request| {
                let record = record.clone();
                async move {
                    let cookies = request.headers().get_all(header::COOKIE).iter().count();
                    record
                        .lock()
                        .unwrap()
                        .push(format!("{} {} cookies={cookies}", request.method(), request.uri()));
                    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], "<p>page</p>")
                }
            }),
        )
        .layer(axum::middleware::from_fn_with_state(cache.clone(), serve_cached_pages));
    let send = |method: Method, uri: &str, cookie: Option<&str>| {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        app.clone().oneshot(request.body(Body::empty()).unwrap())
    };
    let first = send(
        Method::HEAD,
        "/?utm_source=x&status=stalled",
        Some("theme=dark; accord_session =abc"),
    )
    .await
    .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    // The form of the session cookie is one the session layer reads: that
    // request is never kept. A reader's is, rendered without its cookies.
    let first = send(Method::HEAD, "/?utm_source=x&status=stalled", Some("theme=dark"))
        .await
        .unwrap();
    let tag = first.headers()[header::ETAG].clone();
    assert_eq!(first.headers()[header::CONTENT_LENGTH], "11");
    assert!(axum::body::to_bytes(first.into_body(), 1024).await.unwrap().is_empty());
    let head = send(Method::HEAD, "/?status=stalled", None).await.unwrap();
    assert_eq!(head.headers()[header::ETAG], tag, "served from memory");
    assert_eq!(head.headers()[header::CONTENT_LENGTH], "11");
    assert!(axum::body::to_bytes(head.into_body(), 1024).await.unwrap().is_empty());
    let get = send(Method::GET, "/?status=stalled&fbclid=1", None).await.unwrap();
    assert_eq!(get.headers()[header::ETAG], tag);
    assert_eq!(
        &axum::body::to_bytes(get.into_body(), 1024).await.unwrap()[..],
        b"<p>page</p>"
    );
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            "HEAD /?utm_source=x&status=stalled cookies=1".to_owned(),
            "GET /?status=stalled cookies=0".to_owned(),
        ],
        "one render for the signed-in request as sent, one for every reader"
    );
}

/// Issue 15, point 3: views nobody has asked for yet (every search is one)
/// cost at most so many renders at a time; a reader beyond that is
/// answered 503 with Retry-After once the short wait is over, and kept
/// pages are still served meanwhile.
#[tokio::test]
async fn renders_of_pages_not_kept_run_a_bounded_number_at_once() {
    use tower::ServiceExt;
    let cache = PageCache::with_render_turns(
        Duration::from_secs(60),
        64,
        store::DataChanges::default(),
        write_turns::WriteTurns::new(crate::DEFAULT_WRITE_SHARE),
        3,
        Duration::ZERO,
    );
    let release = Arc::new(tokio::sync::Notify::new());
    let running = Arc::new(AtomicU64::new(0));
    let (held, counted) = (release.clone(), running.clone());
    let app = axum::Router::new()
        .route(
            "/{page}",
            axum::routing::get(move || {
                let (held, counted) = (held.clone(), counted.clone());
                async move {
                    counted.fetch_add(1, Ordering::SeqCst);
                    held.notified().await;
                    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], "<p>page</p>")
                }
            }),
        )
        .layer(axum::middleware::from_fn_with_state(cache.clone(), serve_cached_pages));
    let get = |path: String| app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap());
    // One page kept before the rush.
    let kept = tokio::spawn(get("/kept".into()));
    while running.load(Ordering::SeqCst) < 1 {
        tokio::task::yield_now().await;
    }
    release.notify_waiters();
    assert_eq!(kept.await.unwrap().unwrap().status(), StatusCode::OK);
    running.store(0, Ordering::SeqCst);

    let rush: Vec<_> = (0..10).map(|n| tokio::spawn(get(format!("/page{n}")))).collect();
    while running.load(Ordering::SeqCst) < 3 {
        tokio::task::yield_now().await;
    }
    for _ in 0..50 {
        tokio::task::yield_now().await;
    }
    assert_eq!(running.load(Ordering::SeqCst), 3, "three renders at once");
    let served = get("/kept".into()).await.unwrap();
    assert_eq!(served.status(), StatusCode::OK, "a kept page is served during the rush");
    // A made-up session cookie skips the kept pages, but not the bound.
    let with_cookie = Request::get("/kept")
        .header(header::COOKIE, "accord_session=made-up")
        .body(Body::empty())
        .unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(5), app.clone().oneshot(with_cookie))
        .await
        .expect("answered at once, not rendered behind the rush")
        .unwrap();
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
    let mut busy = 0;
    let mut done = 0;
    for answer in rush {
        // Those rendering finish once released; the others were refused.
        release.notify_waiters();
        let answer = answer.await.unwrap().unwrap();
        match answer.status() {
            StatusCode::OK => done += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(answer.headers()[header::RETRY_AFTER], "1");
                busy += 1;
            }
            other => panic!("{other}"),
        }
    }
    assert_eq!((done, busy), (3, 7));
}

/// A dotted path that is not a file route (`/commitments/a.b`, `/foo.x`)
/// still reaches Leptos, so it takes a render turn like any other page
/// (review finding F3: it used to skip the bound).
#[tokio::test]
async fn a_rush_of_dotted_paths_is_bounded_like_other_renders() {
    use tower::ServiceExt;
    let cache = PageCache::with_render_turns(
        Duration::from_secs(60),
        64,
        store::DataChanges::default(),
        write_turns::WriteTurns::new(crate::DEFAULT_WRITE_SHARE),
        3,
        Duration::ZERO,
    );
    let release = Arc::new(tokio::sync::Notify::new());
    let running = Arc::new(AtomicU64::new(0));
    let (held, counted) = (release.clone(), running.clone());
    let app = axum::Router::new()
        .fallback(axum::routing::get(move || {
            let (held, counted) = (held.clone(), counted.clone());
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                held.notified().await;
                (
                    StatusCode::NOT_FOUND,
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    "<p>not found</p>",
                )
            }
        }))
        .layer(axum::middleware::from_fn_with_state(cache.clone(), serve_cached_pages));
    let rush: Vec<_> = (0..10)
        .map(|n| {
            let path = format!("/commitments/a{n}.b?q=x");
            let app = app.clone();
            tokio::spawn(async move { app.oneshot(Request::get(path).body(Body::empty()).unwrap()).await })
        })
        .collect();
    while running.load(Ordering::SeqCst) < 3 {
        tokio::task::yield_now().await;
    }
    for _ in 0..50 {
        tokio::task::yield_now().await;
    }
    assert_eq!(running.load(Ordering::SeqCst), 3, "three renders at once");
    let mut statuses = Vec::new();
    for answer in rush {
        release.notify_waiters();
        statuses.push(answer.await.unwrap().unwrap().status());
    }
    let busy = statuses
        .iter()
        .filter(|s| **s == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert_eq!(busy, 7, "{statuses:?}");
    for file_route in [
        "/feed.atom",
        "/ko/commitments/x/card.png",
        "/export/commitments.csv",
        "/api/v1/summits",
    ] {
        assert!(is_served_without_rendering(file_route), "{file_route}");
    }
    for render in [
        "/commitments/a.b",
        "/foo.x",
        "/summits/x.y",
        "/commitments/x/y/card.png",
    ] {
        assert!(!is_served_without_rendering(render), "{render}");
    }
}

/// Issue 17, point 1: what each kind of page shows, read from its
/// canonical view the same way in every language.
#[test]
fn a_pages_view_says_what_it_shows() {
    let commitment = |slug: &str| Shows::Commitment(slug.to_owned());
    let summit = |slug: &str| Shows::Summit(slug.to_owned());
    for prefix in ["", "/ko", "/zh"] {
        for (view, expected) in [
            ("/commitments/tariff-cut", commitment("tariff-cut")),
            ("/commitments/tariff-cut?suggested=1", commitment("tariff-cut")),
            ("/commitments/tariff-cut/history", commitment("tariff-cut")),
            ("/commitments/tariff-cut/history?before=51", commitment("tariff-cut")),
            ("/commitments/tariff-cut/edit", commitment("tariff-cut")),
            ("/summits/xi-lee-2025", summit("xi-lee-2025")),
            ("/summits/xi-lee-2025?status=stalled&page=2", summit("xi-lee-2025")),
            ("/?summit=xi-lee-2025", summit("xi-lee-2025")),
            ("/?summit=xi-lee-2025&status=stalled&sort=title", summit("xi-lee-2025")),
            ("/", Shows::AnyCommitment),
            ("/?status=stalled", Shows::AnyCommitment),
            ("/?q=tariff", Shows::AnyCommitment),
            ("/summits", Shows::AnyCommitment),
            ("/corrections", Shows::AnyCommitment),
            ("/methodology", Shows::AnyCommitment),
            ("/login?next=%2Freview", Shows::AnyCommitment),
            // Not a slug as the store writes it (the router may still read
            // it as one): any write may change it.
            ("/commitments/tariff%2Dcut", Shows::AnyCommitment),
            ("/commitments/Tariff-Cut", Shows::AnyCommitment),
            ("/summits/xi%2Dlee-2025", Shows::AnyCommitment),
        ] {
            let view = if prefix.is_empty() {
                view.to_owned()
            } else if view == "/" {
                prefix.to_owned()
            } else if let Some(query) = view.strip_prefix("/?") {
                format!("{prefix}?{query}")
            } else {
                format!("{prefix}{view}")
            };
            assert_eq!(shows(&view), expected, "{view}");
        }
    }
}

/// Issue 17, point 1: a write to commitment X makes stale X's pages (in
/// every language), its summit's views and every list that may show it,
/// and nothing else; a write of everything makes every page stale.
#[tokio::test]
async fn a_write_makes_stale_only_the_pages_that_show_what_it_changed() {
    let (cache, changes) = cache_with(64);
    let stale_after_x = [
        "/commitments/x",
        "/ko/commitments/x",
        "/zh/commitments/x",
        "/commitments/x/history",
        "/ko/commitments/x/history",
        "/zh/commitments/x/history",
        "/summits/s",
        "/ko/summits/s?status=stalled",
        "/?summit=s",
        "/",
        "/zh?status=stalled",
        "/summits",
        "/corrections",
    ];
    let kept_after_x = [
        "/commitments/y",
        "/ko/commitments/y/history",
        "/summits/t",
        "/zh/summits/t",
        "/?summit=t&status=stalled",
    ];
    let store_all = |cache: &PageCache, at: u64| {
        for key in stale_after_x.iter().chain(&kept_after_x) {
            cache
                .store((*key).to_owned(), at, page_headers(), page_body(key))
                .unwrap();
        }
    };
    store_all(&cache, changes.step());
    changes.record(&store::Change::commitment("x", "s"));
    for key in stale_after_x {
        assert!(matches!(cache.lookup(key).await, Lookup::Render(_)), "{key} is stale");
    }
    for key in kept_after_x {
        assert!(matches!(cache.lookup(key).await, Lookup::Serve(_)), "{key} is kept");
    }

    store_all(&cache, changes.step());
    changes.record(&store::Change::Everything);
    for key in stale_after_x.iter().chain(&kept_after_x) {
        assert!(matches!(cache.lookup(key).await, Lookup::Render(_)), "{key} is stale");
    }
}

/// Issue 17, point 4: the connection loop answers a reader's request for a
/// kept, current page before routing it, and leaves every other request to
/// the router (where `serve_cached_pages` decides as before).
#[tokio::test]
async fn a_readers_request_for_a_kept_current_page_is_answered_before_routing() {
    let (cache, changes) = cache_with(8);
    let request = |method: Method, uri: &str| axum::http::Request::builder().method(method).uri(uri).body(()).unwrap();
    assert!(cache.serve_kept(&request(Method::GET, "/")).is_none(), "not kept yet");
    cache
        .store("/".into(), changes.step(), page_headers(), page_body("front"))
        .unwrap();
    let served = cache
        .serve_kept(&request(Method::GET, "/?utm_source=x"))
        .expect("kept and current, whatever tracking it carries");
    assert_eq!(served.status(), StatusCode::OK);
    let (body, _) = text_of(served).await;
    assert!(body.contains("<p>front</p>") && !body.contains(NONCE), "{body}");
    let head = cache.serve_kept(&request(Method::HEAD, "/")).unwrap();
    assert_eq!(head.headers()[header::CONTENT_LENGTH], body.len().to_string().as_str());
    assert!(axum::body::to_bytes(head.into_body(), 16).await.unwrap().is_empty());
    assert_eq!(cache.hits(), 2);
    let with_cookie = axum::http::Request::get("/")
        .header(header::COOKIE, "theme=dark")
        .body(())
        .unwrap();
    assert!(
        cache.serve_kept(&with_cookie).is_none(),
        "any cookie: the router's path"
    );
    assert!(cache.serve_kept(&request(Method::POST, "/")).is_none());
    assert!(
        cache.serve_kept(&request(Method::GET, "/?__err=x")).is_none(),
        "a form's error"
    );
    assert!(
        cache.serve_kept(&request(Method::GET, "/feed.atom")).is_none(),
        "not a page"
    );
    changes.record(&store::Change::commitment("x", "s"));
    assert!(cache.serve_kept(&request(Method::GET, "/")).is_none(), "stale");
    assert_eq!(cache.hits(), 2);
}

/// Issue 17, point 2: while readers are answered, a post carrying the
/// session cookie (an editor's save) waits for its turn, here behind a
/// window another editor's write holds open; one without it (a sign-in, a
/// reader's suggestion) never does, and with no reader about neither does.
/// (A page served from memory tells the turns a reader was answered:
/// `a_page_served_from_memory_tells_the_write_turns_of_its_reader`.)
#[tokio::test(start_paused = true)]
async fn only_posts_with_the_session_cookie_take_turns_and_only_while_readers_are_answered() {
    use tower::ServiceExt;
    let (cache, _changes) = cache_with(8);
    let app = axum::Router::new()
        .route("/api/save", axum::routing::post(|| async { "saved" }))
        .layer(axum::middleware::from_fn_with_state(cache.clone(), serve_cached_pages));
    let answered_within = |cookie: Option<&'static str>, wait: Duration| {
        let mut request = Request::builder().method(Method::POST).uri("/api/save");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let call = app.clone().oneshot(request.body(Body::empty()).unwrap());
        async move { tokio::time::timeout(wait, call).await.is_ok() }
    };
    let editor_cookie = "theme=dark; accord_session=abc";
    let editor = Some(editor_cookie);
    let a_reader = || cache.write_turns.reader_answered();

    a_reader();
    let held = cache.write_turns.take().await;
    a_reader();
    assert!(
        answered_within(None, Duration::from_millis(1)).await,
        "no cookie: no turn"
    );
    a_reader();
    assert!(
        !answered_within(editor, Duration::from_millis(50)).await,
        "an editor's save waits for the window to close"
    );
    drop(held);
    a_reader();
    assert!(answered_within(editor, Duration::from_millis(1)).await, "then runs");

    // What a save spends is charged to its window: a handler that works
    // for 5 ms of CPU leaves a pause of nine times as long.
    let app = axum::Router::new()
        .route(
            "/api/work",
            axum::routing::post(|| async {
                write_turns::spin_cpu(Duration::from_millis(5));
                "worked"
            }),
        )
        .layer(axum::middleware::from_fn_with_state(cache.clone(), serve_cached_pages));
    a_reader();
    let request = Request::post("/api/work").header(header::COOKIE, editor_cookie);
    app.oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let pause = cache.write_turns.next_window_due() - tokio::time::Instant::now();
    assert!(pause >= Duration::from_millis(40), "{pause:?}");
    tokio::time::sleep(Duration::from_secs(1)).await;

    // No reader answered for a while: a save runs even beside a window.
    a_reader();
    let held = cache.write_turns.take().await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert!(
        answered_within(editor, Duration::from_millis(1)).await,
        "no readers: no wait"
    );
    drop(held);
}

#[tokio::test(start_paused = true)]
async fn a_page_served_from_memory_tells_the_write_turns_of_its_reader() {
    let (cache, _changes) = cache_with(8);
    let now = tokio::time::Instant::now;
    assert!(!cache.write_turns.readers_answered(now()), "no reader yet");
    cache.store("/".into(), 0, page_headers(), page_body("front")).unwrap();
    assert!(
        !cache.write_turns.readers_answered(now()),
        "keeping a page serves nobody"
    );
    assert!(matches!(cache.lookup("/").await, Lookup::Serve(_)));
    assert!(cache.write_turns.readers_answered(now()));
    tokio::time::advance(write_turns::READERS_RECENT).await;
    assert!(
        !cache.write_turns.readers_answered(now()),
        "readers gone after a quiet spell"
    );
}

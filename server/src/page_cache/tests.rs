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

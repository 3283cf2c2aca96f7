//! The page cache: anonymous readers get pages from memory as fixed bytes
//! (scripts allowed by hash, an ETag, 304 for a reader who has the page); a
//! write through the site empties it at once; signed-in editors always get a
//! fresh render.

use crate::support::{self, both_engines, on_engine};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use server::{router, seed};
use tower::ServiceExt;

const SITE: &str = "http://127.0.0.1:3000";
const PASSWORD: &str = "correct horse battery";

async fn app(db: store::Db) -> Router {
    seed::seed_if_empty(&db).await.unwrap();
    store::users::create_user(&db, "alice", domain::Role::Editor, PASSWORD, chrono::Utc::now())
        .await
        .unwrap();
    router_for_site(db, "target/site")
}

/// The site's router, serving files from `site_root`.
fn router_for_site(db: store::Db, site_root: &str) -> Router {
    router(support::state_of(db, &format!("{SITE}/"), site_root))
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, header::HeaderMap, String) {
    let answer = support::respond(app, request).await;
    let text = String::from_utf8_lossy(&answer.body).into_owned();
    (answer.status, answer.headers, text)
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::empty()).unwrap()
}

fn header_of(headers: &header::HeaderMap, name: header::HeaderName) -> String {
    headers
        .get(&name)
        .unwrap_or_else(|| panic!("no {name}"))
        .to_str()
        .unwrap()
        .to_owned()
}

both_engines!(anonymous_pages_come_from_memory_as_the_same_bytes_until_a_write);
async fn anonymous_pages_come_from_memory_as_the_same_bytes_until_a_write(db: store::Db) {
    let app = app(db.clone()).await;
    let data = seed::parse_dataset(seed::SUMMIT_2025_11_01).unwrap();
    let slug = data
        .commitments
        .iter()
        .find(|c| c.owed_by.len() == 2)
        .unwrap()
        .slug
        .to_string();

    let (status, first_headers, first) = send(&app, get("/", None)).await;
    assert_eq!(status, StatusCode::OK);
    // A change the site does not know about is not seen: the page is cached.
    support::retitle_behind_the_sites_back(&db, &slug, "Retitled out of band").await;
    let (_, second_headers, second) = send(&app, get("/", None)).await;
    assert!(!second.contains("Retitled out of band"), "served from the cache");
    assert_eq!(first, second, "byte for byte the same page");
    let policy = header_of(&second_headers, header::CONTENT_SECURITY_POLICY);
    assert!(
        !policy.contains("'nonce-") && policy.contains("'sha256-"),
        "scripts allowed by hash: {policy}"
    );
    assert_eq!(policy, header_of(&first_headers, header::CONTENT_SECURITY_POLICY));
    let tag = header_of(&first_headers, header::ETAG);
    assert_eq!(tag, header_of(&second_headers, header::ETAG));
    assert_eq!(header_of(&second_headers, header::CACHE_CONTROL), "no-cache");

    // A reader who has this version is told so, without the page.
    let revalidate = Request::get("/")
        .header(header::IF_NONE_MATCH, &tag)
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = send(&app, revalidate).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(header_of(&headers, header::ETAG), tag);

    // An editor (a session cookie) always gets a fresh render.
    let form = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("name", "alice"), ("password", PASSWORD)])
        .finish();
    let login = Request::post("/api/login")
        .header(header::ORIGIN, SITE)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(form))
        .unwrap();
    let (status, headers, _) = send(&app, login).await;
    assert!(status.is_success(), "{status}");
    let cookie = headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let (_, editor_headers, editor_view) = send(&app, get("/", Some(&cookie))).await;
    assert!(editor_view.contains("Retitled out of band"), "editors see the database");
    assert!(
        header_of(&editor_headers, header::CONTENT_SECURITY_POLICY).contains("'nonce-"),
        "a page rendered for one response allows its scripts by nonce"
    );
    assert!(
        editor_headers.get(header::ETAG).is_none(),
        "and is not a shared version"
    );

    // Signing in changed nothing readers see: the page is still the kept
    // one. A status change is a real write, which makes it stale: the next
    // reader gets a page rendered after it.
    let (_, headers, still_kept) = send(&app, get("/", None)).await;
    assert_eq!(header_of(&headers, header::ETAG), tag, "signing in is not a write");
    assert!(!still_kept.contains("Retitled out of band"));
    let source: i64 = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT cs.source_id FROM commitment_sources cs JOIN commitments c ON c.id = cs.commitment_id
         WHERE c.slug = $1 ORDER BY cs.source_id LIMIT 1",
    )
    .bind(&slug)
    .fetch_one(pool)
    .await
    .unwrap());
    let version: i64 = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT version FROM commitments WHERE slug = $1"
    )
    .bind(&slug)
    .fetch_one(pool)
    .await
    .unwrap());
    let change = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("slug", slug.as_str()),
            ("version", &version.to_string()),
            ("party", "kr"),
            ("status", "in_progress"),
            ("effective_on", "2026-03-01"),
            ("note", "Negotiators met in Seoul."),
            ("source_ids[]", &source.to_string()),
        ])
        .finish();
    let write = Request::post("/api/update_status")
        .header(header::ORIGIN, SITE)
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(change))
        .unwrap();
    let (status, _, body) = send(&app, write).await;
    assert!(status.is_success(), "{status}: {body}");
    let (_, headers, after_write) = send(&app, get("/", None)).await;
    assert!(
        after_write.contains("Retitled out of band"),
        "a write empties the cache"
    );
    assert_ne!(header_of(&headers, header::ETAG), tag, "a new version, a new tag");
    let revalidate = Request::get("/")
        .header(header::IF_NONE_MATCH, &tag)
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = send(&app, revalidate).await;
    assert_eq!(status, StatusCode::OK, "the old version is not current");
    assert_eq!(body, after_write);

    // A refused POST changes nothing, so it does not empty the cache.
    support::retitle_behind_the_sites_back(&db, &slug, "Second out-of-band title").await;
    let refused = Request::post("/api/update_status")
        .header(header::ORIGIN, SITE)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("slug=x"))
        .unwrap();
    let (status, _, _) = send(&app, refused).await;
    assert!(status.is_client_error());
    let (_, _, still) = send(&app, get("/", None)).await;
    assert!(!still.contains("Second out-of-band title"));
}

both_engines!(only_whole_successful_pages_are_cached);
async fn only_whole_successful_pages_are_cached(db: store::Db) {
    let app = app(db.clone()).await;
    // A 404 page is rendered each time (the commitment may be created).
    let (status, _, _) = send(&app, get("/commitments/not-yet", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Bad queries (400) are not kept either, and JSON/feeds are not pages.
    let (status, _, _) = send(&app, get("/?status=broken", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, _, before) = send(&app, get("/api/v1/summits", None)).await;
    on_engine!(db, |pool| sqlx::query("UPDATE summits SET title = 'Renamed summit'")
        .execute(pool)
        .await
        .unwrap()
        .rows_affected());
    let (_, _, after) = send(&app, get("/api/v1/summits", None)).await;
    assert_ne!(before, after, "the API is not served from the page cache");
    assert!(after.contains("Renamed summit"));
}

both_engines!(pages_and_feeds_are_compressed_for_clients_that_accept_it);
async fn pages_and_feeds_are_compressed_for_clients_that_accept_it(db: store::Db) {
    let app = app(db).await;
    for path in ["/", "/feed.atom", "/export/commitments.csv"] {
        let (_, _, plain) = send(&app, get(path, None)).await;
        for encoding in ["gzip", "br"] {
            let request = Request::get(path)
                .header(header::ACCEPT_ENCODING, encoding)
                .body(Body::empty())
                .unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            assert_eq!(
                response.headers().get(header::CONTENT_ENCODING).unwrap(),
                encoding,
                "{path}"
            );
            let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
                .await
                .unwrap();
            assert!(
                bytes.len() * 3 < plain.len(),
                "{path} {encoding}: {} of {} bytes",
                bytes.len(),
                plain.len()
            );
        }
    }
}

both_engines!(the_wasm_bundle_is_served_precompressed_never_compressed_per_request);
async fn the_wasm_bundle_is_served_precompressed_never_compressed_per_request(db: store::Db) {
    seed::seed_if_empty(&db).await.unwrap();
    let site = std::env::temp_dir().join(format!("accord-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let wasm = vec![0u8; 64 * 1024];
    std::fs::write(site.join("pkg/accord.wasm"), &wasm).unwrap();
    std::fs::write(site.join("pkg/accord.wasm.gz"), b"pretend gzip").unwrap();
    std::fs::write(site.join("pkg/other.wasm"), &wasm).unwrap();
    let app = router_for_site(db, site.to_str().unwrap());
    let fetch = |path: &'static str, encoding: &'static str| {
        let app = app.clone();
        async move {
            let request = Request::get(path)
                .header(header::ACCEPT_ENCODING, encoding)
                .body(Body::empty())
                .unwrap();
            let response = app.oneshot(request).await.unwrap();
            let encoding = response
                .headers()
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap().to_owned());
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
            (encoding, bytes.len())
        }
    };
    assert_eq!(
        fetch("/pkg/accord.wasm", "gzip").await,
        (Some("gzip".to_owned()), 12),
        "the .gz file as it is"
    );
    assert_eq!(fetch("/pkg/accord.wasm", "identity").await, (None, wasm.len()));
    assert_eq!(
        fetch("/pkg/other.wasm", "gzip, br").await,
        (None, wasm.len()),
        "no per-request compression"
    );
    let _ = std::fs::remove_dir_all(&site);
}

both_engines!(bundle_files_named_by_their_content_may_be_kept_for_a_year);
async fn bundle_files_named_by_their_content_may_be_kept_for_a_year(db: store::Db) {
    seed::seed_if_empty(&db).await.unwrap();
    let site = std::env::temp_dir().join(format!("accord-hashed-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let hashed = "accord.Ab3_x-9ZqWv0Lm2Kp4Rt8Q.wasm";
    std::fs::write(site.join("pkg").join(hashed), b"\0asm").unwrap();
    std::fs::write(site.join("pkg").join(format!("{hashed}.gz")), b"pretend gzip").unwrap();
    std::fs::write(site.join("pkg/accord.js"), b"// plain name").unwrap();
    let app = router_for_site(db, site.to_str().unwrap());
    for (path, encoding, expected) in [
        (
            format!("/pkg/{hashed}"),
            "identity",
            Some("public, max-age=31536000, immutable"),
        ),
        (
            format!("/pkg/{hashed}"),
            "gzip",
            Some("public, max-age=31536000, immutable"),
        ),
        ("/pkg/accord.js".to_owned(), "identity", Some("no-cache")),
        ("/pkg/accord.Ab3_x-9ZqWv0Lm2Kp4Rt8X.wasm".to_owned(), "identity", None),
    ] {
        let request = Request::get(&path)
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let policy = response
            .headers()
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(
            policy.as_deref(),
            expected,
            "{path} ({encoding}): {}",
            response.status()
        );
    }
    assert!(server::is_content_named("/pkg/accord.Ab3_x-9ZqWv0Lm2Kp4Rt8Q.css"));
    assert!(!server::is_content_named("/pkg/accord.css"));
    assert!(!server::is_content_named("/pkg/accord_bg.wasm"));
    assert!(!server::is_content_named("/pkg/accord.short.js"));
    let _ = std::fs::remove_dir_all(&site);
}

/// The same site rendering every request (no page cache): what the session
/// layer alone makes of a request.
fn site_without_cache(db: store::Db) -> Router {
    let limits = server::Limits {
        page_cache_ttl: None,
        ..server::Limits::default()
    };
    server::router_with_limits(
        support::state_of(db, &format!("{}/", support::SITE), "target/site"),
        limits,
    )
}

/// What only a signed-in editor's page shows.
const EDITORS_MARK: &str = "Sign out";

fn get_with_cookies(path: &str, cookies: &[&[u8]]) -> Request<Body> {
    let mut request = Request::get(path);
    for cookie in cookies {
        request = request.header(header::COOKIE, header::HeaderValue::from_bytes(cookie).unwrap());
    }
    request.body(Body::empty()).unwrap()
}

both_engines!(no_form_of_an_editors_cookie_puts_their_page_in_the_cache);
/// Issue 15, point 1: whatever form a signed-in editor's `Cookie` header
/// takes, no page rendered for them is kept for anyone else, and whenever
/// the session layer signs them in, the cache does not hand them a
/// reader's page either (it decides with the session layer's own parser).
async fn no_form_of_an_editors_cookie_puts_their_page_in_the_cache(db: store::Db) {
    let site = support::TestSite::of(db.clone()).await;
    let uncached = site_without_cache(db);
    let cookie = site.sign_in("alice").await;
    let id = cookie.strip_prefix("accord_session=").unwrap().to_owned();
    let encoded_id = format!("%{:02X}{}", id.as_bytes()[0], &id[1..]);
    let forms: Vec<Vec<String>> = vec![
        vec![format!("accord_session={id}")],
        vec![format!("accord_session = {id}")],
        vec![format!("accord_session ={id}")],
        vec![format!("  accord_session={id}  ")],
        vec![format!("\taccord_session\t=\t{id}")],
        vec![format!("; accord_session={id}")],
        vec![format!(";;accord_session={id};")],
        vec![format!("theme=dark;accord_session={id}; lang=ko")],
        vec!["theme=dark".to_owned(), format!("accord_session={id}")],
        vec![format!("accord_session=stale"), format!("accord_session={id}")],
        vec![format!("accord%5Fsession={id}")],
        vec![format!("accord_session={encoded_id}")],
        vec![format!("accord_session=\"{id}\"")],
        vec![format!("caf\u{e9}=cr\u{e8}me; accord_session={id}")],
        vec![format!("Accord_Session={id}")],
    ];
    let mut signed_in_forms = 0;
    for (n, form) in forms.iter().enumerate() {
        let cookies: Vec<&[u8]> = form.iter().map(|c| c.as_bytes()).collect();
        // A page of its own per form, so each form's first request is a
        // miss (rendered, maybe kept) and the /'s later ones are hits.
        for path in [format!("/?page={}", n + 2), "/".to_owned()] {
            let editor = support::respond(&uncached, get_with_cookies(&path, &cookies)).await;
            let session_layer_signs_in = editor.text().contains(EDITORS_MARK);
            let through_cache = support::respond(&site.app, get_with_cookies(&path, &cookies)).await;
            if session_layer_signs_in {
                signed_in_forms += 1;
                assert!(
                    through_cache.text().contains(EDITORS_MARK),
                    "{form:?} {path}: the session layer signs this editor in, so the cache must not answer for a reader"
                );
            }
            let reader = support::respond(&site.app, get_with_cookies(&path, &[])).await;
            assert_eq!(reader.status, StatusCode::OK);
            assert!(
                !reader.text().contains(EDITORS_MARK) && !reader.text().contains("Review suggestions"),
                "{form:?} {path}: a reader was given an editor's page"
            );
        }
    }
    assert!(
        signed_in_forms >= 2 * 10,
        "most forms sign in ({signed_in_forms} requests did)"
    );
}

both_engines!(only_a_committed_write_makes_kept_pages_stale);
/// Issue 15, point 3: a failed sign-in, a sign-in, a refused form (a no-JS
/// 303 back with the error), a CORS preflight and a sign-out change nothing
/// readers see, so the kept page stays; a saved status change replaces it.
async fn only_a_committed_write_makes_kept_pages_stale(db: store::Db) {
    let site = support::TestSite::of(db.clone()).await;
    let first = site.get("/", None).await;
    let tag = first.header(header::ETAG).to_owned();
    support::retitle_behind_the_sites_back(&db, &site.slug, "Retitled out of band").await;
    let still_kept = |what: &'static str| {
        let site = &site;
        let tag = tag.clone();
        async move {
            let page = site.get("/", None).await;
            assert_eq!(page.header(header::ETAG), tag, "after {what}: the kept page");
            assert!(!page.text().contains("Retitled out of band"), "after {what}");
        }
    };

    let failed = site
        .post_form(
            "/api/login",
            &[("name", "alice"), ("password", "not the password at all")],
            None,
        )
        .await;
    assert!(
        failed.status.is_redirection(),
        "a no-JS refusal is a redirect: {}",
        failed.status
    );
    still_kept("a failed sign-in").await;

    let cookie = site.sign_in("alice").await;
    still_kept("a sign-in").await;

    let source = site.source_id.to_string();
    let version = site.version_of(&site.slug).await.to_string();
    let mut refused_fields = vec![
        ("slug", site.slug.as_str()),
        ("version", version.as_str()),
        ("party", "kr"),
        ("status", "in_progress"),
        ("effective_on", "not a date"),
        ("note", "Negotiators met in Seoul."),
        ("source_ids[]", source.as_str()),
    ];
    let mut refused = site.form_request("/api/update_status", &refused_fields, Some(&cookie));
    let page_url = format!("{}/commitments/{}", support::SITE, site.slug);
    refused.headers_mut().insert(header::REFERER, page_url.parse().unwrap());
    let refused = support::respond(&site.app, refused).await;
    assert!(refused.status.is_redirection(), "{}", refused.status);
    assert!(
        refused
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().unwrap_or_default().starts_with(server::flash::FLASH_COOKIE)),
        "refused with the error in a flash cookie: {:?}",
        refused.headers
    );
    still_kept("a refused form").await;

    let preflight = Request::builder()
        .method("OPTIONS")
        .uri("/api/update_status")
        .header(header::ORIGIN, "https://elsewhere.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .body(Body::empty())
        .unwrap();
    // Answered 405 today (the site allows no cross-origin calls); whatever
    // it is answered, it writes nothing.
    support::respond(&site.app, preflight).await;
    still_kept("a CORS preflight").await;

    let out = site.post_form("/api/logout", &[], Some(&cookie)).await;
    assert!(out.status.is_redirection(), "{}", out.status);
    still_kept("a sign-out").await;

    let cookie = site.sign_in("alice").await;
    refused_fields[4] = ("effective_on", "2026-03-01");
    let saved = site
        .post_form("/api/update_status", &refused_fields, Some(&cookie))
        .await;
    assert!(saved.status.is_redirection());
    assert!(!saved
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().unwrap_or_default().starts_with(server::flash::FLASH_COOKIE)));
    let page = site.get("/", None).await;
    assert!(
        page.text().contains("Retitled out of band"),
        "a saved change makes the page stale"
    );
    assert_ne!(page.header(header::ETAG), tag);
}

both_engines!(tracking_parameters_share_the_views_kept_page);
/// Issue 15, point 3: tracking parameters and the order of a view's
/// parameters make no new entry, and do not reach the kept page.
async fn tracking_parameters_share_the_views_kept_page(db: store::Db) {
    let site = support::TestSite::of(db.clone()).await;
    let first = site.get("/?party=kr&sort=title", None).await;
    assert_eq!(first.status, StatusCode::OK);
    let tag = first.header(header::ETAG).to_owned();
    support::retitle_behind_the_sites_back(&db, &site.slug, "Retitled out of band").await;
    for variant in [
        "/?sort=title&party=kr",
        "/?utm_source=news&sort=title&utm_medium=mail&party=kr&fbclid=abc&gclid=def",
        "/?party=kr&sort=title&page=1&whatever=x",
    ] {
        let page = site.get(variant, None).await;
        assert_eq!(page.header(header::ETAG), tag, "{variant}: the same entry");
        assert!(!page.text().contains("Retitled out of band"), "{variant}");
    }
    let tracked = site.get("/summits?utm_campaign=reflected-marker", None).await;
    assert!(
        !tracked.text().contains("reflected-marker"),
        "rendered from the canonical URL"
    );
}

both_engines!(form_errors_are_never_kept_nor_served_from_memory);
/// Issue 15, points 3 and 8: a URL carrying a no-JS form's error (`__err`,
/// `__path`) is the plain page (the flash layer drops the two before the
/// cache sees them: the kept page, and no new entry); a page shown with a
/// real refusal from a flash cookie is rendered for its browser alone,
/// never kept nor served from memory.
async fn form_errors_are_never_kept_nor_served_from_memory(db: store::Db) {
    let site = support::TestSite::of(db.clone()).await;
    let plain = site.get("/login", None).await;
    let tag = plain.header(header::ETAG).to_owned();
    assert!(!tag.is_empty(), "/login is kept");
    for carrier in ["/login?__path=%2Fapi%2Flogin&__err=e30", "/login?__err=x"] {
        let page = site.get(carrier, None).await;
        assert_eq!(page.header(header::ETAG), tag, "{carrier}: the kept plain page");
    }

    let mut refused = site.form_request(
        "/api/login",
        &[("name", "typed-by-this-browser"), ("password", "wrong password")],
        None,
    );
    refused
        .headers_mut()
        .insert(header::REFERER, format!("{}/login", support::SITE).parse().unwrap());
    let refused = support::respond(&site.app, refused).await;
    let flash = support::flash_cookie(&refused.headers).expect("a refusal in a flash cookie");
    let shown = site.get("/login", Some(&flash)).await;
    assert!(shown.text().contains("typed-by-this-browser"));
    assert!(shown.headers.get(header::ETAG).is_none(), "rendered, not kept");
    assert_eq!(shown.header(header::CACHE_CONTROL), "no-store");
    // A flash is shown once: the same cookie again gets the plain page.
    let replayed = site.get("/login", Some(&flash)).await;
    assert!(!replayed.text().contains("typed-by-this-browser"));
    let after = site.get("/login", None).await;
    assert_eq!(after.header(header::ETAG), tag);
    assert!(!after.text().contains("typed-by-this-browser"));
}

both_engines!(head_is_answered_from_memory);
/// Issue 15, point 3: `HEAD` is answered from memory, with the page's
/// headers and length and no body.
async fn head_is_answered_from_memory(db: store::Db) {
    let site = support::TestSite::of(db.clone()).await;
    let page = site.get("/summits", None).await;
    support::retitle_behind_the_sites_back(&db, &site.slug, "Retitled out of band").await;
    let head = support::respond(&site.app, Request::head("/summits").body(Body::empty()).unwrap()).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    for name in [
        header::ETAG,
        header::CONTENT_SECURITY_POLICY,
        header::CACHE_CONTROL,
        header::VARY,
    ] {
        assert_eq!(head.header(name.clone()), page.header(name.clone()), "{name}");
    }
    assert_eq!(head.header(header::CONTENT_LENGTH), page.body.len().to_string());
}

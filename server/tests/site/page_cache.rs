//! The page cache: anonymous readers get pages from memory as fixed bytes
//! (scripts allowed by hash, an ETag, 304 for a reader who has the page); a
//! write through the site empties it at once; signed-in editors always get a
//! fresh render.

use crate::support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use server::{router, seed};
use sqlx::SqlitePool;
use tower::ServiceExt;

const SITE: &str = "http://127.0.0.1:3000";
const PASSWORD: &str = "correct horse battery";

async fn app(pool: SqlitePool) -> Router {
    let db = store::Db::new(pool.clone());
    seed::seed_if_empty(&db).await.unwrap();
    store::users::create_user(&pool, "alice", domain::Role::Editor, PASSWORD, chrono::Utc::now())
        .await
        .unwrap();
    router_for_site(pool, "target/site")
}

/// The site's router, serving files from `site_root`.
fn router_for_site(pool: SqlitePool, site_root: &str) -> Router {
    router(support::state(pool, &format!("{SITE}/"), site_root))
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

async fn retitle_behind_the_sites_back(pool: &SqlitePool, slug: &str, title: &str) {
    sqlx::query("UPDATE commitments SET title = ? WHERE slug = ?")
        .bind(title)
        .bind(slug)
        .execute(pool)
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn anonymous_pages_come_from_memory_as_the_same_bytes_until_a_write(pool: SqlitePool) {
    let app = app(pool.clone()).await;
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
    retitle_behind_the_sites_back(&pool, &slug, "Retitled out of band").await;
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

    // Signing in was a successful POST: the cache was emptied. A page
    // rendered less than the refresh gap ago is served while it re-renders
    // (see `page_cache`), so the reader comes once that gap has passed.
    tokio::time::sleep(server::Limits::default().page_refresh_gap + std::time::Duration::from_millis(10)).await;
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
    retitle_behind_the_sites_back(&pool, &slug, "Second out-of-band title").await;
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

#[sqlx::test(migrations = "../migrations")]
async fn only_whole_successful_pages_are_cached(pool: SqlitePool) {
    let app = app(pool.clone()).await;
    // A 404 page is rendered each time (the commitment may be created).
    let (status, _, _) = send(&app, get("/commitments/not-yet", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Bad queries (400) are not kept either, and JSON/feeds are not pages.
    let (status, _, _) = send(&app, get("/?status=broken", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, _, before) = send(&app, get("/api/v1/summits", None)).await;
    sqlx::query("UPDATE summits SET title = 'Renamed summit'")
        .execute(&pool)
        .await
        .unwrap();
    let (_, _, after) = send(&app, get("/api/v1/summits", None)).await;
    assert_ne!(before, after, "the API is not served from the page cache");
    assert!(after.contains("Renamed summit"));
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_and_feeds_are_compressed_for_clients_that_accept_it(pool: SqlitePool) {
    let app = app(pool).await;
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

#[sqlx::test(migrations = "../migrations")]
async fn the_wasm_bundle_is_served_precompressed_never_compressed_per_request(pool: SqlitePool) {
    let db = store::Db::new(pool.clone());
    seed::seed_if_empty(&db).await.unwrap();
    let site = std::env::temp_dir().join(format!("accord-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let wasm = vec![0u8; 64 * 1024];
    std::fs::write(site.join("pkg/accord.wasm"), &wasm).unwrap();
    std::fs::write(site.join("pkg/accord.wasm.gz"), b"pretend gzip").unwrap();
    std::fs::write(site.join("pkg/other.wasm"), &wasm).unwrap();
    let app = router_for_site(pool, site.to_str().unwrap());
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

#[sqlx::test(migrations = "../migrations")]
async fn bundle_files_named_by_their_content_may_be_kept_for_a_year(pool: SqlitePool) {
    let db = store::Db::new(pool.clone());
    seed::seed_if_empty(&db).await.unwrap();
    let site = std::env::temp_dir().join(format!("accord-hashed-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let hashed = "accord.Ab3_x-9ZqWv0Lm2Kp4Rt8Q.wasm";
    std::fs::write(site.join("pkg").join(hashed), b"\0asm").unwrap();
    std::fs::write(site.join("pkg").join(format!("{hashed}.gz")), b"pretend gzip").unwrap();
    std::fs::write(site.join("pkg/accord.js"), b"// plain name").unwrap();
    let app = router_for_site(pool, site.to_str().unwrap());
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

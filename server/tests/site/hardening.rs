//! Hardened HTTP: security headers and the page CSP (a nonce, or hashes for
//! pages the page cache keeps), body
//! size limits, request timeouts, and a graceful shutdown of the real binary
//! that finishes in-flight requests and closes the database cleanly.

use crate::support::{self, both_engines, on_engine};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use server::{router, router_with_limits, seed, AppState, Limits};
use std::io::{Read, Write};
use std::time::Duration;

fn state(db: store::Db, public_url: &str) -> AppState {
    support::state_of(db, public_url, "target/site")
}

async fn app(db: store::Db, public_url: &str) -> Router {
    seed::seed_if_empty(&db).await.unwrap();
    router(state(db, public_url))
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, header::HeaderMap, String) {
    let answer = support::respond(app, request).await;
    let text = String::from_utf8_lossy(&answer.body).into_owned();
    (answer.status, answer.headers, text)
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

fn header_text(headers: &header::HeaderMap, name: header::HeaderName) -> String {
    headers
        .get(&name)
        .unwrap_or_else(|| panic!("missing {name}"))
        .to_str()
        .unwrap()
        .to_owned()
}

/// How a page's CSP allows its scripts.
#[derive(Debug, PartialEq)]
enum ScriptGuard {
    /// Rendered for this response: a nonce on every script.
    Nonce(String),
    /// Kept by the page cache: the hash of every inline script.
    Hashes,
}

/// Checks the page's CSP and that it allows exactly the scripts in it.
fn check_page_policy(path: &str, headers: &header::HeaderMap, html: &str) -> ScriptGuard {
    use base64::Engine;
    use sha2::Digest;
    let csp = header_text(headers, header::CONTENT_SECURITY_POLICY);
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap_or_else(|| panic!("{path}: no script-src in {csp}"));
    assert!(!script_src.contains("unsafe-inline"), "{path}: {script_src}");
    assert!(
        !csp.contains(" 'unsafe-eval'"),
        "{path}: only wasm-unsafe-eval is allowed"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{path}");
    assert!(
        csp.contains("object-src 'none'") && csp.contains("base-uri 'none'"),
        "{path}"
    );
    // (tag, inline text) of every script a browser runs. A JSON-LD block
    // (`type="application/ld+json"`) is a data block: browsers never
    // execute it, so the policy neither allows nor needs to allow it.
    let scripts: Vec<(&str, &str)> = html
        .match_indices("<script")
        .map(|(i, _)| {
            let tag_end = i + html[i..].find('>').unwrap();
            let text_end = tag_end + 1 + html[tag_end + 1..].find("</script>").unwrap();
            (&html[i..tag_end], &html[tag_end + 1..text_end])
        })
        .filter(|(tag, _)| !tag.contains(r#"type="application/ld+json""#))
        .collect();
    assert!(!scripts.is_empty(), "{path}: the hydration scripts are there");
    // No inline style attributes or event handlers, which the CSP would block.
    assert!(!html.contains(" style=\""), "{path}: inline style");
    assert!(
        !html.contains(" onclick=") && !html.contains(" onerror="),
        "{path}: inline handler"
    );
    let nonce = script_src
        .split_whitespace()
        .find_map(|s| s.strip_prefix("'nonce-")?.strip_suffix('\''));
    if let Some(nonce) = nonce {
        assert!(nonce.len() >= 16, "{path}: nonce too short");
        for (tag, _) in &scripts {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: script without the nonce: {tag}"
            );
        }
        return ScriptGuard::Nonce(nonce.to_owned());
    }
    assert!(!html.contains(" nonce=\""), "{path}: a kept page carries no nonce");
    let allowed: Vec<&str> = script_src
        .split_whitespace()
        .filter(|s| s.starts_with("'sha256-"))
        .collect();
    let mut inline = 0;
    for (tag, text) in &scripts {
        if tag.contains(" src=") {
            continue;
        }
        inline += 1;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes()));
        assert!(
            allowed.contains(&format!("'sha256-{hash}'").as_str()),
            "{path}: inline script not allowed by {script_src}: {tag}"
        );
    }
    assert!(inline > 0, "{path}: the inline hydration scripts are there");
    assert!(
        allowed.len() <= inline,
        "{path}: no hash for a script the page does not have"
    );
    ScriptGuard::Hashes
}

both_engines!(pages_carry_a_csp_that_allows_exactly_their_scripts);
async fn pages_carry_a_csp_that_allows_exactly_their_scripts(db: store::Db) {
    let app = app(db, "http://127.0.0.1:3000/").await;
    let slug = seed::parse_dataset(seed::SUMMIT_2025_11_01).unwrap().commitments[0]
        .slug
        .clone();
    // Pages readers share are kept by the page cache, as fixed bytes whose
    // scripts are allowed by hash; answers it does not keep (a 404 here,
    // and every page of a signed-in editor) get a fresh nonce each.
    let mut nonces = Vec::new();
    for (path, kept) in [
        ("/".to_owned(), true),
        (format!("/commitments/{slug}"), true),
        ("/summits".to_owned(), true),
        ("/no-such-page".to_owned(), false),
        ("/no-such-page".to_owned(), false),
        ("/no-such-page".to_owned(), false),
    ] {
        let (status, headers, html) = send(&app, get(&path)).await;
        let expected = if path == "/no-such-page" {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(status, expected, "{path}");
        match check_page_policy(&path, &headers, &html) {
            ScriptGuard::Hashes => assert!(kept, "{path}: only kept pages go without a nonce"),
            ScriptGuard::Nonce(nonce) => {
                assert!(!kept, "{path}: a kept page is fixed bytes");
                nonces.push(nonce);
            }
        }
        assert_eq!(header_text(&headers, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(header_text(&headers, header::X_FRAME_OPTIONS), "DENY");
        assert_eq!(
            header_text(&headers, header::REFERRER_POLICY),
            "strict-origin-when-cross-origin"
        );
        assert!(
            headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
            "no HSTS over http"
        );
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "a fresh nonce for every rendered response");
}

both_engines!(other_responses_get_the_locked_down_defaults_and_https_sites_get_hsts);
async fn other_responses_get_the_locked_down_defaults_and_https_sites_get_hsts(db: store::Db) {
    let app = app(db, "https://accord.example/").await;
    for path in [
        "/healthz",
        "/api/v1/commitments",
        "/feed.atom",
        "/export/commitments.csv",
        "/api/whoami",
    ] {
        let (status, headers, _) = send(&app, get(path)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let csp = header_text(&headers, header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(
            header_text(&headers, header::X_CONTENT_TYPE_OPTIONS),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            header_text(&headers, header::STRICT_TRANSPORT_SECURITY),
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
}

/// How many readers' suggestions are stored.
async fn suggestions(db: &store::Db) -> i64 {
    on_engine!(db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM suggestions")
        .fetch_one(pool)
        .await
        .unwrap())
}

both_engines!(oversized_bodies_are_refused_before_anything_is_stored);
async fn oversized_bodies_are_refused_before_anything_is_stored(db: store::Db) {
    let app = app(db.clone(), "http://127.0.0.1:3000/").await;
    let before = suggestions(&db).await;
    let note = "x".repeat(server::MAX_BODY_BYTES + 1);
    let body = format!("slug=a&party=cn&status=stalled&effective_on=2026-01-01&note={note}");
    let request = Request::post("/api/suggest_update")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();
    let (status, _, _) = send(&app, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(before, suggestions(&db).await);
}

both_engines!(a_request_that_never_finishes_is_answered_408);
async fn a_request_that_never_finishes_is_answered_408(db: store::Db) {
    seed::seed_if_empty(&db).await.unwrap();
    let app = router_with_limits(
        state(db, "http://127.0.0.1:3000/"),
        Limits {
            request_timeout: Duration::from_millis(500),
            ..Limits::default()
        },
    );
    // A client that starts a form post and never sends the rest.
    let stalled = futures::stream::pending::<Result<Vec<u8>, std::io::Error>>();
    let request = Request::post("/api/login")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from_stream(stalled))
        .unwrap();
    let started = std::time::Instant::now();
    let (status, _, _) = send(&app, request).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert!(started.elapsed() < Duration::from_secs(5));
}

// SQLite-only: the real binary over a SQLite file, closed cleanly when its WAL is checkpointed into it.
#[test]
fn sigterm_finishes_in_flight_requests_and_closes_the_database_cleanly() {
    let dir = std::env::temp_dir().join(format!(
        "accord-shutdown-{}-{}",
        std::process::id(),
        support::free_port()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("accord.db");
    let (child, port) = support::spawn_server(&db);

    // A request in flight: the headers and half the body are sent.
    let body = b"name=nobody&password=not-the-password";
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = format!(
        "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nAccept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let term = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    std::thread::sleep(Duration::from_millis(300));
    // The request already started is finished and answered (a wrong
    // password: the usual vague 422), though the server is stopping.
    stream.write_all(&body[10..]).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 422"),
        "the in-flight sign-in got its answer: {answer}"
    );
    assert!(answer.contains("do not match an enabled account"), "{answer}");

    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "exit status {:?}\n{log}", output.status);
    assert!(log.contains("stopped"), "{log}");
    // Closed cleanly: the WAL was checkpointed into the database file.
    let wal = dir.join("accord.db-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "WAL left behind"
    );
    let check = std::process::Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "ok");
    let _ = std::fs::remove_dir_all(&dir);
}

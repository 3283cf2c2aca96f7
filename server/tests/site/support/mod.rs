//! What the HTTP test files share: the site's router over a test database,
//! the shipped data set, and requests answered within a time limit.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use domain::{Clock, PublicUrl};
use leptos::config::LeptosOptions;
use server::{router, seed, AppState};
use sqlx::SqlitePool;
use tower::ServiceExt;

/// The public URL most tests serve the site under.
pub const PUBLIC_URL: &str = "https://accord.example/";

/// The site's state over `pool`, served under `public_url`, with its files
/// (the bundle under /pkg) in `site_root`.
pub fn state(pool: SqlitePool, public_url: &str, site_root: &str) -> AppState {
    AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("accord")
            .site_root(site_root)
            .build(),
        db: store::Db::new(pool),
        public_url: PublicUrl(url::Url::parse(public_url).unwrap()),
        clock: Clock::System,
    }
}

/// The whole site over a fresh database, loaded with the shipped data.
pub async fn seeded_site(pool: SqlitePool) -> Router {
    let db = store::Db::new(pool.clone());
    assert!(seed::seed_if_empty(&db).await.unwrap(), "a fresh database");
    router(state(pool, PUBLIC_URL, "target/site"))
}

/// The whole site over a fresh database loaded with the shipped data, with
/// its clock stopped at noon (UTC) on `today`: what is overdue, and which
/// dates a form accepts, then depend on the test, not on the day it runs.
pub async fn seeded_site_on(pool: SqlitePool, today: chrono::NaiveDate, limits: server::Limits) -> Router {
    let db = store::Db::new(pool.clone());
    assert!(seed::seed_if_empty(&db).await.unwrap(), "a fresh database");
    site_on(pool, today, limits)
}

/// The site over `pool` as it is, its clock stopped at noon on `today`.
pub fn site_on(pool: SqlitePool, today: chrono::NaiveDate, limits: server::Limits) -> Router {
    let mut state = state(pool, PUBLIC_URL, "target/site");
    state.clock = Clock::Fixed(today.and_hms_opt(12, 0, 0).unwrap().and_utc());
    server::router_with_limits(state, limits)
}

/// The data set the site ships with.
pub fn shipped() -> domain::Dataset {
    seed::parse_dataset(seed::SUMMIT_2025_11_01).unwrap()
}

/// A response, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    /// A header's value, or "" when it is missing.
    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).expect("a UTF-8 body")
    }
}

/// Sends `request` to the site. A hung handler fails the test, naming the
/// request, instead of stalling CI.
pub async fn respond(app: &Router, request: Request<Body>) -> Answer {
    let target = format!("{} {}", request.method(), request.uri());
    let response = tokio::time::timeout(std::time::Duration::from_secs(30), app.clone().oneshot(request))
        .await
        .unwrap_or_else(|_| panic!("no response within 30 s to {target}"))
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, 16 * 1024 * 1024).await.unwrap();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

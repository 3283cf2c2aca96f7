//! Whether every commitment's page renders the same from a SQLite site and
//! its PostgreSQL copy: `accord migrate-db`'s last check. What each page is
//! rendered from is compared before (`store::page_comparison`); this renders
//! it, through the whole site (a router over a `store::Db` of each engine,
//! the same clock, no page cache), and compares the HTML a reader gets,
//! byte for byte but for the render's per-request script nonces.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use domain::{Clock, PublicUrl, Slug};
use leptos::config::LeptosOptions;
use tower::ServiceExt;

use crate::{AppState, Limits};

/// How many rendered pages were compared, and which differed (the first
/// `store::page_comparison::LISTED_DIFFERENCES` of them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenderedComparison {
    pub compared: u64,
    pub differing: u64,
    pub first_differing: Vec<String>,
}

impl RenderedComparison {
    pub fn matches(&self) -> bool {
        self.differing == 0
    }
}

/// The site over `db`, dated `now`, rendering every request.
fn site(db: store::Db, now: chrono::DateTime<chrono::Utc>) -> Router {
    let state = AppState {
        leptos_options: LeptosOptions::builder().output_name("accord").build(),
        db,
        public_url: PublicUrl(url::Url::parse("http://127.0.0.1:3000/").expect("a URL")),
        clock: Clock::Fixed(now),
        cards: Default::default(),
        flashes: Default::default(),
        trusted_proxies: Default::default(),
    };
    crate::router_with_limits(
        state,
        Limits {
            page_cache_ttl: None,
            ..Limits::default()
        },
    )
}

/// A page as a reader gets it, or why it could not be read.
async fn render(site: &Router, path: &str) -> Result<(StatusCode, Vec<u8>), String> {
    let request = Request::get(path).body(Body::empty()).map_err(|e| e.to_string())?;
    let response = site.clone().oneshot(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
        .await
        .map_err(|e| e.to_string())?;
    Ok((status, without_nonces(&body)))
}

/// The page with each `nonce="…"` value blanked (a fresh one per render).
pub fn without_nonces(body: &[u8]) -> Vec<u8> {
    let marker = b"nonce=\"";
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.windows(marker.len()).position(|w| w == marker) {
        let value = at + marker.len();
        out.extend_from_slice(&rest[..value]);
        let end = rest[value..]
            .iter()
            .position(|&b| b == b'"')
            .map_or(rest.len(), |n| value + n);
        rest = &rest[end..];
    }
    out.extend_from_slice(rest);
    out
}

/// Renders the front page and every commitment's permalink (the slugs of
/// `slugs`) from both sites and compares them.
pub async fn compare_rendered_pages(
    sqlite: store::Db,
    postgres: store::Db,
    slugs: &[Slug],
    now: chrono::DateTime<chrono::Utc>,
) -> RenderedComparison {
    let (on_sqlite, on_postgres) = (site(sqlite, now), site(postgres, now));
    let mut comparison = RenderedComparison::default();
    let paths = std::iter::once("/".to_owned()).chain(slugs.iter().map(|slug| format!("/commitments/{slug}")));
    for path in paths {
        let (a, b) = tokio::join!(render(&on_sqlite, &path), render(&on_postgres, &path));
        comparison.compared += 1;
        // A page that could not be rendered on either differs: it was not
        // shown to render the same.
        let same = matches!((&a, &b), (Ok(a), Ok(b)) if a == b && a.0 == StatusCode::OK);
        if !same {
            comparison.differing += 1;
            if comparison.first_differing.len() < store::page_comparison::LISTED_DIFFERENCES {
                comparison.first_differing.push(path);
            }
        }
    }
    comparison
}

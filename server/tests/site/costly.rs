//! Issue 15, point 3: the costly requests the page cache does not keep
//! (share cards and badges, the CSV export, the JSON API, server functions
//! by URL) run a bounded number at a time, answering 503 with Retry-After
//! beyond it, and identical card requests are drawn once.

use crate::support::{self, both_engines, on_engine};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;

/// The seeded site with `bounds` on costly requests.
/// The site, and its share-card cache (each site has its own, so no other
/// test's cards are counted).
async fn site_and_cards(db: store::Db, bounds: server::cost_limits::CostBounds) -> (Router, server::cards::CardCache) {
    assert!(server::seed::seed_if_empty(&db).await.unwrap());
    let limits = server::Limits {
        costly: bounds,
        ..server::Limits::default()
    };
    let state = support::state_of(db, support::PUBLIC_URL, "target/site");
    let cards = state.cards.clone();
    (server::router_with_limits(state, limits), cards)
}

async fn site_with(db: store::Db, bounds: server::cost_limits::CostBounds) -> Router {
    site_and_cards(db, bounds).await.0
}

async fn slugs(db: &store::Db) -> Vec<String> {
    on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT slug FROM commitments ORDER BY slug"
    )
    .fetch_all(pool)
    .await
    .unwrap())
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

/// Every answer is the image or a 503 that says when to come back.
fn served_or_busy(path: &str, answer: &support::Answer) -> bool {
    match answer.status {
        StatusCode::OK => false,
        StatusCode::SERVICE_UNAVAILABLE => {
            assert_eq!(answer.header(header::RETRY_AFTER), "1", "{path}");
            true
        }
        other => panic!("{path}: {other}"),
    }
}

both_engines!(identical_card_requests_are_drawn_once);
async fn identical_card_requests_are_drawn_once(db: store::Db) {
    let (app, cards) = site_and_cards(db.clone(), server::cost_limits::CostBounds::default()).await;
    let slug = slugs(&db).await.remove(0);
    let path = format!("/ko/commitments/{slug}/card.png");
    let before = cards.stats().renders;
    let answers = futures::future::join_all((0..24).map(|_| support::respond(&app, get(&path)))).await;
    let drawn = cards.stats().renders - before;
    let pngs: Vec<_> = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .map(|a| a.body.clone())
        .collect();
    assert!(!pngs.is_empty());
    assert!(pngs.iter().all(|png| *png == pngs[0]), "the same image to everyone");
    assert_eq!(drawn, 1, "24 requests for one card at once: drawn {drawn} times");
}

both_engines!(distinct_card_renders_run_a_bounded_number_at_once);
async fn distinct_card_renders_run_a_bounded_number_at_once(db: store::Db) {
    let bounds = server::cost_limits::CostBounds {
        images: 2,
        wait: std::time::Duration::from_millis(100),
        ..server::cost_limits::CostBounds::default()
    };
    let (app, cards) = site_and_cards(db.clone(), bounds).await;
    let mut paths = Vec::new();
    for slug in slugs(&db).await {
        for language in ["", "/ko", "/zh"] {
            paths.push(format!("{language}/commitments/{slug}/card.png"));
        }
    }
    assert!(paths.len() >= 39, "{} distinct cards", paths.len());
    let answers = futures::future::join_all(paths.iter().map(|path| support::respond(&app, get(path)))).await;
    let busy = paths
        .iter()
        .zip(&answers)
        .filter(|(path, answer)| served_or_busy(path, answer))
        .count();
    let peak = cards.stats().most_drawn_at_once;
    assert!(
        peak <= 2,
        "at most 2 cards drawn at once, saw {peak} ({busy} of {} answered 503)",
        paths.len()
    );
    assert!(busy < paths.len(), "some were drawn");
    eprintln!(
        "{} distinct cards at once: at most {peak} drawn at once, {busy} answered 503",
        paths.len()
    );
}

both_engines!(exports_and_api_lists_beyond_their_bound_are_answered_503);
async fn exports_and_api_lists_beyond_their_bound_are_answered_503(db: store::Db) {
    let bounds = server::cost_limits::CostBounds {
        exports: 1,
        api: 1,
        wait: std::time::Duration::ZERO,
        ..server::cost_limits::CostBounds::default()
    };
    let app = site_with(db, bounds).await;
    for path in ["/export/commitments.csv", "/api/v1/commitments?per_page=200"] {
        let answers = futures::future::join_all((0..8).map(|_| support::respond(&app, get(path)))).await;
        let busy = answers.iter().filter(|answer| served_or_busy(path, answer)).count();
        if path.starts_with("/api/v1/") {
            // The API's 503 is its declared JSON error, like its other errors.
            for answer in answers.iter().filter(|a| a.status == StatusCode::SERVICE_UNAVAILABLE) {
                assert_eq!(answer.header(header::CONTENT_TYPE), "application/json", "{path}");
                let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
                assert!(body["error"].as_str().is_some_and(|e| e.contains("busy")), "{body}");
            }
        }
        assert!(busy >= 1, "{path}: 8 at once with room for 1, none refused");
        assert!(busy < 8, "{path}: one was served");
        eprintln!("{path}: 8 at once with room for 1: {busy} answered 503");
        // Once they are done, the turn is free again.
        let answer = support::respond(&app, get(path)).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
    }
}

both_engines!(the_csv_export_streams_in_parts);
/// The CSV export is written as it is read: the header goes out before the
/// rows, each chunk of rows as its own part, never one buffer of the whole
/// file.
async fn the_csv_export_streams_in_parts(db: store::Db) {
    use tower::ServiceExt;
    let app = site_with(db, server::cost_limits::CostBounds::default()).await;
    let response = app.oneshot(get("/export/commitments.csv")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        axum::body::HttpBody::size_hint(response.body()).exact(),
        None,
        "no length known up front"
    );
    let mut parts = response.into_body().into_data_stream();
    let mut sizes = Vec::new();
    let mut file = Vec::new();
    while let Some(part) = futures::StreamExt::next(&mut parts).await {
        let part = part.unwrap();
        sizes.push(part.len());
        file.extend_from_slice(&part);
    }
    let text = String::from_utf8(file).unwrap();
    assert!(text.starts_with("\u{feff}slug,title,"), "{}", &text[..40]);
    assert_eq!(text.lines().count(), 14, "the header and 13 commitments");
    assert!(sizes.len() >= 2, "sent in parts: {sizes:?}");
    assert_eq!(
        text.lines().next().unwrap().len() + 2,
        sizes[0],
        "the header row first, alone"
    );
}

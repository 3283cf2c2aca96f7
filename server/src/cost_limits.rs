//! Bounds on the requests that cost the server real work whoever sends
//! them: server functions called by URL (`/api/…`), the CSV export, the
//! share card and badge images and the JSON list. Pages are bounded by the
//! page cache; these are not kept there, so each class may run only so
//! many at once. A request beyond that waits a moment for a turn and is
//! then answered `503 Service Unavailable` with `Retry-After`, rather than
//! joining a queue that grows as fast as a script can send: what is in
//! flight stays bounded whatever arrives.
//!
//! The turn is held until the response's body has been sent (a CSV is
//! written while it streams out), not only until the handler returns.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The kinds of costly request, each with a bound of its own (a rush of
/// card requests does not starve the API).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Costly {
    /// `/api/…`: a server function (not `/api/v1`).
    ServerFunction,
    /// `/export/commitments.csv`, `/sitemap.xml` and `/sitemaps/…`.
    Export,
    /// `/commitments/{slug}/card.png` and `badge.svg`, and `/oembed`.
    Image,
    /// `/api/v1/…`.
    Api,
}

impl Costly {
    /// What a request for `path` (without its language prefix) costs, if
    /// it is one of the bounded kinds.
    pub fn of(path: &str) -> Option<Costly> {
        if path.starts_with("/api/v1/") {
            Some(Costly::Api)
        } else if path.starts_with("/api/") {
            Some(Costly::ServerFunction)
        } else if path == "/export/commitments.csv" || path == "/sitemap.xml" || path.starts_with("/sitemaps/") {
            // A sitemap, like the export, reads every commitment.
            Some(Costly::Export)
        } else if path.starts_with("/commitments/") && (path.ends_with("/card.png") || path.ends_with("/badge.svg"))
            || path == crate::oembed::OEMBED_PATH
        {
            // oEmbed measures the badge's text as the badge does.
            Some(Costly::Image)
        } else {
            None
        }
    }

    fn index(self) -> usize {
        match self {
            Costly::ServerFunction => 0,
            Costly::Export => 1,
            Costly::Image => 2,
            Costly::Api => 3,
        }
    }
}

/// How many of each kind may run at once, and how long a request beyond
/// that waits for a turn before it is answered 503.
#[derive(Clone, Copy, Debug)]
pub struct CostBounds {
    pub server_functions: usize,
    pub exports: usize,
    pub images: usize,
    pub api: usize,
    pub wait: Duration,
}

impl Default for CostBounds {
    fn default() -> Self {
        // Cards are drawn on the blocking pool (one core each for ~0.1 s),
        // exports hold every matched row in memory: about as many as there
        // are cores. Server functions include every editor's save, so the
        // bound leaves room for a rush of editors (sixteen in the bench).
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        CostBounds {
            server_functions: 32,
            exports: cores.max(2),
            images: cores.max(2),
            api: 2 * cores.max(2),
            wait: Duration::from_secs(2),
        }
    }
}

/// One site's bounds, and how many of each kind are running (and have at
/// most run at once, for tests and logs).
pub struct CostLimits {
    turns: [Arc<Semaphore>; 4],
    running: [AtomicUsize; 4],
    peak: [AtomicUsize; 4],
    wait: Duration,
}

impl CostLimits {
    pub fn new(bounds: CostBounds) -> Arc<CostLimits> {
        let turns = [bounds.server_functions, bounds.exports, bounds.images, bounds.api]
            .map(|n| Arc::new(Semaphore::new(n.max(1))));
        Arc::new(CostLimits {
            turns,
            running: Default::default(),
            peak: Default::default(),
            wait: bounds.wait,
        })
    }

    /// The most requests of `kind` that ran at once so far.
    pub fn peak(&self, kind: Costly) -> usize {
        self.peak[kind.index()].load(Ordering::SeqCst)
    }
}

/// Counts one running request of a kind; dropped with the response body.
struct Running {
    limits: Arc<CostLimits>,
    kind: usize,
    _turn: tokio::sync::OwnedSemaphorePermit,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.limits.running[self.kind].fetch_sub(1, Ordering::SeqCst);
    }
}

/// The middleware: runs a costly request when its kind has a free turn
/// (waiting at most `CostBounds::wait`), else answers 503.
pub async fn bound_costly_requests(State(limits): State<Arc<CostLimits>>, request: Request, next: Next) -> Response {
    let Some(kind) = Costly::of(request.uri().path()) else {
        return next.run(request).await;
    };
    let semaphore = limits.turns[kind.index()].clone();
    let Some(turn) = turn_within(&semaphore, limits.wait).await else {
        // The JSON API answers in JSON, as its OpenAPI document declares.
        if matches!(kind, Costly::Api) {
            return crate::api_v1::ApiError::Busy.into_response();
        }
        return busy();
    };
    let index = kind.index();
    let now = limits.running[index].fetch_add(1, Ordering::SeqCst) + 1;
    limits.peak[index].fetch_max(now, Ordering::SeqCst);
    let running = Running {
        limits: limits.clone(),
        kind: index,
        _turn: turn,
    };
    let response = next.run(request).await;
    // The turn ends when the body has been sent (or dropped).
    let (parts, body) = response.into_parts();
    let stream = body.into_data_stream().map(move |chunk| {
        let _held = &running;
        chunk
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// A turn from `turns`, waiting at most `wait` for one (not at all when
/// `wait` is zero: a timer of zero may still let the wait run a while).
pub async fn turn_within(turns: &Arc<Semaphore>, wait: Duration) -> Option<tokio::sync::OwnedSemaphorePermit> {
    if let Ok(turn) = turns.clone().try_acquire_owned() {
        return Some(turn);
    }
    if wait.is_zero() {
        return None;
    }
    tokio::time::timeout(wait, turns.clone().acquire_owned())
        .await
        .ok()?
        .ok()
}

/// Every turn of this kind is taken: come back in a second.
fn busy() -> Response {
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "The server is busy with requests like this one; try again in a second.\n",
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_costly_requests_are_told_by_method_and_path() {
        for (path, kind) in [
            ("/api/list_commitments", Some(Costly::ServerFunction)),
            ("/api/whoami", Some(Costly::ServerFunction)),
            ("/api/v1/commitments", Some(Costly::Api)),
            ("/export/commitments.csv", Some(Costly::Export)),
            ("/commitments/x/card.png", Some(Costly::Image)),
            ("/commitments/x/badge.svg", Some(Costly::Image)),
            ("/oembed", Some(Costly::Image)),
            ("/sitemap.xml", Some(Costly::Export)),
            ("/sitemaps/2.xml", Some(Costly::Export)),
            ("/robots.txt", None),
            ("/commitments/x", None),
            ("/", None),
        ] {
            assert_eq!(Costly::of(path), kind, "{path}");
        }
    }
}

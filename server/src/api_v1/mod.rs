//! The read-only JSON API under `/api/v1`: the commitments (filtered, searched
//! and paged exactly as the list page is), one commitment with its sources and
//! status history, and the summits. Its OpenAPI 3.1 document is generated
//! from the same Rust types the handlers serialise, so the two cannot drift.
//!
//! Everything here is public data: any origin may read it (CORS `*`), and
//! successful answers may be cached for a minute.
//!
//! `error` is the JSON error shape, `bodies` the answers' shapes, and one
//! file per endpoint serves it.

mod bodies;
mod commitment;
mod error;
mod list;
mod query_schemas;
mod summits;

pub use bodies::*;
pub use error::{ApiError, ErrorBody};

use std::sync::LazyLock;

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, MethodRouter};
use axum::Router;
use domain::PublicUrl;
use domain::SortOrder;
use tower_http::cors::{Any, CorsLayer};
use utoipa::OpenApi;

use crate::AppState;
use commitment::get_commitment;
use error::cached;
use list::list_commitments;
use summits::list_summits;

/// Where the API lives.
pub const BASE_PATH: &str = "/api/v1";
/// Commitments per page when the client does not say.
pub const DEFAULT_PER_PAGE: u32 = 50;
/// How long a successful answer may be cached, in seconds.
pub const MAX_AGE_SECONDS: u32 = 60;

const COMMITMENTS_PATH: &str = "/api/v1/commitments";

/// The API's routes, to merge into the application's router.
pub fn routes() -> Router<AppState> {
    // Read-only public data: any site may fetch it from a browser.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD]);
    Router::new()
        .route(COMMITMENTS_PATH, read_only(get(list_commitments)))
        .route("/api/v1/commitments/{slug}", read_only(get(get_commitment)))
        .route("/api/v1/summits", read_only(get(list_summits)))
        .route("/api/v1/openapi.json", read_only(get(openapi_json)))
        // Anything else under the API answers in JSON, not with the site's
        // HTML error page.
        .route(BASE_PATH, any(unknown_endpoint))
        .route("/api/v1/{*rest}", any(unknown_endpoint))
        .layer(cors)
}

/// Whether `path` is the JSON API's: it answers every method itself (405
/// for all but GET and HEAD), so the site's guards for form posts let it by.
pub fn serves(path: &str) -> bool {
    path == BASE_PATH || path.strip_prefix(BASE_PATH).is_some_and(|rest| rest.starts_with('/'))
}

/// The site's limits that answer before any route — a body too large (413)
/// and a request that took too long (408) — answer the API's requests in
/// its JSON error shape, as its document declares; other paths pass as
/// they are. A layer outside those limits.
pub async fn json_answers_from_site_limits(request: Request, next: Next) -> Response {
    let api = serves(request.uri().path());
    let response = next.run(request).await;
    if !api
        || response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t == "application/json")
    {
        return response;
    }
    match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::BodyTooLarge.into_response(),
        StatusCode::REQUEST_TIMEOUT => ApiError::TimedOut.into_response(),
        _ => response,
    }
}

/// Other methods than GET and HEAD are refused in JSON.
fn read_only(route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.fallback(|| async { ApiError::MethodNotAllowed })
}

async fn unknown_endpoint() -> ApiError {
    ApiError::NotFound(format!(
        "There is no such API endpoint. The API is described at {BASE_PATH}/openapi.json."
    ))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Accord API",
        version = "1.0.0",
        description = "Read-only access to the commitments made at China–South Korea summits and to where each \
                       party stands on them. Every answer is JSON; errors have the shape `ErrorBody`. Any origin \
                       may call the API, and successful answers may be cached for 60 seconds."
    ),
    paths(list::list_commitments, commitment::get_commitment, summits::list_summits, openapi_json),
    // Schemas only the query parameters use are not collected by themselves.
    components(schemas(ErrorBody, SortOrder)),
    tags(
        (name = "commitments", description = "Commitments, their statuses, sources and history"),
        (name = "summits", description = "The summits commitments were made at"),
        (name = "meta", description = "This API's description"),
    )
)]
struct ApiDoc;

static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(ApiDoc::openapi);

/// The API's OpenAPI document, with `public_url` as its server.
pub fn openapi(public_url: &PublicUrl) -> utoipa::openapi::OpenApi {
    let mut document = DOCUMENT.clone();
    let server = public_url.0.as_str().trim_end_matches('/');
    document.servers = Some(vec![utoipa::openapi::Server::new(server)]);
    document
}

/// This document: the API's OpenAPI 3.1 description.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document", body = Object),
        (status = 408, description = "The answer was not ready within the site's time limit", body = ErrorBody),
        (status = 413, description = "The request has a body over the site's limit; the API reads none", body = ErrorBody),
        (status = 503, description = "The server is busy with API requests: try again after `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait before trying again"))),
    ),
)]
async fn openapi_json(State(public_url): State<PublicUrl>) -> Response {
    cached(openapi(&public_url))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::MAX_PER_PAGE;

    #[test]
    fn the_documented_page_size_limit_is_the_enforced_one() {
        let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let parameters = document["paths"]["/api/v1/commitments"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let per_page = parameters.iter().find(|p| p["name"] == "per_page").unwrap();
        let number = &per_page["schema"]["anyOf"][0];
        assert_eq!(number["maximum"], MAX_PER_PAGE);
        assert_eq!(number["default"], DEFAULT_PER_PAGE);
    }
}

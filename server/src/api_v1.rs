//! The read-only JSON API under `/api/v1`: the commitments (filtered, searched
//! and paged exactly as the list page is), one commitment with its sources and
//! status history, and the summits. Its OpenAPI 3.1 document is generated
//! from the same Rust types the handlers serialise, so the two cannot drift.
//!
//! Everything here is public data: any origin may read it (CORS `*`), and
//! successful answers may be cached for a minute.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, MethodRouter};
use axum::{Json, Router};
use domain::{Clock, PublicUrl};
use domain::{
    CommitmentSummary, ListQuery, PartyCode, PartyRef, Slug, SortOrder, SourceView, Status, StatusUpdateView,
    SubmittedForm, SummitListing, SummitView, Theme, MAX_PER_PAGE,
};
use serde::Serialize;
use sqlx::SqlitePool;
use tower_http::cors::{Any, CorsLayer};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;

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

/// Other methods than GET and HEAD are refused in JSON.
fn read_only(route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.fallback(|| async { ApiError::MethodNotAllowed })
}

async fn unknown_endpoint() -> ApiError {
    ApiError::NotFound(format!(
        "There is no such API endpoint. The API is described at {BASE_PATH}/openapi.json."
    ))
}

// ------------------------------------------------------------------ errors

/// Why a request failed. Every variant answers with an `ErrorBody`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("The query has values that cannot be used: {}", .0.summary())]
    BadQuery(SubmittedForm),
    #[error("{0}")]
    NotFound(String),
    #[error("This API is read-only: use GET.")]
    MethodNotAllowed,
    #[error("The server could not read its database. Try again later.")]
    Database(#[from] sqlx::Error),
}

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"error": "The query has values that cannot be used: status: “x” is not a status.", "fields": {"status": "“x” is not a status."}}))]
pub struct ErrorBody {
    /// What went wrong, in words a person can act on.
    pub error: String,
    /// For a refused query: each offending parameter with its message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub fields: Option<BTreeMap<String, String>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        let (status, fields) = match self {
            ApiError::BadQuery(errors) => (StatusCode::BAD_REQUEST, Some(errors.errors)),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, None),
            ApiError::MethodNotAllowed => {
                let body = Json(ErrorBody {
                    error: message,
                    fields: None,
                });
                return (
                    StatusCode::METHOD_NOT_ALLOWED,
                    [(header::ALLOW, HeaderValue::from_static("GET, HEAD"))],
                    body,
                )
                    .into_response();
            }
            ApiError::Database(error) => {
                tracing::error!(%error, "JSON API: database query failed");
                (StatusCode::INTERNAL_SERVER_ERROR, None)
            }
        };
        (status, Json(ErrorBody { error: message, fields })).into_response()
    }
}

/// A successful answer: JSON, cacheable by anyone for a minute.
fn cached<T: Serialize>(body: T) -> Response {
    (
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_str(&format!("public, max-age={MAX_AGE_SECONDS}"))
                .unwrap_or_else(|_| HeaderValue::from_static("public")),
        )],
        Json(body),
    )
        .into_response()
}

// ------------------------------------------------------------------ bodies

/// How many commitments stand at one overall status.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusCount {
    pub status: Status,
    pub count: u64,
}

fn status_counts(counts: &[(Status, u64)]) -> Vec<StatusCount> {
    counts
        .iter()
        .map(|(status, count)| StatusCount {
            status: *status,
            count: *count,
        })
        .collect()
}

/// A commitment as the list gives it, with its overall status and links.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentItem {
    #[serde(flatten)]
    pub commitment: CommitmentSummary,
    /// Fulfilled only when every owing party has fulfilled the commitment;
    /// otherwise the status of the least advanced party.
    pub overall_status: Status,
    /// The commitment's page on the site.
    #[schema(format = "uri")]
    pub url: String,
    /// This commitment in the API, with its sources and status history.
    #[schema(format = "uri")]
    pub api_url: String,
}

impl CommitmentItem {
    fn new(commitment: CommitmentSummary, public_url: &PublicUrl) -> CommitmentItem {
        CommitmentItem {
            overall_status: commitment.overall_status(),
            url: public_url.join(&format!("/commitments/{}", commitment.slug)),
            api_url: public_url.join(&format!("{COMMITMENTS_PATH}/{}", commitment.slug)),
            commitment,
        }
    }
}

/// Links to this page of a list and its neighbours (absolute URLs).
#[derive(Debug, Serialize, ToSchema)]
pub struct PageLinks {
    #[serde(rename = "self")]
    #[schema(format = "uri")]
    pub self_: String,
    #[schema(format = "uri")]
    pub first: String,
    #[schema(format = "uri")]
    pub last: String,
    /// `null` on the last page.
    #[schema(required = true, format = "uri")]
    pub next: Option<String>,
    /// `null` on the first page.
    #[schema(required = true, format = "uri")]
    pub prev: Option<String>,
    /// The same filters on the site's list page.
    #[schema(format = "uri")]
    pub html: String,
}

/// One page of the commitments the filters match.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentListPage {
    pub items: Vec<CommitmentItem>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    /// Everything the filters match, across pages.
    pub total: u64,
    /// At least 1, even when nothing matches.
    pub page_count: u32,
    /// Overall statuses of everything the filters match (all pages), one
    /// entry per status.
    pub counts: Vec<StatusCount>,
    pub links: PageLinks,
}

/// One commitment with its evidence and the history of its statuses.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentDetailBody {
    pub commitment: CommitmentItem,
    /// The summit the commitment was made at.
    pub summit: SummitView,
    /// `null` when the commitment was put forward jointly.
    #[schema(required = true)]
    pub proposed_by: Option<PartyRef>,
    /// Where the due date comes from, when there is one.
    #[schema(required = true)]
    pub due_note: Option<String>,
    pub sources: Vec<SourceView>,
    /// The latest 200 status changes, newest first.
    pub timeline: Vec<StatusUpdateView>,
    /// How many status changes there are in all.
    pub timeline_total: u64,
    /// Goes up by one with every edit.
    pub version: i64,
    /// The commitment's page on the site.
    #[schema(format = "uri")]
    pub url: String,
}

/// A summit with its commitments counted by overall status.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummitItem {
    pub summit: SummitView,
    pub commitment_count: u64,
    /// One entry per status.
    pub counts: Vec<StatusCount>,
    /// The summit's page on the site.
    #[schema(format = "uri")]
    pub url: String,
    /// The summit's commitments in the API.
    #[schema(format = "uri")]
    pub commitments_url: String,
}

impl SummitItem {
    fn new(listing: SummitListing, public_url: &PublicUrl) -> SummitItem {
        let slug = listing.summit.slug.clone();
        let commitments = ListQuery {
            summit: Some(slug.clone()),
            page: 1,
            ..ListQuery::default()
        };
        SummitItem {
            counts: status_counts(&listing.counts),
            commitment_count: listing.commitment_count,
            url: public_url.join(&format!("/summits/{slug}")),
            commitments_url: public_url.join(&commitments.link(COMMITMENTS_PATH)),
            summit: listing.summit,
        }
    }
}

/// Every summit, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummitList {
    pub items: Vec<SummitItem>,
}

// ------------------------------------------------------------------ list

/// The list's query parameters. Unknown parameters are ignored; an empty
/// value means "any".
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents `ListQuery::parse`, which reads the request
struct ListParams {
    /// Overall status; together with `party`, that party's status.
    #[param(nullable = false)]
    status: Option<Status>,
    /// Only commitments this party owes.
    #[param(nullable = false)]
    party: Option<PartyCode>,
    #[param(nullable = false)]
    theme: Option<Theme>,
    /// Only commitments made at this summit.
    #[param(nullable = false)]
    summit: Option<Slug>,
    /// Free-text search of titles, summaries, notes and quoted sources; every
    /// word is matched as a word prefix.
    #[param(nullable = false, max_length = 200)]
    q: Option<String>,
    /// `1` for only commitments past their due date and not fulfilled.
    #[param(nullable = false, pattern = "^(1|true|on|yes|0|false|off|no)?$")]
    overdue: Option<String>,
    #[param(nullable = false)]
    sort: Option<SortOrder>,
    /// 1-based page number.
    #[param(nullable = false, minimum = 1, default = 1)]
    page: Option<u32>,
    /// Commitments per page.
    #[param(nullable = false, minimum = 1, maximum = 200, default = 50)]
    per_page: Option<u32>,
}

/// Reads the list's filters with `ListQuery` (which ignores `per_page`) and
/// the page size, collecting every bad value.
fn parse_list_request(raw: &str) -> Result<(ListQuery, u32), ApiError> {
    let (query, mut errors) = match ListQuery::parse_query_string(raw) {
        Ok(query) => (Some(query), SubmittedForm::default()),
        Err(errors) => (None, errors),
    };
    let mut per_page = DEFAULT_PER_PAGE;
    for (key, value) in url::form_urlencoded::parse(raw.as_bytes()) {
        if key != "per_page" {
            continue;
        }
        let value = value.trim();
        errors.values.insert("per_page".to_owned(), value.to_owned());
        if value.is_empty() {
            continue;
        }
        match value.parse::<u32>() {
            Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => per_page = n,
            _ => errors.add(
                "per_page",
                format!("“{value}” is not a page size: use a whole number from 1 to {MAX_PER_PAGE}."),
            ),
        }
    }
    match query {
        Some(query) if errors.is_empty() => Ok((query, per_page)),
        _ => Err(ApiError::BadQuery(errors)),
    }
}

/// The site-relative link of a view of the list at a page size.
fn list_link(query: &ListQuery, per_page: u32) -> String {
    let link = query.link(COMMITMENTS_PATH);
    if per_page == DEFAULT_PER_PAGE {
        return link;
    }
    let separator = if link.contains('?') { '&' } else { '?' };
    format!("{link}{separator}per_page={per_page}")
}

/// Commitments, filtered, searched, sorted and paged as on the list page.
#[utoipa::path(
    get,
    path = "/api/v1/commitments",
    tag = "commitments",
    params(ListParams),
    responses(
        (status = 200, description = "One page of the matching commitments", body = CommitmentListPage),
        (status = 400, description = "A parameter has a value that cannot be used", body = ErrorBody),
        (status = 500, description = "The database could not be read", body = ErrorBody),
    )
)]
async fn list_commitments(
    State(pool): State<SqlitePool>,
    State(public_url): State<PublicUrl>,
    State(clock): State<Clock>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (query, per_page) = parse_list_request(raw.as_deref().unwrap_or(""))?;
    let self_url = public_url.join(&list_link(&query, per_page));
    let today = clock.today();
    // The API has no chart: skip the history, whose cost grows with every update.
    let page = store::listing::load_listing(
        &pool,
        &query,
        per_page,
        self_url.clone(),
        today,
        store::listing::ChartHistory::Skip,
    )
    .await?;
    let page_count = page.page_count();
    let at = |n: u32| public_url.join(&list_link(&query.with_page(n), per_page));
    let links = PageLinks {
        self_: self_url,
        first: at(1),
        last: at(page_count),
        next: (query.page < page_count).then(|| at(query.page + 1)),
        // Past the end, "previous" is the last page that has items.
        prev: (query.page > 1).then(|| at((query.page - 1).min(page_count))),
        html: public_url.join(&query.with_page(1).link("/")),
    };
    Ok(cached(CommitmentListPage {
        items: page
            .items
            .into_iter()
            .map(|item| CommitmentItem::new(item, &public_url))
            .collect(),
        page: query.page,
        per_page: page.per_page,
        total: page.total,
        page_count,
        counts: status_counts(&page.counts),
        links,
    }))
}

// ------------------------------------------------------------------ detail

/// One commitment with its sources and status history.
#[utoipa::path(
    get,
    path = "/api/v1/commitments/{slug}",
    tag = "commitments",
    params(("slug" = Slug, Path, description = "The commitment's slug, as in its page's address")),
    responses(
        (status = 200, description = "The commitment", body = CommitmentDetailBody),
        (status = 404, description = "No commitment has this slug", body = ErrorBody),
        (status = 500, description = "The database could not be read", body = ErrorBody),
    )
)]
async fn get_commitment(
    State(pool): State<SqlitePool>,
    State(public_url): State<PublicUrl>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let not_found = || {
        let shown: String = slug.chars().take(100).collect();
        ApiError::NotFound(format!("There is no commitment “{shown}”."))
    };
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let record = store::commitments::find_commitment_by_slug(&pool, &parsed)
        .await?
        .ok_or_else(not_found)?;
    let commitment = CommitmentItem::new(record.commitment, &public_url);
    Ok(cached(CommitmentDetailBody {
        url: commitment.url.clone(),
        commitment,
        summit: record.summit,
        proposed_by: record.proposed_by,
        due_note: record.due_note,
        sources: record.sources,
        timeline: record.timeline,
        timeline_total: record.timeline_total,
        version: record.version,
    }))
}

// ------------------------------------------------------------------ summits

/// Every summit, newest first, with its commitments counted by status.
#[utoipa::path(
    get,
    path = "/api/v1/summits",
    tag = "summits",
    responses(
        (status = 200, description = "Every summit", body = SummitList),
        (status = 500, description = "The database could not be read", body = ErrorBody),
    )
)]
async fn list_summits(
    State(pool): State<SqlitePool>,
    State(public_url): State<PublicUrl>,
) -> Result<Response, ApiError> {
    let listings = store::listing::list_summit_listings(&pool).await?;
    Ok(cached(SummitList {
        items: listings
            .into_iter()
            .map(|listing| SummitItem::new(listing, &public_url))
            .collect(),
    }))
}

// ------------------------------------------------------------------ document

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Accord API",
        version = "1.0.0",
        description = "Read-only access to the commitments made at China–South Korea summits and to where each \
                       party stands on them. Every answer is JSON; errors have the shape `ErrorBody`. Any origin \
                       may call the API, and successful answers may be cached for 60 seconds."
    ),
    paths(list_commitments, get_commitment, list_summits, openapi_json),
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
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object)),
)]
async fn openapi_json(State(public_url): State<PublicUrl>) -> Response {
    cached(openapi(&public_url))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(result: Result<(ListQuery, u32), ApiError>) -> BTreeMap<String, String> {
        match result {
            Err(ApiError::BadQuery(errors)) => errors.errors,
            other => panic!("expected a bad query, got {other:?}"),
        }
    }

    #[test]
    fn page_size_defaults_and_is_bounded() {
        assert_eq!(parse_list_request("").unwrap().1, DEFAULT_PER_PAGE);
        assert_eq!(parse_list_request("per_page=").unwrap().1, DEFAULT_PER_PAGE);
        assert_eq!(parse_list_request("per_page=1").unwrap().1, 1);
        assert_eq!(
            parse_list_request(&format!("per_page={MAX_PER_PAGE}")).unwrap().1,
            MAX_PER_PAGE
        );
        for bad in ["0", "201", "-1", "ten", "1.5"] {
            let fields = errors(parse_list_request(&format!("per_page={bad}")));
            assert!(fields["per_page"].contains(bad), "{bad}: {fields:?}");
        }
    }

    #[test]
    fn every_bad_value_is_reported_together() {
        let fields = errors(parse_list_request("status=bogus&per_page=0&theme=economy"));
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["per_page", "status"]);
    }

    #[test]
    fn links_keep_filters_and_a_non_default_page_size() {
        let (query, per_page) = parse_list_request("theme=economy&per_page=2&page=2&utm_source=x").unwrap();
        assert_eq!(
            list_link(&query, per_page),
            "/api/v1/commitments?theme=economy&page=2&per_page=2"
        );
        assert_eq!(
            list_link(&query.with_page(1), DEFAULT_PER_PAGE),
            "/api/v1/commitments?theme=economy"
        );
        assert_eq!(list_link(&ListQuery::default(), 5), "/api/v1/commitments?per_page=5");
    }

    #[test]
    fn the_documented_page_size_limit_is_the_enforced_one() {
        let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let parameters = document["paths"]["/api/v1/commitments"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let per_page = parameters.iter().find(|p| p["name"] == "per_page").unwrap();
        assert_eq!(per_page["schema"]["maximum"], MAX_PER_PAGE);
        assert_eq!(per_page["schema"]["default"], DEFAULT_PER_PAGE);
    }
}

//! `GET /api/v1/summits`: the summits, with their commitments counted by status.

use axum::extract::State;
use axum::response::Response;
use domain::PublicUrl;
use store::Db;

use super::bodies::*;
use super::error::{cached, ApiError, ErrorBody};

/// Every summit, newest first, with its commitments counted by status.
#[utoipa::path(
    get,
    path = "/api/v1/summits",
    tag = "summits",
    responses(
        (status = 200, description = "Every summit", body = SummitList),
        (status = 500, description = "The database could not be read", body = ErrorBody),
        (status = 408, description = "The answer was not ready within the site's time limit", body = ErrorBody),
        (status = 413, description = "The request has a body over the site's limit; the API reads none", body = ErrorBody),
        (status = 503, description = "The server is busy with API requests: try again after `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait before trying again"))),
    )
)]
pub(super) async fn list_summits(
    State(db): State<Db>,
    State(public_url): State<PublicUrl>,
) -> Result<Response, ApiError> {
    let listings = store::listing::list_summit_listings(&db).await?;
    Ok(cached(SummitList {
        items: listings
            .into_iter()
            .map(|listing| SummitItem::new(listing, &public_url))
            .collect(),
    }))
}

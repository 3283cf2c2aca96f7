//! `GET /api/v1/commitments/{slug}`: one commitment with its sources and history.

use axum::extract::{Path, State};
use axum::response::Response;
use domain::PublicUrl;
use domain::Slug;
use store::Db;

use super::bodies::*;
use super::error::{cached, ApiError, ErrorBody};

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
        (status = 408, description = "The answer was not ready within the site's time limit", body = ErrorBody),
        (status = 413, description = "The request has a body over the site's limit; the API reads none", body = ErrorBody),
        (status = 503, description = "The server is busy with API requests: try again after `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait before trying again"))),
    )
)]
pub(super) async fn get_commitment(
    State(db): State<Db>,
    State(public_url): State<PublicUrl>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let not_found = || {
        let shown: String = slug.chars().take(100).collect();
        ApiError::NotFound(format!("There is no commitment “{shown}”."))
    };
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let record = store::commitments::find_commitment_by_slug(&db, &parsed)
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

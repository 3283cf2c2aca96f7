use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::{CommitmentDetail, CommitmentList};

/// The front page's data: every commitment with its statuses.
#[server(endpoint = "list_commitments", input = GetUrl)]
pub async fn list_commitments() -> Result<CommitmentList, AppError> {
    use super::context::{fail, pool, public_url};
    use crate::db;

    let pool = pool().map_err(fail)?;
    let summit = db::summits::latest_summit(&pool).await.map_err(|e| fail(e.into()))?;
    let commitments = db::commitments::list_commitment_summaries(&pool)
        .await
        .map_err(|e| fail(e.into()))?;
    let canonical_url = public_url().map_err(fail)?.join("/");
    Ok(CommitmentList {
        summit,
        commitments,
        canonical_url,
    })
}

/// One commitment's permalink data. An unknown or malformed slug is a 404.
#[server(endpoint = "get_commitment", input = GetUrl)]
pub async fn get_commitment(slug: String) -> Result<CommitmentDetail, AppError> {
    use super::context::{fail, pool, public_url};
    use crate::db;
    use crate::model::Slug;

    let not_found = || fail(AppError::NotFound(format!("The commitment “{slug}”")));
    let Ok(parsed) = Slug::parse(&slug) else {
        return Err(not_found());
    };
    let pool = pool().map_err(fail)?;
    let record = db::commitments::find_commitment_by_slug(&pool, &parsed)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(not_found)?;
    let share_url = public_url().map_err(fail)?.join(&format!("/commitments/{parsed}"));
    Ok(CommitmentDetail {
        commitment: record.commitment,
        summit: record.summit,
        proposed_by: record.proposed_by,
        due_note: record.due_note,
        sources: record.sources,
        timeline: record.timeline,
        share_url,
        version: record.version,
        today: chrono::Utc::now().date_naive(),
    })
}

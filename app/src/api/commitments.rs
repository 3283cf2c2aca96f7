use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use domain::{CommitmentDetail, ListingPage, SummitListing};

/// A list view: `query` is the page's URL query string (filters, search,
/// sort and page, as `domain::ListQuery` reads them); `path` is the page it is
/// for (`/` or `/summits/{slug}`), for the canonical link.
#[server(endpoint = "list_commitments", input = GetUrl)]
pub async fn list_commitments(query: String, path: String) -> Result<ListingPage, AppError> {
    use super::context::{db, fail, public_url};
    use domain::{ListQuery, PAGE_SIZE};

    let (mut query, problems) = ListQuery::parse_query_string_lenient(&query);
    // A summit's own page is filtered by its path; its links leave the
    // summit out of the query.
    let summit_path = path.strip_prefix("/summits/").map(str::to_owned);
    let canonical_query = match summit_path.as_deref().map(domain::Slug::parse) {
        Some(Ok(slug)) => {
            query.summit = Some(slug);
            ListQuery {
                summit: None,
                ..query.clone()
            }
        }
        Some(Err(_)) => {
            return Err(fail(AppError::NotFound(crate::locale::missing_summit(
                &summit_path.unwrap_or_default(),
            ))))
        }
        None => query.clone(),
    };
    let path = if path.starts_with('/') { path } else { "/".to_owned() };
    let db = db().map_err(fail)?;
    // The canonical URL is the page's own, in its language.
    let locale = crate::locale::use_locale();
    let canonical_url = public_url()
        .map_err(fail)?
        .join(&canonical_query.link(&locale.localize(&path)));
    let now = super::context::clock().now();
    let mut page = store::listing::load_commitment_page(&db, &query, PAGE_SIZE, canonical_url, now)
        .await
        .map_err(|e| fail(e.into()))?;
    if query.summit.is_some() && page.summit.is_none() && summit_path.is_some() {
        return Err(fail(AppError::NotFound(crate::locale::missing_summit(
            summit_path.as_deref().unwrap_or_default(),
        ))));
    }
    page.problems = problems;
    crate::locale::word_form(locale, &mut page.problems);
    Ok(page)
}

/// Every summit with its commitments counted by status, for `/summits`.
#[server(endpoint = "list_summit_listings", input = GetUrl)]
pub async fn list_summit_listings() -> Result<Vec<SummitListing>, AppError> {
    use super::context::{db, fail};

    let db = db().map_err(fail)?;
    store::listing::list_summit_listings(&db)
        .await
        .map_err(|e| fail(e.into()))
}

/// One commitment's permalink data. An unknown or malformed slug is a 404.
#[server(endpoint = "get_commitment", input = GetUrl)]
pub async fn get_commitment(slug: String) -> Result<CommitmentDetail, AppError> {
    use super::context::{db, fail, public_url};
    use domain::Slug;

    let not_found = || fail(AppError::NotFound(crate::locale::missing_commitment(&slug)));
    let Ok(parsed) = Slug::parse(&slug) else {
        return Err(not_found());
    };
    let db = db().map_err(fail)?;
    // The page shows the latest few changes; the history has the rest.
    let record = store::commitments::find_commitment_with_timeline(&db, &parsed, domain::PERMALINK_TIMELINE_ENTRIES)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(not_found)?;
    let locale = crate::locale::use_locale();
    let share_url = public_url()
        .map_err(fail)?
        .join(&locale.localize(&format!("/commitments/{parsed}")));
    // The summit's own day: the latest date a change can take effect.
    let today = record.summit.time_zone.today(super::context::clock().now());
    let page_dates = store::page_changes::commitment_dates(&db, parsed.as_str())
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(CommitmentDetail {
        commitment: record.commitment,
        page_dates,
        summit: record.summit,
        proposed_by: record.proposed_by,
        due_note: record.due_note,
        sources: record.sources,
        timeline: record.timeline,
        timeline_total: record.timeline_total,
        share_url,
        version: record.version,
        today,
    })
}

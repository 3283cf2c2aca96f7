//! `GET /api/v1/commitments`: filtered, searched and paged as the list page is.

use axum::extract::{RawQuery, State};
use axum::response::Response;
use domain::{Clock, PublicUrl};
use domain::{ListQuery, PageCursor, SubmittedForm, MAX_PER_PAGE};
use store::Db;
use utoipa::IntoParams;

use super::bodies::*;
use super::error::{cached, ApiError, ErrorBody};
use super::query_schemas;
use super::{COMMITMENTS_PATH, DEFAULT_PER_PAGE};

/// The list's query parameters. Unknown parameters are ignored; an empty
/// or blank value means "any", and surrounding whitespace is ignored. The
/// schemas (`query_schemas`) accept exactly what the server accepts.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents `ListQuery::parse`, which reads the request
struct ListParams {
    /// Overall status; together with `party`, that party's status.
    #[param(schema_with = query_schemas::status)]
    status: Option<String>,
    /// Only commitments this party owes.
    #[param(schema_with = query_schemas::party)]
    party: Option<String>,
    #[param(schema_with = query_schemas::theme)]
    theme: Option<String>,
    /// Only commitments made at this summit.
    #[param(schema_with = query_schemas::summit)]
    summit: Option<String>,
    /// Free-text search of titles, summaries, notes and quoted sources; every
    /// word is matched as a word prefix.
    #[param(schema_with = query_schemas::search)]
    q: Option<String>,
    /// `1` for only commitments past their due date and not fulfilled.
    #[param(schema_with = query_schemas::overdue)]
    overdue: Option<String>,
    #[param(schema_with = query_schemas::sort)]
    sort: Option<String>,
    /// The page after this place in the list: the `next` link's. Links with
    /// a place keep meaning the same page as commitments are added.
    #[param(schema_with = query_schemas::after)]
    after: Option<String>,
    /// The page before this place in the list (the `prev` link's), or `end`
    /// for the last page (the `last` link's).
    #[param(schema_with = query_schemas::before)]
    before: Option<String>,
    /// 1-based page number, for links made before `after` and `before`
    /// (ignored beside them). Deep pages cost more than with `after`.
    #[param(schema_with = query_schemas::page)]
    page: Option<u32>,
    /// Commitments per page.
    #[param(schema_with = query_schemas::per_page)]
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
        (status = 408, description = "The answer was not ready within the site's time limit", body = ErrorBody),
        (status = 413, description = "The request has a body over the site's limit; the API reads none", body = ErrorBody),
        (status = 503, description = "The server is busy with API requests: try again after `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait before trying again"))),
    )
)]
pub(super) async fn list_commitments(
    State(db): State<Db>,
    State(public_url): State<PublicUrl>,
    State(clock): State<Clock>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (query, per_page) = parse_list_request(raw.as_deref().unwrap_or(""))?;
    let self_url = public_url.join(&list_link(&query, per_page));
    let now = clock.now();
    // The API has no chart: skip the history, whose cost grows with every update.
    let page = store::listing::load_listing(
        &db,
        &query,
        per_page,
        self_url.clone(),
        now,
        store::listing::ListingUse::Data,
    )
    .await?;
    let page_count = page.page_count();
    let at = |cursor: Option<PageCursor>| public_url.join(&list_link(&query.with_cursor(cursor), per_page));
    let links = PageLinks {
        self_: self_url,
        first: at(None),
        last: at(Some(PageCursor::Last)),
        next: page.next.clone().map(|cursor| at(Some(cursor))),
        prev: page.previous.clone().map(|cursor| at(Some(cursor))),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

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
}

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::commitments::list_commitments;
use crate::components::{absolute, breadcrumbs, commitments_dataset, graph, CommitmentListing, StructuredData};
use crate::locale::{tr, use_locale};
use domain::ListingPage;

/// Query values the page could not use make it a 400, though it still shows
/// the list and the messages next to the fields.
pub(crate) fn mark_bad_query(page: &ListingPage) {
    #[cfg(feature = "ssr")]
    if !page.problems.is_empty() {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::BAD_REQUEST);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = page;
}

/// `/`: every commitment of every summit, newest summit first, filtered and
/// searched by the URL query.
#[component]
pub fn HomePage() -> impl IntoView {
    let location = use_location();
    let locale = use_locale();
    let list = Resource::new(
        move || location.search.get(),
        |search| list_commitments(search, "/".to_owned()),
    );
    // Whatever the filters, the list is one place on the site and its
    // downloads are one data set.
    let structured_data = graph(vec![
        breadcrumbs(&[(tr(locale, "all-commitments"), absolute(&locale.localize("/")))]),
        commitments_dataset(locale),
    ]);
    view! {
        <StructuredData data=structured_data />
        <Suspense fallback=move || view! { <p class="loading">{tr(locale, "loading")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(page) => {
                        mark_bad_query(&page);
                        view! { <CommitmentListing page path="/".to_owned() /> }.into_any()
                    }
                    Err(error) => view! { <p class="error" role="alert">{error.message(use_locale())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

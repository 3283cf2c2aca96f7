use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

use crate::api::commitments::list_commitments;
use crate::components::CommitmentListing;
use crate::error::AppError;
use crate::locale::{tr, use_locale};
use crate::pages::home::mark_bad_query;
use crate::pages::NotFound;

/// `/summits/{slug}`: one summit and its commitments, with the same filters
/// as the front page.
#[component]
pub fn SummitPage() -> impl IntoView {
    let params = use_params_map();
    let location = use_location();
    let locale = use_locale();
    let list = Resource::new(
        move || (params.read().get("slug").unwrap_or_default(), location.search.get()),
        |(slug, search)| list_commitments(search, format!("/summits/{slug}")),
    );
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr(locale, "loading")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(page) => {
                        mark_bad_query(&page);
                        let path = page
                            .summit
                            .as_ref()
                            .map(|s| format!("/summits/{}", s.slug))
                            .unwrap_or_else(|| "/".to_owned());
                        view! { <CommitmentListing page path summit_page=true /> }.into_any()
                    }
                    Err(AppError::NotFound(what)) => {
                        view! { <NotFound message=what /> }.into_any()
                    }
                    Err(error) => view! { <p class="error" role="alert">{error.message(use_locale())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

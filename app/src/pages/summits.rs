use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::api::commitments::list_summit_listings;
use crate::components::StatusBadge;
use domain::{format_date, SummitListing};

/// `/summits`: every summit, newest first, with its commitments' statuses.
#[component]
pub fn SummitsPage() -> impl IntoView {
    let listings = Resource::new(|| (), |_| list_summit_listings());
    view! {
        <Title text="Summits · Accord commitment tracker" />
        <Meta name="description" content="Every summit Accord tracks, newest first, with how many of its commitments stand at each status." />
        <Link rel="alternate" type_="application/atom+xml" title="Accord: every status change" href="/feed.atom" />
        <section aria-labelledby="page-heading">
            <h1 id="page-heading">"Summits"</h1>
            <p class="lead">"Each summit's commitments, with the overall status of each."</p>
            <Suspense fallback=|| view! { <p class="loading">"Loading summits…"</p> }>
                {move || Suspend::new(async move {
                    match listings.await {
                        Ok(listings) if listings.is_empty() => {
                            view! { <p class="empty-state">"No summit has been recorded yet."</p> }.into_any()
                        }
                        Ok(listings) => {
                            view! {
                                <ol class="summit-list">
                                    {listings.into_iter().map(|listing| view! { <SummitCard listing /> }).collect_view()}
                                </ol>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SummitCard(listing: SummitListing) -> impl IntoView {
    let SummitListing {
        summit,
        commitment_count,
        counts,
    } = listing;
    let href = format!("/summits/{}", summit.slug);
    let heading_id = format!("summit-{}", summit.slug);
    let labelled_by = heading_id.clone();
    view! {
        <li class="summit-card">
            <article aria-labelledby=labelled_by>
                <p class="eyebrow">
                    <time datetime=summit.held_on.to_string()>{format_date(summit.held_on)}</time>
                    " · " {summit.location.clone()}
                </p>
                <h2 id=heading_id><a href=href>{summit.title.clone()}</a></h2>
                <p>{summit.summary.clone()}</p>
                <p class="scoreboard-total">
                    {format!("{commitment_count} commitment{}:", if commitment_count == 1 { "" } else { "s" })}
                </p>
                <ul class="scoreboard-counts compact">
                    {counts
                        .into_iter()
                        .filter(|(_, n)| *n > 0)
                        .map(|(status, count)| {
                            view! {
                                <li class="scoreboard-count">
                                    <span class="count">{count}</span>
                                    <StatusBadge status />
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </article>
        </li>
    }
}

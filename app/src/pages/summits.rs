use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::api::commitments::list_summit_listings;
use crate::components::StatusBadge;
use crate::components::{CanonicalLink, ShownText, TextOriginNote};
use crate::locale::{date, local_path, number, text, tr, tr_with, use_locale};
use domain::SummitListing;

/// `/summits`: every summit, newest first, with its commitments' statuses.
#[component]
pub fn SummitsPage() -> impl IntoView {
    let listings = Resource::new(|| (), |_| list_summit_listings());
    let locale = use_locale();
    view! {
        <Title text=tr_with(locale, "title-tracker", &[("page", text(tr(locale, "summits-heading")))]) />
        <Meta name="description" content=tr(locale, "summits-description") />
        <CanonicalLink />
        <Link rel="alternate" type_="application/atom+xml" title=tr(locale, "feed-every-change-title") href=local_path(locale, "/feed.atom") />
        <section aria-labelledby="page-heading">
            <h1 id="page-heading">{tr(locale, "summits-heading")}</h1>
            <p class="lead">{tr(locale, "summits-lead")}</p>
            <Suspense fallback=move || view! { <p class="loading">{tr(locale, "loading")}</p> }>
                {move || Suspend::new(async move {
                    match listings.await {
                        Ok(listings) if listings.is_empty() => {
                            view! { <p class="empty-state">{tr(locale, "summits-empty")}</p> }.into_any()
                        }
                        Ok(listings) => {
                            view! {
                                <ol class="summit-list">
                                    {listings.into_iter().map(|listing| view! { <SummitCard listing /> }).collect_view()}
                                </ol>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <p class="error" role="alert">{error.message(use_locale())}</p> }.into_any(),
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
    let locale = use_locale();
    let texts = summit.texts_in(locale);
    let lang = (texts.language != locale).then(|| texts.language.html_lang());
    let href = local_path(locale, &format!("/summits/{}", summit.slug));
    let heading_id = format!("summit-{}", summit.slug);
    let labelled_by = heading_id.clone();
    view! {
        <li class="summit-card">
            <article aria-labelledby=labelled_by>
                <p class="eyebrow">
                    <time datetime=summit.held_on.to_string()>{date(locale, summit.held_on)}</time>
                    " · " <ShownText text=texts.text.location.clone() language=texts.language />
                </p>
                <h2 id=heading_id><a href=href lang=lang>{texts.text.title.clone()}</a></h2>
                <p lang=lang>{texts.text.summary.clone()}</p>
                <TextOriginNote origin=texts.origin.clone() language=texts.language />
                <p class="scoreboard-total">
                    {tr_with(locale, "summits-count", &[("count", number(commitment_count as f64))])}
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

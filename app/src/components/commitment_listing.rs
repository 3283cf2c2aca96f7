//! A filtered view of the commitments, shared by `/` and `/summits/{slug}`:
//! filter form, scoreboard, status chart, the page of results and paging.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use super::{CommitmentCard, ListFilters, StatusBadge, StatusChart};
use domain::{format_date, ListQuery, ListingPage};

/// The share of `count` in `total`, as a whole percentage.
fn percent(count: u64, total: u64) -> u64 {
    (count * 100 + total / 2).checked_div(total).unwrap_or(0)
}

#[component]
pub fn CommitmentListing(
    page: ListingPage,
    /// The page's own path, `/` or `/summits/{slug}`.
    path: String,
    /// The summit the page is about, when it is a summit's page.
    #[prop(optional)]
    summit_page: bool,
) -> impl IntoView {
    // Links on a summit's page leave the summit (its path) out of the query.
    let link_query = if summit_page {
        ListQuery {
            summit: None,
            ..page.query.clone()
        }
    } else {
        page.query.clone()
    };
    let description = page.description();
    let total = page.total;
    let filtered = !page.query.is_unfiltered();
    let heading = match (&page.summit, summit_page) {
        (Some(summit), true) => summit.title.clone(),
        _ => "Summit commitments, tracked".to_owned(),
    };
    let title = if filtered {
        format!("{description} · Accord")
    } else {
        format!("{heading} · Accord commitment tracker")
    };
    let meta_description = format!(
        "{description}: {total} found, each with every party's status, a dated history and the sources behind it."
    );
    let counts_text = page
        .counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", s.label().to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ");
    let meta_description = if counts_text.is_empty() {
        meta_description
    } else {
        format!("{meta_description} Now: {counts_text}.")
    };
    let csv_link = link_query.with_page(1).link("/export/commitments.csv");
    let api_link = link_query.with_page(1).link("/api/v1/commitments");
    let feed_link = "/feed.atom".to_owned();
    let show_summit = page.summit_total > 1 && page.query.summit.is_none();
    let page_count = page.page_count();
    let current_page = page.query.page;
    let today = page.today;
    let scoreboard = page
        .counts
        .iter()
        .map(|(status, count)| {
            let filter = ListQuery {
                status: Some(*status),
                page: 1,
                ..link_query.clone()
            };
            let share = percent(*count, total);
            view! {
                <li class="scoreboard-count">
                    <span class="count">{*count}</span>
                    <StatusBadge status=*status />
                    <span class="share">{format!("{share}%")}</span>
                    // An SVG bar: its width is an attribute, so no inline style
                    // is needed (the CSP allows none).
                    <svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                        <rect width=share.to_string() height="1" class=format!("fill-{}", status.code()) />
                    </svg>
                    {(*count > 0 && page.query.status != Some(*status))
                        .then(|| {
                            view! {
                                <a class="scoreboard-filter" href=filter.link(&path)>
                                    "Show" <span class="visually-hidden">{format!(" the {count} {}", status.label())}</span>
                                </a>
                            }
                        })}
                </li>
            }
        })
        .collect_view();
    let pager = (page_count > 1).then(|| {
        let prev = (current_page > 1).then(|| link_query.with_page(current_page - 1).link(&path));
        let next = (current_page < page_count).then(|| link_query.with_page(current_page + 1).link(&path));
        view! {
            <nav class="pager" aria-label="Pages of results">
                {prev.map(|href| view! { <a href=href rel="prev">"← Previous page"</a> })}
                <span>{format!("Page {current_page} of {page_count}")}</span>
                {next.map(|href| view! { <a href=href rel="next">"Next page →"</a> })}
            </nav>
        }
    });
    let intro = match (&page.summit, summit_page) {
        (Some(summit), true) => view! {
            <section class="summit-intro" aria-labelledby="page-heading">
                <p class="eyebrow">
                    "Summit of " <time datetime=summit.held_on.to_string()>{format_date(summit.held_on)}</time>
                    " · " {summit.location.clone()}
                </p>
                <h1 id="page-heading">{summit.title.clone()}</h1>
                <p class="lead">{summit.summary.clone()}</p>
            </section>
        }
        .into_any(),
        (latest, _) => {
            let latest = latest.clone();
            view! {
                <section class="summit-intro" aria-labelledby="page-heading">
                    <h1 id="page-heading">{heading.clone()}</h1>
                    <p class="lead">
                        "Every commitment two governments made to each other at a summit, with each party's status, a dated history of how it changed, and the sources behind every claim."
                    </p>
                    {latest
                        .map(|summit| {
                            view! {
                                <p>
                                    "Latest summit: "
                                    <a href=format!("/summits/{}", summit.slug)>{summit.title.clone()}</a>
                                    ", " <time datetime=summit.held_on.to_string()>{format_date(summit.held_on)}</time>
                                    " · " <a href="/summits">"All summits"</a>
                                </p>
                            }
                        })}
                </section>
            }
            .into_any()
        }
    };
    let items = page.items.clone();
    let empty = items.is_empty();
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=meta_description.clone() />
        <Link rel="canonical" href=page.canonical_url.clone() />
        <Link rel="alternate" type_="application/atom+xml" title="Accord: every status change" href=feed_link.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=meta_description.clone() />
        <Meta property="og:url" content=page.canonical_url.clone() />
        <Meta name="twitter:card" content="summary" />
        <Meta name="twitter:title" content=title />
        <Meta name="twitter:description" content=meta_description />

        {intro}

        <ListFilters page=page.clone() action=path.clone() fixed_summit=summit_page />

        <div class="overview">
            <section class="scoreboard" aria-labelledby="scoreboard-heading">
                <h2 id="scoreboard-heading">"Scoreboard"</h2>
                <p class="scoreboard-total">
                    {format!("{total} commitment{} {}, by overall status:", if total == 1 { "" } else { "s" }, if filtered { "match" } else { "in all" })}
                </p>
                <ul class="scoreboard-counts">{scoreboard}</ul>
                <p class="rule">{domain::OVERALL_STATUS_RULE}</p>
            </section>
            <section class="chart" aria-labelledby="chart-heading">
                <h2 id="chart-heading">"Statuses over time"</h2>
                {if page.chart_omitted {
                    view! {
                        <p class="hint">
                            {format!(
                                "The chart is drawn for views of up to {} commitments. Choose a summit or narrow the filters to see how their statuses changed.",
                                domain::CHART_MAX_COMMITMENTS,
                            )}
                        </p>
                    }
                        .into_any()
                } else {
                    view! { <StatusChart history=page.history.clone() /> }.into_any()
                }}
            </section>
        </div>

        <section class="commitments" aria-labelledby="commitments-heading" aria-live="polite">
            <h2 id="commitments-heading">{format!("{description} ({total})")}</h2>
            {if empty {
                view! {
                    <div class="empty-state" role="status">
                        <p><strong>"No commitments match these filters."</strong></p>
                        <p>"Try fewer words, another status or party, or "<a href=path.clone()>"clear the filters"</a>"."</p>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <ol class="commitment-list">
                        {items
                            .into_iter()
                            .map(|c| view! { <CommitmentCard commitment=c today show_summit /> })
                            .collect_view()}
                    </ol>
                }
                .into_any()
            }}
            {pager}
        </section>

        <section class="reuse" aria-labelledby="reuse-heading">
            <h2 id="reuse-heading">"Reuse this view"</h2>
            <ul>
                <li><a href=csv_link>"Download as CSV"</a>" (same filters)"</li>
                <li><a href=api_link>"JSON"</a>" · "<a href="/api/v1/openapi.json">"API description (OpenAPI)"</a></li>
                <li><a href=feed_link>"Atom feed of every status change"</a></li>
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn shares_round_to_whole_percent() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(13, 13), 100);
    }
}

//! A filtered view of the commitments, shared by `/` and `/summits/{slug}`:
//! filter form, scoreboard, status chart, the page of results and paging.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use super::{CommitmentCard, ListFilters, ShownText, StatusBadge, StatusChart, TextOriginNote};
use crate::locale::{date, local_path, number, text, tr, tr_with, use_locale};
use domain::{ListQuery, ListingPage, Locale, PageCursor};

/// "Stalled commitments owed by South Korea", for headings and titles. The
/// English words are the domain's sentence; Korean and Chinese name the
/// view's filters one by one, as their interfaces usually do.
pub fn describe_listing(locale: Locale, page: &ListingPage) -> String {
    if locale == Locale::En {
        return page.description();
    }
    let query = &page.query;
    let party = |code: &domain::PartyCode| {
        let stored = page.party_name(code);
        i18n::party_name(locale, code, &stored)
    };
    let mut facets = Vec::new();
    if let Some(status) = query.status {
        let key = if query.party.is_some() {
            "view-facet-party-status"
        } else {
            "view-facet-status"
        };
        let who = query.party.as_ref().map(party).unwrap_or_default();
        facets.push(tr_with(
            locale,
            key,
            &[
                ("status", text(i18n::status_label(locale, status))),
                ("party", text(who)),
            ],
        ));
    }
    if let (Some(code), None) = (&query.party, query.status) {
        facets.push(tr_with(locale, "view-facet-party", &[("party", text(party(code)))]));
    }
    if let Some(theme) = query.theme {
        facets.push(tr_with(
            locale,
            "view-facet-theme",
            &[("theme", text(i18n::theme_label(locale, theme)))],
        ));
    }
    if let Some(summit) = query.summit.as_ref().and(page.summit.as_ref()) {
        facets.push(tr_with(
            locale,
            "view-facet-summit",
            &[("summit", text(summit.texts_in(locale).text.title))],
        ));
    }
    if let Some(search) = &query.search {
        facets.push(tr_with(
            locale,
            "view-facet-search",
            &[("search", text(search.as_str()))],
        ));
    }
    let base = tr(
        locale,
        if query.overdue {
            "view-overdue-commitments"
        } else {
            "view-commitments"
        },
    );
    if facets.is_empty() {
        base
    } else {
        tr_with(
            locale,
            "view-with-facets",
            &[
                ("base", text(base)),
                ("facets", text(facets.join(&tr(locale, "view-facet-separator")))),
            ],
        )
    }
}

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
    let locale = use_locale();
    let description = describe_listing(locale, &page);
    let total = page.total;
    let filtered = !page.query.is_unfiltered();
    let heading = match (&page.summit, summit_page) {
        (Some(summit), true) => summit.texts_in(locale).text.title,
        _ => tr(locale, "home-heading"),
    };
    let title = if filtered {
        tr_with(locale, "title-short", &[("page", text(description.clone()))])
    } else {
        tr_with(locale, "title-tracker", &[("page", text(heading.clone()))])
    };
    // Above `SEARCH_COUNT_LIMIT` a search's page says "more than" and shows
    // no per-status counts: counting stopped there.
    let capped = page.counts_capped;
    let meta_description = tr_with(
        locale,
        if capped {
            "listing-meta-description-many"
        } else {
            "listing-meta-description"
        },
        &[("view", text(description.clone())), ("count", number(total as f64))],
    );
    let counts_text = page
        .counts
        .iter()
        .filter(|(_, n)| *n > 0 && !capped)
        .map(|(s, n)| {
            tr_with(
                locale,
                "listing-meta-count",
                &[
                    ("count", number(*n as f64)),
                    ("status", text(i18n::status_label(locale, *s))),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(&tr(locale, "list-separator"));
    let meta_description = if counts_text.is_empty() {
        meta_description
    } else {
        tr_with(
            locale,
            "listing-meta-now",
            &[("description", text(meta_description)), ("counts", text(counts_text))],
        )
    };
    let csv_link = link_query
        .with_page(1)
        .link(&local_path(locale, "/export/commitments.csv"));
    let api_link = link_query.with_page(1).link("/api/v1/commitments");
    let feed_link = local_path(locale, "/feed.atom");
    let path = local_path(locale, &path);
    let show_summit = page.summit_total > 1 && page.query.summit.is_none();
    let per_page = page.per_page;
    let now = page.now;
    let scoreboard = page
        .counts
        .iter()
        .map(|(status, count)| {
            let filter = ListQuery {
                status: Some(*status),
                page: 1,
                cursor: None,
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
                                    {tr(locale, "scoreboard-show")}
                                    <span class="visually-hidden">
                                        {tr_with(locale, "scoreboard-show-which", &[("count", number(*count as f64)), ("status", text(i18n::status_label(locale, *status)))])}
                                    </span>
                                </a>
                            }
                        })}
                </li>
            }
        })
        .collect_view();
    // Keyset paging: the links name the commitment a page starts after (or
    // ends before), so a link keeps meaning the same place in the order
    // however the list grows; the old numbered links still work.
    let on_first_page = page.query.cursor.is_none() && page.query.page <= 1;
    let pager = (!on_first_page || page.next.is_some()).then(|| {
        let at = |cursor: Option<PageCursor>| link_query.with_cursor(cursor).link(&path);
        let first = (!on_first_page).then(|| at(None));
        let prev = page.previous.clone().map(|cursor| at(Some(cursor)));
        let next = page.next.clone().map(|cursor| at(Some(cursor)));
        let last = page.next.is_some().then(|| at(Some(PageCursor::Last)));
        view! {
            <nav class="pager" aria-label=tr(locale, "pager-label")>
                {first.map(|href| view! { <a href=href>{tr(locale, "pager-first")}</a> })}
                {prev.map(|href| view! { <a href=href rel="prev">{tr(locale, "pager-previous")}</a> })}
                <span>{tr_with(locale, if capped { "pager-summary-many" } else { "pager-summary" }, &[("count", number(total as f64)), ("per_page", number(f64::from(per_page)))])}</span>
                {next.map(|href| view! { <a href=href rel="next">{tr(locale, "pager-next")}</a> })}
                {last.map(|href| view! { <a href=href>{tr(locale, "pager-last")}</a> })}
            </nav>
        }
    });
    let intro = match (&page.summit, summit_page) {
        (Some(summit), true) => {
            let texts = summit.texts_in(locale);
            let lang = (texts.language != locale).then(|| texts.language.html_lang());
            view! {
                <section class="summit-intro" aria-labelledby="page-heading">
                    <p class="eyebrow">
                        {tr(locale, "summit-of")} " " <time datetime=summit.held_on.to_string()>{date(locale, summit.held_on)}</time>
                        " · " <ShownText text=texts.text.location.clone() language=texts.language />
                    </p>
                    <h1 id="page-heading" lang=lang>{texts.text.title.clone()}</h1>
                    // Folded on phones, where the summary alone filled the
                    // first screen; the stylesheet shows it unfolded on wider
                    // screens and in print (as the filter form's fold).
                    <details class="summit-about">
                        <summary>{tr(locale, "summit-about")}</summary>
                        <p class="lead" lang=lang>{texts.text.summary.clone()}</p>
                        <TextOriginNote origin=texts.origin.clone() language=texts.language />
                    </details>
                </section>
            }
            .into_any()
        }
        (latest, _) => {
            let latest = latest.clone();
            view! {
                <section class="summit-intro" aria-labelledby="page-heading">
                    <h1 id="page-heading">{heading.clone()}</h1>
                    <p class="lead">{tr(locale, "home-lead")}</p>
                    {latest
                        .map(|summit| {
                            let texts = summit.texts_in(locale);
                            view! {
                                <p>
                                    {tr(locale, "home-latest-summit")} " "
                                    <a href=local_path(locale, &format!("/summits/{}", summit.slug))
                                        lang=(texts.language != locale).then(|| texts.language.html_lang())>
                                        {texts.text.title.clone()}
                                    </a>
                                    ", " <time datetime=summit.held_on.to_string()>{date(locale, summit.held_on)}</time>
                                    " · " <a href=local_path(locale, "/summits")>{tr(locale, "home-all-summits")}</a>
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
        <Link rel="alternate" type_="application/atom+xml" title=tr(locale, "feed-every-change-title") href=feed_link.clone() />
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
                <h2 id="scoreboard-heading">{tr(locale, "scoreboard-heading")}</h2>
                <p class="scoreboard-total">
                    {tr_with(
                        locale,
                        match (capped, filtered) {
                            (true, _) => "scoreboard-total-many",
                            (false, true) => "scoreboard-total-matching",
                            (false, false) => "scoreboard-total-all",
                        },
                        &[("count", number(total as f64))],
                    )}
                </p>
                {(!capped).then(|| view! { <ul class="scoreboard-counts">{scoreboard}</ul> })}
                <p class="rule">{tr(locale, "overall-status-rule")}</p>
                <p class="time-zone-note">
                    {tr_with(
                        locale,
                        "dates-in-zone-list",
                        &[("zone", text(page.time_zone.name().to_owned())), ("offset", text(page.time_zone.utc_offset_at(page.now)))],
                    )}
                    " " <a href=local_path(locale, "/methodology#rule-time-zone")>{tr(locale, "dates-in-zone-why")}</a>
                </p>
            </section>
            <section class="chart" aria-labelledby="chart-heading">
                <h2 id="chart-heading">{tr(locale, "chart-heading")}</h2>
                {if page.chart_omitted {
                    view! {
                        <p class="hint">
                            {tr_with(locale, "chart-omitted", &[("count", number(domain::CHART_MAX_COMMITMENTS as f64))])}
                        </p>
                    }
                        .into_any()
                } else {
                    view! { <StatusChart history=page.history.clone() /> }.into_any()
                }}
            </section>
        </div>

        <section class="commitments" aria-labelledby="commitments-heading" aria-live="polite">
            <h2 id="commitments-heading">{format!("{description} ({total}{})", if capped { "+" } else { "" })}</h2>
            {if empty {
                view! {
                    <div class="empty-state" role="status">
                        <p><strong>{tr(locale, "empty-heading")}</strong></p>
                        <p>{tr(locale, "empty-try")} " " <a href=path.clone()>{tr(locale, "empty-clear")}</a></p>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <ol class="commitment-list">
                        {items
                            .into_iter()
                            .map(|c| view! { <CommitmentCard commitment=c now show_summit /> })
                            .collect_view()}
                    </ol>
                }
                .into_any()
            }}
            {pager}
        </section>

        <section class="reuse" aria-labelledby="reuse-heading">
            <h2 id="reuse-heading">{tr(locale, "reuse-heading")}</h2>
            <ul>
                <li><a href=csv_link>{tr(locale, "reuse-csv")}</a> " " {tr(locale, "reuse-csv-same-filters")}</li>
                <li><a href=api_link>"JSON"</a>" · "<a href="/api/v1/openapi.json">{tr(locale, "reuse-openapi")}</a></li>
                <li><a href=feed_link>{tr(locale, "reuse-feed")}</a></li>
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

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::api::commitments::list_commitments;
use crate::components::{PartyStatusList, StatusBadge};
use crate::model::{format_date, scoreboard, CommitmentList, CommitmentSummary};

#[component]
pub fn HomePage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_commitments());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading commitments…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <CommitmentListView list /> }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CommitmentListView(list: CommitmentList) -> impl IntoView {
    let board = scoreboard(&list.commitments);
    let total = list.commitments.len();
    let description = match &list.summit {
        Some(summit) => format!(
            "{total} commitments from the {} of {}, each with China's and South Korea's status and the sources behind it.",
            summit.title,
            format_date(summit.held_on)
        ),
        None => "Commitments made at summits, with each party's status and the sources behind it.".to_owned(),
    };
    let heading = list
        .summit
        .as_ref()
        .map(|s| s.title.clone())
        .unwrap_or_else(|| "Commitments".to_owned());
    view! {
        <Title text=format!("{heading} · Accord commitment tracker") />
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=list.canonical_url.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:title" content=heading.clone() />
        <Meta property="og:description" content=description.clone() />
        <Meta property="og:url" content=list.canonical_url.clone() />
        <Meta name="twitter:card" content="summary" />
        <Meta name="twitter:title" content=heading.clone() />
        <Meta name="twitter:description" content=description />

        {list
            .summit
            .clone()
            .map(|summit| {
                view! {
                    <section class="summit-intro" aria-labelledby="summit-heading">
                        <p class="eyebrow">
                            "Summit of " <time datetime=summit.held_on.to_string()>{format_date(summit.held_on)}</time>
                            " · " {summit.location.clone()}
                        </p>
                        <h1 id="summit-heading">{summit.title.clone()}</h1>
                        <p class="lead">{summit.summary.clone()}</p>
                    </section>
                }
            })}

        <section class="scoreboard" aria-labelledby="scoreboard-heading">
            <h2 id="scoreboard-heading">"Scoreboard"</h2>
            <p class="scoreboard-total">{format!("{total} commitments, by overall status:")}</p>
            <ul class="scoreboard-counts">
                {board
                    .into_iter()
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
        </section>

        <section class="commitments" aria-labelledby="commitments-heading">
            <h2 id="commitments-heading">{format!("All commitments ({total})")}</h2>
            <ol class="commitment-list">
                {list.commitments.into_iter().map(|c| view! { <CommitmentCard commitment=c /> }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn CommitmentCard(commitment: CommitmentSummary) -> impl IntoView {
    let overall = commitment.overall_status();
    let href = format!("/commitments/{}", commitment.slug);
    let owed_by = commitment
        .party_statuses
        .iter()
        .map(|p| p.party.short_name.clone())
        .collect::<Vec<_>>()
        .join(" and ");
    let sources = match commitment.source_count {
        1 => "1 source".to_owned(),
        n => format!("{n} sources"),
    };
    view! {
        <li class="commitment-card">
            <article aria-labelledby=format!("title-{}", commitment.slug)>
                <p class="eyebrow">{commitment.theme.label()}</p>
                <h3 id=format!("title-{}", commitment.slug)>
                    <a href=href>{commitment.title.clone()}</a>
                </h3>
                <div class="card-statuses">
                    <p class="overall">"Overall: " <StatusBadge status=overall /></p>
                    <PartyStatusList statuses=commitment.party_statuses.clone() />
                </div>
                <p class="card-meta">
                    <span>"Owed by " {owed_by}</span>
                    {commitment
                        .last_changed_on
                        .map(|date| {
                            view! {
                                <span>
                                    "Last status change "
                                    <time datetime=date.to_string()>{format_date(date)}</time>
                                </span>
                            }
                        })}
                    <span>{sources}</span>
                </p>
            </article>
        </li>
    }
}

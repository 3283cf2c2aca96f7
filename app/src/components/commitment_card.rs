//! A commitment as the list shows it: statuses, deadline and provenance.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::{PartyStatusList, StatusBadge};
use domain::{format_date, CommitmentSummary, DueBasis};

/// "Overdue" flag for items past their due date and not fulfilled.
#[component]
pub fn OverdueFlag(commitment: CommitmentSummary, today: NaiveDate) -> impl IntoView {
    commitment.is_overdue(today).then(|| {
        let due = commitment.due_on.map(format_date).unwrap_or_default();
        view! { <strong class="overdue-flag">"Overdue"<span class="visually-hidden">{format!(": due {due}")}</span></strong> }
    })
}

/// How much of the time from the summit to the due date has elapsed.
#[component]
pub fn DueBar(commitment: CommitmentSummary, today: NaiveDate) -> impl IntoView {
    let due_on = commitment.due_on;
    let basis = commitment.due_basis;
    commitment.due_progress(today).zip(due_on).map(|(progress, due)| {
        let label = progress.describe();
        let basis = match basis {
            Some(DueBasis::Inferred) => " (inferred)",
            _ => "",
        };
        view! {
            <div class="due-bar">
                <p class="due-line">
                    "Due " <time datetime=due.to_string()>{format_date(due)}</time> {basis}
                </p>
                <progress max="100" value=progress.percent_elapsed.to_string() aria-label=format!("Time elapsed: {label}")>
                    {format!("{}%", progress.percent_elapsed)}
                </progress>
                <p class="due-left">{label}</p>
            </div>
        }
    })
}

#[component]
pub fn CommitmentCard(
    commitment: CommitmentSummary,
    today: NaiveDate,
    /// Name the summit on the card (when the list spans several).
    #[prop(optional)]
    show_summit: bool,
) -> impl IntoView {
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
    let eyebrow = if show_summit {
        format!("{} · {}", commitment.theme.label(), commitment.summit.title)
    } else {
        commitment.theme.label().to_owned()
    };
    let title_id = format!("title-{}", commitment.slug);
    let labelled_by = title_id.clone();
    let overdue = commitment.is_overdue(today);
    view! {
        <li class="commitment-card" class:is-overdue=overdue>
            <article aria-labelledby=labelled_by>
                <p class="eyebrow">{eyebrow}</p>
                <h3 id=title_id>
                    <a href=href>{commitment.title.clone()}</a>
                </h3>
                <div class="card-statuses">
                    <p class="overall">
                        "Overall: " <StatusBadge status=overall /> " "
                        <OverdueFlag commitment=commitment.clone() today />
                    </p>
                    <PartyStatusList statuses=commitment.party_statuses.clone() />
                </div>
                <DueBar commitment=commitment.clone() today />
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

//! A commitment as the list shows it: statuses, deadline and provenance.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::{PartyStatusList, ShownText, StatusBadge};
use crate::locale::{date, local_path, number, owing_parties, text, tr, tr_with, use_locale};
use domain::{CommitmentSummary, DueBasis, DueProgress, Locale};

/// "Overdue" flag for items past their due date and not fulfilled.
#[component]
pub fn OverdueFlag(commitment: CommitmentSummary, today: NaiveDate) -> impl IntoView {
    let locale = use_locale();
    commitment.is_overdue(today).then(|| {
        let due = commitment.due_on.map(|d| date(locale, d)).unwrap_or_default();
        view! {
            <strong class="overdue-flag">
                {tr(locale, "overdue")}
                <span class="visually-hidden">{tr_with(locale, "overdue-due-on", &[("date", text(due))])}</span>
            </strong>
        }
    })
}

/// "32 days left (91% of the time elapsed)", in the page's language.
pub fn describe_progress(locale: Locale, progress: &DueProgress) -> String {
    let percent = ("percent", number(progress.percent_elapsed));
    match progress.days_left {
        0 => tr_with(locale, "due-today", &[percent]),
        n if n > 0 => tr_with(locale, "due-days-left", &[("days", number(n as f64)), percent]),
        n => tr_with(locale, "due-days-past", &[("days", number(-n as f64))]),
    }
}

/// How much of the time from the summit to the due date has elapsed.
#[component]
pub fn DueBar(commitment: CommitmentSummary, today: NaiveDate) -> impl IntoView {
    let locale = use_locale();
    let due_on = commitment.due_on;
    let basis = commitment.due_basis;
    commitment.due_progress(today).zip(due_on).map(|(progress, due)| {
        let label = describe_progress(locale, &progress);
        let basis = match basis {
            Some(DueBasis::Inferred) => Some(tr(locale, "due-inferred-mark")),
            _ => None,
        };
        view! {
            <div class="due-bar">
                <p class="due-line">
                    {tr(locale, "due-label")} " " <time datetime=due.to_string()>{date(locale, due)}</time>
                    {basis.map(|b| view! { " " {b} })}
                </p>
                <progress max="100" value=progress.percent_elapsed.to_string()
                    aria-label=tr_with(locale, "due-elapsed-label", &[("label", text(label.clone()))])>
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
    /// When the page was built; the card reckons its day in its summit's zone.
    now: chrono::DateTime<chrono::Utc>,
    /// Name the summit on the card (when the list spans several).
    #[prop(optional)]
    show_summit: bool,
) -> impl IntoView {
    let locale = use_locale();
    let overall = commitment.overall_status();
    let href = local_path(locale, &format!("/commitments/{}", commitment.slug));
    let owed_by = owing_parties(locale, &commitment.party_statuses);
    let sources = tr_with(
        locale,
        "count-sources",
        &[("count", number(commitment.source_count as f64))],
    );
    let theme = i18n::theme_label(locale, commitment.theme);
    let summit_title = commitment.summit.title_in(locale);
    let texts = commitment.texts_in(locale);
    let title_id = format!("title-{}", commitment.slug);
    let labelled_by = title_id.clone();
    let today = commitment.today_at(now);
    let overdue = commitment.is_overdue(today);
    view! {
        <li class="commitment-card" class:is-overdue=overdue>
            <article aria-labelledby=labelled_by>
                <p class="eyebrow">
                    {theme}
                    {show_summit.then(|| view! {
                        " · " <ShownText text=summit_title.text.clone() language=summit_title.language />
                    })}
                </p>
                <h3 id=title_id>
                    <a href=href lang=(texts.language != locale).then(|| texts.language.html_lang())>
                        {texts.text.title.clone()}
                    </a>
                </h3>
                <div class="card-statuses">
                    <p class="overall">
                        {tr(locale, "overall-colon")} " " <StatusBadge status=overall /> " "
                        <OverdueFlag commitment=commitment.clone() today />
                    </p>
                    <PartyStatusList statuses=commitment.party_statuses.clone() />
                </div>
                <DueBar commitment=commitment.clone() today />
                <p class="card-meta">
                    <span>{tr_with(locale, "owed-by-names", &[("names", text(owed_by))])}</span>
                    {commitment
                        .last_changed_on
                        .map(|day| {
                            view! {
                                <span>
                                    {tr(locale, "last-status-change")} " "
                                    <time datetime=day.to_string()>{date(locale, day)}</time>
                                </span>
                            }
                        })}
                    <span>{sources}</span>
                </p>
            </article>
        </li>
    }
}

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::components::{CanonicalLink, StatusBadge};
use crate::locale::{local_path, text, tr, tr_with, use_locale, Locale};
use domain::{SourceKind, Status};

/// The page's sections: the `id` others link to (`/methodology#statuses`)
/// and the message naming it, in page order. The contents list is built
/// from the same list, so it always matches the sections.
const SECTIONS: [(&str, &str); 6] = [
    ("statuses", "methodology-statuses-heading"),
    ("overall-status", "methodology-overall-heading"),
    ("sourcing", "methodology-sourcing-heading"),
    ("translations", "methodology-translations-heading"),
    ("editors", "methodology-editors-heading"),
    ("corrections", "methodology-corrections-heading"),
];

/// `/methodology`: how Accord rates commitments, which sources count, how
/// translations are labelled, who edits and how readers suggest
/// corrections. Plain server-rendered text: it needs no JavaScript.
#[component]
pub fn MethodologyPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Title text=tr_with(locale, "title-tracker", &[("page", text(tr(locale, "methodology-title")))]) />
        <Meta name="description" content=tr(locale, "methodology-description") />
        <CanonicalLink />
        <article class="methodology" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr(locale, "methodology-heading")}</h1>
            <p class="lead">{tr(locale, "methodology-lead")}</p>
            <nav class="toc" aria-labelledby="toc-heading">
                <h2 id="toc-heading">{tr(locale, "methodology-contents")}</h2>
                <ol>
                    {SECTIONS
                        .into_iter()
                        .map(|(id, heading)| view! { <li><a href=format!("#{id}")>{tr(locale, heading)}</a></li> })
                        .collect_view()}
                </ol>
            </nav>
            <Statuses locale />
            <OverallStatus locale />
            <Sourcing locale />
            <Translations locale />
            <Editors locale />
            <Corrections locale />
        </article>
    }
}

/// A section of the page: its `id`, its heading and what it says.
#[component]
fn Section(id: &'static str, heading: &'static str, locale: Locale, children: Children) -> impl IntoView {
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <section id=id class="methodology-section" aria-labelledby=labelled_by>
            <h2 id=heading_id>{tr(locale, heading)}</h2>
            {children()}
        </section>
    }
}

/// Every status with its badge and its public definition: the same words
/// the commitment pages print.
#[component]
fn Statuses(locale: Locale) -> impl IntoView {
    view! {
        <Section id="statuses" heading="methodology-statuses-heading" locale>
            <p>{tr(locale, "methodology-statuses-intro")}</p>
            <dl class="status-definitions">
                {Status::ALL
                    .into_iter()
                    .map(|status| {
                        view! {
                            <div id=format!("status-{}", status.code())>
                                <dt><StatusBadge status /></dt>
                                <dd>{i18n::status_definition(locale, status)}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </Section>
    }
}

/// The overall-status rule, in the words the lists print, with an example
/// worked out by the rule itself (`Status::overall`).
#[component]
fn OverallStatus(locale: Locale) -> impl IntoView {
    let (first, second) = (Status::InProgress, Status::NotYetRated);
    let example = tr_with(
        locale,
        "methodology-overall-example",
        &[
            ("first-party", text(tr(locale, "party-cn"))),
            ("first-status", text(i18n::status_label(locale, first))),
            ("second-party", text(tr(locale, "party-kr"))),
            ("second-status", text(i18n::status_label(locale, second))),
            (
                "overall",
                text(i18n::status_label(locale, Status::overall([first, second]))),
            ),
        ],
    );
    view! {
        <Section id="overall-status" heading="methodology-overall-heading" locale>
            <p>{tr(locale, "methodology-overall-intro")}</p>
            <p class="rule-statement">{tr(locale, "overall-status-rule")}</p>
            <p>{example}</p>
            <p>{tr(locale, "methodology-overall-why")}</p>
        </Section>
    }
}

/// The sourcing rules, each with an `id` of its own.
#[component]
fn Sourcing(locale: Locale) -> impl IntoView {
    let status = |status: Status| text(i18n::status_label(locale, status));
    let word = |id: &str| text(tr(locale, id));
    let kind = |kind: SourceKind| text(i18n::source_kind_label(locale, kind));
    let rules = [
        (
            "progress",
            tr(locale, "methodology-rule-progress-title"),
            tr_with(
                locale,
                "methodology-rule-progress",
                &[("not-yet-rated", status(Status::NotYetRated))],
            ),
        ),
        (
            "proposer",
            tr(locale, "methodology-rule-proposer-title"),
            tr_with(
                locale,
                "methodology-rule-proposer",
                &[
                    ("proposed-by", word("fact-proposed-by")),
                    ("jointly", word("proposed-jointly")),
                ],
            ),
        ),
        (
            "attribution",
            tr(locale, "methodology-rule-attribution-title"),
            tr_with(
                locale,
                "methodology-rule-attribution",
                &[
                    ("media-report", kind(SourceKind::MediaReport)),
                    ("official-readout", kind(SourceKind::OfficialReadout)),
                ],
            ),
        ),
        (
            "dates",
            tr(locale, "methodology-rule-dates-title"),
            tr(locale, "methodology-rule-dates"),
        ),
        (
            "titles",
            tr(locale, "methodology-rule-titles-title"),
            tr(locale, "methodology-rule-titles"),
        ),
        (
            "due-dates",
            tr(locale, "methodology-rule-due-title"),
            tr_with(
                locale,
                "methodology-rule-due",
                &[
                    ("not-fulfilled", status(Status::NotFulfilled)),
                    ("inferred", word("due-basis-inferred")),
                ],
            ),
        ),
        (
            "source-versions",
            tr(locale, "methodology-rule-corrections-title"),
            tr(locale, "methodology-rule-corrections"),
        ),
        (
            "time-zone",
            tr(locale, "methodology-rule-time-zone-title"),
            tr_with(
                locale,
                "methodology-rule-time-zone",
                &[("overdue", word("overdue")), ("fulfilled", status(Status::Fulfilled))],
            ),
        ),
    ];
    view! {
        <Section id="sourcing" heading="methodology-sourcing-heading" locale>
            <p>{tr(locale, "methodology-sourcing-intro")}</p>
            <ol class="rules">
                {rules
                    .into_iter()
                    .map(|(id, title, body)| {
                        view! {
                            <li id=format!("rule-{id}")>
                                <h3>{title}</h3>
                                <p>{body}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </Section>
    }
}

/// How a title or summary not written in the page's language is labelled,
/// with the labels the commitment pages really print as examples.
#[component]
fn Translations(locale: Locale) -> impl IntoView {
    let translated = tr_with(locale, "text-translated-by", &[("name", text("Accord"))]);
    let untranslated = tr_with(
        locale,
        "text-untranslated",
        &[("language", text(tr(locale, "language-in-en")))],
    );
    view! {
        <Section id="translations" heading="methodology-translations-heading" locale>
            <p>{tr(locale, "methodology-translations-languages")}</p>
            <p>{tr_with(locale, "methodology-translations-credit", &[("example", text(translated))])}</p>
            <p>{tr_with(locale, "methodology-translations-untranslated", &[("example", text(untranslated))])}</p>
            <p>{tr(locale, "methodology-translations-quotes")}</p>
            <p>{tr(locale, "methodology-translations-notes")}</p>
            <p>{tr(locale, "methodology-translations-lang")}</p>
        </Section>
    }
}

#[component]
fn Editors(locale: Locale) -> impl IntoView {
    view! {
        <Section id="editors" heading="methodology-editors-heading" locale>
            <p>{tr(locale, "methodology-editors-accounts")}</p>
            <p>{tr(locale, "methodology-editors-work")}</p>
            <p>{tr(locale, "methodology-editors-signed")}</p>
            <p>{tr(locale, "methodology-editors-revert")}</p>
            <p>{tr(locale, "methodology-editors-conflicts")}</p>
        </Section>
    }
}

#[component]
fn Corrections(locale: Locale) -> impl IntoView {
    view! {
        <Section id="corrections" heading="methodology-corrections-heading" locale>
            <p>{tr(locale, "methodology-corrections-suggest")}</p>
            <p>{tr(locale, "methodology-corrections-review")}</p>
            <p>
                {tr(locale, "methodology-corrections-public")} " "
                <a href=local_path(locale, "/corrections")>{tr(locale, "methodology-corrections-link")}</a>
            </p>
        </Section>
    }
}

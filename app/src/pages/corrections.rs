use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::api::corrections::list_corrections;
use crate::components::{CanonicalLink, FieldChanges};
use crate::locale::{date, local_path, text, tr, tr_with, use_locale, Locale};
use domain::CorrectionEntry;

/// `/corrections`: every correction, newest first: sources corrected,
/// commitments reverted, and corrections of the shipped data.
#[component]
pub fn CorrectionsPage() -> impl IntoView {
    let corrections = Resource::new(|| (), |_| list_corrections());
    let locale = use_locale();
    view! {
        <Title text=tr_with(locale, "title-tracker", &[("page", text(tr(locale, "corrections-heading")))]) />
        <Meta name="description" content=tr(locale, "corrections-description") />
        <CanonicalLink />
        <Link rel="alternate" type_="application/atom+xml" title=tr(locale, "corrections-feed-title") href=local_path(locale, "/corrections.atom") />
        <section aria-labelledby="page-heading" class="corrections-page">
            <h1 id="page-heading">{tr(locale, "corrections-heading")}</h1>
            <p class="lead">{tr(locale, "corrections-lead")}</p>
            <p>
                <a href=local_path(locale, "/methodology#corrections")>{tr(locale, "corrections-how")}</a>
                " · "
                <a href=local_path(locale, "/corrections.atom")>{tr(locale, "corrections-feed-link")}</a>
            </p>
            <Suspense fallback=move || view! { <p class="loading">{tr(locale, "loading")}</p> }>
                {move || Suspend::new(async move {
                    match corrections.await {
                        Ok(entries) if entries.is_empty() => {
                            view! { <p class="empty-state">{tr(locale, "corrections-empty")}</p> }.into_any()
                        }
                        Ok(entries) => view! {
                            <ol class="corrections">
                                {entries.into_iter().map(|entry| view! { <CorrectionItem entry /> }).collect_view()}
                            </ol>
                        }
                        .into_any(),
                        Err(error) => view! { <p class="error" role="alert">{error.message(use_locale())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CorrectionItem(entry: CorrectionEntry) -> impl IntoView {
    let locale = use_locale();
    // Editors' notes and summaries are recorded in English.
    let english = (locale != Locale::En).then_some("en");
    let history_anchor = entry.version.map(|v| format!("#version-{v}")).unwrap_or_default();
    view! {
        <li class="correction" id=entry.key.clone()>
            <p class="eyebrow">
                <span class="correction-kind">{i18n::correction_kind_label(locale, entry.kind)}</span>
                " · "
                <time datetime=entry.at.to_rfc3339()>{date(locale, entry.at.date_naive())}</time>
                " · "
                {tr_with(locale, "recorded-by", &[("name", text(entry.by.clone()))])}
            </p>
            <p class="correction-what" lang=english>{entry.what.clone()}</p>
            {(!entry.why.is_empty()).then(|| view! {
                <p class="correction-why">
                    {tr(locale, "correction-why")} " " <q lang=english>{entry.why.clone()}</q>
                </p>
            })}
            {(!entry.changes.is_empty()).then(|| view! { <FieldChanges changes=entry.changes.clone() /> })}
            {(!entry.items.is_empty()).then(|| view! {
                <ul class="correction-items">
                    {entry
                        .items
                        .iter()
                        .map(|item| {
                            let page = local_path(locale, &format!("/commitments/{}", item.slug));
                            let history = local_path(locale, &format!("/commitments/{}/history", item.slug));
                            view! {
                                <li>
                                    <a href=page lang=english>{item.title.clone()}</a>
                                    " · "
                                    <a href=format!("{history}{history_anchor}")>{tr(locale, "correction-history-link")}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            })}
        </li>
    }
}

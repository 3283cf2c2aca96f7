use leptos::prelude::*;

use crate::locale::{date, tr, tr_with, use_locale, Locale};
use domain::{LaterCorrection, SourceCorrection, SourceField, SourceFieldChange};
use i18n::text;

/// A field's value as a reader should see it: coded fields by their names
/// in the page's language, empty values as "none".
fn shown_value(locale: Locale, field: SourceField, value: &str) -> String {
    if value.is_empty() {
        return tr(locale, "source-value-none");
    }
    match field {
        SourceField::Kind => value
            .parse()
            .map(|kind| i18n::source_kind_label(locale, kind))
            .unwrap_or_else(|_| value.to_owned()),
        SourceField::TitleBasis => value
            .parse()
            .map(|basis| i18n::title_basis_label(locale, basis))
            .unwrap_or_else(|_| value.to_owned()),
        SourceField::DateBasis => value
            .parse()
            .map(|basis| i18n::date_basis_label(locale, basis))
            .unwrap_or_else(|_| value.to_owned()),
        SourceField::Date => value
            .parse()
            .map(|day| date(locale, day))
            .unwrap_or_else(|_| value.to_owned()),
        _ => value.to_owned(),
    }
}

/// What a correction changed, field by field: the earlier words struck
/// through, the new ones after them. The source's own words keep their
/// language; Accord's words are marked as English on other pages.
#[component]
pub fn FieldChanges(changes: Vec<SourceFieldChange>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <dl class="field-changes">
            {changes
                .into_iter()
                .map(|change| {
                    let field = change.field;
                    view! {
                        <div>
                            <dt>{i18n::source_field_label(locale, field)}</dt>
                            <dd>
                                <del>{shown_value(locale, field, &change.before)}</del>
                                <span aria-hidden="true">" → "</span>
                                <span class="visually-hidden">{tr(locale, "changed-to")}</span>
                                <ins>{shown_value(locale, field, &change.after)}</ins>
                            </dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
    }
}

/// A source's corrections, oldest first, each with who made it, why, and
/// what it changed.
#[component]
pub fn SourceCorrections(corrections: Vec<SourceCorrection>) -> impl IntoView {
    let locale = use_locale();
    let latest = corrections.last().map(|c| (c.corrected_at, c.version));
    latest.map(|(at, version)| {
        view! {
            <details class="source-corrections">
                <summary>
                    {tr_with(
                        locale,
                        "source-corrected-on",
                        &[("date", text(date(locale, at.date_naive()))), ("version", crate::locale::number(version as f64))],
                    )}
                </summary>
                <ol>
                    {corrections
                        .into_iter()
                        .map(|correction| {
                            view! {
                                <li>
                                    <p>
                                        {tr_with(
                                            locale,
                                            "source-correction-line",
                                            &[
                                                ("version", crate::locale::number(correction.version as f64)),
                                                ("date", text(date(locale, correction.corrected_at.date_naive()))),
                                                ("editor", text(correction.corrected_by.clone())),
                                            ],
                                        )}
                                        " "
                                        <q lang=(locale != Locale::En).then_some("en")>{correction.note.clone()}</q>
                                    </p>
                                    <FieldChanges changes=correction.changes />
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </details>
        }
    })
}

/// The flag on a status change whose source was corrected after the change
/// relied on it.
#[component]
pub fn LaterCorrectionFlag(later: LaterCorrection) -> impl IntoView {
    let locale = use_locale();
    let when = date(locale, later.first_corrected_at.date_naive());
    view! {
        <details class="later-correction">
            <summary>
                <span class="correction-mark" aria-hidden="true">"⚑ "</span>
                {tr_with(locale, "cited-source-corrected", &[("date", text(when))])}
            </summary>
            <p>
                {later
                    .corrections
                    .iter()
                    .map(|c| {
                        view! { <q lang=(locale != Locale::En).then_some("en")>{c.note.clone()}</q> " " }
                    })
                    .collect_view()}
            </p>
            <FieldChanges changes=later.changes />
        </details>
    }
}

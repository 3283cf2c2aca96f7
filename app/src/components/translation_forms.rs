//! The editors' forms for a commitment's title and summary in the other
//! languages: one form per language, each save a revision.

use leptos::prelude::*;

use super::{escape_html, FieldMessage};
use crate::api::editing::SaveTranslation;
use crate::error::AppError;
use crate::locale::{text, tr, tr_with, use_locale};
use domain::{CommitmentSummary, Locale};

#[component]
pub fn TranslationForms(commitment: CommitmentSummary, version: i64) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SaveTranslation>::new();
    let forms = Locale::ALL
        .into_iter()
        .filter(|language| *language != commitment.language)
        .map(|language| {
            let existing = commitment.translations.iter().find(|t| t.language == language).cloned();
            view! {
                <TranslationForm
                    slug=commitment.slug.to_string()
                    version
                    language
                    existing=existing.map(|t| (t.title, t.summary, t.translated_by))
                    action
                />
            }
        })
        .collect_view();
    view! {
        <section class="edit-panel" aria-labelledby="translations-heading">
            <h2 id="translations-heading">{tr(locale, "translations-heading")}</h2>
            <p class="hint">{tr(locale, "translations-hint")}</p>
            {forms}
        </section>
    }
}

#[component]
fn TranslationForm(
    slug: String,
    version: i64,
    language: Locale,
    /// Title, summary and translator of the current translation.
    existing: Option<(String, String, String)>,
    action: ServerAction<SaveTranslation>,
) -> impl IntoView {
    let locale = use_locale();
    let code = language.code();
    // Several forms share the action: only the one whose language was
    // posted shows its refusal.
    let outcome = move || {
        action.value().get().and_then(|r| r.err()).filter(|e| {
            e.field_errors()
                .and_then(|f| f.value("language"))
                .is_none_or(|l| l == code)
        })
    };
    let errors = move || outcome().and_then(|e| e.field_errors().cloned()).unwrap_or_default();
    let general = move || match outcome() {
        Some(AppError::Invalid(e)) => Some(
            e.get("form")
                .map(str::to_owned)
                .unwrap_or_else(|| tr(locale, "translation-not-saved")),
        ),
        Some(other) => Some(other.message(locale)),
        None => None,
    };
    let (stored_title, stored_summary, by) =
        existing.map_or((String::new(), String::new(), None), |(t, s, b)| (t, s, Some(b)));
    let typed = move |field: &'static str, stored: String| {
        move || {
            errors()
                .value(field)
                .map(str::to_owned)
                .unwrap_or_else(|| stored.clone())
        }
    };
    let title = typed("title", stored_title);
    let summary = typed("summary", stored_summary);
    let message = move |field: &'static str| move || errors().get(field).map(str::to_owned);
    let name = tr(locale, &format!("language-name-{code}"));
    let id = move |field: &str| format!("translation-{code}-{field}");
    view! {
        <ActionForm action attr:class="edit-form" attr:id=format!("translation-{code}") attr:novalidate=true>
            <h3>{tr_with(locale, "translation-heading", &[("language", text(name.clone()))])}</h3>
            <p class="hint">
                {match by {
                    Some(by) => tr_with(locale, "translation-current-by", &[("name", text(by))]),
                    None => tr(locale, "translation-none-yet"),
                }}
            </p>
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="version" value=version.to_string() />
            <input type="hidden" name="language" value=code />
            {move || general().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <div class="field">
                <label for=id("title")>{tr_with(locale, "translation-title", &[("language", text(name.clone()))])}</label>
                <input id=id("title") name="title" maxlength="160" lang=language.html_lang() value=title />
                {move || view! { <FieldMessage id=String::new() message=message("title")() /> }}
            </div>
            <div class="field">
                <label for=id("summary")>{tr_with(locale, "translation-summary", &[("language", text(name.clone()))])}</label>
                <textarea id=id("summary") name="summary" rows="4" lang=language.html_lang()
                    inner_html=move || escape_html(&summary())></textarea>
                {move || view! { <FieldMessage id=String::new() message=message("summary")() /> }}
            </div>
            <button type="submit" class="button primary">{tr(locale, "translation-save")}</button>
        </ActionForm>
    }
}

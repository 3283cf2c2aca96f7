use leptos::prelude::*;

use crate::api::editing::UpdateStatus;
use crate::components::LanguageChoice;
use crate::error::AppError;
use crate::locale::{party_name, text, tr, tr_with, use_locale};
use domain::{PartyStatus, SourceKind, SourceView, Status};

/// Escapes text for `inner_html`. Leptos writes a `<textarea>`'s children
/// without escaping, so typed text is set as escaped inner HTML instead, which
/// the browser decodes back to the same text on the server and in the browser.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A field's error message, linked to its control by `aria-describedby`,
/// worded in the page's language by the server function (`word_form`).
#[component]
pub fn FieldMessage(id: String, message: Option<String>) -> impl IntoView {
    message.map(|message| {
        view! {
            <p class="field-error" id=id>
                {message}
            </p>
        }
    })
}

/// The editors' "Update status" form. Works as a plain form post without
/// JavaScript; refused input comes back with a message next to each field and
/// everything typed still in place.
#[component]
pub fn StatusForm(
    slug: String,
    version: i64,
    today: chrono::NaiveDate,
    parties: Vec<PartyStatus>,
    sources: Vec<SourceView>,
    action: ServerAction<UpdateStatus>,
) -> impl IntoView {
    let locale = use_locale();
    let outcome = move || action.value().get().and_then(|result| result.err());
    let errors = move || outcome().and_then(|e| e.field_errors().cloned()).unwrap_or_default();
    let general = move || match outcome() {
        Some(AppError::Invalid(errors)) => errors
            .get("form")
            .map(str::to_owned)
            .or_else(|| Some(tr(locale, "form-status-not-saved"))),
        Some(other) => Some(other.message(locale)),
        None => None,
    };
    let message = move |field: &'static str| move || errors().get(field).map(str::to_owned);
    let value = move |field: &'static str| move || errors().value(field).map(str::to_owned).unwrap_or_default();
    let described = move |field: &'static str| move || errors().get(field).map(|_| format!("{field}-error"));
    let chosen_sources = move || errors().value("source_ids").map(str::to_owned).unwrap_or_default();
    let today = today.to_string();
    let two_parties = parties.len() > 1;

    view! {
        <section class="edit-panel" aria-labelledby="update-status-heading">
            <h2 id="update-status-heading">{tr(locale, "form-update-status")}</h2>
            <ActionForm action=action attr:class="edit-form" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="version" value=version.to_string() />
                {move || general().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}

                <fieldset aria-describedby=described("party")>
                    <legend>{tr(locale, "form-whose-status")}</legend>
                    {parties
                        .iter()
                        .map(|p| {
                            let code = p.party.code.to_string();
                            let id = format!("party-{code}");
                            let checked = {
                                let code = code.clone();
                                move || value("party")() == code || (!two_parties && value("party")().is_empty())
                            };
                            view! {
                                <div class="choice">
                                    <input type="radio" name="party" id=id.clone() value=code checked=checked />
                                    <label for=id>{tr_with(locale, "form-party-now", &[("party", text(party_name(locale, &p.party))), ("status", text(i18n::status_label(locale, p.status)))])}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                    {two_parties
                        .then(|| {
                            view! {
                                <div class="choice">
                                    <input type="radio" name="party" id="party-all" value="all" checked=move || value("party")() == "all" />
                                    <label for="party-all">{tr(locale, "form-both-parties")}</label>
                                </div>
                            }
                        })}
                    {move || view! { <FieldMessage id="party-error".into() message=message("party")() /> }}
                </fieldset>

                <div class="field">
                    <label for="status">{tr(locale, "form-new-status")}</label>
                    <select id="status" name="status" aria-describedby=described("status")>
                        <option value="" selected=move || value("status")().is_empty()>{tr(locale, "form-choose")}</option>
                        {Status::ALL
                            .into_iter()
                            .map(|s| view! { <option value=s.code() selected=move || value("status")() == s.code()>{i18n::status_label(locale, s)}</option> })
                            .collect_view()}
                    </select>
                    {move || view! { <FieldMessage id="status-error".into() message=message("status")() /> }}
                </div>

                <div class="field">
                    <label for="effective_on">{tr(locale, "form-effective-on")}</label>
                    <input type="date" id="effective_on" name="effective_on" max=today.clone() value=value("effective_on")
                        aria-describedby=described("effective_on") />
                    {move || view! { <FieldMessage id="effective_on-error".into() message=message("effective_on")() /> }}
                </div>

                <div class="field">
                    <label for="note">{tr(locale, "form-note")}</label>
                    <textarea id="note" name="note" rows="3" aria-describedby=described("note") inner_html=move || escape_html(&value("note")())></textarea>
                    {move || view! { <FieldMessage id="note-error".into() message=message("note")() /> }}
                </div>

                <fieldset aria-describedby=described("source_ids")>
                    <legend>{tr(locale, "form-evidence")}</legend>
                    {sources
                        .iter()
                        .map(|source| {
                            let id = format!("source-choice-{}", source.id);
                            let value = source.id.to_string();
                            let checked = {
                                let value = value.clone();
                                move || chosen_sources().split(',').any(|v| v == value)
                            };
                            view! {
                                <div class="choice">
                                    <input type="checkbox" name="source_ids[]" id=id.clone() value=value checked=checked />
                                    <label for=id>{format!("{}: {}", source.text.publisher, source.text.title)}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                    {move || view! { <FieldMessage id="source_ids-error".into() message=message("source_ids")() /> }}
                </fieldset>

                <fieldset class="new-source">
                    <legend>{tr(locale, "form-or-new-source")}</legend>
                    <div class="field">
                        <label for="source_publisher">{tr(locale, "source-publisher")}</label>
                        <input id="source_publisher" name="source_publisher" value=value("source_publisher") />
                        {move || view! { <FieldMessage id="source_publisher-error".into() message=message("source_publisher")() /> }}
                    </div>
                    <div class="field">
                        <label for="source_title">{tr(locale, "source-title")}</label>
                        <input id="source_title" name="source_title" value=value("source_title") />
                        {move || view! { <FieldMessage id="source_title-error".into() message=message("source_title")() /> }}
                    </div>
                    <div class="field">
                        <label for="source_published_on">{tr(locale, "source-published-on")}</label>
                        <input type="date" id="source_published_on" name="source_published_on" max=today
                            value=value("source_published_on") />
                        {move || view! { <FieldMessage id="source_published_on-error".into() message=message("source_published_on")() /> }}
                    </div>
                    <div class="field">
                        <label for="source_url">{tr(locale, "source-url")}</label>
                        <input type="url" id="source_url" name="source_url" placeholder="https://" value=value("source_url") />
                        {move || view! { <FieldMessage id="source_url-error".into() message=message("source_url")() /> }}
                    </div>
                    <div class="field">
                        <label for="source_quote">{tr(locale, "source-quote")}</label>
                        <textarea id="source_quote" name="source_quote" rows="3" inner_html=move || escape_html(&value("source_quote")())></textarea>
                        {move || view! { <FieldMessage id="source_quote-error".into() message=message("source_quote")() /> }}
                    </div>
                    <div class="field">
                        <label for="source_language">{tr(locale, "source-language")}</label>
                        <LanguageChoice id="source_language".to_owned() current=value("source_language") />
                        {move || view! { <FieldMessage id="source_language-error".into() message=message("source_language")() /> }}
                    </div>
                    <div class="field">
                        <label for="source_kind">{tr(locale, "source-kind")}</label>
                        <select id="source_kind" name="source_kind">
                            {SourceKind::ALL
                                .iter()
                                .map(|k| view! { <option value=k.code() selected=move || value("source_kind")() == k.code()>{i18n::source_kind_label(locale, *k)}</option> })
                                .collect_view()}
                        </select>
                        {move || view! { <FieldMessage id="source_kind-error".into() message=message("source_kind")() /> }}
                    </div>
                </fieldset>

                <div class="choice">
                    <input type="checkbox" id="abandoned" name="abandoned" value="on" checked=move || !value("abandoned")().is_empty() />
                    <label for="abandoned">{tr(locale, "form-abandoned")}</label>
                </div>

                <button type="submit" class="button primary">{tr(locale, "form-save-status")}</button>
            </ActionForm>
        </section>
    }
}

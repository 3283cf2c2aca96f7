use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::suggestions::SuggestUpdate;
use crate::components::{escape_html, FieldMessage, SourceFields};
use crate::error::AppError;
use crate::locale::{party_name, tr, use_locale};
use domain::{PartyStatus, Status};

/// "Suggest an update": readers propose a status change with a source; an
/// editor decides. Nothing changes until then.
#[component]
pub fn SuggestForm(slug: String, parties: Vec<PartyStatus>) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SuggestUpdate>::new();
    let query = use_query_map();
    // After a plain form post the redirect carries `?suggested=1`; in the
    // browser the action's own result says so.
    let thanked = move || match action.value().get() {
        Some(result) => result.is_ok(),
        None => query.read().get("suggested").is_some(),
    };
    let error = move || action.value().get().and_then(|r| r.err());
    let value = move |field: &'static str| {
        move || {
            error()
                .and_then(|e| e.field_errors().and_then(|f| f.value(field).map(str::to_owned)))
                .unwrap_or_default()
        }
    };
    let message = move |field: &'static str| {
        move || error().and_then(|e| e.field_errors().and_then(|f| f.get(field).map(str::to_owned)))
    };
    let general = move || {
        error().map(|e| match &e {
            AppError::Invalid(_) => tr(locale, "suggest-not-sent"),
            other => other.message(locale),
        })
    };
    let two = parties.len() > 1;
    view! {
        <section class="edit-panel suggest-panel" aria-labelledby="suggest-heading">
            <h2 id="suggest-heading">{tr(locale, "suggest-heading")}</h2>
            <p class="hint">{tr(locale, "suggest-hint")}</p>
            {move || thanked().then(|| view! { <p class="form-success" role="status">{tr(locale, "suggest-thanks")}</p> })}
            <ActionForm action attr:class="edit-form" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug />
                {move || general().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <fieldset>
                    <legend>{tr(locale, "suggest-whose-status")}</legend>
                    {parties.iter().map(|p| {
                        let code = p.party.code.to_string();
                        let id = format!("suggest-party-{code}");
                        let checked = { let code = code.clone(); move || value("party")() == code || (!two && value("party")().is_empty()) };
                        view! {
                            <div class="choice">
                                <input type="radio" name="party" id=id.clone() value=code checked=checked />
                                <label for=id>{party_name(locale, &p.party)}</label>
                            </div>
                        }
                    }).collect_view()}
                    {two.then(|| view! {
                        <div class="choice">
                            <input type="radio" name="party" id="suggest-party-all" value="all" checked=move || value("party")() == "all" />
                            <label for="suggest-party-all">{tr(locale, "form-both-parties")}</label>
                        </div>
                    })}
                    {move || view! { <FieldMessage id=String::new() message=message("party")() /> }}
                </fieldset>
                <div class="field">
                    <label for="suggest-status">{tr(locale, "suggest-status")}</label>
                    <select id="suggest-status" name="status">
                        <option value="">{tr(locale, "form-choose")}</option>
                        {Status::ALL.into_iter().map(|s| view! { <option value=s.code() selected=move || value("status")() == s.code()>{i18n::status_label(locale, s)}</option> }).collect_view()}
                    </select>
                    {move || view! { <FieldMessage id=String::new() message=message("status")() /> }}
                </div>
                <div class="field">
                    <label for="suggest-effective_on">{tr(locale, "suggest-effective-on")}</label>
                    <input type="date" id="suggest-effective_on" name="effective_on" value=value("effective_on") />
                    {move || view! { <FieldMessage id=String::new() message=message("effective_on")() /> }}
                </div>
                <div class="field">
                    <label for="suggest-note">{tr(locale, "suggest-note")}</label>
                    <textarea id="suggest-note" name="note" rows="3" inner_html=move || escape_html(&value("note")())></textarea>
                    {move || view! { <FieldMessage id=String::new() message=message("note")() /> }}
                </div>
                <fieldset>
                    <legend>{tr(locale, "suggest-source")}</legend>
                    <SourceFields id_prefix="suggest-source".into() source=None error=Box::new(error) />
                </fieldset>
                <div class="field">
                    <label for="suggest-contact">{tr(locale, "suggest-contact")}</label>
                    <input type="email" id="suggest-contact" name="contact" autocomplete="email" value=value("contact") />
                    {move || view! { <FieldMessage id=String::new() message=message("contact")() /> }}
                </div>
                // A trap for bots: hidden from people and from screen readers.
                <div class="trap" aria-hidden="true">
                    <label for="suggest-website">{tr(locale, "suggest-trap")}</label>
                    <input id="suggest-website" name="website" tabindex="-1" autocomplete="off" />
                </div>
                <button type="submit" class="button primary">{tr(locale, "suggest-send")}</button>
            </ActionForm>
        </section>
    }
}

use leptos::prelude::*;

use crate::api::editing::ChangeSource;
use crate::components::{escape_html, FieldMessage};
use crate::error::AppError;
use crate::locale::{tr, use_locale};
use domain::{DateBasis, Locale, SourceKind, SourceView, TitleBasis};

/// Errors and typed values of a `ChangeSource` action, if they came from the
/// form identified by `form_key` (several source forms share the action).
fn errors_for(action: ServerAction<ChangeSource>, form_key: String) -> impl Fn() -> Option<AppError> + Clone {
    move || {
        action.value().get().and_then(|r| r.err()).filter(|e| {
            e.field_errors()
                .and_then(|f| f.value("form_key"))
                .is_none_or(|key| key == form_key)
        })
    }
}

/// The fields of a source, prefilled from `source` or from what was typed.
#[component]
pub fn SourceFields(
    id_prefix: String,
    source: Option<SourceView>,
    error: Box<dyn Fn() -> Option<AppError> + Send + Sync>,
) -> impl IntoView {
    let locale = use_locale();
    let error = std::sync::Arc::new(error);
    let value = {
        let error = error.clone();
        move |field: &'static str| {
            let error = error.clone();
            let source = source.clone();
            move || {
                if let Some(v) = error().and_then(|e| e.field_errors().and_then(|f| f.value(field).map(str::to_owned)))
                {
                    return v;
                }
                let Some(s) = &source else { return String::new() };
                match field {
                    "source_publisher" => s.text.publisher.clone(),
                    "source_title" => s.text.title.clone(),
                    "source_title_basis" => s.text.title_basis.code().to_owned(),
                    "source_published_on" => s.text.dated_on.to_string(),
                    "source_date_basis" => s.text.date_basis.code().to_owned(),
                    "source_via" => s.text.via.clone().unwrap_or_default(),
                    "source_url" => s.text.url.clone().unwrap_or_default(),
                    "source_quote" => s.text.quote.clone(),
                    "source_kind" => s.text.kind.code().to_owned(),
                    "source_language" => s.text.language.to_string(),
                    _ => String::new(),
                }
            }
        }
    };
    let message = {
        let error = error.clone();
        move |field: &'static str| {
            let error = error.clone();
            move || error().and_then(|e| e.field_errors().and_then(|f| f.get(field).map(str::to_owned)))
        }
    };
    let id = move |field: &str| format!("{id_prefix}-{field}");
    let kind = value("source_kind");
    let title_basis = value("source_title_basis");
    let date_basis = value("source_date_basis");
    let language = value("source_language");
    let quote = value("source_quote");
    view! {
        <div class="field">
            <label for=id("publisher")>{tr(locale, "source-publisher")}</label>
            <input id=id("publisher") name="source_publisher" value=value("source_publisher") />
            {let m = message("source_publisher"); move || view! { <FieldMessage id=String::new() message=m() /> }}
        </div>
        <div class="field">
            <label for=id("title")>{tr(locale, "source-title")}</label>
            <input id=id("title") name="source_title" value=value("source_title") />
            {let m = message("source_title"); move || view! { <FieldMessage id=String::new() message=m() /> }}
        </div>
        <div class="field">
            <label for=id("title_basis")>{tr(locale, "source-title-basis")}</label>
            <select id=id("title_basis") name="source_title_basis">
                // Unsaid, a title is Accord's description, never claimed to
                // be the outlet's headline.
                {TitleBasis::ALL.iter().map(|b| {
                    let chosen = title_basis.clone();
                    let selected = move || match chosen().as_str() {
                        "" => *b == TitleBasis::Description,
                        code => code == b.code(),
                    };
                    view! { <option value=b.code() selected=selected>{i18n::title_basis_label(locale, *b)}</option> }
                }).collect_view()}
            </select>
            {let m = message("source_title_basis"); move || view! { <FieldMessage id=String::new() message=m() /> }}
        </div>
        <div class="field">
            <label for=id("published_on")>{tr(locale, "source-published-on")}</label>
            <input type="date" id=id("published_on") name="source_published_on" value=value("source_published_on") />
            {let m = message("source_published_on"); move || view! { <FieldMessage id=String::new() message=m() /> }}
        </div>
        <div class="field">
            <label for=id("date_basis")>{tr(locale, "source-date-basis")}</label>
            <select id=id("date_basis") name="source_date_basis">
                {DateBasis::ALL.iter().map(|b| {
                    let chosen = date_basis.clone();
                    view! { <option value=b.code() selected=move || chosen() == b.code()>{i18n::date_basis_label(locale, *b)}</option> }
                }).collect_view()}
            </select>
            {let m = message("source_date_basis"); move || view! { <FieldMessage id=String::new() message=m() /> }}
        </div>
        <div class="field">
            <label for=id("via")>{tr(locale, "source-via-label")}</label>
            <input id=id("via") name="source_via" value=value("source_via") />
            {let m = message("source_via"); move || view! { <FieldMessage id=String::new() message=m() /> }}
        </div>
        <div class="field">
            <label for=id("url")>{tr(locale, "source-url")}</label>
            <input type="url" id=id("url") name="source_url" placeholder="https://" value=value("source_url") />
            {let m = message("source_url"); move || view! { <FieldMessage id=String::new() message=m() /> }}
        </div>
        <div class="field">
            <label for=id("quote")>{tr(locale, "source-quote")}</label>
            <textarea id=id("quote") name="source_quote" rows="3" inner_html=move || escape_html(&quote())></textarea>
            {let m = message("source_quote"); move || view! { <FieldMessage id=String::new() message=m() /> }}
        </div>
        <div class="field">
            <label for=id("language")>{tr(locale, "source-language")}</label>
            <LanguageChoice id=id("language") current=language.clone() />
            {let m = message("source_language"); move || view! { <FieldMessage id=String::new() message=m() /> }}
        </div>
        <div class="field">
            <label for=id("kind")>{tr(locale, "source-kind")}</label>
            <select id=id("kind") name="source_kind">
                {SourceKind::ALL.iter().map(|k| {
                    let kind = kind.clone();
                    view! { <option value=k.code() selected=move || kind() == k.code()>{i18n::source_kind_label(locale, *k)}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The language a source was published in: Accord's three, or whatever
/// other tag the source already has.
#[component]
pub fn LanguageChoice(id: String, current: impl Fn() -> String + Send + Sync + Clone + 'static) -> impl IntoView {
    let locale = use_locale();
    let chosen = {
        let current = current.clone();
        move || match current().trim() {
            "" => "en".to_owned(),
            other => other.to_owned(),
        }
    };
    let mut options: Vec<(String, String)> = Locale::ALL
        .iter()
        .map(|l| {
            (
                l.html_lang().to_owned(),
                tr(locale, &format!("language-name-{}", l.code())),
            )
        })
        .collect();
    let now = chosen();
    if !options.iter().any(|(tag, _)| *tag == now) {
        options.push((now.clone(), now));
    }
    view! {
        <select id=id name="source_language">
            {options
                .into_iter()
                .map(|(tag, name)| {
                    let chosen = chosen.clone();
                    let selected = {
                        let tag = tag.clone();
                        move || chosen() == tag
                    };
                    view! { <option value=tag.clone() lang=tag selected=selected>{name}</option> }
                })
                .collect_view()}
        </select>
    }
}

fn form_message(locale: Locale, error: Option<AppError>) -> Option<String> {
    error.map(|e| match &e {
        AppError::Invalid(f) => f
            .get("form")
            .map(str::to_owned)
            .unwrap_or_else(|| tr(locale, "form-nothing-saved")),
        other => other.message(locale),
    })
}

/// "Add a source" for editors.
#[component]
pub fn AddSourceForm(slug: String, version: i64, action: ServerAction<ChangeSource>) -> impl IntoView {
    let locale = use_locale();
    let error = errors_for(action, "add-".into());
    let general = {
        let error = error.clone();
        move || form_message(locale, error())
    };
    view! {
        <section class="edit-panel" aria-labelledby="add-source-heading">
            <h2 id="add-source-heading">{tr(locale, "form-add-source")}</h2>
            <ActionForm action attr:class="edit-form" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="version" value=version.to_string() />
                <input type="hidden" name="action" value="add" />
                {move || general().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <SourceFields id_prefix="add-source".into() source=None error=Box::new(error) />
                <button type="submit" class="button primary">{tr(locale, "form-add-source-button")}</button>
            </ActionForm>
        </section>
    }
}

/// Correct or remove one source (editors), folded under the source.
#[component]
pub fn SourceEditControls(
    slug: String,
    version: i64,
    source: SourceView,
    action: ServerAction<ChangeSource>,
) -> impl IntoView {
    let locale = use_locale();
    let key = format!("edit-{}", source.id);
    let error = errors_for(action, key);
    let remove_error = errors_for(action, format!("remove-{}", source.id));
    let open = {
        let error = error.clone();
        move || error().is_some()
    };
    let general = {
        let error = error.clone();
        move || form_message(locale, error())
    };
    let note_value = {
        let error = error.clone();
        move || {
            error()
                .and_then(|e| {
                    e.field_errors()
                        .and_then(|f| f.value("correction_note").map(str::to_owned))
                })
                .unwrap_or_default()
        }
    };
    let note_message = {
        let error = error.clone();
        move || {
            error().and_then(|e| {
                e.field_errors()
                    .and_then(|f| f.get("correction_note").map(str::to_owned))
            })
        }
    };
    let id = source.id.to_string();
    let (slug2, id2, prefix) = (slug.clone(), id.clone(), format!("source-{id}"));
    view! {
        <details class="source-edit" open=open>
            <summary>{tr(locale, "form-correct-source")}</summary>
            <ActionForm action attr:class="edit-form" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="version" value=version.to_string() />
                <input type="hidden" name="action" value="edit" />
                <input type="hidden" name="source_id" value=id />
                {move || general().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <SourceFields id_prefix=prefix.clone() source=Some(source) error=Box::new(error.clone()) />
                <div class="field">
                    <label for=format!("{prefix}-correction_note")>{tr(locale, "source-correction-note")}</label>
                    <textarea id=format!("{prefix}-correction_note") name="correction_note" rows="2"
                        inner_html=move || escape_html(&note_value())></textarea>
                    {move || view! { <FieldMessage id=String::new() message=note_message() /> }}
                </div>
                <button type="submit" class="button primary">{tr(locale, "form-save-correction")}</button>
            </ActionForm>
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="slug" value=slug2 />
                <input type="hidden" name="version" value=version.to_string() />
                <input type="hidden" name="action" value="remove" />
                <input type="hidden" name="source_id" value=id2 />
                {move || form_message(locale, remove_error()).map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <button type="submit" class="button small">{tr(locale, "form-remove-source")}</button>
            </ActionForm>
        </details>
    }
}

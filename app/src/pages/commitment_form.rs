use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api::auth::whoami;
use crate::api::commitments::get_commitment;
use crate::api::editing::{list_parties, list_summits, SaveCommitment};
use crate::components::{escape_html, CanonicalLink, FieldMessage, TranslationForms};
use crate::error::AppError;
use crate::locale::{local_path, party_name, text, tr, tr_with, use_locale};
use crate::pages::NotFound;
use domain::{CommitmentDetail, PartyRef, SummitView, Theme};

/// `/editor/new-commitment`.
#[component]
pub fn NewCommitmentPage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async { (whoami().await, list_summits().await, list_parties().await) },
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">{tr(use_locale(), "loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    (Ok(Some(_)), Ok(summits), Ok(parties)) => {
                        view! { <CommitmentForm existing=None summits parties /> }.into_any()
                    }
                    (Ok(None), _, _) => view! { <SignInFirst /> }.into_any(),
                    (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                        view! { <p class="error" role="alert">{e.message(use_locale())}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/commitments/{slug}/edit`.
#[component]
pub fn EditCommitmentPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let data = Resource::new(slug, |slug| async move {
        (
            whoami().await,
            list_summits().await,
            list_parties().await,
            get_commitment(slug).await,
        )
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">{tr(use_locale(), "loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    (_, _, _, Err(AppError::NotFound(what))) => view! { <NotFound message=what /> }.into_any(),
                    (Ok(Some(_)), Ok(summits), Ok(parties), Ok(detail)) => {
                        let (commitment, version) = (detail.commitment.clone(), detail.version);
                        view! {
                            <CommitmentForm existing=Some(detail) summits parties />
                            <TranslationForms commitment version />
                        }
                        .into_any()
                    }
                    (Ok(None), _, _, _) => view! { <SignInFirst /> }.into_any(),
                    (Err(e), _, _, _) | (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => {
                        view! { <p class="error" role="alert">{e.message(use_locale())}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignInFirst() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::UNAUTHORIZED);
    }
    let locale = use_locale();
    view! {
        <Title text=tr(locale, "login-title") />
        <Meta name="robots" content="noindex" />
        <CanonicalLink />
        <h1>{tr(locale, "editors-only")}</h1>
        <p>{tr(locale, "form-sign-in-first")} " " <a href=local_path(locale, "/login")>{tr(locale, "editor-sign-in")}</a></p>
    }
}

/// The new/edit commitment form; the parties offered are the stored ones.
#[component]
fn CommitmentForm(
    existing: Option<CommitmentDetail>,
    summits: Vec<SummitView>,
    parties: Vec<PartyRef>,
) -> impl IntoView {
    let locale = use_locale();
    // Proposed by one of the parties, or by both sides jointly.
    let proposers: Vec<(String, String)> = parties
        .iter()
        .map(|p| (p.code.to_string(), party_name(locale, p)))
        .chain(std::iter::once(("joint".to_owned(), tr(locale, "proposed-jointly"))))
        .collect();
    let action = ServerAction::<SaveCommitment>::new();
    let outcome = move || action.value().get().and_then(|r| r.err());
    let errors = move || outcome().and_then(|e| e.field_errors().cloned()).unwrap_or_default();
    let general = move || match outcome() {
        Some(AppError::Invalid(e)) => Some(
            e.get("form")
                .map(str::to_owned)
                .unwrap_or_else(|| tr(locale, "form-nothing-saved")),
        ),
        Some(other) => Some(other.message(locale)),
        None => None,
    };
    // Initial values: what was typed (after a refusal), else the stored commitment.
    let stored = existing.clone();
    let initial = move |field: &'static str| {
        let stored = stored.clone();
        move || {
            let typed = errors();
            if let Some(v) = typed.value(field) {
                return v.to_owned();
            }
            let Some(d) = &stored else {
                return String::new();
            };
            let c = &d.commitment;
            match field {
                "title" => c.title.clone(),
                "summary" => c.summary.clone(),
                "theme" => c.theme.code().to_owned(),
                "proposed_by" => d.proposed_by.as_ref().map_or("joint".into(), |p| p.code.to_string()),
                "owed_by" => c
                    .party_statuses
                    .iter()
                    .map(|p| p.party.code.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
                "due_on" => c.due_on.map(|d| d.to_string()).unwrap_or_default(),
                "due_basis" => c.due_basis.map(|b| b.code().to_owned()).unwrap_or_default(),
                "due_note" => d.due_note.clone().unwrap_or_default(),
                "summit" => d.summit.slug.to_string(),
                _ => String::new(),
            }
        }
    };
    let message = move |field: &'static str| move || errors().get(field).map(str::to_owned);
    let heading = existing.as_ref().map_or(tr(locale, "new-commitment"), |d| {
        tr_with(
            locale,
            "form-edit-heading",
            &[("title", text(d.commitment.title.clone()))],
        )
    });
    let slug = existing
        .as_ref()
        .map(|d| d.commitment.slug.to_string())
        .unwrap_or_default();
    let version = existing.as_ref().map(|d| d.version.to_string()).unwrap_or_default();
    let i_basis = initial("due_basis");
    let (i_title, i_summary, i_theme, i_prop, i_owed, i_due, i_note, i_summit) = (
        initial("title"),
        initial("summary"),
        initial("theme"),
        initial("proposed_by"),
        initial("owed_by"),
        initial("due_on"),
        initial("due_note"),
        initial("summit"),
    );
    view! {
        <Title text=tr_with(locale, "title-short", &[("page", text(heading.clone()))]) />
        <Meta name="robots" content="noindex" />
        <CanonicalLink />
        <h1>{heading}</h1>
        {existing.is_some().then(|| view! {
            <p class="hint">{tr(locale, "form-address-stays")}</p>
        })}
        <ActionForm action attr:class="edit-form" attr:novalidate=true>
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="version" value=version />
            {move || general().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <div class="field">
                <label for="title">{tr(locale, "form-title")}</label>
                <input id="title" name="title" maxlength="160" value=i_title.clone() />
                {move || view! { <FieldMessage id="title-error".into() message=message("title")() /> }}
            </div>
            <div class="field">
                <label for="summary">{tr(locale, "form-summary")}</label>
                <textarea id="summary" name="summary" rows="4" inner_html=move || escape_html(&i_summary())></textarea>
                {move || view! { <FieldMessage id="summary-error".into() message=message("summary")() /> }}
            </div>
            <div class="field">
                <label for="theme">{tr(locale, "filters-theme")}</label>
                <select id="theme" name="theme">
                    <option value="" selected={ let i_theme = i_theme.clone(); move || i_theme().is_empty() }>{tr(locale, "form-choose")}</option>
                    {Theme::ALL.iter().map(|t| {
                        let i_theme = i_theme.clone();
                        view! { <option value=t.code() selected=move || i_theme() == t.code()>{i18n::theme_label(locale, *t)}</option> }
                    }).collect_view()}
                </select>
                {move || view! { <FieldMessage id="theme-error".into() message=message("theme")() /> }}
            </div>
            <fieldset>
                <legend>{tr(locale, "fact-proposed-by")}</legend>
                {proposers.into_iter().map(|(code, name)| {
                    let id = format!("proposed-{code}");
                    let i_prop = i_prop.clone();
                    let checked = { let code = code.clone(); move || i_prop() == code };
                    view! {
                        <div class="choice">
                            <input type="radio" name="proposed_by" id=id.clone() value=code checked=checked />
                            <label for=id>{name}</label>
                        </div>
                    }
                }).collect_view()}
                {move || view! { <FieldMessage id="proposed_by-error".into() message=message("proposed_by")() /> }}
            </fieldset>
            <fieldset>
                <legend>{tr(locale, "fact-owed-by")}</legend>
                {parties.into_iter().map(|party| {
                    let code = party.code.to_string();
                    let id = format!("owed-{code}");
                    let i_owed = i_owed.clone();
                    let checked = { let code = code.clone(); move || i_owed().split(',').any(|c| c == code) };
                    view! {
                        <div class="choice">
                            <input type="checkbox" name="owed_by[]" id=id.clone() value=code checked=checked />
                            <label for=id>{party_name(locale, &party)}</label>
                        </div>
                    }
                }).collect_view()}
                {move || view! { <FieldMessage id="owed_by-error".into() message=message("owed_by")() /> }}
            </fieldset>
            <div class="field">
                <label for="due_on">{tr(locale, "form-due-on")}</label>
                <input type="date" id="due_on" name="due_on" value=i_due />
                {move || view! { <FieldMessage id="due_on-error".into() message=message("due_on")() /> }}
            </div>
            <fieldset class="field" aria-describedby="due_basis-error">
                <legend>{tr(locale, "form-due-basis")}</legend>
                {domain::DueBasis::ALL.iter().map(|basis| {
                    let id = format!("due_basis-{}", basis.code());
                    let current = i_basis.clone();
                    let code = basis.code();
                    let checked = move || current() == code;
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="due_basis" value=basis.code() checked=checked />
                            <label for=id>{tr(locale, &format!("due-basis-{}", basis.code()))}</label>
                        </div>
                    }
                }).collect_view()}
                {move || view! { <FieldMessage id="due_basis-error".into() message=message("due_basis")() /> }}
            </fieldset>
            <div class="field">
                <label for="due_note">{tr(locale, "form-due-note")}</label>
                <input id="due_note" name="due_note" value=i_note />
                {move || view! { <FieldMessage id="due_note-error".into() message=message("due_note")() /> }}
            </div>
            <div class="field">
                <label for="summit">{tr(locale, "fact-summit")}</label>
                <select id="summit" name="summit">
                    {summits.into_iter().map(|s| {
                        let code = s.slug.to_string();
                        let i_summit = i_summit.clone();
                        let selected = { let code = code.clone(); move || i_summit() == code };
                        view! { <option value=code selected=selected>{s.texts_in(locale).text.title}</option> }
                    }).collect_view()}
                </select>
                {move || view! { <FieldMessage id="summit-error".into() message=message("summit")() /> }}
            </div>
            <button type="submit" class="button primary">{tr(locale, "form-save-commitment")}</button>
        </ActionForm>
    }
}

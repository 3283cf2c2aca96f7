use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api::auth::whoami;
use crate::api::editing::{get_history, RevertCommitment};
use crate::components::{describe_change, CanonicalLink};
use crate::error::AppError;
use crate::locale::{date_time, local_path, number, text, tr, tr_with, use_locale};
use crate::pages::NotFound;
use domain::{CommitmentHistory, Locale};

/// `/commitments/{slug}/history`: every recorded change, who made it and
/// when, with a revert button for editors.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let revert = ServerAction::<RevertCommitment>::new();
    let history = Resource::new(slug, get_history);
    let editor = Resource::new(|| (), |_| whoami());
    let locale = use_locale();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr(locale, "loading")}</p> }>
            {move || Suspend::new(async move {
                let is_editor = editor.await.ok().flatten().is_some();
                match history.await {
                    Ok(history) => view! { <HistoryView history revert=is_editor.then_some(revert) /> }.into_any(),
                    Err(AppError::NotFound(what)) => view! { <NotFound message=what /> }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{error.message(use_locale())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HistoryView(history: CommitmentHistory, revert: Option<ServerAction<RevertCommitment>>) -> impl IntoView {
    let CommitmentHistory {
        slug,
        title,
        current_version,
        revisions,
        parties,
    } = history;
    let locale = use_locale();
    // Change lines and summaries are recorded in English (docs/I18N.md).
    let english = (locale != Locale::En).then_some("en");
    let page_href = local_path(locale, &format!("/commitments/{slug}"));
    let error = move || {
        revert
            .and_then(|a| a.value().get())
            .and_then(|r| r.err())
            .map(|e| e.message(locale))
    };
    let empty = revisions.is_empty();
    view! {
        <Title text=tr_with(locale, "history-title", &[("title", text(title.clone()))]) />
        <Meta name="robots" content="noindex" />
        <CanonicalLink />
        <nav class="breadcrumb" aria-label=tr(locale, "breadcrumb")>
            <ol>
                <li><a href=local_path(locale, "/")>{tr(locale, "all-commitments")}</a></li>
                <li><a href=page_href lang=english>{title.clone()}</a></li>
                <li>{tr(locale, "history-crumb")}</li>
            </ol>
        </nav>
        <h1>{tr(locale, "history-heading")}</h1>
        <p class="lead" lang=english>{title}</p>
        <p class="hint">{tr(locale, "history-hint")}</p>
        {move || error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        {empty.then(|| view! { <p>{tr(locale, "history-empty")}</p> })}
        <ol class="revisions">
            {revisions
                .into_iter()
                .map(|revision| {
                    let can_revert = revision.version < current_version;
                    let slug = slug.to_string();
                    view! {
                        <li class="revision" id=format!("version-{}", revision.version)>
                            <h2>{tr_with(locale, "history-version", &[("version", number(revision.version as f64))])}</h2>
                            <p class="revision-meta">
                                {revision.recorded_by.clone()} " · "
                                <time datetime=revision.created_at.to_rfc3339()>
                                    {date_time(locale, revision.created_at)}
                                </time>
                            </p>
                            <p lang=english>{revision.summary.clone()}</p>
                            <ul class="revision-changes">
                                {revision
                                    .differences
                                    .iter()
                                    .map(|change| view! { <li>{describe_change(locale, change, &parties)}</li> })
                                    .collect_view()}
                            </ul>
                            {revert
                                .filter(|_| can_revert)
                                .map(|action| {
                                    view! {
                                        <ActionForm action attr:class="inline-form">
                                            <input type="hidden" name="slug" value=slug />
                                            <input type="hidden" name="to_version" value=revision.version.to_string() />
                                            <input type="hidden" name="version" value=current_version.to_string() />
                                            <button type="submit" class="button small">
                                                {tr_with(locale, "history-revert", &[("version", number(revision.version as f64))])}
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api::auth::whoami;
use crate::api::editing::{get_history, RevertCommitment};
use crate::error::AppError;
use crate::pages::NotFound;
use domain::CommitmentHistory;

/// `/commitments/{slug}/history`: every recorded change, who made it and
/// when, with a revert button for editors.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let revert = ServerAction::<RevertCommitment>::new();
    let history = Resource::new(slug, get_history);
    let editor = Resource::new(|| (), |_| whoami());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading history…"</p> }>
            {move || Suspend::new(async move {
                let is_editor = editor.await.ok().flatten().is_some();
                match history.await {
                    Ok(history) => view! { <HistoryView history revert=is_editor.then_some(revert) /> }.into_any(),
                    Err(AppError::NotFound(what)) => view! { <NotFound message=format!("{what} was not found.") /> }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
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
    } = history;
    let page_href = format!("/commitments/{slug}");
    let error = move || {
        revert
            .and_then(|a| a.value().get())
            .and_then(|r| r.err())
            .map(|e| e.to_string())
    };
    let empty = revisions.is_empty();
    view! {
        <Title text=format!("History: {title} · Accord") />
        <Meta name="robots" content="noindex" />
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <ol>
                <li><a href="/">"All commitments"</a></li>
                <li><a href=page_href>{title.clone()}</a></li>
                <li>"History"</li>
            </ol>
        </nav>
        <h1>"History of changes"</h1>
        <p class="lead">{title}</p>
        <p class="hint">
            "Every edit since the summit's data was loaded, newest first. Reverting creates a new version; nothing is erased."
        </p>
        {move || error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        {empty.then(|| view! { <p>"No editor has changed this commitment yet."</p> })}
        <ol class="revisions">
            {revisions
                .into_iter()
                .map(|revision| {
                    let can_revert = revision.version < current_version;
                    let slug = slug.to_string();
                    view! {
                        <li class="revision" id=format!("version-{}", revision.version)>
                            <h2>{format!("Version {}", revision.version)}</h2>
                            <p class="revision-meta">
                                {revision.recorded_by.clone()} " · "
                                <time datetime=revision.created_at.to_rfc3339()>
                                    {revision.created_at.format("%-d %B %Y %H:%M UTC").to_string()}
                                </time>
                            </p>
                            <p>{revision.summary.clone()}</p>
                            <ul class="revision-changes">
                                {revision.changes.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}
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
                                                {format!("Revert to version {}", revision.version)}
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

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::auth::whoami;
use crate::api::editing::{get_history, RevertCommitment};
use crate::components::{describe_change, CanonicalLink};
use crate::error::AppError;
use crate::locale::{date_time, local_path, number, text, tr, tr_with, use_locale};
use crate::pages::NotFound;
use domain::{history_page_path, parse_history_before, CommitmentHistoryPage, Locale, HISTORY_BEFORE_PARAM};

/// `/commitments/{slug}/history`: every recorded change, who made it and
/// when, with a revert button for editors, a page at a time (newest first;
/// `?before=<version>` starts a page below that version).
#[component]
pub fn HistoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // `Err(())`: a `before` that is no version number, refused before the
    // store is asked.
    let cursor = move || match query.read().get(HISTORY_BEFORE_PARAM) {
        None => Ok(None),
        Some(value) => parse_history_before(&value).map(Some).ok_or(()),
    };
    let revert = ServerAction::<RevertCommitment>::new();
    let history = Resource::new(
        move || (slug(), cursor()),
        |(slug, cursor)| async move {
            match cursor {
                Ok(before) => get_history(slug, before).await.map(Some),
                Err(()) => Ok(None),
            }
        },
    );
    let editor = Resource::new(|| (), |_| whoami());
    let locale = use_locale();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr(locale, "loading")}</p> }>
            {move || Suspend::new(async move {
                let is_editor = editor.await.ok().flatten().is_some();
                match history.await {
                    Ok(Some(history)) => view! { <HistoryView history revert=is_editor.then_some(revert) /> }.into_any(),
                    Ok(None) => view! { <BadHistoryCursor slug=slug() /> }.into_any(),
                    Err(AppError::NotFound(what)) => view! { <NotFound message=what /> }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{error.message(use_locale())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A history address whose `before` is not a version number (typed or cut
/// short): a 400 saying so, with the way to the newest changes.
#[component]
fn BadHistoryCursor(slug: String) -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::BAD_REQUEST);
    }
    let first = domain::Slug::parse(&slug)
        .map(|slug| local_path(locale, &history_page_path(&slug, None)))
        .unwrap_or_else(|_| local_path(locale, "/"));
    view! {
        <Title text=tr(locale, "history-bad-cursor-title") />
        <Meta name="robots" content="noindex" />
        <h1>{tr(locale, "history-heading")}</h1>
        <p class="error" role="alert">{tr(locale, "history-bad-cursor")}</p>
        <p><a href=first>{tr(locale, "history-newest")}</a></p>
    }
}

#[component]
fn HistoryView(history: CommitmentHistoryPage, revert: Option<ServerAction<RevertCommitment>>) -> impl IntoView {
    let CommitmentHistoryPage {
        slug,
        title,
        current_version,
        revisions,
        parties,
        before,
        older,
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
    // Keyset links: the newest page, and the next older one, which starts
    // below the last version shown here.
    let newest_href = before.map(|_| local_path(locale, &history_page_path(&slug, None)));
    let older_href = older.map(|version| local_path(locale, &history_page_path(&slug, Some(version))));
    let pager = (newest_href.is_some() || older_href.is_some()).then(|| {
        view! {
            <nav class="pager" aria-label=tr(locale, "history-pages")>
                {newest_href.map(|href| view! { <a href=href rel="first">{tr(locale, "history-newest")}</a> })}
                {older_href.map(|href| view! { <a href=href rel="next">{tr(locale, "history-older")}</a> })}
            </nav>
        }
    });
    let empty_message = if before.is_some() {
        "history-no-older"
    } else {
        "history-empty"
    };
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
        {empty.then(|| view! { <p>{tr(locale, empty_message)}</p> })}
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
        {pager}
    }
}

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::suggestions::{list_suggestions, DecideSuggestion};
use crate::components::{CanonicalLink, StatusBadge};
use crate::error::AppError;
use crate::locale::{date, date_time, local_path, number, text, tr, tr_with, use_locale};
use domain::Locale;

/// `/review`: readers' suggestions waiting for an editor, oldest first, in
/// pages of `domain::REVIEW_PAGE_SIZE` (`?page=2`; anything that is not a
/// page number is the first page).
#[component]
pub fn ReviewPage() -> impl IntoView {
    let decide = ServerAction::<DecideSuggestion>::new();
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    };
    let queue = Resource::new(page, list_suggestions);
    let locale = use_locale();
    let english = (locale != Locale::En).then_some("en");
    let error = move || {
        decide.value().get().and_then(|r| r.err()).map(|e| match &e {
            AppError::Invalid(f) => f.errors.values().cloned().collect::<Vec<_>>().join(" "),
            other => other.message(locale),
        })
    };
    view! {
        <Title text=tr_with(locale, "title-short", &[("page", text(tr(locale, "review-heading")))]) />
        <Meta name="robots" content="noindex" />
        <CanonicalLink />
        <h1>{tr(locale, "review-heading")}</h1>
        {move || error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        <Suspense fallback=move || view! { <p class="loading">{tr(locale, "loading")}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(AppError::Unauthorized) => {
                        #[cfg(feature = "ssr")]
                        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                            r.set_status(http::StatusCode::UNAUTHORIZED);
                        }
                        view! { <p>{tr(locale, "editors-only")} " " <a href=format!("{}?next={}", local_path(locale, "/login"), local_path(locale, "/review"))>{tr(locale, "editor-sign-in")}</a></p> }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e.message(use_locale())}</p> }.into_any(),
                    Ok(queue) if queue.suggestions.is_empty() => view! { <p>{tr(locale, "review-empty")}</p> }.into_any(),
                    Ok(queue) => {
                    let pager = (queue.page_count > 1).then(|| {
                        let link = |page: u32| format!("{}?page={page}", local_path(locale, "/review"));
                        let prev = (queue.page > 1).then(|| link(queue.page - 1));
                        let next = (queue.page < queue.page_count).then(|| link(queue.page + 1));
                        view! {
                            <nav class="pager" aria-label=tr(locale, "pager-label")>
                                {prev.map(|href| view! { <a href=href rel="prev">{tr(locale, "pager-previous")}</a> })}
                                <span>{tr_with(locale, "pager-position", &[("page", number(queue.page as f64)), ("pages", number(queue.page_count as f64))])}</span>
                                {next.map(|href| view! { <a href=href rel="next">{tr(locale, "pager-next")}</a> })}
                            </nav>
                        }
                    });
                    view! {
                        <p class="result-count">{tr_with(locale, "review-count", &[("count", number(queue.total as f64))])}</p>
                        <ol class="suggestions" start=(queue.page - 1) * domain::REVIEW_PAGE_SIZE + 1>
                            {queue.suggestions.into_iter().map(|s| {
                                let id = s.id.to_string();
                                let reason_id = format!("reason-{id}");
                                let id2 = id.clone();
                                view! {
                                    <li class="suggestion">
                                        <h2><a href=local_path(locale, &format!("/commitments/{}", s.commitment_slug)) lang=english>{s.commitment_title.clone()}</a></h2>
                                        <p>
                                            {if s.party == "all" { tr(locale, "form-both-parties") } else { s.party.to_uppercase() }}
                                            ": " <StatusBadge status=s.proposed_status /> " "
                                            {tr_with(locale, "review-from", &[("date", text(date(locale, s.effective_on)))])}
                                        </p>
                                        <p>{s.note.clone()}</p>
                                        <blockquote><p>{s.source.quote.clone()}</p></blockquote>
                                        <p class="source-citation">
                                            {s.source.publisher.clone()} ", " <cite>{s.source.title.clone()}</cite> ", "
                                            {date(locale, s.source.dated_on)}
                                            {s.source.url.clone().map(|u| view! { " · " <span>{u}</span> })}
                                        </p>
                                        <p class="revision-meta">
                                            {tr_with(locale, "review-sent", &[("when", text(date_time(locale, s.submitted_at)))])}
                                            {s.contact.clone().map(|c| view! { " · " {tr_with(locale, "review-contact", &[("contact", text(c))])} })}
                                        </p>
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="id" value=id2 />
                                            <input type="hidden" name="decision" value="accept" />
                                            <button type="submit" class="button primary">{tr(locale, "review-accept")}</button>
                                        </ActionForm>
                                        <ActionForm action=decide attr:class="edit-form">
                                            <input type="hidden" name="id" value=id />
                                            <input type="hidden" name="decision" value="reject" />
                                            <div class="field">
                                                <label for=reason_id.clone()>{tr(locale, "review-reason")}</label>
                                                <input id=reason_id name="reason" />
                                            </div>
                                            <button type="submit" class="button small">{tr(locale, "review-reject")}</button>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                        {pager}
                    }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

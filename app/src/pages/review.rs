use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::suggestions::{list_suggestions, DecideSuggestion};
use crate::components::StatusBadge;
use crate::error::AppError;
use domain::format_date;

/// `/review`: readers' suggestions waiting for an editor.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let decide = ServerAction::<DecideSuggestion>::new();
    let queue = Resource::new(|| (), |_| list_suggestions());
    let error = move || {
        decide.value().get().and_then(|r| r.err()).map(|e| match &e {
            AppError::Invalid(f) => f.errors.values().cloned().collect::<Vec<_>>().join(" "),
            other => other.to_string(),
        })
    };
    view! {
        <Title text="Suggestions to review · Accord" />
        <Meta name="robots" content="noindex" />
        <h1>"Suggestions to review"</h1>
        {move || error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(AppError::Unauthorized) => {
                        #[cfg(feature = "ssr")]
                        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                            r.set_status(http::StatusCode::UNAUTHORIZED);
                        }
                        view! { <p>"Editors only. " <a href="/login?next=/review">"Editor sign-in"</a></p> }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p>"No suggestions are waiting."</p> }.into_any(),
                    Ok(items) => view! {
                        <ol class="suggestions">
                            {items.into_iter().map(|s| {
                                let id = s.id.to_string();
                                let reason_id = format!("reason-{id}");
                                let id2 = id.clone();
                                view! {
                                    <li class="suggestion">
                                        <h2><a href=format!("/commitments/{}", s.commitment_slug)>{s.commitment_title.clone()}</a></h2>
                                        <p>
                                            {if s.party == "all" { "Both parties".to_owned() } else { s.party.to_uppercase() }}
                                            ": " <StatusBadge status=s.proposed_status />
                                            " from " {format_date(s.effective_on)}
                                        </p>
                                        <p>{s.note.clone()}</p>
                                        <blockquote><p>{s.source.quote.clone()}</p></blockquote>
                                        <p class="source-citation">
                                            {s.source.publisher.clone()} ", " <cite>{s.source.title.clone()}</cite> ", "
                                            {format_date(s.source.published_on)}
                                            {s.source.url.clone().map(|u| view! { " · " <span>{u}</span> })}
                                        </p>
                                        <p class="revision-meta">
                                            "Sent " {s.submitted_at.format("%-d %B %Y %H:%M UTC").to_string()}
                                            {s.contact.clone().map(|c| view! { " · contact: " {c} })}
                                        </p>
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="id" value=id2 />
                                            <input type="hidden" name="decision" value="accept" />
                                            <button type="submit" class="button primary">"Accept as a status change"</button>
                                        </ActionForm>
                                        <ActionForm action=decide attr:class="edit-form">
                                            <input type="hidden" name="id" value=id />
                                            <input type="hidden" name="decision" value="reject" />
                                            <div class="field">
                                                <label for=reason_id.clone()>"Reason for rejecting"</label>
                                                <input id=reason_id name="reason" />
                                            </div>
                                            <button type="submit" class="button small">"Reject"</button>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

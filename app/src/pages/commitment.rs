use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api::auth::whoami;
use crate::api::commitments::get_commitment;
use crate::api::editing::{ChangeSource, UpdateStatus};
use crate::components::{
    escape_html, AddSourceForm, CopyLinkButton, DueBar, OverdueFlag, SourceEditControls, StatusBadge, StatusForm,
    SuggestForm,
};
use crate::error::AppError;
use crate::pages::NotFound;
use domain::{format_date, CommitmentDetail, DueBasis, SourceView, Status, StatusUpdateView, OVERALL_STATUS_RULE};

/// The permalink of one commitment: `/commitments/{slug}`.
#[component]
pub fn CommitmentPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let update = ServerAction::<UpdateStatus>::new();
    let change_source = ServerAction::<ChangeSource>::new();
    // Pages are server HTML (islands): a saved change redirects to a fresh
    // render of this page, so the commitment is read once per render.
    let detail = Resource::new(slug, get_commitment);
    let editor = Resource::new(|| (), |_| whoami());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading commitment…"</p> }>
            {move || Suspend::new(async move {
                let editor = editor.await.ok().flatten();
                match detail.await {
                    Ok(detail) => view! { <CommitmentView detail editing=editor.map(|_| (update, change_source)) /> }.into_any(),
                    Err(AppError::NotFound(what)) => {
                        view! { <NotFound message=format!("{what} was not found.") /> }.into_any()
                    }
                    Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CommitmentView(
    detail: CommitmentDetail,
    editing: Option<(ServerAction<UpdateStatus>, ServerAction<ChangeSource>)>,
) -> impl IntoView {
    let CommitmentDetail {
        commitment,
        summit,
        proposed_by,
        due_note,
        sources,
        timeline,
        timeline_total,
        share_url,
        version,
        today,
    } = detail;
    let timeline_cut = (timeline_total > timeline.len() as u64).then(|| {
        format!(
            "Showing the latest {} of {timeline_total} status changes. Every change, with who made it and when, is in ",
            timeline.len()
        )
    });
    let overall = commitment.overall_status();
    let status_line = commitment
        .party_statuses
        .iter()
        .map(|p| format!("{}: {}", p.party.short_name, p.status.label()))
        .collect::<Vec<_>>()
        .join("; ");
    let description = format!("Overall: {}. {status_line}. {}", overall.label(), commitment.summary);
    let page_title = format!("{} · Accord", commitment.title);
    let owed_by = commitment
        .party_statuses
        .iter()
        .map(|p| p.party.short_name.clone())
        .collect::<Vec<_>>()
        .join(" and ");
    let proposer = proposed_by
        .map(|p| p.short_name)
        .unwrap_or_else(|| "Both sides jointly".to_owned());
    let title = commitment.title.clone();
    let history_href = format!("/commitments/{}/history", commitment.slug);
    let edit_href = format!("/commitments/{}/edit", commitment.slug);
    let card_url = format!("{share_url}/card.png");
    let badge_url = format!("{share_url}/badge.svg");
    let feed_href = format!("/commitments/{}/feed.atom", commitment.slug);
    let badge_alt = format!("Accord status of “{}”: {status_line}", commitment.title);
    let embed_code = format!(
        "<a href=\"{}\"><img src=\"{}\" alt=\"{}\"></a>",
        escape_html(&share_url),
        escape_html(&badge_url),
        escape_html(&badge_alt)
    );
    let card_alt = format!("{}: {status_line}", commitment.title);
    let due_basis = match commitment.due_basis {
        Some(DueBasis::Inferred) => Some("Inferred: "),
        Some(DueBasis::Explicit) => Some("Stated: "),
        None => None,
    };
    let overdue_flag = view! { <OverdueFlag commitment=commitment.clone() today /> };
    let due_bar = view! { <DueBar commitment=commitment.clone() today /> };
    let edit_link = editing.map(|_| view! { <p class="editor-links"><a href=edit_href>"Edit this commitment"</a></p> });
    let suggest_form = editing.is_none().then(|| {
        view! { <SuggestForm slug=commitment.slug.to_string() parties=commitment.party_statuses.clone() /> }
    });
    let source_action = editing.map(|(_, a)| a);
    let add_source = source_action.map(|action| {
        view! { <AddSourceForm slug=commitment.slug.to_string() version action /> }
    });
    let status_form = editing.map(|(action, _)| {
        view! {
            <StatusForm
                slug=commitment.slug.to_string()
                version
                today
                parties=commitment.party_statuses.clone()
                sources=sources.clone()
                action
            />
        }
    });

    view! {
        <Title text=page_title />
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=share_url.clone() />
        <Meta property="og:type" content="article" />
        <Meta property="og:site_name" content="Accord" />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=description.clone() />
        <Meta property="og:url" content=share_url.clone() />
        <Meta property="og:image" content=card_url.clone() />
        <Meta property="og:image:type" content="image/png" />
        <Meta property="og:image:width" content="1200" />
        <Meta property="og:image:height" content="630" />
        <Meta property="og:image:alt" content=card_alt.clone() />
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:title" content=title.clone() />
        <Meta name="twitter:description" content=description />
        <Meta name="twitter:image" content=card_url />
        <Meta name="twitter:image:alt" content=card_alt />
        <Link rel="alternate" type_="application/atom+xml" title=format!("Status changes: {}", commitment.title) href=feed_href.clone() />

        <nav class="breadcrumb" aria-label="Breadcrumb">
            <ol>
                <li><a href="/">"All commitments"</a></li>
                <li><a href=format!("/summits/{}", summit.slug)>{summit.title.clone()}</a></li>
            </ol>
        </nav>

        <article class="commitment" aria-labelledby="commitment-title">
            <header class="commitment-header">
                <p class="eyebrow">{commitment.theme.label()}</p>
                <h1 id="commitment-title">{title}</h1>
                <p class="lead">{commitment.summary.clone()}</p>
                <dl class="facts">
                    <div>
                        <dt>"Summit"</dt>
                        <dd>
                            {summit.title.clone()} ", "
                            <time datetime=summit.held_on.to_string()>{format_date(summit.held_on)}</time>
                        </dd>
                    </div>
                    <div>
                        <dt>"Proposed by"</dt>
                        <dd>{proposer}</dd>
                    </div>
                    <div>
                        <dt>"Owed by"</dt>
                        <dd>{owed_by}</dd>
                    </div>
                    <div>
                        <dt>"Due"</dt>
                        <dd>
                            {match commitment.due_on {
                                Some(due) => {
                                    view! {
                                        <time datetime=due.to_string()>{format_date(due)}</time>
                                        " " {overdue_flag}
                                        {due_note.map(|note| view! { <span class="due-note">" — " {due_basis} {note}</span> })}
                                        {due_bar}
                                    }
                                        .into_any()
                                }
                                None => "No due date was set".into_any(),
                            }}
                        </dd>
                    </div>
                </dl>
            </header>

            <section class="status-panel" aria-labelledby="status-heading">
                <h2 id="status-heading">"Status"</h2>
                <div class="status-grid">
                    <div class="status-card overall-card">
                        <h3>"Overall"</h3>
                        <p><StatusBadge status=overall /></p>
                        <p class="rule">{OVERALL_STATUS_RULE}</p>
                    </div>
                    {commitment
                        .party_statuses
                        .iter()
                        .map(|p| {
                            view! {
                                <div class="status-card">
                                    <h3>{p.party.short_name.clone()}</h3>
                                    <p><StatusBadge status=p.status /></p>
                                    {p.since.map(|since| view! {
                                        <p class="since">
                                            "Since " <time datetime=since.to_string()>{format_date(since)}</time>
                                        </p>
                                    })}
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </section>

            {edit_link}
            {status_form}

            <section class="timeline-panel" aria-labelledby="timeline-heading">
                <h2 id="timeline-heading">"Timeline"</h2>
                <p class="hint">
                    "Every status change, newest first, with the evidence it rests on. History is never rewritten; "
                    <a href=history_href.clone()>"see every edit to this commitment"</a>
                    "."
                </p>
                <ol class="timeline">
                    {timeline
                        .into_iter()
                        .map(|update| view! { <TimelineEntry update page_url=share_url.clone() /> })
                        .collect_view()}
                </ol>
                {timeline_cut
                    .map(|text| {
                        view! {
                            <p class="hint timeline-cut">
                                {text}
                                <a href=history_href.clone()>"the list of every edit"</a>
                                "."
                            </p>
                        }
                    })}
            </section>

            <section class="sources-panel" aria-labelledby="sources-heading">
                <h2 id="sources-heading">{format!("Sources ({})", sources.len())}</h2>
                <ol class="sources">
                    {sources
                        .into_iter()
                        .map(|source| {
                            let controls = source_action.map(|action| {
                                view! {
                                    <SourceEditControls
                                        slug=commitment.slug.to_string()
                                        version
                                        source=source.clone()
                                        action
                                    />
                                }
                                .into_any()
                            });
                            view! { <SourceEntry source controls /> }
                        })
                        .collect_view()}
                </ol>
            </section>

            {add_source}
            {suggest_form}

            <SharePanel share_url=share_url.clone() feed_href badge_url badge_alt embed_code />
            <StatusDefinitions />

        </article>
    }
    .into_any()
}

/// What each status means, as the methodology defines it.
#[component]
fn StatusDefinitions() -> impl IntoView {
    view! {
            <section class="definitions" aria-labelledby="definitions-heading">
                <h2 id="definitions-heading">"What the statuses mean"</h2>
                <dl>
                    {Status::ALL
                        .into_iter()
                        .map(|status| {
                            view! {
                                <div>
                                    <dt><StatusBadge status /></dt>
                                    <dd>{status.definition()}</dd>
                                </div>
                            }
                        })
                        .collect_view()}
                </dl>
            </section>
    }
    .into_any()
}

/// The permalink, the feed and the embeddable badge.
#[component]
fn SharePanel(
    share_url: String,
    feed_href: String,
    badge_url: String,
    badge_alt: String,
    embed_code: String,
) -> impl IntoView {
    view! {
            <section class="share-panel" aria-labelledby="share-heading">
                <h2 id="share-heading">"Share this commitment"</h2>
                <label for="share-url">"Permanent link"</label>
                <div class="share-row">
                    <input id="share-url" type="url" readonly value=share_url.clone() />
                    <CopyLinkButton url=share_url.clone() />
                </div>
                <p class="feed-link">
                    <a href=feed_href>"Follow its status changes (Atom feed)"</a>
                </p>
                <h3 id="embed-heading">"Embed the live status"</h3>
                <p class="embed-preview">
                    <img src=badge_url.clone() alt=badge_alt.clone() height="20" />
                </p>
                <label for="embed-code">"HTML to paste into an article"</label>
                <div class="share-row">
                    <textarea id="embed-code" readonly rows="3" inner_html=escape_html(&embed_code)></textarea>
                    <CopyLinkButton url=embed_code label="Copy embed code" />
                </div>
            </section>
    }
    .into_any()
}

#[component]
fn TimelineEntry(update: StatusUpdateView, page_url: String) -> impl IntoView {
    let anchor = update.anchor();
    // The absolute URL, so it can be copied and shared as it is.
    let href = format!("{page_url}#{anchor}");
    view! {
        <li class="timeline-entry" id=anchor>
            <p class="timeline-date">
                <time datetime=update.effective_on.to_string()>{format_date(update.effective_on)}</time>
            </p>
            <p class="timeline-change">
                <strong>{format!("{}:", update.party.short_name)}</strong>
                {update.previous_status.map(|previous| view! { <StatusBadge status=previous /> <span aria-hidden="true">"→"</span> <span class="visually-hidden">"changed to"</span> })}
                <StatusBadge status=update.status />
            </p>
            <p class="timeline-note">{update.note.clone()}</p>
            <p class="timeline-evidence">
                "Evidence: "
                {update
                    .sources
                    .iter()
                    .enumerate()
                    .map(|(i, source)| {
                        view! {
                            {(i > 0).then_some("; ")}
                            <a href=format!("#source-{}", source.id)>
                                {source.publisher.clone()} ", " <cite>{source.title.clone()}</cite>
                            </a>
                        }
                    })
                    .collect_view()}
            </p>
            <p class="timeline-meta">
                "Recorded by " {update.recorded_by.clone()} " · "
                <a href=href class="permalink">
                    "Link to this update"
                    <span class="visually-hidden">{format!(" ({} on {})", update.party.short_name, format_date(update.effective_on))}</span>
                </a>
            </p>
        </li>
    }
}

#[component]
fn SourceEntry(source: SourceView, controls: Option<AnyView>) -> impl IntoView {
    view! {
        <li class="source" id=format!("source-{}", source.id)>
            <blockquote>
                <p>{source.quote.clone()}</p>
            </blockquote>
            <p class="source-citation">
                <span class="source-kind">{source.kind.label()}</span>
                " · " {source.publisher.clone()} ", "
                {match source.web_url() {
                    Some(url) => view! { <a href=url rel="noopener noreferrer"><cite>{source.title.clone()}</cite></a> }.into_any(),
                    None => view! { <cite>{source.title.clone()}</cite> }.into_any(),
                }}
                {source.via.clone().map(|via| view! { <span>" (via " {via} ")"</span> })}
                ", "
                <time datetime=source.published_on.to_string()>{format_date(source.published_on)}</time>
            </p>
            {controls}
        </li>
    }
}

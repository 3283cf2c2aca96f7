use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api::auth::whoami;
use crate::api::commitments::get_commitment;
use crate::api::editing::{ChangeSource, UpdateStatus};
use crate::components::{
    absolute, badge_embed, breadcrumbs, commitments_dataset, escape_html, graph, status_line, AddSourceForm,
    BadgeEmbed, CopyLinkButton, CopyWords, DueBar, LaterCorrectionFlag, OverdueFlag, ShownText, SourceCorrections,
    SourceEditControls, StatusBadge, StatusForm, StructuredData, SuggestForm, TextOriginNote,
};
use crate::error::AppError;
use crate::locale::{date, local_path, number, owing_parties, party_name, text, tr, tr_with, use_locale};
use crate::pages::NotFound;
use domain::{CommitmentDetail, DateBasis, DueBasis, SourceView, Status, StatusUpdateView, TitleBasis};

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
    let locale = use_locale();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr(locale, "loading")}</p> }>
            {move || Suspend::new(async move {
                let editor = editor.await.ok().flatten();
                match detail.await {
                    Ok(detail) => view! { <CommitmentView detail editing=editor.map(|_| (update, change_source)) /> }.into_any(),
                    Err(AppError::NotFound(what)) => {
                        view! { <NotFound message=what /> }.into_any()
                    }
                    Err(error) => view! { <p class="error" role="alert">{error.message(use_locale())}</p> }.into_any(),
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
        page_dates,
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
    let locale = use_locale();
    // `get_commitment` reads the latest `PERMALINK_TIMELINE_ENTRIES` only.
    let timeline_cut = (timeline_total > timeline.len() as u64).then(|| {
        tr_with(
            locale,
            "timeline-cut",
            &[
                ("shown", number(timeline.len() as f64)),
                ("total", number(timeline_total as f64)),
            ],
        )
    });
    let overall = commitment.overall_status();
    let status_line = status_line(locale, &commitment);
    let texts = commitment.texts_in(locale);
    let text_lang = (texts.language != locale).then(|| texts.language.html_lang());
    let description = tr_with(
        locale,
        "commitment-meta-description",
        &[
            ("overall", text(i18n::status_label(locale, overall))),
            ("statuses", text(status_line.clone())),
            ("summary", text(texts.text.summary.clone())),
        ],
    );
    let page_title = tr_with(locale, "title-short", &[("page", text(texts.text.title.clone()))]);
    let owed_by = owing_parties(locale, &commitment.party_statuses);
    let proposer = proposed_by
        .map(|p| party_name(locale, &p))
        .unwrap_or_else(|| tr(locale, "proposed-jointly"));
    let title = texts.text.title.clone();
    let summit_texts = summit.texts_in(locale);
    let history_href = local_path(locale, &format!("/commitments/{}/history", commitment.slug));
    let edit_href = local_path(locale, &format!("/commitments/{}/edit", commitment.slug));
    // The share URL is this page's, in its language; cards and badges live
    // beside it, in the same language.
    let card_url = format!("{share_url}/card.png");
    let feed_href = local_path(locale, &format!("/commitments/{}/feed.atom", commitment.slug));
    // The same markup the oEmbed endpoint hands to CMSs.
    let BadgeEmbed {
        badge_url,
        alt: badge_alt,
        code: embed_code,
    } = badge_embed(locale, &commitment, &share_url);
    let oembed_href = format!("{}?url={}&format=json", absolute("/oembed"), query_value(&share_url));
    let summit_url = absolute(&locale.localize(&format!("/summits/{}", summit.slug)));
    let structured_data = graph(vec![
        breadcrumbs(&[
            (tr(locale, "all-commitments"), absolute(&locale.localize("/"))),
            (summit.texts_in(locale).text.title, summit_url),
            (title.clone(), share_url.clone()),
        ]),
        page_node(locale, &share_url, &title, &texts.text.summary, page_dates),
        commitments_dataset(locale),
    ]);
    let card_alt = tr_with(
        locale,
        "party-status-pair",
        &[("party", text(title.clone())), ("status", text(status_line.clone()))],
    );
    let due_basis = match commitment.due_basis {
        Some(DueBasis::Inferred) => Some(tr(locale, "due-basis-inferred-prefix")),
        Some(DueBasis::Explicit) => Some(tr(locale, "due-basis-explicit-prefix")),
        None => None,
    };
    let overdue_flag = view! { <OverdueFlag commitment=commitment.clone() today /> };
    let due_bar = view! { <DueBar commitment=commitment.clone() today /> };
    // The page says in which time zone its days are counted (the offset of
    // that zone on the page's day).
    let zone = commitment.summit.time_zone.name().to_owned();
    let offset = commitment
        .summit
        .time_zone
        .utc_offset_at(today.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc());
    let edit_link = editing
        .map(|_| view! { <p class="editor-links"><a href=edit_href>{tr(locale, "edit-this-commitment")}</a></p> });
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
        <Meta property="og:locale" content=locale.html_lang().replace('-', "_") />
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
        <Link rel="alternate" type_="application/atom+xml" title=tr_with(locale, "feed-commitment-title", &[("title", text(title.clone()))]) href=feed_href.clone() />
        <Link rel="alternate" type_="application/json+oembed" title=title.clone() href=oembed_href />
        <StructuredData data=structured_data />

        <nav class="breadcrumb" aria-label=tr(locale, "breadcrumb")>
            <ol>
                <li><a href=local_path(locale, "/")>{tr(locale, "all-commitments")}</a></li>
                <li>
                    <a href=local_path(locale, &format!("/summits/{}", summit.slug))
                        lang=(summit_texts.language != locale).then(|| summit_texts.language.html_lang())>
                        {summit_texts.text.title.clone()}
                    </a>
                </li>
            </ol>
        </nav>

        <article class="commitment" aria-labelledby="commitment-title">
            <header class="commitment-header">
                <p class="eyebrow">{i18n::theme_label(locale, commitment.theme)}</p>
                <h1 id="commitment-title" lang=text_lang>{title}</h1>
                <p class="lead" lang=text_lang>{texts.text.summary.clone()}</p>
                <TextOriginNote origin=texts.origin.clone() language=texts.language />
                <dl class="facts">
                    <div>
                        <dt>{tr(locale, "fact-summit")}</dt>
                        <dd>
                            <ShownText text=summit_texts.text.title.clone() language=summit_texts.language /> ", "
                            <time datetime=summit.held_on.to_string()>{date(locale, summit.held_on)}</time>
                        </dd>
                    </div>
                    <div>
                        <dt>{tr(locale, "fact-proposed-by")}</dt>
                        <dd>{proposer}</dd>
                    </div>
                    <div>
                        <dt>{tr(locale, "fact-owed-by")}</dt>
                        <dd>{owed_by}</dd>
                    </div>
                    <div>
                        <dt>{tr(locale, "fact-due")}</dt>
                        <dd>
                            {match commitment.due_on {
                                Some(due) => {
                                    view! {
                                        <time datetime=due.to_string()>{date(locale, due)}</time>
                                        " " {overdue_flag}
                                        {due_note.map(|note| view! { <span class="due-note">" — " {due_basis} <ShownText text=note language=domain::Locale::En /></span> })}
                                        {due_bar}
                                        <span class="time-zone-note">
                                            {tr_with(
                                                locale,
                                                "dates-in-zone",
                                                &[("zone", text(zone.clone())), ("offset", text(offset.clone()))],
                                            )}
                                        </span>
                                    }
                                        .into_any()
                                }
                                None => tr(locale, "no-due-date").into_any(),
                            }}
                        </dd>
                    </div>
                </dl>
            </header>

            <section class="status-panel" aria-labelledby="status-heading">
                <h2 id="status-heading">{tr(locale, "status-heading")}</h2>
                <div class="status-grid">
                    <div class="status-card overall-card">
                        <h3>{tr(locale, "overall")}</h3>
                        <p><StatusBadge status=overall /></p>
                        <p class="rule">{tr(locale, "overall-status-rule")}</p>
                    </div>
                    {commitment
                        .party_statuses
                        .iter()
                        .map(|p| {
                            view! {
                                <div class="status-card">
                                    <h3>{party_name(locale, &p.party)}</h3>
                                    <p><StatusBadge status=p.status /></p>
                                    {p.since.map(|since| view! {
                                        <p class="since">
                                            {tr(locale, "since")} " " <time datetime=since.to_string()>{date(locale, since)}</time>
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
                <h2 id="timeline-heading">{tr(locale, "timeline-heading")}</h2>
                <p class="hint">
                    {tr(locale, "timeline-hint")} " "
                    <a href=history_href.clone()>{tr(locale, "timeline-history-link")}</a>
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
                                {text} " "
                                <a href=history_href.clone()>{tr(locale, "timeline-cut-link")}</a>
                            </p>
                        }
                    })}
            </section>

            <section class="sources-panel" aria-labelledby="sources-heading">
                <h2 id="sources-heading">{tr_with(locale, "sources-heading", &[("count", number(sources.len() as f64))])}</h2>
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
    let locale = use_locale();
    view! {
            <section class="definitions" aria-labelledby="definitions-heading">
                <h2 id="definitions-heading">{tr(locale, "definitions-heading")}</h2>
                <dl>
                    {Status::ALL
                        .into_iter()
                        .map(|status| {
                            view! {
                                <div>
                                    <dt><StatusBadge status /></dt>
                                    <dd>{i18n::status_definition(locale, status)}</dd>
                                </div>
                            }
                        })
                        .collect_view()}
                </dl>
                <p class="definitions-more">
                    <a href=local_path(locale, "/methodology#statuses")>{tr(locale, "methodology-statuses-link")}</a>
                </p>
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
    let locale = use_locale();
    let copy_link = CopyWords {
        label: tr(locale, "copy-link"),
        copied: tr(locale, "copy-link-done"),
        failed: tr(locale, "copy-failed"),
    };
    let copy_embed = CopyWords {
        label: tr(locale, "copy-embed"),
        copied: tr(locale, "copy-embed-done"),
        failed: tr(locale, "copy-failed"),
    };
    view! {
            <section class="share-panel" aria-labelledby="share-heading">
                <h2 id="share-heading">{tr(locale, "share-heading")}</h2>
                <label for="share-url">{tr(locale, "share-permanent-link")}</label>
                <div class="share-row">
                    <input id="share-url" type="url" readonly value=share_url.clone() />
                    <CopyLinkButton url=share_url.clone() words=copy_link />
                </div>
                <p class="feed-link">
                    <a href=feed_href>{tr(locale, "share-feed")}</a>
                </p>
                <h3 id="embed-heading">{tr(locale, "share-embed-heading")}</h3>
                <p class="embed-preview">
                    <img src=badge_url.clone() alt=badge_alt.clone() height="20" />
                </p>
                <label for="embed-code">{tr(locale, "share-embed-code")}</label>
                <div class="share-row">
                    <textarea id="embed-code" readonly rows="3" inner_html=escape_html(&embed_code)></textarea>
                    <CopyLinkButton url=embed_code words=copy_embed />
                </div>
            </section>
    }
    .into_any()
}

#[component]
fn TimelineEntry(update: StatusUpdateView, page_url: String) -> impl IntoView {
    let locale = use_locale();
    let anchor = update.anchor();
    let party = party_name(locale, &update.party);
    // The absolute URL, so it can be copied and shared as it is.
    let href = format!("{page_url}#{anchor}");
    view! {
        <li class="timeline-entry" id=anchor>
            <p class="timeline-date">
                <time datetime=update.effective_on.to_string()>{date(locale, update.effective_on)}</time>
            </p>
            <p class="timeline-change">
                <strong>{tr_with(locale, "party-colon", &[("party", text(party.clone()))])}</strong>
                {update.previous_status.map(|previous| view! { <StatusBadge status=previous /> <span aria-hidden="true">"→"</span> <span class="visually-hidden">{tr(locale, "changed-to")}</span> })}
                <StatusBadge status=update.status />
            </p>
            <p class="timeline-note" lang=(locale != domain::Locale::En).then_some("en")>{update.note.clone()}</p>
            <p class="timeline-evidence">
                {tr(locale, "evidence")} " "
                {update
                    .sources
                    .iter()
                    .enumerate()
                    .map(|(i, source)| {
                        view! {
                            {(i > 0).then_some("; ")}
                            // An outlet's headline is cited as a title; Accord's
                            // description of a source is plain words.
                            <a href=format!("#source-{}", source.id)>
                                {source.publisher.clone()} ", "
                                {if source.title_basis == TitleBasis::Headline {
                                    view! { <cite>{source.title.clone()}</cite> }.into_any()
                                } else {
                                    view! { <span class="source-description">{source.title.clone()}</span> }.into_any()
                                }}
                            </a>
                            " "
                            <span class="cited-version">
                                {tr_with(locale, "cited-version", &[("version", number(source.version as f64))])}
                            </span>
                            {source.later_correction.clone().map(|later| view! { <LaterCorrectionFlag later /> })}
                        }
                    })
                    .collect_view()}
            </p>
            <p class="timeline-meta">
                {tr_with(locale, "recorded-by", &[("name", text(update.recorded_by.clone()))])} " · "
                <a href=href class="permalink">
                    {tr(locale, "update-link")}
                    <span class="visually-hidden">
                        {tr_with(locale, "update-link-which", &[("party", text(party)), ("date", text(date(locale, update.effective_on)))])}
                    </span>
                </a>
            </p>
        </li>
    }
}

#[component]
fn SourceEntry(source: SourceView, controls: Option<AnyView>) -> impl IntoView {
    let locale = use_locale();
    // The quote is the source's own words, always in its own language.
    let lang = source.text.language.to_string();
    let headline = source.text.title_basis == TitleBasis::Headline;
    // An outlet's headline is cited as its title; Accord's description of a
    // source is plain words, labelled as such.
    let title = if headline {
        view! { <cite lang=lang.clone()>{source.text.title.clone()}</cite> }.into_any()
    } else {
        view! {
            <span class="source-description">
                <span class="source-description-label">{tr(locale, "source-description-label")}</span>
                " " <span lang=(locale != domain::Locale::En).then_some("en")>{source.text.title.clone()}</span>
            </span>
        }
        .into_any()
    };
    let title = match source.web_url() {
        Some(url) => view! { <a href=url rel="noopener noreferrer">{title}</a> }.into_any(),
        None => title,
    };
    let day = source.text.dated_on;
    // Chinese runs its words together and has its own comma.
    let (space, comma) = match locale {
        domain::Locale::Zh => ("", "，"),
        _ => (" ", ", "),
    };
    let dated = match source.text.date_basis {
        DateBasis::Published => view! { <time datetime=day.to_string()>{date(locale, day)}</time> }.into_any(),
        DateBasis::Reported => view! {
            <span class="source-undated">
                {tr(locale, "source-date-not-given")} {space}
                {tr(locale, "source-reported-on")} {space}
                <time datetime=day.to_string()>{date(locale, day)}</time>
            </span>
        }
        .into_any(),
    };
    view! {
        <li class="source" id=format!("source-{}", source.id)>
            <blockquote lang=lang.clone()>
                <p>{source.text.quote.clone()}</p>
            </blockquote>
            <p class="source-citation">
                <span class="source-kind">{i18n::source_kind_label(locale, source.text.kind)}</span>
                " · " {source.text.publisher.clone()} {comma} {title}
                {source.text.via.clone().map(|via| view! { <span>" " {tr(locale, "source-via")} " " <span lang=lang.clone()>{via}</span> {tr(locale, "source-via-end")}</span> })}
                {comma} {dated}
            </p>
            <SourceCorrections corrections=source.corrections.clone() />
            {controls}
        </li>
    }
}

/// `text` percent-encoded as one query value.
fn query_value(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The permalink as a schema.org `WebPage` about the commitment, with the
/// dates it first appeared and last changed.
fn page_node(
    locale: crate::locale::Locale,
    share_url: &str,
    title: &str,
    summary: &str,
    dates: Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>,
) -> serde_json::Value {
    let mut node = serde_json::json!({
        "@type": "WebPage",
        "@id": share_url,
        "url": share_url,
        "name": title,
        "description": summary,
        "inLanguage": locale.html_lang(),
        "isPartOf": { "@type": "WebSite", "name": tr(locale, "site-name"), "url": absolute("/") },
    });
    if let Some((published, modified)) = dates {
        node["datePublished"] = published.to_rfc3339_opts(chrono::SecondsFormat::Secs, true).into();
        node["dateModified"] = modified.to_rfc3339_opts(chrono::SecondsFormat::Secs, true).into();
    }
    node
}

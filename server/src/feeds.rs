//! Atom 1.0 feeds of status changes: the whole site's, and one commitment's.

use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, NaiveDate, Utc};
use domain::StatusChangeEntry;
use domain::{Clock, Locale, PublicUrl};
use i18n::{text, tr, tr_with};
use store::commitments::{find_commitment_by_slug, list_recent_status_changes};
use store::Db;

use crate::language::RequestLocale;
use crate::route_error::{commitment_slug, RouteError};
use crate::xml::xml_chars;
use crate::AppState;

pub const ATOM_CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";

/// How many changes a feed carries, newest first.
pub const FEED_LIMIT: i64 = 100;

/// The `tag:` URI date of every id: the day of the first summit tracked, when
/// the site's identifiers were minted.
const TAG_DATE: &str = "2025-11-01";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feed.atom", get(site_feed))
        .route("/commitments/{slug}/feed.atom", get(commitment_feed))
}

/// The part of a feed's id that names its language: nothing for English
/// (whose ids predate translations), `/ko` or `/zh` otherwise.
pub(crate) fn id_language(locale: Locale) -> String {
    match locale {
        Locale::En => String::new(),
        other => format!("/{}", other.code()),
    }
}

async fn site_feed(
    State(db): State<Db>,
    State(public_url): State<PublicUrl>,
    State(clock): State<Clock>,
    RequestLocale(locale): RequestLocale,
    headers: HeaderMap,
) -> Result<Response, RouteError> {
    // Read before the feed: a write in between makes the date older than
    // the feed, never newer.
    let request = FeedRequest::read(&db, headers, &clock).await?;
    let entries = list_recent_status_changes(&db, None, FEED_LIMIT).await?;
    let spec = FeedSpec {
        locale,
        title: tr(locale, "feed-site-title"),
        subtitle: tr(locale, "feed-site-subtitle"),
        id_path: format!("feed{}", id_language(locale)),
        self_path: locale.localize("/feed.atom"),
        alternate_path: locale.localize("/"),
    };
    atom_response(&build_feed(&spec, &entries, &public_url), &request)
}

async fn commitment_feed(
    State(db): State<Db>,
    State(public_url): State<PublicUrl>,
    State(clock): State<Clock>,
    RequestLocale(locale): RequestLocale,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, RouteError> {
    let slug = commitment_slug(&slug)?;
    let request = FeedRequest::read(&db, headers, &clock).await?;
    let record = find_commitment_by_slug(&db, &slug)
        .await?
        .ok_or_else(RouteError::no_commitment)?;
    let entries = list_recent_status_changes(&db, Some(&slug), FEED_LIMIT).await?;
    let spec = FeedSpec {
        locale,
        title: tr_with(
            locale,
            "feed-commitment-feed-title",
            &[("title", text(record.commitment.texts_in(locale).text.title))],
        ),
        subtitle: tr_with(
            locale,
            "feed-commitment-subtitle",
            &[("summit", text(record.summit.texts_in(locale).text.title))],
        ),
        id_path: format!("commitments/{slug}/feed{}", id_language(locale)),
        self_path: locale.localize(&format!("/commitments/{slug}/feed.atom")),
        alternate_path: locale.localize(&format!("/commitments/{slug}")),
    };
    // Corrections of the evidence the commitment lists (and its reverts and
    // data corrections) reach its followers too, beside its status changes.
    let corrections = store::corrections::list_corrections(&db, Some(&slug), FEED_LIMIT).await?;
    let mut feed = build_feed(&spec, &entries, &public_url);
    feed.entries.extend(
        corrections
            .iter()
            .map(|c| crate::corrections_feed::correction_entry(c, locale, &public_url)),
    );
    feed.entries.sort_by_key(|entry| std::cmp::Reverse(entry.updated));
    feed.entries.truncate(usize::try_from(FEED_LIMIT).unwrap_or(usize::MAX));
    if let Some(newest) = feed.entries.iter().map(|e| e.updated).max() {
        feed.updated = newest;
    }
    atom_response(&feed, &request)
}

/// What a feed's answer depends on besides the feed: the reader's
/// validators, the store's last change and the time.
pub(crate) struct FeedRequest {
    pub headers: HeaderMap,
    pub last_changed: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
}

impl FeedRequest {
    /// The request's validators, with the store's last change of anything a
    /// feed shows (entries, but also the commitment titles they name).
    pub(crate) async fn read(db: &Db, headers: HeaderMap, clock: &Clock) -> Result<FeedRequest, RouteError> {
        Ok(FeedRequest {
            headers,
            last_changed: store::page_changes::last_change_at(db).await?,
            now: clock.now(),
        })
    }
}

/// The feed as Atom, or `304 Not Modified` when the reader has it already
/// (`conditional_get`). Readers may keep it five minutes without asking.
pub(crate) fn atom_response(feed: &Feed, request: &FeedRequest) -> Result<Response, RouteError> {
    let body = feed
        .write_to(Vec::new())
        .map_err(|error| RouteError::Internal(format!("writing an Atom feed: {error}")))?;
    // A feed changes when an entry comes or when what an entry names does.
    let last_changed = request.last_changed.max(Some(feed.updated.with_timezone(&Utc)));
    Ok(crate::conditional_get::respond(
        &request.headers,
        &[
            (header::CONTENT_TYPE, ATOM_CONTENT_TYPE),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
        last_changed,
        request.now,
    ))
}

/// What distinguishes one feed from another.
pub struct FeedSpec {
    /// The feed's language: its words, dates and links.
    pub locale: Locale,
    pub title: String,
    pub subtitle: String,
    /// The specific part of the feed's `tag:` id.
    pub id_path: String,
    /// The site path of the feed itself.
    pub self_path: String,
    /// The site path of the page the feed follows.
    pub alternate_path: String,
}

/// A `tag:` URI (RFC 4151) naming something on this site. Ids must not
/// change when the site moves from http to https, so the scheme is left out.
pub(crate) fn tag_uri(public_url: &PublicUrl, specific: &str) -> String {
    let authority = public_url.0.host_str().unwrap_or("accord.invalid");
    format!("tag:{authority},{TAG_DATE}:{specific}")
}

/// A feed's `updated` when it has no entries yet.
pub(crate) fn empty_feed_updated() -> FixedDateTime {
    NaiveDate::from_ymd_opt(2025, 11, 1)
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|midnight| midnight.and_utc().fixed_offset())
        .unwrap_or_default()
}

pub(crate) fn link(href: String, rel: &str, mime_type: &str) -> Link {
    Link {
        href,
        rel: rel.to_owned(),
        mime_type: Some(mime_type.to_owned()),
        ..Link::default()
    }
}

/// The feed of the given changes (newest first), with absolute links.
pub fn build_feed(spec: &FeedSpec, changes: &[StatusChangeEntry], public_url: &PublicUrl) -> Feed {
    let updated = changes
        .iter()
        .map(|change| change.recorded_at)
        .max()
        .map_or_else(empty_feed_updated, |at: DateTime<Utc>| at.fixed_offset());
    Feed {
        title: Text::plain(xml_chars(&spec.title)),
        subtitle: Some(Text::plain(xml_chars(&spec.subtitle))),
        id: tag_uri(public_url, &spec.id_path),
        updated,
        links: vec![
            link(public_url.join(&spec.self_path), "self", "application/atom+xml"),
            link(public_url.join(&spec.alternate_path), "alternate", "text/html"),
        ],
        authors: vec![Person {
            name: "Accord".to_owned(),
            uri: Some(public_url.join("/")),
            ..Person::default()
        }],
        generator: Some(Generator {
            value: "Accord".to_owned(),
            uri: Some(public_url.join("/")),
            version: None,
        }),
        lang: Some(spec.locale.html_lang().to_owned()),
        entries: changes
            .iter()
            .map(|change| entry(change, spec.locale, public_url))
            .collect(),
        ..Feed::default()
    }
}

/// "South Korea: Not yet rated → In progress", in the feed's language.
fn headline(change: &StatusChangeEntry, locale: Locale) -> String {
    let party = i18n::party_name(locale, &change.party.code, &change.party.short_name);
    let status = i18n::status_label(locale, change.status);
    match change.previous_status {
        Some(before) if before != change.status => tr_with(
            locale,
            "feed-headline-change",
            &[
                ("party", text(party)),
                ("before", text(i18n::status_label(locale, before))),
                ("after", text(status)),
            ],
        ),
        _ => tr_with(
            locale,
            "party-status-pair",
            &[("party", text(party)), ("status", text(status))],
        ),
    }
}

fn entry(change: &StatusChangeEntry, locale: Locale, public_url: &PublicUrl) -> Entry {
    let headline = headline(change, locale);
    let recorded_at = change.recorded_at.fixed_offset();
    let url =
        public_url.join(&locale.localize(&format!("/commitments/{}#{}", change.commitment_slug, change.anchor())));
    let note = xml_chars(change.note.trim());
    let summary = if note.is_empty() {
        headline.clone()
    } else {
        note.to_string()
    };
    let content = format!(
        "{}\n\n{}",
        tr_with(
            locale,
            "feed-entry-effective",
            &[
                ("headline", text(headline.clone())),
                ("date", text(i18n::date(locale, change.effective_on)))
            ],
        ),
        if note.is_empty() {
            tr(locale, "feed-no-note")
        } else {
            note.to_string()
        }
    );
    let author = change.recorded_by.trim();
    Entry {
        title: Text::plain(xml_chars(&format!("{} — {headline}", change.commitment_title))),
        id: tag_uri(public_url, &format!("status-update-{}", change.id)),
        updated: recorded_at,
        published: Some(recorded_at),
        authors: vec![Person {
            name: if author.is_empty() {
                tr(locale, "feed-editors")
            } else {
                xml_chars(author).into_owned()
            },
            ..Person::default()
        }],
        links: vec![link(url, "alternate", "text/html")],
        categories: vec![Category {
            term: change.status.code().to_owned(),
            scheme: None,
            label: Some(i18n::status_label(locale, change.status)),
        }],
        summary: Some(Text::plain(summary)),
        content: Some(Content {
            value: Some(xml_chars(&content).into_owned()),
            content_type: Some("text".to_owned()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{PartyCode, PartyRef, Slug, Status};

    fn public() -> PublicUrl {
        PublicUrl(url::Url::parse("https://accord.example/").unwrap())
    }

    fn change(id: i64, note: &str) -> StatusChangeEntry {
        StatusChangeEntry {
            id,
            commitment_slug: Slug::parse("fta-phase-two").unwrap(),
            commitment_title: "Advance <FTA> talks & more".to_owned(),
            party: PartyRef {
                code: PartyCode::parse("kr").unwrap(),
                short_name: "South Korea".to_owned(),
            },
            status: Status::InProgress,
            previous_status: Some(Status::NotYetRated),
            effective_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            note: note.to_owned(),
            recorded_by: "editor".to_owned(),
            recorded_at: "2026-01-06T10:00:00Z".parse().unwrap(),
        }
    }

    fn spec() -> FeedSpec {
        FeedSpec {
            locale: Locale::En,
            title: "T".into(),
            subtitle: "S".into(),
            id_path: "feed".into(),
            self_path: "/feed.atom".into(),
            alternate_path: "/".into(),
        }
    }

    #[test]
    fn entries_link_to_the_change_on_the_commitment_page() {
        let feed = build_feed(&spec(), &[change(7, "Talks resumed.")], &public());
        let entry = &feed.entries[0];
        assert_eq!(
            entry.links[0].href,
            "https://accord.example/commitments/fta-phase-two#update-7"
        );
        assert_eq!(entry.id, "tag:accord.example,2025-11-01:status-update-7");
        assert_eq!(
            entry.title.value,
            "Advance <FTA> talks & more — South Korea: Not yet rated → In progress"
        );
        assert_eq!(feed.updated, entry.updated);
        let xml = feed.to_string();
        assert!(xml.contains("Advance &lt;FTA&gt; talks &amp; more"), "{xml}");
        assert!(!xml.contains("<FTA>"));
    }

    #[test]
    fn an_empty_feed_is_still_valid() {
        let feed = build_feed(&spec(), &[], &public());
        assert_eq!(feed.updated.to_rfc3339(), "2025-11-01T00:00:00+00:00");
        assert!(feed.entries.is_empty());
    }

    #[test]
    fn control_characters_never_reach_the_feed() {
        let feed = build_feed(&spec(), &[change(1, "bad\u{1}note")], &public());
        let xml = feed.to_string();
        assert!(xml.contains("badnote"), "{xml}");
        assert!(!xml.contains('\u{1}'));
    }
}

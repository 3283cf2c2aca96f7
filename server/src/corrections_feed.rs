//! The Atom feed of `/corrections`: every correction, newest first, so
//! readers who cite Accord learn when evidence they relied on changed.

use atom_syndication::{Category, Content, Entry, Feed, Person, Text};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use domain::{Clock, CorrectionEntry, Locale, PublicUrl};
use i18n::{text, tr, tr_with};
use store::Db;

use crate::feeds::{atom_response, empty_feed_updated, id_language, link, tag_uri, FeedRequest, FEED_LIMIT};
use crate::language::RequestLocale;
use crate::route_error::RouteError;
use crate::xml::xml_chars;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/corrections.atom", get(corrections_feed))
}

async fn corrections_feed(
    State(db): State<Db>,
    State(public_url): State<PublicUrl>,
    State(clock): State<Clock>,
    RequestLocale(locale): RequestLocale,
    headers: HeaderMap,
) -> Result<Response, RouteError> {
    let request = FeedRequest::read(&db, headers, &clock).await?;
    let entries = store::corrections::list_corrections(&db, None, FEED_LIMIT).await?;
    atom_response(&build_corrections_feed(locale, &entries, &public_url), &request)
}

/// The feed of the given corrections (newest first), with absolute links.
pub fn build_corrections_feed(locale: Locale, corrections: &[CorrectionEntry], public_url: &PublicUrl) -> Feed {
    let updated = corrections
        .iter()
        .map(|c| c.at)
        .max()
        .map_or_else(empty_feed_updated, |at| at.fixed_offset());
    Feed {
        title: Text::plain(xml_chars(&tr(locale, "corrections-feed-title")).into_owned()),
        subtitle: Some(Text::plain(
            xml_chars(&tr(locale, "corrections-feed-subtitle")).into_owned(),
        )),
        id: tag_uri(public_url, &format!("corrections{}", id_language(locale))),
        updated,
        links: vec![
            link(
                public_url.join(&locale.localize("/corrections.atom")),
                "self",
                "application/atom+xml",
            ),
            link(
                public_url.join(&locale.localize("/corrections")),
                "alternate",
                "text/html",
            ),
        ],
        authors: vec![Person {
            name: "Accord".to_owned(),
            uri: Some(public_url.join("/")),
            ..Person::default()
        }],
        lang: Some(locale.html_lang().to_owned()),
        entries: corrections
            .iter()
            .map(|c| correction_entry(c, locale, public_url))
            .collect(),
        ..Feed::default()
    }
}

pub(crate) fn correction_entry(correction: &CorrectionEntry, locale: Locale, public_url: &PublicUrl) -> Entry {
    let at = correction.at.fixed_offset();
    let kind = i18n::correction_kind_label(locale, correction.kind);
    let mut links = vec![link(
        public_url.join(&locale.localize(&format!("/corrections#{}", correction.key))),
        "alternate",
        "text/html",
    )];
    for item in &correction.items {
        links.push(link(
            public_url.join(&locale.localize(&format!("/commitments/{}/history", item.slug))),
            "related",
            "text/html",
        ));
    }
    let concerns: Vec<String> = correction.items.iter().map(|i| i.title.clone()).collect();
    let mut content = correction.what.clone();
    if !correction.why.is_empty() {
        content.push_str(&format!("\n\n{} {}", tr(locale, "correction-why"), correction.why));
    }
    if !concerns.is_empty() {
        content.push_str("\n\n");
        content.push_str(&concerns.join("\n"));
    }
    Entry {
        title: Text::plain(
            xml_chars(&tr_with(locale, "party-colon", &[("party", text(kind.clone()))])).into_owned()
                + " "
                + &xml_chars(&correction.what),
        ),
        id: tag_uri(public_url, &format!("correction-{}", correction.key)),
        updated: at,
        published: Some(at),
        authors: vec![Person {
            name: xml_chars(&correction.by).into_owned(),
            ..Person::default()
        }],
        links,
        categories: vec![Category {
            term: format!("{:?}", correction.kind).to_lowercase(),
            scheme: None,
            label: Some(kind),
        }],
        content: Some(Content {
            value: Some(xml_chars(&content).into_owned()),
            content_type: Some("text".to_owned()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

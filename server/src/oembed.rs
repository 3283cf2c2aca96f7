//! `/oembed` (oEmbed 1.0, <https://oembed.com>): given the address of a
//! commitment's permalink, the badge to embed as a `rich` answer in JSON —
//! the same markup the permalink page offers to copy, in the language of
//! the permalink asked about. Permalinks name the endpoint in a
//! `<link rel="alternate" type="application/json+oembed">`.
//!
//! Only this site's permalinks are answered (404 otherwise): the address is
//! compared with the configured public URL, never with the request's Host.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use domain::{Locale, PublicUrl, Slug};
use serde::{Deserialize, Serialize};
use store::commitments::find_commitment_by_slug;
use store::Db;

use crate::cards::{badge_width, card_data, BADGE_HEIGHT, CARD_HEIGHT, CARD_WIDTH};
use crate::route_error::RouteError;
use crate::AppState;

pub const OEMBED_PATH: &str = "/oembed";

pub fn routes() -> Router<AppState> {
    Router::new().route(OEMBED_PATH, get(oembed))
}

/// The query an oEmbed consumer sends. Any other parameter is ignored.
#[derive(Debug, Deserialize)]
pub struct OembedQuery {
    url: Option<String>,
    format: Option<String>,
    maxwidth: Option<String>,
    maxheight: Option<String>,
}

/// A `rich` oEmbed answer.
#[derive(Debug, Serialize)]
pub struct RichEmbed {
    #[serde(rename = "type")]
    kind: &'static str,
    version: &'static str,
    title: String,
    provider_name: &'static str,
    provider_url: String,
    html: String,
    width: u32,
    height: u32,
    cache_age: u32,
    thumbnail_url: String,
    thumbnail_width: u32,
    thumbnail_height: u32,
}

/// How long a consumer may keep an answer: badges show live statuses.
const CACHE_AGE_SECONDS: u32 = 3600;

/// The language and slug of the permalink `address` names on this site,
/// or `None` when it names anything else.
pub fn permalink_of(public_url: &PublicUrl, address: &str) -> Option<(Locale, Slug)> {
    let asked = url::Url::parse(address.trim()).ok()?;
    let site = &public_url.0;
    if asked.scheme() != site.scheme()
        || asked.host_str() != site.host_str()
        || asked.port_or_known_default() != site.port_or_known_default()
        || !asked.username().is_empty()
        || asked.password().is_some()
    {
        return None;
    }
    // A site served below a path (`https://example.org/accord/`) has its
    // pages below that path.
    let below = asked.path().strip_prefix(site.path().trim_end_matches('/'))?;
    let (locale, path) = Locale::split_path(below);
    let slug = path.strip_prefix("/commitments/")?;
    Some((locale, Slug::parse(slug).ok()?))
}

/// A size limit from the query: absent, or a positive whole number.
fn size_limit(value: Option<&str>, name: &str) -> Result<Option<u32>, RouteError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| RouteError::BadRequest(format!("{name} must be a positive whole number of pixels."))),
    }
}

async fn oembed(
    State(db): State<Db>,
    State(public_url): State<PublicUrl>,
    query: Result<Query<OembedQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, RouteError> {
    let Ok(Query(query)) = query else {
        return Err(RouteError::BadRequest("The query could not be read.".to_owned()));
    };
    // oEmbed: a format the provider does not offer is a 501.
    match query.format.as_deref().map(str::trim) {
        None | Some("") | Some("json") => {}
        Some(_) => {
            return Ok((
                StatusCode::NOT_IMPLEMENTED,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Only format=json is offered.\n",
            )
                .into_response())
        }
    }
    let Some(address) = query.url.as_deref().filter(|u| !u.trim().is_empty()) else {
        return Err(RouteError::BadRequest(
            "Say which page to embed: ?url=<the address of a commitment's page>.".to_owned(),
        ));
    };
    let max_width = size_limit(query.maxwidth.as_deref(), "maxwidth")?;
    let max_height = size_limit(query.maxheight.as_deref(), "maxheight")?;
    const NOT_OURS: &str = "That address is not a commitment's page on this site.";
    let (locale, slug) = permalink_of(&public_url, address).ok_or(RouteError::NotFound(NOT_OURS))?;
    let record = find_commitment_by_slug(&db, &slug)
        .await?
        .ok_or(RouteError::NotFound(NOT_OURS))?;
    let share_url = public_url.join(&locale.localize(&format!("/commitments/{slug}")));
    let embed = app::components::badge_embed(locale, &record.commitment, &share_url);
    let width = badge_width(&card_data(&record, &public_url, locale));
    // A consumer with less room gets the badge scaled down to fit it.
    let scale = [
        max_width.map(|m| f64::from(m) / f64::from(width.max(1))),
        max_height.map(|m| f64::from(m) / f64::from(BADGE_HEIGHT)),
    ]
    .into_iter()
    .flatten()
    .fold(1.0_f64, f64::min);
    let (html, width, height) = if scale < 1.0 {
        let w = ((f64::from(width) * scale).floor() as u32).max(1);
        let h = ((f64::from(BADGE_HEIGHT) * scale).floor() as u32).max(1);
        (
            embed
                .code
                .replacen("<img ", &format!("<img width=\"{w}\" height=\"{h}\" "), 1),
            w,
            h,
        )
    } else {
        (embed.code, width, BADGE_HEIGHT)
    };
    let answer = RichEmbed {
        kind: "rich",
        version: "1.0",
        title: record.commitment.texts_in(locale).text.title,
        provider_name: "Accord",
        provider_url: public_url.join("/"),
        html,
        width,
        height,
        cache_age: CACHE_AGE_SECONDS,
        thumbnail_url: format!("{share_url}/card.png"),
        thumbnail_width: CARD_WIDTH,
        thumbnail_height: CARD_HEIGHT,
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        axum::Json(answer),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(url: &str) -> PublicUrl {
        PublicUrl(url::Url::parse(url).unwrap())
    }

    #[test]
    fn only_this_sites_permalinks_are_recognised() {
        let public = site("https://accord.example/");
        let ok = |u: &str| permalink_of(&public, u).map(|(l, s)| (l, s.to_string()));
        assert_eq!(
            ok("https://accord.example/commitments/fta"),
            Some((Locale::En, "fta".into()))
        );
        assert_eq!(
            ok("https://accord.example/ko/commitments/fta?x=1#y"),
            Some((Locale::Ko, "fta".into()))
        );
        assert_eq!(
            ok("https://accord.example:443/zh/commitments/fta"),
            Some((Locale::Zh, "fta".into()))
        );
        for other in [
            "https://evil.example/commitments/fta",
            "http://accord.example/commitments/fta",
            "https://accord.example:8443/commitments/fta",
            "https://user@accord.example/commitments/fta",
            "https://accord.example/commitments/fta/history",
            "https://accord.example/summits/fta",
            "https://accord.example/commitments/",
            "/commitments/fta",
            "not a url",
        ] {
            assert_eq!(ok(other), None, "{other}");
        }
        let below = site("https://example.org/accord/");
        assert!(permalink_of(&below, "https://example.org/accord/commitments/fta").is_some());
        assert!(permalink_of(&below, "https://example.org/commitments/fta").is_none());
    }
}

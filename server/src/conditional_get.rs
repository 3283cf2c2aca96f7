//! Conditional GETs (RFC 9110 §13) of generated files such as feeds: an
//! `ETag` that is the hash of the very bytes sent, and a `Last-Modified`
//! that is never earlier than the last change of what the file shows. A
//! reader holding either validator gets `304 Not Modified` while the file
//! is unchanged, and the whole file as soon as it is not.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use base64::Engine;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// A validator for the bytes of a body: the first 16 bytes of its SHA-256,
/// quoted, so that any change of a single byte makes a new tag.
pub fn entity_tag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!(
        "\"{}\"",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
    )
}

/// Whether `If-None-Match` names `tag` (weak comparison, as RFC 9110 asks
/// for this header) or is `*`.
fn none_match_names(request: &HeaderMap, tag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
}

/// `Last-Modified` has whole seconds: a change later in the same second
/// as the one a reader was dated by would look unchanged. So the date is
/// given (and `If-Modified-Since` believed) only once a full second has
/// passed since the last change; until then readers revalidate by `ETag`.
fn settled_last_modified(last_changed: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    last_changed.filter(|at| now - *at >= chrono::Duration::seconds(1))
}

fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Whether the file is unchanged for a reader who sent these headers.
/// `If-None-Match`, when sent, decides alone (RFC 9110 §13.2.2).
fn unchanged_for(request: &HeaderMap, tag: &str, last_modified: Option<DateTime<Utc>>) -> bool {
    if request.contains_key(header::IF_NONE_MATCH) {
        return none_match_names(request, tag);
    }
    let Some(last_modified) = last_modified else {
        return false;
    };
    request
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        // An HTTP date is an RFC 2822 date in GMT; anything unreadable is
        // ignored, as RFC 9110 asks.
        .and_then(|v| DateTime::parse_from_rfc2822(v.trim()).ok())
        .is_some_and(|since| last_modified.timestamp() <= since.timestamp())
}

/// The answer to a GET of `body`: 200 with it, or 304 without it when the
/// reader's validators show they have it already. `headers` (the content
/// type, the cache policy) go on both.
pub fn respond(
    request: &HeaderMap,
    headers: &[(header::HeaderName, &'static str)],
    body: Vec<u8>,
    last_changed: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Response {
    let tag = entity_tag(&body);
    let last_modified = settled_last_modified(last_changed, now);
    let unchanged = unchanged_for(request, &tag, last_modified);
    let mut response = if unchanged {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response
    } else {
        Response::new(Body::from(body))
    };
    let out = response.headers_mut();
    for (name, value) in headers {
        out.insert(name.clone(), HeaderValue::from_static(value));
    }
    if let Ok(value) = HeaderValue::from_str(&tag) {
        out.insert(header::ETAG, value);
    }
    if let Some(at) = last_modified {
        if let Ok(value) = HeaderValue::from_str(&http_date(at)) {
            out.insert(header::LAST_MODIFIED, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn a_modified_since_date_at_or_after_the_change_is_unchanged_and_before_it_is_not() {
        let changed = Some(at("2026-01-06T10:00:00.400Z"));
        let now = at("2026-01-06T11:00:00Z");
        let same = with(header::IF_MODIFIED_SINCE, "Tue, 06 Jan 2026 10:00:00 GMT");
        let before = with(header::IF_MODIFIED_SINCE, "Tue, 06 Jan 2026 09:59:59 GMT");
        let lm = settled_last_modified(changed, now);
        assert!(unchanged_for(&same, "\"x\"", lm));
        assert!(!unchanged_for(&before, "\"x\"", lm));
        assert!(!unchanged_for(&with(header::IF_MODIFIED_SINCE, "junk"), "\"x\"", lm));
    }

    #[test]
    fn a_change_within_the_last_second_gives_no_date_to_revalidate_by() {
        let changed = Some(at("2026-01-06T10:00:00.400Z"));
        assert_eq!(settled_last_modified(changed, at("2026-01-06T10:00:01Z")), None);
        let same = with(header::IF_MODIFIED_SINCE, "Tue, 06 Jan 2026 10:00:00 GMT");
        assert!(!unchanged_for(&same, "\"x\"", None));
    }

    #[test]
    fn if_none_match_decides_alone_when_sent() {
        let lm = Some(at("2026-01-06T10:00:00Z"));
        let mut headers = with(header::IF_NONE_MATCH, "\"old\"");
        headers.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_static("Tue, 06 Jan 2026 12:00:00 GMT"),
        );
        assert!(!unchanged_for(&headers, "\"new\"", lm));
        assert!(unchanged_for(
            &with(header::IF_NONE_MATCH, "W/\"new\", \"b\""),
            "\"new\"",
            lm
        ));
    }
}

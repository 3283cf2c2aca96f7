//! The language of a request, read from its URL: Korean pages live under
//! `/ko/`, Chinese under `/zh/`, English at the root. The prefix is taken off
//! before routing, so every route, page, feed, card and export exists once
//! and answers in each language; the language goes along in the request's
//! extensions (`domain::Locale`). The page cache sits outside this and keys
//! on the whole URL, so each language's page is kept apart, and nothing
//! depends on `Accept-Language`.

use axum::extract::Request;
use axum::http::{header, Uri};
use domain::Locale;

/// Server functions (`/api/…`, other than the JSON API) answer in the
/// language of the page whose form posted to them, named by the `Referer`
/// this site's referrer policy keeps on same-site requests.
fn language_of_posting_page(request: &Request) -> Locale {
    request
        .headers()
        .get(header::REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|referer| referer.parse::<Uri>().ok())
        .map_or(Locale::En, |uri| Locale::split_path(uri.path()).0)
}

/// The language `split_language` recorded for the request, as handlers
/// (feeds, exports, cards) take it: English when none was recorded.
pub struct RequestLocale(pub Locale);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RequestLocale {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestLocale(
            parts.extensions.get::<Locale>().copied().unwrap_or_default(),
        ))
    }
}

/// Takes the language prefix off the path and records the language.
pub fn split_language(mut request: Request) -> Request {
    let path = request.uri().path();
    let (locale, rest) = Locale::split_path(path);
    let locale = if locale == Locale::En && path.starts_with("/api/") && !path.starts_with("/api/v1/") {
        language_of_posting_page(&request)
    } else {
        if locale != Locale::En {
            let path_and_query = match request.uri().query() {
                Some(query) => format!("{rest}?{query}"),
                None => rest.to_owned(),
            };
            let mut parts = request.uri().clone().into_parts();
            if let Ok(rewritten) = path_and_query.parse() {
                parts.path_and_query = Some(rewritten);
                if let Ok(uri) = Uri::from_parts(parts) {
                    *request.uri_mut() = uri;
                }
            }
        }
        locale
    };
    request.extensions_mut().insert(locale);
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(uri: &str, referer: Option<&str>) -> (Locale, String) {
        let mut builder = Request::builder().uri(uri);
        if let Some(referer) = referer {
            builder = builder.header(header::REFERER, referer);
        }
        let request = split_language(builder.body(axum::body::Body::empty()).unwrap());
        (
            *request.extensions().get::<Locale>().unwrap(),
            request.uri().to_string(),
        )
    }

    #[test]
    fn the_prefix_names_the_language_and_is_taken_off() {
        assert_eq!(split("/", None), (Locale::En, "/".into()));
        assert_eq!(split("/ko", None), (Locale::Ko, "/".into()));
        assert_eq!(
            split("/ko/?status=stalled", None),
            (Locale::Ko, "/?status=stalled".into())
        );
        assert_eq!(
            split("/zh/commitments/x/history", None),
            (Locale::Zh, "/commitments/x/history".into())
        );
        assert_eq!(split("/kommitments", None), (Locale::En, "/kommitments".into()));
    }

    #[test]
    fn server_functions_answer_in_the_posting_pages_language() {
        let from_korean = Some("http://127.0.0.1:3000/ko/commitments/x");
        assert_eq!(
            split("/api/update_status", from_korean),
            (Locale::Ko, "/api/update_status".into())
        );
        assert_eq!(split("/api/update_status", None).0, Locale::En);
        // The JSON API has no page behind it: its language is its URL's.
        assert_eq!(split("/api/v1/commitments", from_korean).0, Locale::En);
    }
}

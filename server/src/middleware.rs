//! Request guards that apply to every route.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::PublicUrl;

/// Refuses state-changing requests that do not come from this site's own
/// pages (CSRF defence in depth, beside SameSite=Lax cookies): the `Origin`
/// header, or failing that the `Referer`, must be the public URL's origin or
/// the origin the request was addressed to. A request with neither header is
/// refused too; browsers always send one on a form post.
pub async fn refuse_cross_origin(State(public_url): State<PublicUrl>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    // The JSON API changes nothing: its routes answer every other method
    // with 405 and an `Allow` header, which a client should see instead.
    if crate::api_v1::serves(request.uri().path()) {
        return next.run(request).await;
    }
    let origin = request_origin(request.headers());
    if let Some(origin) = &origin {
        if is_own_origin(origin, &public_url, request.headers()) {
            return next.run(request).await;
        }
    }
    // A security event: a forged cross-site form, or a script posting blind.
    tracing::warn!(
        target: "accord::security",
        event = "cross_origin_refused",
        method = %request.method(),
        path = request.uri().path(),
        origin = origin.as_deref().unwrap_or("none"),
        address = %request
            .extensions()
            .get::<domain::ClientAddress>()
            .map_or_else(|| "unknown".to_owned(), |a| a.to_string()),
        "cross-origin request refused"
    );
    match origin {
        Some(_) => {
            refuse("This request came from another site, so it was refused. Submit the form from Accord's own pages.")
        }
        None => {
            refuse("This request did not say which page it came from (no Origin or Referer header), so it was refused.")
        }
    }
}

/// A page rendered for a signed-in editor holds what only editors may see
/// (the review queue with readers' contact addresses, editing forms): no
/// browser or proxy may keep it, so neither Back after signing out nor the
/// next person at a shared computer can bring it up again. Readers have no
/// session, and their pages are cached as before.
pub async fn keep_editors_pages_private(session: tower_sessions::Session, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if is_page && !session.is_empty().await {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.append(header::VARY, HeaderValue::from_static("cookie"));
    }
    response
}

/// Server functions take their arguments as a URL-encoded form in UTF-8, as
/// a browser's form post and the islands send them. Leptos decodes the body
/// whatever the `Content-Type` says, so a body sent as text, XML, multipart
/// or UTF-16 would be read as if it were that form: refuse it instead (415),
/// before any handler runs.
pub async fn refuse_other_form_encodings(request: Request, next: Next) -> Response {
    // The JSON API takes no bodies: it answers POST with 405 (see above).
    let path = request.uri().path();
    if request.method() != Method::POST || !path.starts_with("/api/") || crate::api_v1::serves(path) {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut parts = declared.split(';').map(str::trim);
    let is_form = parts.next() == Some("application/x-www-form-urlencoded");
    let utf8 = parts.all(|parameter| {
        matches!(parameter.split_once('='), Some(("charset", "utf-8" | "\"utf-8\""))) || parameter.is_empty()
    });
    if is_form && utf8 {
        return next.run(request).await;
    }
    (
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Send this form as application/x-www-form-urlencoded in UTF-8, as Accord's own pages do.\n",
    )
        .into_response()
}

fn refuse(message: &'static str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{message}\n"),
    )
        .into_response()
}

/// The origin (`scheme://host[:port]`) the request says it came from.
fn request_origin(headers: &HeaderMap) -> Option<String> {
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        // Browsers send the literal "null" for opaque origins: never ours.
        return Some(origin.to_owned());
    }
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    url::Url::parse(referer)
        .ok()
        .map(|url| url.origin().ascii_serialization())
}

fn is_own_origin(origin: &str, public_url: &PublicUrl, headers: &HeaderMap) -> bool {
    if origin == public_url.0.origin().ascii_serialization() {
        return true;
    }
    // The host the browser addressed (e.g. localhost vs 127.0.0.1 in
    // development). A forged cross-site request carries the attacker's
    // origin here, never ours.
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    origin == format!("{}://{host}", public_url.0.scheme())
}

/// Server functions answer every error they did not map themselves (such as
/// a form body that cannot be decoded into the function's arguments) with a
/// 500. The body is then still our `AppError`, which knows its real status:
/// give API clients that status instead (e.g. 400/422 for malformed input).
pub async fn status_from_app_error(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status_code()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The CSP for responses that are not pages (JSON, feeds, CSV, images):
/// nothing in them may run or be framed. Pages send their own, with a nonce
/// for Leptos' scripts (`app::shell::page_content_security_policy`).
pub const DEFAULT_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Headers every response carries unless its handler set its own: no MIME
/// sniffing, no framing, full referrers only within this site, the default
/// CSP, and HSTS when the site is served over https (`State(true)`).
pub async fn add_security_headers(State(https): State<bool>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let defaults = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::CONTENT_SECURITY_POLICY, DEFAULT_CONTENT_SECURITY_POLICY),
    ];
    for (name, value) in defaults {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    if https {
        headers
            .entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn public() -> PublicUrl {
        PublicUrl(url::Url::parse("https://accord.example/").unwrap())
    }

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn origin_comes_from_origin_then_referer() {
        assert_eq!(
            request_origin(&headers(&[(header::ORIGIN, "https://a.example")])).as_deref(),
            Some("https://a.example")
        );
        let referer = headers(&[(header::REFERER, "https://accord.example/commitments/x?y=1")]);
        assert_eq!(request_origin(&referer).as_deref(), Some("https://accord.example"));
        assert_eq!(request_origin(&headers(&[])), None);
    }

    #[test]
    fn own_origins_are_the_public_url_and_the_addressed_host() {
        let none = headers(&[]);
        assert!(is_own_origin("https://accord.example", &public(), &none));
        assert!(!is_own_origin("https://evil.example", &public(), &none));
        assert!(!is_own_origin("null", &public(), &none));
        assert!(
            !is_own_origin("http://accord.example", &public(), &none),
            "scheme matters"
        );
        let host = headers(&[(header::HOST, "localhost:3000")]);
        assert!(is_own_origin("https://localhost:3000", &public(), &host));
        assert!(!is_own_origin("https://evil.example", &public(), &host));
    }
}

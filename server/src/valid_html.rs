//! Makes the pages Leptos renders valid HTML (issue 16, point 1) before any
//! other layer (the page cache among them) sees them. Leptos 0.8 writes
//! three things the W3C Nu HTML Checker refuses:
//!
//! - `<!>` hydration markers: a "bogus comment" to the parser. In islands
//!   mode only the markers inside `<leptos-island>` are read (the browser
//!   hydrates islands alone), so the others are dropped and those inside
//!   are written as `<!---->`, an empty comment: the same DOM node, so
//!   hydration walks exactly the tree it walked before.
//! - The resolved-resources `<script>`s, streamed after `</html>`: moved to
//!   the end of `<body>`, where the parser would have put them anyway.
//!   They keep their nonce, so the page cache still hashes them for its CSP.
//! - The response's nonce as the value of `crossorigin` on the bundle's
//!   preload links (`HydrationScripts`): written as `anonymous`, which is
//!   what a browser reads an unknown value as.
//!
//! Pages render completely before they are sent (`SsrMode::Async`), so
//! reading the whole body first delays nothing.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Middleware: repairs every `text/html` response (kept, signed-in and
/// error pages alike).
pub async fn repair_pages(request: Request, next: Next) -> Response {
    let is_head = request.method() == Method::HEAD;
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if is_head || !is_html {
        return response;
    }
    let nonce = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|value| value.to_str().ok())
        .and_then(policy_nonce)
        .map(str::to_owned);
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "reading a rendered page to repair it failed");
            return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let repaired = match std::str::from_utf8(&bytes) {
        Ok(html) => repair(html, nonce.as_deref()),
        // Not text Leptos wrote: left as it is.
        Err(_) => return Response::from_parts(parts, Body::from(bytes)),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(repaired.len()));
    Response::from_parts(parts, Body::from(repaired))
}

/// The nonce a Content-Security-Policy allows scripts by, if any.
fn policy_nonce(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let length = policy[start..].find('\'')?;
    Some(&policy[start..start + length])
}

/// `html` with the repairs the module describes.
pub fn repair(html: &str, nonce: Option<&str>) -> String {
    let html = match nonce {
        Some(nonce) if !nonce.is_empty() => {
            html.replace(&format!(" crossorigin=\"{nonce}\""), " crossorigin=\"anonymous\"")
        }
        _ => html.to_owned(),
    };
    let mut out = String::with_capacity(html.len());
    let mut islands_open = 0usize;
    let mut body_end = None;
    let mut html_end = None;
    let mut rest = html.as_str();
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with("<!>") {
            if islands_open > 0 {
                out.push_str("<!---->");
            }
            rest = &rest[3..];
        } else if rest.starts_with("<!--") {
            let end = rest[4..].find("-->").map_or(rest.len(), |end| 4 + end + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if starts_tag(rest) {
            let end = tag_end(rest);
            let tag = &rest[..end];
            let name = tag_name(tag);
            if name == "/body" {
                body_end = Some(out.len());
            } else if name == "/html" {
                html_end = Some(out.len() + end);
            } else if name == "leptos-island" {
                islands_open += 1;
            } else if name == "/leptos-island" {
                islands_open = islands_open.saturating_sub(1);
            }
            out.push_str(tag);
            rest = &rest[end..];
            // Script and style text is not markup: copied up to its end tag.
            if name == "script" || name == "style" {
                let close = format!("</{name}");
                let text_end = find_ignoring_case(rest, &close).unwrap_or(rest.len());
                out.push_str(&rest[..text_end]);
                rest = &rest[text_end..];
            }
        } else {
            out.push('<');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    // What follows `</html>` goes to the end of the body.
    if let (Some(body_end), Some(html_end)) = (body_end, html_end) {
        if body_end < html_end && !out[html_end..].trim().is_empty() {
            let trailing = out.split_off(html_end);
            out.insert_str(body_end, trailing.trim());
        }
    }
    out
}

/// Whether `text` (starting at `<`) opens a start or end tag.
fn starts_tag(text: &str) -> bool {
    let bytes = text.as_bytes();
    match bytes.get(1) {
        Some(b'/') => bytes.get(2).is_some_and(u8::is_ascii_alphabetic),
        Some(byte) => byte.is_ascii_alphabetic() || *byte == b'!',
        None => false,
    }
}

/// The length of the tag `text` starts with, up to its `>` (quoted
/// attribute values may hold `>`).
fn tag_end(text: &str) -> usize {
    let mut quote = None;
    for (at, byte) in text.bytes().enumerate().skip(1) {
        match (quote, byte) {
            (None, b'"' | b'\'') => quote = Some(byte),
            (Some(open), _) if byte == open => quote = None,
            (None, b'>') => return at + 1,
            _ => {}
        }
    }
    text.len()
}

/// A tag's name, lower case, with `/` before it for an end tag.
fn tag_name(tag: &str) -> String {
    tag[1..]
        .split(|c: char| c.is_ascii_whitespace() || c == '>')
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .to_ascii_lowercase()
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::repair;

    #[test]
    fn markers_outside_islands_go_and_those_inside_become_empty_comments() {
        let page = "<!DOCTYPE html><html><head></head><body><p>a<!>b</p>\
                    <leptos-island data-component=\"X\"><span>1<!>2</span><!-- kept --></leptos-island>\
                    <!></body></html>";
        assert_eq!(
            repair(page, None),
            "<!DOCTYPE html><html><head></head><body><p>ab</p>\
             <leptos-island data-component=\"X\"><span>1<!---->2</span><!-- kept --></leptos-island>\
             </body></html>"
        );
    }

    #[test]
    fn nested_islands_keep_their_markers_to_the_outer_end() {
        let page = "<html><body><leptos-island><leptos-island><!></leptos-island><!></leptos-island><!></body></html>";
        assert_eq!(
            repair(page, None),
            "<html><body><leptos-island><leptos-island><!----></leptos-island><!----></leptos-island></body></html>"
        );
    }

    #[test]
    fn scripts_after_the_document_move_to_the_end_of_the_body() {
        let page = "<html><head></head><body><p>x</p></body></html>\
                    <script nonce=\"n\">__RESOLVED_RESOURCES=[\"</body></html>\"];</script>\
                    <script nonce=\"n\">__INCOMPLETE_CHUNKS=[];</script>";
        assert_eq!(
            repair(page, None),
            "<html><head></head><body><p>x</p>\
             <script nonce=\"n\">__RESOLVED_RESOURCES=[\"</body></html>\"];</script>\
             <script nonce=\"n\">__INCOMPLETE_CHUNKS=[];</script></body></html>"
        );
    }

    #[test]
    fn a_document_with_nothing_after_it_is_unchanged() {
        let page = "<html><body><p title=\"a > b <!>\">&lt;!&gt;</p><script>if (a <!> b) {}</script></body></html>\n";
        assert_eq!(repair(page, None), page);
    }

    #[test]
    fn the_nonce_as_crossorigin_becomes_anonymous_and_stays_on_scripts() {
        let page = "<html><head><link rel=\"modulepreload\" href=\"/pkg/a.js\" crossorigin=\"abc\">\
                    <script type=\"module\" nonce=\"abc\">go()</script></head><body></body></html>";
        assert_eq!(
            repair(page, Some("abc")),
            "<html><head><link rel=\"modulepreload\" href=\"/pkg/a.js\" crossorigin=\"anonymous\">\
             <script type=\"module\" nonce=\"abc\">go()</script></head><body></body></html>"
        );
    }
}

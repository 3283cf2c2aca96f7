//! `/robots.txt`: crawlers may read every public page and file (the JSON
//! API under `/api/v1/` included: it is the data set's JSON download), but
//! not the editors' pages (which answer `noindex` anyway), the forms and
//! the server functions behind them (the rest of `/api/`), and are told
//! where the sitemap is.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use domain::{Locale, PublicUrl};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/robots.txt", get(robots))
}

/// Paths only editors use, or that only answer forms: in every language.
const PRIVATE_PATHS: [&str; 5] = ["/login", "/review", "/editor/", "/api/", "/commitments/*/edit"];

/// The text of robots.txt for a site served at `public_url`.
pub fn robots_txt(public_url: &PublicUrl) -> String {
    let mut text = String::from("User-agent: *\n");
    for locale in Locale::ALL {
        for path in PRIVATE_PATHS {
            text.push_str(&format!("Disallow: {}\n", locale.localize(path)));
        }
    }
    // The longest matching rule wins (RFC 9309): the API's data stays open.
    text.push_str("Allow: /api/v1/\n");
    text.push_str("Allow: /\n\n");
    text.push_str(&format!("Sitemap: {}\n", public_url.join("/sitemap.xml")));
    text
}

async fn robots(State(public_url): State<PublicUrl>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        robots_txt(&public_url),
    )
        .into_response()
}

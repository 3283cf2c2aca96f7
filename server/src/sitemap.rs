//! `/sitemap.xml` (sitemaps.org protocol 0.9): every public page a search
//! engine should find — the list, the summits, corrections, methodology,
//! each summit page and each commitment's permalink — in each of the three
//! languages, with its alternates in the others (`xhtml:link hreflang`) and
//! the date the store says it last changed.
//!
//! A sitemap may list at most 50,000 URLs; a larger site answers
//! `/sitemap.xml` with a sitemap index naming `/sitemaps/1.xml`,
//! `/sitemaps/2.xml`… each of at most that many.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, SecondsFormat, Utc};
use domain::{Locale, PublicUrl};
use store::Db;

use crate::route_error::RouteError;
use crate::xml::escape_xml;
use crate::AppState;

/// The most URLs one sitemap file may list (sitemaps.org).
pub const MAX_SITEMAP_URLS: usize = 50_000;

const XML_CONTENT_TYPE: &str = "application/xml; charset=utf-8";
const SITEMAP_NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NAMESPACE: &str = "http://www.w3.org/1999/xhtml";

/// The sitemap routes, splitting into numbered files past `max_urls`
/// (`MAX_SITEMAP_URLS` when serving; tests pass fewer).
pub fn routes(max_urls: usize) -> Router<AppState> {
    let max_urls = max_urls.max(1);
    Router::new()
        .route(
            "/sitemap.xml",
            get(move |State(db): State<Db>, State(public_url): State<PublicUrl>| sitemap(db, public_url, max_urls)),
        )
        .route(
            "/sitemaps/{file}",
            get(
                move |State(db): State<Db>, State(public_url): State<PublicUrl>, Path(file): Path<String>| {
                    numbered_sitemap(db, public_url, max_urls, file)
                },
            ),
        )
}

/// One page, named by its path in English (the other languages' paths
/// carry their prefix), and when it last changed, where that is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SitemapPage {
    pub path: String,
    pub last_changed: Option<DateTime<Utc>>,
}

/// Every public page, in a fixed order: the site's own pages, then summit
/// by summit its page and its commitments.
pub async fn public_pages(db: &Db) -> Result<Vec<SitemapPage>, sqlx::Error> {
    let commitments = store::page_changes::list_commitment_changes(db).await?;
    let summits = store::page_changes::list_summit_slugs(db).await?;
    let site_changed = commitments.iter().map(|c| c.changed_at).max();
    let mut pages: Vec<SitemapPage> = ["/", "/summits", "/corrections"]
        .into_iter()
        .map(|path| SitemapPage {
            path: path.to_owned(),
            last_changed: site_changed,
        })
        .collect();
    // The method page is the text of the release, not of the data.
    pages.push(SitemapPage {
        path: "/methodology".to_owned(),
        last_changed: None,
    });
    for summit in summits {
        let own: Vec<&store::page_changes::CommitmentChange> =
            commitments.iter().filter(|c| c.summit_slug == summit).collect();
        pages.push(SitemapPage {
            path: format!("/summits/{summit}"),
            last_changed: own.iter().map(|c| c.changed_at).max(),
        });
        pages.extend(own.into_iter().map(|c| SitemapPage {
            path: format!("/commitments/{}", c.slug),
            last_changed: Some(c.changed_at),
        }));
    }
    Ok(pages)
}

/// How many URLs the pages make: one per page and language.
fn url_count(pages: &[SitemapPage]) -> usize {
    pages.len() * Locale::ALL.len()
}

fn w3c_date(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A `<urlset>` of the URLs numbered `range` (each page in each language,
/// in page order), each with its alternates.
pub fn urlset_xml(public_url: &PublicUrl, pages: &[SitemapPage], range: std::ops::Range<usize>) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAP_NAMESPACE}\" xmlns:xhtml=\"{XHTML_NAMESPACE}\">\n"
    );
    let languages = Locale::ALL.len();
    for n in range {
        let Some(page) = pages.get(n / languages) else { break };
        let locale = Locale::ALL[n % languages];
        xml.push_str("<url><loc>");
        xml.push_str(&escape_xml(&public_url.join(&locale.localize(&page.path))));
        xml.push_str("</loc>");
        if let Some(at) = page.last_changed {
            xml.push_str(&format!("<lastmod>{}</lastmod>", w3c_date(at)));
        }
        for alternate in Locale::ALL {
            xml.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                alternate.html_lang(),
                escape_xml(&public_url.join(&alternate.localize(&page.path)))
            ));
        }
        xml.push_str(&format!(
            "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
            escape_xml(&public_url.join(&page.path))
        ));
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// A `<sitemapindex>` naming `/sitemaps/1.xml` to `/sitemaps/{files}.xml`.
pub fn index_xml(public_url: &PublicUrl, files: usize, last_changed: Option<DateTime<Utc>>) -> String {
    let mut xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"{SITEMAP_NAMESPACE}\">\n");
    for n in 1..=files {
        xml.push_str("<sitemap><loc>");
        xml.push_str(&escape_xml(&public_url.join(&format!("/sitemaps/{n}.xml"))));
        xml.push_str("</loc>");
        if let Some(at) = last_changed {
            xml.push_str(&format!("<lastmod>{}</lastmod>", w3c_date(at)));
        }
        xml.push_str("</sitemap>\n");
    }
    xml.push_str("</sitemapindex>\n");
    xml
}

fn xml_response(xml: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, XML_CONTENT_TYPE),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        xml,
    )
        .into_response()
}

async fn sitemap(db: Db, public_url: PublicUrl, max_urls: usize) -> Result<Response, RouteError> {
    let pages = public_pages(&db).await?;
    let count = url_count(&pages);
    if count <= max_urls {
        return Ok(xml_response(urlset_xml(&public_url, &pages, 0..count)));
    }
    let files = count.div_ceil(max_urls);
    let last_changed = pages.iter().filter_map(|p| p.last_changed).max();
    Ok(xml_response(index_xml(&public_url, files, last_changed)))
}

async fn numbered_sitemap(
    db: Db,
    public_url: PublicUrl,
    max_urls: usize,
    file: String,
) -> Result<Response, RouteError> {
    const NO_SUCH_FILE: &str = "There is no such sitemap.";
    // `1.xml`, `2.xml`…: no sign, no leading zero, so each file has one name.
    let number = file
        .strip_suffix(".xml")
        .filter(|n| !n.starts_with('0'))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .ok_or(RouteError::NotFound(NO_SUCH_FILE))?;
    let pages = public_pages(&db).await?;
    let count = url_count(&pages);
    // A site small enough for one file has no numbered ones.
    if count <= max_urls || (number - 1) * max_urls >= count {
        return Err(RouteError::NotFound(NO_SUCH_FILE));
    }
    let start = (number - 1) * max_urls;
    Ok(xml_response(urlset_xml(
        &public_url,
        &pages,
        start..(start + max_urls).min(count),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public() -> PublicUrl {
        PublicUrl(url::Url::parse("https://accord.example/").unwrap())
    }

    #[test]
    fn each_page_is_listed_in_every_language_with_its_alternates() {
        let pages = vec![SitemapPage {
            path: "/commitments/a&b".into(),
            last_changed: Some("2026-01-06T10:00:00.5Z".parse().unwrap()),
        }];
        let xml = urlset_xml(&public(), &pages, 0..url_count(&pages));
        assert_eq!(xml.matches("<url>").count(), 3, "{xml}");
        assert!(
            xml.contains("<loc>https://accord.example/ko/commitments/a&amp;b</loc>"),
            "{xml}"
        );
        assert!(xml.contains("<lastmod>2026-01-06T10:00:00Z</lastmod>"), "{xml}");
        assert!(xml.contains(r#"hreflang="zh-Hans" href="https://accord.example/zh/commitments/a&amp;b""#));
        assert!(!xml.contains("a&b"));
    }
}

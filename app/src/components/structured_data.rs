//! Structured data for search engines (schema.org as JSON-LD): where a page
//! sits on the site (`BreadcrumbList`), the page itself with its dates, and
//! the data set its CSV and JSON downloads hold (`Dataset`).
//!
//! The JSON sits in a `<script type="application/ld+json">`, which browsers
//! treat as data, never as a script to run (so the CSP need not allow it).
//! A title is the readers' text: inside the element, `</script>` or `<!--`
//! would end it or change how it is parsed, so every `<`, `>` and `&` in the
//! JSON is written as a `\u` escape, which JSON parsers read back as the
//! same character.

use leptos::prelude::*;
use serde_json::{json, Value};

use crate::components::absolute;
use crate::locale::{tr, Locale};

/// `<script type="application/ld+json">` holding `data`.
#[component]
pub fn StructuredData(data: Value) -> impl IntoView {
    view! { <script type="application/ld+json" inner_html=script_safe_json(&data)></script> }
}

/// `data` as JSON that cannot end or alter the element it sits in.
pub fn script_safe_json(data: &Value) -> String {
    // Outside strings JSON has none of these characters, so each one found
    // is inside a string, where its `\u` escape means the same.
    data.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A trail of (name, absolute URL) from the front page to this page.
pub fn breadcrumbs(trail: &[(String, String)]) -> Value {
    json!({
        "@type": "BreadcrumbList",
        "itemListElement": trail
            .iter()
            .enumerate()
            .map(|(n, (name, url))| json!({
                "@type": "ListItem",
                "position": n + 1,
                "name": name,
                "item": url,
            }))
            .collect::<Vec<_>>(),
    })
}

/// The site's commitments as a data set, with its two downloads: the CSV
/// export and the JSON API's list, in the page's language.
pub fn commitments_dataset(locale: Locale) -> Value {
    json!({
        "@type": "Dataset",
        "name": tr(locale, "dataset-name"),
        "description": tr(locale, "dataset-description"),
        "url": absolute(&locale.localize("/")),
        "inLanguage": locale.html_lang(),
        "isAccessibleForFree": true,
        "creator": { "@type": "Organization", "name": tr(locale, "site-name"), "url": absolute("/") },
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": "text/csv",
                "contentUrl": absolute(&locale.localize("/export/commitments.csv")),
            },
            {
                "@type": "DataDownload",
                "encodingFormat": "application/json",
                "contentUrl": absolute("/api/v1/commitments"),
            },
        ],
    })
}

/// Several schema.org nodes in one document.
pub fn graph(nodes: Vec<Value>) -> Value {
    json!({ "@context": "https://schema.org", "@graph": nodes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_cannot_close_the_element_and_the_json_still_says_it() {
        let data = json!({ "name": "</script><script>alert(1)</script><!-- & -->" });
        let safe = script_safe_json(&data);
        assert!(
            !safe.contains('<') && !safe.contains('>') && !safe.contains('&'),
            "{safe}"
        );
        assert_eq!(serde_json::from_str::<Value>(&safe).unwrap(), data);
    }
}

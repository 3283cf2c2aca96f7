//! The methodology page: in each language it answers at its own address,
//! shows every status with the definition the commitment pages print, and
//! has the sections others link to; every page's footer links to it in the
//! page's language, and a commitment's status definitions link to its
//! `#statuses` section.

use axum::http::StatusCode;
use domain::Status;
use i18n::Locale;

use crate::support::{both_engines, get_page as get, seeded_site_of, shipped, unescape};

const LANGUAGES: [(&str, Locale); 3] = [("", Locale::En), ("/ko", Locale::Ko), ("/zh", Locale::Zh)];

const SECTIONS: [&str; 6] = [
    "statuses",
    "overall-status",
    "sourcing",
    "translations",
    "editors",
    "corrections",
];

/// The page's footer, from `<footer class="site-footer">` to its end.
fn footer(html: &str) -> &str {
    let start = html
        .find(r#"<footer class="site-footer""#)
        .expect("every page has the site footer");
    let rest = &html[start..];
    &rest[..rest.find("</footer>").expect("the footer is closed")]
}

both_engines!(the_methodology_page_defines_every_status_in_each_language);
async fn the_methodology_page_defines_every_status_in_each_language(db: store::Db) {
    let app = seeded_site_of(db).await;
    for (prefix, locale) in LANGUAGES {
        let address = format!("{prefix}/methodology");
        let (status, html) = get(&app, &address).await;
        assert_eq!(status, StatusCode::OK, "{address}");
        assert_eq!(html.matches("<h1").count(), 1, "{address}: one h1");
        let text = unescape(&html);
        for status in Status::ALL {
            let label = i18n::status_label(locale, status);
            let definition = i18n::status_definition(locale, status);
            assert!(
                text.contains(&format!(">{label}</span>")),
                "{address}: the badge of {label}"
            );
            assert!(
                text.contains(&definition),
                "{address}: the definition of {label}: {definition}"
            );
        }
        // The rule the lists print, word for word.
        assert!(
            text.contains(&i18n::tr(locale, "overall-status-rule")),
            "{address}: the overall-status rule"
        );
        for id in SECTIONS {
            assert!(html.contains(&format!(r#"id="{id}""#)), "{address}: section #{id}");
            assert!(
                html.contains(&format!(r##"href="#{id}""##)),
                "{address}: contents link to #{id}"
            );
        }
        // The corrections list, in the page's language.
        assert!(
            html.contains(&format!(r#"href="{prefix}/corrections""#)),
            "{address}: link to the corrections"
        );
        assert!(
            text.contains(&i18n::tr(locale, "methodology-heading")),
            "{address}: heading in its language"
        );
        if locale != Locale::En {
            assert!(
                !text.contains(&i18n::tr(Locale::En, "methodology-heading")),
                "{address}: no English heading"
            );
        }
    }
}

both_engines!(every_footer_links_the_methodology_in_the_page_language);
async fn every_footer_links_the_methodology_in_the_page_language(db: store::Db) {
    let app = seeded_site_of(db).await;
    let slug = shipped().commitments[0].slug.to_string();
    for (prefix, locale) in LANGUAGES {
        let home = if prefix.is_empty() {
            "/".to_owned()
        } else {
            format!("{prefix}/")
        };
        let commitment = format!("{prefix}/commitments/{slug}");
        let missing = format!("{prefix}/no-such-page");
        for (address, expected) in [
            (&home, StatusCode::OK),
            (&commitment, StatusCode::OK),
            (&missing, StatusCode::NOT_FOUND),
        ] {
            let (status, html) = get(&app, address).await;
            assert_eq!(status, expected, "{address}");
            let footer = footer(&html);
            let link = format!(
                r#"<a href="{prefix}/methodology">{}</a>"#,
                i18n::tr(locale, "methodology-title")
            );
            assert!(footer.contains(&link), "{address}: footer link {link} in {footer}");
            assert!(
                unescape(footer).contains(&i18n::tr(locale, "footer-about")),
                "{address}: the footer still says what Accord is"
            );
        }
        // The commitment's status definitions point to the full rules.
        let (_, html) = get(&app, &commitment).await;
        let definitions = &html[html.find(r#"id="definitions-heading""#).expect("definitions")..];
        let definitions = &definitions[..definitions.find("</section>").unwrap()];
        assert!(
            definitions.contains(&format!(r##"href="{prefix}/methodology#statuses""##)),
            "{commitment}: the definitions link to the methodology's #statuses"
        );
    }
}

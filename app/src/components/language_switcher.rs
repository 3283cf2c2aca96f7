//! The other languages of the page being read: `<link rel="alternate"
//! hreflang>` for search engines and a visible switcher for readers, both
//! pointing at the same page (same path, same filters) in each language.

use leptos::prelude::*;
use leptos_meta::Link;
use leptos_router::hooks::use_location;
use serde::{Deserialize, Serialize};

use crate::locale::{tr, use_locale};
use domain::{Locale, PublicUrl};

/// One entry of the switcher.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageLink {
    pub href: String,
    /// The `lang`/`hreflang` tag of the target page.
    pub lang: String,
    /// The language's own name ("한국어").
    pub name: String,
    pub current: bool,
}

/// The absolute URL of `path` on this site (relative when no public URL is
/// known, as in the browser).
pub fn absolute(path: &str) -> String {
    match use_context::<PublicUrl>() {
        Some(public_url) => public_url.join(path),
        None => path.to_owned(),
    }
}

/// `<link rel="canonical">` for pages whose address is their whole identity
/// (no filters to normalise): this path, in this language.
#[component]
pub fn CanonicalLink() -> impl IntoView {
    let locale = use_locale();
    let path = use_location().pathname.get_untracked();
    view! { <Link rel="canonical" href=absolute(&locale.localize(&path)) /> }
}

#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    // One leading slash, whatever the request had (`//host/…` would be
    // another site's address), and only the list's own parameters, in
    // their normal form (tracking or junk parameters are not copied into
    // every link).
    let path = format!("/{}", location.pathname.get_untracked().trim_start_matches(['/', '\\']));
    let query = domain::ListQuery::parse_query_string_lenient(&location.search.get_untracked())
        .0
        .to_query_string();
    let with_query = |target: Locale| {
        let localized = target.localize(&path);
        if query.is_empty() {
            localized
        } else {
            format!("{localized}?{query}")
        }
    };
    let alternates = Locale::ALL
        .into_iter()
        .map(|target| {
            view! { <Link rel="alternate" hreflang=target.html_lang() href=absolute(&with_query(target)) /> }
        })
        .collect_view();
    let links: Vec<LanguageLink> = Locale::ALL
        .into_iter()
        .map(|target| LanguageLink {
            href: with_query(target),
            lang: target.html_lang().to_owned(),
            name: target.endonym().to_owned(),
            current: target == locale,
        })
        .collect();
    view! {
        {alternates}
        <Link rel="alternate" hreflang="x-default" href=absolute(&with_query(Locale::En)) />
        <nav class="language-switcher" aria-label=tr(locale, "language-switcher")>
            <LanguageLinks links />
        </nav>
    }
}

/// The switcher's links. Plain links that work without JavaScript; as an
/// island it also carries the reader's place on the page (the `#anchor`,
/// which never reaches the server) over to the other language.
#[island]
pub fn LanguageLinks(links: Vec<LanguageLink>) -> impl IntoView {
    view! {
        <ul>
            {links
                .into_iter()
                .map(|link| {
                    let href = link.href.clone();
                    let follow = move |event: leptos::ev::MouseEvent| {
                        #[cfg(feature = "hydrate")]
                        {
                            let location = window().location();
                            if let Ok(hash) = location.hash() {
                                if !hash.is_empty() {
                                    event.prevent_default();
                                    let _ = location.set_href(&format!("{href}{hash}"));
                                }
                            }
                        }
                        #[cfg(not(feature = "hydrate"))]
                        let _ = (&event, &href);
                    };
                    view! {
                        <li>
                            <a
                                href=link.href.clone()
                                hreflang=link.lang.clone()
                                lang=link.lang.clone()
                                aria-current=link.current.then_some("page")
                                on:click=follow
                            >
                                {link.name}
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

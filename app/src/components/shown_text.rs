//! Texts that may not be in the page's language: shown with their own
//! `lang`, so screen readers and fonts switch, and labelled when they are a
//! translation or an untranslated original.

use leptos::prelude::*;

use crate::locale::{text as arg, tr, tr_with, use_locale};
use domain::{Locale, TextOrigin};

/// `text`, marked with its language when that differs from the page's.
#[component]
pub fn ShownText(text: String, language: Locale) -> impl IntoView {
    let page = use_locale();
    view! { <span lang=(language != page).then(|| language.html_lang())>{text}</span> }
}

/// Says where a shown title or summary comes from: "Translated by Accord",
/// or "Not yet translated: shown in the original English".
#[component]
pub fn TextOriginNote(origin: TextOrigin, language: Locale) -> impl IntoView {
    let page = use_locale();
    match origin {
        TextOrigin::Original => None,
        TextOrigin::Translation { translated_by } => Some(view! {
            <p class="text-origin">{tr_with(page, "text-translated-by", &[("name", arg(translated_by))])}</p>
        }.into_any()),
        TextOrigin::Untranslated => Some(view! {
            <p class="text-origin untranslated">
                {tr_with(page, "text-untranslated", &[("language", arg(tr(page, &format!("language-in-{}", language.code()))))])}
            </p>
        }.into_any()),
    }
}

//! The language of the page being rendered, and the words for it.
//!
//! The server's router reads the language from the URL (`/ko/…`, `/zh/…`,
//! English at the root) and puts it in the request's extensions; every
//! component asks `use_locale()` and writes its text with `tr`.

use leptos::prelude::*;

pub use i18n::{date, date_time, number, text, tr, tr_with, Locale};

/// The language of the page (or of the page a form was posted from).
pub fn use_locale() -> Locale {
    if let Some(locale) = use_context::<Locale>() {
        return locale;
    }
    #[cfg(feature = "ssr")]
    if let Some(locale) =
        use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<Locale>().copied())
    {
        return locale;
    }
    Locale::En
}

/// A site path in the page's language: `/commitments/x` on a Korean page
/// is `/ko/commitments/x`.
pub fn local_path(locale: Locale, path: &str) -> String {
    locale.localize(path)
}

/// A party's name in the page's language.
pub fn party_name(locale: Locale, party: &domain::PartyRef) -> String {
    i18n::party_name(locale, &party.code, &party.short_name)
}

/// Names joined as the language lists them: "China and South Korea",
/// "중국·한국", "中国和韩国".
pub fn list_names(locale: Locale, names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [first @ .., last] => tr_with(
            locale,
            "list-and",
            &[
                ("first", text(first.join(&tr(locale, "list-separator")))),
                ("last", text(last.clone())),
            ],
        ),
    }
}

/// The parties that owe a commitment, named and listed in the page's
/// language: "China and South Korea", "중국·한국".
pub fn owing_parties(locale: Locale, statuses: &[domain::PartyStatus]) -> String {
    let names: Vec<String> = statuses.iter().map(|p| party_name(locale, &p.party)).collect();
    list_names(locale, &names)
}

/// "The commitment “x”", for "… was not found".
pub fn missing_commitment(slug: &str) -> String {
    tr_with(use_locale(), "missing-commitment", &[("slug", text(slug))])
}

/// "The summit “x”", for "… was not found".
pub fn missing_summit(slug: &str) -> String {
    tr_with(use_locale(), "missing-summit", &[("slug", text(slug))])
}

/// Words a refused form's messages in the reader's language: each field's
/// problem by its catalogue id (the domain checks say what is wrong in
/// types; the words are the catalogue's).
pub fn word_form(locale: Locale, form: &mut domain::SubmittedForm) {
    form.word_with(|problem| {
        let args: Vec<(&str, i18n::FluentValue)> = problem
            .args
            .iter()
            .map(|(name, value)| (name.as_str(), text(value.clone())))
            .collect();
        tr_with(locale, &problem.id, &args)
    });
}

//! Accord's interface text in English, Korean and Simplified Chinese.
//!
//! The words live in Fluent files (`locales/{en,ko,zh}.ftl`), compiled into
//! the binary. Fluent (Mozilla's Project Fluent, `fluent-bundle`) was chosen
//! over leptos_i18n because the same catalogue serves the Leptos pages, the
//! feeds, the share cards, the CSV export and the server's error pages, most
//! of which are not Leptos; see docs/I18N.md. A message missing from any
//! language, or a language using other variables than English, fails this
//! crate's tests, and a message id used in the code but missing from the
//! catalogue fails them too, so an English fallback never ships silently.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
pub use domain::Locale;
use domain::{PartyCode, SortOrder, SourceKind, Status, Theme};
use fluent_bundle::concurrent::FluentBundle;
pub use fluent_bundle::FluentValue;
use fluent_bundle::{FluentArgs, FluentResource};

/// The Fluent source of each language, in `Locale::ALL` order.
pub const SOURCES: [(Locale, &str); 3] = [
    (Locale::En, include_str!("../locales/en.ftl")),
    (Locale::Ko, include_str!("../locales/ko.ftl")),
    (Locale::Zh, include_str!("../locales/zh.ftl")),
];

struct Catalogue {
    bundles: Vec<(Locale, FluentBundle<FluentResource>)>,
    /// Each language's messages that take no variables, formatted once:
    /// `tr` is called hundreds of times per list page, and formatting a
    /// Fluent pattern allocates and walks it every time (see
    /// docs/PERFORMANCE.md, issue 17, fourth part). Empty in the browser,
    /// where islands format a handful of messages and a bigger start-up
    /// would only delay hydration.
    plain: Vec<(Locale, HashMap<String, String>)>,
}

/// Built once from the compiled-in files; never changed afterwards.
static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let (bundles, plain) = SOURCES
        .iter()
        .map(|(locale, source)| {
            let (bundle, ids) = bundle(*locale, source);
            let plain = plain_messages(&bundle, &ids);
            ((*locale, bundle), (*locale, plain))
        })
        .unzip();
    Catalogue { bundles, plain }
});

/// A language's bundle, and the ids of the messages in it.
fn bundle(locale: Locale, source: &str) -> (FluentBundle<FluentResource>, Vec<String>) {
    let language: unic_langid::LanguageIdentifier = locale
        .html_lang()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = FluentBundle::new_concurrent(vec![language]);
    // Fluent wraps every placeable in invisible direction marks by default;
    // all three languages run left to right, and the marks would end up in
    // titles, feeds and CSV cells.
    bundle.set_use_isolating(false);
    // A syntax error in a catalogue fails `catalogues_parse` in the tests;
    // the entries that did parse are still used.
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
    let ids = resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(message) => Some(message.id.name.to_owned()),
            _ => None,
        })
        .collect();
    bundle.add_resource_overriding(resource);
    (bundle, ids)
}

/// The messages among `ids` whose text needs no variable, formatted.
#[cfg(not(target_arch = "wasm32"))]
fn plain_messages(bundle: &FluentBundle<FluentResource>, ids: &[String]) -> HashMap<String, String> {
    ids.iter()
        .filter_map(|id| {
            let pattern = bundle.get_message(id)?.value()?;
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, None, &mut errors);
            // A message that needs a variable reports it missing: that one
            // is formatted on each call, with its variables.
            errors.is_empty().then(|| (id.clone(), text.into_owned()))
        })
        .collect()
}

#[cfg(target_arch = "wasm32")]
fn plain_messages(_: &FluentBundle<FluentResource>, _: &[String]) -> HashMap<String, String> {
    HashMap::new()
}

fn bundle_of(locale: Locale) -> &'static FluentBundle<FluentResource> {
    let bundles = &CATALOGUE.bundles;
    bundles
        .iter()
        .find(|(l, _)| *l == locale)
        .map(|(_, b)| b)
        .unwrap_or(&bundles[0].1)
}

/// The message `id` in `locale`, with its variables filled from `args`.
/// The tests guarantee every id exists in every language; if one still did
/// not, the English text (or, failing that, the id) is shown rather than
/// nothing.
pub fn tr_with(locale: Locale, id: &str, args: &[(&str, FluentValue)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    for bundle in [bundle_of(locale), bundle_of(Locale::En)] {
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            return text.into_owned();
        }
    }
    id.to_owned()
}

/// The message `id` in `locale`, for messages without variables.
pub fn tr(locale: Locale, id: &str) -> String {
    let formatted = CATALOGUE
        .plain
        .iter()
        .find(|(l, _)| *l == locale)
        .and_then(|(_, messages)| messages.get(id));
    match formatted {
        Some(text) => text.clone(),
        None => tr_with(locale, id, &[]),
    }
}

/// Whether `locale`'s own catalogue has the message (used by the tests).
pub fn has_message(locale: Locale, id: &str) -> bool {
    bundle_of(locale).has_message(id)
}

/// A text variable.
pub fn text(value: impl Into<String>) -> FluentValue<'static> {
    FluentValue::String(value.into().into())
}

/// A number variable (plural rules pick the form: 1 commitment, 2 commitments).
pub fn number(value: impl Into<f64>) -> FluentValue<'static> {
    FluentValue::from(value.into())
}

/// A date written out as each language writes it: 1 November 2025,
/// 2025년 11월 1일, 2025年11月1日.
pub fn date(locale: Locale, day: NaiveDate) -> String {
    tr_with(
        locale,
        "date-long",
        &[
            ("year", text(day.year().to_string())),
            ("month", text(day.month().to_string())),
            ("month-name", text(tr(locale, &format!("month-{}", day.month())))),
            ("day", text(day.day().to_string())),
        ],
    )
}

/// A month and year, for chart axes and history: November 2025, 2025년 11월, 2025年11月.
pub fn month_year(locale: Locale, year: i32, month: u32) -> String {
    tr_with(
        locale,
        "date-month-year",
        &[
            ("year", text(year.to_string())),
            ("month", text(month.to_string())),
            ("month-name", text(tr(locale, &format!("month-{month}")))),
        ],
    )
}

/// An instant in UTC, to the minute: "1 November 2025, 14:05 UTC".
pub fn date_time(locale: Locale, at: DateTime<Utc>) -> String {
    tr_with(
        locale,
        "date-time-utc",
        &[
            ("date", text(date(locale, at.date_naive()))),
            ("time", text(at.format("%H:%M").to_string())),
        ],
    )
}

pub fn status_label(locale: Locale, status: Status) -> String {
    tr(locale, &format!("status-{}", status.code()))
}

/// The public definition printed beside a status.
pub fn status_definition(locale: Locale, status: Status) -> String {
    tr(locale, &format!("status-definition-{}", status.code()))
}

pub fn theme_label(locale: Locale, theme: Theme) -> String {
    tr(locale, &format!("theme-{}", theme.code()))
}

pub fn source_kind_label(locale: Locale, kind: SourceKind) -> String {
    tr(locale, &format!("source-kind-{}", kind.code()))
}

pub fn title_basis_label(locale: Locale, basis: domain::TitleBasis) -> String {
    tr(locale, &format!("title-basis-{}", basis.code()))
}

pub fn date_basis_label(locale: Locale, basis: domain::DateBasis) -> String {
    tr(locale, &format!("date-basis-{}", basis.code()))
}

/// The name of a part of a source, as a correction's changes list it.
pub fn source_field_label(locale: Locale, field: domain::SourceField) -> String {
    use domain::SourceField::*;
    let id = match field {
        Publisher => "source-field-publisher",
        Via => "source-field-via",
        Title => "source-field-title",
        TitleBasis => "source-field-title-basis",
        Date => "source-field-date",
        DateBasis => "source-field-date-basis",
        Url => "source-field-url",
        Quote => "source-field-quote",
        Kind => "source-field-kind",
        Language => "source-field-language",
    };
    tr(locale, id)
}

/// "Source corrected", "Reverted", "Data corrected".
pub fn correction_kind_label(locale: Locale, kind: domain::CorrectionKind) -> String {
    use domain::CorrectionKind::*;
    tr(
        locale,
        match kind {
            Source => "correction-kind-source",
            Revert => "correction-kind-revert",
            Data => "correction-kind-data",
        },
    )
}

pub fn sort_label(locale: Locale, sort: SortOrder) -> String {
    tr(locale, &format!("sort-{}", sort.code()))
}

/// The parties Accord's catalogue names (the seed's two); any other party is
/// named by the name stored with it.
pub const NAMED_PARTIES: [&str; 2] = ["cn", "kr"];

/// A party's short name ("China", "중국", "中国"); `stored` is the name kept
/// in the database, used for parties the catalogue does not know.
pub fn party_name(locale: Locale, code: &PartyCode, stored: &str) -> String {
    if NAMED_PARTIES.contains(&code.as_str()) {
        tr(locale, &format!("party-{}", code.as_str()))
    } else {
        stored.to_owned()
    }
}

/// A party's leader as each language writes the name.
pub fn party_leader(locale: Locale, code: &PartyCode, stored: &str) -> String {
    if NAMED_PARTIES.contains(&code.as_str()) {
        tr(locale, &format!("party-leader-{}", code.as_str()))
    } else {
        stored.to_owned()
    }
}

#[cfg(test)]
mod tests;

//! The catalogue is complete: every language has every message, with the
//! same variables, and every message id the code names exists. These are
//! what make a missing translation a test failure instead of an English
//! word on a Korean page.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

use super::*;

/// Message id → (attribute names, variable names) of one catalogue.
fn shape(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source).expect("the catalogue parses");
    let mut messages = BTreeMap::new();
    for entry in resource.body {
        if let ast::Entry::Message(message) = entry {
            let mut variables = BTreeSet::new();
            if let Some(pattern) = &message.value {
                collect_variables(pattern, &mut variables);
            }
            assert!(
                message.attributes.is_empty(),
                "{}: Accord's catalogue uses no attributes",
                message.id.name
            );
            messages.insert(message.id.name.to_owned(), variables);
        }
    }
    messages
}

fn collect_variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            collect_expression(expression, into);
        }
    }
}

fn collect_expression(expression: &ast::Expression<&str>, into: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => collect_inline(inline, into),
        ast::Expression::Select { selector, variants } => {
            collect_inline(selector, into);
            for variant in variants {
                collect_variables(&variant.value, into);
            }
        }
    }
}

fn collect_inline(inline: &ast::InlineExpression<&str>, into: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => collect_expression(expression, into),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                collect_inline(argument, into);
            }
        }
        _ => {}
    }
}

#[test]
fn catalogues_parse() {
    for (locale, source) in SOURCES {
        if let Err((_, errors)) = fluent_syntax::parser::parse(source) {
            panic!("{locale}.ftl has syntax errors: {errors:?}");
        }
    }
}

#[test]
fn every_language_has_every_message_with_the_same_variables() {
    let english = shape(SOURCES[0].1);
    assert!(
        english.len() > 100,
        "the English catalogue has {} messages",
        english.len()
    );
    for (locale, source) in &SOURCES[1..] {
        let other = shape(source);
        let missing: Vec<_> = english.keys().filter(|id| !other.contains_key(*id)).collect();
        let extra: Vec<_> = other.keys().filter(|id| !english.contains_key(*id)).collect();
        assert!(missing.is_empty(), "{locale}.ftl lacks {missing:?}");
        assert!(extra.is_empty(), "{locale}.ftl has messages English lacks: {extra:?}");
        for (id, variables) in &english {
            // A translation may leave out a variable English needs for
            // grammar (the English month name), but never invent one.
            let unknown: Vec<_> = other[id].difference(variables).collect();
            assert!(
                unknown.is_empty(),
                "{locale}.ftl {id} uses {unknown:?}, which the code does not pass"
            );
        }
    }
}

#[test]
fn translations_are_not_english_left_in_place() {
    // A message identical to English in another language is a missed
    // translation, except where the words are the same in every language.
    let same_everywhere = [
        "site-name",
        "language-name-en",
        "language-name-ko",
        "language-name-zh",
        "date-time-utc",
        "feed-atom",
        "csv",
        "json",
        // Only punctuation around the variables, and Korean punctuates
        // these exactly as English does ("한국: 진행 중", "(…)").
        "party-status-pair",
        "party-colon",
        "feed-headline-change",
        "source-via-end",
        "card-separator",
        "history-change",
        // "Label: value" and a middle dot, as Korean writes them too.
        "filters-fold-item",
        "filters-fold-separator",
    ];
    let english = shape(SOURCES[0].1);
    for locale in [Locale::Ko, Locale::Zh] {
        for id in english.keys() {
            if same_everywhere.contains(&id.as_str()) || id.starts_with("month-") {
                continue;
            }
            let ours = tr(locale, id);
            assert_ne!(ours, tr(Locale::En, id), "{locale}: {id} is still English");
        }
    }
}

/// Every `tr(…, "id")` / `tr_with(…, "id", …)` in the crates that show text.
fn ids_used_in_code() -> BTreeSet<String> {
    let call = regex::Regex::new(r#"\btr(?:_with)?\(\s*[a-z_.()]+\s*,\s*"([a-z0-9-]+)""#).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut ids = BTreeSet::new();
    let mut files = Vec::new();
    for dir in ["app/src", "server/src", "i18n/src"] {
        collect_rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20, "found only {} source files", files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for capture in call.captures_iter(&text) {
            ids.insert(capture[1].to_owned());
        }
    }
    ids
}

fn collect_rust_files(dir: &std::path::Path, into: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rust_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

#[test]
fn every_message_the_code_names_exists() {
    let ids = ids_used_in_code();
    assert!(ids.len() > 100, "found only {} message ids in the code", ids.len());
    let missing: Vec<_> = ids.iter().filter(|id| !has_message(Locale::En, id)).collect();
    assert!(
        missing.is_empty(),
        "the code names messages no catalogue has: {missing:?}"
    );
}

#[test]
fn every_vocabulary_word_has_a_message_and_english_matches_the_domain() {
    for locale in Locale::ALL {
        for status in Status::ALL {
            assert!(has_message(locale, &format!("status-{}", status.code())));
            assert!(has_message(locale, &format!("status-definition-{}", status.code())));
        }
        for theme in Theme::ALL {
            assert!(has_message(locale, &format!("theme-{}", theme.code())));
        }
        for kind in SourceKind::ALL {
            assert!(has_message(locale, &format!("source-kind-{}", kind.code())));
        }
        for sort in SortOrder::ALL {
            assert!(has_message(locale, &format!("sort-{}", sort.code())));
        }
        for month in 1..=12 {
            assert!(has_message(locale, &format!("month-{month}")));
        }
        for party in NAMED_PARTIES {
            assert!(has_message(locale, &format!("party-{party}")));
            assert!(has_message(locale, &format!("party-leader-{party}")));
        }
    }
    // The domain's English words (used by the API and the CSV) and the
    // English catalogue say the same.
    for status in Status::ALL {
        assert_eq!(status_label(Locale::En, status), status.label());
        assert_eq!(status_definition(Locale::En, status), status.definition());
    }
    for theme in Theme::ALL {
        assert_eq!(theme_label(Locale::En, *theme), theme.label());
    }
    for sort in SortOrder::ALL {
        assert_eq!(sort_label(Locale::En, sort), sort.label());
    }
}

#[test]
fn dates_follow_each_language() {
    let day = NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
    assert_eq!(date(Locale::En, day), "1 November 2025");
    assert_eq!(date(Locale::Ko, day), "2025년 11월 1일");
    assert_eq!(date(Locale::Zh, day), "2025年11月1日");
    assert_eq!(month_year(Locale::En, 2026, 3), "March 2026");
    assert_eq!(month_year(Locale::Ko, 2026, 3), "2026년 3월");
    assert_eq!(month_year(Locale::Zh, 2026, 3), "2026年3月");
    let at = day.and_hms_opt(14, 5, 0).unwrap().and_utc();
    assert_eq!(date_time(Locale::En, at), "1 November 2025, 14:05 UTC");
    assert_eq!(date_time(Locale::Ko, at), "2025년 11월 1일 14:05 UTC");
}

#[test]
fn plurals_and_variables_are_filled() {
    let one = tr_with(Locale::En, "count-commitments", &[("count", number(1))]);
    let two = tr_with(Locale::En, "count-commitments", &[("count", number(2))]);
    assert_eq!(one, "1 commitment");
    assert_eq!(two, "2 commitments");
    assert_eq!(
        tr_with(Locale::Ko, "count-commitments", &[("count", number(2))]),
        "약속 2건"
    );
    assert_eq!(
        tr_with(Locale::Zh, "count-commitments", &[("count", number(2))]),
        "2项承诺"
    );
    // No invisible direction marks around the variables.
    assert!(!two.contains('\u{2068}'));
}

/// Every `FieldProblem::new("id", "English")` and `FieldProblem::with("id", …)`
/// in the domain's checks and the app's: (id, the English the domain writes, if literal).
fn problems_in_domain() -> Vec<(String, Option<String>)> {
    let plain = regex::Regex::new(r#"FieldProblem::new\(\s*"([a-z0-9-]+)",\s*"((?:[^"\\]|\\.)*)"\s*,?\s*\)"#).unwrap();
    let with_values = regex::Regex::new(r#"FieldProblem::with\(\s*"([a-z0-9-]+)""#).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["domain/src", "app/src"] {
        collect_rust_files(&root.join(dir), &mut files);
    }
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for capture in plain.captures_iter(&text) {
            found.push((capture[1].to_owned(), Some(capture[2].replace("\\\"", "\""))));
        }
        for capture in with_values.captures_iter(&text) {
            found.push((capture[1].to_owned(), None));
        }
    }
    found
}

#[test]
fn every_problem_the_domain_reports_is_in_the_catalogue_in_the_same_english() {
    let problems = problems_in_domain();
    assert!(
        problems.len() >= 30,
        "found only {} problems in the domain",
        problems.len()
    );
    for (id, english) in problems {
        for locale in Locale::ALL {
            assert!(has_message(locale, &id), "{locale}.ftl lacks the domain's {id}");
        }
        if let Some(english) = english {
            assert_eq!(
                tr(Locale::En, &id),
                english,
                "{id}: the catalogue's English differs from the domain's"
            );
        }
    }
    // A problem with values: the catalogue fills them as the domain does.
    let problem = domain::parse_text("abcdef", true, 5, false).unwrap_err();
    let args: Vec<(&str, FluentValue)> = problem
        .args
        .iter()
        .map(|(k, v)| (k.as_str(), text(v.clone())))
        .collect();
    assert_eq!(tr_with(Locale::En, &problem.id, &args), problem.english);
    assert!(tr_with(Locale::Ko, &problem.id, &args).contains('5'));
}

/// `tr` serves messages without variables from the texts formatted once;
/// they must be exactly what formatting the message on each call gives,
/// and messages that take variables must still be formatted with them.
#[test]
fn kept_plain_messages_match_formatting_each_time() {
    let mut kept = 0;
    for (locale, source) in SOURCES {
        for (id, variables) in shape(source) {
            let kept_text = CATALOGUE
                .plain
                .iter()
                .find(|(l, _)| *l == locale)
                .and_then(|(_, messages)| messages.get(&id));
            if variables.is_empty() {
                let formatted = kept_text.unwrap_or_else(|| panic!("{locale:?} {id}: a plain message is kept"));
                assert_eq!(formatted, &tr_with(locale, &id, &[]), "{locale:?} {id}");
                assert_eq!(tr(locale, &id), *formatted, "{locale:?} {id}");
                kept += 1;
            } else {
                assert!(kept_text.is_none(), "{locale:?} {id} takes variables: it is not kept");
            }
        }
    }
    assert!(kept > 300, "most messages take no variables ({kept} kept)");
    // A message with a variable still gets it.
    assert_eq!(
        tr_with(Locale::En, "recorded-by", &[("name", text("Kim"))]),
        "Recorded by Kim"
    );
}

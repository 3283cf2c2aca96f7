//! Property-based fuzzing of every parser that reads untrusted input: slugs,
//! statuses and other codes, dates, web addresses, free text, list queries
//! and whole forms.
//!
//! Each input is either a known-valid value or a valid value with one part
//! spoiled (a field of a form replaced by hostile text, a character inserted
//! or dropped), so both the accepting and the refusing path run a measurable
//! share of the time. Every property prints how many of its cases were
//! accepted, and fails when either path ran in fewer than
//! [`MIN_SHARE_PERCENT`] of the cases: a property whose `Ok` branch never
//! runs proves nothing about what is accepted. Each property runs a fixed
//! number of cases (PROPTEST_CASES overrides it), so CI time is bounded; a
//! failure prints the minimal input that broke it.

use std::cell::Cell;

use chrono::NaiveDate;
use domain::*;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Neither path of a property may run in fewer than this share of its cases.
const MIN_SHARE_PERCENT: usize = 10;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    Config {
        cases,
        // Failures are printed with their minimal input; nothing is written
        // to the source tree.
        failure_persistence: None,
        ..Config::default()
    }
}

/// What a parser did with one case.
#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Accepted,
    Refused,
}

fn outcome<T, E>(result: &Result<T, E>) -> Outcome {
    if result.is_ok() {
        Outcome::Accepted
    } else {
        Outcome::Refused
    }
}

/// Runs `property` over `strategy`, counts the cases each path took, prints
/// the share that were accepted, and fails when either path was too rare.
fn check<S: Strategy>(name: &str, strategy: S, property: impl Fn(S::Value) -> Result<Outcome, TestCaseError>) {
    let accepted = Cell::new(0usize);
    let total = Cell::new(0usize);
    let mut runner = TestRunner::new(config());
    let result = runner.run(&strategy, |value| {
        let outcome = property(value)?;
        total.set(total.get() + 1);
        if outcome == Outcome::Accepted {
            accepted.set(accepted.get() + 1);
        }
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{name}: {failure}");
    }
    let (accepted, total) = (accepted.get(), total.get());
    let share = accepted * 100 / total.max(1);
    println!("{name}: accepted {accepted} of {total} cases ({share}%)");
    assert!(total > 0, "{name}: no case ran");
    assert!(
        (MIN_SHARE_PERCENT..=100 - MIN_SHARE_PERCENT).contains(&share),
        "{name}: {share}% of cases were accepted; both paths must run in at least {MIN_SHARE_PERCENT}% of cases"
    );
}

// ------------------------------------------------------------------ strategies

/// Strings that stress parsers: any Unicode, plus the characters and words
/// our formats care about, in any mix.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9 \\-_./:%&=?#<>\"'`;()*^\\\\\u{0}\u{7}\u{202e}\u{feff}\u{200b}é中ا자贸，（]{0,120}",
        "(https?|javascript|data|file|ftp)://?[a-z0-9.\\-@:/%?#]{0,40}",
        "[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}",
        "(status|party|theme|summit|q|overdue|sort|page|x)=[a-z0-9_%+\\-]{0,20}(&(status|party|theme|summit|q|overdue|sort|page)=[a-zA-Z0-9_%+\\-]{0,20}){0,6}",
    ]
}

/// One character a parser may trip on.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            '\0', '\u{7}', '\n', '\t', ' ', '-', '/', '%', '<', '"', '\'', '&', '=', '#', '\u{202e}', '\u{feff}',
            '\u{200b}', 'A', 'é', '中', '자',
        ]),
    ]
}

/// A valid value, or one spoiled: replaced by hostile text, or with a
/// character inserted or dropped somewhere.
fn spoiled(valid: impl Strategy<Value = String> + Clone) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => valid.clone(),
        1 => hostile_text(),
        1 => (valid.clone(), any::<Index>(), hostile_char()).prop_map(|(text, at, c)| {
            let chars: Vec<char> = text.chars().collect();
            let at = at.index(chars.len() + 1);
            chars[..at].iter().chain([c].iter()).chain(chars[at..].iter()).collect()
        }),
        1 => (valid, any::<Index>()).prop_map(|(text, at)| {
            let mut chars: Vec<char> = text.chars().collect();
            if !chars.is_empty() {
                chars.remove(at.index(chars.len()));
            }
            chars.into_iter().collect()
        }),
    ]
}

fn valid_slug() -> impl Strategy<Value = String> + Clone {
    "[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,4}"
}

fn date_between(first: NaiveDate, last: NaiveDate) -> impl Strategy<Value = NaiveDate> + Clone {
    let days = (last - first).num_days();
    (0..=days).prop_map(move |n| first + chrono::Duration::days(n))
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn valid_date() -> impl Strategy<Value = String> + Clone {
    date_between(
        NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2200, 12, 31).unwrap(),
    )
    .prop_map(iso)
}

fn valid_url() -> impl Strategy<Value = String> + Clone {
    "https?://[a-z]{1,12}(\\.[a-z]{2,6}){1,2}(/[a-zA-Z0-9_\\-]{1,12}){0,3}(\\?[a-z]{1,5}=[0-9]{1,4})?"
}

/// Words with spaces inside, none at the ends.
fn valid_words(max_words: usize) -> impl Strategy<Value = String> + Clone {
    prop::collection::vec("[A-Za-z0-9éü中자,.()'’-]{1,12}", 1..=max_words).prop_map(|words| words.join(" "))
}

fn code_of<T: Copy + std::fmt::Debug + 'static>(
    all: &'static [T],
    code: fn(T) -> &'static str,
) -> impl Strategy<Value = String> + Clone {
    prop::sample::select(all.to_vec()).prop_map(move |value| code(value).to_owned())
}

// ------------------------------------------------------------------ the single parsers

#[test]
fn slugs_are_canonical_or_refused() {
    check("slugs", spoiled(valid_slug()), |input| {
        let parsed = Slug::parse(&input);
        if let Ok(slug) = &parsed {
            let text = slug.as_str();
            prop_assert!(!text.is_empty() && text.len() <= 80);
            prop_assert!(text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!text.starts_with('-') && !text.ends_with('-') && !text.contains("--"));
            prop_assert_eq!(&Slug::parse(text).unwrap(), slug);
        }
        if let Some(slug) = Slug::from_title(&input) {
            prop_assert!(
                Slug::parse(slug.as_str()).is_ok(),
                "from_title made an invalid slug {}",
                slug
            );
        }
        Ok(outcome(&parsed))
    });
}

#[test]
fn codes_parse_only_from_their_vocabulary() {
    let codes = prop_oneof![
        code_of(&Status::ALL, Status::code),
        code_of(Theme::ALL, Theme::code),
        code_of(SourceKind::ALL, SourceKind::code),
        code_of(DueBasis::ALL, DueBasis::code),
        prop::sample::select(vec!["cn".to_owned(), "kr".to_owned()]),
    ];
    check("codes", spoiled(codes), |input| {
        let mut any_accepted = false;
        if let Ok(status) = input.parse::<Status>() {
            prop_assert_eq!(status.code(), input.as_str());
            any_accepted = true;
        }
        if let Ok(theme) = input.parse::<Theme>() {
            prop_assert_eq!(theme.code(), input.as_str());
            any_accepted = true;
        }
        if let Ok(kind) = input.parse::<SourceKind>() {
            prop_assert_eq!(kind.code(), input.as_str());
            any_accepted = true;
        }
        if let Ok(basis) = input.parse::<DueBasis>() {
            prop_assert_eq!(basis.code(), input.as_str());
            any_accepted = true;
        }
        if let Ok(code) = PartyCode::parse(&input) {
            prop_assert!(code.as_str().len() == 2 && code.as_str().bytes().all(|b| b.is_ascii_lowercase()));
            any_accepted = true;
        }
        Ok(if any_accepted {
            Outcome::Accepted
        } else {
            Outcome::Refused
        })
    });
}

#[test]
fn dates_are_real_iso_dates_in_range() {
    check("dates", spoiled(valid_date()), |input| {
        let parsed = parse_date(&input);
        if let Ok(date) = parsed {
            // The typed numbers are the date's (padding is optional), and
            // the canonical form reads back as the same date.
            let numbers: Vec<u32> = input.trim().split('-').map(|n| n.parse().unwrap()).collect();
            prop_assert_eq!(
                numbers,
                vec![
                    chrono::Datelike::year(&date) as u32,
                    chrono::Datelike::month(&date),
                    chrono::Datelike::day(&date)
                ]
            );
            prop_assert_eq!(parse_date(&iso(date)), Ok(date));
            prop_assert!(date >= NaiveDate::from_ymd_opt(1900, 1, 1).unwrap());
            prop_assert!(date <= NaiveDate::from_ymd_opt(2200, 12, 31).unwrap());
        }
        Ok(outcome(&parsed))
    });
}

#[test]
fn web_addresses_are_absolute_http_or_nothing() {
    check("web addresses", spoiled(valid_url()), |input| {
        let parsed = parse_web_url(&input);
        match &parsed {
            Ok(Some(url)) => {
                prop_assert!(url.starts_with("http://") || url.starts_with("https://"), "{}", url);
                prop_assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control()));
                prop_assert!(url.len() <= MAX_URL_LEN * 3);
            }
            Ok(None) => prop_assert!(input.trim().is_empty()),
            Err(message) => prop_assert!(!message.english.is_empty() && !message.id.is_empty()),
        }
        Ok(match parsed {
            Ok(Some(_)) => Outcome::Accepted,
            _ => Outcome::Refused,
        })
    });
}

#[test]
fn accepted_text_is_trimmed_bounded_and_free_of_control_characters() {
    let inputs = (spoiled(valid_words(12)), 1usize..200, any::<bool>());
    check("free text", inputs, |(input, max, multiline)| {
        let parsed = parse_text(&input, true, max, multiline);
        if let Ok(text) = &parsed {
            prop_assert!(!text.is_empty() && text.chars().count() <= max);
            prop_assert_eq!(text.trim(), text.as_str());
            prop_assert!(text
                .chars()
                .all(|c| !c.is_control() || (multiline && (c == '\n' || c == '\t'))));
            let invisible = ['\u{202e}', '\u{feff}'];
            prop_assert!(
                !text.chars().any(|c| invisible.contains(&c)),
                "invisible formatting kept"
            );
        }
        Ok(outcome(&parsed))
    });
}

/// A list query a reader's browser could send: any mix of real filters.
fn valid_list_query() -> impl Strategy<Value = String> + Clone {
    let pair = prop_oneof![
        code_of(&Status::ALL, Status::code).prop_map(|v| format!("status={v}")),
        prop::sample::select(vec!["cn", "kr"]).prop_map(|v| format!("party={v}")),
        code_of(Theme::ALL, Theme::code).prop_map(|v| format!("theme={v}")),
        valid_slug().prop_map(|v| format!("summit={v}")),
        valid_words(3).prop_map(|v| format!(
            "q={}",
            url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
        )),
        Just("overdue=1".to_owned()),
        code_of(&SortOrder::ALL, SortOrder::code).prop_map(|v| format!("sort={v}")),
        (1u32..500).prop_map(|v| format!("page={v}")),
        Just("utm_source=newsletter".to_owned()),
    ];
    prop::collection::vec(pair, 0..5).prop_map(|pairs| pairs.join("&"))
}

#[test]
fn list_queries_round_trip_through_their_links() {
    check("list queries", spoiled(valid_list_query()), |input| {
        let (lenient, problems) = ListQuery::parse_query_string_lenient(&input);
        let parsed = ListQuery::parse_query_string(&input);
        match &parsed {
            Ok(query) => {
                prop_assert!(problems.is_empty());
                prop_assert_eq!(query, &lenient);
                let again = ListQuery::parse_query_string(&query.to_query_string()).unwrap();
                prop_assert_eq!(&again, query);
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                prop_assert!(!errors.summary().is_empty());
            }
        }
        // The lenient reading is always a valid query on its own.
        let canonical = lenient.to_query_string();
        prop_assert_eq!(ListQuery::parse_query_string(&canonical).unwrap(), lenient.clone());
        if let Some(search) = &lenient.search {
            // Only quoted terms joined by AND: nothing a reader types is FTS5 syntax.
            let fts = search.fts_query();
            let trigram = search.trigram_query();
            let short = search.short_terms_json();
            prop_assert!(
                fts.is_some() || trigram.is_some() || short.is_some(),
                "a search always narrows"
            );
            if let Some(fts) = &fts {
                for part in fts.split(" AND ") {
                    prop_assert!(
                        part == "\"\"" || (part.starts_with('"') && part.ends_with("\"*")),
                        "{}",
                        fts
                    );
                    let word = part.trim_start_matches('"').trim_end_matches('*').trim_end_matches('"');
                    prop_assert!(word.chars().all(char::is_alphanumeric), "{}", fts);
                    prop_assert!(!word.chars().any(is_cjk), "{}", fts);
                }
            }
            if let Some(trigram) = &trigram {
                for part in trigram.split(" AND ") {
                    prop_assert!(
                        part.len() > 2 && part.starts_with('"') && part.ends_with('"'),
                        "{}",
                        trigram
                    );
                    let term = &part[1..part.len() - 1];
                    prop_assert!(term.chars().all(char::is_alphanumeric), "{}", trigram);
                    prop_assert!(
                        term.chars().any(is_cjk) && term.chars().count() >= TRIGRAM_MIN_CHARS,
                        "{}",
                        trigram
                    );
                }
            }
            if let Some(short) = &short {
                let terms: Vec<String> = serde_json::from_str(short).unwrap();
                prop_assert!(!terms.is_empty());
                for term in terms {
                    prop_assert!(term.chars().all(char::is_alphanumeric), "{}", short);
                    prop_assert!(
                        term.chars().any(is_cjk) && term.chars().count() < TRIGRAM_MIN_CHARS,
                        "{}",
                        short
                    );
                }
            }
        }
        Ok(outcome(&parsed))
    });
}

// ------------------------------------------------------------------ whole forms

/// A form as fields (name, value), the valid one and which field, if any,
/// was then replaced by hostile text.
#[derive(Clone, Debug)]
struct Spoiled {
    fields: Vec<(&'static str, String)>,
    spoiled: Option<&'static str>,
}

impl Spoiled {
    fn get(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// A valid form (each field from its strategy), then, in most cases, one
/// field replaced by hostile text.
fn form_with_one_field_spoiled(
    valid: impl Strategy<Value = Vec<(&'static str, String)>>,
) -> impl Strategy<Value = Spoiled> {
    (valid, any::<Index>(), hostile_text(), 0..3u8).prop_map(|(mut fields, which, value, keep)| {
        // One case in three is left valid, so the accepting path is measured
        // on forms a person could really send.
        if keep == 0 {
            return Spoiled { fields, spoiled: None };
        }
        let at = which.index(fields.len());
        fields[at].1 = value;
        let name = fields[at].0;
        Spoiled {
            fields,
            spoiled: Some(name),
        }
    })
}

/// The refusal names only the spoiled field (under the name the form shows
/// its message by), and an unspoiled form is accepted.
fn refusal_names_the_spoiled_field(
    form: &Spoiled,
    errors: Option<&SubmittedForm>,
    message_key: impl Fn(&str) -> &str,
) -> Result<(), TestCaseError> {
    match (form.spoiled, errors) {
        (None, Some(errors)) => Err(TestCaseError::fail(format!(
            "a valid form was refused: {}",
            errors.summary()
        ))),
        (Some(field), Some(errors)) => {
            let key = message_key(field);
            prop_assert!(
                errors.errors.keys().all(|k| k == key),
                "spoiling {} was refused as {}",
                field,
                errors.summary()
            );
            prop_assert!(errors.get(key).is_some_and(|m| !m.is_empty()));
            Ok(())
        }
        (_, None) => Ok(()),
    }
}

const SUMMIT_DAY: (i32, u32, u32) = (2025, 11, 1);
const TODAY: (i32, u32, u32) = (2026, 11, 29);

fn day((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn valid_status_form() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    let statuses: Vec<String> = Status::ALL
        .iter()
        .filter(|s| **s != Status::NotFulfilled)
        .map(|s| s.code().to_owned())
        .collect();
    (
        prop::sample::select(vec!["cn".to_owned(), "kr".to_owned(), "all".to_owned()]),
        prop::sample::select(statuses),
        date_between(day(SUMMIT_DAY), day(TODAY)).prop_map(iso),
        valid_words(20),
        "[1-9][0-9]{0,5}",
        (
            valid_words(4),
            valid_words(6),
            date_between(day((2000, 1, 1)), day(TODAY)).prop_map(iso),
            prop_oneof![Just(String::new()), valid_url()],
            valid_words(30),
            code_of(SourceKind::ALL, SourceKind::code),
        ),
        (1i64..10_000).prop_map(|v| v.to_string()),
    )
        .prop_map(|(party, status, effective_on, note, source_id, source, version)| {
            let (publisher, title, dated_on, url, quote, kind) = source;
            vec![
                ("party", party),
                ("status", status),
                ("effective_on", effective_on),
                ("note", note),
                ("source_ids", source_id),
                ("source_publisher", publisher),
                ("source_title", title),
                ("source_published_on", dated_on),
                ("source_url", url),
                ("source_quote", quote),
                ("source_kind", kind),
                ("version", version),
            ]
        })
}

fn status_change_input(form: &Spoiled) -> StatusChangeInput {
    StatusChangeInput {
        party: form.get("party"),
        status: form.get("status"),
        effective_on: form.get("effective_on"),
        note: form.get("note"),
        source_ids: vec![form.get("source_ids")],
        new_source: NewSourceInput {
            publisher: form.get("source_publisher"),
            title: form.get("source_title"),
            published_on: form.get("source_published_on"),
            url: form.get("source_url"),
            quote: form.get("source_quote"),
            kind: form.get("source_kind"),
            ..NewSourceInput::default()
        },
        abandoned: false,
        version: form.get("version"),
    }
}

#[test]
fn status_forms_accept_valid_changes_and_name_the_field_they_refuse() {
    let context = StatusChangeContext {
        today: day(TODAY),
        summit_held_on: day(SUMMIT_DAY),
        due_on: None,
    };
    check(
        "status forms",
        form_with_one_field_spoiled(valid_status_form()),
        |form| {
            let input = status_change_input(&form);
            let parsed = input.parse(&context);
            if let Ok(change) = &parsed {
                prop_assert!(change.effective_on <= context.today && change.effective_on >= context.summit_held_on);
                prop_assert!(!change.note.is_empty() && change.note.chars().count() <= MAX_NOTE_LEN);
                prop_assert!(change.expected_version >= 1);
                prop_assert!(change.source_ids.iter().all(|id| *id > 0));
                let source = change.new_source.as_ref();
                prop_assert!(source.is_some(), "a new source with every field given was dropped");
                let source = source.unwrap();
                prop_assert!(source.url.as_deref().is_none_or(|u| u.starts_with("http")));
                prop_assert!(source.dated_on <= context.today);
                prop_assert!(!source.quote.is_empty() && source.quote.chars().count() <= MAX_QUOTE_LEN);
            }
            // A spoiled version makes the whole form out of date; a spoiled
            // source choice is reported under `source_ids`.
            refusal_names_the_spoiled_field(&form, parsed.as_ref().err(), |field| match field {
                "version" => "form",
                other => other,
            })?;
            Ok(outcome(&parsed))
        },
    );
}

fn valid_commitment_form() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    (
        "[A-Z][a-z]{2,12}( [a-z]{1,12}){0,8}",
        valid_words(40),
        code_of(Theme::ALL, Theme::code),
        prop::sample::select(vec!["joint".to_owned(), "cn".to_owned(), "kr".to_owned()]),
        prop::sample::select(vec!["cn".to_owned(), "kr".to_owned()]),
        prop_oneof![
            Just((String::new(), String::new(), String::new())),
            (valid_date(), code_of(DueBasis::ALL, DueBasis::code), valid_words(8))
        ],
        valid_slug(),
    )
        .prop_map(|(title, summary, theme, proposed_by, owed_by, due, summit)| {
            let (due_on, due_basis, due_note) = due;
            vec![
                ("title", title),
                ("summary", summary),
                ("theme", theme),
                ("proposed_by", proposed_by),
                ("owed_by", owed_by),
                ("due_on", due_on),
                ("due_basis", due_basis),
                ("due_note", due_note),
                ("summit", summit),
            ]
        })
}

#[test]
fn commitment_forms_accept_valid_commitments_and_name_the_field_they_refuse() {
    check(
        "commitment forms",
        form_with_one_field_spoiled(valid_commitment_form()),
        |form| {
            let input = CommitmentInput {
                title: form.get("title"),
                summary: form.get("summary"),
                theme: form.get("theme"),
                proposed_by: form.get("proposed_by"),
                owed_by: vec![form.get("owed_by")],
                due_on: form.get("due_on"),
                due_basis: form.get("due_basis"),
                due_note: form.get("due_note"),
                summit: form.get("summit"),
            };
            let parsed = input.parse();
            if let Ok(fields) = &parsed {
                prop_assert!(!fields.title.is_empty() && fields.title.chars().count() <= MAX_TITLE_LEN);
                prop_assert!(Slug::from_title(&fields.title).is_some());
                prop_assert_eq!(fields.due_on.is_some(), fields.due_basis.is_some());
                prop_assert_eq!(fields.due_on.is_some(), fields.due_note.is_some());
                prop_assert_eq!(fields.owed_by.len(), 1);
            }
            // With a due date, a due note or basis left blank by the spoiling
            // is reported under its own name; without one, a spoiled due date
            // can leave the other two unsaid.
            refusal_names_the_spoiled_field(&form, parsed.as_ref().err(), |field| field).or_else(|error| {
                let due_fields = ["due_on", "due_basis", "due_note"];
                match (form.spoiled, parsed.as_ref().err()) {
                    (Some(spoiled), Some(errors))
                        if due_fields.contains(&spoiled)
                            && errors.errors.keys().all(|k| due_fields.contains(&k.as_str())) =>
                    {
                        Ok(())
                    }
                    _ => Err(error),
                }
            })?;
            Ok(outcome(&parsed))
        },
    );
}

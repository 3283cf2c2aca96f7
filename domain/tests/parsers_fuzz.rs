//! Property-based fuzzing of every parser that reads untrusted input: slugs,
//! statuses and other codes, dates, web addresses, free text, list queries
//! and whole forms. Each property runs a fixed number of generated cases
//! (PROPTEST_CASES overrides it), so CI time is bounded; a failure prints
//! the minimal input that broke it.

use chrono::NaiveDate;
use domain::*;
use proptest::prelude::*;

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

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    ProptestConfig {
        cases,
        // Failures are printed with their minimal input; nothing is written
        // to the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn slugs_are_canonical_or_refused(input in hostile_text()) {
        if let Ok(slug) = Slug::parse(&input) {
            let text = slug.as_str();
            prop_assert!(!text.is_empty() && text.len() <= 80);
            prop_assert!(text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!text.starts_with('-') && !text.ends_with('-') && !text.contains("--"));
            prop_assert_eq!(Slug::parse(text).unwrap(), slug.clone());
        }
        if let Some(slug) = Slug::from_title(&input) {
            prop_assert!(Slug::parse(slug.as_str()).is_ok(), "from_title made an invalid slug {}", slug);
        }
    }

    #[test]
    fn codes_parse_only_from_their_vocabulary(input in hostile_text()) {
        if let Ok(status) = input.parse::<Status>() {
            prop_assert_eq!(status.code(), input.as_str());
        }
        if let Ok(theme) = input.parse::<Theme>() {
            prop_assert_eq!(theme.code(), input.as_str());
        }
        if let Ok(kind) = input.parse::<SourceKind>() {
            prop_assert_eq!(kind.code(), input.as_str());
        }
        if let Ok(basis) = input.parse::<DueBasis>() {
            prop_assert_eq!(basis.code(), input.as_str());
        }
        if let Ok(code) = PartyCode::parse(&input) {
            prop_assert!(code.as_str().len() == 2 && code.as_str().bytes().all(|b| b.is_ascii_lowercase()));
        }
    }

    #[test]
    fn dates_are_real_iso_dates_in_range(input in hostile_text()) {
        if let Ok(date) = parse_date(&input) {
            // The typed numbers are the date's (padding is optional), and
            // the canonical form reads back as the same date.
            let numbers: Vec<u32> = input.trim().split('-').map(|n| n.parse().unwrap()).collect();
            prop_assert_eq!(numbers, vec![chrono::Datelike::year(&date) as u32, chrono::Datelike::month(&date), chrono::Datelike::day(&date)]);
            prop_assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string()), Ok(date));
            prop_assert!(date >= NaiveDate::from_ymd_opt(1900, 1, 1).unwrap());
            prop_assert!(date <= NaiveDate::from_ymd_opt(2200, 12, 31).unwrap());
        }
    }

    #[test]
    fn web_addresses_are_absolute_http_or_nothing(input in hostile_text()) {
        match parse_web_url(&input) {
            Ok(Some(url)) => {
                prop_assert!(url.starts_with("http://") || url.starts_with("https://"), "{}", url);
                prop_assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control()));
                prop_assert!(url.len() <= MAX_URL_LEN * 3);
            }
            Ok(None) => prop_assert!(input.trim().is_empty()),
            Err(message) => prop_assert!(!message.english.is_empty() && !message.id.is_empty()),
        }
    }

    #[test]
    fn accepted_text_is_trimmed_bounded_and_free_of_control_characters(
        input in hostile_text(), max in 1usize..200, multiline in any::<bool>(),
    ) {
        if let Ok(text) = parse_text(&input, false, max, multiline) {
            prop_assert!(text.chars().count() <= max);
            prop_assert_eq!(text.trim(), text.as_str());
            prop_assert!(text.chars().all(|c| !c.is_control() || (multiline && (c == '\n' || c == '\t'))));
            let invisible = ['\u{202e}', '\u{feff}'];
            prop_assert!(!text.chars().any(|c| invisible.contains(&c)), "invisible formatting kept");
        }
    }

    #[test]
    fn list_queries_round_trip_through_their_links(input in hostile_text()) {
        let (lenient, problems) = ListQuery::parse_query_string_lenient(&input);
        match ListQuery::parse_query_string(&input) {
            Ok(query) => {
                prop_assert!(problems.is_empty());
                prop_assert_eq!(&query, &lenient);
                let again = ListQuery::parse_query_string(&query.to_query_string()).unwrap();
                prop_assert_eq!(again, query);
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
            prop_assert!(fts.is_some() || trigram.is_some() || short.is_some(), "a search always narrows");
            if let Some(fts) = &fts {
                for part in fts.split(" AND ") {
                    prop_assert!(part == "\"\"" || (part.starts_with('"') && part.ends_with("\"*")), "{}", fts);
                    let word = part.trim_start_matches('"').trim_end_matches('*').trim_end_matches('"');
                    prop_assert!(word.chars().all(char::is_alphanumeric), "{}", fts);
                    prop_assert!(!word.chars().any(is_cjk), "{}", fts);
                }
            }
            if let Some(trigram) = &trigram {
                for part in trigram.split(" AND ") {
                    prop_assert!(part.len() > 2 && part.starts_with('"') && part.ends_with('"'), "{}", trigram);
                    let term = &part[1..part.len() - 1];
                    prop_assert!(term.chars().all(char::is_alphanumeric), "{}", trigram);
                    prop_assert!(term.chars().any(is_cjk) && term.chars().count() >= TRIGRAM_MIN_CHARS, "{}", trigram);
                }
            }
            if let Some(short) = &short {
                let terms: Vec<String> = serde_json::from_str(short).unwrap();
                prop_assert!(!terms.is_empty());
                for term in terms {
                    prop_assert!(term.chars().all(char::is_alphanumeric), "{}", short);
                    prop_assert!(term.chars().any(is_cjk) && term.chars().count() < TRIGRAM_MIN_CHARS, "{}", short);
                }
            }
        }
    }

    #[test]
    fn status_forms_never_panic_and_accept_only_valid_changes(
        party in hostile_text(), status in hostile_text(), effective_on in hostile_text(),
        note in hostile_text(), source in hostile_text(), url in hostile_text(), version in hostile_text(),
        abandoned in any::<bool>(),
    ) {
        let input = StatusChangeInput {
            party,
            status,
            effective_on,
            note,
            source_ids: vec![source.clone()],
            new_source: NewSourceInput {
                publisher: source.clone(),
                title: source.clone(),
                published_on: "2026-01-01".into(),
                url,
                quote: source,
                kind: "media_report".into(),
                ..NewSourceInput::default()
            },
            abandoned,
            version,
        };
        let context = StatusChangeContext {
            today: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            summit_held_on: NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(),
            due_on: None,
        };
        if let Ok(change) = input.parse(&context) {
            prop_assert!(change.effective_on <= context.today && change.effective_on >= context.summit_held_on);
            prop_assert!(change.note.chars().count() <= MAX_NOTE_LEN);
            prop_assert!(change.expected_version >= 1);
            if let Some(source) = &change.new_source {
                prop_assert!(source.url.as_deref().is_none_or(|u| u.starts_with("http")));
            }
        }
    }

    #[test]
    fn commitment_forms_never_panic(
        title in hostile_text(), summary in hostile_text(), theme in hostile_text(),
        due_on in hostile_text(), due_basis in hostile_text(), summit in hostile_text(),
    ) {
        let input = CommitmentInput {
            title,
            summary,
            theme,
            proposed_by: "joint".into(),
            owed_by: vec!["cn".into()],
            due_on,
            due_basis,
            due_note: "Stated".into(),
            summit,
        };
        if let Ok(fields) = input.parse() {
            prop_assert!(fields.title.chars().count() <= MAX_TITLE_LEN);
            prop_assert!(Slug::from_title(&fields.title).is_some());
            prop_assert_eq!(fields.due_on.is_some(), fields.due_basis.is_some());
        }
    }
}

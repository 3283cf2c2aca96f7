//! What editors and readers submit, parsed into domain values. Every check
//! here runs on the server before anything is written; failures come back
//! as per-field messages together with what was typed, so a form can be
//! shown again with the input intact (with or without JavaScript).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::{DateBasis, PartyCode, SourceKind, Status, TitleBasis};

/// What is wrong with a field: the id of its words in the interface's
/// catalogue (`i18n/locales/*.ftl`), the values they name, and the English
/// words (for the JSON API and logs). The app words it in the reader's
/// language from the id; the tests check every id exists and that the
/// English catalogue says what `english` says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    /// Empty for text that is already worded for the reader.
    pub id: String,
    pub args: Vec<(String, String)>,
    pub english: String,
}

impl FieldProblem {
    /// A problem whose words take no values.
    pub fn new(id: &str, english: &str) -> FieldProblem {
        FieldProblem {
            id: id.to_owned(),
            args: Vec::new(),
            english: english.to_owned(),
        }
    }

    /// A problem whose words name values (`max`, `length`…).
    pub fn with(id: &str, english: String, args: &[(&str, String)]) -> FieldProblem {
        FieldProblem {
            id: id.to_owned(),
            args: args.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
            english,
        }
    }
}

/// Text already worded for the reader (a refusal from the store, say).
impl From<String> for FieldProblem {
    fn from(text: String) -> FieldProblem {
        FieldProblem {
            id: String::new(),
            args: Vec::new(),
            english: text,
        }
    }
}

impl From<&str> for FieldProblem {
    fn from(text: &str) -> FieldProblem {
        FieldProblem::from(text.to_owned())
    }
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english)
    }
}

/// A form as it was submitted and refused: a message per field, and the
/// values that were typed (so the form can be shown again with them), both
/// keyed by the form's field names. The key `form` holds a message about the
/// form as a whole. `errors` holds the words shown (English until the app
/// words them in the reader's language from `problems`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedForm {
    pub errors: BTreeMap<String, String>,
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub problems: BTreeMap<String, FieldProblem>,
}

impl SubmittedForm {
    pub fn add(&mut self, field: &str, message: impl Into<FieldProblem>) {
        if self.errors.contains_key(field) {
            return;
        }
        let problem = message.into();
        self.errors.insert(field.to_owned(), problem.english.clone());
        if !problem.id.is_empty() {
            self.problems.insert(field.to_owned(), problem);
        }
    }

    /// Words every message in the reader's language: `word` gets a
    /// problem's catalogue id and values.
    pub fn word_with(&mut self, word: impl Fn(&FieldProblem) -> String) {
        for (field, problem) in &self.problems {
            self.errors.insert(field.clone(), word(problem));
        }
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
    pub fn value(&self, field: &str) -> Option<&str> {
        self.values.get(field).map(String::as_str)
    }
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
    /// A one-paragraph summary for API clients and the top of the form.
    pub fn summary(&self) -> String {
        self.errors
            .iter()
            .map(|(field, message)| format!("{field}: {message}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// What was typed into a form, by field name, from the form's input struct:
/// the values a refused form is shown again with. Lists (`source_ids[]`)
/// are joined with commas; a ticked checkbox is `on`, an unticked one empty.
pub fn echo_fields<T: Serialize>(input: &T) -> BTreeMap<String, String> {
    use serde_json::Value;
    let Ok(Value::Object(fields)) = serde_json::to_value(input) else {
        return BTreeMap::new();
    };
    fields
        .into_iter()
        .map(|(name, value)| {
            let text = match value {
                Value::String(text) => text,
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (name, text)
        })
        .collect()
}

/// An HTML checkbox: ticked when the form sends any non-empty value for it,
/// not ticked when it sends nothing (browsers leave unticked boxes out).
mod checkbox {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// As a browser sends it: `on` when ticked, nothing otherwise.
    pub fn serialize<S: Serializer>(ticked: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        ticked.then_some("on").serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        let value = Option::<String>::deserialize(deserializer)?;
        Ok(value.is_some_and(|v| !v.is_empty()))
    }
}

pub const MAX_NOTE_LEN: usize = 2_000;
pub const MAX_QUOTE_LEN: usize = 4_000;
pub const MAX_SHORT_TEXT_LEN: usize = 200;
pub const MAX_URL_LEN: usize = 2_000;

/// Trims and checks a piece of text: required or not, a length limit in
/// characters, and no control characters (line breaks allowed if `multiline`).
pub fn parse_text(value: &str, required: bool, max_chars: usize, multiline: bool) -> Result<String, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        return if required {
            Err(FieldProblem::new("problem-required", "This field is required."))
        } else {
            Ok(String::new())
        };
    }
    let length = value.chars().count();
    if length > max_chars {
        return Err(FieldProblem::with(
            "problem-too-long",
            format!("At most {max_chars} characters, please (this has {length})."),
            &[("max", max_chars.to_string()), ("length", length.to_string())],
        ));
    }
    let allowed = |c: char| multiline && (c == '\n' || c == '\r' || c == '\t');
    if value
        .chars()
        .any(|c| (c.is_control() && !allowed(c)) || is_invisible_formatting(c))
    {
        return Err(FieldProblem::new(
            "problem-invisible-characters",
            "Remove the invisible control or formatting characters from this text.",
        ));
    }
    // Line breaks are stored as LF alone: a browser sends CRLF, and a lone
    // CR (old Mac or a script) would be a line break some readers ignore.
    Ok(value.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Bidirectional overrides and similar characters that can make text read
/// differently from what is stored.
fn is_invisible_formatting(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}')
}

/// A calendar date typed as YYYY-MM-DD (what `<input type="date">` sends).
pub fn parse_date(value: &str) -> Result<NaiveDate, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldProblem::new("problem-enter-date", "Enter a date."));
    }
    // Digits and hyphens only: chrono would skip white space inside the
    // date ("2026-\n03-01"), which no date input sends.
    Some(value)
        .filter(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
        .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
        .filter(|date| (1900..=2200).contains(&chrono::Datelike::year(date)))
        .ok_or_else(|| FieldProblem::new("problem-real-date", "Enter a real date as YYYY-MM-DD, e.g. 2026-03-01."))
}

/// An optional web address: only absolute http(s) URLs are accepted, so no
/// `javascript:` or `data:` link can ever be stored.
pub fn parse_web_url(value: &str) -> Result<Option<String>, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.len() > MAX_URL_LEN {
        return Err(FieldProblem::with(
            "problem-url-too-long",
            format!("A web address can be at most {MAX_URL_LEN} characters."),
            &[("max", MAX_URL_LEN.to_string())],
        ));
    }
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(Some(url.to_string())),
        Ok(_) => Err(FieldProblem::new(
            "problem-url-scheme",
            "Only http:// and https:// web addresses are accepted.",
        )),
        Err(_) => Err(FieldProblem::new(
            "problem-url-incomplete",
            "This is not a complete web address (it should start with https://).",
        )),
    }
}

/// The longest note an editor can give for a correction.
pub const MAX_CORRECTION_NOTE_LEN: usize = 1_000;

/// An editor's note saying what a correction of a source fixes; required,
/// because readers see it beside the correction.
pub fn parse_correction_note(value: &str) -> Result<String, FieldProblem> {
    parse_text(value, true, MAX_CORRECTION_NOTE_LEN, true).map_err(|problem| {
        if value.trim().is_empty() {
            FieldProblem::new(
                "problem-correction-needs-note",
                "Say what was wrong: readers see this note beside the correction.",
            )
        } else {
            problem
        }
    })
}

/// A new source typed into a form: what its first version says.
pub type NewSource = super::SourceText;

/// The raw fields of a new-source block (all strings, as a form sends them),
/// under the forms' field names (`source_publisher`…). A missing field is
/// empty, and is refused as such by `parse`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewSourceInput {
    #[serde(rename = "source_publisher")]
    pub publisher: String,
    #[serde(rename = "source_title")]
    pub title: String,
    #[serde(rename = "source_published_on")]
    pub published_on: String,
    #[serde(rename = "source_url")]
    pub url: String,
    #[serde(rename = "source_quote")]
    pub quote: String,
    #[serde(rename = "source_kind")]
    pub kind: String,
    /// A BCP 47 tag; blank means English.
    #[serde(rename = "source_language")]
    pub language: String,
    /// The document that carried the passage (needed when the date is the
    /// date it was reported, not the source's own).
    #[serde(rename = "source_via")]
    pub via: String,
    /// `published` (blank) or `reported`.
    #[serde(rename = "source_date_basis")]
    pub date_basis: String,
    /// `headline` or `description` (blank).
    #[serde(rename = "source_title_basis")]
    pub title_basis: String,
}

impl NewSourceInput {
    pub fn is_blank(&self) -> bool {
        [
            &self.publisher,
            &self.title,
            &self.published_on,
            &self.url,
            &self.quote,
            &self.via,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }

    /// Parses the block; field names are prefixed (e.g. `source_publisher`).
    pub fn parse(&self, prefix: &str, today: NaiveDate, errors: &mut SubmittedForm) -> Option<NewSource> {
        let field = |name: &str| format!("{prefix}{name}");
        let mut ok = true;
        let mut check = |name: &str, result: Result<String, FieldProblem>| match result {
            Ok(value) => value,
            Err(message) => {
                errors.add(&field(name), message);
                ok = false;
                String::new()
            }
        };
        let publisher = check(
            "publisher",
            parse_text(&self.publisher, true, MAX_SHORT_TEXT_LEN, false),
        );
        let title = check("title", parse_text(&self.title, true, MAX_SHORT_TEXT_LEN, false));
        let quote = check("quote", parse_text(&self.quote, true, MAX_QUOTE_LEN, true));
        let via = check("via", parse_text(&self.via, false, MAX_SHORT_TEXT_LEN, false));
        let published_on = match parse_date(&self.published_on) {
            Ok(date) if date > today => {
                errors.add(
                    &field("published_on"),
                    FieldProblem::new(
                        "problem-source-in-future",
                        "A source cannot be published in the future.",
                    ),
                );
                None
            }
            Ok(date) => Some(date),
            Err(message) => {
                errors.add(&field("published_on"), message);
                None
            }
        };
        let url = parse_web_url(&self.url)
            .map_err(|message| errors.add(&field("url"), message))
            .ok();
        let kind = self
            .kind
            .parse::<SourceKind>()
            .map_err(|_| {
                errors.add(
                    &field("kind"),
                    FieldProblem::new("problem-choose-source-kind", "Choose what kind of source this is."),
                )
            })
            .ok();
        let language = match self.language.trim() {
            "" => Some(super::LanguageTag::english()),
            tag => super::LanguageTag::parse(tag)
                .map_err(|_| {
                    errors.add(
                        &field("language"),
                        FieldProblem::new(
                            "problem-choose-source-language",
                            "Choose the language the source was published in.",
                        ),
                    )
                })
                .ok(),
        };
        let date_basis = match self.date_basis.trim() {
            "" => Some(DateBasis::Published),
            code => code
                .parse::<DateBasis>()
                .map_err(|_| {
                    errors.add(
                        &field("date_basis"),
                        FieldProblem::new("problem-choose-date-basis", "Say what the date is."),
                    )
                })
                .ok(),
        };
        if date_basis == Some(DateBasis::Reported) && via.trim().is_empty() {
            errors.add(
                &field("via"),
                FieldProblem::new(
                    "problem-reported-needs-via",
                    "The source gives no date of its own: say where it was reported.",
                ),
            );
            return None;
        }
        // Unsaid, a title is not claimed to be the outlet's headline.
        let title_basis = match self.title_basis.trim() {
            "" => Some(TitleBasis::Description),
            code => code
                .parse::<TitleBasis>()
                .map_err(|_| {
                    errors.add(
                        &field("title_basis"),
                        FieldProblem::new(
                            "problem-choose-title-basis",
                            "Say whether the title is the outlet's headline or a description.",
                        ),
                    )
                })
                .ok(),
        };
        match (ok, published_on, url, kind, language, date_basis, title_basis) {
            (true, Some(dated_on), Some(url), Some(kind), Some(language), Some(date_basis), Some(title_basis)) => {
                Some(NewSource {
                    publisher,
                    via: (!via.is_empty()).then_some(via),
                    title,
                    title_basis,
                    dated_on,
                    date_basis,
                    url,
                    quote,
                    kind,
                    language,
                })
            }
            _ => None,
        }
    }
}

/// Which owing parties a status change is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartyChoice {
    One(PartyCode),
    AllOwing,
}

/// The raw fields of the "Update status" form, as the form names them; the
/// server function deserialises the form post into it. A missing field is
/// empty, and is refused as such by `parse`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatusChangeInput {
    pub party: String,
    pub status: String,
    pub effective_on: String,
    pub note: String,
    /// `source_ids[]` in the form.
    pub source_ids: Vec<String>,
    #[serde(flatten)]
    pub new_source: NewSourceInput,
    /// Ticked when a source says the commitment was abandoned; required to
    /// mark it Not fulfilled before its due date.
    #[serde(with = "checkbox")]
    pub abandoned: bool,
    /// The commitment version the form was loaded at.
    pub version: String,
}

/// A validated status change, ready for the database (which still checks
/// that the parties owe the commitment and the sources exist).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub parties: PartyChoice,
    pub status: Status,
    pub effective_on: NaiveDate,
    pub note: String,
    pub source_ids: Vec<i64>,
    pub new_source: Option<NewSource>,
    pub expected_version: i64,
}

/// What the server knows about the commitment when checking a change.
pub struct StatusChangeContext {
    pub today: NaiveDate,
    pub summit_held_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
}

impl StatusChangeInput {
    /// The submitted values, to show the form again after a refusal.
    pub fn echo(&self) -> BTreeMap<String, String> {
        echo_fields(self)
    }

    pub fn parse(&self, context: &StatusChangeContext) -> Result<StatusChange, SubmittedForm> {
        let mut errors = SubmittedForm {
            values: self.echo(),
            ..SubmittedForm::default()
        };

        let parties = match self.party.trim() {
            "all" => Some(PartyChoice::AllOwing),
            code => match PartyCode::parse(code) {
                Ok(code) => Some(PartyChoice::One(code)),
                Err(_) => {
                    errors.add(
                        "party",
                        FieldProblem::new("problem-choose-party", "Choose whose status changed."),
                    );
                    None
                }
            },
        };
        let status = self
            .status
            .parse::<Status>()
            .map_err(|_| {
                errors.add(
                    "status",
                    FieldProblem::new("problem-choose-status", "Choose a status from the list."),
                )
            })
            .ok();
        let effective_on = match parse_date(&self.effective_on) {
            Ok(date) if date > context.today => {
                errors.add(
                    "effective_on",
                    FieldProblem::new(
                        "problem-change-in-future",
                        "The change cannot take effect in the future.",
                    ),
                );
                None
            }
            Ok(date) if date < context.summit_held_on => {
                errors.add(
                    "effective_on",
                    FieldProblem::new(
                        "problem-change-before-summit",
                        "The change cannot take effect before the summit.",
                    ),
                );
                None
            }
            Ok(date) => Some(date),
            Err(message) => {
                errors.add("effective_on", message);
                None
            }
        };
        let note = parse_text(&self.note, true, MAX_NOTE_LEN, true)
            .map_err(|m| errors.add("note", m))
            .ok();

        let mut source_ids = Vec::new();
        for id in self.source_ids.iter().filter(|id| !id.trim().is_empty()) {
            match id.trim().parse::<i64>() {
                Ok(id) if id > 0 => source_ids.push(id),
                _ => errors.add(
                    "source_ids",
                    FieldProblem::new(
                        "problem-source-choice-invalid",
                        "One of the chosen sources is not valid; choose again.",
                    ),
                ),
            }
        }
        source_ids.sort_unstable();
        source_ids.dedup();
        let new_source = if self.new_source.is_blank() {
            None
        } else {
            self.new_source.parse("source_", context.today, &mut errors)
        };
        if source_ids.is_empty() && self.new_source.is_blank() {
            errors.add(
                "source_ids",
                FieldProblem::new(
                    "problem-needs-evidence",
                    "A status change needs evidence: choose a source or add a new one.",
                ),
            );
        }

        // Fact-checkers' rule: a pledge is not broken before it falls due,
        // unless a source says it was abandoned.
        if let (Some(Status::NotFulfilled), Some(effective_on)) = (status, effective_on) {
            let due_passed = context.due_on.is_some_and(|due| effective_on > due);
            if !due_passed && !self.abandoned {
                errors.add(
                    "status",
                    FieldProblem::new(
                        "problem-not-fulfilled-too-early",
                        "Not fulfilled can only be used after the due date, or when a source says the commitment was abandoned (tick the box).",
                    ),
                );
            }
        }

        let expected_version = self.version.trim().parse::<i64>().ok().filter(|v| *v > 0);
        if expected_version.is_none() {
            errors.add(
                "form",
                FieldProblem::new(
                    "form-out-of-date",
                    "This form is out of date; reload the page and try again.",
                ),
            );
        }

        match (errors.is_empty(), parties, status, effective_on, note, expected_version) {
            (true, Some(parties), Some(status), Some(effective_on), Some(note), Some(expected_version)) => {
                Ok(StatusChange {
                    parties,
                    status,
                    effective_on,
                    note,
                    source_ids,
                    new_source,
                    expected_version,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_form_is_echoed_under_the_forms_own_field_names() {
        let input = StatusChangeInput {
            party: "kr".into(),
            note: "A note".into(),
            source_ids: vec!["3".into(), "7".into()],
            new_source: NewSourceInput {
                publisher: "Yonhap".into(),
                ..NewSourceInput::default()
            },
            abandoned: true,
            ..StatusChangeInput::default()
        };
        let echo = input.echo();
        assert_eq!(echo.get("party").map(String::as_str), Some("kr"));
        assert_eq!(echo.get("source_ids").map(String::as_str), Some("3,7"));
        assert_eq!(echo.get("source_publisher").map(String::as_str), Some("Yonhap"));
        assert_eq!(echo.get("abandoned").map(String::as_str), Some("on"));
        assert!(!echo.contains_key("new_source") && !echo.contains_key("publisher"));
        let unticked = StatusChangeInput::default().echo();
        assert_eq!(unticked.get("abandoned").map(String::as_str), Some(""));
        let suggestion = SuggestionInput {
            website: "http://spam.example".into(),
            contact: "me@example.org".into(),
            ..SuggestionInput::default()
        };
        let echo = suggestion.echo();
        assert_eq!(echo.get("contact").map(String::as_str), Some("me@example.org"));
        assert!(!echo.contains_key("website"), "the honeypot is never echoed");
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn context() -> StatusChangeContext {
        StatusChangeContext {
            today: day("2026-11-29"),
            summit_held_on: day("2025-11-01"),
            due_on: Some(day("2026-12-31")),
        }
    }

    fn good() -> StatusChangeInput {
        StatusChangeInput {
            party: "kr".into(),
            status: "in_progress".into(),
            effective_on: "2026-03-01".into(),
            note: "Talks resumed.".into(),
            source_ids: vec!["3".into(), "3".into(), "".into()],
            new_source: NewSourceInput::default(),
            abandoned: false,
            version: "4".into(),
        }
    }

    #[test]
    fn a_complete_change_parses() {
        let change = good().parse(&context()).unwrap();
        assert_eq!(change.parties, PartyChoice::One(PartyCode::parse("kr").unwrap()));
        assert_eq!(change.status, Status::InProgress);
        assert_eq!(change.source_ids, vec![3]);
        assert_eq!(change.expected_version, 4);
        assert_eq!(change.new_source, None);
    }

    #[test]
    fn a_change_without_evidence_is_refused() {
        let mut input = good();
        input.source_ids.clear();
        let errors = input.parse(&context()).unwrap_err();
        assert!(errors.get("source_ids").unwrap().contains("needs evidence"));
        assert_eq!(errors.value("note"), Some("Talks resumed."), "input is kept");
    }

    #[test]
    fn a_new_source_counts_as_evidence_and_is_validated() {
        let mut input = good();
        input.source_ids.clear();
        input.new_source = NewSourceInput {
            publisher: "Yonhap".into(),
            title: "Talks resume".into(),
            published_on: "2026-03-01".into(),
            url: "javascript:alert(1)".into(),
            quote: "They met.".into(),
            kind: "media_report".into(),
            ..NewSourceInput::default()
        };
        let errors = input.clone().parse(&context()).unwrap_err();
        assert_eq!(
            errors.get("source_url"),
            Some("Only http:// and https:// web addresses are accepted.")
        );
        input.new_source.url = "https://example.org/a".into();
        let change = input.parse(&context()).unwrap();
        assert_eq!(change.new_source.unwrap().url.as_deref(), Some("https://example.org/a"));
    }

    #[test]
    fn every_field_is_checked_at_once() {
        let input = StatusChangeInput {
            party: "xx1".into(),
            status: "no_action".into(),
            effective_on: "2026-02-30".into(),
            note: "   ".into(),
            source_ids: vec!["-1".into()],
            new_source: NewSourceInput::default(),
            abandoned: false,
            version: "".into(),
        };
        let errors = input.parse(&context()).unwrap_err();
        for field in ["party", "status", "effective_on", "note", "source_ids", "form"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn dates_must_fall_between_the_summit_and_today() {
        let mut input = good();
        input.effective_on = "2027-01-01".into();
        assert!(input
            .parse(&context())
            .unwrap_err()
            .get("effective_on")
            .unwrap()
            .contains("future"));
        input.effective_on = "2025-10-31".into();
        assert!(input
            .parse(&context())
            .unwrap_err()
            .get("effective_on")
            .unwrap()
            .contains("before the summit"));
    }

    #[test]
    fn not_fulfilled_needs_the_due_date_passed_or_an_abandonment_source() {
        let mut input = good();
        input.status = "not_fulfilled".into();
        assert!(input.parse(&context()).unwrap_err().get("status").is_some());
        input.abandoned = true;
        assert!(input.parse(&context()).is_ok());
        let mut overdue = context();
        overdue.due_on = Some(day("2026-01-31"));
        let mut late = good();
        late.status = "not_fulfilled".into();
        assert!(late.parse(&overdue).is_ok());
    }

    #[test]
    fn text_rules() {
        assert_eq!(parse_text("  a  ", true, 5, false), Ok("a".into()));
        assert!(parse_text("", true, 5, false).is_err());
        assert_eq!(parse_text("", false, 5, false), Ok(String::new()));
        assert!(parse_text("abcdef", true, 5, false)
            .unwrap_err()
            .english
            .contains("this has 6"));
        assert!(parse_text("a\u{0}b", true, 5, false).is_err());
        assert!(parse_text("a\nb", true, 5, false).is_err());
        assert_eq!(parse_text("a\r\nb", true, 5, true), Ok("a\nb".into()));
        assert!(parse_text("abc\u{202E}d", true, 9, false).is_err());
        assert_eq!(parse_text("中韩 합의", true, 5, false), Ok("中韩 합의".into()));
    }

    #[test]
    fn url_and_date_rules() {
        assert_eq!(parse_web_url(""), Ok(None));
        assert!(parse_web_url("ftp://x.org").is_err());
        assert!(parse_web_url("data:text/html,x").is_err());
        assert!(parse_web_url("example.org").is_err());
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("01/03/2026").is_err());
        assert!(parse_date("0001-01-01").is_err());
        assert_eq!(parse_date(" 2026-03-01 "), Ok(day("2026-03-01")));
    }
}

pub const MAX_TITLE_LEN: usize = 160;
pub const MAX_SUMMARY_LEN: usize = 2_000;

/// The raw fields of the new/edit commitment form, as the form names them.
/// A missing field is empty, and is refused as such by `parse`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommitmentInput {
    pub title: String,
    pub summary: String,
    pub theme: String,
    pub proposed_by: String,
    /// `owed_by[]` in the form.
    pub owed_by: Vec<String>,
    pub due_on: String,
    /// `explicit` or `inferred`; required with a due date.
    pub due_basis: String,
    pub due_note: String,
    pub summit: String,
}

/// A validated commitment, as the new and edit forms save it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentFields {
    pub title: String,
    pub summary: String,
    pub theme: super::Theme,
    /// `None`: put forward jointly.
    pub proposed_by: Option<PartyCode>,
    pub owed_by: Vec<PartyCode>,
    pub due_on: Option<NaiveDate>,
    /// Set exactly when `due_on` is.
    pub due_basis: Option<super::DueBasis>,
    pub due_note: Option<String>,
    pub summit: super::Slug,
}

impl CommitmentInput {
    pub fn echo(&self) -> BTreeMap<String, String> {
        echo_fields(self)
    }

    pub fn parse(&self) -> Result<CommitmentFields, SubmittedForm> {
        let mut errors = SubmittedForm {
            values: self.echo(),
            ..SubmittedForm::default()
        };
        let title = parse_text(&self.title, true, MAX_TITLE_LEN, false)
            .map_err(|m| errors.add("title", m))
            .ok();
        if title.as_deref().is_some_and(|t| super::Slug::from_title(t).is_none()) {
            errors.add(
                "title",
                FieldProblem::new(
                    "problem-title-needs-latin",
                    "The title needs some Latin letters or digits, so it can have a web address.",
                ),
            );
        }
        let summary = parse_text(&self.summary, true, MAX_SUMMARY_LEN, true)
            .map_err(|m| errors.add("summary", m))
            .ok();
        let theme = self
            .theme
            .parse::<super::Theme>()
            .map_err(|_| errors.add("theme", FieldProblem::new("problem-choose-theme", "Choose a theme.")))
            .ok();
        let proposed_by = match self.proposed_by.as_str() {
            "joint" => Some(None),
            code => PartyCode::parse(code)
                .map(Some)
                .map_err(|_| {
                    errors.add(
                        "proposed_by",
                        FieldProblem::new("problem-choose-proposer", "Choose who proposed it."),
                    )
                })
                .ok(),
        };
        let mut owed_by = Vec::new();
        for code in &self.owed_by {
            match PartyCode::parse(code) {
                Ok(code) if !owed_by.contains(&code) => owed_by.push(code),
                Ok(_) => {}
                Err(_) => errors.add(
                    "owed_by",
                    FieldProblem::new("refusal-unknown-party", "Choose among the listed parties."),
                ),
            }
        }
        if owed_by.is_empty() {
            errors.add(
                "owed_by",
                FieldProblem::new(
                    "problem-choose-owing-party",
                    "Choose at least one party that owes this commitment.",
                ),
            );
        }
        let due_on = if self.due_on.trim().is_empty() {
            Some(None)
        } else {
            parse_date(&self.due_on)
                .map(Some)
                .map_err(|m| errors.add("due_on", m))
                .ok()
        };
        let due_note = parse_text(&self.due_note, false, MAX_SHORT_TEXT_LEN * 2, false)
            .map_err(|m| errors.add("due_note", m))
            .ok();
        let due_basis = match self.due_basis.trim() {
            "" => None,
            code => match code.parse::<super::DueBasis>() {
                Ok(basis) => Some(basis),
                Err(_) => {
                    errors.add(
                        "due_basis",
                        FieldProblem::new(
                            "problem-choose-due-basis",
                            "Choose whether the date is stated in a source or inferred.",
                        ),
                    );
                    None
                }
            },
        };
        if let (Some(Some(_)), Some(note)) = (&due_on, &due_note) {
            if note.is_empty() {
                errors.add(
                    "due_note",
                    FieldProblem::new(
                        "problem-due-note-needed",
                        "Say where the due date comes from (e.g. “Stated in the joint statement”).",
                    ),
                );
            }
            if due_basis.is_none() {
                errors.add(
                    "due_basis",
                    FieldProblem::new(
                        "problem-choose-due-basis",
                        "Choose whether the date is stated in a source or inferred.",
                    ),
                );
            }
        }
        let summit = super::Slug::parse(self.summit.trim())
            .map_err(|_| errors.add("summit", FieldProblem::new("problem-choose-summit", "Choose a summit.")))
            .ok();
        match (
            errors.is_empty(),
            title,
            summary,
            theme,
            proposed_by,
            due_on,
            due_note,
            summit,
        ) {
            (
                true,
                Some(title),
                Some(summary),
                Some(theme),
                Some(proposed_by),
                Some(due_on),
                Some(due_note),
                Some(summit),
            ) => Ok(CommitmentFields {
                title,
                summary,
                theme,
                proposed_by,
                owed_by,
                due_note: due_on.and(Some(due_note)),
                due_basis: due_on.and(due_basis),
                due_on,
                summit,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod commitment_form_tests {
    use super::*;

    fn good() -> CommitmentInput {
        CommitmentInput {
            title: "Resume ferry routes".into(),
            summary: "Both sides said so.".into(),
            theme: "people_to_people".into(),
            proposed_by: "joint".into(),
            owed_by: vec!["cn".into(), "kr".into(), "kr".into()],
            due_on: "".into(),
            due_basis: "".into(),
            due_note: "".into(),
            summit: "xi-lee-2025-11-01".into(),
        }
    }

    #[test]
    fn a_complete_commitment_parses() {
        let fields = good().parse().unwrap();
        assert_eq!(fields.proposed_by, None);
        assert_eq!(fields.owed_by.len(), 2);
        assert_eq!((fields.due_on, fields.due_note), (None, None));
    }

    #[test]
    fn a_due_date_needs_its_basis_and_reason() {
        let mut input = good();
        input.due_on = "2026-12-31".into();
        let errors = input.parse().unwrap_err();
        assert!(errors.get("due_note").is_some());
        assert!(errors.get("due_basis").is_some());
        input.due_note = "Stated by both leaders".into();
        input.due_basis = "sometime".into();
        assert!(input.parse().unwrap_err().get("due_basis").is_some());
        input.due_basis = "explicit".into();
        let fields = input.parse().unwrap();
        assert_eq!(fields.due_note.as_deref(), Some("Stated by both leaders"));
        assert_eq!(fields.due_basis, Some(crate::DueBasis::Explicit));
        // Without a date, basis and note are dropped rather than stored alone.
        input.due_on = String::new();
        let fields = input.parse().unwrap();
        assert_eq!((fields.due_basis, fields.due_note), (None, None));
    }

    #[test]
    fn every_field_is_checked() {
        let input = CommitmentInput {
            title: "中韩".into(),
            owed_by: vec!["xx1".into()],
            ..CommitmentInput::default()
        };
        let errors = input.parse().unwrap_err();
        for field in ["title", "summary", "theme", "proposed_by", "owed_by", "summit"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
    }
}

pub const MAX_CONTACT_LEN: usize = 200;

/// A reader's suggested status update: a status change with a required new
/// source, an optional contact, and a honeypot field people never see.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SuggestionInput {
    #[serde(flatten)]
    pub change: StatusChangeInput,
    pub contact: String,
    /// Hidden from people by CSS; bots that fill every field fill it.
    pub website: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub parties: PartyChoice,
    pub status: Status,
    pub effective_on: NaiveDate,
    pub note: String,
    pub source: NewSource,
    pub contact: Option<String>,
}

impl SuggestionInput {
    /// What was typed, but the honeypot: a person never sees it, and a bot
    /// is not shown what it filled in.
    pub fn echo(&self) -> BTreeMap<String, String> {
        let mut values = echo_fields(self);
        values.remove("website");
        values
    }

    /// `Ok(None)` for a bot (honeypot filled): accept silently, store nothing.
    pub fn parse(&self, context: &StatusChangeContext) -> Result<Option<Suggestion>, SubmittedForm> {
        if !self.website.trim().is_empty() {
            return Ok(None);
        }
        // Readers cite a new source only, and cannot claim abandonment:
        // whatever a crafted post says for those fields is ignored.
        let mut change = self.change.clone();
        change.version = "1".into();
        change.source_ids.clear();
        change.abandoned = false;
        let contact = parse_text(&self.contact, false, MAX_CONTACT_LEN, false);
        let parsed = change.parse(context);
        let mut errors = match &parsed {
            Ok(_) => SubmittedForm {
                values: self.echo(),
                ..SubmittedForm::default()
            },
            Err(errors) => SubmittedForm {
                errors: errors.errors.clone(),
                values: self.echo(),
                problems: errors.problems.clone(),
            },
        };
        if change.new_source.is_blank() {
            errors.errors.remove("source_ids");
            errors.problems.remove("source_ids");
            errors.add(
                "source_publisher",
                FieldProblem::new(
                    "problem-suggestion-needs-source",
                    "A suggestion needs a source: who published the evidence?",
                ),
            );
            errors.add(
                "source_quote",
                FieldProblem::new(
                    "problem-suggestion-needs-quote",
                    "Quote the passage that supports the suggestion.",
                ),
            );
        }
        if let Err(message) = &contact {
            errors.add("contact", message.clone());
        }
        match (errors.is_empty(), parsed, contact) {
            (true, Ok(change), Ok(contact)) => Ok(Some(Suggestion {
                parties: change.parties,
                status: change.status,
                effective_on: change.effective_on,
                note: change.note,
                source: change.new_source.expect("checked above: the source is not blank"),
                contact: Some(contact).filter(|c| !c.is_empty()),
            })),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod suggestion_tests {
    use super::*;

    fn context() -> StatusChangeContext {
        let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        StatusChangeContext {
            today: day("2026-11-29"),
            summit_held_on: day("2025-11-01"),
            due_on: None,
        }
    }

    fn input() -> SuggestionInput {
        SuggestionInput {
            change: StatusChangeInput {
                party: "all".into(),
                status: "in_progress".into(),
                effective_on: "2026-05-01".into(),
                note: "Talks began.".into(),
                new_source: NewSourceInput {
                    publisher: "Yonhap".into(),
                    title: "Talks".into(),
                    published_on: "2026-05-01".into(),
                    url: "".into(),
                    quote: "Talks began.".into(),
                    kind: "media_report".into(),
                    ..NewSourceInput::default()
                },
                ..StatusChangeInput::default()
            },
            contact: " reader@example.org ".into(),
            website: String::new(),
        }
    }

    #[test]
    fn a_suggestion_needs_a_source_and_keeps_the_contact() {
        let parsed = input().parse(&context()).unwrap().unwrap();
        assert_eq!(parsed.contact.as_deref(), Some("reader@example.org"));
        let mut no_source = input();
        no_source.change.new_source = NewSourceInput::default();
        let errors = no_source.parse(&context()).unwrap_err();
        assert!(errors.get("source_publisher").is_some() && errors.get("source_quote").is_some());
        assert_eq!(errors.value("note"), Some("Talks began."));
    }

    #[test]
    fn the_honeypot_drops_the_suggestion_silently() {
        let mut bot = input();
        bot.website = "http://spam.example".into();
        assert_eq!(bot.parse(&context()), Ok(None));
    }
}

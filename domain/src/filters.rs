//! What a reader asks of the list: filters, free-text search, sort order and
//! page, parsed from (and written back to) the URL query so that every view is
//! a link that can be shared.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::{FieldProblem, PartyCode, Slug, Status, SubmittedForm, Theme, UnknownCode};

/// Search text longer than this is refused rather than silently cut.
pub const MAX_SEARCH_LEN: usize = 200;
/// More terms than this add nothing but cost.
pub const MAX_SEARCH_TERMS: usize = 12;

/// How many one- or two-character CJK words of a search count (the rest
/// are ignored): each is looked up through every occurrence of its trigrams.
pub const MAX_SHORT_CJK_TERMS: usize = 3;
/// Commitments per page on the site.
pub const PAGE_SIZE: u32 = 50;
/// The largest page an API client may ask for.
pub const MAX_PER_PAGE: u32 = 200;

/// How the list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SortOrder {
    /// Newest summit first, then in the order the summit record gives them.
    #[default]
    Summit,
    /// Most recent status change first.
    LastChange,
    /// Soonest due date first; items without one last.
    Due,
    /// Alphabetical by title.
    Title,
}

impl SortOrder {
    pub const ALL: [SortOrder; 4] = [
        SortOrder::Summit,
        SortOrder::LastChange,
        SortOrder::Due,
        SortOrder::Title,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SortOrder::Summit => "summit",
            SortOrder::LastChange => "last_change",
            SortOrder::Due => "due",
            SortOrder::Title => "title",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortOrder::Summit => "Summit order",
            SortOrder::LastChange => "Last status change",
            SortOrder::Due => "Due date",
            SortOrder::Title => "Title",
        }
    }
}

impl FromStr for SortOrder {
    type Err = UnknownCode;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        SortOrder::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| UnknownCode {
                what: "sort order",
                value: code.to_owned(),
            })
    }
}

/// Where a page of the list starts or ends: one commitment's place in the
/// view's order, written into the pager's links (`after=` / `before=`), so
/// that a link always means "the page after (or before) this commitment in
/// this order", however many commitments are added or removed elsewhere,
/// and the store seeks to it in the sort order's index instead of skipping
/// rows (keyset paging).
///
/// Written `{id}.{position}.{summit date}` and, for the orders with a key
/// of their own, `.{lead}`: the last change or due date (`none` when there
/// is none) or the title (the rest of the value, dots and all). These are
/// the parts of the order's sort key, id last, so the order is total.
///
/// Any value of this shape is a place in every order (what the API's
/// OpenAPI document declares): the dates are digits compared as the index
/// compares them, not calendar dates, and a lead that is not a date of a
/// date order, or is missing, sorts as the store says (`lead`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ListCursor {
    pub id: i64,
    /// The commitment's position in its summit's record.
    pub position: i64,
    /// Its summit's date as the number YYYYMMDD.
    pub summit_day: u32,
    /// The sort order's own leading key, as written.
    pub lead: Option<String>,
}

/// A lead longer than this is not a title a commitment has.
pub const MAX_CURSOR_LEAD_LEN: usize = 1_000;

/// `YYYY-MM-DD` in digits, as the number YYYYMMDD.
pub fn day_digits(text: &str) -> Option<u32> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    shape.then(|| text.replace('-', "").parse().ok()).flatten()
}

impl ListCursor {
    /// Reads a cursor; `None` for anything that is not one.
    pub fn parse(text: &str) -> Option<ListCursor> {
        let mut parts = text.splitn(4, '.');
        let id = parts.next()?;
        let position = parts.next()?;
        // Digits only (no sign), at most 18, so they fit an i64.
        let number = |digits: &str| {
            (!digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse::<i64>().ok())
                .flatten()
        };
        let id = number(id).filter(|id| *id > 0)?;
        let position = number(position)?;
        let summit_day = day_digits(parts.next()?)?;
        let lead = match parts.next() {
            None => None,
            Some(lead) if lead.chars().count() <= MAX_CURSOR_LEAD_LEN && !lead.chars().any(char::is_control) => {
                Some(lead.to_owned())
            }
            Some(_) => return None,
        };
        Some(ListCursor {
            id,
            position,
            summit_day,
            lead,
        })
    }

    /// The cursor of a commitment in a view sorted by `sort`.
    pub fn of(
        sort: SortOrder,
        id: i64,
        position: i64,
        summit_held_on: NaiveDate,
        last_changed_on: Option<NaiveDate>,
        due_on: Option<NaiveDate>,
        title: &str,
    ) -> ListCursor {
        let day = |day: Option<NaiveDate>| day.map_or_else(|| "none".to_owned(), |d| d.format("%Y-%m-%d").to_string());
        let lead = match sort {
            SortOrder::Summit => None,
            SortOrder::LastChange => Some(day(last_changed_on)),
            SortOrder::Due => Some(day(due_on)),
            SortOrder::Title => Some(title.to_owned()),
        };
        ListCursor {
            id,
            position,
            summit_day: yyyymmdd(summit_held_on),
            lead,
        }
    }
}

/// A date as the number YYYYMMDD.
pub fn yyyymmdd(day: NaiveDate) -> u32 {
    u32::try_from(day.year()).unwrap_or(0) * 10_000 + day.month() * 100 + day.day()
}

impl fmt::Display for ListCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = self.summit_day;
        write!(
            f,
            "{}.{}.{:04}-{:02}-{:02}",
            self.id,
            self.position,
            day / 10_000,
            day / 100 % 100,
            day % 100
        )?;
        match &self.lead {
            Some(lead) => write!(f, ".{lead}"),
            None => Ok(()),
        }
    }
}

/// Which page of a view: the first (no cursor), the page after or before a
/// commitment, or the last.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PageCursor {
    After(ListCursor),
    Before(ListCursor),
    /// `before=end`: the last page.
    Last,
}

/// Free text as the reader typed it, reduced to the terms the search indexes
/// know. Every term is quoted, so no character a reader types can be read as
/// FTS5 query syntax.
///
/// Terms go one of three ways (docs/ARCHITECTURE.md, "Search in every
/// language"):
/// - a term without CJK characters (`fraud`, `G20`) is a word of the word
///   index, matched as a prefix (`"fraud"*`), as search always worked;
/// - a term with a CJK character and at least three characters (`自贸协定`,
///   `협정을`) is a phrase of the trigram index, so it is found anywhere in
///   the text, inside a longer run of Han characters or with a Korean
///   particle attached;
/// - a shorter one (`自贸`, `협정`, `港`) cannot be a trigram query: it is
///   found as a substring all the same, through the trigrams of the index
///   that start with it (the store does this).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchText {
    text: String,
    terms: Vec<String>,
}

/// A CJK term shorter than this is looked for as a substring: the trigram
/// index matches only terms of at least three characters.
pub const TRIGRAM_MIN_CHARS: usize = 3;

/// The blocks of the scripts written without spaces between words (Han,
/// kana) or with particles attached to them (Hangul), as inclusive ranges.
/// The migration `20251205000000_search_every_language.sql` names the same
/// ranges in `search_cjk_glob`, which decides what text the trigram index
/// holds; a store test checks that the two agree.
pub const CJK_RANGES: [(char, char); 10] = [
    ('\u{1100}', '\u{11FF}'),   // Hangul Jamo
    ('\u{2E80}', '\u{2FDF}'),   // CJK and Kangxi radicals
    ('\u{3000}', '\u{31FF}'),   // CJK symbols (々, 〇), kana, bopomofo, Hangul compatibility jamo
    ('\u{3400}', '\u{4DBF}'),   // CJK unified ideographs extension A
    ('\u{4E00}', '\u{9FFF}'),   // CJK unified ideographs
    ('\u{A960}', '\u{A97F}'),   // Hangul Jamo extended A
    ('\u{AC00}', '\u{D7FF}'),   // Hangul syllables, Hangul Jamo extended B
    ('\u{F900}', '\u{FAFF}'),   // CJK compatibility ideographs
    ('\u{FF00}', '\u{FFEF}'),   // full-width forms, half-width kana and Hangul
    ('\u{20000}', '\u{3FFFF}'), // ideographs of planes 2 and 3 (extensions B to H)
];

/// Whether `c` belongs to a script whose words the word index cannot find
/// (see `CJK_RANGES`).
pub fn is_cjk(c: char) -> bool {
    CJK_RANGES.iter().any(|(low, high)| (*low..=*high).contains(&c))
}

/// Quotes `term` as an FTS5 string: inside double quotes, a double quote is
/// written twice, and nothing else is syntax.
fn fts_string(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

impl SearchText {
    /// `Ok(None)` for blank input; an error for input too long to be a search.
    pub fn parse(input: &str) -> Result<Option<SearchText>, FieldProblem> {
        let text = input.trim();
        if text.chars().count() > MAX_SEARCH_LEN {
            return Err(FieldProblem::with(
                "problem-search-too-long",
                format!("Search for at most {MAX_SEARCH_LEN} characters."),
                &[("max", MAX_SEARCH_LEN.to_string())],
            ));
        }
        if text.chars().any(|c| c.is_control()) {
            return Err(FieldProblem::new(
                "problem-search-control-characters",
                "Search text cannot contain control characters.",
            ));
        }
        // Each distinct word once: a repeated word narrows nothing and would
        // only repeat the search's work. One- and two-character CJK words
        // are the costliest to look up (every occurrence of their trigrams
        // is read), so at most `MAX_SHORT_CJK_TERMS` of them count.
        let mut terms: Vec<String> = Vec::new();
        let mut short_cjk = 0;
        for term in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|term| !term.is_empty())
            .map(str::to_lowercase)
        {
            if terms.contains(&term) || terms.len() == MAX_SEARCH_TERMS {
                continue;
            }
            if term.chars().any(is_cjk) && term.chars().count() < TRIGRAM_MIN_CHARS {
                if short_cjk == MAX_SHORT_CJK_TERMS {
                    continue;
                }
                short_cjk += 1;
            }
            terms.push(term);
        }
        if text.is_empty() {
            return Ok(None);
        }
        Ok(Some(SearchText {
            text: text.to_owned(),
            terms,
        }))
    }

    /// What the reader typed (trimmed), to put back in the search field.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The terms, lower-cased, in the order typed.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    fn cjk_terms(&self) -> impl Iterator<Item = &str> {
        self.terms
            .iter()
            .map(String::as_str)
            .filter(|term| term.chars().any(is_cjk))
    }

    /// The word index's `MATCH` expression (`commitment_search`): every term
    /// without CJK characters, as a prefix. `None` when every term is CJK
    /// (the other two parts then decide). Text with no terms at all (only
    /// punctuation) gets a phrase no row contains: it matches nothing.
    pub fn fts_query(&self) -> Option<String> {
        if self.terms.is_empty() {
            return Some(fts_string(""));
        }
        let words: Vec<String> = self
            .terms
            .iter()
            .filter(|term| !term.chars().any(is_cjk))
            .map(|term| format!("{}*", fts_string(term)))
            .collect();
        (!words.is_empty()).then(|| words.join(" AND "))
    }

    /// The trigram index's `MATCH` expression (`commitment_search_cjk`):
    /// every CJK term of at least `TRIGRAM_MIN_CHARS` characters, as a
    /// phrase (which the trigram tokenizer matches anywhere in the text).
    /// `None` when there is no such term.
    pub fn trigram_query(&self) -> Option<String> {
        let phrases: Vec<String> = self
            .cjk_terms()
            .filter(|term| term.chars().count() >= TRIGRAM_MIN_CHARS)
            .map(fts_string)
            .collect();
        (!phrases.is_empty()).then(|| phrases.join(" AND "))
    }

    /// The CJK terms too short for a trigram query, as a JSON array of
    /// strings (SQLite binds no arrays; `json_each` reads it), each to be
    /// found as a substring (through the trigrams that start with it).
    /// `None` when there is no such term.
    pub fn short_terms_json(&self) -> Option<String> {
        let short: Vec<&str> = self
            .cjk_terms()
            .filter(|term| term.chars().count() < TRIGRAM_MIN_CHARS)
            .collect();
        // Serialising a list of strings cannot fail.
        (!short.is_empty()).then(|| serde_json::to_string(&short).unwrap_or_default())
    }
}

impl fmt::Display for SearchText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The filters, search and order of a list view. Every field is optional;
/// the default is the whole list in summit order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// With `party`, that party's status; otherwise the overall status.
    pub status: Option<Status>,
    /// Commitments this party owes.
    pub party: Option<PartyCode>,
    pub theme: Option<Theme>,
    pub summit: Option<Slug>,
    pub search: Option<SearchText>,
    /// Only items past their due date and not fulfilled.
    pub overdue: bool,
    pub sort: SortOrder,
    /// 1-based: old `?page=N` links (skipping rows), kept working; the
    /// pager's own links carry `cursor` instead.
    pub page: u32,
    /// The page's place in the view's order (`after=` / `before=`); when
    /// set, `page` is 1.
    pub cursor: Option<PageCursor>,
}

impl ListQuery {
    /// Reads the URL query's pairs. Unknown keys are ignored (links carry
    /// tracking parameters); empty values mean "any", as a GET form sends an
    /// unselected choice. Bad values are refused, each named by its field.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<ListQuery, SubmittedForm> {
        let (query, errors) = ListQuery::parse_lenient(pairs);
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(errors)
        }
    }

    /// Like `parse`, but a bad value only drops its own filter: the page
    /// still shows a list, with the message next to the field.
    pub fn parse_lenient<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> (ListQuery, SubmittedForm) {
        let mut query = ListQuery {
            page: 1,
            ..ListQuery::default()
        };
        let mut errors = SubmittedForm::default();
        // A cursor is read once the sort order is known, wherever `sort`
        // stands in the query.
        let mut cursor_text: Option<(&'static str, String)> = None;
        for (key, value) in pairs {
            let value = value.trim();
            if matches!(
                key,
                "status" | "party" | "theme" | "summit" | "q" | "overdue" | "sort" | "page" | "after" | "before"
            ) {
                errors.values.insert(key.to_owned(), value.to_owned());
            }
            if value.is_empty() {
                continue;
            }
            match key {
                "status" => match value.parse() {
                    Ok(status) => query.status = Some(status),
                    Err(_) => errors.add(
                        "status",
                        FieldProblem::with(
                            "problem-unknown-status",
                            format!("“{value}” is not a status."),
                            &[("value", value.to_string())],
                        ),
                    ),
                },
                "party" => match PartyCode::parse(value) {
                    Ok(code) => query.party = Some(code),
                    Err(_) => errors.add(
                        "party",
                        FieldProblem::with(
                            "problem-unknown-party",
                            format!("“{value}” is not a party code such as cn or kr."),
                            &[("value", value.to_string())],
                        ),
                    ),
                },
                "theme" => match value.parse() {
                    Ok(theme) => query.theme = Some(theme),
                    Err(_) => errors.add(
                        "theme",
                        FieldProblem::with(
                            "problem-unknown-theme",
                            format!("“{value}” is not a theme."),
                            &[("value", value.to_string())],
                        ),
                    ),
                },
                "summit" => match Slug::parse(value) {
                    Ok(slug) => query.summit = Some(slug),
                    Err(_) => errors.add(
                        "summit",
                        FieldProblem::with(
                            "problem-unknown-summit",
                            format!("“{value}” is not a summit."),
                            &[("value", value.to_string())],
                        ),
                    ),
                },
                "q" => match SearchText::parse(value) {
                    Ok(search) => query.search = search,
                    Err(message) => errors.add("q", message),
                },
                "overdue" => match value {
                    "1" | "true" | "on" | "yes" => query.overdue = true,
                    "0" | "false" | "off" | "no" => query.overdue = false,
                    _ => errors.add(
                        "overdue",
                        FieldProblem::new("problem-overdue-flag", "Use overdue=1 to show only overdue items."),
                    ),
                },
                "sort" => match value.parse() {
                    Ok(sort) => query.sort = sort,
                    Err(_) => errors.add(
                        "sort",
                        FieldProblem::with(
                            "problem-unknown-sort",
                            format!("“{value}” is not a sort order."),
                            &[("value", value.to_string())],
                        ),
                    ),
                },
                "page" => match value.parse::<u32>() {
                    Ok(page) if page >= 1 => query.page = page,
                    _ => errors.add(
                        "page",
                        FieldProblem::new("problem-page-number", "The page is a whole number from 1."),
                    ),
                },
                "after" => cursor_text = Some(("after", value.to_owned())),
                "before" => cursor_text = Some(("before", value.to_owned())),
                _ => {}
            }
        }
        if let Some((field, text)) = cursor_text {
            let cursor = match (field, text.as_str()) {
                ("before", "end") => Some(PageCursor::Last),
                ("before", text) => ListCursor::parse(text).map(PageCursor::Before),
                (_, text) => ListCursor::parse(text).map(PageCursor::After),
            };
            match cursor {
                // A cursor names the page; a `page` beside it is left out.
                Some(cursor) => {
                    query.cursor = Some(cursor);
                    query.page = 1;
                }
                None => errors.add(
                    field,
                    FieldProblem::new(
                        "problem-list-cursor",
                        "This link does not name a place in the list: start again from the first page.",
                    ),
                ),
            }
        }
        (query, errors)
    }

    /// Parses a raw query string such as `status=stalled&party=kr`.
    pub fn parse_query_string(query: &str) -> Result<ListQuery, SubmittedForm> {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        ListQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// `parse_lenient` over a raw query string.
    pub fn parse_query_string_lenient(query: &str) -> (ListQuery, SubmittedForm) {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        ListQuery::parse_lenient(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// True when nothing narrows the list (sort and page aside).
    pub fn is_unfiltered(&self) -> bool {
        self.status.is_none()
            && self.party.is_none()
            && self.theme.is_none()
            && self.summit.is_none()
            && self.search.is_none()
            && !self.overdue
    }

    /// The same view on another page (by number: old links, the API).
    pub fn with_page(&self, page: u32) -> ListQuery {
        ListQuery {
            page,
            cursor: None,
            ..self.clone()
        }
    }

    /// The same view at another place in its order (`None`: the first page).
    pub fn with_cursor(&self, cursor: Option<PageCursor>) -> ListQuery {
        ListQuery {
            page: 1,
            cursor,
            ..self.clone()
        }
    }

    /// The canonical query string (no leading `?`), defaults left out, keys in
    /// a fixed order, so equal views have equal links.
    pub fn to_query_string(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        if let Some(status) = self.status {
            out.append_pair("status", status.code());
        }
        if let Some(party) = &self.party {
            out.append_pair("party", party.as_str());
        }
        if let Some(theme) = self.theme {
            out.append_pair("theme", theme.code());
        }
        if let Some(summit) = &self.summit {
            out.append_pair("summit", summit.as_str());
        }
        if let Some(search) = &self.search {
            out.append_pair("q", search.as_str());
        }
        if self.overdue {
            out.append_pair("overdue", "1");
        }
        if self.sort != SortOrder::Summit {
            out.append_pair("sort", self.sort.code());
        }
        match &self.cursor {
            Some(PageCursor::After(cursor)) => {
                out.append_pair("after", &cursor.to_string());
            }
            Some(PageCursor::Before(cursor)) => {
                out.append_pair("before", &cursor.to_string());
            }
            Some(PageCursor::Last) => {
                out.append_pair("before", "end");
            }
            None if self.page > 1 => {
                out.append_pair("page", &self.page.to_string());
            }
            None => {}
        }
        out.finish()
    }

    /// `path` with this view's query appended, e.g. `/?status=stalled`.
    pub fn link(&self, path: &str) -> String {
        match self.to_query_string() {
            query if query.is_empty() => path.to_owned(),
            query => format!("{path}?{query}"),
        }
    }

    /// A plain-language account of the view for titles and descriptions,
    /// e.g. "Stalled commitments owed by kr, matching “fraud”".
    pub fn describe(&self, party_name: impl Fn(&PartyCode) -> String) -> String {
        let mut text = String::new();
        if self.overdue {
            text.push_str("Overdue ");
        }
        match (self.status, &self.party) {
            (Some(status), Some(_)) | (Some(status), None) => {
                let label = status.label();
                if text.is_empty() {
                    text.push_str(label);
                } else {
                    text.push_str(&label.to_lowercase());
                }
                text.push_str(" commitments");
            }
            _ if text.is_empty() => text.push_str("Commitments"),
            _ => text.push_str("commitments"),
        }
        if let Some(theme) = self.theme {
            text.push_str(&format!(" on {}", theme.label().to_lowercase()));
        }
        if let Some(party) = &self.party {
            let who = party_name(party);
            match self.status {
                Some(_) => text.push_str(&format!(" (status of {who})")),
                None => text.push_str(&format!(" owed by {who}")),
            }
        }
        if let Some(search) = &self.search {
            text.push_str(&format!(" matching “{}”", search.as_str()));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_words_count_once_and_short_cjk_words_are_capped() {
        let search = SearchText::parse("的 的 的 fraud fraud 中 韩 港 澳 自贸协定")
            .unwrap()
            .unwrap();
        assert_eq!(search.terms(), ["的", "fraud", "中", "韩", "自贸协定"]);
        assert_eq!(
            search
                .terms()
                .iter()
                .filter(|t| t.chars().count() < TRIGRAM_MIN_CHARS && t.chars().any(is_cjk))
                .count(),
            MAX_SHORT_CJK_TERMS
        );
    }

    fn parse(query: &str) -> Result<ListQuery, SubmittedForm> {
        ListQuery::parse_query_string(query)
    }

    #[test]
    fn an_empty_query_is_the_whole_list_on_page_one() {
        let query = parse("").unwrap();
        assert!(query.is_unfiltered());
        assert_eq!(query.page, 1);
        assert_eq!(query.sort, SortOrder::Summit);
        assert_eq!(query.to_query_string(), "");
    }

    #[test]
    fn every_filter_round_trips_through_the_url() {
        let text =
            "status=stalled&party=kr&theme=security&summit=xi-lee-2025-11-01&q=telecom+fraud&overdue=1&sort=due&page=3";
        let query = parse(text).unwrap();
        assert_eq!(query.status, Some(Status::Stalled));
        assert_eq!(query.party.as_ref().map(|p| p.as_str()), Some("kr"));
        assert_eq!(query.theme, Some(Theme::Security));
        assert_eq!(query.search.as_ref().map(|s| s.as_str()), Some("telecom fraud"));
        assert!(query.overdue);
        assert_eq!(query.sort, SortOrder::Due);
        assert_eq!(query.page, 3);
        assert_eq!(query.to_query_string(), text);
        assert_eq!(parse(&query.to_query_string()).unwrap(), query);
    }

    #[test]
    fn cursors_round_trip_through_the_url_for_every_order() {
        let held = NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
        let changed = NaiveDate::from_ymd_opt(2026, 1, 5);
        for sort in SortOrder::ALL {
            for (changed, title) in [(changed, "Ferry. Routes 2.0"), (None, "x")] {
                let cursor = ListCursor::of(sort, 17, 3, held, changed, None, title);
                for page in [PageCursor::After(cursor.clone()), PageCursor::Before(cursor.clone())] {
                    let query = ListQuery {
                        sort,
                        ..ListQuery::default()
                    }
                    .with_cursor(Some(page));
                    let text = query.to_query_string();
                    assert_eq!(parse(&text).unwrap(), query, "{text}");
                }
            }
        }
        let title = ListCursor::of(SortOrder::Title, 17, 3, held, None, None, "Ferry. Routes 2.0");
        assert_eq!(title.to_string(), "17.3.2025-11-01.Ferry. Routes 2.0");
        let due = ListCursor::of(SortOrder::Due, 17, 3, held, None, None, "x");
        assert_eq!(due.to_string(), "17.3.2025-11-01.none");
        assert_eq!(
            ListCursor::of(SortOrder::Summit, 17, 3, held, None, None, "x").to_string(),
            "17.3.2025-11-01"
        );
        let last = parse("sort=due&before=end").unwrap();
        assert_eq!(last.cursor, Some(PageCursor::Last));
        assert_eq!(last.to_query_string(), "sort=due&before=end");
    }

    #[test]
    fn a_cursor_names_the_page_and_drops_a_page_number() {
        let query = parse("page=7&after=5.2.2025-11-01").unwrap();
        assert_eq!(query.page, 1);
        assert_eq!(query.to_query_string(), "after=5.2.2025-11-01");
        assert_eq!(
            query.with_page(3).to_query_string(),
            "page=3",
            "a number clears the cursor"
        );
        assert_eq!(query.with_cursor(None).to_query_string(), "");
    }

    #[test]
    fn garbage_cursors_are_refused_with_the_input_kept() {
        for bad in [
            "after=x",
            "after=0.1.2025-11-01",
            "after=-1.1.2025-11-01",
            "after=1.1",
            "after=1.1.2025-1-01",
            "after=1.1.2025/11/01",
            "after=1234567890123456789.1.2025-11-01",
            "after=1.%2B1.2025-11-01",
            "after=end",
            "before=1.1.2025-11-01.a%01b",
            "before=start",
        ] {
            let errors = parse(bad).unwrap_err();
            let field = if bad.starts_with("after") { "after" } else { "before" };
            assert!(errors.get(field).is_some(), "{bad}: {errors:?}");
            assert!(errors.value(field).is_some(), "{bad}: the input is kept");
        }
        let (query, errors) = ListQuery::parse_query_string_lenient("theme=security&after=nonsense");
        assert_eq!(query.cursor, None, "the bad cursor is dropped: the first page");
        assert_eq!(query.theme, Some(Theme::Security));
        assert!(errors.get("after").is_some());
        // Digits that are no calendar date are still a place in the order.
        assert!(parse("after=1.1.2025-19-45").is_ok());
        assert!(parse(&format!(
            "sort=title&after=1.1.2025-11-01.{}",
            "t".repeat(MAX_CURSOR_LEAD_LEN + 1)
        ))
        .is_err());
    }

    #[test]
    fn blank_choices_mean_any_and_unknown_keys_are_ignored() {
        let query = parse("status=&party=&theme=&q=++&utm_source=newsletter").unwrap();
        assert!(query.is_unfiltered());
    }

    #[test]
    fn bad_values_are_refused_field_by_field_with_the_input_kept() {
        let errors = parse("status=broken&party=korea&page=0&sort=random&overdue=maybe").unwrap_err();
        for field in ["status", "party", "page", "sort", "overdue"] {
            assert!(errors.get(field).is_some(), "{field} should have a message");
        }
        assert_eq!(errors.value("status"), Some("broken"));
        assert!(errors.get("status").unwrap().contains("broken"));

        let (query, errors) = ListQuery::parse_query_string_lenient("status=broken&theme=security");
        assert_eq!(query.status, None, "the bad filter is dropped");
        assert_eq!(query.theme, Some(Theme::Security), "the good one is kept");
        assert!(errors.get("status").is_some());
    }

    #[test]
    fn search_words_are_quoted_prefixes_so_no_input_is_fts_syntax() {
        let search = SearchText::parse("  Telecom-fraud AND \"gambling\" NEAR(x) * ^ ")
            .unwrap()
            .unwrap();
        assert_eq!(
            search.fts_query().as_deref(),
            Some("\"telecom\"* AND \"fraud\"* AND \"and\"* AND \"gambling\"* AND \"near\"* AND \"x\"*")
        );
        assert_eq!(search.trigram_query(), None);
        assert_eq!(search.short_terms_json(), None);
        let punctuation = SearchText::parse("\"*^:()").unwrap().unwrap();
        assert_eq!(punctuation.fts_query().as_deref(), Some("\"\""), "matches nothing");
        assert_eq!(punctuation.trigram_query(), None);
        assert_eq!(punctuation.short_terms_json(), None);
        assert_eq!(SearchText::parse("   ").unwrap(), None);
        assert!(SearchText::parse(&"a".repeat(MAX_SEARCH_LEN + 1)).is_err());
        assert!(SearchText::parse("fraud\u{0}").is_err());
    }

    #[test]
    fn cjk_terms_of_three_characters_or_more_are_trigram_phrases() {
        let search = SearchText::parse("中韩自贸协定 협정을 APEC").unwrap().unwrap();
        assert_eq!(search.fts_query().as_deref(), Some("\"apec\"*"));
        assert_eq!(
            search.trigram_query().as_deref(),
            Some("\"中韩自贸协定\" AND \"협정을\"")
        );
        assert_eq!(search.short_terms_json(), None);
        // Exactly three characters is long enough; a Latin word glued to
        // Hangul is one CJK term, lower-cased.
        let search = SearchText::parse("自贸区 FTA를").unwrap().unwrap();
        assert_eq!(search.trigram_query().as_deref(), Some("\"自贸区\" AND \"fta를\""));
        assert_eq!(search.fts_query(), None, "no word for the word index");
    }

    #[test]
    fn cjk_terms_shorter_than_three_characters_are_substrings_in_json() {
        let search = SearchText::parse("自贸，협정 港 fraud").unwrap().unwrap();
        assert_eq!(search.short_terms_json().as_deref(), Some(r#"["自贸","협정","港"]"#));
        assert_eq!(search.trigram_query(), None);
        assert_eq!(search.fts_query().as_deref(), Some("\"fraud\"*"));
        let mixed = SearchText::parse("G网 自贸协定").unwrap().unwrap();
        assert_eq!(mixed.short_terms_json().as_deref(), Some(r#"["g网"]"#));
        assert_eq!(mixed.trigram_query().as_deref(), Some("\"自贸协定\""));
        assert_eq!(mixed.fts_query(), None);
        let all: Vec<&str> = mixed.terms().iter().map(String::as_str).collect();
        assert_eq!(all, ["g网", "自贸协定"]);
    }

    #[test]
    fn hostile_cjk_input_stays_quoted() {
        // Full-width punctuation separates terms like ASCII punctuation does;
        // FTS5 operators typed in full-width or between CJK words are terms.
        let search = SearchText::parse("自贸\"*（协定） OR 협정-NEAR \"\"\" 中国%_")
            .unwrap()
            .unwrap();
        assert_eq!(search.trigram_query(), None);
        assert_eq!(
            search.short_terms_json().as_deref(),
            // The fourth short CJK word is past `MAX_SHORT_CJK_TERMS`.
            Some(r#"["自贸","协定","협정"]"#)
        );
        assert_eq!(search.fts_query().as_deref(), Some("\"or\"* AND \"near\"*"));
        // A quote inside a term (which parse never keeps) would be doubled.
        assert_eq!(fts_string("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn cjk_ranges_cover_korean_chinese_and_japanese_and_not_latin() {
        for c in [
            '협',
            '정',
            '을',
            '中',
            '韩',
            '自',
            '贸',
            '々',
            '〇',
            'あ',
            'カ',
            'ㄱ',
            '豈',
            'Ａ',
            '\u{20000}',
            '\u{2A6DF}',
        ] {
            assert!(is_cjk(c), "{c}");
        }
        for c in ['a', 'Z', '9', 'é', 'ß', 'Ω', 'ж', 'ا', '—', '€', '\u{A000}'] {
            assert!(!is_cjk(c), "{c}");
        }
        for (low, high) in CJK_RANGES {
            assert!(low <= high);
        }
        for pair in CJK_RANGES.windows(2) {
            assert!(pair[0].1 < pair[1].0, "ranges are sorted and apart");
        }
    }

    #[test]
    fn descriptions_read_as_sentences() {
        let name = |p: &PartyCode| {
            if p.as_str() == "kr" {
                "South Korea".to_owned()
            } else {
                p.to_string()
            }
        };
        assert_eq!(parse("").unwrap().describe(name), "Commitments");
        assert_eq!(
            parse("status=stalled&party=kr&q=fraud").unwrap().describe(name),
            "Stalled commitments (status of South Korea) matching “fraud”"
        );
        assert_eq!(
            parse("party=kr&theme=economy&overdue=1").unwrap().describe(name),
            "Overdue commitments on trade and economy owed by South Korea"
        );
    }
}

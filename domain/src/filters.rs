//! What a reader asks of the list: filters, free-text search, sort order and
//! page, parsed from (and written back to) the URL query so that every view is
//! a link that can be shared.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::{PartyCode, Slug, Status, SubmittedForm, Theme, UnknownCode};

/// Search text longer than this is refused rather than silently cut.
pub const MAX_SEARCH_LEN: usize = 200;
/// More terms than this add nothing but cost.
pub const MAX_SEARCH_TERMS: usize = 12;
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

/// Free text as the reader typed it, reduced to the words the full-text index
/// knows. Every word is matched as a quoted prefix, so no character a reader
/// types can be read as FTS5 query syntax.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchText {
    text: String,
    terms: Vec<String>,
}

impl SearchText {
    /// `Ok(None)` for blank input; an error for input too long to be a search.
    pub fn parse(input: &str) -> Result<Option<SearchText>, String> {
        let text = input.trim();
        if text.chars().count() > MAX_SEARCH_LEN {
            return Err(format!("Search for at most {MAX_SEARCH_LEN} characters."));
        }
        if text.chars().any(|c| c.is_control()) {
            return Err("Search text cannot contain control characters.".into());
        }
        let terms: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|term| !term.is_empty())
            .take(MAX_SEARCH_TERMS)
            .map(str::to_lowercase)
            .collect();
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

    /// The FTS5 `MATCH` expression: every word, as a prefix. Text with no
    /// words at all (only punctuation) matches nothing.
    pub fn fts_query(&self) -> String {
        if self.terms.is_empty() {
            // A phrase no document contains: the reader gets the empty state.
            return "\"\"".to_owned();
        }
        self.terms
            .iter()
            .map(|term| format!("\"{term}\"*"))
            .collect::<Vec<_>>()
            .join(" AND ")
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
    /// 1-based.
    pub page: u32,
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
        for (key, value) in pairs {
            let value = value.trim();
            if matches!(
                key,
                "status" | "party" | "theme" | "summit" | "q" | "overdue" | "sort" | "page"
            ) {
                errors.values.insert(key.to_owned(), value.to_owned());
            }
            if value.is_empty() {
                continue;
            }
            match key {
                "status" => match value.parse() {
                    Ok(status) => query.status = Some(status),
                    Err(_) => errors.add("status", format!("“{value}” is not a status.")),
                },
                "party" => match PartyCode::parse(value) {
                    Ok(code) => query.party = Some(code),
                    Err(_) => errors.add("party", format!("“{value}” is not a party code such as cn or kr.")),
                },
                "theme" => match value.parse() {
                    Ok(theme) => query.theme = Some(theme),
                    Err(_) => errors.add("theme", format!("“{value}” is not a theme.")),
                },
                "summit" => match Slug::parse(value) {
                    Ok(slug) => query.summit = Some(slug),
                    Err(_) => errors.add("summit", format!("“{value}” is not a summit.")),
                },
                "q" => match SearchText::parse(value) {
                    Ok(search) => query.search = search,
                    Err(message) => errors.add("q", message),
                },
                "overdue" => match value {
                    "1" | "true" | "on" | "yes" => query.overdue = true,
                    "0" | "false" | "off" | "no" => query.overdue = false,
                    _ => errors.add("overdue", "Use overdue=1 to show only overdue items."),
                },
                "sort" => match value.parse() {
                    Ok(sort) => query.sort = sort,
                    Err(_) => errors.add("sort", format!("“{value}” is not a sort order.")),
                },
                "page" => match value.parse::<u32>() {
                    Ok(page) if page >= 1 => query.page = page,
                    _ => errors.add("page", "The page is a whole number from 1."),
                },
                _ => {}
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

    /// The same view on another page.
    pub fn with_page(&self, page: u32) -> ListQuery {
        ListQuery { page, ..self.clone() }
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
        if self.page > 1 {
            out.append_pair("page", &self.page.to_string());
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
            search.fts_query(),
            "\"telecom\"* AND \"fraud\"* AND \"and\"* AND \"gambling\"* AND \"near\"* AND \"x\"*"
        );
        let punctuation = SearchText::parse("\"*^:()").unwrap().unwrap();
        assert_eq!(punctuation.fts_query(), "\"\"");
        assert_eq!(SearchText::parse("   ").unwrap(), None);
        assert!(SearchText::parse(&"a".repeat(MAX_SEARCH_LEN + 1)).is_err());
        assert!(SearchText::parse("fraud\u{0}").is_err());
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

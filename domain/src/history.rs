//! A commitment's history, a page at a time: `/commitments/{slug}/history`
//! shows [`HISTORY_PAGE_SIZE`] revisions, newest first, and links to the
//! next older page with `?before=<version>` (a keyset link: the version is
//! the revision's own, unique and never reused, so a link keeps showing the
//! same revisions however many are added after it was made).

use serde::{Deserialize, Serialize};

use crate::{PartyRef, RevisionView, Slug};

/// Revisions on one page of a commitment's history.
pub const HISTORY_PAGE_SIZE: u32 = 50;

/// The query parameter naming where a history page starts.
pub const HISTORY_BEFORE_PARAM: &str = "before";

/// One page of `/commitments/{slug}/history`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentHistoryPage {
    pub slug: Slug,
    pub title: String,
    pub current_version: i64,
    /// Newest first: the revisions with versions below `before`.
    pub revisions: Vec<RevisionView>,
    /// The stored parties, to name them in the changes.
    pub parties: Vec<PartyRef>,
    /// Where this page starts (`None`: the newest revisions).
    pub before: Option<i64>,
    /// `before` of the next older page (`None`: this page reaches the first
    /// version).
    pub older: Option<i64>,
}

/// `?before=` as a version: digits only, at least 1. Anything else is not a
/// page of the history (a 400, not a guess at what was meant).
pub fn parse_history_before(value: &str) -> Option<i64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse::<i64>().ok().filter(|version| *version >= 1)
}

/// The path of the history page starting before `before` (`None`: the first).
pub fn history_page_path(slug: &Slug, before: Option<i64>) -> String {
    match before {
        Some(version) => format!("/commitments/{slug}/history?{HISTORY_BEFORE_PARAM}={version}"),
        None => format!("/commitments/{slug}/history"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_is_a_version_number_and_nothing_else() {
        assert_eq!(parse_history_before("1"), Some(1));
        assert_eq!(parse_history_before("10001"), Some(10_001));
        for garbage in [
            "",
            "0",
            "-3",
            "+3",
            " 3",
            "3 ",
            "3a",
            "abc",
            "1e3",
            "99999999999999999999",
            "３",
        ] {
            assert_eq!(parse_history_before(garbage), None, "{garbage:?}");
        }
    }

    #[test]
    fn page_paths_carry_the_cursor() {
        let slug = Slug::parse("a-pledge").unwrap();
        assert_eq!(history_page_path(&slug, None), "/commitments/a-pledge/history");
        assert_eq!(
            history_page_path(&slug, Some(42)),
            "/commitments/a-pledge/history?before=42"
        );
    }
}

//! URL slugs: the stable public identifier of a commitment or summit.

use serde::{Deserialize, Serialize};
use std::fmt;

pub const MAX_SLUG_LEN: usize = 80;

/// A lowercase ASCII slug: letters, digits and single hyphens between them.
/// Once published a slug never changes, because shared links depend on it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("a slug cannot be empty")]
    Empty,
    #[error("a slug can be at most {MAX_SLUG_LEN} characters long")]
    TooLong,
    #[error("a slug may contain only lowercase letters a–z, digits and single hyphens between them")]
    InvalidCharacters,
}

impl Slug {
    pub fn parse(input: &str) -> Result<Slug, SlugError> {
        if input.is_empty() {
            return Err(SlugError::Empty);
        }
        if input.len() > MAX_SLUG_LEN {
            return Err(SlugError::TooLong);
        }
        let well_formed = input
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        if !well_formed {
            return Err(SlugError::InvalidCharacters);
        }
        Ok(Slug(input.to_owned()))
    }

    /// Derives a slug from a title: ASCII letters and digits are kept
    /// (lowercased), every other run of characters becomes one hyphen, and the
    /// result is cut at a word boundary to fit. Returns `None` when the title has
    /// no ASCII letters or digits at all (the caller must then ask for a slug).
    pub fn from_title(title: &str) -> Option<Slug> {
        let mut slug = String::with_capacity(title.len());
        for ch in title.chars() {
            if ch.is_ascii_alphanumeric() {
                slug.push(ch.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        while slug.len() > MAX_SLUG_LEN {
            match slug.rfind('-') {
                Some(cut) if cut > 0 => slug.truncate(cut),
                _ => slug.truncate(MAX_SLUG_LEN),
            }
        }
        let slug = slug.trim_end_matches('-').to_owned();
        Slug::parse(&slug).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Slug {
    type Err = SlugError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Slug::parse(input)
    }
}

impl TryFrom<String> for Slug {
    type Error = SlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Slug::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> String {
        slug.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_well_formed_slugs() {
        for ok in ["fta-phase-two", "apec-2026", "a", "x1-y2-z3"] {
            assert_eq!(Slug::parse(ok).unwrap().as_str(), ok);
        }
        assert!(Slug::parse(&"a".repeat(MAX_SLUG_LEN)).is_ok());
    }

    #[test]
    fn refuses_malformed_slugs_with_a_reason() {
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        assert_eq!(Slug::parse(&"a".repeat(MAX_SLUG_LEN + 1)), Err(SlugError::TooLong));
        for bad in [
            "-lead",
            "trail-",
            "double--hyphen",
            "Upper",
            "spa ce",
            "../etc/passwd",
            "ünï",
            "a_b",
            "a.b",
            "%2e%2e",
        ] {
            assert_eq!(Slug::parse(bad), Err(SlugError::InvalidCharacters), "{bad}");
        }
    }

    #[test]
    fn derives_slugs_from_titles() {
        let slug = Slug::from_title("Accelerate the second phase of China–South Korea FTA negotiations").unwrap();
        assert_eq!(
            slug.as_str(),
            "accelerate-the-second-phase-of-china-south-korea-fta-negotiations"
        );
        assert_eq!(
            Slug::from_title("  APEC 2026: China hosts!  ").unwrap().as_str(),
            "apec-2026-china-hosts"
        );
        assert_eq!(Slug::from_title("中韩自贸协定"), None);
        assert_eq!(Slug::from_title("---"), None);
    }

    #[test]
    fn long_titles_are_cut_at_a_word_boundary() {
        let title = "word ".repeat(40);
        let slug = Slug::from_title(&title).unwrap();
        assert!(slug.as_str().len() <= MAX_SLUG_LEN);
        assert!(slug.as_str().ends_with("word"));
        let unbroken = "x".repeat(200);
        assert_eq!(Slug::from_title(&unbroken).unwrap().as_str().len(), MAX_SLUG_LEN);
    }

    #[test]
    fn deserializing_validates() {
        assert!(serde_json::from_str::<Slug>("\"ok-slug\"").is_ok());
        assert!(serde_json::from_str::<Slug>("\"Bad Slug\"").is_err());
    }
}

//! The languages Accord speaks, and where each lives in the URL space:
//! English at the root (every link shared before translations keeps
//! working), Korean under `/ko/`, Simplified Chinese under `/zh/`.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Locale {
    #[default]
    En,
    Ko,
    Zh,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Ko, Locale::Zh];

    /// The code stored in the database and used in URLs (`en`, `ko`, `zh`).
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ko => "ko",
            Locale::Zh => "zh",
        }
    }

    /// The BCP 47 tag for `lang` and `hreflang` attributes: Chinese is
    /// marked as Simplified script, which is what Accord publishes.
    pub fn html_lang(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ko => "ko",
            Locale::Zh => "zh-Hans",
        }
    }

    /// The language's name in English, as revision summaries and history
    /// lines recorded in English name it.
    pub fn english_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ko => "Korean",
            Locale::Zh => "Chinese",
        }
    }

    /// The language's own name, as a language switcher shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ko => "한국어",
            Locale::Zh => "中文",
        }
    }

    /// Reads a stored or URL code; `zh-Hans` is accepted for Chinese.
    pub fn from_code(code: &str) -> Option<Locale> {
        match code {
            "en" => Some(Locale::En),
            "ko" => Some(Locale::Ko),
            "zh" | "zh-Hans" => Some(Locale::Zh),
            _ => None,
        }
    }

    /// The path prefix of this language's pages: empty for English.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Locale::En => "",
            Locale::Ko => "/ko",
            Locale::Zh => "/zh",
        }
    }

    /// The path of a site page in this language: `/commitments/x` becomes
    /// `/ko/commitments/x`; the root becomes `/ko/`.
    pub fn localize(self, path: &str) -> String {
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        format!("{}{path}", self.path_prefix())
    }

    /// Splits a request path into its language and the path inside the site:
    /// `/ko/commitments/x` is Korean `/commitments/x`, `/ko` and `/ko/` are
    /// the Korean home page, and anything else is English as it stands.
    pub fn split_path(path: &str) -> (Locale, &str) {
        for locale in [Locale::Ko, Locale::Zh] {
            if let Some(rest) = path.strip_prefix(locale.path_prefix()) {
                if rest.is_empty() {
                    return (locale, "/");
                }
                if rest.starts_with('/') {
                    return (locale, rest);
                }
            }
        }
        (Locale::En, path)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The language a source was published in: a BCP 47 tag (`en`, `ko`,
/// `zh-Hans`, `ja`, …), kept so that its quote is shown exactly as published
/// and marked with the right `lang`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "en"))]
pub struct LanguageTag(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a language tag such as en, ko or zh-Hans")]
pub struct BadLanguageTag;

impl LanguageTag {
    pub fn parse(text: &str) -> Result<LanguageTag, BadLanguageTag> {
        let text = text.trim();
        let mut parts = text.split('-');
        let primary = parts.next().unwrap_or_default();
        let primary_ok = (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase());
        let rest_ok = parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if primary_ok && rest_ok && text.len() <= 35 {
            Ok(LanguageTag(text.to_owned()))
        } else {
            Err(BadLanguageTag)
        }
    }

    pub fn english() -> LanguageTag {
        LanguageTag("en".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for LanguageTag {
    type Err = BadLanguageTag;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        LanguageTag::parse(text)
    }
}

impl Default for LanguageTag {
    fn default() -> Self {
        LanguageTag::english()
    }
}

impl TryFrom<String> for LanguageTag {
    type Error = BadLanguageTag;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        LanguageTag::parse(&text)
    }
}

impl From<LanguageTag> for String {
    fn from(tag: LanguageTag) -> String {
        tag.0
    }
}

impl From<Locale> for LanguageTag {
    fn from(locale: Locale) -> LanguageTag {
        LanguageTag(locale.html_lang().to_owned())
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_language_and_site_path() {
        assert_eq!(Locale::split_path("/"), (Locale::En, "/"));
        assert_eq!(Locale::split_path("/commitments/x"), (Locale::En, "/commitments/x"));
        assert_eq!(Locale::split_path("/ko"), (Locale::Ko, "/"));
        assert_eq!(Locale::split_path("/ko/"), (Locale::Ko, "/"));
        assert_eq!(
            Locale::split_path("/zh/commitments/x/history"),
            (Locale::Zh, "/commitments/x/history")
        );
        // A page whose name merely starts with the letters stays English.
        assert_eq!(Locale::split_path("/kookaburra"), (Locale::En, "/kookaburra"));
        assert_eq!(Locale::split_path("/zhx/"), (Locale::En, "/zhx/"));
    }

    #[test]
    fn localized_paths_round_trip() {
        for locale in Locale::ALL {
            for path in ["/", "/commitments/fta-phase-two", "/summits"] {
                let localized = locale.localize(path);
                assert_eq!(Locale::split_path(&localized), (locale, path), "{localized}");
            }
            assert_eq!(Locale::from_code(locale.code()), Some(locale));
            assert_eq!(Locale::from_code(locale.html_lang()), Some(locale));
        }
        assert_eq!(Locale::Ko.localize("/"), "/ko/");
        assert_eq!(Locale::En.localize("/summits"), "/summits");
        assert_eq!(Locale::from_code("fr"), None);
    }

    #[test]
    fn language_tags_are_checked() {
        for good in ["en", "ko", "zh-Hans", "zh-Hant-TW", "yue"] {
            assert!(LanguageTag::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "e", "EN", "english", "zh_Hans", "en-", "ko-<b>", "en-abcdefghi"] {
            assert_eq!(LanguageTag::parse(bad), Err(BadLanguageTag), "{bad}");
        }
    }
}

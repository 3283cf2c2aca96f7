//! Small closed vocabularies: themes, source kinds, proposers, party codes.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("“{value}” is not a valid {what}")]
pub struct UnknownCode {
    pub what: &'static str,
    pub value: String,
}

/// Declares a closed vocabulary with a stable code (stored, used in URLs) and a
/// label (shown to readers), plus `FromStr`/`Display`.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
        }

        impl FromStr for $name {
            type Err = UnknownCode;
            fn from_str(code: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
                    .ok_or_else(|| UnknownCode { what: $what, value: code.to_owned() })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.label()) }
        }
    };
}

vocabulary!(
    /// The policy area a commitment belongs to.
    Theme, "theme", {
        Diplomacy => ("diplomacy", "Diplomacy and trust"),
        Economy => ("economy", "Trade and economy"),
        Security => ("security", "Public safety"),
        PeopleToPeople => ("people_to_people", "People-to-people ties"),
        Multilateral => ("multilateral", "Regional and multilateral"),
    }
);

vocabulary!(
    /// What kind of document a source is, so readers can weigh it.
    SourceKind, "source kind", {
        OfficialReadout => ("official_readout", "Official readout"),
        MediaReport => ("media_report", "Media report"),
        Analysis => ("analysis", "Analysis"),
    }
);

vocabulary!(
    /// Whose words a source's title is: the outlet's own headline, or a
    /// description Accord wrote because the outlet's title is not known.
    TitleBasis, "title basis", {
        Headline => ("headline", "Headline"),
        Description => ("description", "Description by Accord"),
    }
);

vocabulary!(
    /// What a source's date is: the date the source itself gives, or (when it
    /// gives none) the date it was reported in the document named by `via`.
    DateBasis, "date basis", {
        Published => ("published", "Published"),
        Reported => ("reported", "Date not given; reported"),
    }
);

vocabulary!(
    /// Where a commitment's due date comes from; `due_note` gives the detail.
    DueBasis, "due date basis", {
        Explicit => ("explicit", "Stated in a source"),
        Inferred => ("inferred", "Inferred"),
    }
);

/// A party's two-letter code (ISO 3166-1 alpha-2, lowercase), e.g. `cn`, `kr`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartyCode(String);

impl PartyCode {
    pub fn parse(input: &str) -> Result<PartyCode, UnknownCode> {
        if input.len() == 2 && input.bytes().all(|b| b.is_ascii_lowercase()) {
            Ok(PartyCode(input.to_owned()))
        } else {
            Err(UnknownCode {
                what: "party code",
                value: input.to_owned(),
            })
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PartyCode {
    type Err = UnknownCode;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        PartyCode::parse(input)
    }
}

impl TryFrom<String> for PartyCode {
    type Error = UnknownCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PartyCode::parse(&value)
    }
}

impl From<PartyCode> for String {
    fn from(code: PartyCode) -> String {
        code.0
    }
}

impl fmt::Display for PartyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip_their_codes() {
        for theme in Theme::ALL {
            assert_eq!(theme.code().parse::<Theme>(), Ok(*theme));
        }
        for kind in SourceKind::ALL {
            assert_eq!(kind.code().parse::<SourceKind>(), Ok(*kind));
            assert_eq!(serde_json::to_string(kind).unwrap(), format!("\"{}\"", kind.code()));
        }
    }

    #[test]
    fn unknown_codes_name_the_vocabulary() {
        let err = "sports".parse::<Theme>().unwrap_err();
        assert_eq!(err.to_string(), "“sports” is not a valid theme");
        assert!("Official readout".parse::<SourceKind>().is_err());
    }

    #[test]
    fn party_codes_are_two_lowercase_letters() {
        assert_eq!(PartyCode::parse("kr").unwrap().as_str(), "kr");
        for bad in ["", "k", "KR", "kor", "k1", "é"] {
            assert!(PartyCode::parse(bad).is_err(), "{bad}");
        }
    }
}

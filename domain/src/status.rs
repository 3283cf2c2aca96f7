//! The status vocabulary and the rule that combines per-party statuses.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where one party stands on one commitment.
///
/// The words matter: an item nobody has assessed yet is "Not yet rated", never
/// "No action", because readers took the latter to mean the item was inactive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Status {
    NotYetRated,
    InProgress,
    Stalled,
    PartlyFulfilled,
    Fulfilled,
    NotFulfilled,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a status; use one of: not_yet_rated, in_progress, stalled, partly_fulfilled, fulfilled, not_fulfilled")]
pub struct UnknownStatus(pub String);

impl Status {
    /// Every status, in the order a reader meets them on the scoreboard.
    pub const ALL: [Status; 6] = [
        Status::NotYetRated,
        Status::InProgress,
        Status::Stalled,
        Status::PartlyFulfilled,
        Status::Fulfilled,
        Status::NotFulfilled,
    ];

    /// The stable code stored in the database and used in URLs and APIs.
    pub fn code(self) -> &'static str {
        match self {
            Status::NotYetRated => "not_yet_rated",
            Status::InProgress => "in_progress",
            Status::Stalled => "stalled",
            Status::PartlyFulfilled => "partly_fulfilled",
            Status::Fulfilled => "fulfilled",
            Status::NotFulfilled => "not_fulfilled",
        }
    }

    /// The words shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotYetRated => "Not yet rated",
            Status::InProgress => "In progress",
            Status::Stalled => "Stalled",
            Status::PartlyFulfilled => "Partly fulfilled",
            Status::Fulfilled => "Fulfilled",
            Status::NotFulfilled => "Not fulfilled",
        }
    }

    /// The one-line public definition printed beside the status on item pages.
    pub fn definition(self) -> &'static str {
        match self {
            Status::NotYetRated => {
                "No evidence has been assessed yet. This says nothing about whether work has started."
            }
            Status::InProgress => "Sources show concrete steps under way towards the commitment.",
            Status::Stalled => "Work started but has stopped, or has been postponed without a new date.",
            Status::PartlyFulfilled => "Part of the commitment has been delivered; the rest has not.",
            Status::Fulfilled => "Sources show the commitment has been delivered in full.",
            Status::NotFulfilled => {
                "The due date passed without delivery, or a source reports the commitment was abandoned."
            }
        }
    }

    /// How far along a party is, for the "least advanced party" rule.
    /// A broken commitment ranks below an unassessed one, and an unassessed one
    /// below any evidence of work, so the overall status never looks better
    /// than the weakest party's.
    pub fn advancement(self) -> u8 {
        match self {
            Status::NotFulfilled => 0,
            Status::NotYetRated => 1,
            Status::Stalled => 2,
            Status::InProgress => 3,
            Status::PartlyFulfilled => 4,
            Status::Fulfilled => 5,
        }
    }

    /// The overall status of a commitment from its owing parties' statuses:
    /// fulfilled only when every owing party has fulfilled it; otherwise the
    /// status of the least advanced party. No parties means not yet rated.
    pub fn overall<I: IntoIterator<Item = Status>>(party_statuses: I) -> Status {
        party_statuses
            .into_iter()
            .min_by_key(|status| status.advancement())
            .unwrap_or(Status::NotYetRated)
    }
}

impl FromStr for Status {
    type Err = UnknownStatus;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|status| status.code() == code)
            .ok_or_else(|| UnknownStatus(code.to_owned()))
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The rule stated to readers, kept next to the code that implements it.
pub const OVERALL_STATUS_RULE: &str = "The overall status is Fulfilled only when every owing party has fulfilled the commitment; otherwise it is the status of the least advanced party, ranked Not fulfilled, Not yet rated, Stalled, In progress, Partly fulfilled, Fulfilled.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        for status in Status::ALL {
            assert_eq!(status.code().parse::<Status>(), Ok(status));
        }
        let mut codes: Vec<_> = Status::ALL.iter().map(|s| s.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Status::ALL.len());
    }

    #[test]
    fn unknown_codes_are_refused_with_the_offending_text() {
        let err = "no_action".parse::<Status>().unwrap_err();
        assert_eq!(err, UnknownStatus("no_action".into()));
        assert!(err.to_string().contains("no_action"));
        assert!("Fulfilled".parse::<Status>().is_err(), "codes are case-sensitive");
        assert!("".parse::<Status>().is_err());
    }

    #[test]
    fn serde_uses_the_same_codes_as_the_database() {
        for status in Status::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.code()));
            assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), status);
        }
    }

    #[test]
    fn no_status_is_called_no_action_and_all_have_definitions() {
        for status in Status::ALL {
            assert!(!status.label().to_lowercase().contains("no action"));
            assert!(status.definition().ends_with('.'));
        }
    }

    #[test]
    fn overall_is_fulfilled_only_when_every_party_fulfilled() {
        use Status::*;
        assert_eq!(Status::overall([Fulfilled, Fulfilled]), Fulfilled);
        assert_eq!(Status::overall([Fulfilled]), Fulfilled);
        assert_eq!(Status::overall([Fulfilled, PartlyFulfilled]), PartlyFulfilled);
        assert_eq!(Status::overall([InProgress, Fulfilled]), InProgress);
    }

    #[test]
    fn overall_is_the_least_advanced_party() {
        use Status::*;
        assert_eq!(Status::overall([InProgress, NotYetRated]), NotYetRated);
        assert_eq!(Status::overall([Stalled, InProgress]), Stalled);
        assert_eq!(Status::overall([Fulfilled, NotFulfilled]), NotFulfilled);
        assert_eq!(Status::overall([NotYetRated, NotFulfilled]), NotFulfilled);
        assert_eq!(Status::overall(std::iter::empty()), NotYetRated);
    }
}

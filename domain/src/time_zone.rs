//! The time zone a summit's dates are reckoned in. A commitment made in Seoul
//! falls due at the end of the day in Seoul, not in UTC, so "today", overdue
//! flags and elapsed time are all computed in the summit's own zone.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An IANA time zone name that chrono-tz knows, e.g. `Asia/Seoul`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SummitTimeZone(chrono_tz::Tz);

impl SummitTimeZone {
    pub const UTC: SummitTimeZone = SummitTimeZone(chrono_tz::UTC);

    pub fn parse(name: &str) -> Option<SummitTimeZone> {
        name.parse::<chrono_tz::Tz>().ok().map(SummitTimeZone)
    }

    /// The IANA name, e.g. `Asia/Seoul`.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The zone's offset from UTC at `now`, e.g. `UTC+09:00`.
    pub fn utc_offset_at(&self, now: DateTime<Utc>) -> String {
        use chrono::Offset;
        let seconds = now.with_timezone(&self.0).offset().fix().local_minus_utc();
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.abs() / 60;
        format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    }

    /// The calendar day it is at `now` in this zone.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.0).date_naive()
    }
}

impl Default for SummitTimeZone {
    fn default() -> Self {
        SummitTimeZone::UTC
    }
}

/// A name that is not an IANA time zone.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not an IANA time zone")]
pub struct UnknownTimeZone(pub String);

impl TryFrom<String> for SummitTimeZone {
    type Error = UnknownTimeZone;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        SummitTimeZone::parse(&value).ok_or(UnknownTimeZone(value))
    }
}

impl From<SummitTimeZone> for String {
    fn from(zone: SummitTimeZone) -> String {
        zone.name().to_owned()
    }
}

impl std::str::FromStr for SummitTimeZone {
    type Err = UnknownTimeZone;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        SummitTimeZone::try_from(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_in_seoul_begins_nine_hours_before_the_day_in_utc() {
        let seoul = SummitTimeZone::parse("Asia/Seoul").unwrap();
        assert_eq!(seoul.name(), "Asia/Seoul");
        let late_utc = "2026-12-31T15:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(late_utc.date_naive().to_string(), "2026-12-31");
        assert_eq!(seoul.today(late_utc).to_string(), "2027-01-01");
        let early_utc = "2026-12-31T14:59:59Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(seoul.today(early_utc).to_string(), "2026-12-31");
        assert_eq!(seoul.utc_offset_at(late_utc), "UTC+09:00");
        let lima = SummitTimeZone::parse("America/Lima").unwrap();
        assert_eq!(lima.utc_offset_at(late_utc), "UTC-05:00");
        assert!(SummitTimeZone::parse("Asia/Atlantis").is_none());
        assert!(SummitTimeZone::try_from("Mars/Base".to_owned()).is_err());
    }
}

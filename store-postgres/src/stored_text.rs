//! Dates and times as the site stores them: ISO text, written exactly as
//! sqlx writes them into SQLite, so that a site copied from SQLite and the
//! rows written since compare, sort and cut ('YYYY-MM') alike.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// A day, as `2025-11-01`.
pub fn date_text(day: NaiveDate) -> String {
    day.format("%F").to_string()
}

/// An instant, as `2026-12-06T16:16:02.123456789+00:00` (RFC 3339 with as
/// many fractional digits as it has, sqlx's SQLite encoding).
pub fn timestamp_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// An instant read back from its stored text, to the nanosecond (a cast to
/// `timestamptz` would round it to the microsecond, and a copied site's
/// instants would no longer equal SQLite's). Takes the forms sqlx's SQLite
/// decoder takes, so that a value one engine reads the other reads alike:
/// RFC 3339 (what both engines write), then SQLite's date-and-time forms
/// with or without seconds, a `T` or a space, and an offset, a `Z` or none
/// (then UTC).
pub fn parse_timestamp(text: &str) -> Result<DateTime<Utc>, sqlx::Error> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    for date_time in ["%F %T%.f", "%F %R", "%FT%T%.f", "%FT%R"] {
        for zone in ["", "Z", "%:z"] {
            let form = format!("{date_time}{zone}");
            if let Ok(at) = DateTime::parse_from_str(text, &form) {
                return Ok(at.with_timezone(&Utc));
            }
            if let Ok(at) = chrono::NaiveDateTime::parse_from_str(text, &form) {
                return Ok(at.and_utc());
            }
        }
    }
    Err(sqlx::Error::Decode(format!("“{text}” is not a stored instant").into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn days_and_instants_are_written_as_sqlite_holds_them() {
        assert_eq!(date_text(NaiveDate::from_ymd_opt(2025, 11, 1).unwrap()), "2025-11-01");
        let at = Utc.with_ymd_and_hms(2026, 12, 6, 16, 16, 2).unwrap();
        assert_eq!(timestamp_text(at), "2026-12-06T16:16:02+00:00");
        let precise = at + chrono::Duration::microseconds(123_456);
        assert_eq!(timestamp_text(precise), "2026-12-06T16:16:02.123456+00:00");
    }

    #[test]
    fn stored_instants_read_back_to_the_nanosecond() {
        let at = Utc.with_ymd_and_hms(2026, 12, 6, 16, 16, 2).unwrap() + chrono::Duration::nanoseconds(123_456_789);
        assert_eq!(parse_timestamp(&timestamp_text(at)).unwrap(), at);
        let second = Utc.with_ymd_and_hms(2025, 11, 1, 9, 30, 0).unwrap();
        assert_eq!(parse_timestamp("2025-11-01 09:30:00").unwrap(), second);
        assert_eq!(parse_timestamp("2025-11-01 18:30:00+09:00").unwrap(), second);
        assert_eq!(parse_timestamp("2025-11-01T09:30Z").unwrap(), second);
        assert_eq!(parse_timestamp("2025-11-01 09:30").unwrap(), second);
        // A day is not an instant, for sqlx's SQLite decoder either.
        assert!(parse_timestamp("2025-11-01").is_err());
    }
}

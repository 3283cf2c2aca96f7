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
}

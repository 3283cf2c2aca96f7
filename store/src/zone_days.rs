//! "Today" at one instant in the time zone of every stored summit. A
//! commitment falls overdue when its due date has passed where its summit
//! was held, so the list's overdue filter compares each commitment with the
//! day in its own summit's zone (a JSON object from zone to day, read by
//! the SQL with `json_each`).

use chrono::{DateTime, NaiveDate, Utc};

use domain::SummitTimeZone;

use crate::commitments::decode;
use crate::engine::{Engine, EngineRef};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneDays {
    now: DateTime<Utc>,
    days: Vec<(SummitTimeZone, NaiveDate)>,
    json: String,
}

impl ZoneDays {
    /// The day at `now` in each time zone the stored summits use.
    pub async fn at(db: &impl Engine, now: DateTime<Utc>) -> Result<ZoneDays, sqlx::Error> {
        let zones = match db.engine() {
            EngineRef::Sqlite(pool) => {
                sqlx::query_scalar!("SELECT DISTINCT time_zone FROM summits ORDER BY time_zone")
                    .fetch_all(pool)
                    .await?
            }
            EngineRef::Postgres(pool) => store_postgres::page_changes::summit_time_zones(pool).await?,
        };
        let zones = zones
            .iter()
            .map(|name| decode::<SummitTimeZone>(name))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ZoneDays::of(now, zones))
    }

    /// The day at `now` in each of `zones` (each counted once, by name).
    pub fn of(now: DateTime<Utc>, zones: impl IntoIterator<Item = SummitTimeZone>) -> ZoneDays {
        let mut zones: Vec<SummitTimeZone> = zones.into_iter().collect();
        zones.sort_by_key(|zone| zone.name());
        zones.dedup();
        let days: Vec<(SummitTimeZone, NaiveDate)> = zones.into_iter().map(|zone| (zone, zone.today(now))).collect();
        let json = serde_json::Value::Object(
            days.iter()
                .map(|(zone, day)| (zone.name().to_owned(), serde_json::Value::String(day.to_string())))
                .collect(),
        )
        .to_string();
        ZoneDays { now, days, json }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// `{"Asia/Seoul": "2026-12-04", …}`, for the SQL.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// Each zone's name and its day ('YYYY-MM-DD'), side by side, for
    /// statements that bind arrays.
    pub fn zones_and_days(&self) -> (Vec<String>, Vec<String>) {
        self.days
            .iter()
            .map(|(zone, day)| (zone.name().to_owned(), day.to_string()))
            .unzip()
    }

    /// The zone of a view: `zone` when the view is about one summit, else
    /// the one zone every summit shares, else UTC.
    pub fn zone_for(&self, zone: Option<SummitTimeZone>) -> SummitTimeZone {
        match (zone, self.days.as_slice()) {
            (Some(zone), _) => zone,
            (None, [(only, _)]) => *only,
            _ => SummitTimeZone::UTC,
        }
    }

    /// The day of a view, in [`ZoneDays::zone_for`].
    pub fn day_for(&self, zone: Option<SummitTimeZone>) -> NaiveDate {
        self.zone_for(zone).today(self.now)
    }

    /// The earliest of the zones' days (UTC's when there are no summits):
    /// a commitment due before it is overdue in every zone.
    pub fn earliest(&self) -> NaiveDate {
        self.days
            .iter()
            .map(|(_, day)| *day)
            .min()
            .unwrap_or_else(|| SummitTimeZone::UTC.today(self.now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_zone_has_its_own_day_and_a_mixed_view_falls_back_to_utc() {
        let seoul = SummitTimeZone::parse("Asia/Seoul").unwrap();
        let lima = SummitTimeZone::parse("America/Lima").unwrap();
        let now: DateTime<Utc> = "2026-12-31T20:00:00Z".parse().unwrap();
        let both = ZoneDays::of(now, [lima, seoul]);
        assert_eq!(
            both.json(),
            r#"{"America/Lima":"2026-12-31","Asia/Seoul":"2027-01-01"}"#
        );
        assert_eq!(both.day_for(Some(seoul)).to_string(), "2027-01-01");
        assert_eq!(both.day_for(None).to_string(), "2026-12-31", "mixed zones: UTC");
        let one = ZoneDays::of(now, [seoul, seoul]);
        assert_eq!(one.day_for(None).to_string(), "2027-01-01");
    }
}

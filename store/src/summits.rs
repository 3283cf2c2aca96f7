use chrono::NaiveDate;

use crate::engine::{Engine, EngineRef};

use domain::{Slug, SummitTimeZone, SummitView};
use store_rows::SummitRow;

fn summit_view(row: SummitRow) -> Result<SummitView, sqlx::Error> {
    Ok(SummitView {
        slug: super::commitments::decode::<Slug>(&row.slug)?,
        title: row.title,
        held_on: row.held_on,
        location: row.location,
        summary: row.summary,
        time_zone: super::commitments::decode(&row.time_zone)?,
        language: Default::default(),
        translations: Vec::new(),
    })
}

pub async fn count_summits(db: &impl Engine) -> Result<i64, sqlx::Error> {
    let pool = match db.engine() {
        EngineRef::Sqlite(pool) => pool,
        EngineRef::Postgres(pool) => return store_postgres::summits::count_summits(pool).await,
    };
    let row = sqlx::query!(r#"SELECT COUNT(*) AS "count!: i64" FROM summits"#)
        .fetch_one(pool)
        .await?;
    Ok(row.count)
}

/// The most recent summit, the one the front page leads with.
pub async fn latest_summit(db: &impl Engine) -> Result<Option<SummitView>, sqlx::Error> {
    let row = match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_as!(
                SummitRow,
                r#"SELECT slug, title, held_on AS "held_on: NaiveDate", location, summary, time_zone
                   FROM summits ORDER BY held_on DESC, id DESC LIMIT 1"#
            )
            .fetch_optional(pool)
            .await?
        }
        EngineRef::Postgres(pool) => store_postgres::summits::latest_summit(pool).await?,
    };
    Ok(translated(db, row.into_iter().collect()).await?.pop())
}

/// The rows as summits, in the same order, with their translations.
async fn translated(db: &impl Engine, rows: Vec<SummitRow>) -> Result<Vec<SummitView>, sqlx::Error> {
    let mut summits = rows
        .into_iter()
        .map(summit_view)
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    crate::translations::add_to_summits(db, summits.iter_mut()).await?;
    Ok(summits)
}

/// What a list page needs of the summits (`newest_summits`).
#[derive(Clone, Debug, PartialEq)]
pub struct SummitChoices {
    /// The newest summits, newest first, with their translations; and the
    /// one asked for when it is older.
    pub summits: Vec<SummitView>,
    /// How many summits there are in all.
    pub total: u64,
    /// Every time zone a summit is held in, each once.
    pub time_zones: Vec<SummitTimeZone>,
}

/// The newest `limit` summits (and `also`, when it is older), how many there
/// are, and their time zones: a list page offers a few summits but reckons
/// "today" in every summit's zone, and reading all 200 summits of a big
/// site with their texts on every render cost more than the rest of a
/// small page (docs/PERFORMANCE.md, issue 17).
pub async fn newest_summits(db: &impl Engine, limit: usize, also: Option<&Slug>) -> Result<SummitChoices, sqlx::Error> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let also = also.map(|slug| slug.as_str());
    // The summits offered (then their translations) beside the census of
    // every summit: a list page waits for the slower, not both.
    let offered = async {
        let rows = match db.engine() {
            EngineRef::Sqlite(pool) => {
                sqlx::query_as!(
                    SummitRow,
                    r#"SELECT slug, title, held_on AS "held_on: NaiveDate", location, summary, time_zone
           FROM summits
           WHERE id IN (SELECT id FROM summits ORDER BY held_on DESC, id DESC LIMIT ?1) OR slug = ?2
           ORDER BY held_on DESC, id DESC"#,
                    limit,
                    also
                )
                .fetch_all(pool)
                .await?
            }
            EngineRef::Postgres(pool) => store_postgres::summits::newest_summits(pool, limit, also).await?,
        };
        translated(db, rows).await
    };
    let census = async {
        match db.engine() {
            EngineRef::Sqlite(pool) => {
                let census = sqlx::query!(
                    r#"SELECT count(*) AS "total!: i64", json_group_array(DISTINCT time_zone) AS "zones!: String" FROM summits"#
                )
                .fetch_one(pool)
                .await?;
                let zones =
                    serde_json::from_str::<Vec<String>>(&census.zones).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
                Ok::<_, sqlx::Error>((census.total, zones))
            }
            EngineRef::Postgres(pool) => store_postgres::summits::census(pool).await,
        }
    };
    let (summits, (total, zones)) = tokio::try_join!(offered, census)?;
    let mut time_zones = zones
        .iter()
        .map(|name| super::commitments::decode::<SummitTimeZone>(name))
        .collect::<Result<Vec<_>, _>>()?;
    // By name, whichever order the engine gathered them in.
    time_zones.sort_by_key(|zone| zone.name());
    Ok(SummitChoices {
        summits,
        total: u64::try_from(total).unwrap_or(0),
        time_zones,
    })
}

/// Every summit, newest first, for the commitment form's summit choice.
pub async fn list_summits(db: &impl Engine) -> Result<Vec<SummitView>, sqlx::Error> {
    let rows = match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_as!(
                SummitRow,
                r#"SELECT slug, title, held_on AS "held_on: NaiveDate", location, summary, time_zone
                   FROM summits ORDER BY held_on DESC, id DESC"#
            )
            .fetch_all(pool)
            .await?
        }
        EngineRef::Postgres(pool) => store_postgres::summits::list_summits(pool).await?,
    };
    translated(db, rows).await
}

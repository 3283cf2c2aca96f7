use chrono::NaiveDate;
use sqlx::SqlitePool;

use domain::{Slug, SummitView};

struct SummitRow {
    slug: String,
    title: String,
    held_on: NaiveDate,
    location: String,
    summary: String,
    time_zone: String,
}

impl SummitRow {
    fn into_view(self) -> Result<SummitView, sqlx::Error> {
        Ok(SummitView {
            slug: super::commitments::decode::<Slug>(&self.slug)?,
            title: self.title,
            held_on: self.held_on,
            location: self.location,
            summary: self.summary,
            time_zone: super::commitments::decode(&self.time_zone)?,
            language: Default::default(),
            translations: Vec::new(),
        })
    }
}

pub async fn count_summits(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    let row = sqlx::query!(r#"SELECT COUNT(*) AS "count!: i64" FROM summits"#)
        .fetch_one(pool)
        .await?;
    Ok(row.count)
}

/// The most recent summit, the one the front page leads with.
pub async fn latest_summit(pool: &SqlitePool) -> Result<Option<SummitView>, sqlx::Error> {
    let summit = sqlx::query_as!(
        SummitRow,
        r#"SELECT slug, title, held_on AS "held_on: NaiveDate", location, summary, time_zone
           FROM summits ORDER BY held_on DESC, id DESC LIMIT 1"#
    )
    .fetch_optional(pool)
    .await?
    .map(SummitRow::into_view)
    .transpose()?
    .map(|mut summit| async move {
        crate::translations::add_to_summits(pool, [&mut summit]).await?;
        Ok(summit)
    });
    match summit {
        Some(summit) => summit.await.map(Some),
        None => Ok(None),
    }
}

/// Every summit, newest first, for the commitment form's summit choice.
pub async fn list_summits(pool: &SqlitePool) -> Result<Vec<SummitView>, sqlx::Error> {
    let mut summits = sqlx::query_as!(
        SummitRow,
        r#"SELECT slug, title, held_on AS "held_on: NaiveDate", location, summary, time_zone
           FROM summits ORDER BY held_on DESC, id DESC"#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(SummitRow::into_view)
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    crate::translations::add_to_summits(pool, summits.iter_mut()).await?;
    Ok(summits)
}

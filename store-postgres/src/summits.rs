//! Summits as pages show them, with their translations (the twin of
//! `store::summits` and the summit half of `store::translations`).
//!
//! Dates are ISO text on both engines (migrations/postgres says why); a
//! read casts them to `date` so that sqlx hands back a `NaiveDate`.

use std::collections::HashMap;

use domain::{Locale, Slug, SummitTranslation, SummitView};
use sqlx::PgPool;

use crate::decode::{decode, locale};

struct SummitRow {
    slug: String,
    title: String,
    held_on: chrono::NaiveDate,
    location: String,
    summary: String,
    time_zone: String,
}

impl SummitRow {
    fn into_view(self) -> Result<SummitView, sqlx::Error> {
        Ok(SummitView {
            slug: decode::<Slug>(&self.slug)?,
            title: self.title,
            held_on: self.held_on,
            location: self.location,
            summary: self.summary,
            time_zone: decode(&self.time_zone)?,
            language: Default::default(),
            translations: Vec::new(),
        })
    }
}

pub async fn count_summits(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "count!" FROM summits"#)
        .fetch_one(pool)
        .await
}

/// The most recent summit, the one the front page leads with.
pub async fn latest_summit(pool: &PgPool) -> Result<Option<SummitView>, sqlx::Error> {
    let row = sqlx::query_as!(
        SummitRow,
        r#"SELECT slug, title, held_on::date AS "held_on!", location, summary, time_zone
           FROM summits ORDER BY held_on DESC, id DESC LIMIT 1"#
    )
    .fetch_optional(pool)
    .await?;
    Ok(translated(pool, row.into_iter().collect()).await?.pop())
}

/// Every summit, newest first, for the commitment form's summit choice.
pub async fn list_summits(pool: &PgPool) -> Result<Vec<SummitView>, sqlx::Error> {
    let rows = sqlx::query_as!(
        SummitRow,
        r#"SELECT slug, title, held_on::date AS "held_on!", location, summary, time_zone
           FROM summits ORDER BY held_on DESC, id DESC"#
    )
    .fetch_all(pool)
    .await?;
    translated(pool, rows).await
}

/// The rows as summits, in the same order, with their translations.
async fn translated(pool: &PgPool, rows: Vec<SummitRow>) -> Result<Vec<SummitView>, sqlx::Error> {
    let mut summits = rows
        .into_iter()
        .map(SummitRow::into_view)
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    if summits.is_empty() {
        return Ok(summits);
    }
    let slugs: Vec<String> = summits.iter().map(|s| s.slug.as_str().to_string()).collect();
    let texts = of_summits(pool, &slugs).await?;
    for summit in &mut summits {
        if let Some((language, translations)) = texts.get(&summit.slug) {
            summit.language = *language;
            summit.translations = translations.clone();
        }
    }
    Ok(summits)
}

/// The original language and translations of the summits with these slugs.
async fn of_summits(
    pool: &PgPool,
    slugs: &[String],
) -> Result<HashMap<Slug, (Locale, Vec<SummitTranslation>)>, sqlx::Error> {
    // Both at once, each on a connection of its own.
    let originals = sqlx::query!("SELECT slug, language FROM summits WHERE slug = ANY($1)", slugs).fetch_all(pool);
    let rows = sqlx::query!(
        r#"SELECT s.slug, t.language, t.title, t.location, t.summary, t.translated_by
           FROM summits s JOIN summit_translations t ON t.summit_id = s.id
           WHERE s.slug = ANY($1)
           ORDER BY s.id, t.language"#,
        slugs
    )
    .fetch_all(pool);
    let (originals, rows) = tokio::try_join!(originals, rows)?;
    let mut texts = HashMap::new();
    for row in originals {
        texts.insert(decode::<Slug>(&row.slug)?, (locale(&row.language)?, Vec::new()));
    }
    for row in rows {
        if let Some((_, translations)) = texts.get_mut(&decode::<Slug>(&row.slug)?) {
            translations.push(SummitTranslation {
                language: locale(&row.language)?,
                title: row.title,
                location: row.location,
                summary: row.summary,
                translated_by: row.translated_by,
            });
        }
    }
    Ok(texts)
}

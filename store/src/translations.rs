//! Reading the texts of commitments and summits in other languages (the
//! writes are in `editing`, as revisions). Read models are first loaded in
//! their original language, then given their translations here, with one
//! query per kind of text.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use store_rows::{CommitmentLanguageRow, CommitmentTranslationRow, SummitLanguageRow, SummitTranslationRow};

use crate::engine::{Engine, EngineRef, Tx};
use domain::{CommitmentTranslation, Locale, Slug, SummitRef, SummitTranslation, SummitView, TranslatedTitle};

use crate::commitments::decode;

fn locale(code: &str) -> Result<Locale, sqlx::Error> {
    Locale::from_code(code).ok_or_else(|| sqlx::Error::Decode(format!("unknown language “{code}”").into()))
}

/// Stores a commitment's translation into one language, replacing the one
/// it had (the seed, a revert and an editor's save all write through here).
pub(crate) async fn put_commitment_translation(
    tx: &mut Tx<'_>,
    commitment_id: i64,
    translation: &CommitmentTranslation,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let language = translation.language.code();
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "INSERT INTO commitment_translations (commitment_id, language, title, summary, translated_by,
                                                      updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (commitment_id, language) DO UPDATE
                   SET title = excluded.title, summary = excluded.summary,
                       translated_by = excluded.translated_by, updated_at = excluded.updated_at",
                commitment_id,
                language,
                translation.title,
                translation.summary,
                translation.translated_by,
                now
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => {
            store_postgres::editing::put_translation(
                c,
                commitment_id,
                language,
                &translation.title,
                &translation.summary,
                &translation.translated_by,
                &store_postgres::stored_text::timestamp_text(now),
            )
            .await
        }
    }
}

/// The original language and translations of the given commitments, by id.
pub(crate) async fn of_commitments(
    db: &impl Engine,
    ids: &[i64],
) -> Result<HashMap<i64, (Locale, Vec<CommitmentTranslation>)>, sqlx::Error> {
    let (originals, rows) = match db.engine() {
        EngineRef::Sqlite(pool) => commitment_rows_on_sqlite(pool, ids).await?,
        EngineRef::Postgres(pool) => store_postgres::translations::of_commitments(pool, ids).await?,
    };
    let mut texts = HashMap::new();
    for row in originals {
        texts.insert(row.id, (locale(&row.language)?, Vec::new()));
    }
    for row in rows {
        if let Some((_, translations)) = texts.get_mut(&row.commitment_id) {
            translations.push(CommitmentTranslation {
                language: locale(&row.language)?,
                title: row.title,
                summary: row.summary,
                translated_by: row.translated_by,
            });
        }
    }
    Ok(texts)
}

async fn commitment_rows_on_sqlite(
    pool: &SqlitePool,
    ids: &[i64],
) -> Result<(Vec<CommitmentLanguageRow>, Vec<CommitmentTranslationRow>), sqlx::Error> {
    // SQLite binds no arrays; a JSON array read with json_each stands in.
    let ids_json = serde_json::to_string(ids).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    // Both at once, each on a connection of its own: a list page waits
    // for the slower, not both.
    let originals = sqlx::query_as!(
        CommitmentLanguageRow,
        r#"SELECT c.id AS "id!: i64", c.language
           FROM json_each(?1) wanted JOIN commitments c ON c.id = wanted.value"#,
        ids_json
    )
    .fetch_all(pool);
    let rows = sqlx::query_as!(
        CommitmentTranslationRow,
        r#"SELECT t.commitment_id AS "commitment_id!: i64", t.language, t.title, t.summary, t.translated_by
           FROM json_each(?1) wanted
           JOIN commitment_translations t ON t.commitment_id = wanted.value
           ORDER BY t.commitment_id, t.language"#,
        ids_json
    )
    .fetch_all(pool);
    tokio::try_join!(originals, rows)
}

/// The original language and translations of the summits with these slugs
/// (each once): only those, so that a page showing a few of 200 summits
/// reads a few (docs/PERFORMANCE.md, issue 17).
async fn of_summits(
    db: &impl Engine,
    slugs: &[String],
) -> Result<HashMap<Slug, (Locale, Vec<SummitTranslation>)>, sqlx::Error> {
    let (originals, rows) = match db.engine() {
        EngineRef::Sqlite(pool) => summit_rows_on_sqlite(pool, slugs).await?,
        EngineRef::Postgres(pool) => store_postgres::translations::of_summits(pool, slugs).await?,
    };
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

async fn summit_rows_on_sqlite(
    pool: &SqlitePool,
    slugs: &[String],
) -> Result<(Vec<SummitLanguageRow>, Vec<SummitTranslationRow>), sqlx::Error> {
    let slugs_json = serde_json::to_string(slugs).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    // Both at once, as `of_commitments`.
    let originals = sqlx::query_as!(
        SummitLanguageRow,
        "SELECT slug, language FROM summits WHERE slug IN (SELECT value FROM json_each(?1))",
        slugs_json
    )
    .fetch_all(pool);
    let rows = sqlx::query_as!(
        SummitTranslationRow,
        r#"SELECT s.slug, t.language, t.title, t.location, t.summary, t.translated_by
           FROM summits s JOIN summit_translations t ON t.summit_id = s.id
           WHERE s.slug IN (SELECT value FROM json_each(?1))
           ORDER BY s.id, t.language"#,
        slugs_json
    )
    .fetch_all(pool);
    tokio::try_join!(originals, rows)
}

/// The slugs, each once.
fn distinct_slugs<'a>(slugs: impl IntoIterator<Item = &'a Slug>) -> Vec<String> {
    let mut slugs: Vec<String> = slugs.into_iter().map(|slug| slug.as_str().to_owned()).collect();
    slugs.sort_unstable();
    slugs.dedup();
    slugs
}

/// Gives summits their original language and translations.
pub async fn add_to_summits<'a>(
    db: &impl Engine,
    summits: impl IntoIterator<Item = &'a mut SummitView>,
) -> Result<(), sqlx::Error> {
    let summits: Vec<&mut SummitView> = summits.into_iter().collect();
    if summits.is_empty() {
        return Ok(());
    }
    let texts = of_summits(db, &distinct_slugs(summits.iter().map(|s| &s.slug))).await?;
    for summit in summits {
        // A summit may be given twice (the same one in two places).
        if let Some((language, translations)) = texts.get(&summit.slug) {
            summit.language = *language;
            summit.translations = translations.clone();
        }
    }
    Ok(())
}

/// Gives summit references (in list rows and filter choices) their
/// original language and translated titles.
pub async fn add_to_summit_refs<'a>(
    db: &impl Engine,
    refs: impl IntoIterator<Item = &'a mut SummitRef>,
) -> Result<(), sqlx::Error> {
    let refs: Vec<&mut SummitRef> = refs.into_iter().collect();
    if refs.is_empty() {
        return Ok(());
    }
    let texts = of_summits(db, &distinct_slugs(refs.iter().map(|s| &s.slug))).await?;
    for summit in refs {
        if let Some((language, translations)) = texts.get(&summit.slug) {
            summit.language = *language;
            summit.translated_titles = translations
                .iter()
                .map(|t| TranslatedTitle {
                    language: t.language,
                    title: t.title.clone(),
                    translated_by: t.translated_by.clone(),
                })
                .collect();
        }
    }
    Ok(())
}

//! Reading the texts of commitments and summits in other languages (the
//! writes are in `editing`, as revisions). Read models are first loaded in
//! their original language, then given their translations here, with one
//! query per kind of text.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::{Sqlite, SqlitePool, Transaction};

use domain::{CommitmentTranslation, Locale, Slug, SummitRef, SummitTranslation, SummitView, TranslatedTitle};

use crate::commitments::decode;

fn locale(code: &str) -> Result<Locale, sqlx::Error> {
    Locale::from_code(code).ok_or_else(|| sqlx::Error::Decode(format!("unknown language “{code}”").into()))
}

/// Stores a commitment's translation into one language, replacing the one
/// it had (the seed, a revert and an editor's save all write through here).
pub(crate) async fn put_commitment_translation(
    tx: &mut Transaction<'_, Sqlite>,
    commitment_id: i64,
    translation: &CommitmentTranslation,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let language = translation.language.code();
    sqlx::query!(
        "INSERT INTO commitment_translations (commitment_id, language, title, summary, translated_by, updated_at)
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
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The original language and translations of the given commitments, by id.
pub(crate) async fn of_commitments(
    pool: &SqlitePool,
    ids_json: &str,
) -> Result<HashMap<i64, (Locale, Vec<CommitmentTranslation>)>, sqlx::Error> {
    // Both at once, each on a connection of its own: a list page waits
    // for the slower, not both.
    let originals = sqlx::query!(
        r#"SELECT c.id AS "id!: i64", c.language
           FROM json_each(?1) wanted JOIN commitments c ON c.id = wanted.value"#,
        ids_json
    )
    .fetch_all(pool);
    let rows = sqlx::query!(
        r#"SELECT t.commitment_id AS "commitment_id!: i64", t.language, t.title, t.summary, t.translated_by
           FROM json_each(?1) wanted
           JOIN commitment_translations t ON t.commitment_id = wanted.value
           ORDER BY t.commitment_id, t.language"#,
        ids_json
    )
    .fetch_all(pool);
    let (originals, rows) = tokio::try_join!(originals, rows)?;
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

/// The original language and translations of the summits whose slugs are
/// in the JSON array `slugs_json`: only those, so that a page showing a
/// few of 200 summits reads a few (docs/PERFORMANCE.md, issue 17).
async fn of_summits(
    pool: &SqlitePool,
    slugs_json: &str,
) -> Result<HashMap<Slug, (Locale, Vec<SummitTranslation>)>, sqlx::Error> {
    // Both at once, as `of_commitments`.
    let originals = sqlx::query!(
        "SELECT slug, language FROM summits WHERE slug IN (SELECT value FROM json_each(?1))",
        slugs_json
    )
    .fetch_all(pool);
    let rows = sqlx::query!(
        r#"SELECT s.slug, t.language, t.title, t.location, t.summary, t.translated_by
           FROM summits s JOIN summit_translations t ON t.summit_id = s.id
           WHERE s.slug IN (SELECT value FROM json_each(?1))
           ORDER BY s.id, t.language"#,
        slugs_json
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

/// The slugs as a JSON array, each once.
fn slugs_json<'a>(slugs: impl IntoIterator<Item = &'a Slug>) -> Result<String, sqlx::Error> {
    let mut slugs: Vec<&str> = slugs.into_iter().map(|slug| slug.as_str()).collect();
    slugs.sort_unstable();
    slugs.dedup();
    serde_json::to_string(&slugs).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// Gives summits their original language and translations.
pub async fn add_to_summits<'a>(
    pool: &SqlitePool,
    summits: impl IntoIterator<Item = &'a mut SummitView>,
) -> Result<(), sqlx::Error> {
    let summits: Vec<&mut SummitView> = summits.into_iter().collect();
    if summits.is_empty() {
        return Ok(());
    }
    let texts = of_summits(pool, &slugs_json(summits.iter().map(|s| &s.slug))?).await?;
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
    pool: &SqlitePool,
    refs: impl IntoIterator<Item = &'a mut SummitRef>,
) -> Result<(), sqlx::Error> {
    let refs: Vec<&mut SummitRef> = refs.into_iter().collect();
    if refs.is_empty() {
        return Ok(());
    }
    let texts = of_summits(pool, &slugs_json(refs.iter().map(|s| &s.slug))?).await?;
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

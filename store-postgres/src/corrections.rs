//! The public list of corrections, as rows (the twin of
//! `store::corrections`' statements).

use sqlx::PgPool;
use store_rows::{CitingCommitmentRow, DataCorrectionRow, RevertRow, SourceCorrectionRow};

use crate::stored_text::parse_timestamp;

/// The latest `limit` later versions of sources, newest first: of every
/// source, or of those the commitment `slug` lists.
pub async fn source_corrections(
    pool: &PgPool,
    slug: Option<&str>,
    limit: i64,
) -> Result<Vec<SourceCorrectionRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT source_id AS "source_id!", version AS "version!", publisher AS "publisher!", title AS "title!",
                  correction_note, recorded_by AS "recorded_by!", recorded_at AS "recorded_at!"
           FROM source_versions
           WHERE version > 1
             AND ($2::text IS NULL OR source_id IN (
                     SELECT cs.source_id FROM commitment_sources cs
                     JOIN commitments c ON c.id = cs.commitment_id WHERE c.slug = $2))
           ORDER BY recorded_at DESC, source_id DESC LIMIT $1"#,
        limit,
        slug
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(SourceCorrectionRow {
                source_id: row.source_id,
                version: row.version,
                publisher: row.publisher,
                title: row.title,
                correction_note: row.correction_note,
                recorded_by: row.recorded_by,
                recorded_at: parse_timestamp(&row.recorded_at)?,
            })
        })
        .collect()
}

/// The commitments that list these sources, in list order.
pub async fn citing_commitments(pool: &PgPool, source_ids: &[i64]) -> Result<Vec<CitingCommitmentRow>, sqlx::Error> {
    sqlx::query_as!(
        CitingCommitmentRow,
        r#"SELECT cs.source_id AS "source_id!", c.slug AS "slug!", c.title AS "title!" FROM commitment_sources cs
           JOIN commitments c ON c.id = cs.commitment_id
           WHERE cs.source_id = ANY($1)
           ORDER BY c.position, c.id"#,
        source_ids
    )
    .fetch_all(pool)
    .await
}

/// The latest `limit` reverts, newest first, of every commitment or of
/// the one with `slug`.
pub async fn reverts(pool: &PgPool, slug: Option<&str>, limit: i64) -> Result<Vec<RevertRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT c.slug AS "slug!", c.title AS "title!", r.version AS "version!", r.summary AS "summary!",
                  r.recorded_by AS "recorded_by!", r.created_at AS "created_at!"
           FROM revisions r JOIN commitments c ON c.id = r.commitment_id
           WHERE r.action = 'revert' AND ($2::text IS NULL OR c.slug = $2)
           ORDER BY r.created_at DESC, r.id DESC LIMIT $1"#,
        limit,
        slug
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(RevertRow {
                slug: row.slug,
                title: row.title,
                version: row.version,
                summary: row.summary,
                recorded_by: row.recorded_by,
                created_at: parse_timestamp(&row.created_at)?,
            })
        })
        .collect()
}

/// The latest `limit` corrections to shipped data, newest first, of every
/// commitment or of the one with `slug`.
pub async fn data_corrections(
    pool: &PgPool,
    slug: Option<&str>,
    limit: i64,
) -> Result<Vec<DataCorrectionRow>, sqlx::Error> {
    sqlx::query_as!(
        DataCorrectionRow,
        r#"SELECT d.id AS "id!", d.made_on::date AS "made_on!", d.what AS "what!", d.why AS "why!",
                  c.slug AS "slug?", c.title AS "title?"
           FROM data_corrections d LEFT JOIN commitments c ON c.id = d.commitment_id
           WHERE $2::text IS NULL OR c.slug = $2
           ORDER BY d.made_on DESC, d.id DESC LIMIT $1"#,
        limit,
        slug
    )
    .fetch_all(pool)
    .await
}

//! The public list of corrections: sources corrected (their later
//! versions), commitments reverted, and corrections to the shipped data,
//! newest first.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqlitePool;
use std::collections::HashMap;

use domain::{CorrectedItem, CorrectionEntry, CorrectionKind, Slug};
use store_rows::{CitingCommitmentRow, DataCorrectionRow, RevertRow, SourceCorrectionRow};

use crate::commitments::decode;
use crate::engine::{Engine, EngineRef};

/// The latest `limit` corrections of every kind, newest first: of every
/// commitment, or of the one named (its sources' corrections, its reverts
/// and the data corrections that name it).
pub async fn list_corrections(
    db: &impl Engine,
    commitment: Option<&Slug>,
    limit: i64,
) -> Result<Vec<CorrectionEntry>, sqlx::Error> {
    let slug = commitment.map(Slug::as_str);
    let mut entries = source_corrections(db, slug, limit).await?;
    entries.extend(reverts(db, slug, limit).await?);
    entries.extend(data_corrections(db, slug, limit).await?);
    entries.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.key.cmp(&a.key)));
    entries.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(entries)
}

async fn source_corrections(
    db: &impl Engine,
    slug: Option<&str>,
    limit: i64,
) -> Result<Vec<CorrectionEntry>, sqlx::Error> {
    let corrected = match db.engine() {
        EngineRef::Sqlite(pool) => source_correction_rows_on_sqlite(pool, slug, limit).await?,
        EngineRef::Postgres(pool) => store_postgres::corrections::source_corrections(pool, slug, limit).await?,
    };
    if corrected.is_empty() {
        return Ok(Vec::new());
    }
    let corrected_ids: Vec<i64> = corrected.iter().map(|c| c.source_id).collect();
    let citing = match db.engine() {
        EngineRef::Sqlite(pool) => citing_rows_on_sqlite(pool, &corrected_ids).await?,
        EngineRef::Postgres(pool) => store_postgres::corrections::citing_commitments(pool, &corrected_ids).await?,
    };
    let mut items: HashMap<i64, Vec<CorrectedItem>> = HashMap::new();
    for row in citing {
        items.entry(row.source_id).or_default().push(CorrectedItem {
            slug: decode(&row.slug)?,
            title: row.title,
        });
    }
    // What each correction changed: the versions on either side of it, all
    // read at once.
    let versions = crate::evidence::versions_of(db, &corrected_ids).await?;
    let mut entries = Vec::new();
    for row in corrected {
        let versions = versions.get(&row.source_id).map(Vec::as_slice).unwrap_or_default();
        let changes = domain::corrections_after(versions, row.version - 1)
            .into_iter()
            .find(|c| c.version == row.version)
            .map(|c| c.changes)
            .unwrap_or_default();
        entries.push(CorrectionEntry {
            kind: CorrectionKind::Source,
            key: format!("source-{}-v{}", row.source_id, row.version),
            at: row.recorded_at,
            by: row.recorded_by,
            items: items.get(&row.source_id).cloned().unwrap_or_default(),
            what: format!("{}, “{}” (version {})", row.publisher, row.title, row.version),
            why: row.correction_note.unwrap_or_default(),
            changes,
            version: None,
        });
    }
    Ok(entries)
}

async fn source_correction_rows_on_sqlite(
    pool: &SqlitePool,
    slug: Option<&str>,
    limit: i64,
) -> Result<Vec<SourceCorrectionRow>, sqlx::Error> {
    sqlx::query_as!(
        SourceCorrectionRow,
        r#"SELECT source_id AS "source_id!: i64", version AS "version!: i64", publisher, title,
                  correction_note, recorded_by, recorded_at AS "recorded_at: DateTime<Utc>"
           FROM source_versions
           WHERE version > 1
             AND (?2 IS NULL OR source_id IN (
                     SELECT cs.source_id FROM commitment_sources cs
                     JOIN commitments c ON c.id = cs.commitment_id WHERE c.slug = ?2))
           ORDER BY recorded_at DESC, source_id DESC LIMIT ?1"#,
        limit,
        slug
    )
    .fetch_all(pool)
    .await
}

async fn citing_rows_on_sqlite(pool: &SqlitePool, source_ids: &[i64]) -> Result<Vec<CitingCommitmentRow>, sqlx::Error> {
    let ids = serde_json::to_string(source_ids).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query_as!(
        CitingCommitmentRow,
        r#"SELECT cs.source_id AS "source_id!: i64", c.slug, c.title FROM commitment_sources cs
           JOIN commitments c ON c.id = cs.commitment_id
           WHERE cs.source_id IN (SELECT value FROM json_each(?1))
           ORDER BY c.position, c.id"#,
        ids
    )
    .fetch_all(pool)
    .await
}

async fn reverts(db: &impl Engine, slug: Option<&str>, limit: i64) -> Result<Vec<CorrectionEntry>, sqlx::Error> {
    let rows = match db.engine() {
        EngineRef::Sqlite(pool) => revert_rows_on_sqlite(pool, slug, limit).await?,
        EngineRef::Postgres(pool) => store_postgres::corrections::reverts(pool, slug, limit).await?,
    };
    rows.into_iter()
        .map(|row| {
            Ok(CorrectionEntry {
                kind: CorrectionKind::Revert,
                key: format!("revert-{}-{}", row.slug, row.version),
                at: row.created_at,
                by: row.recorded_by,
                items: vec![CorrectedItem {
                    slug: decode(&row.slug)?,
                    title: row.title,
                }],
                what: row.summary,
                why: String::new(),
                changes: Vec::new(),
                version: Some(row.version),
            })
        })
        .collect()
}

async fn revert_rows_on_sqlite(
    pool: &SqlitePool,
    slug: Option<&str>,
    limit: i64,
) -> Result<Vec<RevertRow>, sqlx::Error> {
    sqlx::query_as!(
        RevertRow,
        r#"SELECT c.slug, c.title, r.version AS "version!: i64", r.summary, r.recorded_by,
                  r.created_at AS "created_at: DateTime<Utc>"
           FROM revisions r JOIN commitments c ON c.id = r.commitment_id
           WHERE r.action = 'revert' AND (?2 IS NULL OR c.slug = ?2)
           ORDER BY r.created_at DESC, r.id DESC LIMIT ?1"#,
        limit,
        slug
    )
    .fetch_all(pool)
    .await
}

async fn data_corrections(
    db: &impl Engine,
    slug: Option<&str>,
    limit: i64,
) -> Result<Vec<CorrectionEntry>, sqlx::Error> {
    let rows = match db.engine() {
        EngineRef::Sqlite(pool) => data_correction_rows_on_sqlite(pool, slug, limit).await?,
        EngineRef::Postgres(pool) => store_postgres::corrections::data_corrections(pool, slug, limit).await?,
    };
    rows.into_iter()
        .map(|row| {
            let items = match (row.slug, row.title) {
                (Some(slug), Some(title)) => vec![CorrectedItem {
                    slug: decode(&slug)?,
                    title,
                }],
                _ => Vec::new(),
            };
            Ok(CorrectionEntry {
                kind: CorrectionKind::Data,
                key: format!("data-{}", row.id),
                // A data correction is dated by day; it sorts at that day's start.
                at: row.made_on.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
                by: "Accord".to_owned(),
                items,
                what: row.what,
                why: row.why,
                changes: Vec::new(),
                version: None,
            })
        })
        .collect()
}

async fn data_correction_rows_on_sqlite(
    pool: &SqlitePool,
    slug: Option<&str>,
    limit: i64,
) -> Result<Vec<DataCorrectionRow>, sqlx::Error> {
    sqlx::query_as!(
        DataCorrectionRow,
        r#"SELECT d.id AS "id!: i64", d.made_on AS "made_on: NaiveDate", d.what, d.why,
                  c.slug AS "slug?", c.title AS "title?"
           FROM data_corrections d LEFT JOIN commitments c ON c.id = d.commitment_id
           WHERE ?2 IS NULL OR c.slug = ?2
           ORDER BY d.made_on DESC, d.id DESC LIMIT ?1"#,
        limit,
        slug
    )
    .fetch_all(pool)
    .await
}

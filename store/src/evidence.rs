//! Sources as versioned evidence: a source's first version is stored with
//! it, a correction adds a version (the earlier text stays), and readers get
//! every version back to tell what changed and when.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqlitePool;
use std::collections::HashMap;
use store_postgres::evidence::SourceTextInsert;
use store_postgres::stored_text::{date_text, timestamp_text};

use domain::{SourceText, SourceVersion};

use crate::commitments::decode;
use crate::engine::{Engine, EngineRef, Tx};
use store_rows::SourceVersionRow;

/// Stores a new source and its first version; returns its id.
pub async fn insert_source(
    tx: &mut Tx<'_>,
    source: &SourceText,
    recorded_by: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let kind = source.kind.code();
    let language = source.language.as_str();
    let title_basis = source.title_basis.code();
    let date_basis = source.date_basis.code();
    match tx {
        Tx::Sqlite(c) => {
            let source_id = sqlx::query_scalar!(
                r#"INSERT INTO sources (publisher, via, title, title_basis, dated_on, date_basis, url, quote, kind,
                                        language, version)
                   VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1) RETURNING id AS "id!: i64""#,
                source.publisher,
                source.via,
                source.title,
                title_basis,
                source.dated_on,
                date_basis,
                source.url,
                source.quote,
                kind,
                language
            )
            .fetch_one(&mut **c)
            .await?;
            // The first version is the row just stored, copied as it reads.
            sqlx::query!(
                "INSERT INTO source_versions (source_id, version, publisher, via, title, title_basis, dated_on,
                                              date_basis, url, quote, kind, language, correction_note, recorded_by,
                                              recorded_at)
                 SELECT id, version, publisher, via, title, title_basis, dated_on, date_basis, url, quote, kind,
                        language, NULL, ?2, ?3
                 FROM sources WHERE id = ?1",
                source_id,
                recorded_by,
                now
            )
            .execute(&mut **c)
            .await?;
            Ok(source_id)
        }
        Tx::Postgres(c) => {
            store_postgres::evidence::insert_source(c, &stored_text(source), recorded_by, &timestamp_text(now)).await
        }
    }
}

/// A source's text as PostgreSQL's statements bind it.
fn stored_text(source: &SourceText) -> SourceTextInsert<'_> {
    SourceTextInsert {
        publisher: &source.publisher,
        via: source.via.as_deref(),
        title: &source.title,
        title_basis: source.title_basis.code(),
        dated_on: date_text(source.dated_on),
        date_basis: source.date_basis.code(),
        url: source.url.as_deref(),
        quote: &source.quote,
        kind: source.kind.code(),
        language: source.language.as_str(),
    }
}

/// Stores a correction's version of a source and makes the source read as
/// it, column for column (the schema refuses anything else).
#[allow(clippy::too_many_arguments)]
async fn insert_correction(
    tx: &mut Tx<'_>,
    source_id: i64,
    version: i64,
    source: &SourceText,
    correction_note: &str,
    recorded_by: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let kind = source.kind.code();
    let language = source.language.as_str();
    let title_basis = source.title_basis.code();
    let date_basis = source.date_basis.code();
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "INSERT INTO source_versions (source_id, version, publisher, via, title, title_basis, dated_on,
                                              date_basis, url, quote, kind, language, correction_note, recorded_by,
                                              recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                source_id,
                version,
                source.publisher,
                source.via,
                source.title,
                title_basis,
                source.dated_on,
                date_basis,
                source.url,
                source.quote,
                kind,
                language,
                correction_note,
                recorded_by,
                now
            )
            .execute(&mut **c)
            .await?;
            sqlx::query!(
                "UPDATE sources SET (publisher, via, title, title_basis, dated_on, date_basis, url, quote, kind,
                                     language, version) =
                     (SELECT publisher, via, title, title_basis, dated_on, date_basis, url, quote, kind, language,
                             version
                      FROM source_versions WHERE source_id = ?1 AND version = ?2)
                 WHERE id = ?1",
                source_id,
                version
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => {
            store_postgres::evidence::insert_correction(
                c,
                source_id,
                version,
                &stored_text(source),
                correction_note,
                recorded_by,
                &timestamp_text(now),
            )
            .await
        }
    }
}

/// What a correction did: the source's new version, or nothing when the
/// corrected text is the same as the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Corrected {
    ToVersion(i64),
    Unchanged,
}

/// Adds a version to a source and makes it current. The earlier versions
/// stay; the status changes that relied on them keep pointing at them.
pub async fn correct_source(
    tx: &mut Tx<'_>,
    source_id: i64,
    corrected: &SourceText,
    note: &str,
    recorded_by: &str,
    now: DateTime<Utc>,
) -> Result<Corrected, sqlx::Error> {
    let rows = match tx {
        Tx::Sqlite(c) => version_rows_on_sqlite(&mut **c, &[source_id]).await?,
        Tx::Postgres(c) => store_postgres::evidence::versions_of(&mut **c, &[source_id]).await?,
    };
    let Some(current) = group(rows)?.remove(&source_id).and_then(|mut v| v.pop()) else {
        return Err(sqlx::Error::RowNotFound);
    };
    if current.text == *corrected {
        return Ok(Corrected::Unchanged);
    }
    let version = current.version + 1;
    insert_correction(tx, source_id, version, corrected, note, recorded_by, now).await?;
    Ok(Corrected::ToVersion(version))
}

fn source_version(row: SourceVersionRow) -> Result<SourceVersion, sqlx::Error> {
    Ok(SourceVersion {
        source_id: row.source_id,
        version: row.version,
        text: SourceText {
            publisher: row.publisher,
            via: row.via,
            title: row.title,
            title_basis: decode(&row.title_basis)?,
            dated_on: row.dated_on,
            date_basis: decode(&row.date_basis)?,
            url: row.url,
            quote: row.quote,
            kind: decode(&row.kind)?,
            language: domain::LanguageTag::parse(&row.language).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        },
        correction_note: row.correction_note,
        recorded_by: row.recorded_by,
        recorded_at: row.recorded_at,
    })
}

fn group(rows: Vec<SourceVersionRow>) -> Result<HashMap<i64, Vec<SourceVersion>>, sqlx::Error> {
    let mut by_source: HashMap<i64, Vec<SourceVersion>> = HashMap::new();
    for row in rows {
        let version = source_version(row)?;
        by_source.entry(version.source_id).or_default().push(version);
    }
    Ok(by_source)
}

/// Every version of the given sources, oldest first per source, from
/// either engine.
pub async fn versions_of(
    db: &impl Engine,
    source_ids: &[i64],
) -> Result<HashMap<i64, Vec<SourceVersion>>, sqlx::Error> {
    match db.engine() {
        EngineRef::Sqlite(pool) => group(version_rows_on_sqlite(pool, source_ids).await?),
        EngineRef::Postgres(pool) => group(store_postgres::evidence::versions_of(pool, source_ids).await?),
    }
}

/// Every version of the given sources, ordered by source and version, read
/// in a write's transaction or from the pool.
async fn version_rows_on_sqlite<'e>(
    executor: impl sqlx::SqliteExecutor<'e>,
    source_ids: &[i64],
) -> Result<Vec<SourceVersionRow>, sqlx::Error> {
    let ids = serde_json::to_string(source_ids).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query_as!(
        SourceVersionRow,
        r#"SELECT source_id AS "source_id!: i64", version AS "version!: i64", publisher, via, title, title_basis,
                  dated_on AS "dated_on: NaiveDate", date_basis, url, quote, kind, language, correction_note,
                  recorded_by, recorded_at AS "recorded_at: DateTime<Utc>"
           FROM source_versions WHERE source_id IN (SELECT value FROM json_each(?1))
           ORDER BY source_id, version"#,
        ids
    )
    .fetch_all(executor)
    .await
}

/// Every version of every source a commitment lists, and of the sources
/// `cited` (those the shown status changes cite: a source can be taken off
/// the list and stay cited), oldest first per source. Only the shown
/// changes' citations are read, so a long history costs nothing here.
pub async fn versions_for_commitment_page(
    db: &impl Engine,
    commitment_id: i64,
    cited: &[i64],
) -> Result<HashMap<i64, Vec<SourceVersion>>, sqlx::Error> {
    let rows = match db.engine() {
        EngineRef::Sqlite(pool) => version_rows_for_commitment_page_on_sqlite(pool, commitment_id, cited).await?,
        EngineRef::Postgres(pool) => {
            store_postgres::evidence::versions_for_commitment_page(pool, commitment_id, cited).await?
        }
    };
    group(rows)
}

async fn version_rows_for_commitment_page_on_sqlite(
    pool: &SqlitePool,
    commitment_id: i64,
    cited: &[i64],
) -> Result<Vec<SourceVersionRow>, sqlx::Error> {
    let cited = serde_json::to_string(cited).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query_as!(
        SourceVersionRow,
        r#"SELECT sv.source_id AS "source_id!: i64", sv.version AS "version!: i64", sv.publisher, sv.via, sv.title,
                  sv.title_basis, sv.dated_on AS "dated_on: NaiveDate", sv.date_basis, sv.url, sv.quote, sv.kind,
                  sv.language, sv.correction_note, sv.recorded_by, sv.recorded_at AS "recorded_at: DateTime<Utc>"
           FROM source_versions sv
           WHERE sv.source_id IN (
               SELECT source_id FROM commitment_sources WHERE commitment_id = ?1
               UNION
               SELECT value FROM json_each(?2))
           ORDER BY sv.source_id, sv.version"#,
        commitment_id,
        cited
    )
    .fetch_all(pool)
    .await
}

/// The commitments that list or cite a source (for a correction's
/// revisions), by id.
pub async fn commitments_citing(tx: &mut Tx<'_>, source_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"SELECT commitment_id AS "id!: i64" FROM commitment_sources WHERE source_id = ?1
                   UNION
                   SELECT su.commitment_id FROM status_update_sources sus
                   JOIN status_updates su ON su.id = sus.status_update_id WHERE sus.source_id = ?1
                   ORDER BY 1"#,
                source_id
            )
            .fetch_all(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::evidence::commitments_citing(c, source_id).await,
    }
}

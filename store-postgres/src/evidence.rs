//! Sources and their stored versions: the rows read, and the statements
//! that store a new source or a correction (the twin of `store::evidence`).

use sqlx::{PgConnection, PgPool};
use store_rows::SourceVersionRow;

use crate::stored_text::parse_timestamp;

/// A version as stored: its instant as text (`parse_timestamp` says why).
struct StoredVersion {
    source_id: i64,
    version: i64,
    publisher: String,
    via: Option<String>,
    title: String,
    title_basis: String,
    dated_on: chrono::NaiveDate,
    date_basis: String,
    url: Option<String>,
    quote: String,
    kind: String,
    language: String,
    correction_note: Option<String>,
    recorded_by: String,
    recorded_at: String,
}

fn rows(stored: Vec<StoredVersion>) -> Result<Vec<SourceVersionRow>, sqlx::Error> {
    stored
        .into_iter()
        .map(|row| {
            Ok(SourceVersionRow {
                source_id: row.source_id,
                version: row.version,
                publisher: row.publisher,
                via: row.via,
                title: row.title,
                title_basis: row.title_basis,
                dated_on: row.dated_on,
                date_basis: row.date_basis,
                url: row.url,
                quote: row.quote,
                kind: row.kind,
                language: row.language,
                correction_note: row.correction_note,
                recorded_by: row.recorded_by,
                recorded_at: parse_timestamp(&row.recorded_at)?,
            })
        })
        .collect()
}

/// Every version of every source a commitment lists, and of the sources
/// `cited`, ordered by source and version.
pub async fn versions_for_commitment_page(
    pool: &PgPool,
    commitment_id: i64,
    cited: &[i64],
) -> Result<Vec<SourceVersionRow>, sqlx::Error> {
    let stored = sqlx::query_as!(
        StoredVersion,
        r#"SELECT sv.source_id AS "source_id!", sv.version AS "version!", sv.publisher AS "publisher!", sv.via,
                  sv.title AS "title!", sv.title_basis AS "title_basis!", sv.dated_on::date AS "dated_on!",
                  sv.date_basis AS "date_basis!", sv.url, sv.quote AS "quote!", sv.kind AS "kind!",
                  sv.language AS "language!", sv.correction_note, sv.recorded_by AS "recorded_by!",
                  sv.recorded_at AS "recorded_at!"
           FROM source_versions sv
           WHERE sv.source_id IN (
               SELECT source_id FROM commitment_sources WHERE commitment_id = $1
               UNION
               SELECT unnest($2::bigint[]))
           ORDER BY sv.source_id, sv.version"#,
        commitment_id,
        cited
    )
    .fetch_all(pool)
    .await?;
    rows(stored)
}

/// Every version of the given sources, ordered by source and version.
pub async fn versions_of<'e>(
    executor: impl sqlx::PgExecutor<'e>,
    source_ids: &[i64],
) -> Result<Vec<SourceVersionRow>, sqlx::Error> {
    let stored = sqlx::query_as!(
        StoredVersion,
        r#"SELECT source_id AS "source_id!", version AS "version!", publisher AS "publisher!", via,
                  title AS "title!", title_basis AS "title_basis!", dated_on::date AS "dated_on!",
                  date_basis AS "date_basis!", url, quote AS "quote!", kind AS "kind!",
                  language AS "language!", correction_note, recorded_by AS "recorded_by!",
                  recorded_at AS "recorded_at!"
           FROM source_versions WHERE source_id = ANY($1)
           ORDER BY source_id, version"#,
        source_ids
    )
    .fetch_all(executor)
    .await?;
    rows(stored)
}

/// A source's text as stored (codes and its day as text).
pub struct SourceTextInsert<'a> {
    pub publisher: &'a str,
    pub via: Option<&'a str>,
    pub title: &'a str,
    pub title_basis: &'a str,
    pub dated_on: String,
    pub date_basis: &'a str,
    pub url: Option<&'a str>,
    pub quote: &'a str,
    pub kind: &'a str,
    pub language: &'a str,
}

/// Stores a new source at version 1 and that version as it reads; its id.
pub async fn insert_source(
    conn: &mut PgConnection,
    source: &SourceTextInsert<'_>,
    recorded_by: &str,
    now: &str,
) -> Result<i64, sqlx::Error> {
    let source_id = sqlx::query_scalar!(
        r#"INSERT INTO sources (publisher, via, title, title_basis, dated_on, date_basis, url, quote, kind, language,
                                version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) RETURNING id"#,
        source.publisher,
        source.via,
        source.title,
        source.title_basis,
        source.dated_on,
        source.date_basis,
        source.url,
        source.quote,
        source.kind,
        source.language
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO source_versions (source_id, version, publisher, via, title, title_basis, dated_on, date_basis,
                                      url, quote, kind, language, correction_note, recorded_by, recorded_at)
         SELECT id, version, publisher, via, title, title_basis, dated_on, date_basis, url, quote, kind, language,
                NULL, $2, $3
         FROM sources WHERE id = $1",
        source_id,
        recorded_by,
        now
    )
    .execute(conn)
    .await?;
    Ok(source_id)
}

/// Stores a correction as the source's version `version` and makes the
/// source read as it, column for column.
pub async fn insert_correction(
    conn: &mut PgConnection,
    source_id: i64,
    version: i64,
    source: &SourceTextInsert<'_>,
    correction_note: &str,
    recorded_by: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO source_versions (source_id, version, publisher, via, title, title_basis, dated_on, date_basis,
                                      url, quote, kind, language, correction_note, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        source_id,
        version,
        source.publisher,
        source.via,
        source.title,
        source.title_basis,
        source.dated_on,
        source.date_basis,
        source.url,
        source.quote,
        source.kind,
        source.language,
        correction_note,
        recorded_by,
        now
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE sources SET (publisher, via, title, title_basis, dated_on, date_basis, url, quote, kind, language,
                             version) =
             (SELECT publisher, via, title, title_basis, dated_on, date_basis, url, quote, kind, language, version
              FROM source_versions WHERE source_id = $1 AND version = $2)
         WHERE id = $1",
        source_id,
        version
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The commitments that list or cite a source, by id.
pub async fn commitments_citing(conn: &mut PgConnection, source_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT commitment_id AS "id!" FROM commitment_sources WHERE source_id = $1
           UNION
           SELECT su.commitment_id FROM status_update_sources sus
           JOIN status_updates su ON su.id = sus.status_update_id WHERE sus.source_id = $1
           ORDER BY 1"#,
        source_id
    )
    .fetch_all(conn)
    .await
}

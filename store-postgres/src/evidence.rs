//! Sources' stored versions, as rows (the twin of `store::evidence`'s
//! reads).

use sqlx::PgPool;
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
pub async fn versions_of(pool: &PgPool, source_ids: &[i64]) -> Result<Vec<SourceVersionRow>, sqlx::Error> {
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
    .fetch_all(pool)
    .await?;
    rows(stored)
}

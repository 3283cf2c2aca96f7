//! What a commitment's permalink reads, as rows (the twin of the
//! statements in `store::commitments`).

use sqlx::PgPool;
use store_rows::{
    ChangeDatesRow, CitationRow, CommitmentDetailRow, HistoryHeadRow, RecentChangeRow, RevisionRow, TimelineRow,
};

use crate::stored_text::parse_timestamp;

pub async fn detail(pool: &PgPool, slug: &str) -> Result<Option<CommitmentDetailRow>, sqlx::Error> {
    sqlx::query_as!(
        CommitmentDetailRow,
        r#"SELECT c.id AS "id!", c.due_note,
                  p.code AS "proposer_code?", p.short_name AS "proposer_short_name?",
                  s.slug AS "summit_slug!", s.title AS "summit_title!",
                  s.held_on::date AS "summit_held_on!", s.location AS "summit_location!",
                  s.summary AS "summit_summary!", s.time_zone AS "summit_time_zone!", c.version AS "version!"
           FROM commitments c
           JOIN summits s ON s.id = c.summit_id
           LEFT JOIN parties p ON p.id = c.proposed_by_party_id
           WHERE c.slug = $1"#,
        slug
    )
    .fetch_optional(pool)
    .await
}

/// The ids of the sources a commitment lists, by date.
pub async fn listed_source_ids(pool: &PgPool, commitment_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT s.id AS "id!" FROM sources s
           JOIN commitment_sources cs ON cs.source_id = s.id
           WHERE cs.commitment_id = $1
           ORDER BY s.dated_on, s.id"#,
        commitment_id
    )
    .fetch_all(pool)
    .await
}

pub async fn count_status_updates(pool: &PgPool, commitment_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM status_updates WHERE commitment_id = $1"#,
        commitment_id
    )
    .fetch_one(pool)
    .await
}

/// The latest `limit` entries of a commitment's timeline, newest first,
/// each with the party's status before it (one step back along the
/// party's index, as on SQLite).
pub async fn timeline(pool: &PgPool, commitment_id: i64, limit: i64) -> Result<Vec<TimelineRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT su.id AS "id!", p.code AS "code!", p.short_name AS "short_name!", su.status AS "status!",
                  (SELECT earlier.status FROM status_updates earlier
                   WHERE earlier.commitment_id = su.commitment_id AND earlier.party_id = su.party_id
                     AND (earlier.effective_on, earlier.id) < (su.effective_on, su.id)
                   ORDER BY earlier.effective_on DESC, earlier.id DESC LIMIT 1) AS "previous_status?",
                  su.effective_on::date AS "effective_on!", su.note AS "note!", su.recorded_by AS "recorded_by!",
                  su.recorded_at AS "recorded_at!"
           FROM status_updates su
           JOIN parties p ON p.id = su.party_id
           WHERE su.commitment_id = $1
           ORDER BY su.effective_on DESC, su.id DESC
           LIMIT $2"#,
        commitment_id,
        limit
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(TimelineRow {
                id: row.id,
                code: row.code,
                short_name: row.short_name,
                status: row.status,
                previous_status: row.previous_status,
                effective_on: row.effective_on,
                note: row.note,
                recorded_by: row.recorded_by,
                recorded_at: parse_timestamp(&row.recorded_at)?,
            })
        })
        .collect()
}

/// The sources the given timeline entries cite, by the sources' dates.
pub async fn citations(pool: &PgPool, status_update_ids: &[i64]) -> Result<Vec<CitationRow>, sqlx::Error> {
    sqlx::query_as!(
        CitationRow,
        r#"SELECT sus.status_update_id AS "status_update_id!", sus.source_id AS "id!",
                  sus.source_version AS "source_version!"
           FROM status_update_sources sus
           JOIN sources s ON s.id = sus.source_id
           WHERE sus.status_update_id = ANY($1)
           ORDER BY s.dated_on, s.id"#,
        status_update_ids
    )
    .fetch_all(pool)
    .await
}

/// The commitment a history page is of.
pub async fn history_head(pool: &PgPool, slug: &str) -> Result<Option<HistoryHeadRow>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT id AS "id!", title AS "title!", version AS "version!", created_at AS "created_at!"
           FROM commitments WHERE slug = $1"#,
        slug
    )
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(HistoryHeadRow {
            id: row.id,
            title: row.title,
            version: row.version,
            created_at: parse_timestamp(&row.created_at)?,
        })
    })
    .transpose()
}

/// At most `limit` revisions of a commitment with versions below `below`,
/// newest first.
pub async fn revisions(
    pool: &PgPool,
    commitment_id: i64,
    below: i64,
    limit: i64,
) -> Result<Vec<RevisionRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT version AS "version!", recorded_by AS "recorded_by!", action AS "action!", summary AS "summary!",
                  before_json, after_json AS "after_json!", created_at AS "created_at!"
           FROM revisions WHERE commitment_id = $1 AND version < $2
           ORDER BY version DESC
           LIMIT $3"#,
        commitment_id,
        below,
        limit
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(RevisionRow {
                version: row.version,
                recorded_by: row.recorded_by,
                action: row.action,
                summary: row.summary,
                before_json: row.before_json,
                after_json: row.after_json,
                created_at: parse_timestamp(&row.created_at)?,
            })
        })
        .collect()
}

/// The most recently recorded status changes, newest first, of every
/// commitment or of the one with `slug`.
pub async fn recent_status_changes(
    pool: &PgPool,
    slug: Option<&str>,
    limit: i64,
) -> Result<Vec<RecentChangeRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT su.id AS "id!", c.slug AS "commitment_slug!", c.title AS "commitment_title!",
                  p.code AS "code!", p.short_name AS "short_name!", su.status AS "status!",
                  (SELECT earlier.status FROM status_updates earlier
                   WHERE earlier.commitment_id = su.commitment_id AND earlier.party_id = su.party_id
                     AND (earlier.effective_on, earlier.id) < (su.effective_on, su.id)
                   ORDER BY earlier.effective_on DESC, earlier.id DESC LIMIT 1) AS "previous_status?",
                  su.effective_on::date AS "effective_on!", su.note AS "note!", su.recorded_by AS "recorded_by!",
                  su.recorded_at AS "recorded_at!"
           FROM status_updates su
           JOIN commitments c ON c.id = su.commitment_id
           JOIN parties p ON p.id = su.party_id
           WHERE $1::text IS NULL OR c.slug = $1
           ORDER BY su.id DESC
           LIMIT $2"#,
        slug,
        limit
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(RecentChangeRow {
                id: row.id,
                commitment_slug: row.commitment_slug,
                commitment_title: row.commitment_title,
                code: row.code,
                short_name: row.short_name,
                status: row.status,
                previous_status: row.previous_status,
                effective_on: row.effective_on,
                note: row.note,
                recorded_by: row.recorded_by,
                recorded_at: parse_timestamp(&row.recorded_at)?,
            })
        })
        .collect()
}

/// The days a status change of the commitment with this slug is checked
/// against.
pub async fn change_dates(pool: &PgPool, slug: &str) -> Result<Option<ChangeDatesRow>, sqlx::Error> {
    sqlx::query_as!(
        ChangeDatesRow,
        r#"SELECT s.held_on::date AS "summit_held_on!", c.due_on::date AS "due_on?", s.time_zone AS "time_zone!"
           FROM commitments c JOIN summits s ON s.id = c.summit_id
           WHERE c.slug = $1"#,
        slug
    )
    .fetch_optional(pool)
    .await
}

/// Every commitment's slug, in the order they were stored. (Not the same
/// text as SQLite's statement: `.sqlx/` names a query by its text alone,
/// so one text cannot be described for both engines.)
pub async fn slugs(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT slug AS "slug!" FROM commitments ORDER BY id"#)
        .fetch_all(pool)
        .await
}

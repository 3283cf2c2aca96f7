//! Readers' suggestions on PostgreSQL (the twin of `store::suggestions`,
//! which keeps the rules). Every replica stores them in the same table,
//! and the hourly limit per address is counted there, one submission from
//! an address at a time (a transaction-scoped advisory lock on the
//! address), so a burst through several replicas cannot pass it together.

use sqlx::{PgConnection, Postgres, Transaction};
use store_rows::AcceptedSuggestionRow;

/// A suggestion's fields as stored (dates and times as text, see
/// `stored_text`).
pub struct SuggestionRow<'a> {
    pub party: &'a str,
    pub proposed_status: &'a str,
    pub effective_on: String,
    pub note: &'a str,
    pub source_publisher: &'a str,
    pub source_title: &'a str,
    pub source_published_on: String,
    pub source_url: Option<&'a str>,
    pub source_quote: &'a str,
    pub source_kind: &'a str,
    pub contact: Option<&'a str>,
    pub submitted_from: &'a str,
    pub submitted_at: String,
    pub source_language: &'a str,
    pub source_via: Option<&'a str>,
    pub source_date_basis: &'a str,
    pub source_title_basis: &'a str,
}

/// Waits until no other transaction submits from `address`.
pub async fn lock_address(transaction: &mut Transaction<'_, Postgres>, address: &str) -> Result<(), sqlx::Error> {
    let key = format!("accord suggestions from {address}");
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key)
        .execute(&mut **transaction)
        .await?;
    Ok(())
}

/// Stores the suggestion for the commitment with this slug; its id, or
/// `None` when no commitment has the slug.
pub async fn insert_for_slug(
    transaction: &mut Transaction<'_, Postgres>,
    slug: &str,
    row: &SuggestionRow<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO suggestions (commitment_id, party, proposed_status, effective_on, note, source_publisher,
               source_title, source_published_on, source_url, source_quote, source_kind, contact, submitted_from,
               submitted_at, source_language, source_via, source_date_basis, source_title_basis)
           SELECT id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18
           FROM commitments WHERE slug = $1
           RETURNING id"#,
        slug,
        row.party,
        row.proposed_status,
        row.effective_on,
        row.note,
        row.source_publisher,
        row.source_title,
        row.source_published_on,
        row.source_url,
        row.source_quote,
        row.source_kind,
        row.contact,
        row.submitted_from,
        row.submitted_at,
        row.source_language,
        row.source_via,
        row.source_date_basis,
        row.source_title_basis
    )
    .fetch_optional(&mut **transaction)
    .await
}

/// Suggestions from `address` submitted after `since` (text, as stored).
pub async fn count_recent_from(
    transaction: &mut Transaction<'_, Postgres>,
    address: &str,
    since: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM suggestions WHERE submitted_from = $1 AND submitted_at > $2"#,
        address,
        since
    )
    .fetch_one(&mut **transaction)
    .await
}

/// Whether a commitment has this slug.
pub async fn commitment_exists(transaction: &mut Transaction<'_, Postgres>, slug: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM commitments WHERE slug = $1) AS "exists!""#,
        slug
    )
    .fetch_one(&mut **transaction)
    .await
}

/// How many suggestions wait for an editor.
pub async fn count_pending(pool: &sqlx::PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM suggestions s JOIN commitments c ON c.id = s.commitment_id
           WHERE s.state = 'pending'"#
    )
    .fetch_one(pool)
    .await
}

/// `limit` pending suggestions after skipping `offset`, oldest first.
pub async fn pending(
    pool: &sqlx::PgPool,
    limit: i64,
    offset: i64,
) -> Result<Vec<store_rows::PendingSuggestionRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT s.id AS "id!", c.slug AS "slug!", c.title AS "title!", s.party AS "party!",
                  s.proposed_status AS "proposed_status!", s.effective_on::date AS "effective_on!",
                  s.note AS "note!", s.source_publisher AS "source_publisher!", s.source_title AS "source_title!",
                  s.source_published_on::date AS "source_published_on!", s.source_url,
                  s.source_quote AS "source_quote!", s.source_kind AS "source_kind!",
                  s.source_language AS "source_language!", s.source_via,
                  s.source_date_basis AS "source_date_basis!", s.source_title_basis AS "source_title_basis!",
                  s.contact, s.submitted_at AS "submitted_at!"
           FROM suggestions s JOIN commitments c ON c.id = s.commitment_id
           WHERE s.state = 'pending' ORDER BY s.submitted_at, s.id LIMIT $1 OFFSET $2"#,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(store_rows::PendingSuggestionRow {
                id: r.id,
                slug: r.slug,
                title: r.title,
                party: r.party,
                proposed_status: r.proposed_status,
                effective_on: r.effective_on,
                note: r.note,
                source_publisher: r.source_publisher,
                source_title: r.source_title,
                source_published_on: r.source_published_on,
                source_url: r.source_url,
                source_quote: r.source_quote,
                source_kind: r.source_kind,
                source_language: r.source_language,
                source_via: r.source_via,
                source_date_basis: r.source_date_basis,
                source_title_basis: r.source_title_basis,
                contact: r.contact,
                submitted_at: crate::stored_text::parse_timestamp(&r.submitted_at)?,
            })
        })
        .collect()
}

/// Marks a pending suggestion accepted; what it proposed, or `None` when it
/// is no longer pending.
pub async fn mark_accepted(
    conn: &mut PgConnection,
    id: i64,
    decided_by: i64,
    decided_at: &str,
) -> Result<Option<AcceptedSuggestionRow>, sqlx::Error> {
    sqlx::query_as!(
        AcceptedSuggestionRow,
        r#"UPDATE suggestions SET state = 'accepted', decided_by = $1, decided_at = $2
           WHERE id = $3 AND state = 'pending'
           RETURNING commitment_id AS "commitment_id!", party AS "party!", proposed_status AS "proposed_status!",
                     effective_on::date AS "effective_on!", note AS "note!", source_publisher AS "source_publisher!",
                     source_title AS "source_title!", source_published_on::date AS "source_published_on!",
                     source_url, source_quote AS "source_quote!", source_kind AS "source_kind!",
                     source_language AS "source_language!", source_via, source_date_basis AS "source_date_basis!",
                     source_title_basis AS "source_title_basis!""#,
        decided_by,
        decided_at,
        id
    )
    .fetch_optional(conn)
    .await
}

/// The slug and version of the commitment with this id.
pub async fn commitment_slug_and_version(conn: &mut PgConnection, id: i64) -> Result<(String, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT slug AS "slug!", version AS "version!" FROM commitments WHERE id = $1"#,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok((row.slug, row.version))
}

/// Records which status update an accepted suggestion became.
pub async fn set_status_update(
    conn: &mut PgConnection,
    id: i64,
    status_update_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE suggestions SET status_update_id = $1 WHERE id = $2",
        status_update_id,
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a pending suggestion rejected; false when it is no longer pending.
pub async fn mark_rejected(
    conn: &mut PgConnection,
    id: i64,
    decided_by: i64,
    decided_at: &str,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query!(
        "UPDATE suggestions SET state = 'rejected', decided_by = $1, decided_at = $2, decision_reason = $3
         WHERE id = $4 AND state = 'pending'",
        decided_by,
        decided_at,
        reason,
        id
    )
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() > 0)
}

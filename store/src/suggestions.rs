//! Readers' suggestions and the editors' moderation queue.

use crate::Db;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgPool, SqlitePool};
use store_postgres::stored_text::{date_text, timestamp_text};
use store_postgres::suggestions::{self as postgres_suggestions, SuggestionRow};

use super::commitments::decode;
use super::editing::record_status_change_in;
use crate::engine::{Engine, EngineRef, Tx};
use crate::{Refusal, WriteError};
use domain::{
    CurrentUser, NewSource, PartyChoice, PartyCode, PendingSuggestion, PendingSuggestionsPage, Slug, SourceKind,
    StatusChange, Suggestion, REVIEW_PAGE_SIZE,
};
use store_rows::{AcceptedSuggestionRow, PendingSuggestionRow};

/// Suggestions accepted from one address per hour.
pub const MAX_SUGGESTIONS_PER_HOUR: i64 = 5;

/// What became of a reader's suggestion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Submitted {
    /// Stored, with its id.
    Stored(i64),
    /// No commitment has the slug.
    UnknownCommitment,
    /// The address already sent [`MAX_SUGGESTIONS_PER_HOUR`] in the last hour.
    TooManyFromAddress,
}

/// Stores a suggestion unless its address already sent
/// [`MAX_SUGGESTIONS_PER_HOUR`] in the last hour; it changes nothing about
/// the commitment by itself. The count and the insert are one write
/// transaction (the insert first, so it holds SQLite's write lock while the
/// count is taken): a burst of simultaneous suggestions from one address
/// cannot all pass the limit before any of them is stored.
pub async fn submit_suggestion(
    db: &Db,
    slug: &Slug,
    suggestion: &Suggestion,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Submitted, sqlx::Error> {
    let slug_text = slug.as_str();
    let party = match &suggestion.parties {
        PartyChoice::AllOwing => "all".to_owned(),
        PartyChoice::One(code) => code.to_string(),
    };
    let status = suggestion.status.code();
    let kind = suggestion.source.kind.code();
    let language = suggestion.source.language.as_str();
    let date_basis = suggestion.source.date_basis.code();
    let title_basis = suggestion.source.title_basis.code();
    let pool = match db.postgres_pool() {
        Some(pool) => return submit_suggestion_on_postgres(pool, slug, suggestion, address, now).await,
        None => db.sqlite_pool()?,
    };
    let _turn = db.write_turn().await;
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        r#"INSERT INTO suggestions (commitment_id, party, proposed_status, effective_on, note, source_publisher,
               source_title, source_published_on, source_url, source_quote, source_kind, contact, submitted_from, submitted_at,
               source_language, source_via, source_date_basis, source_title_basis)
           SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18
           FROM commitments WHERE slug = ?1
           RETURNING id AS "id!: i64""#,
        slug_text,
        party,
        status,
        suggestion.effective_on,
        suggestion.note,
        suggestion.source.publisher,
        suggestion.source.title,
        suggestion.source.dated_on,
        suggestion.source.url,
        suggestion.source.quote,
        kind,
        suggestion.contact,
        address,
        now,
        language,
        suggestion.source.via,
        date_basis,
        title_basis
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        tx.rollback().await?;
        return Ok(Submitted::UnknownCommitment);
    };
    let since = now - chrono::Duration::hours(1);
    // This suggestion is counted too, hence `>`.
    let recent = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM suggestions WHERE submitted_from = ?1 AND submitted_at > ?2"#,
        address,
        since
    )
    .fetch_one(&mut *tx)
    .await?;
    if recent > MAX_SUGGESTIONS_PER_HOUR {
        tx.rollback().await?;
        return Ok(Submitted::TooManyFromAddress);
    }
    tx.commit().await?;
    Ok(Submitted::Stored(id))
}

/// [`submit_suggestion`] on PostgreSQL, where every replica stores into the
/// same table: the same limit, counted one submission from an address at a
/// time across replicas (`store_postgres::suggestions` locks the address).
async fn submit_suggestion_on_postgres(
    pool: &PgPool,
    slug: &Slug,
    suggestion: &Suggestion,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Submitted, sqlx::Error> {
    let party = match &suggestion.parties {
        PartyChoice::AllOwing => "all".to_owned(),
        PartyChoice::One(code) => code.to_string(),
    };
    let row = SuggestionRow {
        party: &party,
        proposed_status: suggestion.status.code(),
        effective_on: date_text(suggestion.effective_on),
        note: &suggestion.note,
        source_publisher: &suggestion.source.publisher,
        source_title: &suggestion.source.title,
        source_published_on: date_text(suggestion.source.dated_on),
        source_url: suggestion.source.url.as_deref(),
        source_quote: &suggestion.source.quote,
        source_kind: suggestion.source.kind.code(),
        contact: suggestion.contact.as_deref(),
        submitted_from: address,
        submitted_at: timestamp_text(now),
        source_language: suggestion.source.language.as_str(),
        source_via: suggestion.source.via.as_deref(),
        source_date_basis: suggestion.source.date_basis.code(),
        source_title_basis: suggestion.source.title_basis.code(),
    };
    let mut tx = pool.begin().await?;
    postgres_suggestions::lock_address(&mut tx, address).await?;
    // Counted before the insert, unlike on SQLite: an insert rolled back
    // would still use up an id of PostgreSQL's sequence, and the ids of
    // the suggestions kept would differ from SQLite's.
    let since = timestamp_text(now - chrono::Duration::hours(1));
    let recent = postgres_suggestions::count_recent_from(&mut tx, address, &since).await?;
    if recent >= MAX_SUGGESTIONS_PER_HOUR {
        // An unknown commitment is said first, as on SQLite.
        let known = postgres_suggestions::commitment_exists(&mut tx, slug.as_str()).await?;
        tx.rollback().await?;
        return Ok(if known {
            Submitted::TooManyFromAddress
        } else {
            Submitted::UnknownCommitment
        });
    }
    let Some(id) = postgres_suggestions::insert_for_slug(&mut tx, slug.as_str(), &row).await? else {
        tx.rollback().await?;
        return Ok(Submitted::UnknownCommitment);
    };
    tx.commit().await?;
    Ok(Submitted::Stored(id))
}

/// One page (from 1) of the pending suggestions, oldest first, each once
/// across the pages. A page past the last is the last page, so deciding the
/// last suggestion of the last page does not leave an editor on an empty
/// page while others wait.
pub async fn list_pending_suggestions(db: &impl Engine, page: u32) -> Result<PendingSuggestionsPage, sqlx::Error> {
    let total = match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_scalar!(
                r#"SELECT COUNT(*) AS "n!: i64" FROM suggestions s JOIN commitments c ON c.id = s.commitment_id WHERE s.state = 'pending'"#
            )
            .fetch_one(pool)
            .await?
        }
        EngineRef::Postgres(pool) => postgres_suggestions::count_pending(pool).await?,
    };
    let total = u32::try_from(total).unwrap_or(u32::MAX);
    let page_count = total.div_ceil(REVIEW_PAGE_SIZE).max(1);
    let page = page.clamp(1, page_count);
    let limit = i64::from(REVIEW_PAGE_SIZE);
    let offset = i64::from(page - 1) * limit;
    let rows = match db.engine() {
        EngineRef::Sqlite(pool) => pending_rows_on_sqlite(pool, limit, offset).await?,
        EngineRef::Postgres(pool) => postgres_suggestions::pending(pool, limit, offset).await?,
    };
    let suggestions = rows
        .into_iter()
        .map(|r| {
            Ok(PendingSuggestion {
                id: r.id,
                commitment_slug: r.slug,
                commitment_title: r.title,
                party: r.party,
                proposed_status: decode(&r.proposed_status)?,
                effective_on: r.effective_on,
                note: r.note,
                source: NewSource {
                    publisher: r.source_publisher,
                    via: r.source_via,
                    title: r.source_title,
                    title_basis: decode(&r.source_title_basis)?,
                    dated_on: r.source_published_on,
                    date_basis: decode(&r.source_date_basis)?,
                    url: r.source_url,
                    quote: r.source_quote,
                    kind: decode::<SourceKind>(&r.source_kind)?,
                    language: decode(&r.source_language)?,
                },
                contact: r.contact,
                submitted_at: r.submitted_at,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(PendingSuggestionsPage {
        suggestions,
        page,
        page_count,
        total,
    })
}

async fn pending_rows_on_sqlite(
    pool: &SqlitePool,
    limit: i64,
    offset: i64,
) -> Result<Vec<PendingSuggestionRow>, sqlx::Error> {
    // (submitted_at, id) orders every row once, so consecutive pages
    // neither repeat nor skip a suggestion while the queue stands still.
    sqlx::query_as!(
        PendingSuggestionRow,
        r#"SELECT s.id AS "id!: i64", c.slug, c.title, s.party, s.proposed_status, s.effective_on AS "effective_on: NaiveDate",
                  s.note, s.source_publisher, s.source_title, s.source_published_on AS "source_published_on: NaiveDate",
                  s.source_url, s.source_quote, s.source_kind, s.source_language, s.source_via, s.source_date_basis,
                  s.source_title_basis, s.contact, s.submitted_at AS "submitted_at: DateTime<Utc>"
           FROM suggestions s JOIN commitments c ON c.id = s.commitment_id
           WHERE s.state = 'pending' ORDER BY s.submitted_at, s.id LIMIT ?1 OFFSET ?2"#,
        limit,
        offset
    )
    .fetch_all(pool)
    .await
}

fn already_decided() -> WriteError {
    Refusal::SuggestionAlreadyDecided.into()
}

/// Accepts a suggestion: it becomes a status change (with its source, and a
/// note crediting the reader) and is marked accepted, in one transaction.
pub async fn accept_suggestion(db: &Db, id: i64, editor: &CurrentUser, now: DateTime<Utc>) -> Result<Slug, WriteError> {
    let mut write = db.begin_write().await?;
    let tx = &mut write.tx();
    // The state guard makes a second acceptance of the same suggestion a no-op.
    let (row, (slug, version)) = match tx {
        Tx::Sqlite(c) => {
            let row = sqlx::query_as!(
                AcceptedSuggestionRow,
                r#"UPDATE suggestions SET state = 'accepted', decided_by = ?1, decided_at = ?2
                   WHERE id = ?3 AND state = 'pending'
                   RETURNING commitment_id AS "commitment_id!: i64", party, proposed_status,
                             effective_on AS "effective_on: NaiveDate", note, source_publisher, source_title,
                             source_published_on AS "source_published_on: NaiveDate", source_url, source_quote,
                             source_kind, source_language, source_via, source_date_basis, source_title_basis"#,
                editor.id,
                now,
                id
            )
            .fetch_optional(&mut **c)
            .await?
            .ok_or_else(already_decided)?;
            let commitment = sqlx::query!(
                r#"SELECT slug, version AS "version!: i64" FROM commitments WHERE id = ?1"#,
                row.commitment_id
            )
            .fetch_one(&mut **c)
            .await?;
            (row, (commitment.slug, commitment.version))
        }
        Tx::Postgres(c) => {
            let row = postgres_suggestions::mark_accepted(c, id, editor.id, &timestamp_text(now))
                .await?
                .ok_or_else(already_decided)?;
            let commitment = postgres_suggestions::commitment_slug_and_version(c, row.commitment_id).await?;
            (row, commitment)
        }
    };
    let slug: Slug = decode(&slug)?;
    let parties = if row.party == "all" {
        PartyChoice::AllOwing
    } else {
        PartyChoice::One(decode::<PartyCode>(&row.party)?)
    };
    let change = StatusChange {
        parties,
        status: decode(&row.proposed_status)?,
        effective_on: row.effective_on,
        note: format!("{} (Suggested by a reader, accepted by {}.)", row.note, editor.name),
        source_ids: Vec::new(),
        new_source: Some(NewSource {
            publisher: row.source_publisher,
            via: row.source_via,
            title: row.source_title,
            title_basis: decode(&row.source_title_basis)?,
            dated_on: row.source_published_on,
            date_basis: decode(&row.source_date_basis)?,
            url: row.source_url,
            quote: row.source_quote,
            kind: decode(&row.source_kind)?,
            language: decode(&row.source_language)?,
        }),
        expected_version: version,
    };
    let recorded = record_status_change_in(tx, &slug, &change, editor, now).await?;
    let first = recorded.status_update_ids.first().copied();
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!("UPDATE suggestions SET status_update_id = ?1 WHERE id = ?2", first, id)
                .execute(&mut **c)
                .await?;
        }
        Tx::Postgres(c) => postgres_suggestions::set_status_update(c, id, first).await?,
    }
    db.commit(write, recorded.change(&slug)).await?;
    Ok(slug)
}

pub async fn reject_suggestion(
    db: &Db,
    id: i64,
    reason: &str,
    editor: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<(), WriteError> {
    let mut write = db.begin_write().await?;
    let rejected = match &mut write.tx() {
        Tx::Sqlite(c) => {
            let updated = sqlx::query!(
                "UPDATE suggestions SET state = 'rejected', decided_by = ?1, decided_at = ?2, decision_reason = ?3
                 WHERE id = ?4 AND state = 'pending'",
                editor.id,
                now,
                reason,
                id
            )
            .execute(&mut **c)
            .await?;
            updated.rows_affected() > 0
        }
        Tx::Postgres(c) => postgres_suggestions::mark_rejected(c, id, editor.id, &timestamp_text(now), reason).await?,
    };
    if !rejected {
        return Err(already_decided());
    }
    write.commit_changing_no_page().await?;
    Ok(())
}

#[cfg(test)]
#[path = "suggestions_tests.rs"]
mod tests;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqlitePool;
use std::collections::HashMap;
use std::str::FromStr;

use crate::model::{
    CitedSource, CommitmentSummary, PartyCode, PartyRef, PartyStatus, Slug, SourceView, StatusUpdateView, SummitView,
};

/// Turns a stored code back into its domain type; a bad code in the database
/// is a decode error, never a panic.
pub(crate) fn decode<T>(value: &str) -> Result<T, sqlx::Error>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    value.parse().map_err(|e: T::Err| sqlx::Error::Decode(Box::new(e)))
}

fn party_ref(code: &str, short_name: String) -> Result<PartyRef, sqlx::Error> {
    Ok(PartyRef {
        code: decode::<PartyCode>(code)?,
        short_name,
    })
}

struct SummaryRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    theme: String,
    due_on: Option<NaiveDate>,
    source_count: i64,
    last_changed_on: Option<NaiveDate>,
}

impl SummaryRow {
    fn into_summary(self, party_statuses: Vec<PartyStatus>) -> Result<CommitmentSummary, sqlx::Error> {
        Ok(CommitmentSummary {
            slug: decode::<Slug>(&self.slug)?,
            title: self.title,
            summary: self.summary,
            theme: decode(&self.theme)?,
            party_statuses,
            last_changed_on: self.last_changed_on,
            source_count: self.source_count,
            due_on: self.due_on,
        })
    }
}

struct PartyStatusRow {
    commitment_id: i64,
    code: String,
    short_name: String,
    status: Option<String>,
    since: Option<NaiveDate>,
}

/// Every owing party's current status (its latest status update by effective
/// date, then by recording order), for one commitment or for all of them.
async fn current_party_statuses(
    pool: &SqlitePool,
    commitment_id: Option<i64>,
) -> Result<HashMap<i64, Vec<PartyStatus>>, sqlx::Error> {
    let rows = sqlx::query_as!(
        PartyStatusRow,
        r#"SELECT cp.commitment_id AS "commitment_id!: i64",
                  p.code, p.short_name,
                  su.status AS "status?: String",
                  su.effective_on AS "since?: NaiveDate"
           FROM commitment_parties cp
           JOIN parties p ON p.id = cp.party_id
           LEFT JOIN status_updates su ON su.id = (
               SELECT latest.id FROM status_updates latest
               WHERE latest.commitment_id = cp.commitment_id AND latest.party_id = cp.party_id
               ORDER BY latest.effective_on DESC, latest.id DESC LIMIT 1)
           WHERE ?1 IS NULL OR cp.commitment_id = ?1
           ORDER BY cp.commitment_id, p.id"#,
        commitment_id
    )
    .fetch_all(pool)
    .await?;

    let mut by_commitment: HashMap<i64, Vec<PartyStatus>> = HashMap::new();
    for row in rows {
        let status = match row.status.as_deref() {
            Some(code) => decode(code)?,
            None => crate::model::Status::NotYetRated,
        };
        by_commitment.entry(row.commitment_id).or_default().push(PartyStatus {
            party: party_ref(&row.code, row.short_name)?,
            status,
            since: row.since,
        });
    }
    Ok(by_commitment)
}

/// All commitments, newest summit first, then in the order the summit record
/// gives them.
pub async fn list_commitment_summaries(pool: &SqlitePool) -> Result<Vec<CommitmentSummary>, sqlx::Error> {
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"SELECT c.id, c.slug, c.title, c.summary, c.theme,
                  c.due_on AS "due_on: NaiveDate",
                  (SELECT COUNT(*) FROM commitment_sources cs WHERE cs.commitment_id = c.id) AS "source_count!: i64",
                  (SELECT MAX(su.effective_on) FROM status_updates su WHERE su.commitment_id = c.id)
                      AS "last_changed_on?: NaiveDate"
           FROM commitments c
           JOIN summits s ON s.id = c.summit_id
           ORDER BY s.held_on DESC, c.position, c.id"#
    )
    .fetch_all(pool)
    .await?;
    let mut statuses = current_party_statuses(pool, None).await?;
    rows.into_iter()
        .map(|row| {
            let party_statuses = statuses.remove(&row.id).unwrap_or_default();
            row.into_summary(party_statuses)
        })
        .collect()
}

/// A commitment with everything its permalink page shows, minus the share URL.
pub struct CommitmentRecord {
    pub commitment: CommitmentSummary,
    pub summit: SummitView,
    pub proposed_by: Option<PartyRef>,
    pub due_note: Option<String>,
    pub sources: Vec<SourceView>,
    pub timeline: Vec<StatusUpdateView>,
    pub version: i64,
}

struct DetailRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    theme: String,
    due_on: Option<NaiveDate>,
    due_note: Option<String>,
    source_count: i64,
    last_changed_on: Option<NaiveDate>,
    proposer_code: Option<String>,
    proposer_short_name: Option<String>,
    summit_slug: String,
    summit_title: String,
    summit_held_on: NaiveDate,
    summit_location: String,
    summit_summary: String,
    version: i64,
}

pub async fn find_commitment_by_slug(pool: &SqlitePool, slug: &Slug) -> Result<Option<CommitmentRecord>, sqlx::Error> {
    let slug = slug.as_str();
    let Some(row) = sqlx::query_as!(
        DetailRow,
        r#"SELECT c.id, c.slug, c.title, c.summary, c.theme,
                  c.due_on AS "due_on: NaiveDate", c.due_note,
                  (SELECT COUNT(*) FROM commitment_sources cs WHERE cs.commitment_id = c.id) AS "source_count!: i64",
                  (SELECT MAX(su.effective_on) FROM status_updates su WHERE su.commitment_id = c.id)
                      AS "last_changed_on?: NaiveDate",
                  p.code AS "proposer_code?", p.short_name AS "proposer_short_name?",
                  s.slug AS summit_slug, s.title AS summit_title,
                  s.held_on AS "summit_held_on: NaiveDate", s.location AS summit_location,
                  s.summary AS summit_summary, c.version
           FROM commitments c
           JOIN summits s ON s.id = c.summit_id
           LEFT JOIN parties p ON p.id = c.proposed_by_party_id
           WHERE c.slug = ?1"#,
        slug
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };

    let party_statuses = current_party_statuses(pool, Some(row.id))
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let sources = list_sources_of_commitment(pool, row.id).await?;
    let timeline = list_status_timeline(pool, row.id).await?;
    let proposed_by = match (row.proposer_code.as_deref(), row.proposer_short_name.clone()) {
        (Some(code), Some(name)) => Some(party_ref(code, name)?),
        _ => None,
    };
    let summit = SummitView {
        slug: decode(&row.summit_slug)?,
        title: row.summit_title.clone(),
        held_on: row.summit_held_on,
        location: row.summit_location.clone(),
        summary: row.summit_summary.clone(),
    };
    let due_note = row.due_note.clone();
    let version = row.version;
    let commitment = SummaryRow {
        id: row.id,
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        theme: row.theme,
        due_on: row.due_on,
        source_count: row.source_count,
        last_changed_on: row.last_changed_on,
    }
    .into_summary(party_statuses)?;
    Ok(Some(CommitmentRecord {
        commitment,
        summit,
        proposed_by,
        due_note,
        sources,
        timeline,
        version,
    }))
}

struct SourceRow {
    id: i64,
    publisher: String,
    via: Option<String>,
    title: String,
    published_on: NaiveDate,
    url: Option<String>,
    quote: String,
    kind: String,
}

pub async fn list_sources_of_commitment(pool: &SqlitePool, commitment_id: i64) -> Result<Vec<SourceView>, sqlx::Error> {
    let rows = sqlx::query_as!(
        SourceRow,
        r#"SELECT s.id AS "id!: i64", s.publisher, s.via, s.title,
                  s.published_on AS "published_on: NaiveDate", s.url, s.quote, s.kind
           FROM sources s
           JOIN commitment_sources cs ON cs.source_id = s.id
           WHERE cs.commitment_id = ?1
           ORDER BY s.published_on, s.id"#,
        commitment_id
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(SourceView {
                id: row.id,
                publisher: row.publisher,
                via: row.via,
                title: row.title,
                published_on: row.published_on,
                url: row.url,
                quote: row.quote,
                kind: decode(&row.kind)?,
            })
        })
        .collect()
}

struct TimelineRow {
    id: i64,
    code: String,
    short_name: String,
    status: String,
    previous_status: Option<String>,
    effective_on: NaiveDate,
    note: String,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

struct CitationRow {
    status_update_id: i64,
    id: i64,
    publisher: String,
    title: String,
}

/// The public timeline of one commitment, newest first, each entry with the
/// party's previous status and the sources it cites.
pub async fn list_status_timeline(pool: &SqlitePool, commitment_id: i64) -> Result<Vec<StatusUpdateView>, sqlx::Error> {
    let rows = sqlx::query_as!(
        TimelineRow,
        r#"SELECT su.id AS "id!: i64", p.code, p.short_name, su.status,
                  LAG(su.status) OVER (PARTITION BY su.party_id ORDER BY su.effective_on, su.id)
                      AS "previous_status?: String",
                  su.effective_on AS "effective_on: NaiveDate", su.note, su.recorded_by,
                  su.recorded_at AS "recorded_at: DateTime<Utc>"
           FROM status_updates su
           JOIN parties p ON p.id = su.party_id
           WHERE su.commitment_id = ?1
           ORDER BY su.effective_on DESC, su.id DESC"#,
        commitment_id
    )
    .fetch_all(pool)
    .await?;
    let citations = sqlx::query_as!(
        CitationRow,
        r#"SELECT sus.status_update_id AS "status_update_id!: i64", s.id AS "id!: i64", s.publisher, s.title
           FROM status_update_sources sus
           JOIN status_updates su ON su.id = sus.status_update_id
           JOIN sources s ON s.id = sus.source_id
           WHERE su.commitment_id = ?1
           ORDER BY s.published_on, s.id"#,
        commitment_id
    )
    .fetch_all(pool)
    .await?;
    let mut cited: HashMap<i64, Vec<CitedSource>> = HashMap::new();
    for c in citations {
        cited.entry(c.status_update_id).or_default().push(CitedSource {
            id: c.id,
            publisher: c.publisher,
            title: c.title,
        });
    }
    rows.into_iter()
        .map(|row| {
            Ok(StatusUpdateView {
                id: row.id,
                party: party_ref(&row.code, row.short_name)?,
                status: decode(&row.status)?,
                previous_status: row.previous_status.as_deref().map(decode).transpose()?,
                effective_on: row.effective_on,
                note: row.note,
                recorded_by: row.recorded_by,
                recorded_at: row.recorded_at,
                sources: cited.remove(&row.id).unwrap_or_default(),
            })
        })
        .collect()
}

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqlitePool;
use std::collections::HashMap;
use std::str::FromStr;

use domain::{
    CitedSource, CommitmentSummary, LaterCorrection, PartyCode, PartyRef, Slug, SourceVersion, SourceView,
    StatusChangeEntry, StatusUpdateView, SummitView,
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

/// A commitment with everything its permalink page shows, minus the share URL.
pub struct CommitmentRecord {
    pub commitment: CommitmentSummary,
    pub summit: SummitView,
    pub proposed_by: Option<PartyRef>,
    pub due_note: Option<String>,
    pub sources: Vec<SourceView>,
    /// The latest `TIMELINE_LIMIT` status changes, newest first.
    pub timeline: Vec<StatusUpdateView>,
    pub timeline_total: u64,
    pub version: i64,
}

struct DetailRow {
    id: i64,
    due_note: Option<String>,
    proposer_code: Option<String>,
    proposer_short_name: Option<String>,
    summit_slug: String,
    summit_title: String,
    summit_held_on: NaiveDate,
    summit_location: String,
    summit_summary: String,
    summit_time_zone: String,
    version: i64,
}

/// What a status change is checked against: when the commitment's summit
/// was held and when it is due. The write path needs only these, not the
/// whole record (whose timeline grows with every update).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeDates {
    pub summit_held_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    /// Where "today" is reckoned for the change's dates.
    pub time_zone: domain::SummitTimeZone,
}

pub async fn find_change_dates(pool: &SqlitePool, slug: &Slug) -> Result<Option<ChangeDates>, sqlx::Error> {
    let slug = slug.as_str();
    let row = sqlx::query!(
        r#"SELECT s.held_on AS "summit_held_on: NaiveDate", c.due_on AS "due_on: NaiveDate", s.time_zone
           FROM commitments c JOIN summits s ON s.id = c.summit_id
           WHERE c.slug = ?1"#,
        slug
    )
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(ChangeDates {
            summit_held_on: row.summit_held_on,
            due_on: row.due_on,
            time_zone: decode(&row.time_zone)?,
        })
    })
    .transpose()
}

pub async fn find_commitment_by_slug(pool: &SqlitePool, slug: &Slug) -> Result<Option<CommitmentRecord>, sqlx::Error> {
    let slug = slug.as_str();
    let Some(row) = sqlx::query_as!(
        DetailRow,
        r#"SELECT c.id, c.due_note,
                  p.code AS "proposer_code?", p.short_name AS "proposer_short_name?",
                  s.slug AS summit_slug, s.title AS summit_title,
                  s.held_on AS "summit_held_on: NaiveDate", s.location AS summit_location,
                  s.summary AS summit_summary, s.time_zone AS summit_time_zone, c.version
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

    let Some(commitment) = super::listing::summaries_by_ids(pool, &[row.id]).await?.pop() else {
        return Ok(None);
    };
    // Every version of the sources the page shows, read once for both the
    // sources list and the timeline's citations.
    let versions = crate::evidence::versions_for_commitment(pool, row.id).await?;
    let sources = list_sources_of_commitment(pool, row.id, &versions).await?;
    let timeline = list_status_timeline(pool, row.id, domain::TIMELINE_LIMIT as i64, &versions).await?;
    let timeline_total = count_status_updates(pool, row.id).await?;
    let proposed_by = match (row.proposer_code.as_deref(), row.proposer_short_name) {
        (Some(code), Some(name)) => Some(party_ref(code, name)?),
        _ => None,
    };
    let mut summit = SummitView {
        slug: decode(&row.summit_slug)?,
        title: row.summit_title,
        held_on: row.summit_held_on,
        location: row.summit_location,
        summary: row.summit_summary,
        time_zone: decode(&row.summit_time_zone)?,
        language: Default::default(),
        translations: Vec::new(),
    };
    crate::translations::add_to_summits(pool, [&mut summit]).await?;
    Ok(Some(CommitmentRecord {
        commitment,
        summit,
        proposed_by,
        due_note: row.due_note,
        sources,
        timeline,
        timeline_total,
        version: row.version,
    }))
}

/// A commitment's sources as they read now, each with its corrections.
/// `versions`: the sources' versions, from `evidence::versions_for_commitment`.
pub async fn list_sources_of_commitment(
    pool: &SqlitePool,
    commitment_id: i64,
    versions: &HashMap<i64, Vec<SourceVersion>>,
) -> Result<Vec<SourceView>, sqlx::Error> {
    let listed = sqlx::query!(
        r#"SELECT s.id AS "id!: i64" FROM sources s
           JOIN commitment_sources cs ON cs.source_id = s.id
           WHERE cs.commitment_id = ?1
           ORDER BY s.dated_on, s.id"#,
        commitment_id
    )
    .fetch_all(pool)
    .await?;
    listed
        .into_iter()
        .map(|row| {
            let versions = versions.get(&row.id).map(Vec::as_slice).unwrap_or_default();
            let current = versions
                .last()
                .ok_or_else(|| sqlx::Error::Decode(format!("source {} has no stored version", row.id).into()))?;
            Ok(SourceView {
                id: row.id,
                text: current.text.clone(),
                version: current.version,
                corrections: domain::corrections_after(versions, 1),
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
    source_version: i64,
}

/// How many status changes a commitment has.
pub async fn count_status_updates(pool: &SqlitePool, commitment_id: i64) -> Result<u64, sqlx::Error> {
    let count = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "count!: i64" FROM status_updates WHERE commitment_id = ?1"#,
        commitment_id
    )
    .fetch_one(pool)
    .await?;
    Ok(count as u64)
}

/// The latest `limit` entries of the public timeline of one commitment,
/// newest first, each with the party's previous status and the sources it
/// cites (`versions` as for [`list_sources_of_commitment`]).
pub async fn list_status_timeline(
    pool: &SqlitePool,
    commitment_id: i64,
    limit: i64,
    versions: &HashMap<i64, Vec<SourceVersion>>,
) -> Result<Vec<StatusUpdateView>, sqlx::Error> {
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
           ORDER BY su.effective_on DESC, su.id DESC
           LIMIT ?2"#,
        commitment_id,
        limit
    )
    .fetch_all(pool)
    .await?;
    let citations = sqlx::query_as!(
        CitationRow,
        r#"SELECT sus.status_update_id AS "status_update_id!: i64", sus.source_id AS "id!: i64",
                  sus.source_version AS "source_version!: i64"
           FROM status_update_sources sus
           JOIN status_updates su ON su.id = sus.status_update_id
           JOIN sources s ON s.id = sus.source_id
           WHERE su.commitment_id = ?1
           ORDER BY s.dated_on, s.id"#,
        commitment_id
    )
    .fetch_all(pool)
    .await?;
    let mut cited: HashMap<i64, Vec<CitedSource>> = HashMap::new();
    for c in citations {
        let versions = versions.get(&c.id).map(Vec::as_slice).unwrap_or_default();
        // Named as the version the change relied on read.
        let Some(relied) = versions.iter().find(|v| v.version == c.source_version) else {
            return Err(sqlx::Error::Decode(
                format!("source {} has no version {}", c.id, c.source_version).into(),
            ));
        };
        cited.entry(c.status_update_id).or_default().push(CitedSource {
            id: c.id,
            publisher: relied.text.publisher.clone(),
            title: relied.text.title.clone(),
            title_basis: relied.text.title_basis,
            version: c.source_version,
            later_correction: LaterCorrection::since(versions, c.source_version),
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

struct ChangeRow {
    id: i64,
    commitment_slug: String,
    commitment_title: String,
    code: String,
    short_name: String,
    status: String,
    previous_status: Option<String>,
    effective_on: NaiveDate,
    note: String,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

/// The most recently recorded status changes, newest first, of every
/// commitment or of one (by slug), each with the party's previous status.
pub async fn list_recent_status_changes(
    pool: &SqlitePool,
    commitment: Option<&Slug>,
    limit: i64,
) -> Result<Vec<StatusChangeEntry>, sqlx::Error> {
    let slug = commitment.map(|s| s.as_str());
    let rows = sqlx::query_as!(
        ChangeRow,
        r#"SELECT su.id AS "id!: i64", c.slug AS commitment_slug, c.title AS commitment_title,
                  p.code, p.short_name, su.status,
                  (SELECT earlier.status FROM status_updates earlier
                   WHERE earlier.commitment_id = su.commitment_id AND earlier.party_id = su.party_id
                     AND (earlier.effective_on, earlier.id) < (su.effective_on, su.id)
                   ORDER BY earlier.effective_on DESC, earlier.id DESC LIMIT 1) AS "previous_status?: String",
                  su.effective_on AS "effective_on: NaiveDate", su.note, su.recorded_by,
                  su.recorded_at AS "recorded_at: DateTime<Utc>"
           FROM status_updates su
           JOIN commitments c ON c.id = su.commitment_id
           JOIN parties p ON p.id = su.party_id
           WHERE ?1 IS NULL OR c.slug = ?1
           ORDER BY su.id DESC
           LIMIT ?2"#,
        slug,
        limit
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(StatusChangeEntry {
                id: row.id,
                commitment_slug: decode(&row.commitment_slug)?,
                commitment_title: row.commitment_title,
                party: party_ref(&row.code, row.short_name)?,
                status: decode(&row.status)?,
                previous_status: row.previous_status.as_deref().map(decode).transpose()?,
                effective_on: row.effective_on,
                note: row.note,
                recorded_by: row.recorded_by,
                recorded_at: row.recorded_at,
            })
        })
        .collect()
}

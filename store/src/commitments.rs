use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqlitePool;
use std::collections::HashMap;
use std::str::FromStr;

use crate::engine::{Engine, EngineRef};
use store_rows::{
    ChangeDatesRow, CitationRow, CommitmentDetailRow, HistoryHeadRow, RecentChangeRow, RevisionRow, TimelineRow,
};

use domain::{
    CitedSource, CommitmentHistoryPage, CommitmentSummary, LaterCorrection, PartyCode, PartyRef, RevisionView, Slug,
    SourceVersion, SourceView, StatusChangeEntry, StatusUpdateView, SummitView,
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
#[derive(Clone, Debug, PartialEq)]
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

pub async fn find_change_dates(db: &impl Engine, slug: &Slug) -> Result<Option<ChangeDates>, sqlx::Error> {
    let slug = slug.as_str();
    let row = match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_as!(
                ChangeDatesRow,
                r#"SELECT s.held_on AS "summit_held_on: NaiveDate", c.due_on AS "due_on: NaiveDate", s.time_zone
                   FROM commitments c JOIN summits s ON s.id = c.summit_id
                   WHERE c.slug = ?1"#,
                slug
            )
            .fetch_optional(pool)
            .await?
        }
        EngineRef::Postgres(pool) => store_postgres::commitments::change_dates(pool, slug).await?,
    };
    row.map(|row| {
        Ok(ChangeDates {
            summit_held_on: row.summit_held_on,
            due_on: row.due_on,
            time_zone: decode(&row.time_zone)?,
        })
    })
    .transpose()
}

/// Every commitment's slug, in the order they were stored.
pub async fn list_slugs(db: &impl Engine) -> Result<Vec<Slug>, sqlx::Error> {
    let slugs = match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_scalar!("SELECT slug FROM commitments ORDER BY id")
                .fetch_all(pool)
                .await?
        }
        EngineRef::Postgres(pool) => store_postgres::commitments::slugs(pool).await?,
    };
    slugs.iter().map(|slug| decode(slug)).collect()
}

/// A commitment with the latest `TIMELINE_LIMIT` entries of its timeline.
pub async fn find_commitment_by_slug(db: &impl Engine, slug: &Slug) -> Result<Option<CommitmentRecord>, sqlx::Error> {
    find_commitment_with_timeline(db, slug, domain::TIMELINE_LIMIT).await
}

/// A commitment with the latest `latest` entries of its timeline (and the
/// sources' versions they cite): a permalink page reads the 20 it shows,
/// not 200 (docs/PERFORMANCE.md, issue 17).
pub async fn find_commitment_with_timeline(
    db: &impl Engine,
    slug: &Slug,
    latest: usize,
) -> Result<Option<CommitmentRecord>, sqlx::Error> {
    let slug = slug.as_str();
    let row = match db.engine() {
        EngineRef::Sqlite(pool) => detail_row_on_sqlite(pool, slug).await?,
        EngineRef::Postgres(pool) => store_postgres::commitments::detail(pool, slug).await?,
    };
    let Some(row) = row else {
        return Ok(None);
    };
    let Some(commitment) = super::listing::summaries_by_ids(db, &[row.id]).await?.pop() else {
        return Ok(None);
    };
    let Timeline {
        entries: timeline,
        versions,
    } = load_timeline(db, row.id, i64::try_from(latest).unwrap_or(i64::MAX)).await?;
    let sources = list_sources_of_commitment(db, row.id, &versions).await?;
    // Fewer entries than asked for are all there are; only a full timeline
    // needs counting (0.7 ms for 10,000 changes).
    let timeline_total = if timeline.len() < latest {
        timeline.len() as u64
    } else {
        count_status_updates(db, row.id).await?
    };
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
    crate::translations::add_to_summits(db, [&mut summit]).await?;
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

async fn detail_row_on_sqlite(pool: &SqlitePool, slug: &str) -> Result<Option<CommitmentDetailRow>, sqlx::Error> {
    sqlx::query_as!(
        CommitmentDetailRow,
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
    .await
}

/// A commitment's sources as they read now, each with its corrections.
/// `versions`: the sources' versions, from [`load_timeline`].
pub async fn list_sources_of_commitment(
    db: &impl Engine,
    commitment_id: i64,
    versions: &HashMap<i64, Vec<SourceVersion>>,
) -> Result<Vec<SourceView>, sqlx::Error> {
    let listed = match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_scalar!(
                r#"SELECT s.id AS "id!: i64" FROM sources s
                   JOIN commitment_sources cs ON cs.source_id = s.id
                   WHERE cs.commitment_id = ?1
                   ORDER BY s.dated_on, s.id"#,
                commitment_id
            )
            .fetch_all(pool)
            .await?
        }
        EngineRef::Postgres(pool) => store_postgres::commitments::listed_source_ids(pool, commitment_id).await?,
    };
    listed
        .into_iter()
        .map(|id| {
            let versions = versions.get(&id).map(Vec::as_slice).unwrap_or_default();
            let current = versions
                .last()
                .ok_or_else(|| sqlx::Error::Decode(format!("source {id} has no stored version").into()))?;
            Ok(SourceView {
                id,
                text: current.text.clone(),
                version: current.version,
                corrections: domain::corrections_after(versions, 1),
            })
        })
        .collect()
}

/// How many status changes a commitment has.
pub async fn count_status_updates(db: &impl Engine, commitment_id: i64) -> Result<u64, sqlx::Error> {
    let count = match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_scalar!(
                r#"SELECT COUNT(*) AS "count!: i64" FROM status_updates WHERE commitment_id = ?1"#,
                commitment_id
            )
            .fetch_one(pool)
            .await?
        }
        EngineRef::Postgres(pool) => store_postgres::commitments::count_status_updates(pool, commitment_id).await?,
    };
    Ok(u64::try_from(count).unwrap_or(0))
}

/// The latest entries of a commitment's timeline, and every version of the
/// sources its page shows (those it lists and those the entries cite).
pub struct Timeline {
    /// Newest first.
    pub entries: Vec<StatusUpdateView>,
    pub versions: HashMap<i64, Vec<SourceVersion>>,
}

/// The latest `limit` entries of the public timeline of one commitment,
/// newest first, each with the party's previous status and the sources it
/// cites. Only the rows shown are read: the entries in index order
/// (`status_updates_commitment_effective_on`), each previous status as one
/// step back along the party's index, the citations of the shown entries
/// alone; a commitment with 10,000 changes costs what one with 200 does.
pub async fn load_timeline(db: &impl Engine, commitment_id: i64, limit: i64) -> Result<Timeline, sqlx::Error> {
    let (rows, citations) = match db.engine() {
        EngineRef::Sqlite(pool) => timeline_rows_on_sqlite(pool, commitment_id, limit).await?,
        EngineRef::Postgres(pool) => {
            let rows = store_postgres::commitments::timeline(pool, commitment_id, limit).await?;
            let shown: Vec<i64> = rows.iter().map(|row| row.id).collect();
            let citations = store_postgres::commitments::citations(pool, &shown).await?;
            (rows, citations)
        }
    };
    let mut cited_ids: Vec<i64> = citations.iter().map(|c| c.id).collect();
    cited_ids.sort_unstable();
    cited_ids.dedup();
    let versions = crate::evidence::versions_for_commitment_page(db, commitment_id, &cited_ids).await?;
    let mut cited: HashMap<i64, Vec<CitedSource>> = HashMap::new();
    for c in citations {
        let source_versions = versions.get(&c.id).map(Vec::as_slice).unwrap_or_default();
        // Named as the version the change relied on read.
        let Some(relied) = source_versions.iter().find(|v| v.version == c.source_version) else {
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
            later_correction: LaterCorrection::since(source_versions, c.source_version),
        });
    }
    let entries = rows
        .into_iter()
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
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(Timeline { entries, versions })
}

async fn timeline_rows_on_sqlite(
    pool: &SqlitePool,
    commitment_id: i64,
    limit: i64,
) -> Result<(Vec<TimelineRow>, Vec<CitationRow>), sqlx::Error> {
    let rows = sqlx::query_as!(
        TimelineRow,
        r#"-- query: commitment timeline, latest first
           SELECT su.id AS "id!: i64", p.code, p.short_name, su.status,
                  (SELECT earlier.status FROM status_updates earlier
                   WHERE earlier.commitment_id = su.commitment_id AND earlier.party_id = su.party_id
                     AND (earlier.effective_on, earlier.id) < (su.effective_on, su.id)
                   ORDER BY earlier.effective_on DESC, earlier.id DESC LIMIT 1) AS "previous_status?: String",
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
    let shown: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let shown = serde_json::to_string(&shown).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    // Sorted by date among the shown entries' citations only (a few hundred
    // rows at most).
    let citations = sqlx::query_as!(
        CitationRow,
        r#"-- query: citations of the shown timeline entries
           SELECT sus.status_update_id AS "status_update_id!: i64", sus.source_id AS "id!: i64",
                  sus.source_version AS "source_version!: i64"
           FROM json_each(?1) shown
           JOIN status_update_sources sus ON sus.status_update_id = shown.value
           JOIN sources s ON s.id = sus.source_id
           ORDER BY s.dated_on, s.id"#,
        shown
    )
    .fetch_all(pool)
    .await?;
    Ok((rows, citations))
}

/// One page of a commitment's revision history: at most `limit` revisions
/// with versions below `before` (all, for `None`), newest first, each with
/// what it changed, and where the next older page starts. Only the page's
/// rows (and one more, to know whether there is a next page) are read,
/// along the `(commitment_id, version)` index.
pub async fn list_history_page(
    db: &impl Engine,
    slug: &Slug,
    before: Option<i64>,
    limit: u32,
) -> Result<Option<CommitmentHistoryPage>, sqlx::Error> {
    let head = match db.engine() {
        EngineRef::Sqlite(pool) => history_head_on_sqlite(pool, slug.as_str()).await?,
        EngineRef::Postgres(pool) => store_postgres::commitments::history_head(pool, slug.as_str()).await?,
    };
    let Some(commitment) = head else {
        return Ok(None);
    };
    let below = before.unwrap_or(i64::MAX);
    let fetch = i64::from(limit) + 1;
    let mut rows = match db.engine() {
        EngineRef::Sqlite(pool) => revision_rows_on_sqlite(pool, commitment.id, below, fetch).await?,
        EngineRef::Postgres(pool) => store_postgres::commitments::revisions(pool, commitment.id, below, fetch).await?,
    };
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let parties = crate::listing::list_parties(db).await?;
    let name = domain::party_name(&parties);
    let mut revisions = Vec::with_capacity(rows.len() + 1);
    for row in rows {
        let after = crate::editing::parse_snapshot(&row.after_json)?;
        let differences = match row
            .before_json
            .as_deref()
            .map(crate::editing::parse_snapshot)
            .transpose()?
        {
            Some(before) => after.differences_since(&before),
            None => Vec::new(),
        };
        revisions.push(RevisionView {
            version: row.version,
            recorded_by: row.recorded_by,
            action: row.action,
            summary: row.summary,
            created_at: row.created_at,
            changes: differences.iter().map(|change| change.english(&name)).collect(),
            differences,
        });
    }
    // A seeded commitment's first version has no revision of its own: it is
    // the state before the first edit, shown (and revertible) like any
    // other, at the end of the last page. Reaching the end without a
    // revision numbered 1 means there is none.
    let reached_first = !more && below > 1;
    if reached_first && commitment.version > 1 && revisions.last().is_none_or(|r| r.version != 1) {
        revisions.push(RevisionView {
            version: 1,
            recorded_by: crate::editing::SEEDED_BY.to_owned(),
            action: "seed".to_owned(),
            summary: "The commitment as first loaded from the summit's data.".to_owned(),
            created_at: commitment.created_at,
            changes: Vec::new(),
            differences: Vec::new(),
        });
    }
    let older = if more {
        revisions.last().map(|r| r.version)
    } else {
        None
    };
    drop(name);
    Ok(Some(CommitmentHistoryPage {
        slug: slug.clone(),
        title: commitment.title,
        current_version: commitment.version,
        revisions,
        parties,
        before,
        older,
    }))
}

async fn history_head_on_sqlite(pool: &SqlitePool, slug: &str) -> Result<Option<HistoryHeadRow>, sqlx::Error> {
    sqlx::query_as!(
        HistoryHeadRow,
        r#"SELECT id AS "id!: i64", title, version, created_at AS "created_at: DateTime<Utc>"
           FROM commitments WHERE slug = ?1"#,
        slug
    )
    .fetch_optional(pool)
    .await
}

async fn revision_rows_on_sqlite(
    pool: &SqlitePool,
    commitment_id: i64,
    below: i64,
    fetch: i64,
) -> Result<Vec<RevisionRow>, sqlx::Error> {
    sqlx::query_as!(
        RevisionRow,
        r#"-- query: commitment history page, newest first
           SELECT version, recorded_by, action, summary, before_json, after_json,
                  created_at AS "created_at: DateTime<Utc>"
           FROM revisions WHERE commitment_id = ?1 AND version < ?2
           ORDER BY version DESC
           LIMIT ?3"#,
        commitment_id,
        below,
        fetch
    )
    .fetch_all(pool)
    .await
}

/// The most recently recorded status changes, newest first, of every
/// commitment or of one (by slug), each with the party's previous status.
pub async fn list_recent_status_changes(
    db: &impl Engine,
    commitment: Option<&Slug>,
    limit: i64,
) -> Result<Vec<StatusChangeEntry>, sqlx::Error> {
    let slug = commitment.map(|s| s.as_str());
    let rows = match db.engine() {
        EngineRef::Sqlite(pool) => recent_change_rows_on_sqlite(pool, slug, limit).await?,
        EngineRef::Postgres(pool) => store_postgres::commitments::recent_status_changes(pool, slug, limit).await?,
    };
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

async fn recent_change_rows_on_sqlite(
    pool: &SqlitePool,
    slug: Option<&str>,
    limit: i64,
) -> Result<Vec<RecentChangeRow>, sqlx::Error> {
    sqlx::query_as!(
        RecentChangeRow,
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
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GenerateOptions, BUSY_COMMITMENT_SLUG};
    use domain::{Status, HISTORY_PAGE_SIZE, TIMELINE_LIMIT};

    const CHANGES: u32 = 10_000;

    /// The shipped data with the generator's busy commitment: `CHANGES`
    /// status changes, each a revision, recorded through the write path.
    async fn busy(pool: &SqlitePool) -> (Slug, i64) {
        crate::test_fixture::seeded(pool).await;
        let options = GenerateOptions {
            busy_updates: CHANGES,
            batch: 100,
            until: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            ..GenerateOptions::new(0, 0, 3)
        };
        generate(pool, &options, |_| {}).await.unwrap();
        let slug = Slug::parse(BUSY_COMMITMENT_SLUG).unwrap();
        let id = sqlx::query_scalar("SELECT id FROM commitments WHERE slug = ?1")
            .bind(BUSY_COMMITMENT_SLUG)
            .fetch_one(pool)
            .await
            .unwrap();
        (slug, id)
    }

    /// The text of the checked query marked `marker`, from the offline data
    /// the `query!` macros compile against: the very statement the store runs.
    fn checked_query(marker: &str) -> String {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.sqlx");
        let found: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|entry| {
                let text = std::fs::read_to_string(entry.ok()?.path()).ok()?;
                let json: serde_json::Value = serde_json::from_str(&text).ok()?;
                let query = json["query"].as_str()?.to_owned();
                query.contains(marker).then_some(query)
            })
            .collect();
        assert_eq!(
            found.len(),
            1,
            "one checked query marked {marker:?} in .sqlx (run make sqlx-prepare)"
        );
        found.into_iter().next().unwrap()
    }

    async fn plan(pool: &SqlitePool, sql: &str, binds: &[&str]) -> Vec<String> {
        // The statement is the checked one, read from .sqlx.
        let mut query =
            sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")));
        for value in binds {
            query = query.bind(*value);
        }
        query
            .fetch_all(pool)
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.3)
            .collect()
    }

    #[sqlx::test(migrations = "../migrations/sqlite")]
    async fn the_timeline_and_history_read_their_rows_off_an_index(pool: SqlitePool) {
        let (_, id) = busy(&pool).await;
        // Statistics as a served database gathers them (`PRAGMA optimize`),
        // so the planner knows how many rows one commitment has.
        sqlx::query("ANALYZE").execute(&pool).await.unwrap();
        let id = id.to_string();
        let sorts_everything = |steps: &[String]| steps.iter().any(|s| s.contains("TEMP B-TREE"));

        let timeline = plan(
            &pool,
            &checked_query("-- query: commitment timeline, latest first"),
            &[&id, "200"],
        )
        .await;
        assert!(
            timeline[0].contains("SEARCH su USING INDEX status_updates_commitment_effective_on (commitment_id=?)"),
            "{timeline:#?}"
        );
        assert!(!sorts_everything(&timeline), "{timeline:#?}");
        // The previous status: one step back along the party's own index.
        assert!(
            timeline.iter().any(|s| s.contains(
                "SEARCH earlier USING INDEX status_updates_commitment_party (commitment_id=? AND party_id=? AND effective_on<"
            )),
            "{timeline:#?}"
        );

        let citations = plan(
            &pool,
            &checked_query("-- query: citations of the shown timeline entries"),
            &["[1,2]"],
        )
        .await;
        assert!(citations.iter().any(|s| s.starts_with("SCAN shown")), "{citations:#?}");
        assert!(
            citations
                .iter()
                .any(|s| s.contains("SEARCH sus USING PRIMARY KEY (status_update_id=?)")),
            "{citations:#?}"
        );

        let history = plan(
            &pool,
            &checked_query("-- query: commitment history page, newest first"),
            &[&id, "5000", "51"],
        )
        .await;
        assert!(
            history[0]
                .contains("SEARCH revisions USING INDEX sqlite_autoindex_revisions_1 (commitment_id=? AND version<?)"),
            "{history:#?}"
        );
        assert!(!sorts_everything(&history), "{history:#?}");
    }

    #[sqlx::test(migrations = "../migrations/sqlite")]
    async fn ten_thousand_changes_show_a_bounded_page_with_first_and_next_links(pool: SqlitePool) {
        let (slug, id) = busy(&pool).await;

        // The permalink: the latest TIMELINE_LIMIT changes and the total.
        let record = find_commitment_by_slug(&pool, &slug).await.unwrap().unwrap();
        assert_eq!(record.timeline.len(), TIMELINE_LIMIT);
        assert_eq!(record.timeline_total, u64::from(CHANGES));
        assert_eq!(record.version, i64::from(CHANGES) + 1);
        // Newest first, as the full history in SQL orders it, each with the
        // party's previous status and its evidence.
        let all: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, party_id, status FROM status_updates WHERE commitment_id = ?1 ORDER BY effective_on, id",
        )
        .bind(id)
        .fetch_all(&pool)
        .await
        .unwrap();
        let mut previous = HashMap::new();
        let mut expected = Vec::new();
        for (update, party, status) in &all {
            expected.push((*update, previous.insert(*party, status.clone())));
        }
        expected.reverse();
        expected.truncate(TIMELINE_LIMIT);
        let shown: Vec<(i64, Option<String>)> = record
            .timeline
            .iter()
            .map(|u| (u.id, u.previous_status.map(|s| s.code().to_owned())))
            .collect();
        assert_eq!(shown, expected);
        assert!(
            record.timeline.iter().all(|u| u.sources.len() == 1),
            "each change cites its source"
        );
        assert!(record
            .timeline
            .iter()
            .any(|u| u.previous_status.is_some_and(|s| s != u.status)));
        assert!(record.timeline.iter().all(|u| u.status != Status::NotYetRated));

        // The history: pages of HISTORY_PAGE_SIZE, newest first, each linking
        // to the next older one, down to the seeded first version.
        let first = list_history_page(&pool, &slug, None, HISTORY_PAGE_SIZE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.before, None);
        assert_eq!(first.current_version, i64::from(CHANGES) + 1);
        let versions = |page: &CommitmentHistoryPage| page.revisions.iter().map(|r| r.version).collect::<Vec<_>>();
        let top = i64::from(CHANGES) + 1;
        assert_eq!(versions(&first), (top - 49..=top).rev().collect::<Vec<_>>());
        assert_eq!(first.older, Some(top - 49));
        assert!(
            first.revisions[0].summary.starts_with("Status change, "),
            "{}",
            first.revisions[0].summary
        );
        assert!(
            matches!(
                first.revisions[0].differences.as_slice(),
                [domain::SnapshotChange::Status { .. }]
            ),
            "the change is shown: {:?}",
            first.revisions[0].differences
        );
        let next = list_history_page(&pool, &slug, first.older, HISTORY_PAGE_SIZE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(next.before, first.older);
        assert_eq!(versions(&next), (top - 99..=top - 50).rev().collect::<Vec<_>>());
        assert_eq!(next.older, Some(top - 99));

        // Every version once, in order, on pages no longer than a page (the
        // last one also shows the seeded first version).
        let mut seen = Vec::new();
        let mut page = first;
        let mut pages = 1;
        loop {
            assert!(page.revisions.len() <= HISTORY_PAGE_SIZE as usize + 1);
            seen.extend(versions(&page));
            let Some(older) = page.older else { break };
            page = list_history_page(&pool, &slug, Some(older), HISTORY_PAGE_SIZE)
                .await
                .unwrap()
                .unwrap();
            pages += 1;
        }
        assert_eq!(seen, (1..=top).rev().collect::<Vec<_>>());
        assert_eq!(pages, (CHANGES as usize).div_ceil(HISTORY_PAGE_SIZE as usize));
        assert_eq!(page.revisions.last().map(|r| r.action.as_str()), Some("seed"));

        // A cursor past the newest version is the first page; one at the
        // first version leaves nothing older.
        let beyond = list_history_page(&pool, &slug, Some(top + 100), HISTORY_PAGE_SIZE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            versions(&beyond),
            versions(
                &list_history_page(&pool, &slug, None, HISTORY_PAGE_SIZE)
                    .await
                    .unwrap()
                    .unwrap()
            )
        );
        let bottom = list_history_page(&pool, &slug, Some(1), HISTORY_PAGE_SIZE)
            .await
            .unwrap()
            .unwrap();
        assert!(bottom.revisions.is_empty() && bottom.older.is_none());
        assert!(
            list_history_page(&pool, &Slug::parse("no-such-pledge").unwrap(), None, 50)
                .await
                .unwrap()
                .is_none()
        );
    }
}

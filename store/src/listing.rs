//! The filtered, sorted, searchable list of commitments, its scoreboard and
//! status history, and the summits and parties its filter form offers.
//!
//! The filter is one SQL statement over the columns the discovery migration
//! keeps current (overall status, each party's status, last change, source
//! count) and the two FTS5 indexes (words, and CJK text by trigrams), so
//! filtering never replays history.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::SqlitePool;

pub use crate::zone_days::ZoneDays;
use std::collections::HashMap;

use super::commitments::decode;
use domain::{
    CommitmentSummary, ListQuery, ListingPage, PartyRef, PartyStatus, Slug, Status, StatusSnapshot, SummitListing,
    SummitRef, SummitView, CHART_MAX_COMMITMENTS, SUMMIT_CHOICES,
};

/// A commitment the filter matched, in the view's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub id: i64,
    pub overall_status: Status,
}

struct MatchRow {
    id: i64,
    overall_status: String,
}

/// A list query's filters as the parameters of the SQL that applies them
/// (`match_page`, `count_matches`).
struct FilterParams<'a> {
    status: Option<&'static str>,
    party: Option<&'a str>,
    theme: Option<&'static str>,
    summit: Option<&'a str>,
    /// The word index's `MATCH` expression (`SearchText::fts_query`).
    search: Option<String>,
    /// The trigram index's `MATCH` expression (`SearchText::trigram_query`).
    search_cjk: Option<String>,
    /// CJK terms too short for a trigram query, as a JSON array of strings
    /// (`SearchText::short_terms_json`), each found through the trigrams
    /// that start with it.
    search_short: Option<String>,
    overdue: bool,
}

impl<'a> FilterParams<'a> {
    fn of(query: &'a ListQuery) -> FilterParams<'a> {
        FilterParams {
            status: query.status.map(|s| s.code()),
            party: query.party.as_ref().map(|p| p.as_str()),
            theme: query.theme.map(|t| t.code()),
            summit: query.summit.as_ref().map(|s| s.as_str()),
            search: query.search.as_ref().and_then(|s| s.fts_query()),
            search_cjk: query.search.as_ref().and_then(|s| s.trigram_query()),
            search_short: query.search.as_ref().and_then(|s| s.short_terms_json()),
            overdue: query.overdue,
        }
    }
}

/// Every commitment the query's filters and search match, in its sort order.
/// `days` decides what is overdue: the day in each summit's time zone.
pub async fn match_commitments(
    pool: &SqlitePool,
    query: &ListQuery,
    days: &ZoneDays,
) -> Result<Vec<Match>, sqlx::Error> {
    // SQLite reads a negative LIMIT as "no limit".
    match_page(pool, query, days, -1, 0).await
}

/// `limit` of the matches (all if negative) after skipping `offset`, in
/// the view's sort order. SQLite keeps only the rows the page needs while
/// it sorts, so a page costs no transfer (nor memory) for the other
/// matches.
pub async fn match_page(
    pool: &SqlitePool,
    query: &ListQuery,
    days: &ZoneDays,
    limit: i64,
    offset: i64,
) -> Result<Vec<Match>, sqlx::Error> {
    let filter = FilterParams::of(query);
    let sort = query.sort.code();
    let today = days.json();
    // The WHERE clause is repeated in `count_matches`; a test checks that
    // the two agree for every kind of filter. The party filter is an IN
    // list, not a correlated EXISTS: SQLite then reads the party's rows
    // once from the (party, status) index instead of probing every
    // commitment (measured on 100,000 commitments: 3× faster). Search has
    // three parts, each skipped when its parameter is NULL: words as
    // prefixes in the word index (?5), CJK terms of three characters or more
    // as trigram phrases (?11), and shorter CJK terms (?12, a JSON array),
    // which no trigram query matches: a row has such a term where one of its
    // trigrams starts with it, so each term is a range of the trigram list
    // (U+10FFFF, a noncharacter, sorts after any character that follows it),
    // and a row must have every term. CROSS JOIN keeps the terms outside, so
    // the list is searched by term, not read whole.
    let rows = sqlx::query_as!(
        MatchRow,
        r#"SELECT c.id, c.overall_status
           FROM commitments c
           JOIN summits s ON s.id = c.summit_id
           WHERE (?2 IS NULL OR c.id IN (
                     SELECT cp.commitment_id FROM commitment_parties cp JOIN parties p ON p.id = cp.party_id
                     WHERE p.code = ?2 AND (?1 IS NULL OR cp.status = ?1)))
             AND (?1 IS NULL OR ?2 IS NOT NULL OR c.overall_status = ?1)
             AND (?3 IS NULL OR c.theme = ?3)
             AND (?4 IS NULL OR s.slug = ?4)
             AND (?5 IS NULL OR c.id IN (SELECT rowid FROM commitment_search WHERE commitment_search MATCH ?5))
             AND (?11 IS NULL OR c.id IN (
                     SELECT rowid FROM commitment_search_cjk WHERE commitment_search_cjk MATCH ?11))
             AND (?12 IS NULL OR c.id IN (
                     SELECT t.doc FROM json_each(?12) short
                     CROSS JOIN commitment_search_cjk_trigrams t
                         ON t.term >= short.value AND t.term < short.value || char(0x10FFFF)
                     GROUP BY t.doc HAVING count(DISTINCT short.key) = json_array_length(?12)))
             AND (NOT ?6 OR (c.due_on < (SELECT value FROM json_each(?7) WHERE key = s.time_zone)
                             AND c.overall_status <> 'fulfilled'))
           ORDER BY
             CASE WHEN ?8 = 'last_change' THEN c.last_changed_on END DESC,
             CASE WHEN ?8 = 'due' THEN coalesce(c.due_on, '9999-12-31') END,
             CASE WHEN ?8 = 'title' THEN c.title END COLLATE NOCASE,
             s.held_on DESC, c.position, c.id
           LIMIT ?9 OFFSET ?10"#,
        filter.status,
        filter.party,
        filter.theme,
        filter.summit,
        filter.search,
        filter.overdue,
        today,
        sort,
        limit,
        offset,
        filter.search_cjk,
        filter.search_short
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Match {
                id: row.id,
                overall_status: decode(&row.overall_status)?,
            })
        })
        .collect()
}

/// How many commitments the query's filters and search match at each
/// overall status, in `Status::ALL` order, counted in SQLite (no row of
/// the matches leaves it).
pub async fn count_matches(
    pool: &SqlitePool,
    query: &ListQuery,
    days: &ZoneDays,
) -> Result<Vec<(Status, u64)>, sqlx::Error> {
    let filter = FilterParams::of(query);
    let today = days.json();
    let rows = sqlx::query!(
        r#"SELECT c.overall_status, COUNT(*) AS "count!: i64"
           FROM commitments c
           WHERE (?2 IS NULL OR c.id IN (
                     SELECT cp.commitment_id FROM commitment_parties cp JOIN parties p ON p.id = cp.party_id
                     WHERE p.code = ?2 AND (?1 IS NULL OR cp.status = ?1)))
             AND (?1 IS NULL OR ?2 IS NOT NULL OR c.overall_status = ?1)
             AND (?3 IS NULL OR c.theme = ?3)
             AND (?4 IS NULL OR c.summit_id = (SELECT id FROM summits WHERE slug = ?4))
             AND (?5 IS NULL OR c.id IN (SELECT rowid FROM commitment_search WHERE commitment_search MATCH ?5))
             AND (?8 IS NULL OR c.id IN (
                     SELECT rowid FROM commitment_search_cjk WHERE commitment_search_cjk MATCH ?8))
             AND (?9 IS NULL OR c.id IN (
                     SELECT t.doc FROM json_each(?9) short
                     CROSS JOIN commitment_search_cjk_trigrams t
                         ON t.term >= short.value AND t.term < short.value || char(0x10FFFF)
                     GROUP BY t.doc HAVING count(DISTINCT short.key) = json_array_length(?9)))
             AND (NOT ?6 OR (c.due_on < (SELECT value FROM json_each(?7)
                                         WHERE key = (SELECT time_zone FROM summits WHERE id = c.summit_id))
                             AND c.overall_status <> 'fulfilled'))
           GROUP BY c.overall_status"#,
        filter.status,
        filter.party,
        filter.theme,
        filter.summit,
        filter.search,
        filter.overdue,
        today,
        filter.search_cjk,
        filter.search_short
    )
    .fetch_all(pool)
    .await?;
    let mut counts: Vec<(Status, u64)> = Status::ALL.iter().map(|status| (*status, 0)).collect();
    for row in rows {
        let status: Status = decode(&row.overall_status)?;
        if let Some(slot) = counts.iter_mut().find(|(s, _)| *s == status) {
            slot.1 = u64::try_from(row.count).unwrap_or(0);
        }
    }
    Ok(counts)
}

/// How many matches stand at each overall status, in `Status::ALL` order.
pub fn count_by_status(matches: &[Match]) -> Vec<(Status, u64)> {
    Status::ALL
        .iter()
        .map(|status| {
            let count = matches.iter().filter(|m| m.overall_status == *status).count();
            (*status, count as u64)
        })
        .collect()
}

struct SummaryRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    theme: String,
    due_on: Option<NaiveDate>,
    due_basis: Option<String>,
    source_count: i64,
    last_changed_on: Option<NaiveDate>,
    summit_slug: String,
    summit_title: String,
    summit_held_on: NaiveDate,
    summit_time_zone: String,
}

struct PartyStatusRow {
    commitment_id: i64,
    code: String,
    short_name: String,
    status: String,
    since: Option<NaiveDate>,
}

/// The list rows of the given commitments, in the order of `ids`.
pub async fn summaries_by_ids(pool: &SqlitePool, ids: &[i64]) -> Result<Vec<CommitmentSummary>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // SQLite binds no arrays; a JSON array read with json_each stands in.
    let ids_json = serde_json::to_string(ids).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"SELECT c.id, c.slug, c.title, c.summary, c.theme,
                  c.due_on AS "due_on: NaiveDate", c.due_basis,
                  c.source_count, c.last_changed_on AS "last_changed_on: NaiveDate",
                  s.slug AS summit_slug, s.title AS summit_title, s.held_on AS "summit_held_on: NaiveDate",
                  s.time_zone AS summit_time_zone
           FROM json_each(?1) wanted
           JOIN commitments c ON c.id = wanted.value
           JOIN summits s ON s.id = c.summit_id
           ORDER BY wanted.key"#,
        ids_json
    )
    .fetch_all(pool)
    .await?;
    let party_rows = sqlx::query_as!(
        PartyStatusRow,
        r#"SELECT cp.commitment_id AS "commitment_id!: i64", p.code, p.short_name, cp.status,
                  cp.status_since AS "since: NaiveDate"
           FROM json_each(?1) wanted
           JOIN commitment_parties cp ON cp.commitment_id = wanted.value
           JOIN parties p ON p.id = cp.party_id
           ORDER BY cp.commitment_id, p.id"#,
        ids_json
    )
    .fetch_all(pool)
    .await?;
    let mut texts = crate::translations::of_commitments(pool, &ids_json).await?;
    let mut statuses: HashMap<i64, Vec<PartyStatus>> = HashMap::new();
    for row in party_rows {
        statuses.entry(row.commitment_id).or_default().push(PartyStatus {
            party: PartyRef {
                code: decode(&row.code)?,
                short_name: row.short_name,
            },
            status: decode(&row.status)?,
            since: row.since,
        });
    }
    let mut summaries = rows
        .into_iter()
        .map(|row| {
            let (language, translations) = texts.remove(&row.id).unwrap_or_default();
            Ok(CommitmentSummary {
                slug: decode::<Slug>(&row.slug)?,
                title: row.title,
                summary: row.summary,
                theme: decode(&row.theme)?,
                summit: SummitRef {
                    slug: decode(&row.summit_slug)?,
                    title: row.summit_title,
                    held_on: row.summit_held_on,
                    time_zone: decode(&row.summit_time_zone)?,
                    language: Default::default(),
                    translated_titles: Vec::new(),
                },
                party_statuses: statuses.remove(&row.id).unwrap_or_default(),
                last_changed_on: row.last_changed_on,
                source_count: row.source_count,
                due_on: row.due_on,
                due_basis: row.due_basis.as_deref().map(decode).transpose()?,
                language,
                translations,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    crate::translations::add_to_summit_refs(pool, summaries.iter_mut().map(|s| &mut s.summit)).await?;
    Ok(summaries)
}

struct HistoryRow {
    commitment_id: i64,
    party_id: i64,
    status: String,
    effective_on: NaiveDate,
}

/// The last day of `date`'s month.
fn month_end(date: NaiveDate) -> NaiveDate {
    let (year, month) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|first| first.pred_opt())
        .unwrap_or(date)
}

/// Snapshots of the overall statuses of the given commitments at each month's
/// end from the first recorded change to `today` (the last snapshot is
/// `today`). A commitment counts from its first status update on.
pub async fn status_history(
    pool: &SqlitePool,
    ids: &[i64],
    today: NaiveDate,
) -> Result<Vec<StatusSnapshot>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids_json = serde_json::to_string(ids).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let rows = sqlx::query_as!(
        HistoryRow,
        r#"SELECT su.commitment_id, su.party_id, su.status, su.effective_on AS "effective_on: NaiveDate"
           FROM json_each(?1) wanted
           JOIN status_updates su ON su.commitment_id = wanted.value
           WHERE su.effective_on <= ?2
           ORDER BY su.effective_on, su.id"#,
        ids_json,
        today
    )
    .fetch_all(pool)
    .await?;
    let Some(first) = rows.first().map(|r| r.effective_on) else {
        return Ok(Vec::new());
    };
    let mut days = Vec::new();
    let mut day = month_end(first);
    while day < today {
        days.push(day);
        day = month_end(day.succ_opt().unwrap_or(day));
    }
    days.push(today);
    // A chart of decades would be unreadable and its page heavy: show the
    // latest month ends (the replay below still starts from the first update).
    let days = days.split_off(days.len().saturating_sub(CHART_MONTHS));

    // Replay the updates in order, keeping each commitment's overall status
    // and the running counts, so a snapshot costs a copy of the counts
    // rather than a pass over every commitment.
    let mut current: HashMap<i64, HashMap<i64, Status>> = HashMap::new();
    let mut overall_of: HashMap<i64, usize> = HashMap::new();
    let mut counts = vec![0u64; Status::ALL.len()];
    let mut snapshots = Vec::with_capacity(days.len());
    let mut rows = rows.into_iter().peekable();
    for day in days {
        while let Some(row) = rows.next_if(|r| r.effective_on <= day) {
            let parties = current.entry(row.commitment_id).or_default();
            parties.insert(row.party_id, decode(&row.status)?);
            let overall = Status::overall(parties.values().copied());
            let Some(slot) = Status::ALL.iter().position(|s| *s == overall) else {
                continue;
            };
            if let Some(previous) = overall_of.insert(row.commitment_id, slot) {
                counts[previous] -= 1;
            }
            counts[slot] += 1;
        }
        snapshots.push(StatusSnapshot {
            on: day,
            counts: counts.clone(),
        });
    }
    Ok(snapshots)
}

/// How many month ends the "statuses over time" chart shows at most.
pub const CHART_MONTHS: usize = 24;

struct PartyRow {
    code: String,
    short_name: String,
}

/// Every party, in the order they were added.
/// The parties, in the order they were added (on the pool, or inside a
/// write's transaction).
pub async fn list_parties<'e>(executor: impl sqlx::SqliteExecutor<'e>) -> Result<Vec<PartyRef>, sqlx::Error> {
    let rows = sqlx::query_as!(PartyRow, "SELECT code, short_name FROM parties ORDER BY id")
        .fetch_all(executor)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(PartyRef {
                code: decode(&row.code)?,
                short_name: row.short_name,
            })
        })
        .collect()
}

struct SummitCountRow {
    slug: String,
    title: String,
    held_on: NaiveDate,
    location: String,
    summary: String,
    time_zone: String,
    overall_status: Option<String>,
    count: i64,
}

/// Every summit, newest first, with its commitments counted by overall status.
pub async fn list_summit_listings(pool: &SqlitePool) -> Result<Vec<SummitListing>, sqlx::Error> {
    let rows = sqlx::query_as!(
        SummitCountRow,
        r#"SELECT s.slug, s.title, s.held_on AS "held_on: NaiveDate", s.location, s.summary, s.time_zone,
                  c.overall_status AS "overall_status?", COUNT(c.id) AS "count!: i64"
           FROM summits s
           LEFT JOIN commitments c ON c.summit_id = s.id
           GROUP BY s.id, c.overall_status
           ORDER BY s.held_on DESC, s.id DESC"#
    )
    .fetch_all(pool)
    .await?;
    let mut listings: Vec<SummitListing> = Vec::new();
    for row in rows {
        let slug: Slug = decode(&row.slug)?;
        if listings.last().is_none_or(|l| l.summit.slug != slug) {
            listings.push(SummitListing {
                summit: SummitView {
                    slug,
                    title: row.title,
                    held_on: row.held_on,
                    location: row.location,
                    summary: row.summary,
                    time_zone: decode(&row.time_zone)?,
                    language: Default::default(),
                    translations: Vec::new(),
                },
                commitment_count: 0,
                counts: Status::ALL.iter().map(|s| (*s, 0)).collect(),
            });
        }
        let listing = listings.last_mut().expect("pushed above");
        if let Some(code) = row.overall_status.as_deref() {
            let status: Status = decode(code)?;
            let count = u64::try_from(row.count).unwrap_or(0);
            listing.commitment_count += count;
            if let Some(slot) = listing.counts.iter_mut().find(|(s, _)| *s == status) {
                slot.1 += count;
            }
        }
    }
    crate::translations::add_to_summits(pool, listings.iter_mut().map(|l| &mut l.summit)).await?;
    Ok(listings)
}

/// Everything a list view shows: one page of the matches, the scoreboard and
/// history of all of them, and the filter form's choices. `canonical_url` is
/// the absolute URL of the view.
pub async fn load_commitment_page(
    pool: &SqlitePool,
    query: &ListQuery,
    per_page: u32,
    canonical_url: String,
    now: DateTime<Utc>,
) -> Result<ListingPage, sqlx::Error> {
    load_listing(pool, query, per_page, canonical_url, now, ChartHistory::Include).await
}

/// Whether a listing needs the chart's month-by-month history, whose cost
/// grows with every status update of every matched commitment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartHistory {
    Include,
    /// For readers that show no chart (the JSON API): `history` stays empty.
    Skip,
}

/// `load_commitment_page`, choosing whether to compute the chart's history.
pub async fn load_listing(
    pool: &SqlitePool,
    query: &ListQuery,
    per_page: u32,
    canonical_url: String,
    now: DateTime<Utc>,
    chart: ChartHistory,
) -> Result<ListingPage, sqlx::Error> {
    let per_page = per_page.max(1);
    let summits = super::summits::list_summits(pool).await?;
    // "Today" in every summit's zone, from the summits the page lists anyway.
    let days = ZoneDays::of(now, summits.iter().map(|s| s.time_zone));
    let view_zone = query
        .summit
        .as_ref()
        .and_then(|slug| summits.iter().find(|s| &s.slug == slug))
        .map(|s| s.time_zone);
    // The chart ends on the view's day: the filtered summit's, else the one
    // zone all summits share, else UTC.
    let today = days.day_for(view_zone);
    let time_zone = days.zone_for(view_zone);
    // The scoreboard counts every match; the page lists `per_page` of them.
    // Neither brings the other matches out of SQLite, so a page costs about
    // the same on a table of 100,000 commitments as on one of a dozen.
    let counts = count_matches(pool, query, &days).await?;
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    let offset = u64::from(query.page.saturating_sub(1)) * u64::from(per_page);
    let chart_omitted = chart == ChartHistory::Include && total > CHART_MAX_COMMITMENTS as u64;
    let (page_ids, history): (Vec<i64>, _) = if chart == ChartHistory::Include && !chart_omitted {
        // A view small enough for the chart needs every match's id anyway:
        // one statement gives them, and the page is a slice of them.
        let all_ids: Vec<i64> = match_commitments(pool, query, &days)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let page_ids = all_ids
            .iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(per_page as usize)
            .copied()
            .collect();
        (page_ids, status_history(pool, &all_ids, today).await?)
    } else {
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let page_ids = match_page(pool, query, &days, i64::from(per_page), offset)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        (page_ids, Vec::new())
    };
    let items = summaries_by_ids(pool, &page_ids).await?;
    let summit = match &query.summit {
        Some(slug) => summits.iter().find(|s| &s.slug == slug).cloned(),
        None => summits.first().cloned(),
    };
    Ok(ListingPage {
        query: query.clone(),
        problems: Default::default(),
        items,
        total,
        per_page,
        counts,
        history,
        chart_omitted,
        summit,
        summit_total: summits.len() as u64,
        summits: summits
            .into_iter()
            .enumerate()
            .filter(|(i, s)| *i < SUMMIT_CHOICES || query.summit.as_ref() == Some(&s.slug))
            .map(|(_, s)| SummitRef {
                slug: s.slug,
                title: s.title,
                held_on: s.held_on,
                time_zone: s.time_zone,
                language: s.language,
                translated_titles: s
                    .translations
                    .into_iter()
                    .map(|t| domain::TranslatedTitle {
                        language: t.language,
                        title: t.title,
                        translated_by: t.translated_by,
                    })
                    .collect(),
            })
            .collect(),
        parties: list_parties(pool).await?,
        canonical_url,
        now,
        today,
        time_zone,
    })
}

//! Whether every commitment's page reads the same from a SQLite site and
//! its PostgreSQL copy: `accord migrate-db`'s last check, after the
//! tables compared row by row (`site_copy`). Equal rows could still read
//! differently (a date that casts otherwise, an order that depends on a
//! collation), so each commitment's whole record is read through the
//! store's own functions from both engines and compared: everything its
//! permalink shows (statuses, sources with their corrections, the whole
//! timeline with what each change cites, translations, the summit), every
//! page of its revision history and the dates its page is served with;
//! and once, the site's recent changes, corrections, summits' listing,
//! status charts (of all, of each summit, and of every commitment by id),
//! every commitment in each of the list's orders (and the overdue ones),
//! and what its sitemap and feeds are dated by.

use sqlx::{PgPool, SqlitePool};

use domain::Slug;

use crate::commitments::{find_commitment_with_timeline, list_history_page, list_recent_status_changes};
use crate::corrections::list_corrections;
use crate::engine::Engine;

/// As many recent changes (and corrections) as a feed shows and more.
const RECENT_CHANGES: i64 = 200;

/// How many commitments' pages were read from both engines, and which
/// read differently (the first `LISTED_DIFFERENCES` of them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageComparison {
    pub compared: u64,
    pub differing: u64,
    pub first_differing: Vec<Slug>,
}

impl PageComparison {
    pub fn matches(&self) -> bool {
        self.differing == 0
    }
}

/// Slugs named in a report; the count says how many more.
pub const LISTED_DIFFERENCES: usize = 20;

/// Reads every commitment of the SQLite site (by its slug) from both
/// engines, with its whole timeline, every page of its history and its
/// dates, and compares them. A commitment missing from PostgreSQL differs.
/// The site's own pages count as one more page (named by no slug).
pub async fn compare_commitment_pages(sqlite: &SqlitePool, postgres: &PgPool) -> Result<PageComparison, sqlx::Error> {
    let commitments = sqlx::query!(r#"SELECT id AS "id!: i64", slug FROM commitments ORDER BY id"#)
        .fetch_all(sqlite)
        .await?;
    let ids: Vec<i64> = commitments.iter().map(|c| c.id).collect();
    let slugs = commitments.into_iter().map(|c| c.slug);
    let mut comparison = PageComparison::default();
    for slug in slugs {
        let slug: Slug = crate::commitments::decode(&slug)?;
        let (on_sqlite, on_postgres) = tokio::try_join!(pages_of(sqlite, &slug), pages_of(postgres, &slug))?;
        comparison.compared += 1;
        if on_sqlite != on_postgres || on_postgres.record.is_none() {
            comparison.differing += 1;
            if comparison.first_differing.len() < LISTED_DIFFERENCES {
                comparison.first_differing.push(slug);
            }
        }
    }
    // The charts end today, and what is overdue is reckoned now (the same
    // day and the same zones' days for both).
    let now = chrono::Utc::now();
    let today = now.date_naive();
    let days = crate::listing::ZoneDays::at(sqlite, now).await?;
    let (on_sqlite, on_postgres) = tokio::try_join!(
        site_pages_of(sqlite, &ids, today, &days),
        site_pages_of(postgres, &ids, today, &days)
    )?;
    comparison.compared += 1;
    if on_sqlite != on_postgres {
        comparison.differing += 1;
    }
    Ok(comparison)
}

/// What a commitment's pages read from one engine. Its own feed of recent
/// changes (the timeline's rows again, by id) and its own corrections are
/// left to the site's lists: SQLite reads every status change to find one
/// commitment's latest, and every revision to find its reverts, and doing
/// that for each of 20,000 commitments kept `migrate-db` busy for longer
/// than the copy. The engines tests compare both for every commitment of a
/// small site.
#[derive(Debug, PartialEq)]
struct CommitmentPages {
    record: Option<crate::commitments::CommitmentRecord>,
    history: Vec<domain::CommitmentHistoryPage>,
    /// When its permalink first appeared and last changed.
    dates: Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>,
}

async fn pages_of(db: &impl Engine, slug: &Slug) -> Result<CommitmentPages, sqlx::Error> {
    let record = find_commitment_with_timeline(db, slug, usize::MAX).await?;
    let mut history = Vec::new();
    let mut before = None;
    while let Some(page) = list_history_page(db, slug, before, domain::HISTORY_PAGE_SIZE).await? {
        before = page.older;
        history.push(page);
        if before.is_none() {
            break;
        }
    }
    let dates = crate::page_changes::commitment_dates(db, slug.as_str()).await?;
    Ok(CommitmentPages { record, history, dates })
}

/// What the site's own pages read from one engine: its recent changes and
/// corrections, and what its sitemap and feeds are dated by.
#[derive(Debug, PartialEq)]
struct SitePages {
    recent_changes: Vec<domain::StatusChangeEntry>,
    corrections: Vec<domain::CorrectionEntry>,
    sitemap: Vec<crate::page_changes::CommitmentChange>,
    summits: Vec<String>,
    last_change: Option<chrono::DateTime<chrono::Utc>>,
    summit_listings: Vec<domain::SummitListing>,
    /// The status chart of every commitment, of each summit's, and of all
    /// commitments by id (as a filtered view reads it).
    charts: Vec<Vec<domain::StatusSnapshot>>,
    /// Every commitment in each of the list's orders, and the overdue
    /// ones (what the CSV export and the feeds list).
    orders: Vec<Vec<crate::listing::Match>>,
}

async fn site_pages_of(
    db: &impl Engine,
    ids: &[i64],
    today: chrono::NaiveDate,
    days: &crate::listing::ZoneDays,
) -> Result<SitePages, sqlx::Error> {
    let summits = crate::page_changes::list_summit_slugs(db).await?;
    let mut charts = vec![crate::listing::summit_status_history(db, None, today).await?];
    for slug in &summits {
        let slug: Slug = crate::commitments::decode(slug)?;
        charts.push(crate::listing::summit_status_history(db, Some(&slug), today).await?);
    }
    charts.push(crate::listing::status_history(db, ids, today).await?);
    let mut orders = Vec::new();
    for sort in domain::SortOrder::ALL {
        for overdue in [false, true] {
            let query = domain::ListQuery {
                sort,
                overdue,
                ..Default::default()
            };
            orders.push(crate::listing::match_commitments(db, &query, days).await?);
        }
    }
    Ok(SitePages {
        recent_changes: list_recent_status_changes(db, None, RECENT_CHANGES).await?,
        corrections: list_corrections(db, None, RECENT_CHANGES).await?,
        sitemap: crate::page_changes::list_commitment_changes(db).await?,
        summits,
        last_change: crate::page_changes::last_change_at(db).await?,
        summit_listings: crate::listing::list_summit_listings(db).await?,
        charts,
        orders,
    })
}

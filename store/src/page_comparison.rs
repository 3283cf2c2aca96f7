//! Whether every commitment's page reads the same from a SQLite site and
//! its PostgreSQL copy: `accord migrate-db`'s last check, after the
//! tables compared row by row (`site_copy`). Equal rows could still read
//! differently (a date that casts otherwise, an order that depends on a
//! collation), so each commitment's whole record is read through the
//! store's own functions from both engines and compared: everything its
//! permalink shows (statuses, sources with their corrections, the whole
//! timeline with what each change cites, translations, the summit).

use sqlx::{PgPool, SqlitePool};

use domain::Slug;

use crate::commitments::find_commitment_with_timeline;

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
/// engines, with its whole timeline, and compares the records. A
/// commitment missing from PostgreSQL differs.
pub async fn compare_commitment_pages(sqlite: &SqlitePool, postgres: &PgPool) -> Result<PageComparison, sqlx::Error> {
    let slugs: Vec<String> = sqlx::query_scalar!("SELECT slug FROM commitments ORDER BY id")
        .fetch_all(sqlite)
        .await?;
    let mut comparison = PageComparison::default();
    for slug in slugs {
        let slug: Slug = crate::commitments::decode(&slug)?;
        let (on_sqlite, on_postgres) = tokio::try_join!(
            find_commitment_with_timeline(sqlite, &slug, usize::MAX),
            find_commitment_with_timeline(postgres, &slug, usize::MAX)
        )?;
        comparison.compared += 1;
        if on_sqlite != on_postgres || on_postgres.is_none() {
            comparison.differing += 1;
            if comparison.first_differing.len() < LISTED_DIFFERENCES {
                comparison.first_differing.push(slug);
            }
        }
    }
    Ok(comparison)
}

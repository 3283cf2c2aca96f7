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
use crate::engine::{Engine, EngineRef};
use domain::{
    day_digits, CommitmentSummary, ListCursor, ListQuery, ListingPage, PageCursor, PartyRef, PartyStatus, Slug,
    SortOrder, Status, StatusSnapshot, SummitListing, SummitRef, SummitView, CHART_MAX_COMMITMENTS, SEARCH_COUNT_LIMIT,
    SUMMIT_CHOICES,
};
use store_postgres::listing::MatchOrder;
use store_rows::{PartyRow, PartyStatusRow, StatusChangeCountRow, SummaryRow, SummitCountRow};

/// A commitment the filter matched, in the view's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub id: i64,
    pub overall_status: Status,
}

/// A matched commitment with the parts of its sort key, from which the
/// pager's cursors are made.
type KeyRow = store_rows::ListKeyRow;

fn cursor_of(row: &KeyRow, sort: SortOrder) -> ListCursor {
    ListCursor::of(
        sort,
        row.id,
        row.position,
        row.summit_held_on,
        row.last_changed_on,
        row.due_on,
        &row.title,
    )
}

/// A list query's filters as the parameters of the SQL that applies them
/// (`seek`, `count_matches`).
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

/// Which way a seek walks the view's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Walk {
    Forward,
    Backward,
}

/// A seek's starting key as bound parameters: the lead (`?12`), the summit's
/// date as `summit_order` (`?13`), position (`?14`) and id (`?15`). Without
/// a cursor a walk starts before every row (a forward walk: an integer
/// below every key; SQLite orders numbers before text) or after every row
/// (backward: an empty blob, which SQLite orders after numbers and text).
#[derive(Clone, Debug)]
enum KeyPart {
    Int(i64),
    Text(String),
    Blob,
}

impl sqlx::Type<sqlx::Sqlite> for KeyPart {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <i64 as sqlx::Type<sqlx::Sqlite>>::type_info()
    }
    fn compatible(_: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        true
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Sqlite> for KeyPart {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Sqlite as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self {
            KeyPart::Int(n) => <i64 as sqlx::Encode<sqlx::Sqlite>>::encode_by_ref(n, buf),
            KeyPart::Text(text) => <String as sqlx::Encode<sqlx::Sqlite>>::encode_by_ref(text, buf),
            KeyPart::Blob => <Vec<u8> as sqlx::Encode<sqlx::Sqlite>>::encode_by_ref(&Vec::new(), buf),
        }
    }
}

/// The four parts of a seek's key.
struct SeekKey([KeyPart; 4]);

impl KeyPart {
    /// As a number: text and the end blob sort after every number in
    /// SQLite, so they are the largest number on PostgreSQL.
    fn number(&self) -> i64 {
        match self {
            KeyPart::Int(n) => *n,
            KeyPart::Text(_) | KeyPart::Blob => i64::MAX,
        }
    }

    /// As text: a number sorts before every text in SQLite (the empty text
    /// on PostgreSQL), the end blob after it (U+10FFFF, the last code
    /// point, which no title or date begins with).
    fn text(&self) -> String {
        match self {
            KeyPart::Int(_) => String::new(),
            KeyPart::Text(text) => text.clone(),
            KeyPart::Blob => '\u{10FFFF}'.to_string(),
        }
    }
}

impl SeekKey {
    /// The same place in PostgreSQL's typed columns. Inside one summit the
    /// summit's order is not compared (every row has its summit's), as
    /// SQLite's statements for one summit leave it out.
    fn on_postgres(&self, scoped: bool) -> store_postgres::listing::SeekFrom {
        let [lead, summit_order, position, id] = &self.0;
        store_postgres::listing::SeekFrom {
            lead_number: lead.number(),
            lead_text: lead.text(),
            summit_order: (!scoped).then(|| summit_order.number()),
            position: position.number(),
            id: id.number(),
        }
    }

    fn edge(walk: Walk) -> SeekKey {
        let part = || match walk {
            Walk::Forward => KeyPart::Int(i64::MIN),
            Walk::Backward => KeyPart::Blob,
        };
        SeekKey([part(), part(), part(), part()])
    }

    /// The key of the place a cursor names, as the sort order's index
    /// holds it (the migration `20251209000000_keyset_list.sql` computes
    /// the same columns): dates newest first as 99999999 - YYYYMMDD, no
    /// last change as 99999999, no due date as 9999-12-31. A lead a date
    /// order cannot read is compared as text, which SQLite sorts after
    /// every number (so after every last change) and among the due dates
    /// as text; a missing lead sorts before every key.
    fn of(cursor: &ListCursor, sort: SortOrder) -> SeekKey {
        let newest_first = |yyyymmdd: u32| KeyPart::Int(99_999_999 - i64::from(yyyymmdd));
        let lead = match (sort, cursor.lead.as_deref()) {
            // Not read by the summit order's statements.
            (SortOrder::Summit, _) => KeyPart::Int(0),
            (_, None) => KeyPart::Int(i64::MIN),
            (SortOrder::LastChange, Some("none")) => newest_first(0),
            (SortOrder::LastChange, Some(lead)) => match day_digits(lead) {
                Some(day) => newest_first(day),
                None => KeyPart::Text(lead.to_owned()),
            },
            (SortOrder::Due, Some("none")) => KeyPart::Text("9999-12-31".to_owned()),
            (SortOrder::Due | SortOrder::Title, Some(lead)) => KeyPart::Text(lead.to_owned()),
        };
        SeekKey([
            lead,
            newest_first(cursor.summit_day),
            KeyPart::Int(cursor.position),
            KeyPart::Int(cursor.id),
        ])
    }
}

/// One statement of the list: the filters (the same in every statement;
/// a test checks them against a brute-force filter), then a seek from a
/// key in one sort order's index, either over the whole list or inside one
/// summit (`$scope`), walking forward or backward. Each filter is skipped
/// when its parameter is NULL; none of them can use an index of its own
/// (`?x IS NULL OR ...`), so SQLite walks the sort order's index from the
/// key and stops once it has the page: no sort, no count of the rest. The
/// sort indexes carry the columns the filters read. The party filter and
/// the three parts of search (words as prefixes in the word index; CJK
/// terms of three characters or more as trigram phrases; shorter CJK terms,
/// a JSON array, each a range of the trigram list, U+10FFFF sorting after
/// any character that follows it, and a row must have every term) are
/// lists SQLite builds once and probes per row. "Overdue" compares a due
/// date with the day in its summit's zone (`?7`, a JSON object) only when
/// it falls between the earliest and the latest of those days (both read
/// once per statement): the lookup on every row walked was most of the
/// seek's time (issue 17, eleventh part).
macro_rules! seek_sql {
    ($then:ident, $scope:tt, $seek:tt, $order:tt) => {
        $then!(
            r#"SELECT c.id, c.overall_status, c.summit_held_on AS "summit_held_on!: NaiveDate", c.position,
                      c.last_changed_on AS "last_changed_on: NaiveDate", c.due_on AS "due_on: NaiveDate", c.title
               FROM commitments c
               WHERE "#
                + $scope
                + r#"
                 AND (?2 IS NULL OR EXISTS (
                         SELECT 1 FROM commitment_parties cp
                         WHERE cp.commitment_id = c.id AND cp.party_id = (SELECT id FROM parties WHERE code = ?2)
                           AND (?1 IS NULL OR cp.status = ?1)))
                 AND (?1 IS NULL OR ?2 IS NOT NULL OR c.overall_status = ?1)
                 AND (?3 IS NULL OR c.theme = ?3)
                 AND (?5 IS NULL OR c.id IN (SELECT rowid FROM commitment_search WHERE commitment_search MATCH ?5))
                 AND (?8 IS NULL OR c.id IN (
                         SELECT rowid FROM commitment_search_cjk WHERE commitment_search_cjk MATCH ?8))
                 AND (?9 IS NULL OR c.id IN (
                         SELECT t.doc FROM json_each(?9) short
                         CROSS JOIN commitment_search_cjk_trigrams t
                             ON t.term >= short.value AND t.term < short.value || char(0x10FFFF)
                         GROUP BY t.doc HAVING count(DISTINCT short.key) = json_array_length(?9)))
                 AND (NOT ?6 OR (c.due_on IS NOT NULL AND c.overall_status <> 'fulfilled'
                                 AND (c.due_on < (SELECT min(value) FROM json_each(?7))
                                      OR (c.due_on < (SELECT max(value) FROM json_each(?7))
                                          AND c.due_on < (SELECT value FROM json_each(?7)
                                                          WHERE key = (SELECT time_zone FROM summits
                                                                       WHERE id = c.summit_id))))))
                 AND "#
                + $seek
                + r#"
               ORDER BY "#
                + $order
                + r#"
               LIMIT ?10 OFFSET ?11"#
        )
    };
}

/// Every shape of the list's statement (scope, sort order, walk), each
/// with its scope, seek and order (`seek_sql`), handed to `$then`: the
/// store runs them, the plan test explains each.
macro_rules! by_shape {
    ($scoped:expr, $sort:expr, $walk:expr, $then:ident) => {
        match ($scoped, $sort, $walk) {
            (false, SortOrder::Summit, Walk::Forward) => {
                seek_sql!(
                    $then,
                    "?4 IS NULL",
                    "(c.summit_order, c.position, c.id) > (?13, ?14, ?15)",
                    "c.summit_order, c.position, c.id"
                )
            }
            (false, SortOrder::Summit, Walk::Backward) => {
                seek_sql!(
                    $then,
                    "?4 IS NULL",
                    "(c.summit_order, c.position, c.id) < (?13, ?14, ?15)",
                    "c.summit_order DESC, c.position DESC, c.id DESC"
                )
            }
            (false, SortOrder::LastChange, Walk::Forward) => {
                seek_sql!(
                    $then,
                    "?4 IS NULL",
                    "(c.change_order, c.summit_order, c.position, c.id) > (?12, ?13, ?14, ?15)",
                    "c.change_order, c.summit_order, c.position, c.id"
                )
            }
            (false, SortOrder::LastChange, Walk::Backward) => {
                seek_sql!(
                    $then,
                    "?4 IS NULL",
                    "(c.change_order, c.summit_order, c.position, c.id) < (?12, ?13, ?14, ?15)",
                    "c.change_order DESC, c.summit_order DESC, c.position DESC, c.id DESC"
                )
            }
            (false, SortOrder::Due, Walk::Forward) => {
                seek_sql!(
                    $then,
                    "?4 IS NULL",
                    "(c.due_order, c.summit_order, c.position, c.id) > (?12, ?13, ?14, ?15)",
                    "c.due_order, c.summit_order, c.position, c.id"
                )
            }
            (false, SortOrder::Due, Walk::Backward) => {
                seek_sql!(
                    $then,
                    "?4 IS NULL",
                    "(c.due_order, c.summit_order, c.position, c.id) < (?12, ?13, ?14, ?15)",
                    "c.due_order DESC, c.summit_order DESC, c.position DESC, c.id DESC"
                )
            }
            (false, SortOrder::Title, Walk::Forward) => {
                seek_sql!(
                    $then,
                    "?4 IS NULL",
                    "(c.title_order, c.summit_order, c.position, c.id) > (?12, ?13, ?14, ?15)",
                    "c.title_order, c.summit_order, c.position, c.id"
                )
            }
            (false, SortOrder::Title, Walk::Backward) => {
                seek_sql!(
                    $then,
                    "?4 IS NULL",
                    "(c.title_order, c.summit_order, c.position, c.id) < (?12, ?13, ?14, ?15)",
                    "c.title_order DESC, c.summit_order DESC, c.position DESC, c.id DESC"
                )
            }
            // Inside one summit every row has the summit's date: the summit's
            // indexes leave it out (`?13` is not read).
            (true, SortOrder::Summit, Walk::Forward) => {
                seek_sql!(
                    $then,
                    "c.summit_id = (SELECT id FROM summits WHERE slug = ?4)",
                    "(c.position, c.id) > (?14, ?15)",
                    "c.position, c.id"
                )
            }
            (true, SortOrder::Summit, Walk::Backward) => {
                seek_sql!(
                    $then,
                    "c.summit_id = (SELECT id FROM summits WHERE slug = ?4)",
                    "(c.position, c.id) < (?14, ?15)",
                    "c.position DESC, c.id DESC"
                )
            }
            (true, SortOrder::LastChange, Walk::Forward) => {
                seek_sql!(
                    $then,
                    "c.summit_id = (SELECT id FROM summits WHERE slug = ?4)",
                    "(c.change_order, c.position, c.id) > (?12, ?14, ?15)",
                    "c.change_order, c.position, c.id"
                )
            }
            (true, SortOrder::LastChange, Walk::Backward) => {
                seek_sql!(
                    $then,
                    "c.summit_id = (SELECT id FROM summits WHERE slug = ?4)",
                    "(c.change_order, c.position, c.id) < (?12, ?14, ?15)",
                    "c.change_order DESC, c.position DESC, c.id DESC"
                )
            }
            (true, SortOrder::Due, Walk::Forward) => {
                seek_sql!(
                    $then,
                    "c.summit_id = (SELECT id FROM summits WHERE slug = ?4)",
                    "(c.due_order, c.position, c.id) > (?12, ?14, ?15)",
                    "c.due_order, c.position, c.id"
                )
            }
            (true, SortOrder::Due, Walk::Backward) => {
                seek_sql!(
                    $then,
                    "c.summit_id = (SELECT id FROM summits WHERE slug = ?4)",
                    "(c.due_order, c.position, c.id) < (?12, ?14, ?15)",
                    "c.due_order DESC, c.position DESC, c.id DESC"
                )
            }
            (true, SortOrder::Title, Walk::Forward) => {
                seek_sql!(
                    $then,
                    "c.summit_id = (SELECT id FROM summits WHERE slug = ?4)",
                    "(c.title_order, c.position, c.id) > (?12, ?14, ?15)",
                    "c.title_order, c.position, c.id"
                )
            }
            (true, SortOrder::Title, Walk::Backward) => {
                seek_sql!(
                    $then,
                    "c.summit_id = (SELECT id FROM summits WHERE slug = ?4)",
                    "(c.title_order, c.position, c.id) < (?12, ?14, ?15)",
                    "c.title_order DESC, c.position DESC, c.id DESC"
                )
            }
        }
    };
}

/// The row at `?2` (an offset) in one sort order, over the whole list or
/// inside one summit (`?1`, its slug), for views with no other filter: the
/// sort order's index walked alone, no filter evaluated on the rows
/// skipped, and the table read for the one row returned.
macro_rules! numbered_key_sql {
    ($then:ident, $scope:tt, $order:tt) => {
        $then!(
            r#"SELECT c.id, c.overall_status, c.summit_held_on AS "summit_held_on!: NaiveDate", c.position,
                      c.last_changed_on AS "last_changed_on: NaiveDate", c.due_on AS "due_on: NaiveDate", c.title
               FROM commitments c
               WHERE "#
                + $scope
                + r#"
               ORDER BY "#
                + $order
                + r#"
               LIMIT 1 OFFSET ?2"#
        )
    };
}

/// Every shape of `numbered_key_sql` (scope, sort order) handed to `$then`.
macro_rules! numbered_key_by_shape {
    ($scoped:expr, $sort:expr, $then:ident) => {
        match ($scoped, $sort) {
            (false, SortOrder::Summit) => {
                numbered_key_sql!($then, "?1 IS NULL", "c.summit_order, c.position, c.id")
            }
            (false, SortOrder::LastChange) => {
                numbered_key_sql!($then, "?1 IS NULL", "c.change_order, c.summit_order, c.position, c.id")
            }
            (false, SortOrder::Due) => {
                numbered_key_sql!($then, "?1 IS NULL", "c.due_order, c.summit_order, c.position, c.id")
            }
            (false, SortOrder::Title) => {
                numbered_key_sql!($then, "?1 IS NULL", "c.title_order, c.summit_order, c.position, c.id")
            }
            (true, SortOrder::Summit) => numbered_key_sql!(
                $then,
                "c.summit_id = (SELECT id FROM summits WHERE slug = ?1)",
                "c.position, c.id"
            ),
            (true, SortOrder::LastChange) => numbered_key_sql!(
                $then,
                "c.summit_id = (SELECT id FROM summits WHERE slug = ?1)",
                "c.change_order, c.position, c.id"
            ),
            (true, SortOrder::Due) => numbered_key_sql!(
                $then,
                "c.summit_id = (SELECT id FROM summits WHERE slug = ?1)",
                "c.due_order, c.position, c.id"
            ),
            (true, SortOrder::Title) => numbered_key_sql!(
                $then,
                "c.summit_id = (SELECT id FROM summits WHERE slug = ?1)",
                "c.title_order, c.position, c.id"
            ),
        }
    };
}

/// The row at `offset` in the order of a view filtered by nothing but its
/// summit, if there are that many.
async fn numbered_key(db: &impl Engine, query: &ListQuery, offset: i64) -> Result<Option<KeyRow>, sqlx::Error> {
    let summit = query.summit.as_ref().map(|s| s.as_str());
    let pool = match db.engine() {
        EngineRef::Sqlite(pool) => pool,
        EngineRef::Postgres(pool) => {
            return store_postgres::listing::numbered_key(pool, summit, postgres_order(query.sort), offset).await
        }
    };
    macro_rules! run {
        ($($sql:tt)+) => {
            sqlx::query_as!(KeyRow, $($sql)+, summit, offset).fetch_optional(pool).await?
        };
    }
    Ok(numbered_key_by_shape!(query.summit.is_some(), query.sort, run))
}

/// Up to `limit` matches from `key` (exclusive) in the view's order, or
/// against it, after skipping `offset` (old `?page=N` links only).
// Eight: the view, where it starts and how far it goes, and the search's
// hits shared by the page's statements; a struct for them would only
// rename them.
#[allow(clippy::too_many_arguments)]
async fn seek(
    db: &impl Engine,
    query: &ListQuery,
    days: &ZoneDays,
    walk: Walk,
    key: SeekKey,
    limit: i64,
    offset: i64,
    hits: &SearchHits,
) -> Result<Vec<KeyRow>, sqlx::Error> {
    match db.engine() {
        EngineRef::Sqlite(pool) => seek_on_sqlite(pool, query, days, walk, key, limit, offset).await,
        EngineRef::Postgres(pool) => {
            let filters = postgres_filters(pool, query, days, hits).await?;
            let walk = match walk {
                Walk::Forward => store_postgres::listing::Walk::Forward,
                Walk::Backward => store_postgres::listing::Walk::Backward,
            };
            let from = key.on_postgres(query.summit.is_some());
            // SQLite reads a negative LIMIT as "no limit"; PostgreSQL, NULL.
            let limit = (limit >= 0).then_some(limit);
            store_postgres::listing::seek(pool, &filters, postgres_order(query.sort), walk, &from, limit, offset).await
        }
    }
}

/// A search's matches on PostgreSQL, looked up once for all the statements
/// of one page (its rows, its neighbours, its counts), which would
/// otherwise each run the search again: four or five times a page. SQLite's
/// statements search inside themselves and leave it empty.
#[derive(Debug, Default)]
pub(crate) struct SearchHits(tokio::sync::OnceCell<Option<Vec<i64>>>);

impl SearchHits {
    /// The commitments the query's search finds (`None` without a search).
    async fn of(&self, pool: &sqlx::PgPool, query: &ListQuery) -> Result<Option<&[i64]>, sqlx::Error> {
        let hits = self
            .0
            .get_or_try_init(|| async {
                match &query.search {
                    Some(search) => Ok(Some(store_postgres::search::matching_ids(pool, search).await?)),
                    None => Ok::<_, sqlx::Error>(None),
                }
            })
            .await?;
        Ok(hits.as_deref())
    }
}

/// A list query's filters as PostgreSQL's statements bind them: the
/// search run first (`store_postgres::search`), each zone's day as arrays.
async fn postgres_filters<'a>(
    pool: &sqlx::PgPool,
    query: &'a ListQuery,
    days: &ZoneDays,
    hits: &'a SearchHits,
) -> Result<store_postgres::listing::MatchFilters<'a>, sqlx::Error> {
    let searched = hits.of(pool, query).await?;
    let (zones, days) = days.zones_and_days();
    Ok(store_postgres::listing::MatchFilters {
        status: query.status.map(|s| s.code()),
        party: query.party.as_ref().map(|p| p.as_str()),
        theme: query.theme.map(|t| t.code()),
        summit: query.summit.as_ref().map(|s| s.as_str()),
        searched,
        overdue: query.overdue,
        zones,
        days,
    })
}

fn postgres_order(sort: SortOrder) -> MatchOrder {
    match sort {
        SortOrder::Summit => MatchOrder::Summit,
        SortOrder::LastChange => MatchOrder::LastChange,
        SortOrder::Due => MatchOrder::Due,
        SortOrder::Title => MatchOrder::Title,
    }
}

async fn seek_on_sqlite(
    pool: &SqlitePool,
    query: &ListQuery,
    days: &ZoneDays,
    walk: Walk,
    key: SeekKey,
    limit: i64,
    offset: i64,
) -> Result<Vec<KeyRow>, sqlx::Error> {
    let f = FilterParams::of(query);
    let today = days.json();
    let [lead, summit_order, position, id] = key.0;
    macro_rules! run {
        ($($sql:tt)+) => {
            sqlx::query_as!(
                KeyRow,
                $($sql)+,
                f.status,
                f.party,
                f.theme,
                f.summit,
                f.search,
                f.overdue,
                today,
                f.search_cjk,
                f.search_short,
                limit,
                offset,
                lead,
                summit_order,
                position,
                id
            )
            .fetch_all(pool)
            .await?
        };
    }
    Ok(by_shape!(query.summit.is_some(), query.sort, walk, run))
}

/// Every commitment the query's filters and search match, in its sort order
/// (the CSV export, the feeds). `days` decides what is overdue: the day in
/// each summit's time zone.
pub async fn match_commitments(
    db: &impl Engine,
    query: &ListQuery,
    days: &ZoneDays,
) -> Result<Vec<Match>, sqlx::Error> {
    match_commitments_with(db, query, days, &SearchHits::default()).await
}

async fn match_commitments_with(
    db: &impl Engine,
    query: &ListQuery,
    days: &ZoneDays,
    hits: &SearchHits,
) -> Result<Vec<Match>, sqlx::Error> {
    // A negative limit is none, on both engines.
    let rows = seek(
        db,
        query,
        days,
        Walk::Forward,
        SeekKey::edge(Walk::Forward),
        -1,
        0,
        hits,
    )
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

/// One page of a view and where its neighbours start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchPage {
    pub ids: Vec<i64>,
    /// The page before this one, if any matches come before it.
    pub previous: Option<PageCursor>,
    /// The page after this one, if any matches come after it.
    pub next: Option<PageCursor>,
}

/// The page of the view `query.cursor` (or the old `query.page`) names:
/// `per_page` matches after or before a commitment, the last page, or the
/// page `page` of the old numbered links (which skip rows of the sort
/// order's index: measured in docs/PERFORMANCE.md). Whether a page has
/// neighbours costs one more row in the direction of travel and a one-row
/// seek the other way.
pub async fn match_page(
    db: &impl Engine,
    query: &ListQuery,
    days: &ZoneDays,
    per_page: u32,
) -> Result<MatchPage, sqlx::Error> {
    match_page_with(db, query, days, per_page, &SearchHits::default()).await
}

async fn match_page_with(
    db: &impl Engine,
    query: &ListQuery,
    days: &ZoneDays,
    per_page: u32,
    hits: &SearchHits,
) -> Result<MatchPage, sqlx::Error> {
    let sort = query.sort;
    let limit = i64::from(per_page.max(1));
    let (walk, key, offset) = match &query.cursor {
        Some(PageCursor::After(cursor)) => (Walk::Forward, SeekKey::of(cursor, sort), 0),
        Some(PageCursor::Before(cursor)) => (Walk::Backward, SeekKey::of(cursor, sort), 0),
        Some(PageCursor::Last) => (Walk::Backward, SeekKey::edge(Walk::Backward), 0),
        None => (
            Walk::Forward,
            SeekKey::edge(Walk::Forward),
            i64::from(query.page.saturating_sub(1)).saturating_mul(limit),
        ),
    };
    // A numbered page of a view filtered by its summit at most: the row
    // before the page found in the sort order's index alone, the page read
    // after it as a cursor's (the filters' terms, evaluated on every row
    // skipped, cost more than the walk: 4.6 ms at page 1,000 of 100,000).
    let unfiltered = ListQuery {
        summit: None,
        ..query.clone()
    }
    .is_unfiltered();
    let (key, offset) = if offset > 0 && unfiltered {
        match numbered_key(db, query, offset - 1).await? {
            Some(before) => (SeekKey::of(&cursor_of(&before, sort), sort), 0),
            None => {
                return Ok(MatchPage {
                    ids: Vec::new(),
                    previous: Some(PageCursor::Last),
                    next: None,
                })
            }
        }
    } else {
        (key, offset)
    };
    let numbered = query.cursor.is_none() && query.page > 1;
    let mut rows = seek(db, query, days, walk, key, limit + 1, offset, hits).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    if walk == Walk::Backward {
        rows.reverse();
    }
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        // Nothing here: the pager offers the first page (and the last).
        // Past the end (a numbered page or a cursor after the last match),
        // the page before is the last one.
        let past_the_end = walk == Walk::Forward && (numbered || query.cursor.is_some());
        return Ok(MatchPage {
            ids: Vec::new(),
            previous: past_the_end.then_some(PageCursor::Last),
            next: None,
        });
    };
    let first = cursor_of(first, sort);
    let last = cursor_of(last, sort);
    // Whether anything lies beyond the page on the side it was not read
    // from: one row of a seek.
    let beyond = |walk: Walk, from: &ListCursor| {
        let query = query.clone();
        let from = SeekKey::of(from, sort);
        async move { Ok::<bool, sqlx::Error>(!seek(db, &query, days, walk, from, 1, 0, hits).await?.is_empty()) }
    };
    let (has_previous, has_next) = match walk {
        Walk::Forward if numbered => (true, more),
        Walk::Forward => (query.cursor.is_some() && beyond(Walk::Backward, &first).await?, more),
        Walk::Backward => (
            more,
            query.cursor != Some(PageCursor::Last) && beyond(Walk::Forward, &last).await?,
        ),
    };
    Ok(MatchPage {
        ids: rows.iter().map(|row| row.id).collect(),
        previous: has_previous.then_some(PageCursor::Before(first)),
        next: has_next.then_some(PageCursor::After(last)),
    })
}

/// The scoreboard's statements (`count_matches`), as macros so that the
/// plan test explains the very text the store runs.
macro_rules! search_count_sql {
    ($then:ident) => {
        $then!(
            r#"SELECT hit.overall_status AS "overall_status!", count(*) AS "count!: i64" FROM (
               SELECT c.overall_status FROM commitments c INDEXED BY commitments_by_id
               WHERE c.id IN (
                       SELECT rowid FROM commitment_search WHERE ?5 IS NOT NULL AND commitment_search MATCH ?5
                       UNION ALL
                       SELECT rowid FROM commitment_search_cjk
                       WHERE ?5 IS NULL AND ?8 IS NOT NULL AND commitment_search_cjk MATCH ?8
                       UNION ALL
                       SELECT t.doc FROM json_each(?9) short
                       CROSS JOIN commitment_search_cjk_trigrams t
                           ON t.term >= short.value AND t.term < short.value || char(0x10FFFF)
                       WHERE ?5 IS NULL AND ?8 IS NULL)
                 AND (?4 IS NULL OR c.summit_id = (SELECT id FROM summits WHERE slug = ?4))
                 AND (?2 IS NULL OR EXISTS (
                         SELECT 1 FROM commitment_parties cp
                         WHERE cp.commitment_id = c.id AND cp.party_id = (SELECT id FROM parties WHERE code = ?2)
                           AND (?1 IS NULL OR cp.status = ?1)))
                 AND (?1 IS NULL OR ?2 IS NOT NULL OR c.overall_status = ?1)
                 AND (?3 IS NULL OR c.theme = ?3)
                 AND (?8 IS NULL OR c.id IN (
                         SELECT rowid FROM commitment_search_cjk WHERE commitment_search_cjk MATCH ?8))
                 AND (?9 IS NULL OR c.id IN (
                         SELECT t.doc FROM json_each(?9) short
                         CROSS JOIN commitment_search_cjk_trigrams t
                             ON t.term >= short.value AND t.term < short.value || char(0x10FFFF)
                         GROUP BY t.doc HAVING count(DISTINCT short.key) = json_array_length(?9)))
                 AND (NOT ?6 OR (c.due_on IS NOT NULL AND c.overall_status <> 'fulfilled'
                                 AND (c.due_on < (SELECT min(value) FROM json_each(?7))
                                      OR (c.due_on < (SELECT max(value) FROM json_each(?7))
                                          AND c.due_on < (SELECT value FROM json_each(?7)
                                                          WHERE key = (SELECT time_zone FROM summits
                                                                       WHERE id = c.summit_id))))))
               LIMIT ?10) hit
               GROUP BY hit.overall_status"#
        )
    };
}

/// An "overdue" view's commitments due this month (from `?4`, the first
/// day of the month of the earliest "today" of any summit's zone), counted
/// one by one: each is overdue if its due date has passed in its summit's
/// zone. The months before are summed from `due_month_counts`.
macro_rules! overdue_count_sql {
    ($then:ident) => {
        $then!(
            r#"SELECT c.overall_status, count(*) AS "count!: i64" FROM commitments c INDEXED BY commitments_overdue
               WHERE c.due_on >= ?4
                 AND c.due_on < (SELECT max(value) FROM json_each(?5))
                 AND c.due_on < (SELECT value FROM json_each(?5)
                                 WHERE key = (SELECT time_zone FROM summits WHERE id = c.summit_id))
                 AND c.overall_status <> 'fulfilled'
                 AND (?2 IS NULL OR EXISTS (
                         SELECT 1 FROM commitment_parties cp
                         WHERE cp.commitment_id = c.id AND cp.party_id = (SELECT id FROM parties WHERE code = ?2)
                           AND (?1 IS NULL OR cp.status = ?1)))
                 AND (?1 IS NULL OR ?2 IS NOT NULL OR c.overall_status = ?1)
                 AND (?3 IS NULL OR c.theme = ?3)
               GROUP BY c.overall_status"#
        )
    };
}

/// The commitments of an "overdue" view due in the months before `?4`
/// ('YYYY-MM'), all overdue whatever the zone, from the counts kept by
/// triggers: without a party, the rows of party 0 (every commitment); with
/// one, that party's rows, of one status of theirs or all. The party's
/// status is a range on the key, as in `table_count_sql` (a party and a
/// status: 1.5 ms to 0.7 ms on the 100,000-commitment database).
macro_rules! overdue_months_count_sql {
    ($then:ident) => {
        $then!(
            r#"SELECT overall_status, CAST(sum(count) AS INTEGER) AS "count!: i64" FROM due_month_counts
               WHERE party_id = CASE WHEN ?2 IS NULL THEN 0 ELSE (SELECT id FROM parties WHERE code = ?2) END
                 AND party_status >= CASE WHEN ?2 IS NULL THEN '' ELSE coalesce(?1, '') END
                 AND party_status <= CASE WHEN ?2 IS NULL THEN '' ELSE coalesce(?1, char(0x10FFFF)) END
                 AND due_month < ?4
                 AND overall_status <> 'fulfilled'
                 AND (?2 IS NOT NULL OR ?1 IS NULL OR overall_status = ?1)
                 AND (?3 IS NULL OR theme = ?3)
               GROUP BY overall_status"#
        )
    };
}

/// The months before `?2` ('YYYY-MM') of an "overdue" view with no party
/// or theme, of one overall status (`?1`) or all, from `due_month_totals`
/// (kept by triggers): one row per month and status.
macro_rules! overdue_month_totals_sql {
    ($then:ident) => {
        $then!(
            r#"SELECT overall_status, CAST(sum(count) AS INTEGER) AS "count!: i64" FROM due_month_totals
               WHERE due_month < ?2
                 AND overall_status <> 'fulfilled'
                 AND (?1 IS NULL OR overall_status = ?1)
               GROUP BY overall_status"#
        )
    };
}

/// An "overdue" view of one summit (`?4`, its slug), whose commitments are
/// few: counted one by one in the summit's index of due dates, against the
/// day in the summit's zone.
macro_rules! overdue_summit_count_sql {
    ($then:ident) => {
        $then!(
            r#"SELECT c.overall_status, count(*) AS "count!: i64"
               FROM commitments c INDEXED BY commitments_summit_list_by_due
               WHERE c.summit_id = (SELECT id FROM summits WHERE slug = ?4)
                 AND c.due_order < (SELECT value FROM json_each(?5)
                                    WHERE key = (SELECT time_zone FROM summits WHERE slug = ?4))
                 AND c.overall_status <> 'fulfilled'
                 AND (?2 IS NULL OR EXISTS (
                         SELECT 1 FROM commitment_parties cp
                         WHERE cp.commitment_id = c.id AND cp.party_id = (SELECT id FROM parties WHERE code = ?2)
                           AND (?1 IS NULL OR cp.status = ?1)))
                 AND (?1 IS NULL OR ?2 IS NOT NULL OR c.overall_status = ?1)
                 AND (?3 IS NULL OR c.theme = ?3)
               GROUP BY c.overall_status"#
        )
    };
}

/// The scoreboard of the whole list, or of one overall status (`?1`), with
/// no party, theme or summit: from `status_totals`, one row per status
/// (kept by triggers).
macro_rules! total_count_sql {
    ($then:ident) => {
        $then!(
            r#"SELECT overall_status, count AS "count!: i64" FROM status_totals
               WHERE ?1 IS NULL OR overall_status = ?1"#
        )
    };
}

/// Views filtered by status, party, theme or summit: the sums kept in
/// `list_counts`. The party's status is given as a range (one status, every
/// status of a party, or `''` with no party) rather than as a condition, so
/// that the key's first two columns narrow the rows read: with the
/// condition, a party and a status read every row of the party (1.5 ms on
/// the 100,000-commitment database) instead of that status's (0.6 ms).
macro_rules! table_count_sql {
    ($then:ident) => {
        $then!(
            r#"SELECT overall_status, CAST(sum(count) AS INTEGER) AS "count!: i64" FROM list_counts
               WHERE party_id = CASE WHEN ?2 IS NULL THEN 0 ELSE (SELECT id FROM parties WHERE code = ?2) END
                 AND party_status >= CASE WHEN ?2 IS NULL THEN '' ELSE coalesce(?1, '') END
                 AND party_status <= CASE WHEN ?2 IS NULL THEN '' ELSE coalesce(?1, char(0x10FFFF)) END
                 AND (?2 IS NOT NULL OR ?1 IS NULL OR overall_status = ?1)
                 AND (?3 IS NULL OR theme = ?3)
                 AND (?4 IS NULL OR summit_id = (SELECT id FROM summits WHERE slug = ?4))
               GROUP BY overall_status"#
        )
    };
}

/// Runs the count statement that `$statement` (one of the `*_count_sql!`
/// and `*_totals_sql!` macros) spells, bound to `$argument`s, and gives its
/// rows as (overall status code, count).
macro_rules! status_count_rows {
    ($pool:expr, $statement:ident, $($argument:expr),+ $(,)?) => {{
        macro_rules! run {
            ($sql:tt) => {
                sqlx::query!($sql, $($argument),+)
            };
        }
        $statement!(run)
            .fetch_all($pool)
            .await?
            .into_iter()
            .map(|row| (row.overall_status, row.count))
    }};
}

/// How many commitments the query's filters and search match at each
/// overall status, in `Status::ALL` order, without counting the matches
/// one by one where the view allows: views filtered by status, party,
/// theme and summit sum rows of `list_counts` (kept by triggers); a search
/// counts its hits from the search indexes; "overdue" sums the months
/// before this one from `due_month_counts` (kept by triggers) and counts
/// this month's dues in the index of due dates, or one summit's in its own.
///
/// A search's hits are looked up one by one; with `search_limit`, no more
/// than that many and one are counted, so that a sum above the limit says
/// "more than the limit" (`load_listing`).
pub async fn count_matches(
    db: &impl Engine,
    query: &ListQuery,
    days: &ZoneDays,
    search_limit: Option<u64>,
) -> Result<Vec<(Status, u64)>, sqlx::Error> {
    count_matches_with(db, query, days, search_limit, &SearchHits::default()).await
}

async fn count_matches_with(
    db: &impl Engine,
    query: &ListQuery,
    days: &ZoneDays,
    search_limit: Option<u64>,
    hits: &SearchHits,
) -> Result<Vec<(Status, u64)>, sqlx::Error> {
    let pool = match db.engine() {
        EngineRef::Sqlite(pool) => pool,
        EngineRef::Postgres(pool) => {
            return counts_by_status(count_on_postgres(pool, query, days, search_limit, hits).await?)
        }
    };
    let f = FilterParams::of(query);
    let today = days.json();
    let rows: Vec<(String, i64)> = if query.search.is_some() {
        // SQLite reads a negative LIMIT as none.
        let hit_limit = search_limit.map_or(-1, |limit| i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX));
        // The hits of the first search part given drive (the word index's
        // when there are words); the other parts and filters are checked on
        // each hit, in a narrow index by id rather than the wide rows.
        status_count_rows!(
            pool,
            search_count_sql,
            f.status,
            f.party,
            f.theme,
            f.summit,
            f.search,
            f.overdue,
            today,
            f.search_cjk,
            f.search_short,
            hit_limit
        )
        .collect()
    } else if let (true, Some(summit)) = (query.overdue, f.summit) {
        // INDEXED BY: grouping by status, SQLite would rather read the
        // summit's status index in order than this range and a small sort.
        status_count_rows!(
            pool,
            overdue_summit_count_sql,
            f.status,
            f.party,
            f.theme,
            summit,
            today
        )
        .collect()
    } else if query.overdue {
        // Whatever is due before this month (in the zone whose day is the
        // earliest) is overdue everywhere: summed from the kept counts.
        // This month's dues are counted one by one (INDEXED BY: grouping
        // by status, SQLite would rather read the whole status index in
        // order than this range and a small sort).
        let month_start = days.earliest().with_day(1).unwrap_or(days.earliest());
        let month = month_start.format("%Y-%m").to_string();
        // The two run side by side (as `load_listing`'s statements do).
        let months = async {
            Ok::<Vec<(String, i64)>, sqlx::Error>(if f.party.is_none() && f.theme.is_none() {
                status_count_rows!(pool, overdue_month_totals_sql, f.status, month).collect()
            } else {
                status_count_rows!(pool, overdue_months_count_sql, f.status, f.party, f.theme, month).collect()
            })
        };
        let this_month = async {
            Ok::<Vec<(String, i64)>, sqlx::Error>(
                status_count_rows!(pool, overdue_count_sql, f.status, f.party, f.theme, month_start, today).collect(),
            )
        };
        let (mut rows, this_month) = tokio::try_join!(months, this_month)?;
        rows.extend(this_month);
        rows
    } else if f.party.is_none() && f.theme.is_none() && f.summit.is_none() {
        status_count_rows!(pool, total_count_sql, f.status).collect()
    } else {
        // Without a party, the rows of party 0 (every commitment); with
        // one, that party's rows, of one status of theirs or all. An
        // unknown party or summit matches no row.
        status_count_rows!(pool, table_count_sql, f.status, f.party, f.theme, f.summit).collect()
    };
    counts_by_status(rows)
}

/// `count_matches` on PostgreSQL, choosing its statement as SQLite's
/// branches do: a search's hits counted (up to the limit); an "overdue"
/// view of one summit counted one by one; any other "overdue" view summed
/// from the months kept by triggers and this month's dues counted; every
/// other view summed from the kept totals and counts.
async fn count_on_postgres(
    pool: &sqlx::PgPool,
    query: &ListQuery,
    days: &ZoneDays,
    search_limit: Option<u64>,
    hits: &SearchHits,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let filters = postgres_filters(pool, query, days, hits).await?;
    if query.search.is_some() || (query.overdue && query.summit.is_some()) {
        let limit = search_limit
            .filter(|_| query.search.is_some())
            .map(|limit| i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX));
        store_postgres::listing::count_matches(pool, &filters, limit).await
    } else if query.overdue {
        let month_start = days.earliest().with_day(1).unwrap_or(days.earliest());
        let month = month_start.format("%Y-%m").to_string();
        let month_start = month_start.format("%Y-%m-%d").to_string();
        store_postgres::listing::overdue_counts(pool, &filters, &month, &month_start).await
    } else if query.party.is_none() && query.theme.is_none() && query.summit.is_none() {
        store_postgres::listing::status_totals(pool, filters.status).await
    } else {
        store_postgres::listing::list_counts(pool, &filters).await
    }
}

/// (status code, count) rows summed into a count for each status, in
/// `Status::ALL` order.
fn counts_by_status(rows: Vec<(String, i64)>) -> Result<Vec<(Status, u64)>, sqlx::Error> {
    let mut counts: Vec<(Status, u64)> = Status::ALL.iter().map(|status| (*status, 0)).collect();
    for (code, count) in rows {
        let status: Status = decode(&code)?;
        if let Some(slot) = counts.iter_mut().find(|(s, _)| *s == status) {
            slot.1 += u64::try_from(count).unwrap_or(0);
        }
    }
    Ok(counts)
}

/// The word index's expression of a view filtered by a search of words
/// alone (no CJK term, no other filter), whose matches are exactly the
/// word index's hits.
fn words_alone(query: &ListQuery) -> Option<String> {
    let search = query.search.as_ref()?;
    let others = ListQuery {
        search: None,
        ..query.clone()
    };
    if !others.is_unfiltered() || search.trigram_query().is_some() || search.short_terms_json().is_some() {
        return None;
    }
    search.fts_query()
}

/// Whether the word index has more than `limit` hits for `words` (reading
/// no more than one past it).
pub async fn word_hits_exceed(pool: &SqlitePool, words: &str, limit: u64) -> Result<bool, sqlx::Error> {
    let read = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
    let hits = sqlx::query_scalar!(
        r#"SELECT count(*) AS "hits!: i64" FROM (
               SELECT rowid FROM commitment_search WHERE commitment_search MATCH ?1 LIMIT ?2)"#,
        words,
        read
    )
    .fetch_one(pool)
    .await?;
    Ok(u64::try_from(hits).unwrap_or(0) > limit)
}

/// Whether a search of words alone finds more than `limit` commitments:
/// the word index's hits on SQLite, the search's matches on PostgreSQL.
async fn words_exceed(
    db: &impl Engine,
    query: &ListQuery,
    words: &str,
    limit: u64,
    hits: &SearchHits,
) -> Result<bool, sqlx::Error> {
    match db.engine() {
        EngineRef::Sqlite(pool) => word_hits_exceed(pool, words, limit).await,
        EngineRef::Postgres(pool) => Ok(hits.of(pool, query).await?.map_or(0, <[i64]>::len) as u64 > limit),
    }
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

/// The list rows of the given commitments, in the order of `ids`.
pub async fn summaries_by_ids(db: &impl Engine, ids: &[i64]) -> Result<Vec<CommitmentSummary>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // The rows, their parties' statuses and their translations side by
    // side (as `load_listing`'s statements).
    let rows = async {
        match db.engine() {
            EngineRef::Sqlite(pool) => summary_rows_on_sqlite(pool, ids).await,
            EngineRef::Postgres(pool) => store_postgres::listing::summaries_by_ids(pool, ids).await,
        }
    };
    let ((rows, party_rows), mut texts) = tokio::try_join!(rows, crate::translations::of_commitments(db, ids))?;
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
    crate::translations::add_to_summit_refs(db, summaries.iter_mut().map(|s| &mut s.summit)).await?;
    Ok(summaries)
}

async fn summary_rows_on_sqlite(
    pool: &SqlitePool,
    ids: &[i64],
) -> Result<(Vec<SummaryRow>, Vec<PartyStatusRow>), sqlx::Error> {
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
    .fetch_all(pool);
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
    .fetch_all(pool);
    tokio::try_join!(rows, party_rows)
}

/// A count of a view's commitments whose overall status changed, in a month
/// (`month`, 'YYYY-MM'), from `previous_status` (none: their first update)
/// to `overall_status`.
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

/// The first day of the month `months` months before `date`'s.
fn months_before(date: NaiveDate, months: u32) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    first.checked_sub_months(chrono::Months::new(months)).unwrap_or(first)
}

/// The chart's statement: the changes of the given commitments' overall
/// statuses (`overall_status_days`, kept by triggers) up to `?2`, counted
/// by month, the months before `?3` counted as `?3`.
macro_rules! status_changes_sql {
    ($then:ident) => {
        $then!(
            r#"SELECT max(substr(o.day, 1, 7), ?3) AS "month!: String", o.overall_status, o.previous_status,
                      count(*) AS "count!: i64"
               FROM json_each(?1) wanted
               JOIN overall_status_days o ON o.commitment_id = wanted.value
               WHERE o.day <= ?2
               GROUP BY 1, 2, 3"#
        )
    };
}

/// Snapshots of the overall statuses of the given commitments at each month's
/// end from the first recorded change to `today` (the last snapshot is
/// `today`), the latest `CHART_MONTHS` of them. A commitment counts from its
/// first status update on.
///
/// Each snapshot sums the changes up to its day: every day on which a
/// commitment's statuses changed adds one to its new overall status and
/// takes one from its previous one (`overall_status_days`), so the cost
/// grows with the commitments and their days of change, not with every
/// update (a commitment updated 10,000 times), and SQLite hands back a few
/// rows per month.
pub async fn status_history(
    db: &impl Engine,
    ids: &[i64],
    today: NaiveDate,
) -> Result<Vec<StatusSnapshot>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let window_start = chart_window_start(today);
    let pool = match db.engine() {
        EngineRef::Sqlite(pool) => pool,
        EngineRef::Postgres(pool) => {
            let today_text = today.format("%F").to_string();
            let rows = store_postgres::charts::status_changes(pool, ids, &today_text, &window_start).await?;
            return snapshots_of(rows, today);
        }
    };
    let ids_json = serde_json::to_string(ids).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let rows = {
        macro_rules! run {
            ($sql:tt) => {
                sqlx::query_as!(StatusChangeCountRow, $sql, ids_json, today, window_start)
            };
        }
        status_changes_sql!(run)
    }
    .fetch_all(pool)
    .await?;
    snapshots_of(rows, today)
}

/// The chart's statement for a view of one summit's commitments (`?1`, its
/// slug), unfiltered otherwise: as `status_changes_sql`, from the sums kept
/// by summit and month (`summit_status_months`) for the months before
/// `?2`'s, and from the days of change of `?2`'s month up to `?2` itself,
/// found by day, so that a change dated after the chart's last day is not
/// counted. Sums of 0 (left by a commitment moved to another summit) are
/// left out: the chart starts at the first month something changed.
macro_rules! summit_status_changes_sql {
    ($then:ident) => {
        $then!(
            r#"SELECT max(m.month, ?3) AS "month!: String", m.overall_status AS "overall_status!: String",
                      nullif(m.previous_status, '') AS "previous_status: String", sum(m.count) AS "count!: i64"
               FROM summit_status_months m
               WHERE m.summit_id = (SELECT id FROM summits WHERE slug = ?1) AND m.month < substr(?2, 1, 7)
               GROUP BY 1, 2, 3
               HAVING sum(m.count) <> 0
               UNION ALL
               SELECT substr(o.day, 1, 7), o.overall_status, o.previous_status, count(*)
               FROM overall_status_days o INDEXED BY overall_status_days_by_day
               JOIN commitments c ON c.id = o.commitment_id
               WHERE o.day >= substr(?2, 1, 7) AND o.day <= ?2
                 AND c.summit_id = (SELECT id FROM summits WHERE slug = ?1)
               GROUP BY 1, 2, 3"#
        )
    };
}

/// `summit_status_changes_sql` over every summit (`?1` is the chart's last
/// day, `?2` its first month).
macro_rules! all_status_changes_sql {
    ($then:ident) => {
        $then!(
            r#"SELECT max(m.month, ?2) AS "month!: String", m.overall_status AS "overall_status!: String",
                      nullif(m.previous_status, '') AS "previous_status: String", sum(m.count) AS "count!: i64"
               FROM summit_status_months m
               WHERE m.month < substr(?1, 1, 7)
               GROUP BY 1, 2, 3
               HAVING sum(m.count) <> 0
               UNION ALL
               SELECT substr(o.day, 1, 7), o.overall_status, o.previous_status, count(*)
               FROM overall_status_days o INDEXED BY overall_status_days_by_day
               WHERE o.day >= substr(?1, 1, 7) AND o.day <= ?1
               GROUP BY 1, 2, 3"#
        )
    };
}

/// `status_history` of every commitment of a summit (or of every
/// commitment), as a view filtered by nothing else shows it.
pub async fn summit_status_history(
    db: &impl Engine,
    summit: Option<&Slug>,
    today: NaiveDate,
) -> Result<Vec<StatusSnapshot>, sqlx::Error> {
    let window_start = chart_window_start(today);
    let pool = match db.engine() {
        EngineRef::Sqlite(pool) => pool,
        EngineRef::Postgres(pool) => {
            let today_text = today.format("%F").to_string();
            let summit = summit.map(Slug::as_str);
            let rows = store_postgres::charts::summit_status_changes(pool, summit, &today_text, &window_start).await?;
            return snapshots_of(rows, today);
        }
    };
    let rows = match summit {
        Some(slug) => {
            let slug = slug.as_str();
            macro_rules! run {
                ($sql:tt) => {
                    sqlx::query_as!(StatusChangeCountRow, $sql, slug, today, window_start)
                };
            }
            summit_status_changes_sql!(run).fetch_all(pool).await?
        }
        None => {
            macro_rules! run {
                ($sql:tt) => {
                    sqlx::query_as!(StatusChangeCountRow, $sql, today, window_start)
                };
            }
            all_status_changes_sql!(run).fetch_all(pool).await?
        }
    };
    snapshots_of(rows, today)
}

/// The first month the chart shows, 'YYYY-MM': a chart of decades would be
/// unreadable and its page heavy, so it shows the latest month ends, the
/// changes before them summed into the first.
fn chart_window_start(today: NaiveDate) -> String {
    months_before(today, CHART_MONTHS.saturating_sub(1) as u32)
        .format("%Y-%m")
        .to_string()
}

/// The snapshots at each month end (and `today`) from the first month of
/// `rows` on, each the sum of the changes up to it.
fn snapshots_of(mut rows: Vec<StatusChangeCountRow>, today: NaiveDate) -> Result<Vec<StatusSnapshot>, sqlx::Error> {
    rows.sort_by(|a, b| a.month.cmp(&b.month));
    let Some(first) = rows.first() else {
        return Ok(Vec::new());
    };
    let day_of = |month: &str| NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d");
    let first = day_of(&first.month).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let slot = |code: &str| -> Result<usize, sqlx::Error> {
        let status: Status = decode(code)?;
        Ok(Status::ALL.iter().position(|s| *s == status).unwrap_or(0))
    };
    let mut counts = vec![0i64; Status::ALL.len()];
    let mut snapshots = Vec::with_capacity(CHART_MONTHS);
    let mut rows = rows.into_iter().peekable();
    let mut month_start = first;
    loop {
        let month = month_start.format("%Y-%m").to_string();
        while let Some(row) = rows.next_if(|r| r.month == month) {
            counts[slot(&row.overall_status)?] += row.count;
            if let Some(previous) = row.previous_status.as_deref() {
                counts[slot(previous)?] -= row.count;
            }
        }
        let end = month_end(month_start);
        snapshots.push(StatusSnapshot {
            on: end.min(today),
            counts: counts.iter().map(|n| u64::try_from(*n).unwrap_or(0)).collect(),
        });
        if end >= today {
            break;
        }
        month_start = end.succ_opt().unwrap_or(end);
    }
    Ok(snapshots)
}

/// How many month ends the "statuses over time" chart shows at most.
pub const CHART_MONTHS: usize = 24;

/// The parties, in the order they were added.
pub async fn list_parties(db: &impl Engine) -> Result<Vec<PartyRef>, sqlx::Error> {
    let rows = match db.engine() {
        EngineRef::Sqlite(pool) => party_rows_on_sqlite(pool).await?,
        EngineRef::Postgres(pool) => store_postgres::listing::parties(pool).await?,
    };
    party_refs(rows)
}

/// The parties, in the order they were added, inside a write's transaction.
pub async fn parties_in(tx: &mut crate::engine::Tx<'_>) -> Result<Vec<PartyRef>, sqlx::Error> {
    party_refs(match tx {
        crate::engine::Tx::Sqlite(c) => party_rows_on_sqlite(&mut **c).await?,
        crate::engine::Tx::Postgres(c) => store_postgres::listing::parties(&mut **c).await?,
    })
}

async fn party_rows_on_sqlite<'e>(executor: impl sqlx::SqliteExecutor<'e>) -> Result<Vec<PartyRow>, sqlx::Error> {
    sqlx::query_as!(PartyRow, "SELECT code, short_name FROM parties ORDER BY id")
        .fetch_all(executor)
        .await
}

fn party_refs(rows: Vec<PartyRow>) -> Result<Vec<PartyRef>, sqlx::Error> {
    rows.into_iter()
        .map(|row| {
            Ok(PartyRef {
                code: decode(&row.code)?,
                short_name: row.short_name,
            })
        })
        .collect()
}

/// Every summit, newest first, with its commitments counted by overall status.
pub async fn list_summit_listings(db: &impl Engine) -> Result<Vec<SummitListing>, sqlx::Error> {
    let rows = match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_as!(
                SummitCountRow,
                r#"SELECT s.slug, s.title, s.held_on AS "held_on: NaiveDate", s.location, s.summary, s.time_zone,
                  c.overall_status AS "overall_status?", COUNT(c.id) AS "count!: i64"
           FROM summits s
           LEFT JOIN commitments c ON c.summit_id = s.id
           GROUP BY s.id, c.overall_status
           ORDER BY s.held_on DESC, s.id DESC"#
            )
            .fetch_all(pool)
            .await?
        }
        EngineRef::Postgres(pool) => store_postgres::charts::summit_counts(pool).await?,
    };
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
    crate::translations::add_to_summits(db, listings.iter_mut().map(|l| &mut l.summit)).await?;
    Ok(listings)
}

/// Everything a list view shows: one page of the matches, the scoreboard and
/// history of all of them, and the filter form's choices. `canonical_url` is
/// the absolute URL of the view.
pub async fn load_commitment_page(
    db: &impl Engine,
    query: &ListQuery,
    per_page: u32,
    canonical_url: String,
    now: DateTime<Utc>,
) -> Result<ListingPage, sqlx::Error> {
    load_listing(db, query, per_page, canonical_url, now, ListingUse::Page).await
}

/// What a listing is for, which decides what of it is worth computing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListingUse {
    /// A page people read: the chart's month-by-month history for views of
    /// up to `CHART_MAX_COMMITMENTS` (its cost grows with every status
    /// update of every match), and a search's matches counted up to
    /// `SEARCH_COUNT_LIMIT` (each hit is looked up to be counted).
    Page,
    /// Data for programs (the JSON API): no chart (`history` stays empty),
    /// and every match counted, however many.
    Data,
}

/// `load_commitment_page`, for a page or for data.
pub async fn load_listing(
    db: &impl Engine,
    query: &ListQuery,
    per_page: u32,
    canonical_url: String,
    now: DateTime<Utc>,
    purpose: ListingUse,
) -> Result<ListingPage, sqlx::Error> {
    let per_page = per_page.max(1);
    // Statements that do not wait on each other's answers run side by side,
    // each on a connection of its own (each on its own thread): a page
    // waits for the slowest of them rather than their sum (issue 17: a
    // search's count and its page took 4-9 ms one after the other). They
    // read without a shared transaction, as they did one after the other.
    let (choices, parties) = tokio::try_join!(
        super::summits::newest_summits(db, SUMMIT_CHOICES, query.summit.as_ref()),
        list_parties(db)
    )?;
    let summits = choices.summits;
    // "Today" in every summit's zone.
    let days = ZoneDays::of(now, choices.time_zones);
    let view_zone = query
        .summit
        .as_ref()
        .and_then(|slug| summits.iter().find(|s| &s.slug == slug))
        .map(|s| s.time_zone);
    // The chart ends on the view's day: the filtered summit's, else the one
    // zone all summits share, else UTC.
    let today = days.day_for(view_zone);
    let time_zone = days.zone_for(view_zone);
    // The scoreboard counts every match (a search's page up to
    // SEARCH_COUNT_LIMIT); the page lists `per_page` of them. Neither brings
    // the other matches out of SQLite, so a page costs about
    // the same on a table of 100,000 commitments as on one of a dozen.
    let search_limit = (purpose == ListingUse::Page).then_some(SEARCH_COUNT_LIMIT);
    // On PostgreSQL, the search runs once for the page's statements.
    let hits = SearchHits::default();
    let page_and_items = async {
        let page = match_page_with(db, query, &days, per_page, &hits).await?;
        let items = summaries_by_ids(db, &page.ids).await?;
        Ok::<_, sqlx::Error>((page, items))
    };
    // The count decides whether the chart is drawn; both run beside the page.
    let counts_and_chart = async {
        // A search of words alone that the word index says matches more
        // than the limit needs no count by status, which the page would
        // not show: each of its hits looked up to be counted took 3 ms of
        // the 100,000-commitment database's `/?q=fraud` (issue 17).
        let beyond = match (search_limit, words_alone(query)) {
            (Some(limit), Some(words)) => words_exceed(db, query, &words, limit, &hits).await?,
            _ => false,
        };
        let counts = if beyond {
            Status::ALL.iter().map(|status| (*status, 0)).collect()
        } else {
            count_matches_with(db, query, &days, search_limit, &hits).await?
        };
        let counted: u64 = counts.iter().map(|(_, n)| n).sum();
        let counts_capped = beyond || (query.search.is_some() && search_limit.is_some_and(|limit| counted > limit));
        let total = if counts_capped { SEARCH_COUNT_LIMIT } else { counted };
        let chart_omitted = purpose == ListingUse::Page && (counts_capped || total > CHART_MAX_COMMITMENTS as u64);
        let history = if purpose == ListingUse::Page && !chart_omitted {
            // Small views (at most CHART_MAX_COMMITMENTS) draw the chart:
            // a summit's own view (or the whole list) from the sums kept
            // by summit and month, a filtered view from the days of change
            // of its matches.
            let by_summit = ListQuery {
                summit: None,
                ..query.clone()
            }
            .is_unfiltered();
            if by_summit {
                summit_status_history(db, query.summit.as_ref(), today).await?
            } else {
                let all_ids: Vec<i64> = match_commitments_with(db, query, &days, &hits)
                    .await?
                    .into_iter()
                    .map(|m| m.id)
                    .collect();
                status_history(db, &all_ids, today).await?
            }
        } else {
            Vec::new()
        };
        Ok::<_, sqlx::Error>((counts, counts_capped, total, chart_omitted, history))
    };
    let ((counts, counts_capped, total, chart_omitted, history), (page, items)) =
        tokio::try_join!(counts_and_chart, page_and_items)?;
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
        previous: page.previous,
        next: page.next,
        counts,
        counts_capped,
        history,
        chart_omitted,
        summit,
        summit_total: choices.total,
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
        parties,
        canonical_url,
        now,
        today,
        time_zone,
    })
}

/// The text of a `+`-joined SQL literal (as `seek_sql` and the count
/// statements give it), for the plan test.
#[cfg(test)]
macro_rules! sql_text {
    ($first:literal $(+ $rest:literal)*) => {
        concat!($first $(, $rest)*)
    };
}

/// The SQL of the list's statement of one shape, as the store runs it.
#[cfg(test)]
pub(crate) fn seek_statement(scoped: bool, sort: SortOrder, forward: bool) -> &'static str {
    let walk = if forward { Walk::Forward } else { Walk::Backward };
    by_shape!(scoped, sort, walk, sql_text)
}

/// The SQL of the statement that finds a numbered page's start in one
/// shape.
#[cfg(test)]
pub(crate) fn numbered_key_statement(scoped: bool, sort: SortOrder) -> &'static str {
    numbered_key_by_shape!(scoped, sort, sql_text)
}

/// The SQL of the chart's statements: over the ids of a view's matches,
/// over a summit's commitments, and over every commitment.
#[cfg(test)]
pub(crate) fn status_changes_statements() -> [(&'static str, &'static str); 3] {
    [
        ("ids", status_changes_sql!(sql_text)),
        ("summit", summit_status_changes_sql!(sql_text)),
        ("all", all_status_changes_sql!(sql_text)),
    ]
}

/// The SQL of the scoreboard's statements: over a search, "overdue", and
/// the trigger-kept counts and totals.
#[cfg(test)]
pub(crate) fn count_statements() -> [(&'static str, &'static str); 7] {
    [
        ("overdue_month_totals", overdue_month_totals_sql!(sql_text)),
        ("status_totals", total_count_sql!(sql_text)),
        ("search", search_count_sql!(sql_text)),
        ("overdue", overdue_count_sql!(sql_text)),
        ("overdue_months", overdue_months_count_sql!(sql_text)),
        ("overdue_summit", overdue_summit_count_sql!(sql_text)),
        ("list_counts", table_count_sql!(sql_text)),
    ]
}

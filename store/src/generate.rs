//! Synthetic data for benchmarks (`accord-dev generate`): summits, the
//! commitments made at them, their owing parties, sources with quotes and a
//! dated status history with evidence, drawn from word lists with a seeded
//! random generator (the same seed gives the same text).
//!
//! Everything is written through the real schema: the triggers of the
//! discovery migration fill `commitment_parties.status`, the commitments'
//! `overall_status`, `last_changed_on`, `source_count` and the
//! `commitment_search` index exactly as they do for an editor's change.
//! Rows are written many per statement (runtime `QueryBuilder` queries, not
//! the checked macros) and a batch of commitments per transaction, with ids
//! assigned here inside the transaction, which holds the write lock from its
//! first statement (SQLite's `BEGIN IMMEDIATE`; on PostgreSQL the lock every
//! write takes, `store_postgres::editing::lock_for_write`).
//!
//! Both engines are written the same statements (placeholders `$1`…, which
//! SQLite reads too) with the same values: dates and instants are bound as
//! the text sqlx writes into SQLite (`store_postgres::stored_text`), so a
//! seed gives the same rows on either engine.

use crate::db::WriteTransaction;
use crate::engine::{Engine, EngineRef, Tx};
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use sqlx::QueryBuilder;
use store_postgres::stored_text::{date_text, timestamp_text};

use domain::{Slug, Status};

/// Commitments per generated summit (the last summit takes the remainder).
pub const COMMITMENTS_PER_SUMMIT: u64 = 500;
/// Who the generated status updates are credited to.
pub const RECORDER: &str = "accord-dev generate";
/// The slug of the one commitment `busy_updates` gives a long history (the
/// benchmark's permalink and history of a commitment with 10,000 changes).
pub const BUSY_COMMITMENT_SLUG: &str = "generated-busy-commitment";

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenerateOptions {
    pub commitments: u64,
    /// Status updates per commitment (rows of `status_updates`, spread over
    /// its owing parties, in increasing date order).
    pub updates_per: u32,
    pub seed: u64,
    /// Commitments written per transaction.
    pub batch: u64,
    /// No generated date is later than this.
    pub until: NaiveDate,
    /// Status changes recorded, through the editors' write path, on one more
    /// commitment, slugged [`BUSY_COMMITMENT_SLUG`] (none when 0).
    pub busy_updates: u32,
    /// When the generated sources' first versions are recorded (the moment
    /// of the run: the sources are entered now, whatever their dates).
    pub recorded_at: DateTime<Utc>,
}

impl GenerateOptions {
    pub fn new(commitments: u64, updates_per: u32, seed: u64) -> Self {
        GenerateOptions {
            commitments,
            updates_per,
            seed,
            batch: 1_000,
            until: default_until(Utc::now().date_naive()),
            busy_updates: 0,
            recorded_at: Utc::now(),
        }
    }
}

/// The latest date generated: 1 November 2026 (fixed, so that a seed gives
/// the same data whatever the day), or today if the clock says earlier.
pub fn default_until(today: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).expect("valid date").min(today)
}

/// How many rows of each kind were written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Generated {
    pub summits: u64,
    pub commitments: u64,
    pub commitment_parties: u64,
    pub sources: u64,
    pub status_updates: u64,
    /// The slug of the busy commitment, if one was added.
    pub busy_commitment: Option<Slug>,
}

/// Generates `options.commitments` commitments into the database `engine`
/// reaches (SQLite or PostgreSQL), calling `progress` with the number of
/// commitments written after each batch. Parties missing from the database
/// are added; existing rows are kept.
pub async fn generate(
    engine: &impl Engine,
    options: &GenerateOptions,
    mut progress: impl FnMut(u64),
) -> Result<Generated, sqlx::Error> {
    let engine = engine.engine();
    let mut totals = Generated::default();
    if options.commitments == 0 && options.busy_updates == 0 {
        return Ok(totals);
    }
    let mut tx = begin(&engine).await?;
    let party_ids = upsert_parties(&mut tx.tx()).await?;
    let first_summit_id = max_id(&mut tx.tx(), "summits").await? + 1;
    let planner = Planner::new(options, party_ids, first_summit_id);
    insert_summits(&mut tx.tx(), &planner.summits).await?;
    commit(tx).await?;
    totals.summits = planner.summits.len() as u64;

    // On PostgreSQL the batches start small and double, and the tables are
    // analysed each time the site has doubled (see `analyze_as_it_grows`).
    let full_batch = options.batch.max(1);
    let mut batch_size = match engine {
        EngineRef::Sqlite(_) => full_batch,
        EngineRef::Postgres(_) => 1,
    };
    let mut analyzed_at = 0;
    let mut done = 0;
    while done < options.commitments {
        let end = (done + batch_size).min(options.commitments);
        let mut tx = begin(&engine).await?;
        if let WriteTransaction::Sqlite(tx) = &mut tx {
            // A bigger page cache than the default 2 MB: the batch touches
            // many index pages (titles, FTS, history).
            sqlx::query("PRAGMA cache_size = -65536").execute(&mut **tx).await?;
        }
        let mut next = NextIds {
            commitment: max_id(&mut tx.tx(), "commitments").await? + 1,
            source: max_id(&mut tx.tx(), "sources").await? + 1,
            update: max_id(&mut tx.tx(), "status_updates").await? + 1,
        };
        let mut batch = Batch::default();
        for index in done..end {
            planner.commitment(index, &mut next, &mut batch);
        }
        insert_batch(&mut tx.tx(), &batch, options.recorded_at).await?;
        commit(tx).await?;
        if let EngineRef::Postgres(pool) = engine {
            if end >= 2 * analyzed_at {
                analyze_as_it_grows(pool).await?;
                analyzed_at = end;
            }
            batch_size = (batch_size * 2).min(full_batch);
        }
        totals.commitments += batch.commitments.len() as u64;
        totals.commitment_parties += batch.parties.len() as u64;
        totals.sources += batch.sources.len() as u64;
        totals.status_updates += batch.updates.len() as u64;
        done = end;
        progress(done);
    }
    if options.busy_updates > 0 {
        add_busy_commitment(&engine, &planner, options, &mut totals).await?;
    }
    Ok(totals)
}

/// A transaction holding the database's write lock from the start.
async fn begin(engine: &EngineRef<'_>) -> Result<WriteTransaction, sqlx::Error> {
    match engine {
        EngineRef::Sqlite(pool) => Ok(WriteTransaction::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?)),
        EngineRef::Postgres(pool) => WriteTransaction::postgres_locked(pool).await,
    }
}

/// Commits a batch. On PostgreSQL the ids were given here, not by the
/// tables' sequences: each sequence is first moved past them, so that the
/// next row PostgreSQL numbers (an editor's) does not collide. And the
/// replicas serving the site are told that anything may have changed.
async fn commit(mut tx: WriteTransaction) -> Result<(), sqlx::Error> {
    if let WriteTransaction::Postgres(transaction) = &mut tx {
        for table in NUMBERED_HERE {
            crate::site_copy::restart_identity(transaction, table).await?;
        }
        // Announced as from no replica (0 names none), so every one hears it.
        crate::replica_changes::announce_change(transaction, 0, &crate::data_changes::Change::Everything).await?;
    }
    tx.commit().await
}

/// PostgreSQL plans the triggers' lookups (a link's search text, a status's
/// counts) by the tables' statistics, which nothing else updates while the
/// generator writes (this project's servers run without autovacuum). Planned
/// for the nearly empty tables it started from, each new source link's
/// trigger read every link (measured: 500 links took 1.6 to 2.9 s in the
/// first batch of 1,000 commitments). So the statistics are renewed each
/// time the site has doubled, a number of `ANALYZE`s that grows with the log
/// of its size, and the batches grow from one commitment, so that the first
/// ones are not written with plans for empty tables either.
async fn analyze_as_it_grows(pool: &sqlx::PgPool) -> Result<(), sqlx::Error> {
    sqlx::raw_sql("ANALYZE").execute(pool).await.map(drop)
}

/// The tables whose ids `generate` gives.
const NUMBERED_HERE: [&str; 4] = ["summits", "commitments", "sources", "status_updates"];

/// Adds the commitment slugged [`BUSY_COMMITMENT_SLUG`] to the last generated
/// summit, owed by all its parties, and records `options.busy_updates` status
/// changes on it through [`crate::editing::record_status_change_in`], the
/// function an editor's change goes through: each one bumps the version,
/// appends a revision with its snapshots and cites a source dated after the
/// summit, and the triggers keep the current statuses as for a real change.
/// The parties take turns; each walks a cycle of statuses; the days run
/// evenly from a week after the summit to `options.until`.
async fn add_busy_commitment(
    engine: &EngineRef<'_>,
    planner: &Planner,
    options: &GenerateOptions,
    totals: &mut Generated,
) -> Result<(), sqlx::Error> {
    let slug = Slug::parse(BUSY_COMMITMENT_SLUG).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let mut tx = begin(engine).await?;
    let taken = fetch_i64(
        &mut tx.tx(),
        "SELECT count(*) FROM commitments WHERE slug = $1",
        vec![BUSY_COMMITMENT_SLUG.into()],
    )
    .await?;
    if taken > 0 {
        return Err(sqlx::Error::Protocol(format!(
            "the database already has a commitment slugged {BUSY_COMMITMENT_SLUG}: generate the busy commitment into a fresh database"
        )));
    }
    let mut next = NextIds {
        commitment: max_id(&mut tx.tx(), "commitments").await? + 1,
        source: max_id(&mut tx.tx(), "sources").await? + 1,
        update: max_id(&mut tx.tx(), "status_updates").await? + 1,
    };
    let summit = planner.summits.len() - 1;
    let position = fetch_i64(
        &mut tx.tx(),
        "SELECT CAST(coalesce(max(position), 0) + 1 AS BIGINT) FROM commitments WHERE summit_id = $1",
        vec![planner.summits[summit].id.into()],
    )
    .await?;
    let mut batch = Batch::default();
    planner.commitment_at(options.commitments, summit, position, true, &mut next, &mut batch);
    batch.commitments[0].slug = slug.to_string();
    insert_batch(&mut tx.tx(), &batch, options.recorded_at).await?;
    // The write path credits an account. This one has no usable password (no
    // password hashes to "!") and is disabled: nobody can sign in as it.
    let editor_id = fetch_i64(
        &mut tx.tx(),
        "INSERT INTO users (name, role, password_hash, created_at, password_changed_at, disabled_at)
         VALUES ($1, 'editor', '!', $2, $2, $2)
         ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
        vec![RECORDER.into(), batch.commitments[0].created_at.into()],
    )
    .await?;
    commit(tx).await?;
    totals.commitments += 1;
    totals.commitment_parties += batch.parties.len() as u64;
    totals.sources += batch.sources.len() as u64;

    let editor = domain::CurrentUser {
        id: editor_id,
        name: RECORDER.to_owned(),
        role: domain::Role::Editor,
    };
    let planned = &planner.summits[summit];
    let held_on = planned.held_on;
    let parties: Vec<&PartyDef> = planned.parties.iter().map(|&p| &PARTIES[p]).collect();
    // Evidence dated after the summit (the readout is the promise itself).
    let reports: Vec<i64> = batch
        .sources
        .iter()
        .filter(|s| s.published_on > held_on)
        .map(|s| s.id)
        .collect();
    let first_day = add_days(held_on, 7).min(options.until);
    let days = (options.until - first_day).num_days().max(0) as u64;
    let count = u64::from(options.busy_updates);
    const CYCLE: [Status; 5] = [
        Status::InProgress,
        Status::Stalled,
        Status::InProgress,
        Status::PartlyFulfilled,
        Status::Stalled,
    ];
    let mut version = 1;
    let mut done = 0;
    while done < count {
        let end = (done + 500).min(count);
        let mut tx = begin(engine).await?;
        for n in done..end {
            let party = parties[(n % parties.len() as u64) as usize];
            let turn = n / parties.len() as u64;
            let status = CYCLE[(turn % CYCLE.len() as u64) as usize];
            let effective_on = add_days(first_day, n * days / count);
            let change = domain::StatusChange {
                parties: domain::PartyChoice::One(
                    domain::PartyCode::parse(party.code).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                ),
                status,
                effective_on,
                note: format!(
                    "{} reported the commitment {} (report {} of {count}).",
                    party.short_name,
                    status.label().to_lowercase(),
                    n + 1
                ),
                source_ids: vec![reports[(n % reports.len() as u64) as usize]],
                new_source: None,
                expected_version: version,
            };
            // Recorded the evening of the day it took effect, in order.
            let now = at(effective_on, 18, 0) + chrono::Duration::seconds((n % 3_600) as i64);
            let recorded = crate::editing::record_status_change_in(&mut tx.tx(), &slug, &change, &editor, now)
                .await
                .map_err(|error| match error {
                    crate::refusal::WriteError::Database(error) => error,
                    other => sqlx::Error::Protocol(format!("busy commitment, change {}: {other}", n + 1)),
                })?;
            version = recorded.version;
            totals.status_updates += recorded.status_update_ids.len() as u64;
        }
        commit(tx).await?;
        done = end;
    }
    totals.busy_commitment = Some(slug);
    Ok(())
}

/// A value bound to a statement, as both engines store it: an integer or
/// a text (dates and instants as `store_postgres::stored_text` writes them).
enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

/// `From` for each kind of value the generator binds.
macro_rules! values_from {
    ($($kind:ty => |$value:ident| $made:expr;)*) => {
        $(impl From<$kind> for Value {
            fn from($value: $kind) -> Value {
                $made
            }
        })*
    };
}

values_from! {
    i64 => |value| Value::Int(Some(value));
    Option<i64> => |value| Value::Int(value);
    String => |value| Value::Text(Some(value));
    Option<String> => |value| Value::Text(value);
    &'static str => |value| Value::Text(Some(value.to_owned()));
    Option<&'static str> => |value| Value::Text(value.map(str::to_owned));
    NaiveDate => |value| Value::Text(Some(date_text(value)));
    Option<NaiveDate> => |value| Value::Text(value.map(date_text));
    DateTime<Utc> => |value| Value::Text(Some(timestamp_text(value)));
}

/// Runs `$body` with `$conn` bound to the transaction's connection and
/// `$Db` naming its engine: the same code, typed for each.
macro_rules! on_connection {
    ($tx:expr, |$conn:ident, $Db:ident| $body:expr) => {
        match $tx {
            Tx::Sqlite($conn) => {
                type $Db = sqlx::Sqlite;
                $body
            }
            Tx::Postgres($conn) => {
                type $Db = sqlx::Postgres;
                $body
            }
        }
    };
}

/// Binds `values` to a statement of either engine, in order.
macro_rules! bind_all {
    ($query:expr, $values:expr) => {{
        let mut query = $query;
        for value in $values {
            query = match value {
                Value::Int(value) => query.bind(value),
                Value::Text(value) => query.bind(value),
            };
        }
        query
    }};
}

/// The one integer `sql` returns.
async fn fetch_i64(tx: &mut Tx<'_>, sql: &'static str, values: Vec<Value>) -> Result<i64, sqlx::Error> {
    on_connection!(tx, |conn, Db| {
        bind_all!(sqlx::query_scalar::<Db, i64>(sql), values)
            .fetch_one(&mut **conn)
            .await
    })
}

async fn execute(tx: &mut Tx<'_>, sql: &'static str, values: Vec<Value>) -> Result<(), sqlx::Error> {
    on_connection!(tx, |conn, Db| {
        bind_all!(sqlx::query::<Db>(sql), values)
            .execute(&mut **conn)
            .await
            .map(drop)
    })
}

/// The largest id in `table` (one of [`NUMBERED_HERE`]), 0 when it is empty.
async fn max_id(tx: &mut Tx<'_>, table: &'static str) -> Result<i64, sqlx::Error> {
    let sql = match table {
        "summits" => "SELECT CAST(coalesce(max(id), 0) AS BIGINT) FROM summits",
        "commitments" => "SELECT CAST(coalesce(max(id), 0) AS BIGINT) FROM commitments",
        "sources" => "SELECT CAST(coalesce(max(id), 0) AS BIGINT) FROM sources",
        "status_updates" => "SELECT CAST(coalesce(max(id), 0) AS BIGINT) FROM status_updates",
        other => return Err(sqlx::Error::Protocol(format!("generate does not number {other}"))),
    };
    fetch_i64(tx, sql, Vec::new()).await
}

async fn upsert_parties(tx: &mut Tx<'_>) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids = Vec::with_capacity(PARTIES.len());
    for party in PARTIES {
        // Not `ON CONFLICT DO NOTHING`: on PostgreSQL that uses up an id
        // for each party already there, and the engines' ids would differ.
        execute(
            tx,
            "INSERT INTO parties (code, name, short_name, leader)
             SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM parties WHERE code = $1)",
            vec![
                party.code.into(),
                party.name.into(),
                party.short_name.into(),
                party.leader.into(),
            ],
        )
        .await?;
        ids.push(fetch_i64(tx, "SELECT id FROM parties WHERE code = $1", vec![party.code.into()]).await?);
    }
    Ok(ids)
}

/// Inserts `rows`, `values` giving each row's values, with as many rows per
/// statement as SQLite's limit on bound values allows (at most 500;
/// PostgreSQL allows more).
async fn insert_rows<T>(
    tx: &mut Tx<'_>,
    head: &'static str,
    rows: &[T],
    values: impl Fn(&T) -> Vec<Value>,
) -> Result<(), sqlx::Error> {
    let binds = rows.first().map_or(1, |row| values(row).len());
    let per_statement = (30_000 / binds.max(1)).clamp(1, 500);
    for chunk in rows.chunks(per_statement) {
        on_connection!(&mut *tx, |conn, Db| {
            let mut builder = QueryBuilder::<Db>::new(head);
            builder.push_values(chunk, |mut row, item| {
                for value in values(item) {
                    match value {
                        Value::Int(value) => row.push_bind(value),
                        Value::Text(value) => row.push_bind(value),
                    };
                }
            });
            builder.build().execute(&mut **conn).await?;
        });
    }
    Ok(())
}

async fn insert_summits(tx: &mut Tx<'_>, summits: &[SummitPlan]) -> Result<(), sqlx::Error> {
    insert_rows(
        tx,
        "INSERT INTO summits (id, slug, title, held_on, location, summary) ",
        summits,
        |s| {
            vec![
                s.id.into(),
                s.slug.clone().into(),
                s.title.clone().into(),
                s.held_on.into(),
                s.location.clone().into(),
                s.summary.clone().into(),
            ]
        },
    )
    .await
}

/// Writes a batch in the order the foreign keys and triggers need:
/// commitments (their search rows), owing parties (overall status), sources
/// and their links (source count, search quotes), then the history in date
/// order (current statuses) and its evidence. The sources' first versions
/// are recorded at `recorded_at`.
async fn insert_batch(tx: &mut Tx<'_>, batch: &Batch, recorded_at: DateTime<Utc>) -> Result<(), sqlx::Error> {
    insert_rows(
        tx,
        "INSERT INTO commitments (id, summit_id, slug, title, summary, theme, proposed_by_party_id, \
         due_on, due_note, due_basis, position, version, created_at, updated_at) ",
        &batch.commitments,
        |c| {
            vec![
                c.id.into(),
                c.summit_id.into(),
                c.slug.clone().into(),
                c.title.clone().into(),
                c.summary.clone().into(),
                c.theme.into(),
                c.proposer.into(),
                c.due_on.into(),
                c.due_note.clone().into(),
                c.due_basis.into(),
                c.position.into(),
                1_i64.into(),
                c.created_at.into(),
                c.created_at.into(),
            ]
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO commitment_parties (commitment_id, party_id) ",
        &batch.parties,
        |&(c, p)| vec![c.into(), p.into()],
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO sources (id, publisher, via, title, dated_on, url, quote, kind) ",
        &batch.sources,
        |s| {
            vec![
                s.id.into(),
                s.publisher.into(),
                s.via.clone().into(),
                s.title.clone().into(),
                s.published_on.into(),
                s.url.clone().into(),
                s.quote.clone().into(),
                s.kind.into(),
            ]
        },
    )
    .await?;
    // Each generated source's first version, as the write path stores it.
    if let (Some(first), Some(last)) = (batch.sources.first(), batch.sources.last()) {
        execute(
            tx,
            "INSERT INTO source_versions (source_id, version, publisher, via, title, title_basis, dated_on, date_basis,
                                          url, quote, kind, language, recorded_by, recorded_at)
             SELECT id, 1, publisher, via, title, title_basis, dated_on, date_basis, url, quote, kind, language, $1, $2
             FROM sources WHERE id BETWEEN $3 AND $4",
            vec![
                RECORDER.into(),
                recorded_at.format("%Y-%m-%dT%H:%M:%SZ").to_string().into(),
                first.id.into(),
                last.id.into(),
            ],
        )
        .await?;
    }
    insert_rows(
        tx,
        "INSERT INTO commitment_sources (commitment_id, source_id) ",
        &batch.links,
        |&(c, s)| vec![c.into(), s.into()],
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO status_updates (id, commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at) ",
        &batch.updates,
        |u| {
            vec![
                u.id.into(),
                u.commitment_id.into(),
                u.party_id.into(),
                u.status.into(),
                u.effective_on.into(),
                u.note.clone().into(),
                RECORDER.into(),
                u.recorded_at.into(),
            ]
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO status_update_sources (status_update_id, source_id) ",
        &batch.evidence,
        |&(u, s)| vec![u.into(), s.into()],
    )
    .await
}

// ------------------------------------------------------------------ planning

struct SummitPlan {
    id: i64,
    slug: String,
    title: String,
    held_on: NaiveDate,
    location: String,
    summary: String,
    /// Indices into `PARTIES`.
    parties: Vec<usize>,
    host: usize,
}

struct CommitmentRow {
    id: i64,
    summit_id: i64,
    slug: String,
    title: String,
    summary: String,
    theme: &'static str,
    proposer: Option<i64>,
    due_on: Option<NaiveDate>,
    due_note: Option<String>,
    due_basis: Option<&'static str>,
    position: i64,
    created_at: DateTime<Utc>,
}

struct SourceRow {
    id: i64,
    publisher: &'static str,
    via: Option<String>,
    title: String,
    /// The generated source's own date (`date_basis` defaults to published).
    published_on: NaiveDate,
    url: Option<String>,
    quote: String,
    kind: &'static str,
}

struct UpdateRow {
    id: i64,
    commitment_id: i64,
    party_id: i64,
    status: &'static str,
    effective_on: NaiveDate,
    note: String,
    recorded_at: DateTime<Utc>,
}

#[derive(Default)]
struct Batch {
    commitments: Vec<CommitmentRow>,
    /// (commitment id, party id)
    parties: Vec<(i64, i64)>,
    sources: Vec<SourceRow>,
    /// (commitment id, source id)
    links: Vec<(i64, i64)>,
    updates: Vec<UpdateRow>,
    /// (status update id, source id)
    evidence: Vec<(i64, i64)>,
}

struct NextIds {
    commitment: i64,
    source: i64,
    update: i64,
}

impl NextIds {
    fn take(counter: &mut i64) -> i64 {
        let id = *counter;
        *counter += 1;
        id
    }
}

/// Decides every row from the seed and the commitment's index, so the text
/// does not depend on the batch size.
struct Planner {
    seed: u64,
    updates_per: u32,
    until: NaiveDate,
    party_ids: Vec<i64>,
    summits: Vec<SummitPlan>,
}

/// A well-mixed seed for one stream (splitmix64's finaliser).
fn mix(seed: u64, stream: u64, index: u64) -> u64 {
    let mut z = seed
        .wrapping_add(stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
        .wrapping_add(index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick<T: Copy>(rng: &mut fastrand::Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

fn pick_weighted<T: Copy>(rng: &mut fastrand::Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut ticket = rng.u32(..total);
    for (item, weight) in items {
        if ticket < *weight {
            return *item;
        }
        ticket -= weight;
    }
    items[items.len() - 1].0
}

fn add_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

fn at(date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(date.year(), date.month(), date.day(), hour, minute, 0)
        .single()
        .expect("a valid UTC time")
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn human_date(date: NaiveDate) -> String {
    format!("{} {}", date.day(), date.format("%B %Y"))
}

/// "China and South Korea", "China, Japan and South Korea".
fn names_joined(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Planner {
    fn new(options: &GenerateOptions, party_ids: Vec<i64>, first_summit_id: i64) -> Planner {
        // The busy commitment needs a summit even when no other is made.
        let count = options
            .commitments
            .div_ceil(COMMITMENTS_PER_SUMMIT)
            .max(u64::from(options.busy_updates > 0));
        let start = NaiveDate::from_ymd_opt(2015, 1, 1).expect("valid date");
        // Leave the latest summit some months of history.
        let last = options
            .until
            .checked_sub_days(Days::new(90))
            .unwrap_or(options.until)
            .max(start);
        let span = (last - start).num_days().max(1) as f64;
        let summits = (0..count)
            .map(|k| {
                let mut rng = fastrand::Rng::with_seed(mix(options.seed, 1, k));
                let offset = (span * (k as f64 + rng.f64()) / count as f64) as u64;
                let held_on = add_days(start, offset).min(last);
                let parties = pick_weighted(&mut rng, SUMMIT_PAIRS).to_vec();
                let host = pick(&mut rng, &parties);
                let city = pick(&mut rng, PARTIES[host].cities);
                let names: Vec<&str> = parties.iter().map(|&p| PARTIES[p].short_name).collect();
                let id = first_summit_id + k as i64;
                let codes: Vec<&str> = parties.iter().map(|&p| PARTIES[p].code).collect();
                let planned = if k + 1 == count {
                    options.commitments - k * COMMITMENTS_PER_SUMMIT
                } else {
                    COMMITMENTS_PER_SUMMIT
                };
                let themes: Vec<&str> = (0..3).map(|_| pick_weighted(&mut rng, TOPICS).phrase).collect();
                SummitPlan {
                    id,
                    slug: format!("{}-{}-{id}", codes.join("-"), held_on.format("%Y-%m-%d")),
                    title: format!("{} summit in {city}, {}", names.join("–"), held_on.format("%B %Y")),
                    held_on,
                    location: format!("{city}, {}", PARTIES[host].short_name),
                    summary: format!(
                        "Leaders of {} met in {city} on {}. They agreed on {planned} commitments, among them {}, {} and {}.",
                        names_joined(&names),
                        human_date(held_on),
                        themes[0],
                        themes[1],
                        themes[2]
                    ),
                    parties,
                    host,
                }
            })
            .collect();
        Planner {
            seed: options.seed,
            updates_per: options.updates_per,
            until: options.until,
            party_ids,
            summits,
        }
    }

    /// Plans the commitment at `index` (0-based over this run) into `batch`.
    fn commitment(&self, index: u64, next: &mut NextIds, batch: &mut Batch) {
        let summit = (index / COMMITMENTS_PER_SUMMIT) as usize;
        let position = (index % COMMITMENTS_PER_SUMMIT) as i64 + 1;
        self.commitment_at(index, summit, position, false, next, batch);
    }

    /// Plans the commitment at `index` as the `position`th of the summit
    /// `summit`. A `busy` one is owed by every party of the summit and gets no
    /// planned history (its changes go through the write path instead).
    fn commitment_at(
        &self,
        index: u64,
        summit: usize,
        position: i64,
        busy: bool,
        next: &mut NextIds,
        batch: &mut Batch,
    ) {
        let mut rng = fastrand::Rng::with_seed(mix(self.seed, 2, index));
        let summit = &self.summits[summit];
        let id = NextIds::take(&mut next.commitment);
        let names: Vec<&str> = summit.parties.iter().map(|&p| PARTIES[p].short_name).collect();

        let topic = pick_weighted(&mut rng, TOPICS);
        let verb = pick(&mut rng, VERBS);
        let qualifier = match rng.u32(..10) {
            0 => format!(" by {}", summit.held_on.year() + rng.i32(1..4)),
            1 => {
                let a = pick(&mut rng, PARTIES[summit.parties[0]].cities);
                let b = pick(&mut rng, PARTIES[summit.parties[summit.parties.len() - 1]].cities);
                format!(" between {a} and {b}")
            }
            2 => pick(&mut rng, QUALIFIERS).to_owned(),
            _ => String::new(),
        };
        let action = format!("{verb} {}{qualifier}", topic.phrase);
        let title = capitalise(&action);
        let slug = {
            let base = Slug::from_title(&title)
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default();
            let mut base = base.as_str();
            while base.len() > 64 {
                base = match base.rfind('-') {
                    Some(cut) => &base[..cut],
                    None => &base[..64],
                };
            }
            if base.is_empty() {
                format!("commitment-{id}")
            } else {
                format!("{base}-{id}")
            }
        };

        // Owing parties: often all, otherwise one (or two of three).
        let owing: Vec<usize> = if busy {
            summit.parties.clone()
        } else if summit.parties.len() == 2 {
            if rng.u32(..100) < 55 {
                summit.parties.clone()
            } else {
                vec![pick(&mut rng, &summit.parties)]
            }
        } else {
            match rng.u32(..10) {
                0..=3 => summit.parties.clone(),
                4..=6 => {
                    let skip = rng.usize(..summit.parties.len());
                    summit
                        .parties
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != skip)
                        .map(|(_, &p)| p)
                        .collect()
                }
                _ => vec![pick(&mut rng, &summit.parties)],
            }
        };
        let proposer = if rng.u32(..100) < 35 {
            None
        } else {
            Some(pick(&mut rng, &summit.parties))
        };

        let second = pick_weighted(&mut rng, TOPICS);
        let mut summary = match proposer {
            Some(p) if owing.len() == 1 && owing[0] == p => format!(
                "{} pledged at the {} summit to {action}.",
                PARTIES[p].short_name,
                summit.held_on.format("%B %Y")
            ),
            Some(p) => format!(
                "{} proposed to {action}, and {} agreed at the {} summit.",
                PARTIES[p].short_name,
                names_joined(
                    &names
                        .iter()
                        .copied()
                        .filter(|n| *n != PARTIES[p].short_name)
                        .collect::<Vec<_>>()
                ),
                summit.held_on.format("%B %Y")
            ),
            None => format!("{} agreed to {action}.", names_joined(&names)),
        };
        summary.push(' ');
        summary.push_str(&pick(&mut rng, FOLLOW_UPS).replace("{t}", second.phrase));
        if rng.bool() {
            summary.push(' ');
            summary.push_str(pick(&mut rng, CLOSINGS));
        }

        let due_on = (rng.u32(..100) < 30).then(|| add_days(summit.held_on, rng.u64(180..1_460)));
        let (due_basis, due_note) = match due_on {
            Some(due) if rng.u32(..100) < 60 => (
                Some("explicit"),
                Some(format!(
                    "The joint statement sets {} as the deadline.",
                    due.format("%B %Y")
                )),
            ),
            Some(_) => (
                Some("inferred"),
                Some(format!(
                    "From the {}-year work plan announced at the summit.",
                    pick(&mut rng, &["two", "three", "four"])
                )),
            ),
            None => (None, None),
        };

        batch.commitments.push(CommitmentRow {
            id,
            summit_id: summit.id,
            slug: slug.clone(),
            title,
            summary,
            theme: topic.theme,
            proposer: proposer.map(|p| self.party_ids[p]),
            due_on,
            due_note,
            due_basis,
            position,
            created_at: at(add_days(summit.held_on, 1), 9, 0),
        });
        for &p in &owing {
            batch.parties.push((id, self.party_ids[p]));
        }

        // The summit's readout, and sometimes press or analysis at the time.
        let host = summit.host;
        let mut source_ids = Vec::new();
        let readout = NextIds::take(&mut next.source);
        batch.sources.push(SourceRow {
            id: readout,
            publisher: PARTIES[host].ministry,
            via: rng
                .bool()
                .then(|| format!("Joint statement, {}", human_date(summit.held_on))),
            title: format!("Readout of the {}", summit.title),
            published_on: summit.held_on,
            url: Some(format!(
                "https://www.example.gov/{}/readouts/{}#item-{position}",
                PARTIES[host].code, summit.slug
            )),
            quote: format!(
                "The {} sides agreed to {action}, {}.",
                if names.len() > 2 { "three" } else { "two" },
                pick(&mut rng, READOUT_CLAUSES)
            ),
            kind: "official_readout",
        });
        source_ids.push(readout);
        // At least one report after the summit: a rating needs evidence
        // dated after the promise (the readout above is the promise).
        for _ in 0..rng.u32(1..3) {
            let source = NextIds::take(&mut next.source);
            let published_on = add_days(summit.held_on, rng.u64(1..5)).min(self.until);
            let (publisher, kind, quote) = if rng.u32(..4) == 0 {
                (
                    pick(&mut rng, ANALYSTS),
                    "analysis",
                    format!(
                        "The pledge to {action} is modest but concrete; its success will depend on {}.",
                        second.phrase
                    ),
                )
            } else {
                (
                    pick(&mut rng, PUBLISHERS),
                    "media_report",
                    format!(
                        "{} pledged to {action}, a move officials said could also help {}.",
                        names_joined(&names),
                        second.phrase
                    ),
                )
            };
            batch.sources.push(SourceRow {
                id: source,
                publisher,
                via: None,
                title: format!(
                    "{publisher}: {} leaders agree to {verb} {}",
                    names.join("–"),
                    topic.phrase
                ),
                published_on,
                url: rng.bool().then(|| {
                    format!(
                        "https://news.example.org/{}/{slug}-{source}",
                        published_on.format("%Y/%m/%d")
                    )
                }),
                quote,
                kind,
            });
            source_ids.push(source);
        }
        for &source in &source_ids {
            batch.links.push((id, source));
        }

        // The history: dates in increasing order from the summit, each
        // party's status walking from "not yet rated" towards an outcome.
        let last_day = add_days(summit.held_on, 5 * 365).min(self.until).max(summit.held_on);
        let days = (last_day - summit.held_on).num_days().max(0) as u64;
        let planned_updates = if busy { 0 } else { self.updates_per };
        let mut dates: Vec<NaiveDate> = (0..planned_updates)
            .map(|j| {
                if j == 0 && rng.u32(..100) < 30 {
                    summit.held_on
                } else {
                    add_days(summit.held_on, rng.u64(0..=days))
                }
            })
            .collect();
        dates.sort();
        let mut current = vec![Status::NotYetRated; owing.len()];
        for (j, effective_on) in dates.into_iter().enumerate() {
            let slot = if j < owing.len() { j } else { rng.usize(..owing.len()) };
            let party = owing[slot];
            let past_due = due_on.is_some_and(|due| effective_on > due);
            let status = next_status(&mut rng, current[slot], past_due);
            current[slot] = status;
            let city = pick(&mut rng, PARTIES[party].cities);
            let note = progress_note(
                &mut rng,
                status,
                past_due,
                PARTIES[party].short_name,
                topic.phrase,
                city,
            );
            let update = NextIds::take(&mut next.update);
            batch.updates.push(UpdateRow {
                id: update,
                commitment_id: id,
                party_id: self.party_ids[party],
                status: status.code(),
                effective_on,
                note: note.clone(),
                recorded_at: at(add_days(effective_on, rng.u64(0..3)), rng.u32(8..19), rng.u32(0..60)),
            });
            // Evidence: a new report about this change, or a source already cited.
            let evidence = if rng.u32(..100) < 45 {
                let source = NextIds::take(&mut next.source);
                let publisher = pick(&mut rng, PUBLISHERS);
                batch.sources.push(SourceRow {
                    id: source,
                    publisher,
                    via: None,
                    title: format!("{publisher}: {} and {}", PARTIES[party].short_name, topic.phrase),
                    published_on: effective_on,
                    url: Some(format!(
                        "https://news.example.org/{}/{slug}-{source}",
                        effective_on.format("%Y/%m/%d")
                    )),
                    quote: format!("{}{}", note.trim_end_matches('.'), pick(&mut rng, ATTRIBUTIONS)),
                    kind: "media_report",
                });
                batch.links.push((id, source));
                source_ids.push(source);
                source
            } else {
                pick(&mut rng, &source_ids)
            };
            batch.evidence.push((update, evidence));
        }
    }
}

/// One step of a party's status: mostly forward, sometimes stalling; broken
/// only once the due date has passed (or, rarely, by abandonment).
fn next_status(rng: &mut fastrand::Rng, from: Status, past_due: bool) -> Status {
    use Status::*;
    let roll = rng.u32(..100);
    match from {
        NotYetRated => match roll {
            0..=14 => NotYetRated,
            15..=79 => InProgress,
            80..=87 => Stalled,
            88..=97 => PartlyFulfilled,
            _ => Fulfilled,
        },
        InProgress => match roll {
            0..=29 => InProgress,
            30..=59 => PartlyFulfilled,
            60..=74 => Stalled,
            _ => Fulfilled,
        },
        Stalled => match roll {
            0..=39 if past_due => NotFulfilled,
            0..=2 => NotFulfilled,
            3..=59 => InProgress,
            60..=84 => Stalled,
            _ => PartlyFulfilled,
        },
        PartlyFulfilled => match roll {
            0..=44 => Fulfilled,
            45..=79 => PartlyFulfilled,
            _ => Stalled,
        },
        Fulfilled => match roll {
            0..=84 => Fulfilled,
            _ => PartlyFulfilled,
        },
        NotFulfilled => match roll {
            0..=74 => NotFulfilled,
            _ => InProgress,
        },
    }
}

fn progress_note(
    rng: &mut fastrand::Rng,
    status: Status,
    past_due: bool,
    party: &str,
    topic: &str,
    city: &str,
) -> String {
    let templates: &[&str] = match status {
        Status::NotYetRated => &[
            "Pledged at the summit; no implementation of {t} reported yet.",
            "{p} has not yet reported any step on {t}.",
        ],
        Status::InProgress => &[
            "{p} officials held a first working meeting on {t} in {c}.",
            "{p} set aside funds for {t} in its annual budget.",
            "A draft agreement on {t} was circulated to {p} ministries.",
            "{p} named a task force on {t}, which met in {c}.",
        ],
        Status::Stalled => &[
            "Talks on {t} were postponed without a new date.",
            "{p} suspended work on {t} pending a review.",
            "No meeting on {t} has taken place since the last round in {c}.",
        ],
        Status::PartlyFulfilled => &[
            "A first agreement covering part of {t} was signed in {c}.",
            "{p} completed the first phase of {t}; later phases are pending.",
        ],
        Status::Fulfilled => &[
            "{p} completed its part: the agreement on {t} entered into force.",
            "The last step on {t} was completed in {c}, as the joint statement required.",
        ],
        Status::NotFulfilled if past_due => &[
            "The deadline for {t} passed without delivery by {p}.",
            "{p} missed the agreed date for {t}; no new date was set.",
        ],
        Status::NotFulfilled => &["{p} announced it had abandoned its plans on {t}."],
    };
    pick(rng, templates)
        .replace("{p}", party)
        .replace("{t}", topic)
        .replace("{c}", city)
}

// ------------------------------------------------------------------ word lists

struct PartyDef {
    code: &'static str,
    name: &'static str,
    short_name: &'static str,
    leader: &'static str,
    ministry: &'static str,
    cities: &'static [&'static str],
}

/// cn and kr as the shipped seed data has them (an existing row is kept).
const PARTIES: &[PartyDef] = &[
    PartyDef {
        code: "cn",
        name: "People's Republic of China",
        short_name: "China",
        leader: "Xi Jinping",
        ministry: "Ministry of Foreign Affairs of the People's Republic of China",
        cities: &["Beijing", "Shanghai", "Qingdao", "Weihai", "Dalian", "Guangzhou"],
    },
    PartyDef {
        code: "kr",
        name: "Republic of Korea",
        short_name: "South Korea",
        leader: "Lee Jae-myung",
        ministry: "Ministry of Foreign Affairs of the Republic of Korea",
        cities: &["Seoul", "Busan", "Incheon", "Gyeongju", "Jeju"],
    },
    PartyDef {
        code: "jp",
        name: "Japan",
        short_name: "Japan",
        leader: "Prime Minister of Japan",
        ministry: "Ministry of Foreign Affairs of Japan",
        cities: &["Tokyo", "Osaka", "Hiroshima", "Fukuoka", "Kobe"],
    },
    PartyDef {
        code: "us",
        name: "United States of America",
        short_name: "United States",
        leader: "President of the United States",
        ministry: "U.S. Department of State",
        cities: &["Washington", "San Francisco", "Honolulu", "New York"],
    },
    PartyDef {
        code: "vn",
        name: "Socialist Republic of Viet Nam",
        short_name: "Viet Nam",
        leader: "President of Viet Nam",
        ministry: "Ministry of Foreign Affairs of Viet Nam",
        cities: &["Hanoi", "Ho Chi Minh City", "Da Nang", "Hai Phong"],
    },
    PartyDef {
        code: "in",
        name: "Republic of India",
        short_name: "India",
        leader: "Prime Minister of India",
        ministry: "Ministry of External Affairs of India",
        cities: &["New Delhi", "Mumbai", "Chennai", "Kolkata"],
    },
    PartyDef {
        code: "au",
        name: "Commonwealth of Australia",
        short_name: "Australia",
        leader: "Prime Minister of Australia",
        ministry: "Australian Department of Foreign Affairs and Trade",
        cities: &["Canberra", "Sydney", "Perth", "Darwin"],
    },
];

// Indices into PARTIES: cn 0, kr 1, jp 2, us 3, vn 4, in 5, au 6.
const SUMMIT_PAIRS: &[(&[usize], u32)] = &[
    (&[0, 1], 20),
    (&[2, 1], 12),
    (&[1, 3], 12),
    (&[0, 2], 8),
    (&[0, 4], 6),
    (&[2, 3], 10),
    (&[3, 4], 5),
    (&[1, 4], 5),
    (&[5, 2], 5),
    (&[6, 3], 4),
    (&[6, 0], 4),
    (&[5, 3], 4),
    (&[0, 2, 1], 5),
    (&[2, 1, 3], 5),
];

#[derive(Clone, Copy)]
struct Topic {
    phrase: &'static str,
    theme: &'static str,
}

const fn topic(phrase: &'static str, theme: &'static str, weight: u32) -> (Topic, u32) {
    (Topic { phrase, theme }, weight)
}

/// What commitments are about, with how often each comes up: "trade" is
/// common, "climate" and "tourism" frequent, "semiconductor" and "fraud"
/// occasional, "ferry" rare.
const TOPICS: &[(Topic, u32)] = &[
    topic("bilateral trade in agricultural goods", "economy", 40),
    topic("trade facilitation at border crossings", "economy", 30),
    topic("the second phase of the free trade agreement", "economy", 25),
    topic("trade finance for small exporters", "economy", 15),
    topic("semiconductor supply chains", "economy", 14),
    topic("joint semiconductor research", "economy", 8),
    topic("critical minerals supply", "economy", 12),
    topic("battery and electric vehicle investment", "economy", 12),
    topic("investment protection", "economy", 15),
    topic("currency swap arrangements", "economy", 8),
    topic("customs data exchange", "economy", 12),
    topic("e-commerce and digital payments", "economy", 14),
    topic("shipbuilding cooperation", "economy", 8),
    topic("fisheries management", "economy", 10),
    topic("food safety standards", "economy", 10),
    topic("green hydrogen projects", "economy", 10),
    topic("liquefied natural gas supply", "economy", 8),
    topic("artificial intelligence standards", "economy", 12),
    topic("intellectual property protection", "economy", 8),
    topic("infrastructure financing", "economy", 10),
    topic("strategic communication between foreign ministries", "diplomacy", 20),
    topic("a leaders' hotline", "diplomacy", 6),
    topic("regular talks between defence ministers", "diplomacy", 8),
    topic("consular protection of nationals", "diplomacy", 10),
    topic("a joint history research committee", "diplomacy", 4),
    topic("action against telecom fraud and online gambling", "security", 8),
    topic("cross-border investment fraud", "security", 4),
    topic("customs fraud and smuggling", "security", 3),
    topic("drug trafficking", "security", 8),
    topic("cybersecurity incident response", "security", 10),
    topic("maritime search and rescue", "security", 8),
    topic("coast guard communication", "security", 6),
    topic("tourism promotion", "people_to_people", 20),
    topic("visa-free travel for tourism", "people_to_people", 10),
    topic("ferry routes between port cities", "people_to_people", 6),
    topic("passenger ferry services", "people_to_people", 3),
    topic("direct flights and aviation routes", "people_to_people", 12),
    topic("student exchange programmes", "people_to_people", 15),
    topic("scholarships for young researchers", "people_to_people", 8),
    topic("youth and sister-city exchanges", "people_to_people", 10),
    topic("film and television co-productions", "people_to_people", 6),
    topic("cultural heritage preservation", "people_to_people", 6),
    topic("climate finance for developing countries", "multilateral", 14),
    topic("climate change adaptation", "multilateral", 12),
    topic("emission reductions in heavy industry", "multilateral", 10),
    topic("pandemic preparedness and vaccine supply", "multilateral", 10),
    topic("disaster relief coordination", "multilateral", 8),
    topic("World Trade Organization reform", "multilateral", 8),
    topic("regional economic integration", "multilateral", 10),
    topic("ocean plastic pollution", "multilateral", 6),
];

const VERBS: &[&str] = &[
    "expand",
    "strengthen",
    "deepen cooperation on",
    "launch a dialogue on",
    "set up a working group on",
    "resume talks on",
    "sign an agreement on",
    "promote",
    "step up cooperation on",
    "conclude negotiations on",
    "review progress on",
    "create a joint fund for",
    "hold annual consultations on",
];

const QUALIFIERS: &[&str] = &[
    " in border regions",
    " for small and medium-sized firms",
    " over the next five years",
    " with an annual review",
];

const FOLLOW_UPS: &[&str] = &[
    "Officials said the step would also support {t}.",
    "The leaders linked the plan to earlier work on {t}.",
    "Ministers are to report on progress, including on {t}, before the next summit.",
    "Business groups welcomed the plan, which also touches on {t}.",
    "Critics noted that past pledges on {t} were slow to materialise.",
];

const CLOSINGS: &[&str] = &[
    "A joint working group will meet twice a year.",
    "No budget was announced.",
    "Details are to be set out in a memorandum of understanding.",
    "The commitment builds on an agreement signed at an earlier summit.",
];

const READOUT_CLAUSES: &[&str] = &[
    "and to keep each other informed of progress",
    "in the spirit of mutual benefit",
    "and instructed the relevant ministries to draw up a work plan",
    "and welcomed the memorandum of understanding signed on the occasion",
];

const PUBLISHERS: &[&str] = &[
    "Reuters",
    "Associated Press",
    "Yonhap News Agency",
    "Kyodo News",
    "Xinhua News Agency",
    "VnExpress",
    "The Hindu",
    "ABC News",
    "Nikkei Asia",
    "The Korea Herald",
    "South China Morning Post",
];

const ANALYSTS: &[&str] = &[
    "Lowy Institute",
    "Asan Institute for Policy Studies",
    "East Asia Forum",
    "Chatham House",
];

const ATTRIBUTIONS: &[&str] = &[
    ", officials said.",
    ", according to a government statement.",
    ", the ministry said in a briefing.",
    ", people familiar with the matter said.",
];

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{ListQuery, SearchText};
    use sqlx::SqlitePool;
    use std::collections::HashMap;

    fn options(commitments: u64, updates_per: u32) -> GenerateOptions {
        GenerateOptions {
            commitments,
            updates_per,
            seed: 7,
            batch: 128,
            until: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            busy_updates: 0,
            recorded_at: Utc.with_ymd_and_hms(2026, 11, 2, 9, 30, 0).unwrap(),
        }
    }

    fn plan(options: &GenerateOptions, from: u64, to: u64) -> Batch {
        let planner = Planner::new(options, (1..=PARTIES.len() as i64).collect(), 1);
        let mut next = NextIds {
            commitment: 1,
            source: 1,
            update: 1,
        };
        let mut batch = Batch::default();
        for index in from..to {
            planner.commitment(index, &mut next, &mut batch);
        }
        batch
    }

    #[test]
    fn a_seed_gives_the_same_data_and_another_seed_other_data() {
        let a = plan(&options(50, 4), 0, 50);
        let b = plan(&options(50, 4), 0, 50);
        let titles = |batch: &Batch| batch.commitments.iter().map(|c| c.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&a), titles(&b));
        let mut other = options(50, 4);
        other.seed = 8;
        assert_ne!(titles(&a), titles(&plan(&other, 0, 50)));
    }

    #[test]
    fn planned_rows_are_well_formed() {
        let options = options(1_200, 6);
        let batch = plan(&options, 0, 1_200);
        for c in &batch.commitments {
            Slug::parse(&c.slug).unwrap_or_else(|e| panic!("{}: {e}", c.slug));
        }
        let mut last: HashMap<i64, NaiveDate> = HashMap::new();
        for u in &batch.updates {
            assert!(u.effective_on <= options.until);
            let previous = last.insert(u.commitment_id, u.effective_on);
            assert!(previous.is_none_or(|p| p <= u.effective_on), "dates increase");
        }
        assert_eq!(batch.updates.len(), 1_200 * 6);
        assert_eq!(batch.evidence.len(), batch.updates.len());
        let with_due = batch.commitments.iter().filter(|c| c.due_on.is_some()).count();
        assert!((250..=470).contains(&with_due), "about 30% have a due date: {with_due}");
    }

    #[sqlx::test(migrations = "../migrations/sqlite")]
    async fn the_busy_commitment_gets_its_changes_through_the_write_path(pool: SqlitePool) {
        let options = GenerateOptions {
            busy_updates: 61,
            ..options(0, 3)
        };
        let generated = generate(&pool, &options, |_| {}).await.unwrap();
        assert_eq!(
            generated.busy_commitment.as_ref().map(Slug::as_str),
            Some(BUSY_COMMITMENT_SLUG)
        );
        assert_eq!((generated.commitments, generated.status_updates), (1, 61));
        let row: (i64, i64, i64, String, Option<String>) = sqlx::query_as(
            "SELECT c.version, (SELECT count(*) FROM revisions r WHERE r.commitment_id = c.id),
                    (SELECT count(*) FROM status_update_sources e JOIN status_updates u ON u.id = e.status_update_id
                     JOIN sources s ON s.id = e.source_id JOIN summits m ON m.id = c.summit_id
                     WHERE u.commitment_id = c.id AND s.dated_on > m.held_on),
                    c.overall_status, c.last_changed_on
             FROM commitments c WHERE c.slug = ?1",
        )
        .bind(BUSY_COMMITMENT_SLUG)
        .fetch_one(&pool)
        .await
        .unwrap();
        // A version and a revision per change, each citing a source dated
        // after the summit.
        assert_eq!((row.0, row.1, row.2), (62, 61, 61));
        let record = crate::commitments::find_commitment_by_slug(&pool, &Slug::parse(BUSY_COMMITMENT_SLUG).unwrap())
            .await
            .unwrap()
            .unwrap();
        let statuses: Vec<Status> = record.commitment.party_statuses.iter().map(|p| p.status).collect();
        assert!(statuses.len() >= 2, "owed by every party of the summit");
        assert!(statuses.iter().all(|s| *s != Status::NotYetRated), "{statuses:?}");
        assert_eq!(row.3, Status::overall(statuses.iter().copied()).code());
        assert_eq!(
            row.4.as_deref(),
            Some(record.timeline[0].effective_on.to_string().as_str())
        );
        let parties: std::collections::HashSet<_> = record.timeline.iter().map(|u| u.party.code.clone()).collect();
        assert_eq!(parties.len(), statuses.len(), "the parties take turns");
        // A second busy commitment in the same database is refused, clearly.
        let again = generate(&pool, &options, |_| {}).await.unwrap_err();
        assert!(again.to_string().contains(BUSY_COMMITMENT_SLUG), "{again}");
    }

    #[sqlx::test(migrations = "../migrations/sqlite")]
    async fn generated_rows_go_through_the_triggers(pool: SqlitePool) {
        let options = options(300, 3);
        let mut reported = Vec::new();
        let generated = generate(&pool, &options, |done| reported.push(done)).await.unwrap();
        assert_eq!(reported, vec![128, 256, 300]);
        assert_eq!(generated.commitments, 300);
        assert_eq!(generated.summits, 1);
        assert_eq!(generated.status_updates, 900);

        let count = |sql: &'static str| {
            let pool = pool.clone();
            async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
        };
        assert_eq!(count("SELECT count(*) FROM commitments").await, 300);
        assert_eq!(count("SELECT count(*) FROM status_updates").await, 900);
        assert_eq!(count("SELECT count(*) FROM status_update_sources").await, 900);
        assert_eq!(count("SELECT count(*) FROM summits").await, 1);
        assert_eq!(
            count("SELECT count(*) FROM commitment_parties").await,
            generated.commitment_parties as i64
        );
        assert_eq!(count("SELECT count(*) FROM sources").await, generated.sources as i64);
        assert_eq!(count("SELECT count(*) FROM commitment_search").await, 300);
        // Every piece of evidence is also a source of its commitment.
        assert_eq!(
            count(
                "SELECT count(*) FROM status_update_sources e JOIN status_updates u ON u.id = e.status_update_id
                 WHERE NOT EXISTS (SELECT 1 FROM commitment_sources cs
                                   WHERE cs.commitment_id = u.commitment_id AND cs.source_id = e.source_id)"
            )
            .await,
            0
        );

        // Each party's stored status is its latest update (by date, then id).
        assert_eq!(
            count(
                "SELECT count(*) FROM commitment_parties cp
                 WHERE cp.status <> coalesce((SELECT su.status FROM status_updates su
                                              WHERE su.commitment_id = cp.commitment_id AND su.party_id = cp.party_id
                                              ORDER BY su.effective_on DESC, su.id DESC LIMIT 1), 'not_yet_rated')"
            )
            .await,
            0
        );
        // The overall status is what the Rust rule gives from those.
        let parties: Vec<(i64, String)> = sqlx::query_as("SELECT commitment_id, status FROM commitment_parties")
            .fetch_all(&pool)
            .await
            .unwrap();
        let mut by_commitment: HashMap<i64, Vec<Status>> = HashMap::new();
        for (id, status) in parties {
            by_commitment.entry(id).or_default().push(status.parse().unwrap());
        }
        let rows: Vec<(i64, String, Option<String>, i64, i64)> = sqlx::query_as(
            "SELECT c.id, c.overall_status, c.last_changed_on, c.source_count,
                    (SELECT count(*) FROM commitment_sources cs WHERE cs.commitment_id = c.id)
             FROM commitments c",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        let mut seen = std::collections::HashSet::new();
        for (id, overall, last_changed, source_count, linked) in rows {
            let expected = Status::overall(by_commitment[&id].iter().copied());
            assert_eq!(overall, expected.code(), "commitment {id}");
            seen.insert(expected);
            assert_eq!(source_count, linked, "commitment {id}");
            let latest: Option<String> =
                sqlx::query_scalar("SELECT max(effective_on) FROM status_updates WHERE commitment_id = ?1")
                    .bind(id)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            assert_eq!(last_changed, latest);
        }
        assert!(seen.len() >= 4, "a spread of statuses: {seen:?}");

        // The search index finds generated words, as the list's filter uses it.
        for word in ["trade", "climate", "tourism"] {
            let query = ListQuery {
                search: SearchText::parse(word).unwrap(),
                page: 1,
                ..Default::default()
            };
            let found = crate::listing::match_commitments(
                &pool,
                &query,
                &crate::listing::ZoneDays::at(&pool, options.until.and_hms_opt(12, 0, 0).unwrap().and_utc())
                    .await
                    .unwrap(),
            )
            .await
            .unwrap();
            let like: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM commitments c WHERE c.title LIKE ?1 OR c.summary LIKE ?1
                 OR EXISTS (SELECT 1 FROM commitment_sources cs JOIN sources s ON s.id = cs.source_id
                            WHERE cs.commitment_id = c.id AND s.quote LIKE ?1)",
            )
            .bind(format!("%{word}%"))
            .fetch_one(&pool)
            .await
            .unwrap();
            assert!(!found.is_empty(), "search finds {word}");
            assert_eq!(
                found.len() as i64,
                like,
                "search for {word} matches every text containing it"
            );
        }

        // A second run adds to the first without clashing.
        let more = generate(&pool, &options, |_| {}).await.unwrap();
        assert_eq!(more.commitments, 300);
        assert_eq!(count("SELECT count(*) FROM commitments").await, 600);
        assert_eq!(count("SELECT count(*) FROM summits").await, 2);
    }
}

//! Copying a site from SQLite to PostgreSQL, and checking that two sites
//! hold the same data (`accord migrate-db`, and the test that the two
//! engines' triggers derive the same columns and counts).
//!
//! Only what editors and readers wrote is copied: the columns and tables
//! that triggers keep (statuses, overall statuses, the history's days,
//! search) are left for PostgreSQL's own triggers to fill, the kept counts
//! are counted once when every row is in, and the comparison then checks
//! every table, those included, row by row. Rows
//! are copied in an order that replays the site's writes (by primary key,
//! so status changes in the order they were recorded), in one PostgreSQL
//! transaction, from one SQLite read transaction (a consistent snapshot
//! while the site keeps serving).
//!
//! The SQL is built at run time from the schema both catalogues report
//! (`schema_report`), which must agree first; table and column names come
//! from those catalogues, never from input, and every table must be listed
//! here as copied or derived, so a new table cannot be forgotten.

use std::collections::BTreeMap;

// Every statement built here names only tables and columns read from the
// engines' own catalogues (and checked against the lists below), quoted;
// values are always bound, hence `AssertSqlSafe`.
use sqlx::{AssertSqlSafe, PgConnection, PgPool, Postgres, Row, SqlitePool, Transaction, TypeInfo, ValueRef};

use crate::schema_report::{self, ColumnKind, Schema, Table};

/// Tables copied row by row, in this order (parents before children).
pub const COPIED_TABLES: &[&str] = &[
    "summits",
    "parties",
    "users",
    "commitments",
    "commitment_parties",
    "sources",
    "source_versions",
    "commitment_sources",
    "commitment_translations",
    "summit_translations",
    "status_updates",
    "status_update_sources",
    "revisions",
    "suggestions",
    "data_corrections",
    "sessions",
    "failed_logins",
];

/// Tables the triggers fill: compared, never copied.
pub const DERIVED_TABLES: &[&str] = &[
    "list_counts",
    "due_month_counts",
    "overall_status_days",
    "status_totals",
    "due_month_totals",
    "summit_status_months",
];

/// Tables of what is on its way and kept a minute (forms' refusals between
/// a post and its page): neither copied nor compared.
pub const PASSING_TABLES: &[&str] = &["form_flashes"];

/// The derived tables of counts. A row at zero counts for nothing, and which
/// zero rows exist depends on the order of past writes (a commitment moved
/// leaves its old summit's rows at 0; PostgreSQL's triggers, firing at the
/// end of each statement, pass through other states than SQLite's), so
/// rows at zero are left out when two sites are compared.
pub(crate) const COUNT_TABLES: &[&str] = &[
    "list_counts",
    "due_month_counts",
    "status_totals",
    "due_month_totals",
    "summit_status_months",
];

/// Columns the triggers keep (besides generated columns): compared, never
/// copied.
const DERIVED_COLUMNS: &[(&str, &str)] = &[
    ("commitments", "overall_status"),
    ("commitments", "last_changed_on"),
    ("commitments", "source_count"),
    ("commitments", "summit_held_on"),
    ("commitment_parties", "status"),
    ("commitment_parties", "status_since"),
    ("commitment_parties", "status_update_id"),
    ("commitment_parties", "summit_id"),
    ("commitment_parties", "theme"),
    ("commitment_parties", "overall_status"),
    ("commitment_parties", "due_on"),
];

/// Columns whose values differ by design while their order agrees: the
/// title sort key is the title under SQLite's NOCASE collation there and
/// the title with ASCII letters lower-cased here (PostgreSQL has no
/// collation that folds ASCII only). The engines test checks that both
/// sort the commitments alike by it.
const ENGINE_SPECIFIC_COLUMNS: &[(&str, &str)] = &[("commitments", "title_order")];

/// Why a copy or a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SiteCopyError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("the two databases' schemas differ (are both migrated to the same version?): {0:?}")]
    SchemaMismatch(Vec<String>),
    #[error("table {0} is neither copied nor derived: site_copy must be told what to do with it")]
    UnknownTable(String),
    #[error("the PostgreSQL database already holds a site ({0} summits); copy into an empty one")]
    TargetNotEmpty(i64),
    #[error("{table}.{column}: a value of another kind than the column's ({kind:?})")]
    KindMismatch {
        table: String,
        column: String,
        kind: ColumnKind,
    },
}

/// What to copy besides the site's data.
#[derive(Clone, Copy, Debug)]
pub struct CopyOptions {
    /// Keep everyone signed in (copy `sessions`); otherwise editors sign in
    /// again on the new site.
    pub keep_sessions: bool,
}

/// Rows copied, by table, in copy order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CopyReport {
    pub tables: Vec<(String, u64)>,
}

/// One table of two sites, compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableComparison {
    pub table: String,
    pub sqlite_rows: u64,
    pub postgres_rows: u64,
    /// The first row (in primary-key order) that differs, both versions.
    pub first_difference: Option<String>,
}

impl TableComparison {
    pub fn matches(&self) -> bool {
        self.sqlite_rows == self.postgres_rows && self.first_difference.is_none()
    }
}

/// A value as both engines can hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Null,
    Integer(i64),
    Text(String),
    Bytes(Vec<u8>),
}

fn is_derived(table: &str, column: &str, schema_table: &Table) -> bool {
    DERIVED_COLUMNS.contains(&(table, column)) || schema_table.columns.get(column).is_some_and(|c| c.generated)
}

/// Both schemas, once they are known to agree and to hold only tables this
/// module knows.
async fn agreed_schema(from: &SqlitePool, to: &PgPool) -> Result<Schema, SiteCopyError> {
    let sqlite = schema_report::sqlite_schema(from).await?;
    let postgres = schema_report::postgres_schema(to).await?;
    let differences = sqlite.differences(&postgres);
    if !differences.is_empty() {
        return Err(SiteCopyError::SchemaMismatch(differences));
    }
    if let Some(unknown) = sqlite.tables.keys().find(|t| {
        let t = t.as_str();
        !COPIED_TABLES.contains(&t) && !DERIVED_TABLES.contains(&t) && !PASSING_TABLES.contains(&t)
    }) {
        return Err(SiteCopyError::UnknownTable(unknown.clone()));
    }
    Ok(sqlite)
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn column_list(columns: &[(String, ColumnKind)]) -> String {
    columns.iter().map(|(c, _)| quoted(c)).collect::<Vec<_>>().join(", ")
}

fn key_order(table: &Table) -> String {
    if table.primary_key.is_empty() {
        "1".into()
    } else {
        table
            .primary_key
            .iter()
            .map(|c| quoted(c))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Reads a SQLite value by its storage class, as the column's kind.
fn sqlite_value(row: &sqlx::sqlite::SqliteRow, index: usize, kind: &ColumnKind) -> Result<Value, sqlx::Error> {
    let raw = row.try_get_raw(index)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let class = raw.type_info().name().to_string();
    let value = match class.as_str() {
        "INTEGER" => Value::Integer(row.try_get(index)?),
        "REAL" => Value::Text(row.try_get::<f64, _>(index)?.to_string()),
        "BLOB" => Value::Bytes(row.try_get(index)?),
        _ => Value::Text(row.try_get(index)?),
    };
    // SQLite keeps what it is given: a number in a text column reads back
    // as the text PostgreSQL would hold, and text in a BLOB column (the
    // sessions' JSON) as its UTF-8 bytes, which PostgreSQL's BYTEA holds.
    Ok(match (kind, value) {
        (ColumnKind::Text, Value::Integer(n)) => Value::Text(n.to_string()),
        (ColumnKind::Bytes, Value::Text(text)) => Value::Bytes(text.into_bytes()),
        (_, value) => value,
    })
}

fn postgres_value(row: &sqlx::postgres::PgRow, index: usize, kind: &ColumnKind) -> Result<Value, sqlx::Error> {
    Ok(match kind {
        ColumnKind::Integer => row
            .try_get::<Option<i64>, _>(index)?
            .map_or(Value::Null, Value::Integer),
        ColumnKind::Bytes => row
            .try_get::<Option<Vec<u8>>, _>(index)?
            .map_or(Value::Null, Value::Bytes),
        _ => row
            .try_get::<Option<String>, _>(index)?
            .map_or(Value::Null, Value::Text),
    })
}

/// The columns of `table` in a stable order, with their kinds.
fn columns_of(name: &str, table: &Table, copied_only: bool) -> Vec<(String, ColumnKind)> {
    table
        .columns
        .iter()
        .filter(|(column, _)| !copied_only || !is_derived(name, column, table))
        .map(|(column, c)| (column.clone(), c.kind.clone()))
        .collect()
}

/// Rows read or compared per statement: memory stays bounded whatever the
/// site's size.
const PAGE_ROWS: usize = 1_000;

fn sqlite_placeholder(n: usize) -> String {
    format!("?{n}")
}

fn postgres_placeholder(n: usize) -> String {
    format!("${n}")
}

/// The statement that reads the next page of `columns` of `name` in key
/// order: from the start, or (`after`) past a key bound as its first
/// parameters.
fn page_select(
    name: &str,
    table: &Table,
    columns: &[(String, ColumnKind)],
    placeholder: fn(usize) -> String,
    after: bool,
) -> String {
    let key = key_order(table);
    let mut conditions = Vec::new();
    if after {
        let bound: Vec<String> = (1..=table.primary_key.len()).map(placeholder).collect();
        conditions.push(format!("({key}) > ({})", bound.join(", ")));
    }
    if COUNT_TABLES.contains(&name) {
        conditions.push("\"count\" <> 0".into());
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    format!(
        "SELECT {} FROM {}{filter} ORDER BY {key} LIMIT {PAGE_ROWS}",
        column_list(columns),
        quoted(name)
    )
}

/// Where each key column sits among `columns`.
fn key_positions(table: &Table, columns: &[(String, ColumnKind)]) -> Vec<usize> {
    table
        .primary_key
        .iter()
        .filter_map(|key| columns.iter().position(|(column, _)| column == key))
        .collect()
}

/// Binds a value as its column's kind: a NULL is a NULL of that kind.
fn bind_value<'q, DB>(
    statement: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    kind: &ColumnKind,
    value: Value,
) -> Option<sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>>
where
    DB: sqlx::Database,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<Vec<u8>>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    Some(match (kind, value) {
        (ColumnKind::Integer, Value::Integer(n)) => statement.bind(Some(n)),
        (ColumnKind::Integer, Value::Null) => statement.bind(None::<i64>),
        (ColumnKind::Bytes, Value::Bytes(b)) => statement.bind(Some(b)),
        (ColumnKind::Bytes, Value::Null) => statement.bind(None::<Vec<u8>>),
        (ColumnKind::Text, Value::Text(t)) => statement.bind(Some(t)),
        (ColumnKind::Text, Value::Null) => statement.bind(None::<String>),
        _ => return None,
    })
}

/// A table's rows read a page at a time, in key order, from either engine.
struct Pages<'a> {
    name: &'a str,
    table: &'a Table,
    columns: &'a [(String, ColumnKind)],
    keys: Vec<usize>,
    /// The key of the last row read; `None` before the first page.
    last: Option<Vec<Value>>,
    done: bool,
}

impl<'a> Pages<'a> {
    fn new(name: &'a str, table: &'a Table, columns: &'a [(String, ColumnKind)]) -> Pages<'a> {
        Pages {
            name,
            table,
            columns,
            keys: key_positions(table, columns),
            last: None,
            done: false,
        }
    }

    fn mismatch(&self, column: usize) -> SiteCopyError {
        SiteCopyError::KindMismatch {
            table: self.name.into(),
            column: self.columns[column].0.clone(),
            kind: self.columns[column].1.clone(),
        }
    }

    fn remember(&mut self, page: &[Vec<Value>]) {
        match page.last() {
            Some(row) if page.len() == PAGE_ROWS => {
                self.last = Some(self.keys.iter().map(|&k| row[k].clone()).collect());
            }
            _ => self.done = true,
        }
    }

    /// The next page's statement, with `placeholder`s for the key it
    /// starts past; `None` once every row was read.
    fn next_select(&self, placeholder: fn(usize) -> String) -> Option<String> {
        (!self.done).then(|| page_select(self.name, self.table, self.columns, placeholder, self.last.is_some()))
    }

    /// The key the next page starts past, with each key column's kind.
    fn last_key(&self) -> Vec<(usize, Value)> {
        self.keys
            .iter()
            .copied()
            .zip(self.last.clone().unwrap_or_default())
            .collect()
    }

    /// The rows read, as values, remembered as the page just read.
    fn take_page<R>(
        &mut self,
        rows: &[R],
        value: fn(&R, usize, &ColumnKind) -> Result<Value, sqlx::Error>,
    ) -> Result<Vec<Vec<Value>>, SiteCopyError> {
        let page = rows
            .iter()
            .map(|row| {
                (0..self.columns.len())
                    .map(|i| value(row, i, &self.columns[i].1))
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.remember(&page);
        Ok(page)
    }

    async fn next_sqlite(&mut self, connection: &mut sqlx::SqliteConnection) -> Result<Vec<Vec<Value>>, SiteCopyError> {
        let Some(sql) = self.next_select(sqlite_placeholder) else {
            return Ok(Vec::new());
        };
        let mut statement = sqlx::query(AssertSqlSafe(sql));
        for (k, value) in self.last_key() {
            statement = bind_value(statement, &self.columns[k].1, value).ok_or_else(|| self.mismatch(k))?;
        }
        let rows = statement.fetch_all(&mut *connection).await?;
        self.take_page(&rows, sqlite_value)
    }

    async fn next_postgres(&mut self, connection: &mut sqlx::PgConnection) -> Result<Vec<Vec<Value>>, SiteCopyError> {
        let Some(sql) = self.next_select(postgres_placeholder) else {
            return Ok(Vec::new());
        };
        let mut statement = sqlx::query(AssertSqlSafe(sql));
        for (k, value) in self.last_key() {
            statement = bind_value(statement, &self.columns[k].1, value).ok_or_else(|| self.mismatch(k))?;
        }
        let rows = statement.fetch_all(&mut *connection).await?;
        self.take_page(&rows, postgres_value)
    }
}

/// Writes `rows` into `name`, one statement per row (their triggers then
/// run row by row, as they did on SQLite).
async fn insert_rows(
    target: &mut sqlx::PgConnection,
    name: &str,
    columns: &[(String, ColumnKind)],
    rows: Vec<Vec<Value>>,
) -> Result<(), SiteCopyError> {
    let placeholders: Vec<String> = (1..=columns.len()).map(postgres_placeholder).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quoted(name),
        column_list(columns),
        placeholders.join(", ")
    );
    for row in rows {
        let mut statement = sqlx::query(AssertSqlSafe(sql.as_str()));
        for (index, value) in row.into_iter().enumerate() {
            let kind = &columns[index].1;
            statement = bind_value(statement, kind, value).ok_or_else(|| SiteCopyError::KindMismatch {
                table: name.into(),
                column: columns[index].0.clone(),
                kind: kind.clone(),
            })?;
        }
        statement.execute(&mut *target).await?;
    }
    Ok(())
}

/// Copies the SQLite site at `from` into the empty, migrated PostgreSQL
/// database at `to`, in one transaction: nothing is left half-copied.
pub async fn copy_site(from: &SqlitePool, to: &PgPool, options: CopyOptions) -> Result<CopyReport, SiteCopyError> {
    let schema = agreed_schema(from, to).await?;
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM summits").fetch_one(to).await?;
    if existing > 0 {
        return Err(SiteCopyError::TargetNotEmpty(existing));
    }
    let mut source = from.begin().await?;
    let mut target = to.begin().await?;
    // The kept counts are counted once at the end, not stepped by every
    // row replayed: in one transaction those steps piled up row versions
    // on a few rows, and each cost more than the last (migration
    // 20251218000000 says more). Only this transaction is affected.
    sqlx::query("SET LOCAL accord.defer_counts = 'on'")
        .execute(&mut *target)
        .await?;
    let mut report = CopyReport::default();
    let site_tables: Vec<String> = schema
        .tables
        .keys()
        .map(|t| quoted(t))
        .chain(std::iter::once(quoted("commitment_search")))
        .collect();
    let analyze = format!("ANALYZE {}", site_tables.join(", "));
    for &name in COPIED_TABLES {
        if name == "sessions" && !options.keep_sessions {
            continue;
        }
        let table = &schema.tables[name];
        let columns = columns_of(name, table, true);
        let mut pages = Pages::new(name, table, &columns);
        let mut copied = 0_u64;
        let mut pages_copied = 0_u64;
        loop {
            let page = pages.next_sqlite(&mut source).await?;
            if page.is_empty() {
                break;
            }
            copied += page.len() as u64;
            insert_rows(&mut target, name, &columns, page).await?;
            pages_copied += 1;
            // The table being copied is looked up by its own rows' triggers
            // (a status change reads the party's earlier ones), so its
            // statistics must grow with it: after 1, 2, 4, 8 … pages, a
            // number of ANALYZEs that grows with the log of its size.
            if pages_copied.is_power_of_two() {
                sqlx::query(AssertSqlSafe(analyze.as_str()))
                    .execute(&mut *target)
                    .await?;
            }
        }
        // The triggers of the next tables look rows up in this one and in
        // the derived ones. Without statistics (a new database, and rows no
        // other transaction sees yet), PostgreSQL planned those lookups for
        // empty tables and each insert cost more the more was copied: 500
        // source links took 2.7 s after 20,000 commitments, and 0.1 s after
        // an ANALYZE. ANALYZE in a transaction sees its own rows, and it
        // makes the triggers' cached plans be made again. Only the site's
        // tables: a bare ANALYZE reads the system catalogues too.
        sqlx::query(AssertSqlSafe(analyze.as_str()))
            .execute(&mut *target)
            .await?;
        report.tables.push((name.to_string(), copied));
    }
    sqlx::query("SELECT recount_kept_tables()")
        .execute(&mut *target)
        .await?;
    restart_identities(&mut target, &schema).await?;
    target.commit().await?;
    source.rollback().await?;
    vacuum_site(to, &site_tables).await?;
    Ok(report)
}

/// Rewrites the copied tables without the row versions the copy left
/// behind, and gives the planner the site's statistics. Replaying every
/// write in one transaction leaves several dead versions of each
/// commitment (every status change updated its row): on 100,000
/// commitments, 1.2 million dead rows and a 1.1 GB heap for 100,000 live
/// ones, which reads walked past. A plain VACUUM (or autovacuum, where it
/// runs) frees that space but leaves the table as large and its live rows
/// as scattered; VACUUM FULL writes it again, 65 MB, in 20 s at that size.
/// It locks each table while it does: the new site is not served yet.
/// VACUUM cannot run in a transaction: this is after the commit.
async fn vacuum_site(to: &PgPool, site_tables: &[String]) -> Result<(), sqlx::Error> {
    let vacuum = format!("VACUUM (FULL, ANALYZE) {}", site_tables.join(", "));
    sqlx::raw_sql(AssertSqlSafe(vacuum)).execute(to).await?;
    Ok(())
}

/// Moves each identity column's sequence past the ids copied, so that the
/// next row PostgreSQL numbers does not collide with a copied one.
async fn restart_identities(target: &mut Transaction<'_, Postgres>, schema: &Schema) -> Result<(), sqlx::Error> {
    for (name, table) in &schema.tables {
        if table.primary_key != ["id"] || table.columns.get("id").map(|c| &c.kind) != Some(&ColumnKind::Integer) {
            continue;
        }
        restart_identity(target, name).await?;
    }
    Ok(())
}

/// Moves `table`'s id sequence past the largest id it holds (the rows were
/// given their ids by a copy or by `generate`, not by the sequence).
pub(crate) async fn restart_identity(target: &mut PgConnection, table: &str) -> Result<(), sqlx::Error> {
    let sql = format!(
        "SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce(max(id), 0) + 1, false) FROM {}",
        quoted(table)
    );
    sqlx::query(AssertSqlSafe(sql.as_str()))
        .bind(table)
        .execute(target)
        .await?;
    Ok(())
}

/// Compares every copied and derived table of the two sites, row by row
/// in primary-key order (`sessions` only when `with_sessions`), a page at
/// a time, each side from one read transaction.
pub async fn compare_sites(
    from: &SqlitePool,
    to: &PgPool,
    with_sessions: bool,
) -> Result<Vec<TableComparison>, SiteCopyError> {
    let schema = agreed_schema(from, to).await?;
    let mut sqlite = from.begin().await?;
    let mut postgres = to.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
    let mut compared = Vec::new();
    for &name in COPIED_TABLES.iter().chain(DERIVED_TABLES) {
        if name == "sessions" && !with_sessions {
            continue;
        }
        let table = &schema.tables[name];
        let columns: Vec<(String, ColumnKind)> = columns_of(name, table, false)
            .into_iter()
            .filter(|(column, _)| !ENGINE_SPECIFIC_COLUMNS.contains(&(name, column.as_str())))
            .collect();
        let counted = if COUNT_TABLES.contains(&name) {
            " WHERE \"count\" <> 0"
        } else {
            ""
        };
        let count = format!("SELECT count(*) FROM {}{counted}", quoted(name));
        let sqlite_rows: i64 = sqlx::query_scalar(AssertSqlSafe(count.clone()))
            .fetch_one(&mut *sqlite)
            .await?;
        let postgres_rows: i64 = sqlx::query_scalar(AssertSqlSafe(count))
            .fetch_one(&mut *postgres)
            .await?;
        let (mut left_pages, mut right_pages) = (Pages::new(name, table, &columns), Pages::new(name, table, &columns));
        let mut first_difference = None;
        let mut index = 0_usize;
        'pages: loop {
            let left = left_pages.next_sqlite(&mut sqlite).await?;
            let right = right_pages.next_postgres(&mut postgres).await?;
            if left.is_empty() && right.is_empty() {
                break;
            }
            for (a, b) in left.iter().zip(&right) {
                if a != b {
                    let differing: Vec<String> = columns
                        .iter()
                        .zip(a.iter().zip(b))
                        .filter(|(_, (x, y))| x != y)
                        .map(|((column, _), (x, y))| format!("{column}: {x:?} / {y:?}"))
                        .collect();
                    let row: BTreeMap<&str, Value> =
                        columns.iter().map(|(c, _)| c.as_str()).zip(a.iter().cloned()).collect();
                    first_difference = Some(format!(
                        "row {index} ({}): {}",
                        key_of(table, &row),
                        differing.join("; ")
                    ));
                    break 'pages;
                }
                index += 1;
            }
            if left.len() != right.len() {
                break;
            }
        }
        compared.push(TableComparison {
            table: name.to_string(),
            sqlite_rows: u64::try_from(sqlite_rows).unwrap_or(0),
            postgres_rows: u64::try_from(postgres_rows).unwrap_or(0),
            first_difference,
        });
    }
    sqlite.rollback().await?;
    postgres.rollback().await?;
    Ok(compared)
}

fn key_of(table: &Table, row: &BTreeMap<&str, Value>) -> String {
    table
        .primary_key
        .iter()
        .map(|c| format!("{c} = {:?}", row.get(c.as_str()).unwrap_or(&Value::Null)))
        .collect::<Vec<_>>()
        .join(", ")
}

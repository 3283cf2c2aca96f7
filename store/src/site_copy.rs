//! Copying a site from SQLite to PostgreSQL, and checking that two sites
//! hold the same data (`accord migrate-db`, and the test that the two
//! engines' triggers derive the same columns and counts).
//!
//! Only what editors and readers wrote is copied: the columns and tables
//! that triggers keep (statuses, overall statuses, counts, the history's
//! days, search) are left for PostgreSQL's own triggers to fill, and the
//! comparison then checks every table, those included, row by row. Rows
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
use sqlx::{AssertSqlSafe, PgPool, Postgres, Row, SqlitePool, Transaction, TypeInfo, ValueRef};

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
    if let Some(unknown) = sqlite
        .tables
        .keys()
        .find(|t| !COPIED_TABLES.contains(&t.as_str()) && !DERIVED_TABLES.contains(&t.as_str()))
    {
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
    let mut report = CopyReport::default();
    for &name in COPIED_TABLES {
        if name == "sessions" && !options.keep_sessions {
            continue;
        }
        let table = &schema.tables[name];
        let columns = columns_of(name, table, true);
        let select = format!(
            "SELECT {} FROM {} ORDER BY {}",
            column_list(&columns),
            quoted(name),
            key_order(table)
        );
        let insert = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quoted(name),
            column_list(&columns),
            (1..=columns.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows = sqlx::query(AssertSqlSafe(select.as_str()))
            .fetch_all(&mut *source)
            .await?;
        for row in &rows {
            let mut statement = sqlx::query(AssertSqlSafe(insert.as_str()));
            for (index, (column, kind)) in columns.iter().enumerate() {
                statement = match (kind, sqlite_value(row, index, kind)?) {
                    (ColumnKind::Integer, Value::Integer(n)) => statement.bind(n),
                    (ColumnKind::Integer, Value::Null) => statement.bind(None::<i64>),
                    (ColumnKind::Bytes, Value::Bytes(b)) => statement.bind(b),
                    (ColumnKind::Bytes, Value::Null) => statement.bind(None::<Vec<u8>>),
                    (ColumnKind::Text, Value::Text(t)) => statement.bind(t),
                    (ColumnKind::Text, Value::Null) => statement.bind(None::<String>),
                    _ => {
                        return Err(SiteCopyError::KindMismatch {
                            table: name.into(),
                            column: column.clone(),
                            kind: kind.clone(),
                        })
                    }
                };
            }
            statement.execute(&mut *target).await?;
        }
        report.tables.push((name.to_string(), rows.len() as u64));
    }
    restart_identities(&mut target, &schema).await?;
    target.commit().await?;
    source.rollback().await?;
    Ok(report)
}

/// Moves each identity column's sequence past the ids copied, so that the
/// next row PostgreSQL numbers does not collide with a copied one.
async fn restart_identities(target: &mut Transaction<'_, Postgres>, schema: &Schema) -> Result<(), sqlx::Error> {
    for (name, table) in &schema.tables {
        if table.primary_key != ["id"] || table.columns.get("id").map(|c| &c.kind) != Some(&ColumnKind::Integer) {
            continue;
        }
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce(max(id), 0) + 1, false) FROM {}",
            quoted(name)
        );
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(name)
            .execute(&mut **target)
            .await?;
    }
    Ok(())
}

/// Compares every copied and derived table of the two sites, row by row
/// in primary-key order (`sessions` only when `with_sessions`).
pub async fn compare_sites(
    from: &SqlitePool,
    to: &PgPool,
    with_sessions: bool,
) -> Result<Vec<TableComparison>, SiteCopyError> {
    let schema = agreed_schema(from, to).await?;
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
        let select = format!(
            "SELECT {} FROM {} ORDER BY {}",
            column_list(&columns),
            quoted(name),
            key_order(table)
        );
        let sqlite_rows = sqlx::query(AssertSqlSafe(select.as_str())).fetch_all(from).await?;
        let postgres_rows = sqlx::query(AssertSqlSafe(select.as_str())).fetch_all(to).await?;
        let mut first_difference = None;
        for (index, (a, b)) in sqlite_rows.iter().zip(&postgres_rows).enumerate() {
            let mut left = BTreeMap::new();
            let mut right = BTreeMap::new();
            for (i, (column, kind)) in columns.iter().enumerate() {
                left.insert(column.as_str(), sqlite_value(a, i, kind)?);
                right.insert(column.as_str(), postgres_value(b, i, kind)?);
            }
            if left != right {
                let differing: Vec<String> = left
                    .iter()
                    .filter(|(column, value)| right.get(*column) != Some(*value))
                    .map(|(column, value)| format!("{column}: {value:?} / {:?}", right.get(column)))
                    .collect();
                first_difference = Some(format!(
                    "row {index} ({}): {}",
                    key_of(table, &left),
                    differing.join("; ")
                ));
                break;
            }
        }
        compared.push(TableComparison {
            table: name.to_string(),
            sqlite_rows: sqlite_rows.len() as u64,
            postgres_rows: postgres_rows.len() as u64,
            first_difference,
        });
    }
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

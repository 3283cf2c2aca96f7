//! What each engine reports of its schema, in one shape, so that a test can
//! check that SQLite's migrations and PostgreSQL's leave the same logical
//! schema: the same tables, columns (kind, nullability, default, whether
//! derived), primary keys, unique constraints, foreign keys, checks,
//! indexes and views.
//!
//! Each engine's catalogue is read as it reports it (SQLite's pragmas,
//! PostgreSQL's `pg_catalog`). A CHECK is compared by what it constrains
//! and with which constants (the columns and literals it names), because
//! the engines write the same condition differently (`x IN ('a', 'b')`
//! comes back from PostgreSQL as `x = ANY (ARRAY['a'::text, 'b'::text])`).
//! Search is engine-specific by design (FTS5 there, a tsvector and pg_trgm
//! here): its tables and views are left out on both sides, by name.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{PgPool, Row, SqlitePool};

/// Tables and views each engine keeps for search alone, and sqlx's own.
fn is_engine_specific(name: &str) -> bool {
    name == "_sqlx_migrations"
        || name.starts_with("commitment_search")
        || name == "search_cjk_glob"
        || name.starts_with("sqlite_")
}

/// A column's kind of value, in terms both engines share.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColumnKind {
    Integer,
    Text,
    Bytes,
    /// Anything else, as the engine names it.
    Other(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub kind: ColumnKind,
    pub not_null: bool,
    /// The default, without casts or quotes' engine-specific trimmings.
    pub default: Option<String>,
    /// Computed from other columns of the row (a generated column).
    pub generated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub table: String,
    pub references: Vec<String>,
    /// `NO ACTION`, `CASCADE`, `RESTRICT`, `SET NULL` or `SET DEFAULT`.
    pub on_delete: String,
}

/// A CHECK constraint by the columns and the constants it names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Check {
    pub columns: BTreeSet<String>,
    pub literals: BTreeSet<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    pub columns: Vec<String>,
    pub unique: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    pub primary_key: Vec<String>,
    pub unique: BTreeSet<Vec<String>>,
    pub foreign_keys: BTreeSet<ForeignKey>,
    pub checks: BTreeSet<Check>,
    pub indexes: BTreeMap<String, Index>,
}

/// A database's logical schema, search left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
    pub views: BTreeSet<String>,
}

impl Schema {
    /// Where two schemas differ, one line per table or view; empty when
    /// they agree.
    pub fn differences(&self, other: &Schema) -> Vec<String> {
        let mut found = Vec::new();
        let names: BTreeSet<&String> = self.tables.keys().chain(other.tables.keys()).collect();
        for name in names {
            match (self.tables.get(name), other.tables.get(name)) {
                (Some(a), Some(b)) if a != b => found.push(format!("table {name}:\n  {a:?}\n  {b:?}")),
                (Some(_), None) => found.push(format!("table {name} only in the first")),
                (None, Some(_)) => found.push(format!("table {name} only in the second")),
                _ => {}
            }
        }
        for view in self.views.symmetric_difference(&other.views) {
            found.push(format!("view {view} in one only"));
        }
        found
    }
}

/// A default as both engines would write it: PostgreSQL's casts
/// (`'en'::text`) and wrapping parentheses removed.
fn normalise_default(default: &str) -> String {
    let mut text = default.trim();
    while text.starts_with('(') && text.ends_with(')') {
        text = &text[1..text.len() - 1];
    }
    match text.find("::") {
        Some(cast) if !text[cast..].contains('\'') => text[..cast].to_string(),
        _ => text.to_string(),
    }
}

fn sqlite_kind(declared: &str) -> ColumnKind {
    let declared = declared.to_ascii_uppercase();
    if declared.contains("INT") {
        ColumnKind::Integer
    } else if declared.contains("TEXT") || declared.contains("CHAR") || declared.contains("CLOB") {
        ColumnKind::Text
    } else if declared.contains("BLOB") {
        ColumnKind::Bytes
    } else {
        ColumnKind::Other(declared)
    }
}

fn postgres_kind(declared: &str) -> ColumnKind {
    match declared {
        "bigint" => ColumnKind::Integer,
        "text" => ColumnKind::Text,
        "bytea" => ColumnKind::Bytes,
        other => ColumnKind::Other(other.to_string()),
    }
}

/// The tokens of an SQL expression: string literals (quotes kept), numbers
/// and identifiers (lower-cased, quotes removed); operators dropped.
fn tokens(expression: &str) -> Vec<String> {
    let chars: Vec<char> = expression.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let mut literal = String::from("'");
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' && chars.get(i + 1) == Some(&'\'') {
                    literal.push_str("''");
                    i += 2;
                } else if chars[i] == '\'' {
                    break;
                } else {
                    literal.push(chars[i]);
                    i += 1;
                }
            }
            literal.push('\'');
            found.push(literal);
            i += 1;
        } else if c == '"' {
            let end = chars[i + 1..]
                .iter()
                .position(|&q| q == '"')
                .map_or(chars.len(), |p| i + 1 + p);
            found.push(chars[i + 1..end].iter().collect::<String>().to_lowercase());
            i = end + 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            found.push(chars[start..i].iter().collect());
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            found.push(chars[start..i].iter().collect::<String>().to_lowercase());
        } else {
            i += 1;
        }
    }
    found
}

/// A CHECK's expression by the columns of `columns` and the literals it names.
fn check_of(expression: &str, columns: &BTreeMap<String, Column>) -> Check {
    let mut check = Check {
        columns: BTreeSet::new(),
        literals: BTreeSet::new(),
    };
    for token in tokens(expression) {
        if token.starts_with('\'') || token.starts_with(|c: char| c.is_ascii_digit()) {
            check.literals.insert(token);
        } else if columns.contains_key(&token) {
            check.columns.insert(token);
        }
    }
    check
}

/// The expressions of every `CHECK (…)` in a `CREATE TABLE` statement (SQLite
/// keeps no other record of them), skipping strings and comments.
fn sqlite_check_expressions(create_table: &str) -> Vec<String> {
    let chars: Vec<char> = create_table.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\'' => {
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            c if c.is_alphabetic() => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if !word.eq_ignore_ascii_case("check") {
                    continue;
                }
                while i < chars.len() && chars[i].is_whitespace() {
                    i += 1;
                }
                if chars.get(i) != Some(&'(') {
                    continue;
                }
                let open = i;
                let mut depth = 0;
                let mut in_string = false;
                while i < chars.len() {
                    match chars[i] {
                        '\'' => in_string = !in_string,
                        '(' if !in_string => depth += 1,
                        ')' if !in_string => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                found.push(chars[open + 1..i.min(chars.len())].iter().collect());
                i += 1;
            }
            _ => i += 1,
        }
    }
    found
}

/// SQLite's schema as its catalogue reports it.
pub async fn sqlite_schema(pool: &SqlitePool) -> Result<Schema, sqlx::Error> {
    let mut schema = Schema::default();
    let tables = sqlx::query("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .fetch_all(pool)
        .await?;
    for row in tables {
        let name: String = row.try_get("name")?;
        if is_engine_specific(&name) {
            continue;
        }
        let sql: String = row.try_get("sql")?;
        let mut table = Table::default();
        let mut key: Vec<(i64, String)> = Vec::new();
        let columns = sqlx::query(
            r#"SELECT name, type, "notnull" AS not_null, dflt_value, pk, hidden FROM pragma_table_xinfo(?1)"#,
        )
        .bind(&name)
        .fetch_all(pool)
        .await?;
        for column in columns {
            let column_name: String = column.try_get("name")?;
            let pk: i64 = column.try_get("pk")?;
            let hidden: i64 = column.try_get("hidden")?;
            let default: Option<String> = column.try_get("dflt_value")?;
            if pk > 0 {
                key.push((pk, column_name.clone()));
            }
            table.columns.insert(
                column_name,
                Column {
                    kind: sqlite_kind(&column.try_get::<String, _>("type")?),
                    // A primary key's columns hold no NULL on either engine.
                    not_null: column.try_get::<i64, _>("not_null")? != 0 || pk > 0,
                    default: default.as_deref().map(normalise_default),
                    generated: hidden == 2 || hidden == 3,
                },
            );
        }
        key.sort();
        table.primary_key = key.into_iter().map(|(_, column)| column).collect();
        let indexes = sqlx::query(r#"SELECT name, "unique" AS is_unique, origin FROM pragma_index_list(?1)"#)
            .bind(&name)
            .fetch_all(pool)
            .await?;
        for index in indexes {
            let index_name: String = index.try_get("name")?;
            let origin: String = index.try_get("origin")?;
            let columns: Vec<Option<String>> =
                sqlx::query_scalar("SELECT name FROM pragma_index_xinfo(?1) WHERE key ORDER BY seqno")
                    .bind(&index_name)
                    .fetch_all(pool)
                    .await?;
            let columns: Vec<String> = columns
                .into_iter()
                .map(|c| c.unwrap_or_else(|| "<expression>".into()))
                .collect();
            match origin.as_str() {
                "u" => {
                    table.unique.insert(columns);
                }
                "c" => {
                    table.indexes.insert(
                        index_name,
                        Index {
                            columns,
                            unique: index.try_get::<i64, _>("is_unique")? != 0,
                        },
                    );
                }
                _ => {}
            }
        }
        let keys = sqlx::query(
            r#"SELECT id, "table" AS parent, "from" AS child_column, "to" AS parent_column, on_delete
               FROM pragma_foreign_key_list(?1) ORDER BY id, seq"#,
        )
        .bind(&name)
        .fetch_all(pool)
        .await?;
        let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for key in keys {
            let entry = by_id.entry(key.try_get("id")?).or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                table: String::new(),
                references: Vec::new(),
                on_delete: String::new(),
            });
            entry.table = key.try_get("parent")?;
            entry.on_delete = key.try_get("on_delete")?;
            entry.columns.push(key.try_get("child_column")?);
            entry.references.push(
                key.try_get::<Option<String>, _>("parent_column")?
                    .unwrap_or_else(|| "id".into()),
            );
        }
        table.foreign_keys = by_id.into_values().collect();
        table.checks = sqlite_check_expressions(&sql)
            .iter()
            .map(|expression| check_of(expression, &table.columns))
            .collect();
        schema.tables.insert(name, table);
    }
    let views: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'view'")
        .fetch_all(pool)
        .await?;
    schema.views = views
        .into_iter()
        .filter(|v| !is_engine_specific(v) && !v.contains("search"))
        .collect();
    Ok(schema)
}

fn postgres_on_delete(code: &str) -> String {
    match code {
        "c" => "CASCADE",
        "r" => "RESTRICT",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => "NO ACTION",
    }
    .into()
}

/// PostgreSQL's schema (the connection's current schema) as `pg_catalog`
/// reports it.
pub async fn postgres_schema(pool: &PgPool) -> Result<Schema, sqlx::Error> {
    let mut schema = Schema::default();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT relname::text FROM pg_class
         WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' ORDER BY relname",
    )
    .fetch_all(pool)
    .await?;
    for name in tables {
        if is_engine_specific(&name) {
            continue;
        }
        let mut table = Table::default();
        let columns = sqlx::query(
            "SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS kind, a.attnotnull AS not_null,
                    pg_get_expr(d.adbin, d.adrelid) AS default_value, a.attgenerated::text AS generated
             FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped",
        )
        .bind(&name)
        .fetch_all(pool)
        .await?;
        for column in columns {
            let generated = column.try_get::<String, _>("generated")? == "s";
            let default: Option<String> = column.try_get("default_value")?;
            table.columns.insert(
                column.try_get("name")?,
                Column {
                    kind: postgres_kind(&column.try_get::<String, _>("kind")?),
                    not_null: column.try_get("not_null")?,
                    // A generated column's expression is kept where defaults are.
                    default: default.filter(|_| !generated).as_deref().map(normalise_default),
                    generated,
                },
            );
        }
        let constraints = sqlx::query(
            "SELECT con.contype::text AS kind, pg_get_constraintdef(con.oid) AS definition,
                    ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k (n, i)
                          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
                    parent.relname::text AS parent,
                    ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k (n, i)
                          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i)
                        AS parent_columns,
                    con.confdeltype::text AS on_delete
             FROM pg_constraint con LEFT JOIN pg_class parent ON parent.oid = con.confrelid
             WHERE con.conrelid = $1::text::regclass",
        )
        .bind(&name)
        .fetch_all(pool)
        .await?;
        for constraint in constraints {
            let columns: Vec<String> = constraint.try_get("columns")?;
            match constraint.try_get::<String, _>("kind")?.as_str() {
                "p" => table.primary_key = columns,
                "u" => {
                    table.unique.insert(columns);
                }
                "f" => {
                    table.foreign_keys.insert(ForeignKey {
                        columns,
                        table: constraint.try_get::<Option<String>, _>("parent")?.unwrap_or_default(),
                        references: constraint.try_get("parent_columns")?,
                        on_delete: postgres_on_delete(&constraint.try_get::<String, _>("on_delete")?),
                    });
                }
                "c" => {
                    table.checks.insert(check_of(
                        &constraint.try_get::<String, _>("definition")?,
                        &table.columns,
                    ));
                }
                _ => {}
            }
        }
        let indexes = sqlx::query(
            "SELECT i.relname::text AS name, x.indisunique AS is_unique,
                    ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) k
                          ORDER BY k) AS columns
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
             WHERE x.indrelid = $1::text::regclass
               AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                               WHERE con.conindid = x.indexrelid AND con.conrelid = x.indrelid
                                 AND con.contype IN ('p', 'u'))",
        )
        .bind(&name)
        .fetch_all(pool)
        .await?;
        for index in indexes {
            let columns: Vec<String> = index.try_get("columns")?;
            table.indexes.insert(
                index.try_get("name")?,
                Index {
                    columns: columns.into_iter().map(|c| c.trim_matches('"').to_string()).collect(),
                    unique: index.try_get("is_unique")?,
                },
            );
        }
        schema.tables.insert(name, table);
    }
    let views: Vec<String> =
        sqlx::query_scalar("SELECT viewname::text FROM pg_views WHERE schemaname = current_schema()")
            .fetch_all(pool)
            .await?;
    schema.views = views.into_iter().filter(|v| !is_engine_specific(v)).collect();
    Ok(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_is_known_by_its_columns_and_constants_on_either_engine() {
        let mut columns = BTreeMap::new();
        for name in ["theme", "language"] {
            columns.insert(
                name.to_string(),
                Column {
                    kind: ColumnKind::Text,
                    not_null: true,
                    default: None,
                    generated: false,
                },
            );
        }
        let sqlite = check_of("theme IN ('diplomacy', 'economy')", &columns);
        let postgres = check_of(
            "CHECK ((theme = ANY (ARRAY['diplomacy'::text, 'economy'::text])))",
            &columns,
        );
        assert_eq!(sqlite, postgres);
        let other = check_of("theme IN ('diplomacy')", &columns);
        assert_ne!(sqlite, other);
        let between = check_of("length(language) BETWEEN 2 AND 35", &columns);
        let postgres_between = check_of(
            "CHECK (((length(language) >= 2) AND (length(language) <= 35)))",
            &columns,
        );
        assert_eq!(between, postgres_between);
    }

    #[test]
    fn the_checks_of_a_create_table_are_found_past_strings_and_comments() {
        let sql = "CREATE TABLE t (\n  -- a check (not this one)\n  a TEXT CHECK (a IN ('x)', 'y')),\n  \
                   b INTEGER NOT NULL CHECK (b >= (1)))";
        assert_eq!(sqlite_check_expressions(sql), vec!["a IN ('x)', 'y')", "b >= (1)"]);
    }

    #[test]
    fn defaults_lose_their_casts() {
        assert_eq!(normalise_default("'en'::text"), "'en'");
        assert_eq!(normalise_default("1"), "1");
        assert_eq!(normalise_default("'a::b'"), "'a::b'");
    }
}

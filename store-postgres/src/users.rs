//! Editor accounts, as rows (the twin of `store::users`' statements). User
//! names compare without regard to case through the column's `nocase`
//! collation, as SQLite's `NOCASE` does for ASCII (docs/SCALING.md).

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use store_rows::{ActiveUserRow, CredentialsRow, UserListingRow};

use crate::stored_text::{parse_timestamp, timestamp_text};

/// Adds an account; its id, or the database's refusal (a taken name is a
/// unique violation).
pub async fn create_user(
    pool: &PgPool,
    name: &str,
    role: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO users (name, role, password_hash, created_at, password_changed_at)
           VALUES ($1, $2, $3, $4, $4) RETURNING id AS "id!""#,
        name,
        role,
        password_hash,
        timestamp_text(now)
    )
    .fetch_one(pool)
    .await
}

/// Every account, by name as SQLite's `NOCASE` orders it: ASCII letters
/// folded to lower case, then code points.
pub async fn list_users(pool: &PgPool) -> Result<Vec<UserListingRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT name AS "name!", role AS "role!", created_at AS "created_at!", disabled_at
           FROM users
           ORDER BY translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE "C""#
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(UserListingRow {
                name: row.name,
                role: row.role,
                created_at: parse_timestamp(&row.created_at)?,
                disabled_at: row.disabled_at.as_deref().map(parse_timestamp).transpose()?,
            })
        })
        .collect()
}

/// The account a sign-in names, if there is one.
pub async fn credentials(pool: &PgPool, name: &str) -> Result<Option<CredentialsRow>, sqlx::Error> {
    sqlx::query_as!(
        CredentialsRow,
        r#"SELECT id AS "id!", name AS "name!", role AS "role!", password_hash AS "password_hash!",
                  disabled_at IS NOT NULL AS "disabled!"
           FROM users WHERE name = $1"#,
        name
    )
    .fetch_optional(pool)
    .await
}

/// The account behind a session, if it still exists and is enabled.
pub async fn active_user(pool: &PgPool, id: i64) -> Result<Option<ActiveUserRow>, sqlx::Error> {
    sqlx::query_as!(
        ActiveUserRow,
        r#"SELECT id AS "id!", name AS "name!", role AS "role!" FROM users WHERE id = $1 AND disabled_at IS NULL"#,
        id
    )
    .fetch_optional(pool)
    .await
}

/// Sets an account's password hash; its id, or `None` when no account has
/// the name.
pub async fn set_password_hash(
    conn: &mut PgConnection,
    name: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE name = $3 RETURNING id",
        hash,
        timestamp_text(now),
        name
    )
    .fetch_optional(conn)
    .await
}

/// Disables an account (at `disabled_at`) or enables it (`None`); its id,
/// or `None` when no account has the name.
pub async fn set_disabled_at(
    conn: &mut PgConnection,
    name: &str,
    disabled_at: Option<DateTime<Utc>>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "UPDATE users SET disabled_at = $1 WHERE name = $2 RETURNING id",
        disabled_at.map(timestamp_text),
        name
    )
    .fetch_optional(conn)
    .await
}

/// Ends every session of an account.
pub async fn end_sessions(conn: &mut PgConnection, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM sessions WHERE user_id = $1", user_id)
        .execute(conn)
        .await?;
    Ok(())
}

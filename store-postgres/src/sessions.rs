//! The session store's SQL on PostgreSQL (the twin of `store::sessions`,
//! which keeps the rules: hashed ids, the expiry slack). Every replica of
//! a site reads and writes the same table, so a sign-in through one is a
//! sign-in through all.

use sqlx::PgPool;

/// A stored session: its JSON and its expiry (Unix seconds).
pub struct StoredSession {
    pub data: Vec<u8>,
    pub expires_at: i64,
}

/// A session as it is written: its hashed id, its user, its JSON, its expiry.
pub struct SessionRow<'a> {
    pub id: &'a str,
    pub user_id: Option<i64>,
    pub data: &'a [u8],
    pub expires_at: i64,
}

/// Stores a new session unless its (hashed) id is taken; whether it was.
pub async fn insert_new(pool: &PgPool, row: &SessionRow<'_>) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query!(
        "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
        row.id,
        row.user_id,
        row.data,
        row.expires_at
    )
    .execute(pool)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// The stored session with this (hashed) id, expired or not.
pub async fn stored(pool: &PgPool, id: &str) -> Result<Option<StoredSession>, sqlx::Error> {
    sqlx::query_as!(StoredSession, "SELECT data, expires_at FROM sessions WHERE id = $1", id)
        .fetch_optional(pool)
        .await
}

/// Stores the session, replacing what was stored under its id.
pub async fn upsert(pool: &PgPool, row: &SessionRow<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at",
        row.id,
        row.user_id,
        row.data,
        row.expires_at
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The session with this (hashed) id if it has not expired by `now`.
pub async fn live(pool: &PgPool, id: &str, now: i64) -> Result<Option<StoredSession>, sqlx::Error> {
    sqlx::query_as!(
        StoredSession,
        "SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2",
        id,
        now
    )
    .fetch_optional(pool)
    .await
}

pub async fn delete(pool: &PgPool, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM sessions WHERE id = $1", id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete_expired(pool: &PgPool, now: i64) -> Result<u64, sqlx::Error> {
    let deleted = sqlx::query!("DELETE FROM sessions WHERE expires_at <= $1", now)
        .execute(pool)
        .await?;
    Ok(deleted.rows_affected())
}

//! Forms' refusals on their way to the page, on PostgreSQL (the twin of
//! `store::form_flashes`).

use sqlx::PgPool;

/// Forgets the flashes expired at `now`, then the oldest beyond
/// `max_held - 1`, and keeps this one; in one transaction.
pub async fn keep(
    pool: &PgPool,
    id: &str,
    page: &str,
    carried: &str,
    now: i64,
    expires_at: i64,
    max_held: i64,
) -> Result<(), sqlx::Error> {
    let mut transaction = pool.begin().await?;
    sqlx::query!("DELETE FROM form_flashes WHERE expires_at <= $1", now)
        .execute(&mut *transaction)
        .await?;
    sqlx::query!(
        "DELETE FROM form_flashes WHERE id IN
           (SELECT id FROM form_flashes ORDER BY expires_at DESC, id OFFSET $1)",
        max_held - 1
    )
    .execute(&mut *transaction)
    .await?;
    sqlx::query!(
        "INSERT INTO form_flashes (id, page, carried, expires_at) VALUES ($1, $2, $3, $4)",
        id,
        page,
        carried,
        expires_at
    )
    .execute(&mut *transaction)
    .await?;
    transaction.commit().await
}

/// Takes the flash kept under `id` for `page`, unless it expired.
pub async fn take(pool: &PgPool, id: &str, page: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "DELETE FROM form_flashes WHERE id = $1 AND page = $2 AND expires_at > $3 RETURNING carried",
        id,
        page,
        now
    )
    .fetch_optional(pool)
    .await
}

/// The flash kept under `id`, unless it expired, left in place.
pub async fn peek(pool: &PgPool, id: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT carried FROM form_flashes WHERE id = $1 AND expires_at > $2",
        id,
        now
    )
    .fetch_optional(pool)
    .await
}

//! Forms' refusals on their way from a post to the page it redirects to,
//! kept in the database for a site whose replicas share one
//! (`server::flash` says why they are kept on the server at all). Instants
//! are Unix seconds.

use crate::engine::{Engine, EngineRef};

/// Keeps `carried` for `page` under `id` until `expires_at`; first forgets
/// what expired by `now`, and the oldest flashes beyond `max_held` (a
/// flood of refused posts holds bounded space).
pub async fn keep(
    db: &impl Engine,
    id: &str,
    page: &str,
    carried: &str,
    now: i64,
    expires_at: i64,
    max_held: i64,
) -> Result<(), sqlx::Error> {
    match db.engine() {
        EngineRef::Sqlite(pool) => {
            let mut transaction = pool.begin().await?;
            sqlx::query!("DELETE FROM form_flashes WHERE expires_at <= ?1", now)
                .execute(&mut *transaction)
                .await?;
            let beyond = max_held - 1;
            sqlx::query!(
                "DELETE FROM form_flashes WHERE id IN
                   (SELECT id FROM form_flashes ORDER BY expires_at DESC, id LIMIT -1 OFFSET ?1)",
                beyond
            )
            .execute(&mut *transaction)
            .await?;
            sqlx::query!(
                "INSERT INTO form_flashes (id, page, carried, expires_at) VALUES (?1, ?2, ?3, ?4)",
                id,
                page,
                carried,
                expires_at
            )
            .execute(&mut *transaction)
            .await?;
            transaction.commit().await
        }
        EngineRef::Postgres(pool) => {
            store_postgres::form_flashes::keep(pool, id, page, carried, now, expires_at, max_held).await
        }
    }
}

/// Takes the flash kept under `id` for `page` (it is shown once), unless
/// it expired by `now`.
pub async fn take(db: &impl Engine, id: &str, page: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_scalar!(
                "DELETE FROM form_flashes WHERE id = ?1 AND page = ?2 AND expires_at > ?3 RETURNING carried",
                id,
                page,
                now
            )
            .fetch_optional(pool)
            .await
        }
        EngineRef::Postgres(pool) => store_postgres::form_flashes::take(pool, id, page, now).await,
    }
}

/// The flash kept under `id`, unless it expired by `now`, left in place.
pub async fn peek(db: &impl Engine, id: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_scalar!(
                "SELECT carried FROM form_flashes WHERE id = ?1 AND expires_at > ?2",
                id,
                now
            )
            .fetch_optional(pool)
            .await
        }
        EngineRef::Postgres(pool) => store_postgres::form_flashes::peek(pool, id, now).await,
    }
}

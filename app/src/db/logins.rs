//! Failed sign-in attempts, to slow down password guessing.

use sqlx::SqlitePool;

/// Failed attempts allowed per account, and per address, in the window.
pub const MAX_FAILURES: i64 = 5;
/// The window, in seconds, over which failures are counted.
pub const WINDOW_SECONDS: i64 = 15 * 60;

pub async fn record_failed_login(
    pool: &SqlitePool,
    user_name: &str,
    address: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "INSERT INTO failed_logins (user_name, address, attempted_at) VALUES (?1, ?2, ?3)",
        user_name,
        address,
        now
    )
    .execute(&mut *tx)
    .await?;
    // Old rows are useless; trimming here keeps the table small without a job.
    let cutoff = now - WINDOW_SECONDS;
    sqlx::query!("DELETE FROM failed_logins WHERE attempted_at < ?1", cutoff)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Seconds until sign-in is allowed again for this account or address, or
/// `None` if neither has reached the limit.
pub async fn login_blocked_for(
    pool: &SqlitePool,
    user_name: &str,
    address: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let since = now - WINDOW_SECONDS;
    let row = sqlx::query!(
        r#"SELECT
             (SELECT COUNT(*) FROM failed_logins WHERE user_name = ?1 AND attempted_at > ?3) AS "by_name!: i64",
             (SELECT COUNT(*) FROM failed_logins WHERE address = ?2 AND attempted_at > ?3) AS "by_address!: i64",
             (SELECT MIN(attempted_at) FROM failed_logins
                WHERE (user_name = ?1 OR address = ?2) AND attempted_at > ?3) AS "oldest?: i64""#,
        user_name,
        address,
        since
    )
    .fetch_one(pool)
    .await?;
    if row.by_name >= MAX_FAILURES || row.by_address >= MAX_FAILURES {
        let oldest = row.oldest.unwrap_or(now);
        Ok(Some((oldest + WINDOW_SECONDS - now).max(1)))
    } else {
        Ok(None)
    }
}

/// A successful sign-in clears the account's failures.
pub async fn clear_failed_logins(pool: &SqlitePool, user_name: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM failed_logins WHERE user_name = ?1", user_name)
        .execute(pool)
        .await?;
    Ok(())
}

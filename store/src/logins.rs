//! Failed sign-in attempts, to slow down password guessing.

use crate::Db;

/// Failed attempts allowed per account, and per address, in the window.
pub const MAX_FAILURES: i64 = 5;
/// The window, in seconds, over which failures are counted.
pub const WINDOW_SECONDS: i64 = 15 * 60;

/// Counts a sign-in attempt as failed before its password is checked, and
/// says whether the attempt may go on: `Some(seconds)` when the account or
/// the address already has [`MAX_FAILURES`] failures in the window (then
/// nothing is stored). Checking and counting happen in one write
/// transaction, so SQLite runs them one attempt at a time: a burst of
/// simultaneous guesses cannot all pass the check before any is counted.
/// A successful sign-in then clears the count.
pub async fn begin_login_attempt(
    db: &Db,
    user_name: &str,
    address: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let pool = db.pool();
    let _turn = db.write_turn().await;
    let mut tx = pool.begin().await?;
    // The insert takes SQLite's write lock first, so the count below sees
    // every attempt that committed before this one.
    sqlx::query!(
        "INSERT INTO failed_logins (user_name, address, attempted_at) VALUES (?1, ?2, ?3)",
        user_name,
        address,
        now
    )
    .execute(&mut *tx)
    .await?;
    let cutoff = now - WINDOW_SECONDS;
    sqlx::query!("DELETE FROM failed_logins WHERE attempted_at < ?1", cutoff)
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query!(
        r#"SELECT
             (SELECT COUNT(*) FROM failed_logins WHERE user_name = ?1 AND attempted_at > ?3) AS "by_name!: i64",
             (SELECT COUNT(*) FROM failed_logins WHERE address = ?2 AND attempted_at > ?3) AS "by_address!: i64",
             (SELECT MIN(attempted_at) FROM failed_logins
                WHERE (user_name = ?1 OR address = ?2) AND attempted_at > ?3) AS "oldest?: i64""#,
        user_name,
        address,
        cutoff
    )
    .fetch_one(&mut *tx)
    .await?;
    // This attempt is counted in both figures, hence `>`.
    if row.by_name > MAX_FAILURES || row.by_address > MAX_FAILURES {
        tx.rollback().await?;
        let oldest = row.oldest.unwrap_or(now);
        return Ok(Some((oldest + WINDOW_SECONDS - now).max(1)));
    }
    tx.commit().await?;
    Ok(None)
}

/// A successful sign-in clears the account's failures.
pub async fn clear_failed_logins(db: &Db, user_name: &str) -> Result<(), sqlx::Error> {
    let pool = db.pool();
    let _turn = db.write_turn().await;
    sqlx::query!("DELETE FROM failed_logins WHERE user_name = ?1", user_name)
        .execute(pool)
        .await?;
    Ok(())
}

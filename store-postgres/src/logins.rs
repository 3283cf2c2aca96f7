//! Failed sign-ins on PostgreSQL (the twin of `store::logins`, which keeps
//! the rules). Every replica counts in the same table; an attempt's check
//! and count run in one transaction that first locks the table against
//! other attempts' checks (`SHARE ROW EXCLUSIVE` conflicts with itself), so
//! a burst of guesses through several replicas is counted one at a time,
//! as SQLite's one writer counts them.

use sqlx::{Postgres, Transaction};

/// What the rules need to decide an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptCounts {
    pub by_group: i64,
    pub group_latest: Option<i64>,
    pub by_account: i64,
    pub account_latest: Option<i64>,
    pub by_pair: i64,
}

/// Takes the attempts' lock, forgets failures at or before `forgotten`, and
/// counts what the rules need (the account's and the pair's failures after
/// `account_window`).
pub async fn lock_and_count(
    transaction: &mut Transaction<'_, Postgres>,
    user_name: &str,
    address_group: &str,
    forgotten: i64,
    account_window: i64,
) -> Result<AttemptCounts, sqlx::Error> {
    sqlx::query!("LOCK TABLE failed_logins IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut **transaction)
        .await?;
    sqlx::query!("DELETE FROM failed_logins WHERE attempted_at <= $1", forgotten)
        .execute(&mut **transaction)
        .await?;
    sqlx::query_as!(
        AttemptCounts,
        r#"SELECT
             (SELECT count(*) FROM failed_logins WHERE address = $2) AS "by_group!",
             (SELECT max(attempted_at) FROM failed_logins WHERE address = $2) AS "group_latest",
             (SELECT count(*) FROM failed_logins WHERE user_name = $1 AND attempted_at > $3) AS "by_account!",
             (SELECT max(attempted_at) FROM failed_logins WHERE user_name = $1) AS "account_latest",
             (SELECT count(*) FROM failed_logins
              WHERE user_name = $1 AND address = $2 AND attempted_at > $3) AS "by_pair!""#,
        user_name,
        address_group,
        account_window
    )
    .fetch_one(&mut **transaction)
    .await
}

pub async fn record_failure(
    transaction: &mut Transaction<'_, Postgres>,
    user_name: &str,
    address_group: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO failed_logins (user_name, address, attempted_at) VALUES ($1, $2, $3)",
        user_name,
        address_group,
        now
    )
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

pub async fn clear(pool: &sqlx::PgPool, user_name: &str, address_group: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM failed_logins WHERE user_name = $1 AND address = $2",
        user_name,
        address_group
    )
    .execute(pool)
    .await?;
    Ok(())
}

//! Failed sign-in attempts, to slow down password guessing without letting
//! anyone lock an editor out (issue 15; the rules are in docs/SECURITY.md).
//!
//! Two rules, both decided and recorded in one write transaction:
//!
//! - **Per address group** (an IPv4 address, or an IPv6 /64; see
//!   `domain::ClientAddress::group`): [`FREE_FAILURES`] failures, whatever
//!   the names tried, then a growing wait after each further failure
//!   (1, 2, 4 … minutes, at most an hour). This also bounds any one
//!   (account, address group) pair, which is a subset of it.
//! - **Per account, for addresses that already failed on it**: once the
//!   account has [`ACCOUNT_SLOWING_AFTER`] failures in [`ACCOUNT_WINDOW_SECONDS`],
//!   an address group that has itself failed on this account
//!   [`PAIR_FAILURES_BEFORE_SPACING`] times in that window must wait until
//!   [`ACCOUNT_SPACING_SECONDS`] after the account's latest failure. An
//!   address group with no recent failure on the account is never refused by
//!   the account: the owner signing in from their own address is not locked
//!   out by guesses from elsewhere, however many, and after a typo is held
//!   back at most [`ACCOUNT_WINDOW_SECONDS`].
//!
//! Failures are remembered for [`MEMORY_SECONDS`]; a successful sign-in
//! forgets the failures its own address group made on that account.

use sqlx::PgPool;
use store_postgres::logins::{self as postgres_logins, AttemptCounts};

use crate::Db;

/// Failures an address group may make before it has to wait.
pub const FREE_FAILURES: i64 = 5;
/// The wait after the first failure beyond [`FREE_FAILURES`]; each further
/// failure doubles it.
pub const FIRST_WAIT_SECONDS: i64 = 60;
/// The longest wait the doubling reaches.
pub const LONGEST_WAIT_SECONDS: i64 = 60 * 60;
/// How long a failure is remembered.
pub const MEMORY_SECONDS: i64 = 24 * 60 * 60;
/// Failures on one account within [`ACCOUNT_WINDOW_SECONDS`] after which
/// addresses that failed on it are spaced out.
pub const ACCOUNT_SLOWING_AFTER: i64 = 10;
/// The window the account's failures are counted over.
pub const ACCOUNT_WINDOW_SECONDS: i64 = 15 * 60;
/// The least time between the account's latest failure and the next attempt
/// from an address group that failed on it, while the account is under attack.
pub const ACCOUNT_SPACING_SECONDS: i64 = 30;

/// Failures an address group must have made on the account within
/// [`ACCOUNT_WINDOW_SECONDS`] before the account's spacing applies to it.
/// An owner who mistyped is held back by it at most
/// [`ACCOUNT_WINDOW_SECONDS`] after his typo (then it leaves the window),
/// however busy attackers keep the account. (Counting over all of
/// [`MEMORY_SECONDS`] let attackers hold out an owner who had mistyped once
/// for a whole day. The window costs some of the account rule's strength:
/// 100 addresses make 496 guesses an hour, not 227, since an address's
/// failures older than the window no longer space it; needing two failures
/// in the window instead of one would let them make 837.)
pub const PAIR_FAILURES_BEFORE_SPACING: i64 = 1;

/// Why an attempt was refused, and for how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttled {
    /// Seconds until an attempt would be let through (at least 1).
    pub wait_seconds: i64,
    pub rule: ThrottleRule,
}

/// Which rule refused an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThrottleRule {
    /// Too many failures from the address group.
    AddressGroup,
    /// The account is being guessed at from many addresses, and this address
    /// group is one of them.
    Account,
}

impl ThrottleRule {
    /// A name for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ThrottleRule::AddressGroup => "address_group",
            ThrottleRule::Account => "account",
        }
    }
}

/// The wait an address group with `failures` remembered failures, the latest
/// at `latest`, still has at `now`; zero when it may try.
fn address_group_wait(failures: i64, latest: i64, now: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(12) as u32;
    let wait = (FIRST_WAIT_SECONDS << doublings).min(LONGEST_WAIT_SECONDS);
    latest + wait - now
}

/// The rules applied to what the table holds: which refuses the attempt
/// at `now`, and for how long (both engines decide with this).
fn decide(counts: &AttemptCounts, now: i64) -> Option<Throttled> {
    let group_wait = address_group_wait(counts.by_group, counts.group_latest.unwrap_or(now), now);
    let account_wait = if counts.by_account >= ACCOUNT_SLOWING_AFTER && counts.by_pair >= PAIR_FAILURES_BEFORE_SPACING {
        counts.account_latest.unwrap_or(now) + ACCOUNT_SPACING_SECONDS - now
    } else {
        0
    };
    if group_wait > 0 && group_wait >= account_wait {
        Some(Throttled {
            wait_seconds: group_wait,
            rule: ThrottleRule::AddressGroup,
        })
    } else if account_wait > 0 {
        Some(Throttled {
            wait_seconds: account_wait,
            rule: ThrottleRule::Account,
        })
    } else {
        None
    }
}

/// Decides whether a sign-in attempt for `user_name` from `address_group`
/// may go on, and if so counts it as failed before its password is checked
/// (a successful sign-in then takes it back with [`clear_failed_logins`]).
/// `Some` says which rule refused it and for how long (then nothing is
/// stored). Checking and counting happen in one write transaction, so
/// SQLite runs them one attempt at a time: a burst of simultaneous guesses
/// cannot all pass the check before any is counted.
pub async fn begin_login_attempt(
    db: &Db,
    user_name: &str,
    address_group: &str,
    now: i64,
) -> Result<Option<Throttled>, sqlx::Error> {
    let pool = match db.postgres_pool() {
        Some(pool) => return begin_login_attempt_on_postgres(pool, user_name, address_group, now).await,
        None => db.sqlite_pool()?,
    };
    let _turn = db.write_turn().await;
    let mut tx = pool.begin().await?;
    // A write statement first: it takes SQLite's write lock, so the counts
    // below see every attempt that committed before this one, and no other
    // attempt commits between them and the insert.
    let forgotten = now - MEMORY_SECONDS;
    sqlx::query!("DELETE FROM failed_logins WHERE attempted_at <= ?1", forgotten)
        .execute(&mut *tx)
        .await?;
    let account_window = now - ACCOUNT_WINDOW_SECONDS;
    let row = sqlx::query!(
        r#"SELECT
             (SELECT COUNT(*) FROM failed_logins WHERE address = ?2) AS "by_group!: i64",
             (SELECT MAX(attempted_at) FROM failed_logins WHERE address = ?2) AS "group_latest?: i64",
             (SELECT COUNT(*) FROM failed_logins WHERE user_name = ?1 AND attempted_at > ?3) AS "by_account!: i64",
             (SELECT MAX(attempted_at) FROM failed_logins WHERE user_name = ?1) AS "account_latest?: i64",
             (SELECT COUNT(*) FROM failed_logins WHERE user_name = ?1 AND address = ?2 AND attempted_at > ?3) AS "by_pair!: i64""#,
        user_name,
        address_group,
        account_window
    )
    .fetch_one(&mut *tx)
    .await?;
    let refusal = decide(
        &AttemptCounts {
            by_group: row.by_group,
            group_latest: row.group_latest,
            by_account: row.by_account,
            account_latest: row.account_latest,
            by_pair: row.by_pair,
        },
        now,
    );
    if refusal.is_some() {
        tx.rollback().await?;
        return Ok(refusal);
    }
    sqlx::query!(
        "INSERT INTO failed_logins (user_name, address, attempted_at) VALUES (?1, ?2, ?3)",
        user_name,
        address_group,
        now
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(None)
}

/// A successful sign-in forgets the failures its address group made on the
/// account (its own attempt included). Failures from other addresses stay:
/// the owner signing in must not reset an attacker's count.
pub async fn clear_failed_logins(db: &Db, user_name: &str, address_group: &str) -> Result<(), sqlx::Error> {
    let pool = match db.postgres_pool() {
        Some(pool) => return clear_failed_logins_on_postgres(pool, user_name, address_group).await,
        None => db.sqlite_pool()?,
    };
    let _turn = db.write_turn().await;
    sqlx::query!(
        "DELETE FROM failed_logins WHERE user_name = ?1 AND address = ?2",
        user_name,
        address_group
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// [`begin_login_attempt`] on PostgreSQL, where every replica of the site
/// counts in the same table: the same rules, the attempts counted one at a
/// time across replicas (`store_postgres::logins` locks the table).
async fn begin_login_attempt_on_postgres(
    pool: &PgPool,
    user_name: &str,
    address_group: &str,
    now: i64,
) -> Result<Option<Throttled>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let counts = postgres_logins::lock_and_count(
        &mut tx,
        user_name,
        address_group,
        now - MEMORY_SECONDS,
        now - ACCOUNT_WINDOW_SECONDS,
    )
    .await?;
    let refusal = decide(&counts, now);
    if refusal.is_some() {
        tx.rollback().await?;
        return Ok(refusal);
    }
    postgres_logins::record_failure(&mut tx, user_name, address_group, now).await?;
    tx.commit().await?;
    Ok(None)
}

/// [`clear_failed_logins`] on PostgreSQL.
async fn clear_failed_logins_on_postgres(
    pool: &PgPool,
    user_name: &str,
    address_group: &str,
) -> Result<(), sqlx::Error> {
    postgres_logins::clear(pool, user_name, address_group).await
}

#[cfg(test)]
#[path = "logins_tests.rs"]
mod tests;

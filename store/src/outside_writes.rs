//! Noticing writes made by another process (`accord import`, `accord user`
//! run beside the server) so that the server's page cache does not keep
//! serving pages from before them.
//!
//! `Db::data_version` moves only for writes made through that handle.
//! SQLite's `PRAGMA data_version`, asked on one connection, changes when
//! any other connection, in this process or another, has committed since
//! it was last asked; so a connection of its own, asked once a second,
//! sees the CLI's commits. It also sees the server's own commits, which
//! then move the version a second time: at most one extra render per page
//! per interval, a small price for not needing to tell the two apart.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;

use crate::Db;

/// How often the watcher asks.
pub const WATCH_INTERVAL: Duration = Duration::from_secs(1);

/// Asks SQLite every `interval` whether the database changed, and moves
/// `db`'s data version when it did. Runs until the task is dropped; a
/// failure to ask is logged and tried again with a new connection.
pub async fn watch_for_outside_writes(db: Db, database_url: String, interval: Duration) {
    let mut connection: Option<sqlx::SqliteConnection> = None;
    let mut last_seen: Option<i64> = None;
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if connection.is_none() {
            let opened = match SqliteConnectOptions::from_str(&database_url) {
                Ok(options) => options.connect().await,
                Err(error) => Err(error),
            };
            match opened {
                Ok(opened) => {
                    connection = Some(opened);
                    // A new connection's number says nothing about the old one's.
                    last_seen = None;
                }
                Err(error) => {
                    tracing::warn!(%error, "watching for outside writes: could not open a connection");
                    continue;
                }
            }
        }
        let Some(open) = connection.as_mut() else { continue };
        match sqlx::query_scalar::<_, i64>("PRAGMA data_version")
            .fetch_one(open)
            .await
        {
            Ok(version) => {
                if last_seen.is_some_and(|seen| seen != version) {
                    db.data_committed();
                }
                last_seen = Some(version);
            }
            Err(error) => {
                tracing::warn!(%error, "watching for outside writes failed");
                connection = None;
            }
        }
    }
}

//! Noticing writes made by another process (`accord import` run beside the
//! server) so that the server's page cache does not keep serving pages
//! from before them.
//!
//! `Db::data_version` moves only for writes made through that handle.
//! SQLite's `PRAGMA data_version`, asked on one connection, changes when
//! any other connection, in this process or another, has committed since
//! it was last asked; so a connection of its own, asked once a second,
//! sees the CLI's commits. It also sees every commit of the server's own,
//! sign-ins and failed sign-ins among them, which must not empty the cache
//! (an anonymous visitor could then empty it every second; issue 15). So
//! when the number moves the watcher reads what pages are made of: the
//! newest row of the tables pages are made of ([`PAGE_DATA_FINGERPRINT`]),
//! and moves the data version only when that changed. The server's own
//! data writes change it too, and cost at most one extra render per page
//! per interval.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::Db;

/// The newest row of each table whose rows pages show, among those with a
/// rowid (`MAX(rowid)` is one index step; the link and translation tables
/// are `WITHOUT ROWID`). An import only inserts, and always a new summit,
/// so it always changes this. Sessions, failed sign-ins, suggestions and
/// accounts are left out: writing them changes no page a reader is served.
pub const PAGE_DATA_FINGERPRINT: &str = "SELECT \
       (SELECT IFNULL(MAX(rowid), 0) FROM summits) || ':' || \
       (SELECT IFNULL(MAX(rowid), 0) FROM parties) || ':' || \
       (SELECT IFNULL(MAX(rowid), 0) FROM commitments) || ':' || \
       (SELECT IFNULL(MAX(rowid), 0) FROM sources) || ':' || \
       (SELECT IFNULL(MAX(rowid), 0) FROM status_updates) || ':' || \
       (SELECT IFNULL(MAX(rowid), 0) FROM revisions) || ':' || \
       (SELECT IFNULL(MAX(rowid), 0) FROM data_corrections)";

/// How often the watcher asks.
pub const WATCH_INTERVAL: Duration = Duration::from_secs(1);

/// Asks SQLite every `interval` whether the database changed, and moves
/// `db`'s data version when pages' data did. A failure to ask is logged and
/// tried again with a new connection. Runs until `stop` resolves, then
/// closes its connection: SQLite folds the WAL back and removes it only when
/// the last connection closes, so the server awaits this before closing its
/// pool (a dropped connection would close later, leaving the WAL behind).
pub async fn watch_for_outside_writes(
    db: Db,
    database_url: String,
    interval: Duration,
    stop: impl std::future::Future<Output = ()>,
) {
    let mut stop = std::pin::pin!(stop);
    let mut connection: Option<sqlx::SqliteConnection> = None;
    let mut last_seen: Option<i64> = None;
    let mut last_fingerprint: Option<String> = None;
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = &mut stop => break,
        }
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
                    last_fingerprint = None;
                }
                Err(error) => {
                    tracing::warn!(%error, "watching for outside writes: could not open a connection");
                    continue;
                }
            }
        }
        let Some(open) = connection.as_mut() else { continue };
        match sqlx::query_scalar::<_, i64>("PRAGMA data_version")
            .fetch_one(&mut *open)
            .await
        {
            Ok(version) if last_seen == Some(version) => {}
            Ok(version) => {
                match sqlx::query_scalar::<_, String>(PAGE_DATA_FINGERPRINT)
                    .fetch_one(&mut *open)
                    .await
                {
                    Ok(fingerprint) => {
                        if last_fingerprint.as_ref().is_some_and(|seen| *seen != fingerprint) {
                            // What another process wrote is not known: everything.
                            db.data_committed_outside_requests(crate::Change::Everything);
                        }
                        last_fingerprint = Some(fingerprint);
                        last_seen = Some(version);
                    }
                    Err(error) => {
                        tracing::warn!(%error, "watching for outside writes failed");
                        connection = None;
                    }
                }
            }
            Err(error) => {
                tracing::warn!(%error, "watching for outside writes failed");
                connection = None;
            }
        }
    }
    if let Some(open) = connection {
        if let Err(error) = open.close().await {
            tracing::warn!(%error, "closing the outside-writes watcher's connection failed");
        }
    }
}

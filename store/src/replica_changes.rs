//! The replicas of one site on PostgreSQL keep one another's page caches
//! true: a write committed through one replica announces what it changed
//! (the same [`Change`] its own cache records), in its transaction, and
//! every other replica records it as published (docs/SCALING.md).
//!
//! An announcement names the replica that sent it, so that a replica
//! ignores its own. A change too long for one notification is announced as
//! [`Change::Everything`]; and when the listening connection was lost, a
//! replica records everything as changed, since announcements sent
//! meanwhile are gone.

use std::time::Duration;

use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};
use store_postgres::announcements::{announce, Announcements, Heard, MAX_PAYLOAD_BYTES};

use crate::data_changes::{Change, DataChanges};

/// The notification that says `replica` committed `change`.
pub fn encode(replica: u64, change: &Change) -> String {
    let body = |change: &Change| {
        match change {
            Change::Everything => json!({ "from": replica.to_string(), "everything": true }),
            Change::Commitments { commitments, summits } => {
                json!({ "from": replica.to_string(), "commitments": commitments, "summits": summits })
            }
        }
        .to_string()
    };
    let payload = body(change);
    if payload.len() <= MAX_PAYLOAD_BYTES {
        payload
    } else {
        body(&Change::Everything)
    }
}

/// Who sent a notification and what it changed; `None` for one that is not
/// an announcement of this kind.
pub fn decode(payload: &str) -> Option<(u64, Change)> {
    let value: Value = serde_json::from_str(payload).ok()?;
    let from = value.get("from")?.as_str()?.parse().ok()?;
    if value.get("everything").and_then(Value::as_bool) == Some(true) {
        return Some((from, Change::Everything));
    }
    let strings = |key: &str| -> Option<Vec<String>> {
        value
            .get(key)?
            .as_array()?
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    Some((
        from,
        Change::Commitments {
            commitments: strings("commitments")?,
            summits: strings("summits")?,
        },
    ))
}

/// Announces, inside the write's transaction, that `replica` committed
/// `change`: the other replicas hear of it when the transaction commits.
pub async fn announce_change(transaction: &mut PgConnection, replica: u64, change: &Change) -> Result<(), sqlx::Error> {
    announce(transaction, &encode(replica, change)).await
}

/// Records in `changes` every change the other replicas announce, until
/// `stop` resolves. A failure to listen is logged and tried again a second
/// later; anything may have changed meanwhile, so it counts as everything.
pub async fn follow_other_replicas(
    pool: PgPool,
    replica: u64,
    changes: DataChanges,
    stop: impl std::future::Future<Output = ()>,
) {
    let mut stop = std::pin::pin!(stop);
    loop {
        let listening = tokio::select! {
            _ = &mut stop => return,
            listening = Announcements::listen(&pool) => listening,
        };
        let mut announcements = match listening {
            Ok(announcements) => announcements,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for other replicas' changes; trying again");
                tokio::select! {
                    _ = &mut stop => return,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                }
            }
        };
        loop {
            let heard = tokio::select! {
                _ = &mut stop => return,
                heard = announcements.next() => heard,
            };
            match heard {
                Ok(Heard::Payload(payload)) => match decode(&payload) {
                    Some((from, _)) if from == replica => {}
                    Some((_, change)) => changes.record_published(&change),
                    None => tracing::warn!(payload, "an announcement that is not Accord's"),
                },
                Ok(Heard::Reconnected) => changes.record_published(&Change::Everything),
                Err(error) => {
                    tracing::warn!(%error, "lost the other replicas' changes; listening again");
                    changes.record_published(&Change::Everything);
                    break;
                }
            }
        }
    }
}

//! PostgreSQL's `NOTIFY`, as the replicas of one site use it to tell each
//! other what a committed write changed (`store::replica_changes` decides
//! what is said). A notification sent inside a transaction is delivered
//! when, and only if, it commits, so a replica hears of a write exactly
//! when other replicas can read it.

use sqlx::postgres::PgListener;
use sqlx::{PgConnection, PgPool};

/// The channel every replica of a site listens on.
pub const CHANNEL: &str = "accord_data_changes";

/// The longest payload PostgreSQL delivers (its limit is 8000 bytes).
pub const MAX_PAYLOAD_BYTES: usize = 7_999;

/// Sends `payload` on [`CHANNEL`], from the transaction or connection given.
pub async fn announce(connection: &mut PgConnection, payload: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT pg_notify($1, $2)", CHANNEL, payload)
        .execute(connection)
        .await?;
    Ok(())
}

/// What a listener heard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Heard {
    /// A notification's payload.
    Payload(String),
    /// The listening connection was lost and has been opened again:
    /// notifications sent meanwhile may never arrive.
    Reconnected,
}

/// A connection of its own that listens on [`CHANNEL`].
pub struct Announcements {
    listener: PgListener,
}

impl Announcements {
    pub async fn listen(pool: &PgPool) -> Result<Announcements, sqlx::Error> {
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        Ok(Announcements { listener })
    }

    /// Waits for the next notification; reconnects (and says so) when the
    /// connection was lost.
    pub async fn next(&mut self) -> Result<Heard, sqlx::Error> {
        Ok(match self.listener.try_recv().await? {
            Some(notification) => Heard::Payload(notification.payload().to_owned()),
            None => Heard::Reconnected,
        })
    }
}

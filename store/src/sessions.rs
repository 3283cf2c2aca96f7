//! Server-side session storage for tower-sessions, in our own SQLite file.
//!
//! Why not `tower-sessions-sqlx-store`: it depends on sqlx 0.8, and two sqlx
//! versions cannot link two copies of SQLite into one binary. The store is
//! small: four queries.

use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// The session key under which the signed-in user's id is kept.
pub const USER_ID_KEY: &str = "user_id";

#[derive(Clone, Debug)]
pub struct SqliteSessionStore {
    db: crate::Db,
}

impl SqliteSessionStore {
    /// Sessions are written in the same line as every other write to `db`.
    pub fn new(db: crate::Db) -> Self {
        SqliteSessionStore { db }
    }
}

fn backend(error: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn encode(record: &Record) -> session_store::Result<(String, Option<i64>, i64)> {
    let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
    // Kept in its own column so an account's sessions can be ended at once.
    let user_id = record.data.get(USER_ID_KEY).and_then(|v| v.as_i64());
    Ok((data, user_id, record.expiry_date.unix_timestamp()))
}

#[async_trait::async_trait]
impl SessionStore for SqliteSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Session ids are random 128-bit values; on the unlikely collision,
        // draw a new one rather than overwrite someone else's session.
        let _turn = self.db.write_turn().await;
        loop {
            let (data, user_id, expires_at) = encode(record)?;
            let id = record.id.to_string();
            let inserted = sqlx::query!(
                "INSERT INTO sessions (id, user_id, data, expires_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
                id,
                user_id,
                data,
                expires_at
            )
            .execute(self.db.pool())
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (data, user_id, expires_at) = encode(record)?;
        let id = record.id.to_string();
        let _turn = self.db.write_turn().await;
        sqlx::query!(
            "INSERT INTO sessions (id, user_id, data, expires_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at",
            id,
            user_id,
            data,
            expires_at
        )
        .execute(self.db.pool())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let id = session_id.to_string();
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let row = sqlx::query!(
            r#"SELECT data AS "data!: Vec<u8>", expires_at FROM sessions WHERE id = ?1 AND expires_at > ?2"#,
            id,
            now
        )
        .fetch_optional(self.db.pool())
        .await
        .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let data = serde_json::from_slice(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(row.expires_at)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *session_id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        let id = session_id.to_string();
        let _turn = self.db.write_turn().await;
        sqlx::query!("DELETE FROM sessions WHERE id = ?1", id)
            .execute(self.db.pool())
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for SqliteSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let _turn = self.db.write_turn().await;
        sqlx::query!("DELETE FROM sessions WHERE expires_at <= ?1", now)
            .execute(self.db.pool())
            .await
            .map_err(backend)?;
        Ok(())
    }
}

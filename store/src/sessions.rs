//! Server-side session storage for tower-sessions, in our own SQLite file.
//!
//! Why not `tower-sessions-sqlx-store`: it depends on sqlx 0.8, and two sqlx
//! versions cannot link two copies of SQLite into one binary. The store is
//! small: four queries.
//!
//! The table holds a hash of each session id, never the id itself: the id
//! is the editor's credential, and whoever reads the database file or a
//! backup must not be able to sign in with what they find there. SHA-256
//! is enough (no salt, no slow hash): the ids are 128 random bits, so
//! there is nothing to guess, only to keep from being copied.

use sha2::{Digest, Sha256};
use store_postgres::sessions::{self as postgres_sessions, SessionRow};
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

/// The sessions of a site, kept in its database whichever engine that is:
/// on PostgreSQL every replica reads the sessions every other one wrote.
#[derive(Clone, Debug)]
pub enum SiteSessionStore {
    Sqlite(SqliteSessionStore),
    Postgres(PostgresSessionStore),
}

impl SiteSessionStore {
    pub fn new(db: crate::Db) -> Self {
        match db.postgres_pool() {
            Some(pool) => SiteSessionStore::Postgres(PostgresSessionStore::new(pool.clone())),
            None => SiteSessionStore::Sqlite(SqliteSessionStore::new(db)),
        }
    }
}

#[async_trait::async_trait]
impl SessionStore for SiteSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            SiteSessionStore::Sqlite(store) => store.create(record).await,
            SiteSessionStore::Postgres(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            SiteSessionStore::Sqlite(store) => store.save(record).await,
            SiteSessionStore::Postgres(store) => store.save(record).await,
        }
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            SiteSessionStore::Sqlite(store) => store.load(session_id).await,
            SiteSessionStore::Postgres(store) => store.load(session_id).await,
        }
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        match self {
            SiteSessionStore::Sqlite(store) => store.delete(session_id).await,
            SiteSessionStore::Postgres(store) => store.delete(session_id).await,
        }
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for SiteSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            SiteSessionStore::Sqlite(store) => store.delete_expired().await,
            SiteSessionStore::Postgres(store) => store.delete_expired().await,
        }
    }
}

/// What the `sessions.id` column holds for a session id: SHA-256 of the
/// id's text (as the cookie carries it), in lowercase hex.
pub fn stored_id(session_id: &Id) -> String {
    format!("{:x}", Sha256::digest(session_id.to_string().as_bytes()))
}

/// Ends every session in a database (a restored backup's, whose sessions
/// belong to another time). Returns how many there were.
pub async fn delete_all(connection: &mut sqlx::SqliteConnection) -> Result<u64, sqlx::Error> {
    let deleted = sqlx::query!("DELETE FROM sessions").execute(connection).await?;
    Ok(deleted.rows_affected())
}

/// A save that would change nothing but move the expiry by less than this
/// is skipped. tower-sessions saves a session after every request (so that
/// its limit is one of inactivity), and each save is a write, which waits
/// for its turn behind every editor's saves: a signed-in editor reading
/// pages while others save waited tens of milliseconds per page for it
/// (issue 17, point 5). So an idle limit of 8 hours is kept to the minute.
pub const EXPIRY_SLACK_SECONDS: i64 = 60;

fn backend(error: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn encode(record: &Record) -> session_store::Result<(String, Option<i64>, i64)> {
    let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
    // Kept in its own column so an account's sessions can be ended at once.
    let user_id = record.data.get(USER_ID_KEY).and_then(|v| v.as_i64());
    Ok((data, user_id, record.expiry_date.unix_timestamp()))
}

/// A stored session as tower-sessions' record (both engines).
fn decode(session_id: &Id, data: &[u8], expires_at: i64) -> session_store::Result<Record> {
    let data = serde_json::from_slice(data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
    let expiry_date =
        OffsetDateTime::from_unix_timestamp(expires_at).map_err(|e| session_store::Error::Decode(e.to_string()))?;
    Ok(Record {
        id: *session_id,
        data,
        expiry_date,
    })
}

#[async_trait::async_trait]
impl SessionStore for SqliteSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Session ids are random 128-bit values; on the unlikely collision,
        // draw a new one rather than overwrite someone else's session.
        let _turn = self.db.write_turn().await;
        loop {
            let (data, user_id, expires_at) = encode(record)?;
            let id = stored_id(&record.id);
            let inserted = sqlx::query!(
                "INSERT INTO sessions (id, user_id, data, expires_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
                id,
                user_id,
                data,
                expires_at
            )
            .execute(self.db.sqlite_pool().map_err(backend)?)
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
        let id = stored_id(&record.id);
        // A read, which waits for no writer (WAL).
        let stored = sqlx::query!(
            r#"SELECT data AS "data!: String", expires_at FROM sessions WHERE id = ?1"#,
            id
        )
        .fetch_optional(self.db.sqlite_pool().map_err(backend)?)
        .await
        .map_err(backend)?;
        if stored.is_some_and(|stored| {
            stored.data == data && (0..EXPIRY_SLACK_SECONDS).contains(&(expires_at - stored.expires_at))
        }) {
            return Ok(());
        }
        let _turn = self.db.write_turn().await;
        sqlx::query!(
            "INSERT INTO sessions (id, user_id, data, expires_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at",
            id,
            user_id,
            data,
            expires_at
        )
        .execute(self.db.sqlite_pool().map_err(backend)?)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let id = stored_id(session_id);
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let row = sqlx::query!(
            r#"SELECT data AS "data!: Vec<u8>", expires_at FROM sessions WHERE id = ?1 AND expires_at > ?2"#,
            id,
            now
        )
        .fetch_optional(self.db.sqlite_pool().map_err(backend)?)
        .await
        .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        decode(session_id, &row.data, row.expires_at).map(Some)
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        let id = stored_id(session_id);
        let _turn = self.db.write_turn().await;
        sqlx::query!("DELETE FROM sessions WHERE id = ?1", id)
            .execute(self.db.sqlite_pool().map_err(backend)?)
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
            .execute(self.db.sqlite_pool().map_err(backend)?)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// The session store on PostgreSQL, which every replica of a site shares:
/// the same rules as [`SqliteSessionStore`] (hashed ids, the expiry
/// slack), the SQL in `store_postgres::sessions`. PostgreSQL takes
/// concurrent writers itself, so no write turn is waited for.
#[derive(Clone, Debug)]
pub struct PostgresSessionStore {
    pool: sqlx::PgPool,
}

impl PostgresSessionStore {
    pub fn new(pool: sqlx::PgPool) -> Self {
        PostgresSessionStore { pool }
    }
}

#[async_trait::async_trait]
impl SessionStore for PostgresSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let (data, user_id, expires_at) = encode(record)?;
            let id = stored_id(&record.id);
            let row = SessionRow {
                id: &id,
                user_id,
                data: data.as_bytes(),
                expires_at,
            };
            if postgres_sessions::insert_new(&self.pool, &row).await.map_err(backend)? {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (data, user_id, expires_at) = encode(record)?;
        let id = stored_id(&record.id);
        let stored = postgres_sessions::stored(&self.pool, &id).await.map_err(backend)?;
        if stored.is_some_and(|stored| {
            stored.data == data.as_bytes() && (0..EXPIRY_SLACK_SECONDS).contains(&(expires_at - stored.expires_at))
        }) {
            return Ok(());
        }
        let row = SessionRow {
            id: &id,
            user_id,
            data: data.as_bytes(),
            expires_at,
        };
        postgres_sessions::upsert(&self.pool, &row).await.map_err(backend)
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let Some(row) = postgres_sessions::live(&self.pool, &stored_id(session_id), now)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        decode(session_id, &row.data, row.expires_at).map(Some)
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        postgres_sessions::delete(&self.pool, &stored_id(session_id))
            .await
            .map_err(backend)
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for PostgresSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        postgres_sessions::delete_expired(&self.pool, now)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::SqlitePool;

    fn record(expires_in: time::Duration) -> Record {
        Record {
            id: Id::default(),
            data: [("k".to_owned(), serde_json::json!("v"))].into_iter().collect(),
            expiry_date: OffsetDateTime::now_utc() + expires_in,
        }
    }

    async fn stored_ids(pool: &SqlitePool) -> Vec<String> {
        sqlx::query_scalar("SELECT id FROM sessions ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap()
    }

    #[sqlx::test(migrations = "../migrations/sqlite")]
    async fn the_table_holds_a_hash_of_each_id_never_the_id(pool: SqlitePool) {
        let store = SqliteSessionStore::new(crate::Db::new(pool.clone()));
        let mut session = record(time::Duration::hours(1));
        store.create(&mut session).await.unwrap();
        let cookie_value = session.id.to_string();
        let expected = format!("{:x}", Sha256::digest(cookie_value.as_bytes()));
        assert_eq!(stored_ids(&pool).await, vec![expected.clone()], "created");
        assert_eq!(expected.len(), 64, "SHA-256 in hex");

        session.data.insert("more".to_owned(), serde_json::json!(1));
        store.save(&session).await.unwrap();
        assert_eq!(stored_ids(&pool).await, vec![expected.clone()], "saved in place");
        let whole: String = sqlx::query_scalar("SELECT id || ' ' || CAST(data AS TEXT) FROM sessions")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(
            !whole.contains(&cookie_value),
            "the id appears nowhere in the row: {whole}"
        );

        assert_eq!(
            store.load(&session.id).await.unwrap().unwrap().data,
            session.data,
            "loaded by its id"
        );
        // Someone who copied the table cannot use what they found as a cookie.
        let found: Id = Id(u128::from_str_radix(&expected[..32], 16).unwrap() as i128);
        assert!(store.load(&found).await.unwrap().is_none());

        store.delete(&session.id).await.unwrap();
        assert!(stored_ids(&pool).await.is_empty(), "deleted by its id");
    }

    async fn stored_expiry(pool: &SqlitePool) -> i64 {
        sqlx::query_scalar("SELECT expires_at FROM sessions")
            .fetch_one(pool)
            .await
            .unwrap()
    }

    /// Issue 17, point 5: a request that changes nothing in the session
    /// does not write it unless its expiry moves by a minute or more.
    #[sqlx::test(migrations = "../migrations/sqlite")]
    async fn a_save_that_only_moves_the_expiry_by_seconds_writes_nothing(pool: SqlitePool) {
        let store = SqliteSessionStore::new(crate::Db::new(pool.clone()));
        let mut session = record(time::Duration::hours(8));
        store.create(&mut session).await.unwrap();
        let created = stored_expiry(&pool).await;

        session.expiry_date += time::Duration::seconds(EXPIRY_SLACK_SECONDS - 1);
        store.save(&session).await.unwrap();
        assert_eq!(stored_expiry(&pool).await, created, "seconds later: not written");

        session.expiry_date += time::Duration::seconds(1);
        store.save(&session).await.unwrap();
        assert_eq!(
            stored_expiry(&pool).await,
            created + EXPIRY_SLACK_SECONDS,
            "a minute later: written"
        );

        session.data.insert("more".to_owned(), serde_json::json!(1));
        store.save(&session).await.unwrap();
        let loaded = store.load(&session.id).await.unwrap().unwrap();
        assert_eq!(loaded.data, session.data, "a change of the data is always written");

        session.expiry_date -= time::Duration::hours(1);
        store.save(&session).await.unwrap();
        assert_eq!(
            stored_expiry(&pool).await,
            session.expiry_date.unix_timestamp(),
            "an earlier expiry is always written"
        );
    }

    #[sqlx::test(migrations = "../migrations/sqlite")]
    async fn delete_expired_deletes_exactly_the_expired(pool: SqlitePool) {
        let store = SqliteSessionStore::new(crate::Db::new(pool.clone()));
        let mut live = Vec::new();
        for expires_in in [
            time::Duration::minutes(-1),
            time::Duration::hours(-9),
            time::Duration::seconds(-2),
            time::Duration::minutes(1),
            time::Duration::hours(8),
            time::Duration::seconds(30),
        ] {
            let mut session = record(expires_in);
            store.create(&mut session).await.unwrap();
            if expires_in.is_positive() {
                live.push(stored_id(&session.id));
            }
        }
        assert_eq!(stored_ids(&pool).await.len(), 6);
        store.delete_expired().await.unwrap();
        live.sort();
        assert_eq!(
            stored_ids(&pool).await,
            live,
            "the three live sessions, and only they, remain"
        );
    }

    #[sqlx::test(migrations = "../migrations/sqlite")]
    async fn delete_all_ends_every_session(pool: SqlitePool) {
        let store = SqliteSessionStore::new(crate::Db::new(pool.clone()));
        for _ in 0..3 {
            store.create(&mut record(time::Duration::hours(1))).await.unwrap();
        }
        let mut connection = pool.acquire().await.unwrap();
        assert_eq!(delete_all(&mut connection).await.unwrap(), 3);
        assert!(stored_ids(&pool).await.is_empty());
    }
}

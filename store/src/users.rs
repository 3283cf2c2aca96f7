//! Editor accounts and password hashing (argon2id with a random salt).

use crate::engine::{Engine, EngineRef, Tx};
use crate::Db;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Utc};

use domain::{CurrentUser, Role};
use store_rows::{ActiveUserRow, CredentialsRow};

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("a user named `{0}` already exists")]
    NameTaken(String),
    #[error("no user is named `{0}`")]
    NotFound(String),
    #[error("could not hash the password: {0}")]
    Hash(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Hashing takes a deliberate ~50 ms of CPU (seconds in unoptimised builds):
/// run it on the blocking pool so it never stalls the async runtime.
async fn hash_off_runtime(password: &str) -> Result<String, UserError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| UserError::Hash(e.to_string()))?
}

async fn matches_off_runtime(password: &str, stored_hash: &str) -> bool {
    let (password, stored_hash) = (password.to_owned(), stored_hash.to_owned());
    tokio::task::spawn_blocking(move || password_matches(&password, &stored_hash))
        .await
        .unwrap_or(false)
}

/// How long a sign-in waits in line for a password check (see
/// [`crate::Db::wait_for_password_check`]) before it is told to try again
/// (429) instead of piling up.
pub const PASSWORD_CHECK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

pub fn hash_password(password: &str) -> Result<String, UserError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| UserError::Hash(e.to_string()))
}

fn password_matches(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
        .unwrap_or(false)
}

/// A hash of a password nobody has, so that checking an unknown user name
/// costs as much as checking a known one (no timing hint about which exists).
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password that matches nothing").unwrap_or_default())
}

pub async fn create_user(
    db: &impl Engine,
    name: &str,
    role: Role,
    password: &str,
    now: DateTime<Utc>,
) -> Result<i64, UserError> {
    let hash = hash_off_runtime(password).await?;
    let role = role.code();
    let result = match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_scalar!(
                r#"INSERT INTO users (name, role, password_hash, created_at, password_changed_at)
           VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id AS "id!: i64""#,
                name,
                role,
                hash,
                now
            )
            .fetch_one(pool)
            .await
        }
        EngineRef::Postgres(pool) => store_postgres::users::create_user(pool, name, role, &hash, now).await,
    };
    match result {
        Ok(id) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(UserError::NameTaken(name.to_owned())),
        Err(e) => Err(e.into()),
    }
}

/// Sets a new password and ends every session of the account, in one transaction.
pub async fn set_password(db: &Db, name: &str, password: &str, now: DateTime<Utc>) -> Result<(), UserError> {
    let hash = hash_off_runtime(password).await?;
    let mut write = db.begin_write().await?;
    let id = match &mut write.tx() {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"UPDATE users SET password_hash = ?1, password_changed_at = ?2 WHERE name = ?3
                   RETURNING id AS "id!: i64""#,
                hash,
                now,
                name
            )
            .fetch_optional(&mut **c)
            .await?
        }
        Tx::Postgres(c) => store_postgres::users::set_password_hash(c, name, &hash, now).await?,
    }
    .ok_or_else(|| UserError::NotFound(name.to_owned()))?;
    end_sessions(&mut write.tx(), id).await?;
    write.commit_changing_no_page().await?;
    Ok(())
}

/// Disables or re-enables an account; disabling ends its sessions at once.
pub async fn set_disabled(db: &Db, name: &str, disabled: bool, now: DateTime<Utc>) -> Result<(), UserError> {
    let mut write = db.begin_write().await?;
    let disabled_at = disabled.then_some(now);
    let id = match &mut write.tx() {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"UPDATE users SET disabled_at = ?1 WHERE name = ?2 RETURNING id AS "id!: i64""#,
                disabled_at,
                name
            )
            .fetch_optional(&mut **c)
            .await?
        }
        Tx::Postgres(c) => store_postgres::users::set_disabled_at(c, name, disabled_at).await?,
    }
    .ok_or_else(|| UserError::NotFound(name.to_owned()))?;
    if disabled {
        end_sessions(&mut write.tx(), id).await?;
    }
    write.commit_changing_no_page().await?;
    Ok(())
}

async fn end_sessions(tx: &mut Tx<'_>, user_id: i64) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!("DELETE FROM sessions WHERE user_id = ?1", user_id)
                .execute(&mut **c)
                .await?;
            Ok(())
        }
        Tx::Postgres(c) => store_postgres::users::end_sessions(c, user_id).await,
    }
}

/// An account as the admin's list shows it.
pub type UserListing = store_rows::UserListingRow;

pub async fn list_users(db: &impl Engine) -> Result<Vec<UserListing>, sqlx::Error> {
    match db.engine() {
        EngineRef::Sqlite(pool) => sqlx::query_as!(
            UserListing,
            r#"SELECT name, role, created_at AS "created_at: DateTime<Utc>", disabled_at AS "disabled_at: DateTime<Utc>"
           FROM users ORDER BY name"#
        )
        .fetch_all(pool)
        .await,
        EngineRef::Postgres(pool) => store_postgres::users::list_users(pool).await,
    }
}

/// Checks a name and password. `None` for a wrong name, wrong password or a
/// disabled account alike: callers must not tell them apart.
pub async fn verify_credentials(
    db: &impl Engine,
    name: &str,
    password: &str,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row = match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_as!(
                CredentialsRow,
                r#"SELECT id AS "id!: i64", name, role, password_hash, disabled_at IS NOT NULL AS "disabled!: bool"
                   FROM users WHERE name = ?1"#,
                name
            )
            .fetch_optional(pool)
            .await?
        }
        EngineRef::Postgres(pool) => store_postgres::users::credentials(pool, name).await?,
    };
    let Some(row) = row else {
        matches_off_runtime(password, decoy_hash()).await;
        return Ok(None);
    };
    if !matches_off_runtime(password, &row.password_hash).await || row.disabled {
        return Ok(None);
    }
    let role = super::commitments::decode::<Role>(&row.role)?;
    Ok(Some(CurrentUser {
        id: row.id,
        name: row.name,
        role,
    }))
}

/// The account behind a session, if it still exists and is enabled.
pub async fn find_active_user(db: &impl Engine, id: i64) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row = match db.engine() {
        EngineRef::Sqlite(pool) => {
            sqlx::query_as!(
                ActiveUserRow,
                r#"SELECT id AS "id!: i64", name, role FROM users WHERE id = ?1 AND disabled_at IS NULL"#,
                id
            )
            .fetch_optional(pool)
            .await?
        }
        EngineRef::Postgres(pool) => store_postgres::users::active_user(pool, id).await?,
    };
    row.map(|row| {
        Ok(CurrentUser {
            id: row.id,
            name: row.name,
            role: super::commitments::decode(&row.role)?,
        })
    })
    .transpose()
}

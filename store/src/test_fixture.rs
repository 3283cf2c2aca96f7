//! The fixture the store's tests share: the shipped data set, loaded into a
//! fresh database as the server loads it, and an editor to write as.

use chrono::{TimeZone, Utc};
use domain::{CurrentUser, Dataset, Role};

use crate::engine::{Engine, EngineRef};
use crate::{seed, users, Db};

const SEED: &str = include_str!("../../seed/summit-2025-11-01.toml");

/// The shipped data set.
pub fn dataset() -> Dataset {
    toml::from_str(SEED).expect("the shipped seed file parses")
}

/// A handle of its own on the database `db` reaches (a pool of either
/// engine, or a `Db`).
pub fn handle_on(db: &impl Engine) -> Db {
    match db.engine() {
        EngineRef::Sqlite(pool) => Db::new(pool.clone()),
        EngineRef::Postgres(pool) => Db::postgres(pool.clone()),
    }
}

/// Loads the shipped data set into `db`'s (fresh) database, dated the day
/// after the summit; returns it, to check what the store answers against.
pub async fn seeded(db: &impl Engine) -> Dataset {
    let data = dataset();
    seed::insert_dataset(
        &handle_on(db),
        &data,
        Utc.with_ymd_and_hms(2025, 11, 2, 9, 0, 0).unwrap(),
    )
    .await
    .unwrap();
    data
}

/// A new editor account called `name`, signed in.
pub async fn editor(db: &impl Engine, name: &str) -> CurrentUser {
    let id = users::create_user(db, name, Role::Editor, "a long enough password", Utc::now())
        .await
        .unwrap();
    CurrentUser {
        id,
        name: name.into(),
        role: Role::Editor,
    }
}

/// Runs one of the store's tests on both engines: `both_engines!(name);`
/// beside `async fn name(db: Db)` makes `name::on_sqlite`, over a fresh
/// SQLite file (as `#[sqlx::test]` makes them), and `name::on_postgres`,
/// over a PostgreSQL database of its own (`postgres_test_database`), both
/// migrated. The test reaches the database through the store's functions,
/// or through [`on_engine!`].
macro_rules! both_engines {
    ($name:ident) => {
        mod $name {
            #[sqlx::test(migrations = "../migrations/sqlite")]
            async fn on_sqlite(pool: sqlx::SqlitePool) {
                super::$name(crate::Db::new(pool)).await;
            }

            #[tokio::test]
            async fn on_postgres() {
                let database = crate::postgres_test_database::TestDatabase::migrated().await;
                super::$name(crate::Db::postgres(database.pool.clone())).await;
                database.drop_database().await;
            }
        }
    };
}
pub(crate) use both_engines;

/// Runs `$body` with `$pool` bound to the pool of whichever engine `$db`
/// reaches: one statement for both (written with `$1`, `$2`…, which SQLite
/// reads too), each arm typed for its engine.
macro_rules! on_engine {
    ($db:expr, |$pool:ident| $body:expr) => {
        match crate::engine::Engine::engine(&$db) {
            crate::engine::EngineRef::Sqlite($pool) => $body,
            crate::engine::EngineRef::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_engine;

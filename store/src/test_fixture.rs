//! The fixture the store's tests share: the shipped data set, loaded into a
//! fresh database as the server loads it, and an editor to write as.

use chrono::{TimeZone, Utc};
use domain::{CurrentUser, Dataset, Role};
use sqlx::SqlitePool;

use crate::{seed, users, Db};

const SEED: &str = include_str!("../../seed/summit-2025-11-01.toml");

/// The shipped data set.
pub fn dataset() -> Dataset {
    toml::from_str(SEED).expect("the shipped seed file parses")
}

/// Loads the shipped data set into `pool`'s (fresh) database, dated the day
/// after the summit; returns it, to check what the store answers against.
pub async fn seeded(pool: &SqlitePool) -> Dataset {
    let data = dataset();
    seed::insert_dataset(
        &Db::new(pool.clone()),
        &data,
        Utc.with_ymd_and_hms(2025, 11, 2, 9, 0, 0).unwrap(),
    )
    .await
    .unwrap();
    data
}

/// A new editor account called `name`, signed in.
pub async fn editor(pool: &SqlitePool, name: &str) -> CurrentUser {
    let id = users::create_user(pool, name, Role::Editor, "a long enough password", Utc::now())
        .await
        .unwrap();
    CurrentUser {
        id,
        name: name.into(),
        role: Role::Editor,
    }
}

//! The summit data sets shipped with Accord, loaded when the database is new.

use app::db;
use app::model::Dataset;
use chrono::Utc;
use sqlx::SqlitePool;

/// The 1 November 2025 Xi–Lee summit, every line traceable to
/// `seed/summit-2025-11-01-xinhua.txt`.
pub const SUMMIT_2025_11_01: &str = include_str!("../../seed/summit-2025-11-01.toml");

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("the seed file is not valid: {0}")]
    Parse(#[from] toml::de::Error),
    #[error(transparent)]
    Seed(#[from] db::seed::SeedError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub fn parse_dataset(text: &str) -> Result<Dataset, toml::de::Error> {
    toml::from_str(text)
}

/// Loads the shipped data sets if the database has no summit yet. Returns
/// whether anything was loaded.
pub async fn seed_if_empty(pool: &SqlitePool) -> Result<bool, LoadError> {
    if db::summits::count_summits(pool).await? > 0 {
        return Ok(false);
    }
    let dataset = parse_dataset(SUMMIT_2025_11_01)?;
    db::seed::insert_dataset(pool, &dataset, Utc::now()).await?;
    Ok(true)
}

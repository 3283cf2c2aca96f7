//! Accord's SQL for PostgreSQL: the second engine's statements, one
//! function each, checked at compile time by `sqlx::query!` against a
//! database migrated with `migrations/postgres/` (this crate's `sqlx.toml`
//! names `POSTGRES_DATABASE_URL`; offline data in the workspace's `.sqlx/`).
//! It speaks in `domain` types, as `store` does; `store` chooses the engine
//! (docs/SCALING.md says which reads and writes have moved here so far).

pub mod announcements;
pub mod charts;
pub mod commitments;
pub mod corrections;
pub mod editing;
pub mod evidence;
pub mod form_flashes;
pub mod listing;
pub mod logins;
pub mod maintenance;
pub mod page_changes;
pub mod search;
pub mod seed;
pub mod sessions;
pub mod stored_text;
pub mod suggestions;
pub mod summit_dataset;
pub mod summits;
pub mod translations;
pub mod users;

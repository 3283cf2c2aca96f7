//! Accord's domain: the types every other crate speaks in (statuses and
//! their rule, slugs, vocabularies, list queries, form parsing, read models,
//! revision snapshots and their summaries, limits). No database, no web
//! framework and no I/O; it builds for the browser (wasm32) too.

mod client_address;
mod dataset;
mod evidence;
mod filters;
mod forms;
mod history;
mod locale;
#[cfg(feature = "openapi")]
mod openapi;
mod site;
mod slug;
mod status;
mod texts;
mod time_zone;
mod user;
mod views;
mod vocab;

pub use client_address::*;
pub use dataset::*;
pub use evidence::*;
pub use filters::*;
pub use forms::*;
pub use history::*;
pub use locale::*;
pub use site::*;
pub use slug::*;
pub use status::*;
pub use texts::*;
pub use time_zone::*;
pub use user::*;
pub use views::*;
pub use vocab::*;

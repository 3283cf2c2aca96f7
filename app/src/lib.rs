#![recursion_limit = "256"]
//! Accord's Leptos application: pages, components, server functions and the
//! HTML shell, compiled for the server (`ssr`) and for the browser
//! (`hydrate`, through the `frontend` crate). Domain types come from
//! `domain`; the server functions reach the database only through `store`.

pub mod api;
pub mod components;
pub mod error;
pub mod locale;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod refusals;
mod shell;

pub use shell::{shell, App};

/// Brings the islands of a server-rendered page to life (the copy buttons);
/// the rest of the page stays the server's HTML.
#[cfg(feature = "hydrate")]
pub fn hydrate_islands() {
    leptos::mount::hydrate_islands();
}

#![recursion_limit = "256"]
//! Accord's application crate: domain types, pages and server functions,
//! compiled for the server (`ssr`) and for the browser (`hydrate`).

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod error;
pub mod model;
pub mod pages;
mod shell;

pub use shell::{shell, App};

/// Entry point of the browser bundle. The app runs in islands mode: the
/// page stays the server's HTML, and only the `#[island]` components (the
/// copy buttons) come alive in the browser.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

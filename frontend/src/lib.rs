//! Entry point of the browser bundle. The app runs in islands mode: the page
//! stays the server's HTML, and only the `#[island]` components of the `app`
//! crate (the copy buttons) come alive in the browser.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate_islands();
}

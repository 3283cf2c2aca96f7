//! `sqlx::migrate!` embeds the migrations when the crate is compiled; cargo
//! does not know it read them, so a new migration file alone would not
//! rebuild the store. Telling cargo to watch the folder does (as sqlx's own
//! documentation advises).
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}

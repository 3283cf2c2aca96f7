//! Domain types shared by the server and the browser. No I/O here.

mod dataset;
mod slug;
mod status;
mod views;
mod vocab;

pub use dataset::*;
pub use slug::*;
pub use status::*;
pub use views::*;
pub use vocab::*;

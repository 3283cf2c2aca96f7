//! Domain types shared by the server and the browser. No I/O here.

mod dataset;
mod filters;
mod forms;
#[cfg(feature = "ssr")]
mod openapi;
mod slug;
mod status;
mod user;
mod views;
mod vocab;

pub use dataset::*;
pub use filters::*;
pub use forms::*;
pub use slug::*;
pub use status::*;
pub use user::*;
pub use views::*;
pub use vocab::*;

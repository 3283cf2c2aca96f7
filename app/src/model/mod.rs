//! Domain types shared by the server and the browser. No I/O here.

mod dataset;
mod forms;
mod slug;
mod status;
mod user;
mod views;
mod vocab;

pub use dataset::*;
pub use forms::*;
pub use slug::*;
pub use status::*;
pub use user::*;
pub use views::*;
pub use vocab::*;

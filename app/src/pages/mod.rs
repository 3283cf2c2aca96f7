//! One page component per route.

mod commitment;
mod home;
mod login;
mod not_found;

pub use commitment::CommitmentPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::{NotFound, NotFoundPage};

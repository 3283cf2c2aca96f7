//! One page component per route.

mod commitment;
mod commitment_form;
mod corrections;
mod history;
mod home;
mod login;
mod methodology;
mod not_found;
mod review;
mod summit;
mod summits;

pub use commitment::CommitmentPage;
pub use commitment_form::{EditCommitmentPage, NewCommitmentPage};
pub use corrections::CorrectionsPage;
pub use history::HistoryPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use methodology::MethodologyPage;
pub use not_found::{NotFound, NotFoundPage};
pub use review::ReviewPage;
pub use summit::SummitPage;
pub use summits::SummitsPage;

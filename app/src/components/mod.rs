//! Small reusable views.

mod copy_link;
mod status_badge;

pub use copy_link::CopyLinkButton;
pub use status_badge::{PartyStatusList, StatusBadge};

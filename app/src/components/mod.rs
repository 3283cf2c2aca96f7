//! Small reusable views.

mod copy_link;
mod status_badge;
mod status_form;

pub use copy_link::CopyLinkButton;
pub use status_badge::{PartyStatusList, StatusBadge};
pub use status_form::{escape_html, FieldMessage, StatusForm};

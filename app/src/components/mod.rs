//! Small reusable views.

mod copy_link;
mod source_forms;
mod status_badge;
mod status_form;
mod suggest_form;

pub use copy_link::CopyLinkButton;
pub use source_forms::{AddSourceForm, SourceEditControls, SourceFields};
pub use status_badge::{PartyStatusList, StatusBadge};
pub use status_form::{escape_html, FieldMessage, StatusForm};
pub use suggest_form::SuggestForm;

//! Small reusable views.

mod commitment_card;
mod commitment_listing;
mod copy_link;
mod history_change;
mod language_switcher;
mod list_filters;
mod shown_text;
mod source_correction;
mod source_forms;
mod status_badge;
mod status_chart;
mod status_form;
mod suggest_form;
mod translation_forms;

pub use commitment_card::{describe_progress, CommitmentCard, DueBar, OverdueFlag};
pub use commitment_listing::CommitmentListing;
pub use copy_link::{CopyLinkButton, CopyWords};
pub use history_change::describe_change;
pub use language_switcher::{absolute, CanonicalLink, LanguageLink, LanguageSwitcher};
pub use list_filters::ListFilters;
pub use shown_text::{ShownText, TextOriginNote};
pub use source_correction::{FieldChanges, LaterCorrectionFlag, SourceCorrections};
pub use source_forms::{AddSourceForm, LanguageChoice, SourceEditControls, SourceFields};
pub use status_badge::{PartyStatusList, StatusBadge};
pub use status_chart::{status_colour, StatusChart};
pub use status_form::{escape_html, FieldMessage, StatusForm};
pub use suggest_form::SuggestForm;
pub use translation_forms::TranslationForms;

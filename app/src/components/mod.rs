//! Small reusable views.

mod badge_embed;
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
mod structured_data;
mod suggest_form;
mod translation_forms;

pub use badge_embed::{badge_embed, status_line, BadgeEmbed};
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
pub use structured_data::{breadcrumbs, commitments_dataset, graph, script_safe_json, StructuredData};
pub use suggest_form::SuggestForm;
pub use translation_forms::TranslationForms;

//! The words for the store's refusals: the one place they are written, and
//! the field of the form each one is shown next to. Typed in the store
//! (`store::Refusal`), worded here, so they can be translated.

use std::collections::BTreeMap;

use domain::SubmittedForm;
use store::{Refusal, WriteError};

use crate::error::AppError;

/// The form field a refusal is about (`form` when it is about the whole
/// form), and what to tell the editor.
pub fn refusal_message(refusal: &Refusal) -> (&'static str, String) {
    match refusal {
        Refusal::PartyNotOwing => ("party", "That party does not owe this commitment.".into()),
        Refusal::CitedSourceNotOnCommitment => (
            "source_ids",
            "Choose among this commitment's sources, or add a new one.".into(),
        ),
        Refusal::SourceNotOnCommitment => ("form", "That source does not belong to this commitment.".into()),
        Refusal::SourceIsEvidence => (
            "form",
            "This source is the evidence for a status change, so it stays listed.".into(),
        ),
        Refusal::NoSuchVersion(version) => (
            "form",
            format!("There is no version {version} of this commitment to revert to."),
        ),
        Refusal::TitleMakesNoSlug => ("title", "The title needs Latin letters or digits.".into()),
        Refusal::UnknownSummit => ("summit", "Choose one of the listed summits.".into()),
        Refusal::UnknownParty => ("owed_by", "Choose among the listed parties.".into()),
        Refusal::PartyHasHistory => (
            "owed_by",
            "A party with status history cannot be removed from the commitment.".into(),
        ),
        Refusal::SuggestionAlreadyDecided => ("form", "This suggestion was already decided by another editor.".into()),
    }
}

impl From<WriteError> for AppError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::NotFound => AppError::NotFound("The commitment".into()),
            WriteError::StaleVersion(info) => AppError::conflict(info, SubmittedForm::default()),
            WriteError::Refused(refusal) => {
                let (field, message) = refusal_message(&refusal);
                let mut errors = SubmittedForm::default();
                errors.add(field, message);
                AppError::Invalid(errors)
            }
            WriteError::Database(error) => error.into(),
        }
    }
}

impl AppError {
    /// The same refusal, carrying what the editor typed, so the form is
    /// shown again with it.
    pub fn echoing(mut self, typed: BTreeMap<String, String>) -> AppError {
        match &mut self {
            AppError::Invalid(errors) | AppError::Conflict { values: errors, .. } => errors.values = typed,
            _ => {}
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_worded_next_to_a_field_of_its_form() {
        let all = [
            Refusal::PartyNotOwing,
            Refusal::CitedSourceNotOnCommitment,
            Refusal::SourceNotOnCommitment,
            Refusal::SourceIsEvidence,
            Refusal::NoSuchVersion(7),
            Refusal::TitleMakesNoSlug,
            Refusal::UnknownSummit,
            Refusal::UnknownParty,
            Refusal::PartyHasHistory,
            Refusal::SuggestionAlreadyDecided,
        ];
        for refusal in all {
            let (field, message) = refusal_message(&refusal);
            assert!(
                ["party", "source_ids", "form", "title", "summit", "owed_by"].contains(&field),
                "{refusal:?}"
            );
            assert!(message.ends_with('.') && message.len() > 10, "{refusal:?}: {message}");
        }
        assert!(refusal_message(&Refusal::NoSuchVersion(7)).1.contains("version 7"));
    }

    #[test]
    fn a_refusal_becomes_a_422_that_keeps_what_was_typed() {
        let typed = BTreeMap::from([("note".to_owned(), "kept".to_owned())]);
        let error = AppError::from(WriteError::Refused(Refusal::PartyNotOwing)).echoing(typed);
        assert_eq!(error.status_code(), 422);
        let errors = error.field_errors().unwrap();
        assert_eq!(errors.get("party"), Some("That party does not owe this commitment."));
        assert_eq!(errors.value("note"), Some("kept"));
        assert_eq!(AppError::from(WriteError::NotFound).status_code(), 404);
    }
}

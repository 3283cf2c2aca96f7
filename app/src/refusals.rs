//! The words for the store's refusals: the one place they are written, and
//! the field of the form each one is shown next to. Typed in the store
//! (`store::Refusal`), worded here, so they can be translated.

use std::collections::BTreeMap;

use domain::SubmittedForm;
use store::{Refusal, WriteError};

use crate::error::AppError;

/// The form field a refusal is about (`form` when it is about the whole
/// form), and what to tell the editor, in the language of the page the
/// form was posted from.
pub fn refusal_message(refusal: &Refusal) -> (&'static str, String) {
    let locale = crate::locale::use_locale();
    let say = |id: &str| crate::locale::tr(locale, id);
    match refusal {
        Refusal::PartyNotOwing => ("party", say("refusal-party-not-owing")),
        Refusal::CitedSourceNotOnCommitment => ("source_ids", say("refusal-cited-source-not-on-commitment")),
        Refusal::EvidencePredatesCommitment => ("source_ids", say("refusal-evidence-predates-commitment")),
        Refusal::NoEvidence => ("source_ids", say("problem-needs-evidence")),
        Refusal::SourceNotOnCommitment => ("form", say("refusal-source-not-on-commitment")),
        Refusal::SourceIsEvidence => ("form", say("refusal-source-is-evidence")),
        Refusal::SourceUnchanged => ("form", say("refusal-source-unchanged")),
        Refusal::NoSuchVersion(version) => (
            "form",
            crate::locale::tr_with(
                locale,
                "refusal-no-such-version",
                &[("version", crate::locale::number(*version as f64))],
            ),
        ),
        Refusal::TitleMakesNoSlug => ("title", say("refusal-title-makes-no-slug")),
        Refusal::UnknownSummit => ("summit", say("refusal-unknown-summit")),
        Refusal::UnknownParty => ("owed_by", say("refusal-unknown-party")),
        Refusal::PartyHasHistory => ("owed_by", say("refusal-party-has-history")),
        Refusal::SuggestionAlreadyDecided => ("form", say("refusal-suggestion-already-decided")),
        Refusal::TranslationIntoOriginal => ("language", say("refusal-translation-into-original")),
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
            Refusal::EvidencePredatesCommitment,
            Refusal::NoEvidence,
            Refusal::SourceUnchanged,
            Refusal::SourceNotOnCommitment,
            Refusal::SourceIsEvidence,
            Refusal::NoSuchVersion(7),
            Refusal::TitleMakesNoSlug,
            Refusal::UnknownSummit,
            Refusal::UnknownParty,
            Refusal::PartyHasHistory,
            Refusal::SuggestionAlreadyDecided,
            Refusal::TranslationIntoOriginal,
        ];
        for refusal in all {
            let (field, message) = refusal_message(&refusal);
            assert!(
                ["party", "source_ids", "form", "title", "summit", "owed_by", "language"].contains(&field),
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

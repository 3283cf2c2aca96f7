//! How a write can fail. The store says *why* in types, never in words:
//! the app turns each [`Refusal`] into a message next to the right field
//! (`app/src/refusals.rs`), in whatever language the reader reads.

use domain::ConflictInfo;

/// A write the store would not make because of what is stored: the input
/// was well-formed, but it contradicts the data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A status change names a party that does not owe the commitment.
    PartyNotOwing,
    /// A status change cites a source that is not one of the commitment's.
    CitedSourceNotOnCommitment,
    /// A status change cites no source at all.
    NoEvidence,
    /// A status beyond Not yet rated cites only sources dated on or before
    /// the summit: the record of a promise is not progress on it.
    EvidencePredatesCommitment,
    /// A source correction or removal names a source of another commitment.
    SourceNotOnCommitment,
    /// A correction that changes nothing in the source.
    SourceUnchanged,
    /// The source is the evidence of a status change, so it stays listed.
    SourceIsEvidence,
    /// A revert names a version the commitment never had.
    NoSuchVersion(i64),
    /// A new commitment's title has nothing a slug can be made of.
    TitleMakesNoSlug,
    /// The summit chosen is not one of the stored summits.
    UnknownSummit,
    /// An owing party chosen is not one of the stored parties.
    UnknownParty,
    /// A party with status history cannot stop owing the commitment.
    PartyHasHistory,
    /// Another editor decided the suggestion first.
    SuggestionAlreadyDecided,
    /// A translation was offered in the commitment's own original language.
    TranslationIntoOriginal,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("no such commitment")]
    NotFound,
    /// The commitment changed after the form was loaded: nothing was written.
    #[error("the commitment changed since the form was loaded")]
    StaleVersion(ConflictInfo),
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<Refusal> for WriteError {
    fn from(refusal: Refusal) -> Self {
        WriteError::Refused(refusal)
    }
}

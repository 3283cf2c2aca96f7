//! Sources as evidence that is never rewritten: each correction is a new
//! version, and what a later version changed is told field by field, both
//! on the source itself and on every status change that relied on an
//! earlier version.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{DateBasis, LanguageTag, SourceKind, TitleBasis};

/// What one version of a source says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceText {
    pub publisher: String,
    /// The document that carried the passage, when it is not the publisher's own.
    pub via: Option<String>,
    pub title: String,
    pub title_basis: TitleBasis,
    /// The source's own date, or (see `date_basis`) when it was reported.
    pub dated_on: NaiveDate,
    pub date_basis: DateBasis,
    pub url: Option<String>,
    /// Exactly as published, in `language`.
    pub quote: String,
    pub kind: SourceKind,
    /// The language the source was published in (its quote's language).
    #[serde(default)]
    pub language: LanguageTag,
}

/// A part of a source a correction can change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SourceField {
    Publisher,
    Via,
    Title,
    TitleBasis,
    Date,
    DateBasis,
    Url,
    Quote,
    Kind,
    Language,
}

/// One field a correction changed. Coded fields (title basis, date basis,
/// kind) carry their codes; the page words them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceFieldChange {
    pub field: SourceField,
    pub before: String,
    pub after: String,
}

impl SourceText {
    fn fields(&self) -> [(SourceField, String); 10] {
        [
            (SourceField::Publisher, self.publisher.clone()),
            (SourceField::Via, self.via.clone().unwrap_or_default()),
            (SourceField::Title, self.title.clone()),
            (SourceField::TitleBasis, self.title_basis.code().to_owned()),
            (SourceField::Date, self.dated_on.to_string()),
            (SourceField::DateBasis, self.date_basis.code().to_owned()),
            (SourceField::Url, self.url.clone().unwrap_or_default()),
            (SourceField::Quote, self.quote.clone()),
            (SourceField::Kind, self.kind.code().to_owned()),
            (SourceField::Language, self.language.as_str().to_owned()),
        ]
    }

    /// What `later` says differently, field by field, in a fixed order.
    pub fn differences(&self, later: &SourceText) -> Vec<SourceFieldChange> {
        self.fields()
            .into_iter()
            .zip(later.fields())
            .filter(|((_, before), (_, after))| before != after)
            .map(|((field, before), (_, after))| SourceFieldChange { field, before, after })
            .collect()
    }
}

/// A stored version of a source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceVersion {
    pub source_id: i64,
    pub version: i64,
    pub text: SourceText,
    /// Why this version was made; `None` for the first.
    pub correction_note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A correction of a source: the version it made, who made it and why, and
/// what it changed from the version before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceCorrection {
    pub version: i64,
    pub corrected_at: DateTime<Utc>,
    pub corrected_by: String,
    pub note: String,
    pub changes: Vec<SourceFieldChange>,
}

/// Corrections made after `relied_on` (a version number), from a source's
/// versions in ascending order: what each one changed, newest last.
pub fn corrections_after(versions: &[SourceVersion], relied_on: i64) -> Vec<SourceCorrection> {
    versions
        .windows(2)
        .filter(|pair| pair[1].version > relied_on)
        .map(|pair| SourceCorrection {
            version: pair[1].version,
            corrected_at: pair[1].recorded_at,
            corrected_by: pair[1].recorded_by.clone(),
            note: pair[1].correction_note.clone().unwrap_or_default(),
            changes: pair[0].text.differences(&pair[1].text),
        })
        .collect()
}

/// What changed between the version a status change relied on and the
/// source's current version, for the flag on that change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LaterCorrection {
    /// When the first correction after the relied-on version was made.
    pub first_corrected_at: DateTime<Utc>,
    pub current_version: i64,
    /// Every correction since, oldest first.
    pub corrections: Vec<SourceCorrection>,
    /// From the relied-on version to the current one, field by field.
    pub changes: Vec<SourceFieldChange>,
}

impl LaterCorrection {
    /// `None` when the source has not changed since `relied_on`.
    pub fn since(versions: &[SourceVersion], relied_on: i64) -> Option<LaterCorrection> {
        let relied = versions.iter().find(|v| v.version == relied_on)?;
        let current = versions.last()?;
        if current.version <= relied_on {
            return None;
        }
        let corrections = corrections_after(versions, relied_on);
        Some(LaterCorrection {
            first_corrected_at: corrections.first()?.corrected_at,
            current_version: current.version,
            changes: relied.text.differences(&current.text),
            corrections,
        })
    }
}

/// What kind of correction an entry of the public corrections list is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionKind {
    /// A source was corrected (a new version of it).
    Source,
    /// A commitment was reverted to an earlier version.
    Revert,
    /// The shipped data was corrected after it was first published.
    Data,
}

/// A commitment a correction concerns, to link to it and its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectedItem {
    pub slug: super::Slug,
    pub title: String,
}

/// One entry of the public corrections list, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionEntry {
    pub kind: CorrectionKind,
    /// A stable key for links and feed ids: `source-12-v2`, `revert-slug-7`,
    /// `data-3`.
    pub key: String,
    pub at: DateTime<Utc>,
    /// The editor, or who published the data correction.
    pub by: String,
    pub items: Vec<CorrectedItem>,
    /// What was corrected: the source (publisher and title) and its new
    /// version, the revert's summary, or the data correction's words.
    pub what: String,
    /// Why: the editor's note or the data correction's reason; empty for a
    /// revert (its history says what it undid).
    pub why: String,
    /// For a source correction: the changes, field by field.
    pub changes: Vec<SourceFieldChange>,
    /// For a revert: the version it made, to link to it in the history.
    pub version: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(quote: &str, title: &str) -> SourceText {
        SourceText {
            publisher: "PR Newswire".into(),
            via: None,
            title: title.into(),
            title_basis: TitleBasis::Description,
            dated_on: NaiveDate::from_ymd_opt(2025, 11, 2).unwrap(),
            date_basis: DateBasis::Published,
            url: None,
            quote: quote.into(),
            kind: SourceKind::MediaReport,
            language: LanguageTag::english(),
        }
    }

    fn version(n: i64, text: SourceText, day: u32) -> SourceVersion {
        SourceVersion {
            source_id: 7,
            version: n,
            text,
            correction_note: (n > 1).then(|| format!("fix {n}")),
            recorded_by: "ed".into(),
            recorded_at: NaiveDate::from_ymd_opt(2026, 1, day)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc(),
        }
    }

    #[test]
    fn differences_name_only_the_fields_that_changed() {
        let before = text("a", "T");
        let mut after = text("b", "T");
        after.kind = SourceKind::Analysis;
        let changes = before.differences(&after);
        assert_eq!(
            changes,
            vec![
                SourceFieldChange {
                    field: SourceField::Quote,
                    before: "a".into(),
                    after: "b".into()
                },
                SourceFieldChange {
                    field: SourceField::Kind,
                    before: "media_report".into(),
                    after: "analysis".into()
                },
            ]
        );
        assert!(before.differences(&before.clone()).is_empty());
    }

    #[test]
    fn a_change_that_relied_on_an_old_version_sees_every_correction_since() {
        let versions = vec![
            version(1, text("a", "T"), 1),
            version(2, text("b", "T"), 5),
            version(3, text("b", "U"), 9),
        ];
        let later = LaterCorrection::since(&versions, 1).expect("corrected since version 1");
        assert_eq!(later.current_version, 3);
        assert_eq!(later.first_corrected_at, versions[1].recorded_at);
        assert_eq!(later.corrections.len(), 2);
        assert_eq!(later.corrections[0].note, "fix 2");
        let fields: Vec<_> = later.changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, vec![SourceField::Title, SourceField::Quote]);
        let from_two = LaterCorrection::since(&versions, 2).unwrap();
        assert_eq!(from_two.corrections.len(), 1);
        assert_eq!(from_two.first_corrected_at, versions[2].recorded_at);
        assert_eq!(LaterCorrection::since(&versions, 3), None, "current version: no flag");
        assert_eq!(corrections_after(&versions, 0).len(), 2);
    }
}

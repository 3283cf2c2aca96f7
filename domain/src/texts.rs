//! Texts that exist in several languages: a commitment's title and summary,
//! a summit's title, location and summary. The text an editor first wrote is
//! the original, in its own language; the others are translations, each
//! naming who made it. A page in a language nobody has translated into shows
//! the original, marked as such.

use serde::{Deserialize, Serialize};

use crate::Locale;

/// A commitment's title and summary in one language other than its original's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentTranslation {
    pub language: Locale,
    pub title: String,
    pub summary: String,
    /// Who translated it ("Accord" for the seed's own translations).
    pub translated_by: String,
}

/// A summit's texts in one language other than the original's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummitTranslation {
    pub language: Locale,
    pub title: String,
    pub location: String,
    pub summary: String,
    pub translated_by: String,
}

/// Where a shown text comes from, so the page can say so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextOrigin {
    /// The text as written, in the page's language.
    Original,
    /// A translation into the page's language.
    Translation { translated_by: String },
    /// No translation into the page's language exists yet: the original is
    /// shown, in its own language.
    Untranslated,
}

/// A text chosen for a page: what to show, the language it is in (for the
/// `lang` attribute), and where it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown<T> {
    pub text: T,
    pub language: Locale,
    pub origin: TextOrigin,
}

/// Picks the text for a page in `wanted`: the original when it is in that
/// language, else a translation into it, else the original, marked.
pub fn choose_text<'a, T: Clone>(
    wanted: Locale,
    original_language: Locale,
    original: T,
    translations: impl IntoIterator<Item = (Locale, T, &'a str)>,
) -> Shown<T> {
    if wanted == original_language {
        return Shown {
            text: original,
            language: original_language,
            origin: TextOrigin::Original,
        };
    }
    match translations.into_iter().find(|(language, _, _)| *language == wanted) {
        Some((language, text, by)) => Shown {
            text,
            language,
            origin: TextOrigin::Translation {
                translated_by: by.to_owned(),
            },
        },
        None => Shown {
            text: original,
            language: original_language,
            origin: TextOrigin::Untranslated,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_language_picks_original_translation_or_marked_original() {
        let translations = vec![(Locale::Ko, "한국어 제목", "Accord")];
        let shown = choose_text(Locale::En, Locale::En, "Title", translations.clone());
        assert_eq!(
            (shown.text, shown.language, shown.origin),
            ("Title", Locale::En, TextOrigin::Original)
        );
        let shown = choose_text(Locale::Ko, Locale::En, "Title", translations.clone());
        assert_eq!(shown.text, "한국어 제목");
        assert_eq!(shown.language, Locale::Ko);
        assert_eq!(
            shown.origin,
            TextOrigin::Translation {
                translated_by: "Accord".into()
            }
        );
        let shown = choose_text(Locale::Zh, Locale::En, "Title", translations);
        assert_eq!(
            (shown.text, shown.language, shown.origin),
            ("Title", Locale::En, TextOrigin::Untranslated)
        );
    }
}

/// The raw fields of the translation form, as the form names them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TranslationInput {
    /// `ko`, `zh` or `en`.
    pub language: String,
    pub title: String,
    pub summary: String,
}

/// A checked translation of a commitment's title and summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranslationFields {
    pub language: Locale,
    pub title: String,
    pub summary: String,
}

impl TranslationInput {
    pub fn echo(&self) -> std::collections::BTreeMap<String, String> {
        crate::echo_fields(self)
    }

    pub fn parse(&self) -> Result<TranslationFields, crate::SubmittedForm> {
        let mut errors = crate::SubmittedForm {
            values: self.echo(),
            ..crate::SubmittedForm::default()
        };
        let language = Locale::from_code(self.language.trim());
        if language.is_none() {
            errors.add(
                "language",
                crate::FieldProblem::new(
                    "problem-choose-translation-language",
                    "Choose the language of the translation.",
                ),
            );
        }
        let title = crate::parse_text(&self.title, true, crate::MAX_TITLE_LEN, false)
            .map_err(|m| errors.add("title", m))
            .ok();
        let summary = crate::parse_text(&self.summary, true, crate::MAX_SUMMARY_LEN, true)
            .map_err(|m| errors.add("summary", m))
            .ok();
        match (language, title, summary) {
            (Some(language), Some(title), Some(summary)) if errors.is_empty() => Ok(TranslationFields {
                language,
                title,
                summary,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;

    #[test]
    fn a_translation_needs_a_known_language_a_title_and_a_summary() {
        let input = TranslationInput {
            language: "ko".into(),
            title: " 한중 FTA 2단계 협상 가속화 ".into(),
            summary: "요약".into(),
        };
        let fields = input.parse().unwrap();
        assert_eq!(fields.language, Locale::Ko);
        assert_eq!(fields.title, "한중 FTA 2단계 협상 가속화");
        let refused = TranslationInput {
            language: "fr".into(),
            title: String::new(),
            summary: "x\u{202E}y".into(),
        }
        .parse()
        .unwrap_err();
        for field in ["language", "title", "summary"] {
            assert!(refused.get(field).is_some(), "{field} is refused");
        }
        assert_eq!(refused.value("language"), Some("fr"), "what was typed comes back");
    }
}

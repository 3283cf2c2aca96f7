//! `accord export`: a stored summit written out in the data set format
//! `accord import` and the seed read (docs/DATA.md), so a summit moves from
//! one site to another, or is kept under version control, as text.

use domain::{Dataset, SeedTranslations};
use store::Db;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no summit has the slug `{0}`")]
    NoSuchSummit(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("could not write it as TOML: {0}")]
    Toml(#[from] toml::ser::Error),
}

/// The summit `slug` and, when it has any, its translations, as the text
/// of a data set file and of a translations file.
pub async fn export(db: &Db, slug: &str) -> Result<(String, Option<String>), ExportError> {
    let dataset = store::summit_dataset::read_dataset(db, slug)
        .await?
        .ok_or_else(|| ExportError::NoSuchSummit(slug.to_owned()))?;
    let translations = store::summit_dataset::read_translations(db, slug).await?;
    Ok((
        dataset_text(&dataset)?,
        translations.as_ref().map(translations_text).transpose()?,
    ))
}

/// A data set as a file: a header saying what it is, then the TOML.
pub fn dataset_text(dataset: &Dataset) -> Result<String, toml::ser::Error> {
    Ok(format!(
        "# Accord data set: {} ({}).\n\
         # Written by `accord export`; the format is described in docs/DATA.md.\n\
         # Statuses are each party's current status; the history behind them is not exported.\n\n{}",
        dataset.summit.title.replace('\n', " "),
        dataset.summit.held_on,
        toml::to_string(dataset)?
    ))
}

/// Translations as a file beside the data set.
pub fn translations_text(translations: &SeedTranslations) -> Result<String, toml::ser::Error> {
    Ok(format!(
        "# Accord translations, written by `accord export` (docs/DATA.md).\n\n{}",
        toml::to_string(translations)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_data_set_written_out_parses_back_to_itself() {
        let shipped = crate::seed::parse_dataset(crate::seed::SUMMIT_2025_11_01).unwrap();
        let text = dataset_text(&shipped).unwrap();
        assert_eq!(crate::seed::parse_dataset(&text).unwrap(), shipped);
        assert!(text.contains("[[commitments.status]]"), "{text}");
        let mut without_corrections = shipped.clone();
        without_corrections.corrections.clear();
        let text = dataset_text(&without_corrections).unwrap();
        assert!(!text.contains("corrections"), "no empty list is written: {text}");
        assert_eq!(crate::seed::parse_dataset(&text).unwrap(), without_corrections);
        let translations = crate::seed::parse_translations(crate::seed::SUMMIT_2025_11_01_TRANSLATIONS).unwrap();
        let text = translations_text(&translations).unwrap();
        assert_eq!(crate::seed::parse_translations(&text).unwrap(), translations);
    }
}

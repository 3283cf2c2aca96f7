//! The summit data sets shipped with Accord, loaded when the database is new.

use chrono::Utc;
use domain::{Dataset, SeedTranslations};
use store::Db;

/// The 1 November 2025 Xi–Lee summit, every line traceable to
/// `seed/summit-2025-11-01-xinhua.txt`.
pub const SUMMIT_2025_11_01: &str = include_str!("../../seed/summit-2025-11-01.toml");

/// Accord's Korean and Chinese translations of that summit's texts.
pub const SUMMIT_2025_11_01_TRANSLATIONS: &str = include_str!("../../seed/summit-2025-11-01.translations.toml");

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("the seed file is not valid: {0}")]
    Parse(#[from] toml::de::Error),
    #[error(transparent)]
    Seed(#[from] store::seed::SeedError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub fn parse_dataset(text: &str) -> Result<Dataset, toml::de::Error> {
    toml::from_str(text)
}

pub fn parse_translations(text: &str) -> Result<SeedTranslations, toml::de::Error> {
    toml::from_str(text)
}

/// Loads the shipped data sets if the database has no summit yet, and their
/// translations if the summit has none yet (a site seeded before Accord had
/// translations gets them on its next start). Returns whether the data set
/// was loaded.
pub async fn seed_if_empty(db: &Db) -> Result<bool, LoadError> {
    let dataset = parse_dataset(SUMMIT_2025_11_01)?;
    let loaded = if store::summits::count_summits(db).await? == 0 {
        store::seed::insert_dataset(db, &dataset, Utc::now()).await?;
        true
    } else {
        false
    };
    let translations = parse_translations(SUMMIT_2025_11_01_TRANSLATIONS)?;
    translations
        .validate(&dataset)
        .map_err(store::seed::SeedError::Invalid)?;
    store::seed::insert_translations(db, &dataset.summit.slug, &translations, Utc::now()).await?;
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Proposer, Status};

    const ARTICLE: &str = include_str!("../../seed/summit-2025-11-01-xinhua.txt");

    fn shipped() -> Dataset {
        parse_dataset(SUMMIT_2025_11_01).expect("the shipped seed file parses")
    }

    #[test]
    fn shipped_translations_cover_every_commitment_in_korean_and_chinese() {
        let dataset = shipped();
        let translations = parse_translations(SUMMIT_2025_11_01_TRANSLATIONS).expect("the translations parse");
        translations
            .validate(&dataset)
            .expect("every translated commitment exists");
        assert_eq!(translations.translated_by, "Accord");
        let hangul = |t: &str| t.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
        let han = |t: &str| t.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
        for commitment in &dataset.commitments {
            let translated = translations
                .commitments
                .iter()
                .find(|t| t.slug == commitment.slug)
                .unwrap_or_else(|| panic!("`{}` has no translations", commitment.slug));
            let ko = translated.ko.as_ref().expect("a Korean text");
            let zh = translated.zh.as_ref().expect("a Chinese text");
            assert!(
                hangul(&ko.title) && hangul(&ko.summary),
                "`{}`: Korean in Hangul",
                commitment.slug
            );
            assert!(
                han(&zh.title) && han(&zh.summary),
                "`{}`: Chinese in Han characters",
                commitment.slug
            );
            assert!(
                !hangul(&zh.summary),
                "`{}`: no Hangul in the Chinese text",
                commitment.slug
            );
        }
        assert!(translations.summit.ko.is_some() && translations.summit.zh.is_some());
    }

    #[test]
    fn shipped_dataset_is_consistent() {
        shipped().validate().expect("no cross-reference problems");
    }

    #[test]
    fn every_quote_is_copied_exactly_from_the_article() {
        for source in shipped().sources {
            assert!(
                ARTICLE.contains(&source.quote),
                "source `{}` is not quoted exactly: {}",
                source.key,
                source.quote
            );
        }
    }

    #[test]
    fn every_publisher_is_named_in_the_article() {
        for source in shipped().sources {
            // "The Chosun Daily" → "Chosun Daily"; the article names outlets without "The".
            let outlet = source.publisher.trim_start_matches("The ");
            let outlet = outlet.trim_end_matches(" News Agency");
            // The wire service is written "PRNewswire" in the dateline.
            let named = ARTICLE.contains(outlet) || ARTICLE.contains(&outlet.replace(' ', ""));
            assert!(named, "publisher `{}` does not appear in the article", source.publisher);
        }
    }

    #[test]
    fn the_summit_and_dates_are_the_articles() {
        let data = shipped();
        assert_eq!(data.summit.held_on.to_string(), "2025-11-01");
        assert!(ARTICLE.contains("2025-11-02") && ARTICLE.contains("Nov. 2, 2025"));
        for source in &data.sources {
            assert_eq!(source.published_on.to_string(), "2025-11-02", "{}", source.key);
            assert!(source.url.is_none(), "the article gives no URL for `{}`", source.key);
        }
        for commitment in &data.commitments {
            for status in &commitment.status {
                assert_eq!(status.effective_on, data.summit.held_on, "{}", commitment.slug);
            }
        }
    }

    #[test]
    fn the_articles_commitments_are_all_there() {
        let data = shipped();
        let text = |c: &domain::SeedCommitment| format!("{} {}", c.title, c.summary).to_lowercase();
        // Each topic: a commitment must mention at least one of the phrases.
        let topics: &[&[&str]] = &[
            &["strategic communication"],
            &["free trade agreement", "fta"],
            &["online gambling"],
            &["telecom fraud"],
            &["media"],
            &["cross-border travel"],
            &["think tank", "think-tank"],
            &["youth"],
            &["free trade area of the asia pacific", "ftaap"],
            &["inter-party"],
            &["regional and international affairs"],
            &["currency swap"],
        ];
        for phrases in topics {
            let found = data
                .commitments
                .iter()
                .any(|c| phrases.iter().any(|p| text(c).contains(p)));
            assert!(found, "no commitment covers {phrases:?}");
        }
        let emerging = [
            "artificial intelligence",
            "biopharmaceutical",
            "green industr",
            "silver economy",
        ];
        assert!(
            data.commitments
                .iter()
                .any(|c| emerging.iter().all(|w| text(c).contains(w))),
            "emerging fields"
        );
        let apec_support = data.commitments.iter().any(|c| {
            let t = text(c);
            t.contains("apec") && t.contains("support") && c.owed_by.iter().any(|p| p.as_str() == "kr")
        });
        assert!(apec_support, "South Korea's support for China's APEC 2026 hosting");
    }

    #[test]
    fn statuses_are_conservative() {
        for commitment in shipped().commitments {
            for status in &commitment.status {
                assert_ne!(
                    status.status,
                    Status::NotFulfilled,
                    "nothing can be broken on the day it was promised"
                );
                assert!(!status.note.trim().is_empty());
            }
            if commitment.owed_by.len() == 2 {
                assert!(matches!(commitment.proposed_by, Proposer::Joint | Proposer::Party(_)));
            }
        }
    }
}

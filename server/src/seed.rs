//! The summit data sets shipped with Accord, loaded when the database is new.

use chrono::Utc;
use domain::Dataset;
use store::Db;

/// The 1 November 2025 Xi–Lee summit, every line traceable to
/// `seed/summit-2025-11-01-xinhua.txt`.
pub const SUMMIT_2025_11_01: &str = include_str!("../../seed/summit-2025-11-01.toml");

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

/// Loads the shipped data sets if the database has no summit yet. Returns
/// whether anything was loaded.
pub async fn seed_if_empty(db: &Db) -> Result<bool, LoadError> {
    if store::summits::count_summits(db).await? > 0 {
        return Ok(false);
    }
    let dataset = parse_dataset(SUMMIT_2025_11_01)?;
    store::seed::insert_dataset(db, &dataset, Utc::now()).await?;
    Ok(true)
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

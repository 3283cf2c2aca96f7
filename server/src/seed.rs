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
        // Replicas started together on one new PostgreSQL database may all
        // find it empty; the first to take the write lock loads the data.
        match store::seed::insert_dataset(db, &dataset, Utc::now()).await {
            Ok(()) => true,
            Err(store::seed::SeedError::AlreadyLoaded(_)) => false,
            Err(error) => return Err(error.into()),
        }
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

    /// Who the article credits each attributed sentence to.
    const ATTRIBUTIONS: &str = include_str!("../../seed/attributions.toml");

    /// The publisher name of the release itself, the only source with a date
    /// of its own.
    const RELEASE: &str = "PR Newswire";

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
        // The check `accord import` makes of every data set.
        assert_eq!(shipped().misquoted(&[ARTICLE]), vec![]);
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

    /// A date as the article writes it: `2025-11-02` (the file's header) or
    /// `Nov. 2, 2025` (the dateline).
    fn written_in_article(date: chrono::NaiveDate) -> bool {
        ARTICLE.contains(&date.format("%Y-%m-%d").to_string())
            || ARTICLE.contains(&date.format("%b. %-d, %Y").to_string())
    }

    /// Sources dated with a date the article does not give, or carrying a date
    /// of their own (`published_on`) when only the release has one.
    fn invented_dates(data: &Dataset) -> Vec<String> {
        let mut problems = Vec::new();
        for source in &data.sources {
            for date in [source.published_on, source.reported_on].into_iter().flatten() {
                if !written_in_article(date) {
                    problems.push(format!("`{}`: {date} is not a date the article gives", source.key));
                }
            }
            if source.published_on.is_some() && source.publisher != RELEASE {
                problems.push(format!(
                    "`{}`: the article gives no date for {}'s report; use reported_on and via",
                    source.key, source.publisher
                ));
            }
        }
        problems
    }

    #[test]
    fn the_summit_and_dates_are_the_articles() {
        let data = shipped();
        assert_eq!(data.summit.held_on.to_string(), "2025-11-01");
        assert_eq!(data.summit.time_zone, "Asia/Seoul");
        assert!(ARTICLE.contains("2025-11-02") && ARTICLE.contains("Nov. 2, 2025"));
        assert_eq!(invented_dates(&data), Vec::<String>::new());
        for source in &data.sources {
            let (date, _) = source.dated().expect("one date per source");
            assert_eq!(date.to_string(), "2025-11-02", "{}", source.key);
            assert!(source.url.is_none(), "the article gives no URL for `{}`", source.key);
        }
        for commitment in &data.commitments {
            for status in &commitment.status {
                assert_eq!(status.effective_on, data.summit.held_on, "{}", commitment.slug);
            }
        }
        // The check can fail: an outlet's report given a date of its own, and
        // a date the article never gives.
        let mut broken = data.clone();
        let outlet = broken.sources.iter_mut().find(|s| s.publisher != RELEASE).unwrap();
        outlet.published_on = outlet.reported_on.take();
        let release = broken.sources.iter_mut().find(|s| s.publisher == RELEASE).unwrap();
        release.published_on = chrono::NaiveDate::from_ymd_opt(2025, 11, 3);
        let problems = invented_dates(&broken);
        assert!(problems.iter().any(|p| p.contains("gives no date for")), "{problems:?}");
        assert!(
            problems.iter().any(|p| p.contains("2025-11-03 is not a date")),
            "{problems:?}"
        );
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
        let dataset = shipped();
        let parties: Vec<_> = dataset.parties.iter().map(|p| p.code.clone()).collect();
        let mut statuses = 0;
        for commitment in &dataset.commitments {
            for status in &commitment.status {
                statuses += 1;
                assert_ne!(
                    status.status,
                    Status::NotFulfilled,
                    "nothing can be broken on the day it was promised"
                );
                assert!(!status.note.trim().is_empty());
            }
            // A commitment put forward by one side names a party of the summit.
            if let Proposer::Party(proposer) = &commitment.proposed_by {
                assert!(
                    parties.contains(proposer),
                    "{}: proposed by {proposer}, not a party of the summit",
                    commitment.slug
                );
            }
        }
        assert!(statuses > 0, "the seed records statuses to check");
    }

    #[derive(Clone, Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Attributions {
        attributions: Vec<Attribution>,
    }

    /// One sentence of the article and who it names as its source.
    #[derive(Clone, Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Attribution {
        sentence: String,
        speaker: Option<String>,
        outlet: Option<String>,
        outlets: Option<Vec<String>>,
        outlet_named_in: Option<String>,
        section_lead: Option<String>,
        #[allow(dead_code)]
        note: Option<String>,
    }

    impl Attribution {
        /// The outlets credited; none means the release's own account.
        fn credited_outlets(&self) -> Vec<&str> {
            let mut all: Vec<&str> = self.outlet.iter().map(String::as_str).collect();
            all.extend(self.outlets.iter().flatten().map(String::as_str));
            all
        }
    }

    fn attributions() -> Vec<Attribution> {
        toml::from_str::<Attributions>(ATTRIBUTIONS)
            .expect("seed/attributions.toml parses")
            .attributions
    }

    /// Where `text` sits in the article (it must occur there).
    fn span(text: &str) -> Option<std::ops::Range<usize>> {
        ARTICLE.find(text).map(|start| start..start + text.len())
    }

    fn overlaps(a: &str, b: &str) -> bool {
        match (span(a), span(b)) {
            (Some(a), Some(b)) => a.start < b.end && b.start < a.end,
            _ => false,
        }
    }

    /// "The Korea Herald" → "Korea Herald", "Xinhua News Agency" → "Xinhua":
    /// the outlet as the article names it.
    fn outlet_name(publisher: &str) -> &str {
        publisher.trim_start_matches("The ").trim_end_matches(" News Agency")
    }

    #[test]
    fn every_attributed_sentence_is_the_articles() {
        let all = attributions();
        assert!(all.len() >= 40, "every sentence that names its source is listed");
        for entry in &all {
            assert_eq!(ARTICLE.matches(&entry.sentence).count(), 1, "{}", entry.sentence);
            assert!(
                entry.speaker.is_some() || !entry.credited_outlets().is_empty(),
                "names neither speaker nor outlet: {}",
                entry.sentence
            );
            for outlet in entry.credited_outlets() {
                assert!(ARTICLE.contains(outlet), "`{outlet}` is not named in the article");
            }
            match entry.outlet_named_in.as_deref() {
                None => assert!(entry.credited_outlets().is_empty(), "{}", entry.sentence),
                Some("sentence") => {
                    let named = entry.credited_outlets().iter().all(|o| entry.sentence.contains(o));
                    assert!(named, "the sentence does not name its outlet: {}", entry.sentence);
                }
                Some("section") => {
                    // Credited because it is part of what a sentence naming the
                    // outlet says the outlet reported, and comes after it.
                    let lead = entry.section_lead.as_deref().expect("a section names its lead");
                    let lead_entry = all.iter().find(|e| e.sentence == lead).expect("the lead is listed");
                    assert_eq!(lead_entry.outlet_named_in.as_deref(), Some("sentence"));
                    assert_eq!(lead_entry.credited_outlets(), entry.credited_outlets());
                    assert!(span(lead).unwrap().end <= span(&entry.sentence).unwrap().start);
                }
                Some(other) => panic!("unknown outlet_named_in `{other}`"),
            }
        }
    }

    /// Sources credited to someone the article does not credit with the
    /// quoted words: for every attributed sentence a quote overlaps, the
    /// publisher must be the credited outlet, or the release when the article
    /// names only a speaker (a person or office the release quotes).
    fn misattributed(data: &Dataset, all: &[Attribution]) -> Vec<String> {
        let mut problems = Vec::new();
        for source in &data.sources {
            let entries: Vec<&Attribution> = all.iter().filter(|e| overlaps(&e.sentence, &source.quote)).collect();
            if entries.is_empty() {
                problems.push(format!("`{}` quotes no attributed sentence", source.key));
            }
            for entry in entries {
                let outlets = entry.credited_outlets();
                let credited = if outlets.is_empty() {
                    source.publisher == RELEASE
                } else {
                    outlets.contains(&outlet_name(&source.publisher))
                };
                if !credited {
                    let whom = if outlets.is_empty() {
                        format!("{} (quoted by the release)", entry.speaker.as_deref().unwrap_or("?"))
                    } else {
                        outlets.join(", ")
                    };
                    problems.push(format!(
                        "`{}` is credited to {}, but the article credits {whom}",
                        source.key, source.publisher
                    ));
                }
            }
        }
        problems
    }

    #[test]
    fn no_outlet_is_credited_with_what_the_article_attributes_to_someone_else() {
        let data = shipped();
        let all = attributions();
        assert_eq!(misattributed(&data, &all), Vec::<String>::new());
        // It can fail: Lee's office's words credited to the Korea Herald (the
        // data before the 2026-12-04 correction).
        let mut broken = data.clone();
        let gift = broken
            .sources
            .iter_mut()
            .find(|s| s.key == "korea-herald-gift")
            .unwrap();
        gift.quote = "Lee's office said Saturday that the gift symbolizes South Korea's hope for closer relations with China, as players from both countries together lead the professional Go scene.".into();
        let problems = misattributed(&broken, &all);
        assert!(
            problems.iter().any(|p| p.contains("credits Lee's office")),
            "{problems:?}"
        );
    }

    #[test]
    fn source_kinds_are_what_the_article_says_they_are() {
        for source in shipped().sources {
            // The article calls nothing an official readout; Xinhua is a news agency.
            if source.kind == domain::SourceKind::OfficialReadout {
                assert!(
                    ARTICLE.to_lowercase().contains("readout"),
                    "`{}` is no readout",
                    source.key
                );
            }
            if source.publisher == RELEASE {
                assert_eq!(source.kind, domain::SourceKind::MediaReport, "{}", source.key);
                assert!(source.via.is_none(), "the release is not relayed: {}", source.key);
            }
            if source.title_is == domain::TitleBasis::Headline {
                let titled = format!("titled \"{}", source.title);
                assert!(
                    ARTICLE.contains(&titled),
                    "`{}` is not a headline the article gives",
                    source.key
                );
            }
        }
    }

    /// Statuses beyond "not yet rated" without evidence of a step taken after
    /// the promise: a cited source dated after the summit that is neither one
    /// of the commitment's own sources (where it was promised) nor quotes the
    /// same passage as one of them.
    fn unsupported_statuses(data: &Dataset) -> Vec<String> {
        let by_key: std::collections::HashMap<&str, &domain::SeedSource> =
            data.sources.iter().map(|s| (s.key.as_str(), s)).collect();
        let mut problems = Vec::new();
        for commitment in &data.commitments {
            let promised: Vec<&str> = commitment
                .sources
                .iter()
                .map(|k| by_key[k.as_str()].quote.as_str())
                .collect();
            for status in &commitment.status {
                if status.status == Status::NotYetRated {
                    continue;
                }
                let evidenced = status.sources.iter().any(|key| {
                    let source = by_key[key.as_str()];
                    let later = source.dated().is_some_and(|(d, _)| d > data.summit.held_on);
                    let is_promise =
                        commitment.sources.contains(key) || promised.iter().any(|q| overlaps(q, &source.quote));
                    later && !is_promise
                });
                if !evidenced {
                    problems.push(format!(
                        "`{}`: {} is rated {:?} on the passage where it was promised",
                        commitment.slug, status.party, status.status
                    ));
                }
            }
        }
        problems
    }

    #[test]
    fn no_status_without_a_step_taken_after_the_promise() {
        let data = shipped();
        assert_eq!(unsupported_statuses(&data), Vec::<String>::new());
        // It can fail: the MOUs "fulfilled" on the Chosun Daily's mention of
        // their signing, and the FTAAP "in progress" on Xi's own words.
        let mut broken = data.clone();
        for commitment in &mut broken.commitments {
            match commitment.slug.as_str() {
                "mous-currency-swap-agreement" => commitment.status[0].status = Status::Fulfilled,
                "apec-2026-ftaap-regional-integration" => commitment.status[0].status = Status::InProgress,
                _ => {}
            }
        }
        let problems = unsupported_statuses(&broken);
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    /// Status notes that say a party pledged something, where no cited
    /// source quotes that party's leader speaking.
    fn unreported_pledges(data: &Dataset, all: &[Attribution]) -> Vec<String> {
        let by_key: std::collections::HashMap<&str, &domain::SeedSource> =
            data.sources.iter().map(|s| (s.key.as_str(), s)).collect();
        let mut problems = Vec::new();
        for commitment in &data.commitments {
            for status in &commitment.status {
                if !status.note.to_lowercase().contains("pledge") {
                    continue;
                }
                let leader = &data.parties.iter().find(|p| p.code == status.party).unwrap().leader;
                let spoke = status.sources.iter().any(|key| {
                    all.iter().any(|e| {
                        e.speaker.as_deref() == Some(leader.as_str())
                            && overlaps(&e.sentence, &by_key[key.as_str()].quote)
                    })
                });
                if !spoke {
                    problems.push(format!(
                        "`{}`: the note says {} pledged, but no cited source quotes {leader}",
                        commitment.slug, status.party
                    ));
                }
            }
        }
        problems
    }

    #[test]
    fn no_party_pledged_what_its_leader_is_not_reported_saying() {
        let data = shipped();
        let all = attributions();
        assert_eq!(unreported_pledges(&data, &all), Vec::<String>::new());
        // It can fail: South Korea said to have pledged the FTA talks Xi proposed.
        let mut broken = data.clone();
        let fta = broken
            .commitments
            .iter_mut()
            .find(|c| c.slug.as_str() == "fta-phase-two-negotiations")
            .unwrap();
        let kr = fta.status.iter_mut().find(|s| s.party.as_str() == "kr").unwrap();
        kr.note = "Pledged at the 1 November 2025 summit.".into();
        let problems = unreported_pledges(&broken, &all);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("no cited source quotes Lee Jae-myung")),
            "{problems:?}"
        );
    }
}

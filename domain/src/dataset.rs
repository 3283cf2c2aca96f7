//! A summit's data set as loaded from a seed file: the summit, its parties,
//! sources and commitments with their initial statuses. Validated as a whole
//! before anything is written.

use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

use super::{DateBasis, PartyCode, Slug, SourceKind, Status, Theme, TitleBasis};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    pub summit: SeedSummit,
    pub parties: Vec<SeedParty>,
    pub sources: Vec<SeedSource>,
    pub commitments: Vec<SeedCommitment>,
    /// Corrections made to this data since it was first published, listed
    /// on the public corrections page.
    #[serde(default)]
    pub corrections: Vec<SeedCorrection>,
}

/// A correction made to the shipped data after it was first published.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCorrection {
    pub made_on: NaiveDate,
    /// The commitment corrected; none for a correction of the summit or of
    /// the data as a whole.
    pub commitment: Option<Slug>,
    /// What was wrong and what it says now.
    pub what: String,
    /// Why: the rule or the article sentence behind the correction.
    pub why: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSummit {
    pub slug: Slug,
    pub title: String,
    pub held_on: NaiveDate,
    pub location: String,
    pub summary: String,
    /// The IANA time zone the summit's dates are reckoned in, e.g. `Asia/Seoul`.
    pub time_zone: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedParty {
    pub code: PartyCode,
    pub name: String,
    pub short_name: String,
    pub leader: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSource {
    /// Identifies the source inside the seed file only.
    pub key: String,
    pub publisher: String,
    pub via: Option<String>,
    pub title: String,
    /// Whether `title` is the outlet's headline or Accord's description.
    pub title_is: TitleBasis,
    /// The date the source itself gives. When it gives none, leave this out
    /// and give `reported_on`, the date of the document named by `via`.
    pub published_on: Option<NaiveDate>,
    pub reported_on: Option<NaiveDate>,
    pub url: Option<String>,
    pub kind: SourceKind,
    pub quote: String,
}

impl SeedSource {
    /// What the source's first version says; `None` while its dates are
    /// inconsistent (which `Dataset::validate` reports).
    pub fn text(&self) -> Option<super::SourceText> {
        let (dated_on, date_basis) = self.dated()?;
        Some(super::SourceText {
            publisher: self.publisher.clone(),
            via: self.via.clone(),
            title: self.title.clone(),
            title_basis: self.title_is,
            dated_on,
            date_basis,
            url: self.url.clone(),
            quote: self.quote.clone(),
            kind: self.kind,
            language: super::LanguageTag::english(),
        })
    }

    /// The date to store and what it is.
    pub fn dated(&self) -> Option<(NaiveDate, DateBasis)> {
        match (self.published_on, self.reported_on) {
            (Some(date), None) => Some((date, DateBasis::Published)),
            (None, Some(date)) => Some((date, DateBasis::Reported)),
            _ => None,
        }
    }
}

/// Who put a commitment forward: one party, or both jointly.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum Proposer {
    Party(PartyCode),
    Joint,
}

impl TryFrom<String> for Proposer {
    type Error = super::UnknownCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        if value == "joint" {
            Ok(Proposer::Joint)
        } else {
            PartyCode::parse(&value).map(Proposer::Party)
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCommitment {
    pub slug: Slug,
    pub title: String,
    pub summary: String,
    pub theme: Theme,
    pub proposed_by: Proposer,
    pub owed_by: Vec<PartyCode>,
    pub sources: Vec<String>,
    pub due_on: Option<NaiveDate>,
    pub due_basis: Option<super::DueBasis>,
    pub due_note: Option<String>,
    pub status: Vec<SeedStatus>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedStatus {
    pub party: PartyCode,
    pub status: Status,
    pub effective_on: NaiveDate,
    pub note: String,
    pub sources: Vec<String>,
}

impl Dataset {
    /// Checks the cross-references a type cannot express. Returns every
    /// problem found, so a broken seed file is fixed in one pass.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        let parties: HashSet<&PartyCode> = self.parties.iter().map(|p| &p.code).collect();
        if parties.len() != self.parties.len() {
            problems.push("party codes must be unique".to_owned());
        }
        let mut sources: HashMap<&str, &SeedSource> = HashMap::new();
        for source in &self.sources {
            if sources.insert(source.key.as_str(), source).is_some() {
                problems.push(format!("source key `{}` is used twice", source.key));
            }
            if source.quote.trim().is_empty() {
                problems.push(format!("source `{}` has an empty quote", source.key));
            }
            if source.dated().is_none() {
                problems.push(format!(
                    "source `{}` needs exactly one of published_on (the date it gives) and reported_on",
                    source.key
                ));
            }
            if source.reported_on.is_some() && source.via.as_deref().is_none_or(|v| v.trim().is_empty()) {
                problems.push(format!(
                    "source `{}` has no date of its own, so `via` must say where it was reported",
                    source.key
                ));
            }
        }
        if crate::SummitTimeZone::parse(&self.summit.time_zone).is_none() {
            problems.push(format!("`{}` is not an IANA time zone", self.summit.time_zone));
        }
        let mut slugs = HashSet::new();
        for commitment in &self.commitments {
            let slug = commitment.slug.as_str();
            if !slugs.insert(slug) {
                problems.push(format!("commitment slug `{slug}` is used twice"));
            }
            if commitment.title.trim().is_empty() {
                problems.push(format!("commitment `{slug}` has no title"));
            }
            if let Proposer::Party(code) = &commitment.proposed_by {
                if !parties.contains(code) {
                    problems.push(format!("commitment `{slug}` is proposed by unknown party `{code}`"));
                }
            }
            if commitment.owed_by.is_empty() {
                problems.push(format!("commitment `{slug}` is owed by nobody"));
            }
            for code in &commitment.owed_by {
                if !parties.contains(code) {
                    problems.push(format!("commitment `{slug}` is owed by unknown party `{code}`"));
                }
            }
            if commitment.sources.is_empty() {
                problems.push(format!("commitment `{slug}` cites no source"));
            }
            if commitment.due_on.is_some() != commitment.due_note.is_some()
                || commitment.due_on.is_some() != commitment.due_basis.is_some()
            {
                problems.push(format!(
                    "commitment `{slug}` must give due_on, due_basis and due_note together"
                ));
            }
            for key in &commitment.sources {
                if !sources.contains_key(key.as_str()) {
                    problems.push(format!("commitment `{slug}` cites unknown source `{key}`"));
                }
            }
            for code in &commitment.owed_by {
                let count = commitment.status.iter().filter(|s| &s.party == code).count();
                if count != 1 {
                    problems.push(format!(
                        "commitment `{slug}` needs exactly one initial status for `{code}`, has {count}"
                    ));
                }
            }
            for status in &commitment.status {
                if !commitment.owed_by.contains(&status.party) {
                    problems.push(format!(
                        "commitment `{slug}` rates `{}`, which does not owe it",
                        status.party
                    ));
                }
                if status.sources.is_empty() {
                    problems.push(format!(
                        "commitment `{slug}`: the status of `{}` cites no source",
                        status.party
                    ));
                }
                for key in &status.sources {
                    if !sources.contains_key(key.as_str()) {
                        problems.push(format!("commitment `{slug}`: status cites unknown source `{key}`"));
                    } else if !commitment.sources.contains(key) {
                        // The page lists a commitment's sources; evidence
                        // that is not among them would be listed by surprise.
                        problems.push(format!(
                            "commitment `{slug}`: a status cites `{key}`, which the commitment does not list"
                        ));
                    }
                }
                if status.effective_on < self.summit.held_on {
                    problems.push(format!(
                        "commitment `{slug}`: a status cannot take effect before the summit"
                    ));
                }
                // A pledge is not broken before it falls due unless a source says
                // it was abandoned; seed data has no such source.
                if status.status == Status::NotFulfilled {
                    let due_passed = commitment.due_on.is_some_and(|due| status.effective_on > due);
                    if !due_passed {
                        problems.push(format!(
                            "commitment `{slug}` is marked not fulfilled before its due date"
                        ));
                    }
                }
            }
        }
        for correction in &self.corrections {
            if let Some(slug) = &correction.commitment {
                if !slugs.contains(slug.as_str()) {
                    problems.push(format!("a correction names unknown commitment `{slug}`"));
                }
            }
            if correction.what.trim().is_empty() || correction.why.trim().is_empty() {
                problems.push("a correction must say what was corrected and why".to_owned());
            }
            if correction.made_on < self.summit.held_on {
                problems.push("a correction cannot predate the summit".to_owned());
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> Dataset {
        serde_json::from_value(serde_json::json!({
            "summit": { "slug": "s", "title": "S", "held_on": "2025-11-01", "location": "L", "summary": "", "time_zone": "Asia/Seoul" },
            "parties": [
                { "code": "cn", "name": "China", "short_name": "China", "leader": "X" },
                { "code": "kr", "name": "Korea", "short_name": "Korea", "leader": "L" }
            ],
            "sources": [{
                "key": "a", "publisher": "P", "title": "T", "title_is": "headline", "published_on": "2025-11-02",
                "kind": "media_report", "quote": "Q"
            }],
            "commitments": [{
                "slug": "c", "title": "C", "summary": "", "theme": "economy", "proposed_by": "joint",
                "owed_by": ["cn", "kr"], "sources": ["a"],
                "status": [
                    { "party": "cn", "status": "not_yet_rated", "effective_on": "2025-11-01", "note": "n", "sources": ["a"] },
                    { "party": "kr", "status": "in_progress", "effective_on": "2025-11-01", "note": "n", "sources": ["a"] }
                ]
            }]
        }))
        .unwrap()
    }

    #[test]
    fn a_consistent_dataset_passes() {
        assert_eq!(minimal().validate(), Ok(()));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut data = minimal();
        data.commitments[0].sources.push("missing".into());
        data.commitments[0].owed_by.push(PartyCode::parse("jp").unwrap());
        data.commitments[0].status.remove(1);
        let problems = data.validate().unwrap_err();
        assert!(
            problems.iter().any(|p| p.contains("unknown source `missing`")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("unknown party `jp`")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("exactly one initial status for `kr`")),
            "{problems:?}"
        );
    }

    #[test]
    fn nothing_is_broken_before_it_falls_due() {
        let mut data = minimal();
        data.commitments[0].status[0].status = Status::NotFulfilled;
        assert!(data.validate().unwrap_err()[0].contains("before its due date"));
        data.commitments[0].due_on = NaiveDate::from_ymd_opt(2025, 10, 31);
        data.commitments[0].due_note = Some("test".into());
        assert!(data.validate().unwrap_err()[0].contains("due_basis"));
        data.commitments[0].due_basis = Some(crate::DueBasis::Explicit);
        // Due date before the status took effect: allowed (status date is 1 Nov).
        assert_eq!(data.validate(), Ok(()));
    }

    #[test]
    fn a_source_without_a_date_of_its_own_says_where_it_was_reported() {
        let mut data = minimal();
        data.sources[0].published_on = None;
        let problems = data.validate().unwrap_err();
        assert!(problems[0].contains("exactly one of published_on"), "{problems:?}");
        data.sources[0].reported_on = NaiveDate::from_ymd_opt(2025, 11, 2);
        let problems = data.validate().unwrap_err();
        assert!(problems[0].contains("`via` must say where"), "{problems:?}");
        data.sources[0].via = Some("PR Newswire release, 2 November 2025".into());
        assert_eq!(data.validate(), Ok(()));
        assert_eq!(
            data.sources[0].dated(),
            Some((NaiveDate::from_ymd_opt(2025, 11, 2).unwrap(), DateBasis::Reported))
        );
        data.sources[0].published_on = NaiveDate::from_ymd_opt(2025, 11, 2);
        assert!(data.validate().is_err(), "both dates at once is ambiguous");
    }

    #[test]
    fn corrections_name_real_commitments_and_the_zone_is_real() {
        let mut data = minimal();
        data.corrections.push(SeedCorrection {
            made_on: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            commitment: Some(Slug::parse("nowhere").unwrap()),
            what: "w".into(),
            why: "y".into(),
        });
        data.summit.time_zone = "Asia/Atlantis".into();
        let problems = data.validate().unwrap_err();
        assert!(
            problems.iter().any(|p| p.contains("unknown commitment `nowhere`")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("not an IANA time zone")),
            "{problems:?}"
        );
    }

    #[test]
    fn unknown_fields_and_bad_codes_do_not_parse() {
        let mut value = serde_json::to_value(serde_json::json!({"slug": "Bad Slug"})).unwrap();
        assert!(serde_json::from_value::<SeedSummit>(value.clone()).is_err());
        value = serde_json::json!({ "party": "cn", "status": "no_action", "effective_on": "2025-11-01", "note": "", "sources": [] });
        assert!(serde_json::from_value::<SeedStatus>(value).is_err());
        assert_eq!(Proposer::try_from("joint".to_owned()), Ok(Proposer::Joint));
        assert!(Proposer::try_from("both".to_owned()).is_err());
    }
}

/// Translations shipped beside a seed file: the summit's and each
/// commitment's texts in other languages, all by one translator.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedTranslations {
    pub translated_by: String,
    pub summit: SeedSummitTranslations,
    pub commitments: Vec<SeedCommitmentTranslations>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSummitTranslations {
    pub ko: Option<SeedSummitText>,
    pub zh: Option<SeedSummitText>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSummitText {
    pub title: String,
    pub location: String,
    pub summary: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCommitmentTranslations {
    pub slug: Slug,
    pub ko: Option<SeedCommitmentText>,
    pub zh: Option<SeedCommitmentText>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCommitmentText {
    pub title: String,
    pub summary: String,
}

impl SeedSummitTranslations {
    pub fn by_language(&self) -> Vec<(super::Locale, &SeedSummitText)> {
        [(super::Locale::Ko, &self.ko), (super::Locale::Zh, &self.zh)]
            .into_iter()
            .filter_map(|(locale, text)| text.as_ref().map(|t| (locale, t)))
            .collect()
    }
}

impl SeedCommitmentTranslations {
    pub fn by_language(&self) -> Vec<(super::Locale, &SeedCommitmentText)> {
        [(super::Locale::Ko, &self.ko), (super::Locale::Zh, &self.zh)]
            .into_iter()
            .filter_map(|(locale, text)| text.as_ref().map(|t| (locale, t)))
            .collect()
    }
}

impl SeedTranslations {
    /// Every translated commitment exists in `dataset`, once, and no text
    /// is blank.
    pub fn validate(&self, dataset: &Dataset) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        let known: HashSet<&Slug> = dataset.commitments.iter().map(|c| &c.slug).collect();
        let mut seen = HashSet::new();
        if self.translated_by.trim().is_empty() {
            problems.push("translated_by is blank".to_owned());
        }
        for commitment in &self.commitments {
            if !known.contains(&commitment.slug) {
                problems.push(format!("translation of unknown commitment `{}`", commitment.slug));
            }
            if !seen.insert(&commitment.slug) {
                problems.push(format!("commitment `{}` is translated twice", commitment.slug));
            }
            for (locale, text) in commitment.by_language() {
                if text.title.trim().is_empty() || text.summary.trim().is_empty() {
                    problems.push(format!("`{}` has a blank {locale} text", commitment.slug));
                }
            }
        }
        for (locale, text) in self.summit.by_language() {
            if [&text.title, &text.location, &text.summary]
                .iter()
                .any(|t| t.trim().is_empty())
            {
                problems.push(format!("the summit has a blank {locale} text"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

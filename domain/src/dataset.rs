//! A summit's data set as loaded from a seed file: the summit, its parties,
//! sources and commitments with their initial statuses. Validated as a whole
//! before anything is written.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

use super::{DateBasis, PartyCode, Slug, SourceKind, Status, Theme, TitleBasis};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    pub summit: SeedSummit,
    pub parties: Vec<SeedParty>,
    pub sources: Vec<SeedSource>,
    pub commitments: Vec<SeedCommitment>,
    /// Corrections made to this data since it was first published, listed
    /// on the public corrections page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<SeedCorrection>,
}

/// A correction made to the shipped data after it was first published.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedParty {
    pub code: PartyCode,
    pub name: String,
    pub short_name: String,
    pub leader: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Proposer {
    Party(PartyCode),
    Joint,
}

impl From<Proposer> for String {
    fn from(proposer: Proposer) -> String {
        match proposer {
            Proposer::Party(code) => code.as_str().to_owned(),
            Proposer::Joint => "joint".to_owned(),
        }
    }
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedStatus {
    pub party: PartyCode,
    pub status: Status,
    pub effective_on: NaiveDate,
    pub note: String,
    pub sources: Vec<String>,
}

/// One step of the way to a field of a data set file: a key, or a position
/// in a list (from 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldStep {
    Key(&'static str),
    Index(usize),
}

/// Where a field sits in a data set file, e.g. `commitments[3].owed_by[1]`:
/// what a reader of the file goes to, and what lets a tool find its line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<FieldStep>);

impl FieldPath {
    fn at(steps: &[FieldStep]) -> FieldPath {
        FieldPath(steps.to_vec())
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (n, step) in self.0.iter().enumerate() {
            match step {
                FieldStep::Key(key) if n == 0 => f.write_str(key)?,
                FieldStep::Key(key) => write!(f, ".{key}")?,
                FieldStep::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// A problem with a data set, and the field it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetProblem {
    pub field: FieldPath,
    pub message: String,
}

use FieldStep::{Index, Key};

/// Collects problems, each at a field.
#[derive(Default)]
struct Problems(Vec<DatasetProblem>);

impl Problems {
    fn add(&mut self, field: &[FieldStep], message: String) {
        self.0.push(DatasetProblem {
            field: FieldPath::at(field),
            message,
        });
    }

    fn into_messages(self) -> Result<(), Vec<String>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0.into_iter().map(|p| p.message).collect())
        }
    }
}

impl Dataset {
    /// Checks the cross-references a type cannot express. Returns every
    /// problem found, so a broken seed file is fixed in one pass.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        Problems(self.problems()).into_messages()
    }

    /// What `validate` reports, each problem with the field it is about.
    pub fn problems(&self) -> Vec<DatasetProblem> {
        let mut problems = Problems::default();
        let parties: HashSet<&PartyCode> = self.parties.iter().map(|p| &p.code).collect();
        let mut seen_parties = HashSet::new();
        for (p, party) in self.parties.iter().enumerate() {
            if !seen_parties.insert(&party.code) {
                problems.add(
                    &[Key("parties"), Index(p), Key("code")],
                    format!("party code `{}` is used twice; party codes must be unique", party.code),
                );
            }
        }
        let mut sources: HashMap<&str, &SeedSource> = HashMap::new();
        for (s, source) in self.sources.iter().enumerate() {
            let at = |key| [Key("sources"), Index(s), Key(key)];
            if sources.insert(source.key.as_str(), source).is_some() {
                problems.add(&at("key"), format!("source key `{}` is used twice", source.key));
            }
            if source.quote.trim().is_empty() {
                problems.add(&at("quote"), format!("source `{}` has an empty quote", source.key));
            }
            if source.dated().is_none() {
                problems.add(
                    &at("published_on"),
                    format!(
                        "source `{}` needs exactly one of published_on (the date it gives) and reported_on",
                        source.key
                    ),
                );
            }
            if source.reported_on.is_some() && source.via.as_deref().is_none_or(|v| v.trim().is_empty()) {
                problems.add(
                    &at("reported_on"),
                    format!(
                        "source `{}` has no date of its own, so `via` must say where it was reported",
                        source.key
                    ),
                );
            }
        }
        if crate::SummitTimeZone::parse(&self.summit.time_zone).is_none() {
            problems.add(
                &[Key("summit"), Key("time_zone")],
                format!("`{}` is not an IANA time zone", self.summit.time_zone),
            );
        }
        let mut slugs = HashSet::new();
        for (c, commitment) in self.commitments.iter().enumerate() {
            let at = |key| [Key("commitments"), Index(c), Key(key)];
            let slug = commitment.slug.as_str();
            if !slugs.insert(slug) {
                problems.add(&at("slug"), format!("commitment slug `{slug}` is used twice"));
            }
            if commitment.title.trim().is_empty() {
                problems.add(&at("title"), format!("commitment `{slug}` has no title"));
            }
            if let Proposer::Party(code) = &commitment.proposed_by {
                if !parties.contains(code) {
                    problems.add(
                        &at("proposed_by"),
                        format!("commitment `{slug}` is proposed by unknown party `{code}`"),
                    );
                }
            }
            if commitment.owed_by.is_empty() {
                problems.add(&at("owed_by"), format!("commitment `{slug}` is owed by nobody"));
            }
            for (o, code) in commitment.owed_by.iter().enumerate() {
                if !parties.contains(code) {
                    problems.add(
                        &[Key("commitments"), Index(c), Key("owed_by"), Index(o)],
                        format!("commitment `{slug}` is owed by unknown party `{code}`"),
                    );
                }
            }
            if commitment.sources.is_empty() {
                problems.add(&at("sources"), format!("commitment `{slug}` cites no source"));
            }
            if commitment.due_on.is_some() != commitment.due_note.is_some()
                || commitment.due_on.is_some() != commitment.due_basis.is_some()
            {
                problems.add(
                    &at("due_on"),
                    format!("commitment `{slug}` must give due_on, due_basis and due_note together"),
                );
            }
            for (k, key) in commitment.sources.iter().enumerate() {
                if !sources.contains_key(key.as_str()) {
                    problems.add(
                        &[Key("commitments"), Index(c), Key("sources"), Index(k)],
                        format!("commitment `{slug}` cites unknown source `{key}`"),
                    );
                }
            }
            for code in &commitment.owed_by {
                let count = commitment.status.iter().filter(|s| &s.party == code).count();
                if count != 1 {
                    problems.add(
                        &at("status"),
                        format!("commitment `{slug}` needs exactly one initial status for `{code}`, has {count}"),
                    );
                }
            }
            for (n, status) in commitment.status.iter().enumerate() {
                let at = |key| [Key("commitments"), Index(c), Key("status"), Index(n), Key(key)];
                if !commitment.owed_by.contains(&status.party) {
                    problems.add(
                        &at("party"),
                        format!("commitment `{slug}` rates `{}`, which does not owe it", status.party),
                    );
                }
                if status.sources.is_empty() {
                    problems.add(
                        &at("sources"),
                        format!("commitment `{slug}`: the status of `{}` cites no source", status.party),
                    );
                }
                for (k, key) in status.sources.iter().enumerate() {
                    let field = [
                        Key("commitments"),
                        Index(c),
                        Key("status"),
                        Index(n),
                        Key("sources"),
                        Index(k),
                    ];
                    if !sources.contains_key(key.as_str()) {
                        problems.add(
                            &field,
                            format!("commitment `{slug}`: status cites unknown source `{key}`"),
                        );
                    } else if !commitment.sources.contains(key) {
                        // The page lists a commitment's sources; evidence
                        // that is not among them would be listed by surprise.
                        problems.add(
                            &field,
                            format!("commitment `{slug}`: a status cites `{key}`, which the commitment does not list"),
                        );
                    }
                }
                if status.effective_on < self.summit.held_on {
                    problems.add(
                        &at("effective_on"),
                        format!("commitment `{slug}`: a status cannot take effect before the summit"),
                    );
                }
                // A pledge is not broken before it falls due unless a source says
                // it was abandoned; seed data has no such source.
                if status.status == Status::NotFulfilled {
                    let due_passed = commitment.due_on.is_some_and(|due| status.effective_on > due);
                    if !due_passed {
                        problems.add(
                            &at("status"),
                            format!("commitment `{slug}` is marked not fulfilled before its due date"),
                        );
                    }
                }
            }
        }
        for (n, correction) in self.corrections.iter().enumerate() {
            let at = |key| [Key("corrections"), Index(n), Key(key)];
            if let Some(slug) = &correction.commitment {
                if !slugs.contains(slug.as_str()) {
                    problems.add(
                        &at("commitment"),
                        format!("a correction names unknown commitment `{slug}`"),
                    );
                }
            }
            if correction.what.trim().is_empty() || correction.why.trim().is_empty() {
                problems.add(
                    &at("what"),
                    "a correction must say what was corrected and why".to_owned(),
                );
            }
            if correction.made_on < self.summit.held_on {
                problems.add(&at("made_on"), "a correction cannot predate the summit".to_owned());
            }
        }
        problems.0
    }

    /// Sources whose quote is not copied exactly from any of `texts` (the
    /// articles the data set was drawn from): a quote is a reader's
    /// evidence, so not one character of it may be Accord's.
    pub fn misquoted(&self, texts: &[&str]) -> Vec<DatasetProblem> {
        let mut problems = Problems::default();
        for (s, source) in self.sources.iter().enumerate() {
            if !texts.iter().any(|text| text.contains(&source.quote)) {
                problems.add(
                    &[Key("sources"), Index(s), Key("quote")],
                    format!(
                        "source `{}` is not quoted exactly from the source text: {}",
                        source.key, source.quote
                    ),
                );
            }
        }
        problems.0
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
    fn each_problem_names_its_field() {
        let mut data = minimal();
        data.commitments[0].owed_by.push(PartyCode::parse("jp").unwrap());
        data.commitments[0].status[1].sources = vec!["a".into(), "nowhere".into()];
        let fields: Vec<String> = data
            .problems()
            .iter()
            .map(|p| format!("{}: {}", p.field, p.message))
            .collect();
        assert!(
            fields.contains(&"commitments[0].owed_by[2]: commitment `c` is owed by unknown party `jp`".to_owned()),
            "{fields:?}"
        );
        assert!(
            fields.contains(
                &"commitments[0].status[1].sources[1]: commitment `c`: status cites unknown source `nowhere`"
                    .to_owned()
            ),
            "{fields:?}"
        );
    }

    #[test]
    fn a_quote_must_be_copied_exactly() {
        let data = minimal();
        assert_eq!(data.misquoted(&["It said: Q."]), vec![]);
        let problems = data.misquoted(&["It said: q.", "nothing"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field.to_string(), "sources[0].quote");
    }

    #[test]
    fn a_dataset_serializes_to_what_it_parses_from() {
        let data = minimal();
        let value = serde_json::to_value(&data).unwrap();
        assert_eq!(value["commitments"][0]["proposed_by"], "joint");
        assert_eq!(serde_json::from_value::<Dataset>(value).unwrap(), data);
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedTranslations {
    pub translated_by: String,
    pub summit: SeedSummitTranslations,
    pub commitments: Vec<SeedCommitmentTranslations>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSummitTranslations {
    pub ko: Option<SeedSummitText>,
    pub zh: Option<SeedSummitText>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSummitText {
    pub title: String,
    pub location: String,
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCommitmentTranslations {
    pub slug: Slug,
    pub ko: Option<SeedCommitmentText>,
    pub zh: Option<SeedCommitmentText>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
        Problems(self.problems(dataset)).into_messages()
    }

    /// What `validate` reports, each problem with the field it is about.
    pub fn problems(&self, dataset: &Dataset) -> Vec<DatasetProblem> {
        let mut problems = Problems::default();
        let known: HashSet<&Slug> = dataset.commitments.iter().map(|c| &c.slug).collect();
        let mut seen = HashSet::new();
        if self.translated_by.trim().is_empty() {
            problems.add(&[Key("translated_by")], "translated_by is blank".to_owned());
        }
        for (c, commitment) in self.commitments.iter().enumerate() {
            let at = |key| [Key("commitments"), Index(c), Key(key)];
            if !known.contains(&commitment.slug) {
                problems.add(
                    &at("slug"),
                    format!("translation of unknown commitment `{}`", commitment.slug),
                );
            }
            if !seen.insert(&commitment.slug) {
                problems.add(
                    &at("slug"),
                    format!("commitment `{}` is translated twice", commitment.slug),
                );
            }
            for (locale, text) in commitment.by_language() {
                if text.title.trim().is_empty() || text.summary.trim().is_empty() {
                    problems.add(
                        &at(locale.code()),
                        format!("`{}` has a blank {locale} text", commitment.slug),
                    );
                }
            }
        }
        for (locale, text) in self.summit.by_language() {
            if [&text.title, &text.location, &text.summary]
                .iter()
                .any(|t| t.trim().is_empty())
            {
                problems.add(
                    &[Key("summit"), Key(locale.code())],
                    format!("the summit has a blank {locale} text"),
                );
            }
        }
        problems.0
    }
}

//! A stored summit read back as a data set, in the format the seed file
//! and `accord import` use (`accord export`), and the checks an import
//! makes against what is already stored.
//!
//! The data set is the summit as it stands: each commitment's current
//! text, each source's current version, and each owing party's current
//! status with the sources it cites. The history behind them (earlier
//! statuses, revisions, source versions) is not part of the format; it
//! stays in the site's database and its backups.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use sqlx::SqlitePool;

use domain::{
    Dataset, Proposer, SeedCommitment, SeedCorrection, SeedParty, SeedSource, SeedStatus, SeedSummit, SeedSummitText,
    SeedSummitTranslations, SeedTranslations,
};

use crate::commitments::decode;

/// The key a source gets in an exported data set: its place among the
/// summit's sources, in the order they were stored, so that exporting the
/// same data twice, or after a round trip through `accord import`, gives
/// the same keys.
fn source_key(position: usize) -> String {
    format!("source-{}", position + 1)
}

/// The summit `slug` as a data set, or `None` when no summit has that slug.
pub async fn read_dataset(pool: &SqlitePool, slug: &str) -> Result<Option<Dataset>, sqlx::Error> {
    let Some(summit) = sqlx::query!(
        r#"SELECT id AS "id!: i64", slug, title, held_on AS "held_on: NaiveDate", location, summary, time_zone
           FROM summits WHERE slug = ?1"#,
        slug
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let summit_id = summit.id;

    let parties = sqlx::query!(
        r#"SELECT p.id AS "id!: i64", p.code, p.name, p.short_name, p.leader FROM parties p
           WHERE p.id IN (SELECT cp.party_id FROM commitment_parties cp
                          JOIN commitments c ON c.id = cp.commitment_id WHERE c.summit_id = ?1)
              OR p.id IN (SELECT proposed_by_party_id FROM commitments WHERE summit_id = ?1)
           ORDER BY p.id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    let mut party_codes = HashMap::new();
    let mut seed_parties = Vec::new();
    for party in parties {
        party_codes.insert(party.id, decode::<domain::PartyCode>(&party.code)?);
        seed_parties.push(SeedParty {
            code: decode(&party.code)?,
            name: party.name,
            short_name: party.short_name,
            leader: party.leader,
        });
    }

    let sources = sqlx::query!(
        r#"SELECT s.id AS "id!: i64", s.publisher, s.via, s.title, s.title_basis, s.dated_on AS "dated_on: NaiveDate",
                  s.date_basis, s.url, s.kind, s.quote
           FROM sources s
           WHERE s.id IN (SELECT cs.source_id FROM commitment_sources cs
                          JOIN commitments c ON c.id = cs.commitment_id WHERE c.summit_id = ?1)
           ORDER BY s.id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    let mut source_keys = HashMap::new();
    let mut seed_sources = Vec::new();
    for (position, source) in sources.into_iter().enumerate() {
        let key = source_key(position);
        source_keys.insert(source.id, key.clone());
        let basis: domain::DateBasis = decode(&source.date_basis)?;
        let (published_on, reported_on) = match basis {
            domain::DateBasis::Published => (Some(source.dated_on), None),
            domain::DateBasis::Reported => (None, Some(source.dated_on)),
        };
        seed_sources.push(SeedSource {
            key,
            publisher: source.publisher,
            via: source.via,
            title: source.title,
            title_is: decode(&source.title_basis)?,
            published_on,
            reported_on,
            url: source.url,
            kind: decode(&source.kind)?,
            quote: source.quote,
        });
    }

    let owed = sqlx::query!(
        r#"SELECT cp.commitment_id AS "commitment_id!: i64", cp.party_id AS "party_id!: i64"
           FROM commitment_parties cp JOIN commitments c ON c.id = cp.commitment_id
           WHERE c.summit_id = ?1 ORDER BY cp.commitment_id, cp.party_id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    let cited = sqlx::query!(
        r#"SELECT cs.commitment_id AS "commitment_id!: i64", cs.source_id AS "source_id!: i64"
           FROM commitment_sources cs JOIN commitments c ON c.id = cs.commitment_id
           WHERE c.summit_id = ?1 ORDER BY cs.commitment_id, cs.source_id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    // Each owing party's latest status (the one the site shows as current).
    let statuses = sqlx::query!(
        r#"SELECT su.id AS "id!: i64", su.commitment_id AS "commitment_id!: i64", su.party_id AS "party_id!: i64",
                  su.status, su.effective_on AS "effective_on: NaiveDate", su.note
           FROM status_updates su JOIN commitments c ON c.id = su.commitment_id
           WHERE c.summit_id = ?1
             AND su.id = (SELECT latest.id FROM status_updates latest
                          WHERE latest.commitment_id = su.commitment_id AND latest.party_id = su.party_id
                          ORDER BY latest.effective_on DESC, latest.id DESC LIMIT 1)
           ORDER BY su.commitment_id, su.party_id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    let evidence = sqlx::query!(
        r#"SELECT sus.status_update_id AS "status_update_id!: i64", sus.source_id AS "source_id!: i64"
           FROM status_update_sources sus
           JOIN status_updates su ON su.id = sus.status_update_id
           JOIN commitments c ON c.id = su.commitment_id
           WHERE c.summit_id = ?1 ORDER BY sus.status_update_id, sus.source_id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    let mut evidence_of: HashMap<i64, Vec<String>> = HashMap::new();
    for row in evidence {
        if let Some(key) = source_keys.get(&row.source_id) {
            evidence_of.entry(row.status_update_id).or_default().push(key.clone());
        }
    }

    let commitments = sqlx::query!(
        r#"SELECT c.id AS "id!: i64", c.slug, c.title, c.summary, c.theme,
                  c.proposed_by_party_id AS "proposer: i64", c.due_on AS "due_on: NaiveDate",
                  c.due_basis, c.due_note
           FROM commitments c WHERE c.summit_id = ?1 ORDER BY c.position, c.id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    let code_of = |id: i64| {
        party_codes
            .get(&id)
            .cloned()
            .ok_or_else(|| sqlx::Error::Protocol(format!("party {id} is not among the summit's parties")))
    };
    let mut seed_commitments = Vec::new();
    for commitment in commitments {
        let id = commitment.id;
        let mut status = Vec::new();
        for row in statuses.iter().filter(|s| s.commitment_id == id) {
            status.push(SeedStatus {
                party: code_of(row.party_id)?,
                status: decode(&row.status)?,
                effective_on: row.effective_on,
                note: row.note.clone(),
                sources: evidence_of.remove(&row.id).unwrap_or_default(),
            });
        }
        seed_commitments.push(SeedCommitment {
            slug: decode(&commitment.slug)?,
            title: commitment.title,
            summary: commitment.summary,
            theme: decode(&commitment.theme)?,
            proposed_by: match commitment.proposer {
                Some(party) => Proposer::Party(code_of(party)?),
                None => Proposer::Joint,
            },
            owed_by: owed
                .iter()
                .filter(|o| o.commitment_id == id)
                .map(|o| code_of(o.party_id))
                .collect::<Result<_, _>>()?,
            sources: cited
                .iter()
                .filter(|c| c.commitment_id == id)
                .filter_map(|c| source_keys.get(&c.source_id).cloned())
                .collect(),
            due_on: commitment.due_on,
            due_basis: commitment.due_basis.as_deref().map(decode).transpose()?,
            due_note: commitment.due_note,
            status,
        });
    }

    let corrections = sqlx::query!(
        r#"SELECT dc.made_on AS "made_on: NaiveDate", c.slug AS "commitment?: String", dc.what, dc.why
           FROM data_corrections dc LEFT JOIN commitments c ON c.id = dc.commitment_id
           WHERE dc.summit_id = ?1 ORDER BY dc.id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    let seed_corrections = corrections
        .into_iter()
        .map(|row| {
            Ok(SeedCorrection {
                made_on: row.made_on,
                commitment: row.commitment.as_deref().map(decode).transpose()?,
                what: row.what,
                why: row.why,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;

    Ok(Some(Dataset {
        summit: SeedSummit {
            slug: decode(&summit.slug)?,
            title: summit.title,
            held_on: summit.held_on,
            location: summit.location,
            summary: summit.summary,
            time_zone: summit.time_zone,
        },
        parties: seed_parties,
        sources: seed_sources,
        commitments: seed_commitments,
        corrections: seed_corrections,
    }))
}

/// The translations of the summit `slug` and its commitments, in the
/// format of a seed's translations file, or `None` when it has none. All
/// are credited to one translator in that format: the one named most often.
pub async fn read_translations(pool: &SqlitePool, slug: &str) -> Result<Option<SeedTranslations>, sqlx::Error> {
    let summit_texts = sqlx::query!(
        r#"SELECT t.language, t.title, t.location, t.summary, t.translated_by
           FROM summit_translations t JOIN summits s ON s.id = t.summit_id WHERE s.slug = ?1"#,
        slug
    )
    .fetch_all(pool)
    .await?;
    let commitment_texts = sqlx::query!(
        r#"SELECT c.slug, t.language, t.title, t.summary, t.translated_by
           FROM commitment_translations t JOIN commitments c ON c.id = t.commitment_id
           JOIN summits s ON s.id = c.summit_id WHERE s.slug = ?1
           ORDER BY c.position, c.id"#,
        slug
    )
    .fetch_all(pool)
    .await?;
    if summit_texts.is_empty() && commitment_texts.is_empty() {
        return Ok(None);
    }
    let mut credits: HashMap<&str, usize> = HashMap::new();
    for by in summit_texts
        .iter()
        .map(|t| t.translated_by.as_str())
        .chain(commitment_texts.iter().map(|t| t.translated_by.as_str()))
    {
        *credits.entry(by).or_default() += 1;
    }
    let translated_by = credits
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(by, _)| (*by).to_owned())
        .unwrap_or_default();

    let mut summit = SeedSummitTranslations { ko: None, zh: None };
    for text in &summit_texts {
        let translated = Some(SeedSummitText {
            title: text.title.clone(),
            location: text.location.clone(),
            summary: text.summary.clone(),
        });
        match text.language.as_str() {
            "ko" => summit.ko = translated,
            "zh" => summit.zh = translated,
            _ => {}
        }
    }
    let mut commitments: Vec<domain::SeedCommitmentTranslations> = Vec::new();
    let mut seen = BTreeSet::new();
    for text in &commitment_texts {
        if seen.insert(text.slug.clone()) {
            commitments.push(domain::SeedCommitmentTranslations {
                slug: decode(&text.slug)?,
                ko: None,
                zh: None,
            });
        }
        let Some(entry) = commitments.iter_mut().find(|c| c.slug.as_str() == text.slug) else {
            continue;
        };
        let translated = Some(domain::SeedCommitmentText {
            title: text.title.clone(),
            summary: text.summary.clone(),
        });
        match text.language.as_str() {
            "ko" => entry.ko = translated,
            "zh" => entry.zh = translated,
            _ => {}
        }
    }
    Ok(Some(SeedTranslations {
        translated_by,
        summit,
        commitments,
    }))
}

/// Which of a data set's slugs are already stored: the summit's (if it is)
/// and those of its commitments (commitment slugs are unique site-wide).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TakenSlugs {
    pub summit: bool,
    pub commitments: Vec<String>,
}

pub async fn taken_slugs(pool: &SqlitePool, dataset: &Dataset) -> Result<TakenSlugs, sqlx::Error> {
    let summit_slug = dataset.summit.slug.as_str();
    let summit = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM summits WHERE slug = ?1"#,
        summit_slug
    )
    .fetch_one(pool)
    .await?
        > 0;
    let mut commitments = Vec::new();
    for commitment in &dataset.commitments {
        let slug = commitment.slug.as_str();
        let n = sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM commitments WHERE slug = ?1"#, slug)
            .fetch_one(pool)
            .await?;
        if n > 0 {
            commitments.push(slug.to_owned());
        }
    }
    Ok(TakenSlugs { summit, commitments })
}

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
use crate::engine::{Engine, EngineRef};
use store_postgres::summit_dataset as postgres;
use store_rows::{
    CommitmentTextRow, CurrentStatusRow, DatasetCommitmentRow, DatasetCorrectionRow, DatasetPartyRow, DatasetSourceRow,
    DatasetSummitRow, IdPairRow, SummitTextRow,
};

/// The key a source gets in an exported data set: its place among the
/// summit's sources, in the order they were stored, so that exporting the
/// same data twice, or after a round trip through `accord import`, gives
/// the same keys.
fn source_key(position: usize) -> String {
    format!("source-{}", position + 1)
}

/// The summit `slug` as a data set, or `None` when no summit has that slug.
pub async fn read_dataset(db: &impl Engine, slug: &str) -> Result<Option<Dataset>, sqlx::Error> {
    let Some(summit) =
        (match db.engine() {
            EngineRef::Sqlite(pool) => sqlx::query_as!(
                DatasetSummitRow,
                r#"SELECT id AS "id!: i64", slug, title, held_on AS "held_on: NaiveDate", location, summary, time_zone
                   FROM summits WHERE slug = ?1"#,
                slug
            )
            .fetch_optional(pool)
            .await?,
            EngineRef::Postgres(pool) => postgres::summit(pool, slug).await?,
        })
    else {
        return Ok(None);
    };
    let rows = match db.engine() {
        EngineRef::Sqlite(pool) => summit_rows_on_sqlite(pool, summit.id).await?,
        EngineRef::Postgres(pool) => {
            let id = summit.id;
            SummitRows {
                parties: postgres::parties(pool, id).await?,
                sources: postgres::sources(pool, id).await?,
                owed: postgres::owing(pool, id).await?,
                listed: postgres::listed(pool, id).await?,
                statuses: postgres::current_statuses(pool, id).await?,
                cited: postgres::cited(pool, id).await?,
                commitments: postgres::commitments(pool, id).await?,
                corrections: postgres::corrections(pool, id).await?,
            }
        }
    };
    let SummitRows {
        parties,
        sources,
        owed,
        listed: cited,
        statuses,
        cited: evidence,
        commitments,
        corrections,
    } = rows;
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

    let mut evidence_of: HashMap<i64, Vec<String>> = HashMap::new();
    for row in evidence {
        if let Some(key) = source_keys.get(&row.item) {
            evidence_of.entry(row.owner).or_default().push(key.clone());
        }
    }

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
                .filter(|o| o.owner == id)
                .map(|o| code_of(o.item))
                .collect::<Result<_, _>>()?,
            sources: cited
                .iter()
                .filter(|c| c.owner == id)
                .filter_map(|c| source_keys.get(&c.item).cloned())
                .collect(),
            due_on: commitment.due_on,
            due_basis: commitment.due_basis.as_deref().map(decode).transpose()?,
            due_note: commitment.due_note,
            status,
        });
    }

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

/// What a data set is built from, read by one engine or the other.
struct SummitRows {
    parties: Vec<DatasetPartyRow>,
    sources: Vec<DatasetSourceRow>,
    /// Commitment, owing party.
    owed: Vec<IdPairRow>,
    /// Commitment, listed source.
    listed: Vec<IdPairRow>,
    /// Each owing party's latest status (the one the site shows as current).
    statuses: Vec<CurrentStatusRow>,
    /// Status update, cited source.
    cited: Vec<IdPairRow>,
    commitments: Vec<DatasetCommitmentRow>,
    corrections: Vec<DatasetCorrectionRow>,
}

async fn summit_rows_on_sqlite(pool: &SqlitePool, summit_id: i64) -> Result<SummitRows, sqlx::Error> {
    let parties = sqlx::query_as!(
        DatasetPartyRow,
        r#"SELECT p.id AS "id!: i64", p.code, p.name, p.short_name, p.leader FROM parties p
           WHERE p.id IN (SELECT cp.party_id FROM commitment_parties cp
                          JOIN commitments c ON c.id = cp.commitment_id WHERE c.summit_id = ?1)
              OR p.id IN (SELECT proposed_by_party_id FROM commitments WHERE summit_id = ?1)
           ORDER BY p.id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    let sources = sqlx::query_as!(
        DatasetSourceRow,
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
    let owed = sqlx::query_as!(
        IdPairRow,
        r#"SELECT cp.commitment_id AS "owner!: i64", cp.party_id AS "item!: i64"
           FROM commitment_parties cp JOIN commitments c ON c.id = cp.commitment_id
           WHERE c.summit_id = ?1 ORDER BY cp.commitment_id, cp.party_id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    let listed = sqlx::query_as!(
        IdPairRow,
        r#"SELECT cs.commitment_id AS "owner!: i64", cs.source_id AS "item!: i64"
           FROM commitment_sources cs JOIN commitments c ON c.id = cs.commitment_id
           WHERE c.summit_id = ?1 ORDER BY cs.commitment_id, cs.source_id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    let statuses = sqlx::query_as!(
        CurrentStatusRow,
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
    let cited = sqlx::query_as!(
        IdPairRow,
        r#"SELECT sus.status_update_id AS "owner!: i64", sus.source_id AS "item!: i64"
           FROM status_update_sources sus
           JOIN status_updates su ON su.id = sus.status_update_id
           JOIN commitments c ON c.id = su.commitment_id
           WHERE c.summit_id = ?1 ORDER BY sus.status_update_id, sus.source_id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    let commitments = sqlx::query_as!(
        DatasetCommitmentRow,
        r#"SELECT c.id AS "id!: i64", c.slug, c.title, c.summary, c.theme,
                  c.proposed_by_party_id AS "proposer: i64", c.due_on AS "due_on: NaiveDate",
                  c.due_basis, c.due_note
           FROM commitments c WHERE c.summit_id = ?1 ORDER BY c.position, c.id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    let corrections = sqlx::query_as!(
        DatasetCorrectionRow,
        r#"SELECT dc.made_on AS "made_on: NaiveDate", c.slug AS "commitment?: String", dc.what, dc.why
           FROM data_corrections dc LEFT JOIN commitments c ON c.id = dc.commitment_id
           WHERE dc.summit_id = ?1 ORDER BY dc.id"#,
        summit_id
    )
    .fetch_all(pool)
    .await?;
    Ok(SummitRows {
        parties,
        sources,
        owed,
        listed,
        statuses,
        cited,
        commitments,
        corrections,
    })
}

/// The translations of the summit `slug` and its commitments, in the
/// format of a seed's translations file, or `None` when it has none. All
/// are credited to one translator in that format: the one named most often.
pub async fn read_translations(db: &impl Engine, slug: &str) -> Result<Option<SeedTranslations>, sqlx::Error> {
    let (summit_texts, commitment_texts) = match db.engine() {
        EngineRef::Sqlite(pool) => {
            let summit_texts = sqlx::query_as!(
                SummitTextRow,
                r#"SELECT t.language, t.title, t.location, t.summary, t.translated_by
                   FROM summit_translations t JOIN summits s ON s.id = t.summit_id WHERE s.slug = ?1"#,
                slug
            )
            .fetch_all(pool)
            .await?;
            let commitment_texts = sqlx::query_as!(
                CommitmentTextRow,
                r#"SELECT c.slug, t.language, t.title, t.summary, t.translated_by
                   FROM commitment_translations t JOIN commitments c ON c.id = t.commitment_id
                   JOIN summits s ON s.id = c.summit_id WHERE s.slug = ?1
                   ORDER BY c.position, c.id"#,
                slug
            )
            .fetch_all(pool)
            .await?;
            (summit_texts, commitment_texts)
        }
        EngineRef::Postgres(pool) => (
            postgres::summit_texts(pool, slug).await?,
            postgres::commitment_texts(pool, slug).await?,
        ),
    };
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

pub async fn taken_slugs(db: &impl Engine, dataset: &Dataset) -> Result<TakenSlugs, sqlx::Error> {
    let summit_slug = dataset.summit.slug.as_str();
    match db.engine() {
        EngineRef::Sqlite(pool) => {
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
        EngineRef::Postgres(pool) => {
            let slugs: Vec<String> = dataset.commitments.iter().map(|c| c.slug.to_string()).collect();
            let (summit, taken) = postgres::taken(pool, summit_slug, &slugs).await?;
            // In the data set's order, as on SQLite.
            let commitments = slugs.into_iter().filter(|slug| taken.contains(slug)).collect();
            Ok(TakenSlugs { summit, commitments })
        }
    }
}

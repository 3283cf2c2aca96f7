//! Loads a validated summit data set in one transaction: either all of it is
//! stored or none of it is.

use crate::engine::Tx;
use crate::seed_statements::{self as statements, SeededCommitment, SeededStatus};
use crate::Db;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

use domain::{Dataset, PartyCode, Proposer};

/// Who is credited in the timeline for data loaded from a seed file.
pub const SEED_RECORDER: &str = "Accord seed data";

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the data set is inconsistent:\n  {}", .0.join("\n  "))]
    Invalid(Vec<String>),
    #[error("a summit with slug `{0}` is already stored")]
    AlreadyLoaded(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Stores a data set. Refuses an invalid data set or one whose summit is
/// already stored; parties that already exist (by code) are reused.
pub async fn insert_dataset(db: &Db, dataset: &Dataset, now: DateTime<Utc>) -> Result<(), SeedError> {
    import_dataset(db, dataset, None, SEED_RECORDER, now).await
}

/// Stores a data set and, if given, its translations, in one transaction,
/// crediting its sources and statuses to `recorded_by` in the history and
/// feeds (the operator who ran `accord import`, or the seed). Refuses an
/// invalid data set, invalid translations, or a summit already stored.
pub async fn import_dataset(
    db: &Db,
    dataset: &Dataset,
    translations: Option<&domain::SeedTranslations>,
    recorded_by: &str,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    dataset.validate().map_err(SeedError::Invalid)?;
    if let Some(translations) = translations {
        translations.validate(dataset).map_err(SeedError::Invalid)?;
    }
    let mut write = db.begin_write().await?;
    let tx = &mut write.tx();
    insert_dataset_in(tx, dataset, recorded_by, now).await?;
    if let Some(translations) = translations {
        insert_translations_in(tx, &dataset.summit.slug, translations, now).await?;
    }
    // A new summit, and parties that every page names: everything.
    db.commit(write, crate::Change::Everything).await?;
    Ok(())
}

async fn insert_dataset_in(
    tx: &mut Tx<'_>,
    dataset: &Dataset,
    recorded_by: &str,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    let summit_slug = dataset.summit.slug.as_str();
    if statements::summit_exists(tx, summit_slug).await? {
        return Err(SeedError::AlreadyLoaded(summit_slug.to_owned()));
    }
    let summit_id = statements::insert_summit(tx, &dataset.summit).await?;

    let mut party_ids: HashMap<&PartyCode, i64> = HashMap::new();
    for party in &dataset.parties {
        party_ids.insert(&party.code, statements::upsert_party(tx, party).await?);
    }

    let mut source_ids: HashMap<&str, i64> = HashMap::new();
    for source in &dataset.sources {
        // `validate` above refused a source without exactly one date.
        let text = source
            .text()
            .ok_or_else(|| SeedError::Invalid(vec![format!("source `{}` has no date", source.key)]))?;
        let id = crate::evidence::insert_source(tx, &text, recorded_by, now).await?;
        source_ids.insert(source.key.as_str(), id);
    }

    for (position, commitment) in dataset.commitments.iter().enumerate() {
        let proposer_id = match &commitment.proposed_by {
            Proposer::Party(code) => Some(party_ids[code]),
            Proposer::Joint => None,
        };
        let commitment_id = statements::insert_commitment(
            tx,
            &SeededCommitment {
                summit_id,
                slug: commitment.slug.as_str(),
                title: &commitment.title,
                summary: &commitment.summary,
                theme: commitment.theme.code(),
                proposer_id,
                due_on: commitment.due_on,
                due_note: commitment.due_note.as_deref(),
                position: position as i64 + 1,
                now,
                due_basis: commitment.due_basis.map(|basis| basis.code()),
            },
        )
        .await?;
        for code in &commitment.owed_by {
            statements::add_owing_party(tx, commitment_id, party_ids[code]).await?;
        }
        for key in &commitment.sources {
            crate::editing_statements::link_source(tx, commitment_id, source_ids[key.as_str()]).await?;
        }
        for status in &commitment.status {
            let update_id = statements::insert_status(
                tx,
                &SeededStatus {
                    commitment_id,
                    party_id: party_ids[&status.party],
                    status: status.status.code(),
                    effective_on: status.effective_on,
                    note: &status.note,
                    recorded_by,
                    recorded_at: now,
                },
            )
            .await?;
            for key in &status.sources {
                let source_id = source_ids[key.as_str()];
                // The evidence of a status change is also a source of the commitment.
                statements::link_source_once(tx, commitment_id, source_id).await?;
                statements::cite_first_version(tx, update_id, source_id).await?;
            }
        }
    }
    for correction in &dataset.corrections {
        statements::insert_data_correction(tx, summit_id, correction).await?;
    }
    Ok(())
}

/// Stores the translations shipped beside a summit's seed file, in one
/// transaction, unless that summit already has translations (so a site
/// seeded before translations existed gets them on its next start, and one
/// whose editors have translated since keeps their work). Returns whether
/// anything was stored.
pub async fn insert_translations(
    db: &Db,
    summit_slug: &domain::Slug,
    translations: &domain::SeedTranslations,
    now: DateTime<Utc>,
) -> Result<bool, SeedError> {
    let mut write = db.begin_write().await?;
    let stored = insert_translations_in(&mut write.tx(), summit_slug, translations, now).await?;
    if stored {
        // The names of a summit and its parties, shown on every page.
        db.commit(write, crate::Change::Everything).await?;
    }
    Ok(stored)
}

async fn insert_translations_in(
    tx: &mut Tx<'_>,
    summit_slug: &domain::Slug,
    translations: &domain::SeedTranslations,
    now: DateTime<Utc>,
) -> Result<bool, SeedError> {
    let Some(summit_id) = crate::editing_statements::summit_id(tx, summit_slug.as_str()).await? else {
        return Ok(false);
    };
    if statements::count_translations(tx, summit_id).await? > 0 {
        return Ok(false);
    }
    let by = translations.translated_by.as_str();
    for (locale, text) in translations.summit.by_language() {
        statements::insert_summit_translation(tx, summit_id, locale.code(), text, by).await?;
    }
    for commitment in &translations.commitments {
        let slug = commitment.slug.as_str();
        let Some(commitment_id) = statements::commitment_in_summit(tx, slug, summit_id).await? else {
            return Err(SeedError::Invalid(vec![format!(
                "translation of unknown commitment `{slug}`"
            )]));
        };
        for (language, text) in commitment.by_language() {
            let translation = domain::CommitmentTranslation {
                language,
                title: text.title.clone(),
                summary: text.summary.clone(),
                translated_by: by.to_owned(),
            };
            crate::translations::put_commitment_translation(tx, commitment_id, &translation, now).await?;
        }
    }
    Ok(true)
}

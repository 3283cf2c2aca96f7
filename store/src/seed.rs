//! Loads a validated summit data set in one transaction: either all of it is
//! stored or none of it is.

use crate::Db;
use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};
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
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    insert_dataset_in(&mut tx, dataset, recorded_by, now).await?;
    if let Some(translations) = translations {
        insert_translations_in(&mut tx, &dataset.summit.slug, translations, now).await?;
    }
    tx.commit().await?;
    // A new summit, and parties that every page names: everything.
    db.data_committed(crate::Change::Everything);
    Ok(())
}

async fn insert_dataset_in(
    tx: &mut Transaction<'_, Sqlite>,
    dataset: &Dataset,
    recorded_by: &str,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    let summit_slug = dataset.summit.slug.as_str();
    let exists = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM summits WHERE slug = ?1"#,
        summit_slug
    )
    .fetch_one(&mut **tx)
    .await?;
    if exists > 0 {
        return Err(SeedError::AlreadyLoaded(summit_slug.to_owned()));
    }
    let held_on = dataset.summit.held_on;
    let summit_id = sqlx::query_scalar!(
        r#"INSERT INTO summits (slug, title, held_on, location, summary, time_zone) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
           RETURNING id AS "id!: i64""#,
        summit_slug,
        dataset.summit.title,
        held_on,
        dataset.summit.location,
        dataset.summit.summary,
        dataset.summit.time_zone,
    )
    .fetch_one(&mut **tx)
    .await?;

    let mut party_ids: HashMap<&PartyCode, i64> = HashMap::new();
    for party in &dataset.parties {
        party_ids.insert(&party.code, upsert_party(tx, party).await?);
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
        let position = position as i64 + 1;
        let proposer_id = match &commitment.proposed_by {
            Proposer::Party(code) => Some(party_ids[code]),
            Proposer::Joint => None,
        };
        let slug = commitment.slug.as_str();
        let theme = commitment.theme.code();
        let due_basis = commitment.due_basis.map(|basis| basis.code());
        let commitment_id = sqlx::query_scalar!(
            r#"INSERT INTO commitments
                   (summit_id, slug, title, summary, theme, proposed_by_party_id, due_on, due_note,
                    position, version, created_at, updated_at, due_basis)
               VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?10, ?11)
               RETURNING id AS "id!: i64""#,
            summit_id,
            slug,
            commitment.title,
            commitment.summary,
            theme,
            proposer_id,
            commitment.due_on,
            commitment.due_note,
            position,
            now,
            due_basis,
        )
        .fetch_one(&mut **tx)
        .await?;
        for code in &commitment.owed_by {
            let party_id = party_ids[code];
            sqlx::query!(
                "INSERT INTO commitment_parties (commitment_id, party_id) VALUES (?1, ?2)",
                commitment_id,
                party_id
            )
            .execute(&mut **tx)
            .await?;
        }
        for key in &commitment.sources {
            let source_id = source_ids[key.as_str()];
            sqlx::query!(
                "INSERT INTO commitment_sources (commitment_id, source_id) VALUES (?1, ?2)",
                commitment_id,
                source_id
            )
            .execute(&mut **tx)
            .await?;
        }
        for status in &commitment.status {
            let party_id = party_ids[&status.party];
            let code = status.status.code();
            let update_id = sqlx::query_scalar!(
                r#"INSERT INTO status_updates
                       (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
                   VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id AS "id!: i64""#,
                commitment_id,
                party_id,
                code,
                status.effective_on,
                status.note,
                recorded_by,
                now,
            )
            .fetch_one(&mut **tx)
            .await?;
            for key in &status.sources {
                let source_id = source_ids[key.as_str()];
                // The evidence of a status change is also a source of the commitment.
                sqlx::query!(
                    "INSERT OR IGNORE INTO commitment_sources (commitment_id, source_id) VALUES (?1, ?2)",
                    commitment_id,
                    source_id
                )
                .execute(&mut **tx)
                .await?;
                sqlx::query!(
                    "INSERT INTO status_update_sources (status_update_id, source_id, source_version) VALUES (?1, ?2, 1)",
                    update_id,
                    source_id
                )
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    for correction in &dataset.corrections {
        let slug = correction.commitment.as_ref().map(|s| s.as_str());
        sqlx::query!(
            "INSERT INTO data_corrections (summit_id, commitment_id, made_on, what, why)
             VALUES (?1, (SELECT id FROM commitments WHERE slug = ?2), ?3, ?4, ?5)",
            summit_id,
            slug,
            correction.made_on,
            correction.what,
            correction.why
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn upsert_party(tx: &mut Transaction<'_, Sqlite>, party: &domain::SeedParty) -> Result<i64, sqlx::Error> {
    let code = party.code.as_str();
    sqlx::query!(
        "INSERT INTO parties (code, name, short_name, leader) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (code) DO NOTHING",
        code,
        party.name,
        party.short_name,
        party.leader,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query_scalar!(r#"SELECT id AS "id!: i64" FROM parties WHERE code = ?1"#, code)
        .fetch_one(&mut **tx)
        .await
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
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    let stored = insert_translations_in(&mut tx, summit_slug, translations, now).await?;
    if stored {
        tx.commit().await?;
        // The names of a summit and its parties, shown on every page.
        db.data_committed(crate::Change::Everything);
    }
    Ok(stored)
}

async fn insert_translations_in(
    tx: &mut Transaction<'_, Sqlite>,
    summit_slug: &domain::Slug,
    translations: &domain::SeedTranslations,
    now: DateTime<Utc>,
) -> Result<bool, SeedError> {
    let slug = summit_slug.as_str();
    let Some(summit_id) = sqlx::query_scalar!(r#"SELECT id AS "id!: i64" FROM summits WHERE slug = ?1"#, slug)
        .fetch_optional(&mut **tx)
        .await?
    else {
        return Ok(false);
    };
    let already = sqlx::query_scalar!(
        r#"SELECT (SELECT COUNT(*) FROM summit_translations WHERE summit_id = ?1)
                + (SELECT COUNT(*) FROM commitment_translations t JOIN commitments c ON c.id = t.commitment_id
                   WHERE c.summit_id = ?1) AS "n!: i64""#,
        summit_id
    )
    .fetch_one(&mut **tx)
    .await?;
    if already > 0 {
        return Ok(false);
    }
    let by = translations.translated_by.as_str();
    for (locale, text) in translations.summit.by_language() {
        let language = locale.code();
        sqlx::query!(
            "INSERT INTO summit_translations (summit_id, language, title, location, summary, translated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            summit_id,
            language,
            text.title,
            text.location,
            text.summary,
            by,
        )
        .execute(&mut **tx)
        .await?;
    }
    for commitment in &translations.commitments {
        let slug = commitment.slug.as_str();
        let Some(commitment_id) = sqlx::query_scalar!(
            r#"SELECT id AS "id!: i64" FROM commitments WHERE slug = ?1 AND summit_id = ?2"#,
            slug,
            summit_id
        )
        .fetch_optional(&mut **tx)
        .await?
        else {
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

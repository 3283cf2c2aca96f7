//! The statements that load a summit's data set, each on both engines:
//! SQLite's here, PostgreSQL's in `store_postgres::seed`. `seed` keeps the
//! rules and calls these on the load's transaction.

use chrono::{DateTime, NaiveDate, Utc};
use store_postgres::seed::{CommitmentInsert, StatusInsert, SummitInsert};
use store_postgres::stored_text::{date_text, timestamp_text};

use crate::engine::Tx;

pub(crate) async fn summit_exists(tx: &mut Tx<'_>, slug: &str) -> Result<bool, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"SELECT EXISTS (SELECT 1 FROM summits WHERE slug = ?1) AS "exists!: bool""#,
                slug
            )
            .fetch_one(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::seed::summit_exists(c, slug).await,
    }
}

pub(crate) async fn insert_summit(tx: &mut Tx<'_>, summit: &domain::SeedSummit) -> Result<i64, sqlx::Error> {
    let slug = summit.slug.as_str();
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"INSERT INTO summits (slug, title, held_on, location, summary, time_zone)
                   VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                   RETURNING id AS "id!: i64""#,
                slug,
                summit.title,
                summit.held_on,
                summit.location,
                summit.summary,
                summit.time_zone,
            )
            .fetch_one(&mut **c)
            .await
        }
        Tx::Postgres(c) => {
            let stored = SummitInsert {
                slug,
                title: &summit.title,
                held_on: date_text(summit.held_on),
                location: &summit.location,
                summary: &summit.summary,
                time_zone: &summit.time_zone,
            };
            store_postgres::seed::insert_summit(c, &stored).await
        }
    }
}

/// Stores a party unless one has its code; its id either way.
pub(crate) async fn upsert_party(tx: &mut Tx<'_>, party: &domain::SeedParty) -> Result<i64, sqlx::Error> {
    let code = party.code.as_str();
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "INSERT INTO parties (code, name, short_name, leader) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (code) DO NOTHING",
                code,
                party.name,
                party.short_name,
                party.leader,
            )
            .execute(&mut **c)
            .await?;
            sqlx::query_scalar!(r#"SELECT id AS "id!: i64" FROM parties WHERE code = ?1"#, code)
                .fetch_one(&mut **c)
                .await
        }
        Tx::Postgres(c) => {
            store_postgres::seed::upsert_party(c, code, &party.name, &party.short_name, &party.leader).await
        }
    }
}

/// A seeded commitment, as the statements take it.
pub(crate) struct SeededCommitment<'a> {
    pub summit_id: i64,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub theme: &'a str,
    pub proposer_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
    pub due_note: Option<&'a str>,
    pub position: i64,
    pub now: DateTime<Utc>,
    pub due_basis: Option<&'a str>,
}

pub(crate) async fn insert_commitment(tx: &mut Tx<'_>, commitment: &SeededCommitment<'_>) -> Result<i64, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"INSERT INTO commitments
                       (summit_id, slug, title, summary, theme, proposed_by_party_id, due_on, due_note,
                        position, version, created_at, updated_at, due_basis)
                   VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?10, ?11)
                   RETURNING id AS "id!: i64""#,
                commitment.summit_id,
                commitment.slug,
                commitment.title,
                commitment.summary,
                commitment.theme,
                commitment.proposer_id,
                commitment.due_on,
                commitment.due_note,
                commitment.position,
                commitment.now,
                commitment.due_basis,
            )
            .fetch_one(&mut **c)
            .await
        }
        Tx::Postgres(c) => {
            let stored = CommitmentInsert {
                summit_id: commitment.summit_id,
                slug: commitment.slug,
                title: commitment.title,
                summary: commitment.summary,
                theme: commitment.theme,
                proposer_id: commitment.proposer_id,
                due_on: commitment.due_on.map(date_text),
                due_note: commitment.due_note,
                position: commitment.position,
                now: timestamp_text(commitment.now),
                due_basis: commitment.due_basis,
            };
            store_postgres::seed::insert_commitment(c, &stored).await
        }
    }
}

pub(crate) async fn add_owing_party(tx: &mut Tx<'_>, commitment_id: i64, party_id: i64) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "INSERT INTO commitment_parties (commitment_id, party_id) VALUES (?1, ?2)",
                commitment_id,
                party_id
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => store_postgres::seed::add_owing_party(c, commitment_id, party_id).await,
    }
}

/// Lists a source with a commitment unless it is listed already.
pub(crate) async fn link_source_once(tx: &mut Tx<'_>, commitment_id: i64, source_id: i64) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "INSERT INTO commitment_sources (commitment_id, source_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                commitment_id,
                source_id
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => store_postgres::seed::link_source_once(c, commitment_id, source_id).await,
    }
}

/// A seeded status, as the statements take it.
pub(crate) struct SeededStatus<'a> {
    pub commitment_id: i64,
    pub party_id: i64,
    pub status: &'a str,
    pub effective_on: NaiveDate,
    pub note: &'a str,
    pub recorded_by: &'a str,
    pub recorded_at: DateTime<Utc>,
}

pub(crate) async fn insert_status(tx: &mut Tx<'_>, status: &SeededStatus<'_>) -> Result<i64, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"INSERT INTO status_updates
                       (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
                   VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id AS "id!: i64""#,
                status.commitment_id,
                status.party_id,
                status.status,
                status.effective_on,
                status.note,
                status.recorded_by,
                status.recorded_at,
            )
            .fetch_one(&mut **c)
            .await
        }
        Tx::Postgres(c) => {
            let stored = StatusInsert {
                commitment_id: status.commitment_id,
                party_id: status.party_id,
                status: status.status,
                effective_on: date_text(status.effective_on),
                note: status.note,
                recorded_by: status.recorded_by,
                recorded_at: timestamp_text(status.recorded_at),
            };
            store_postgres::seed::insert_status(c, &stored).await
        }
    }
}

/// Cites a seeded source's first version as a status's evidence.
pub(crate) async fn cite_first_version(
    tx: &mut Tx<'_>,
    status_update_id: i64,
    source_id: i64,
) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "INSERT INTO status_update_sources (status_update_id, source_id, source_version) VALUES (?1, ?2, 1)",
                status_update_id,
                source_id
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => store_postgres::seed::cite_first_version(c, status_update_id, source_id).await,
    }
}

pub(crate) async fn insert_data_correction(
    tx: &mut Tx<'_>,
    summit_id: i64,
    correction: &domain::SeedCorrection,
) -> Result<(), sqlx::Error> {
    let slug = correction.commitment.as_ref().map(|s| s.as_str());
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "INSERT INTO data_corrections (summit_id, commitment_id, made_on, what, why)
                 VALUES (?1, (SELECT id FROM commitments WHERE slug = ?2), ?3, ?4, ?5)",
                summit_id,
                slug,
                correction.made_on,
                correction.what,
                correction.why
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => {
            store_postgres::seed::insert_data_correction(
                c,
                summit_id,
                slug,
                &date_text(correction.made_on),
                &correction.what,
                &correction.why,
            )
            .await
        }
    }
}

/// How many translations a summit and its commitments have.
pub(crate) async fn count_translations(tx: &mut Tx<'_>, summit_id: i64) -> Result<i64, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"SELECT (SELECT COUNT(*) FROM summit_translations WHERE summit_id = ?1)
                        + (SELECT COUNT(*) FROM commitment_translations t JOIN commitments c ON c.id = t.commitment_id
                           WHERE c.summit_id = ?1) AS "n!: i64""#,
                summit_id
            )
            .fetch_one(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::seed::count_translations(c, summit_id).await,
    }
}

pub(crate) async fn insert_summit_translation(
    tx: &mut Tx<'_>,
    summit_id: i64,
    language: &str,
    text: &domain::SeedSummitText,
    translated_by: &str,
) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "INSERT INTO summit_translations (summit_id, language, title, location, summary, translated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                summit_id,
                language,
                text.title,
                text.location,
                text.summary,
                translated_by,
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => {
            store_postgres::seed::insert_summit_translation(
                c,
                summit_id,
                language,
                &text.title,
                &text.location,
                &text.summary,
                translated_by,
            )
            .await
        }
    }
}

pub(crate) async fn commitment_in_summit(
    tx: &mut Tx<'_>,
    slug: &str,
    summit_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"SELECT id AS "id!: i64" FROM commitments WHERE slug = ?1 AND summit_id = ?2"#,
                slug,
                summit_id
            )
            .fetch_optional(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::seed::commitment_in_summit(c, slug, summit_id).await,
    }
}

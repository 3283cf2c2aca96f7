//! The statements of an editor's write, each on both engines: SQLite's here,
//! PostgreSQL's in `store_postgres::editing`. `editing` keeps the rules and
//! calls these on the write's transaction (`Tx`); nothing here decides
//! anything.

use chrono::{DateTime, NaiveDate, Utc};
use store_postgres::editing::{FieldsUpdate, RevisionInsert, StatusUpdateInsert};
use store_postgres::stored_text::{date_text, timestamp_text};
use store_rows::{ClaimRow, CommitmentTranslationRow, EditableRow, LatestRevisionRow, OwingPartyRow};

use crate::engine::Tx;

pub(crate) async fn claim_version(
    tx: &mut Tx<'_>,
    slug: &str,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<Option<ClaimRow>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_as!(
                ClaimRow,
                r#"UPDATE commitments SET version = version + 1, updated_at = ?1
                   WHERE slug = ?2 AND version = ?3
                   RETURNING id AS "id!: i64", version AS "version!: i64", slug AS "slug!: String",
                             (SELECT s.slug FROM summits s WHERE s.id = commitments.summit_id) AS "summit!: String""#,
                now,
                slug,
                expected
            )
            .fetch_optional(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::editing::claim_version(c, slug, expected, &timestamp_text(now)).await,
    }
}

pub(crate) async fn claim_version_of(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<ClaimRow, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_as!(
                ClaimRow,
                r#"UPDATE commitments SET version = version + 1, updated_at = ?1 WHERE id = ?2
                   RETURNING id AS "id!: i64", version AS "version!: i64", slug AS "slug!: String",
                             (SELECT s.slug FROM summits s WHERE s.id = commitments.summit_id) AS "summit!: String""#,
                now,
                id
            )
            .fetch_one(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::editing::claim_version_of(c, id, &timestamp_text(now)).await,
    }
}

pub(crate) async fn current_version(tx: &mut Tx<'_>, slug: &str) -> Result<Option<(i64, i64)>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            let row = sqlx::query!(
                r#"SELECT id AS "id!: i64", version FROM commitments WHERE slug = ?1"#,
                slug
            )
            .fetch_optional(&mut **c)
            .await?;
            Ok(row.map(|row| (row.id, row.version)))
        }
        Tx::Postgres(c) => store_postgres::editing::current_version(c, slug).await,
    }
}

pub(crate) async fn latest_revision(
    tx: &mut Tx<'_>,
    commitment_id: i64,
) -> Result<Option<LatestRevisionRow>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_as!(
                LatestRevisionRow,
                r#"SELECT recorded_by, created_at AS "created_at: DateTime<Utc>", summary
                   FROM revisions WHERE commitment_id = ?1 ORDER BY version DESC LIMIT 1"#,
                commitment_id
            )
            .fetch_optional(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::editing::latest_revision(c, commitment_id).await,
    }
}

pub(crate) async fn editable(tx: &mut Tx<'_>, commitment_id: i64) -> Result<EditableRow, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            // The sources come along as a JSON array: one statement fewer on
            // every write, each of which waits its turn behind the others.
            let row = sqlx::query!(
                r#"SELECT c.title, c.summary, c.theme, p.code AS "proposer?", c.due_on AS "due_on: NaiveDate",
                          c.due_note, c.due_basis,
                          (SELECT json_group_array(source_id)
                             FROM (SELECT source_id FROM commitment_sources WHERE commitment_id = c.id
                                   ORDER BY source_id))
                            AS "source_ids!: String"
                   FROM commitments c LEFT JOIN parties p ON p.id = c.proposed_by_party_id WHERE c.id = ?1"#,
                commitment_id
            )
            .fetch_one(&mut **c)
            .await?;
            Ok(EditableRow {
                title: row.title,
                summary: row.summary,
                theme: row.theme,
                proposer: row.proposer,
                due_on: row.due_on,
                due_note: row.due_note,
                due_basis: row.due_basis,
                source_ids: serde_json::from_str(&row.source_ids).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            })
        }
        Tx::Postgres(c) => store_postgres::editing::editable(c, commitment_id).await,
    }
}

pub(crate) async fn owing_parties(tx: &mut Tx<'_>, commitment_id: i64) -> Result<Vec<OwingPartyRow>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_as!(
                OwingPartyRow,
                r#"SELECT p.code, p.short_name, su.id AS "status_update_id?: i64", su.status AS "status?: String",
                          su.effective_on AS "effective_on?: NaiveDate"
                   FROM commitment_parties cp
                   JOIN parties p ON p.id = cp.party_id
                   -- The current update, kept by the status_updates_set_current trigger.
                   LEFT JOIN status_updates su ON su.id = cp.status_update_id
                   WHERE cp.commitment_id = ?1 ORDER BY p.id"#,
                commitment_id
            )
            .fetch_all(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::editing::owing_parties(c, commitment_id).await,
    }
}

pub(crate) async fn listed_source_ids(tx: &mut Tx<'_>, commitment_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"SELECT source_id AS "id!: i64" FROM commitment_sources WHERE commitment_id = ?1
                   ORDER BY source_id"#,
                commitment_id
            )
            .fetch_all(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::editing::listed_source_ids(c, commitment_id).await,
    }
}

pub(crate) async fn translations(
    tx: &mut Tx<'_>,
    commitment_id: i64,
) -> Result<Vec<CommitmentTranslationRow>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_as!(
                CommitmentTranslationRow,
                r#"SELECT commitment_id AS "commitment_id!: i64", language, title, summary, translated_by
                   FROM commitment_translations WHERE commitment_id = ?1 ORDER BY language"#,
                commitment_id
            )
            .fetch_all(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::translations::of_commitment_in(c, commitment_id).await,
    }
}

pub(crate) async fn delete_translations(tx: &mut Tx<'_>, commitment_id: i64) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "DELETE FROM commitment_translations WHERE commitment_id = ?1",
                commitment_id
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => store_postgres::editing::delete_translations(c, commitment_id).await,
    }
}

pub(crate) async fn original_language(tx: &mut Tx<'_>, commitment_id: i64) -> Result<String, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!("SELECT language FROM commitments WHERE id = ?1", commitment_id)
                .fetch_one(&mut **c)
                .await
        }
        Tx::Postgres(c) => store_postgres::editing::original_language(c, commitment_id).await,
    }
}

/// A revision to append; its snapshots already serialised.
pub(crate) struct NewRevision<'a> {
    pub commitment_id: i64,
    pub version: i64,
    pub user_id: i64,
    pub recorded_by: &'a str,
    pub action: &'a str,
    pub summary: &'a str,
    pub before_json: Option<&'a str>,
    pub after_json: &'a str,
    pub created_at: DateTime<Utc>,
}

pub(crate) async fn append_revision(tx: &mut Tx<'_>, revision: &NewRevision<'_>) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "INSERT INTO revisions (commitment_id, version, user_id, recorded_by, action, summary, before_json,
                                        after_json, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                revision.commitment_id,
                revision.version,
                revision.user_id,
                revision.recorded_by,
                revision.action,
                revision.summary,
                revision.before_json,
                revision.after_json,
                revision.created_at
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => {
            let created_at = timestamp_text(revision.created_at);
            let stored = RevisionInsert {
                commitment_id: revision.commitment_id,
                version: revision.version,
                user_id: revision.user_id,
                recorded_by: revision.recorded_by,
                action: revision.action,
                summary: revision.summary,
                before_json: revision.before_json,
                after_json: revision.after_json,
                created_at: &created_at,
            };
            store_postgres::editing::append_revision(c, &stored).await
        }
    }
}

/// The day of the commitment's summit, and how many of `source_ids` are
/// dated after it.
pub(crate) async fn sources_after_summit(
    tx: &mut Tx<'_>,
    commitment_id: i64,
    source_ids: &[i64],
) -> Result<(NaiveDate, i64), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            let ids = serde_json::to_string(source_ids).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            let row = sqlx::query!(
                r#"SELECT m.held_on AS "held_on!: NaiveDate",
                          (SELECT COUNT(*) FROM sources s
                           WHERE s.id IN (SELECT value FROM json_each(?2)) AND s.dated_on > m.held_on) AS "after!: i64"
                   FROM commitments c JOIN summits m ON m.id = c.summit_id WHERE c.id = ?1"#,
                commitment_id,
                ids
            )
            .fetch_one(&mut **c)
            .await?;
            Ok((row.held_on, row.after))
        }
        Tx::Postgres(c) => store_postgres::editing::sources_after_summit(c, commitment_id, source_ids).await,
    }
}

/// Whether a commitment has this slug.
pub(crate) async fn slug_taken(tx: &mut Tx<'_>, slug: &str) -> Result<bool, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"SELECT EXISTS (SELECT 1 FROM commitments WHERE slug = ?1) AS "taken!: bool""#,
                slug
            )
            .fetch_one(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::editing::slug_taken(c, slug).await,
    }
}

/// A status update to store.
pub(crate) struct NewStatusUpdate<'a> {
    pub commitment_id: i64,
    pub party: &'a str,
    pub status: &'a str,
    pub effective_on: NaiveDate,
    pub note: &'a str,
    pub recorded_by: &'a str,
    pub recorded_at: DateTime<Utc>,
    pub user_id: i64,
}

pub(crate) async fn insert_status_update(tx: &mut Tx<'_>, update: &NewStatusUpdate<'_>) -> Result<i64, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by,
                                               recorded_at, user_id)
                   SELECT ?1, id, ?2, ?3, ?4, ?5, ?6, ?7 FROM parties WHERE code = ?8
                   RETURNING id AS "id!: i64""#,
                update.commitment_id,
                update.status,
                update.effective_on,
                update.note,
                update.recorded_by,
                update.recorded_at,
                update.user_id,
                update.party
            )
            .fetch_one(&mut **c)
            .await
        }
        Tx::Postgres(c) => {
            let recorded_at = timestamp_text(update.recorded_at);
            let stored = StatusUpdateInsert {
                commitment_id: update.commitment_id,
                party: update.party,
                status: update.status,
                effective_on: date_text(update.effective_on),
                note: update.note,
                recorded_by: update.recorded_by,
                recorded_at: &recorded_at,
                user_id: update.user_id,
            };
            store_postgres::editing::insert_status_update(c, &stored).await
        }
    }
}

/// Cites a source as evidence of a status update, at its current version
/// (which later corrections will be compared with).
pub(crate) async fn cite_source(tx: &mut Tx<'_>, status_update_id: i64, source_id: i64) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "INSERT INTO status_update_sources (status_update_id, source_id, source_version)
                 SELECT ?1, id, version FROM sources WHERE id = ?2",
                status_update_id,
                source_id
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => store_postgres::editing::cite_source(c, status_update_id, source_id).await,
    }
}

pub(crate) async fn copy_citations(tx: &mut Tx<'_>, status_update_id: i64, from: i64) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "INSERT INTO status_update_sources (status_update_id, source_id, source_version)
                 SELECT ?1, source_id, source_version FROM status_update_sources WHERE status_update_id = ?2",
                status_update_id,
                from
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => store_postgres::editing::copy_citations(c, status_update_id, from).await,
    }
}

/// The snapshot the revision of `version` left, if there is one.
pub(crate) async fn snapshot_after(
    tx: &mut Tx<'_>,
    commitment_id: i64,
    version: i64,
) -> Result<Option<String>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                "SELECT after_json FROM revisions WHERE commitment_id = ?1 AND version = ?2",
                commitment_id,
                version
            )
            .fetch_optional(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::editing::snapshot_after(c, commitment_id, version).await,
    }
}

/// The snapshot the revision of `version` found, if there is one.
pub(crate) async fn snapshot_before(
    tx: &mut Tx<'_>,
    commitment_id: i64,
    version: i64,
) -> Result<Option<String>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            let found = sqlx::query_scalar!(
                "SELECT before_json FROM revisions WHERE commitment_id = ?1 AND version = ?2",
                commitment_id,
                version
            )
            .fetch_optional(&mut **c)
            .await?;
            Ok(found.flatten())
        }
        Tx::Postgres(c) => store_postgres::editing::snapshot_before(c, commitment_id, version).await,
    }
}

/// A commitment's editable fields, as codes.
pub(crate) struct Fields<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub theme: &'a str,
    pub proposer: Option<&'a str>,
    pub due_on: Option<NaiveDate>,
    pub due_note: Option<&'a str>,
    pub due_basis: Option<&'a str>,
}

impl Fields<'_> {
    fn stored(&self) -> FieldsUpdate<'_> {
        FieldsUpdate {
            title: self.title,
            summary: self.summary,
            theme: self.theme,
            proposer: self.proposer,
            due_on: self.due_on.map(date_text),
            due_note: self.due_note,
            due_basis: self.due_basis,
        }
    }
}

pub(crate) async fn restore_fields(
    tx: &mut Tx<'_>,
    commitment_id: i64,
    fields: &Fields<'_>,
) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "UPDATE commitments SET title = ?1, summary = ?2, theme = ?3,
                     proposed_by_party_id = (SELECT id FROM parties WHERE code = ?4), due_on = ?5, due_note = ?6,
                     due_basis = ?7
                 WHERE id = ?8",
                fields.title,
                fields.summary,
                fields.theme,
                fields.proposer,
                fields.due_on,
                fields.due_note,
                fields.due_basis,
                commitment_id
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => store_postgres::editing::restore_fields(c, commitment_id, &fields.stored()).await,
    }
}

/// Sets a commitment's fields and summit; false when no summit has the
/// slug (and nothing changed).
pub(crate) async fn update_fields(
    tx: &mut Tx<'_>,
    commitment_id: i64,
    summit: &str,
    fields: &Fields<'_>,
) -> Result<bool, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            let updated = sqlx::query!(
                "UPDATE commitments SET title = ?1, summary = ?2, theme = ?3,
                     proposed_by_party_id = (SELECT id FROM parties WHERE code = ?4), due_on = ?5, due_note = ?6,
                     summit_id = COALESCE((SELECT id FROM summits WHERE slug = ?7), summit_id), due_basis = ?9
                 WHERE id = ?8 AND EXISTS (SELECT 1 FROM summits WHERE slug = ?7)",
                fields.title,
                fields.summary,
                fields.theme,
                fields.proposer,
                fields.due_on,
                fields.due_note,
                summit,
                commitment_id,
                fields.due_basis
            )
            .execute(&mut **c)
            .await?;
            Ok(updated.rows_affected() > 0)
        }
        Tx::Postgres(c) => store_postgres::editing::update_fields(c, commitment_id, summit, &fields.stored()).await,
    }
}

pub(crate) async fn summit_id(tx: &mut Tx<'_>, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(r#"SELECT id AS "id!: i64" FROM summits WHERE slug = ?1"#, slug)
                .fetch_optional(&mut **c)
                .await
        }
        Tx::Postgres(c) => store_postgres::editing::summit_id(c, slug).await,
    }
}

/// Stores a new commitment at the end of its summit's list, as version 1;
/// `None` when its slug is taken (the UNIQUE constraint says so, and the
/// conflict leaves the transaction usable on both engines).
pub(crate) async fn insert_commitment(
    tx: &mut Tx<'_>,
    summit_id: i64,
    slug: &str,
    fields: &Fields<'_>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"INSERT INTO commitments (summit_id, slug, title, summary, theme, proposed_by_party_id, due_on,
                                            due_note, position, version, created_at, updated_at, due_basis)
                   VALUES (?1, ?2, ?3, ?4, ?5, (SELECT id FROM parties WHERE code = ?6), ?7, ?8,
                           (SELECT COALESCE(MAX(position), 0) + 1 FROM commitments WHERE summit_id = ?1), 1, ?9, ?9,
                           ?10)
                   ON CONFLICT (slug) DO NOTHING
                   RETURNING id AS "id!: i64""#,
                summit_id,
                slug,
                fields.title,
                fields.summary,
                fields.theme,
                fields.proposer,
                fields.due_on,
                fields.due_note,
                now,
                fields.due_basis
            )
            .fetch_optional(&mut **c)
            .await
        }
        Tx::Postgres(c) => {
            store_postgres::editing::insert_commitment(c, summit_id, slug, &fields.stored(), &timestamp_text(now)).await
        }
    }
}

pub(crate) async fn count_status_updates_of_party(
    tx: &mut Tx<'_>,
    commitment_id: i64,
    party: &str,
) -> Result<i64, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"SELECT COUNT(*) AS "n!: i64" FROM status_updates su JOIN parties p ON p.id = su.party_id
                   WHERE su.commitment_id = ?1 AND p.code = ?2"#,
                commitment_id,
                party
            )
            .fetch_one(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::editing::count_status_updates_of_party(c, commitment_id, party).await,
    }
}

pub(crate) async fn remove_owing_party(tx: &mut Tx<'_>, commitment_id: i64, party: &str) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "DELETE FROM commitment_parties
                 WHERE commitment_id = ?1 AND party_id = (SELECT id FROM parties WHERE code = ?2)",
                commitment_id,
                party
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => store_postgres::editing::remove_owing_party(c, commitment_id, party).await,
    }
}

/// Adds an owing party; false when no party has the code.
pub(crate) async fn add_owing_party(tx: &mut Tx<'_>, commitment_id: i64, party: &str) -> Result<bool, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            let inserted = sqlx::query!(
                "INSERT INTO commitment_parties (commitment_id, party_id) SELECT ?1, id FROM parties WHERE code = ?2",
                commitment_id,
                party
            )
            .execute(&mut **c)
            .await?;
            Ok(inserted.rows_affected() > 0)
        }
        Tx::Postgres(c) => store_postgres::editing::add_owing_party(c, commitment_id, party).await,
    }
}

pub(crate) async fn link_source(tx: &mut Tx<'_>, commitment_id: i64, source_id: i64) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "INSERT INTO commitment_sources (commitment_id, source_id) VALUES (?1, ?2)",
                commitment_id,
                source_id
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => store_postgres::editing::link_source(c, commitment_id, source_id).await,
    }
}

pub(crate) async fn unlink_source(tx: &mut Tx<'_>, commitment_id: i64, source_id: i64) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!(
                "DELETE FROM commitment_sources WHERE commitment_id = ?1 AND source_id = ?2",
                commitment_id,
                source_id
            )
            .execute(&mut **c)
            .await?;
            Ok(())
        }
        Tx::Postgres(c) => store_postgres::editing::unlink_source(c, commitment_id, source_id).await,
    }
}

pub(crate) async fn unlink_all_sources(tx: &mut Tx<'_>, commitment_id: i64) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query!("DELETE FROM commitment_sources WHERE commitment_id = ?1", commitment_id)
                .execute(&mut **c)
                .await?;
            Ok(())
        }
        Tx::Postgres(c) => store_postgres::editing::unlink_all_sources(c, commitment_id).await,
    }
}

/// How many of the commitment's status updates cite the source.
pub(crate) async fn count_citations(tx: &mut Tx<'_>, commitment_id: i64, source_id: i64) -> Result<i64, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!(
                r#"SELECT COUNT(*) AS "n!: i64" FROM status_update_sources sus
                   JOIN status_updates su ON su.id = sus.status_update_id
                   WHERE su.commitment_id = ?1 AND sus.source_id = ?2"#,
                commitment_id,
                source_id
            )
            .fetch_one(&mut **c)
            .await
        }
        Tx::Postgres(c) => store_postgres::editing::count_citations(c, commitment_id, source_id).await,
    }
}

pub(crate) async fn source_title(tx: &mut Tx<'_>, source_id: i64) -> Result<String, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_scalar!("SELECT title FROM sources WHERE id = ?1", source_id)
                .fetch_one(&mut **c)
                .await
        }
        Tx::Postgres(c) => store_postgres::editing::source_title(c, source_id).await,
    }
}

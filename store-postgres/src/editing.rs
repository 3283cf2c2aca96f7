//! The statements of an editor's write on PostgreSQL (the twin of those in
//! `store::editing_statements`; `store::editing` keeps the rules). Each runs
//! on the write's transaction. Days and instants are bound as the text the
//! site stores (`stored_text`).

use sqlx::PgConnection;
use store_rows::{ClaimRow, EditableRow, LatestRevisionRow, OwingPartyRow};

use crate::stored_text::parse_timestamp;

/// Takes this database's write lock: the write waits for every other
/// write, on any replica, to commit, and they wait for it, as SQLite's one
/// writer does. Released when the transaction ends. (Writes side by side
/// deadlocked on the count tables the triggers keep.)
pub async fn lock_for_write(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtextextended('accord: writes', 0))")
        .execute(conn)
        .await?;
    Ok(())
}

/// Bumps the version of the commitment with this slug if it is still
/// `expected`; `None` when it is not (or no commitment has the slug). A
/// writer that has changed the row since is waited for, and the version is
/// then compared with what it committed.
pub async fn claim_version(
    conn: &mut PgConnection,
    slug: &str,
    expected: i64,
    now: &str,
) -> Result<Option<ClaimRow>, sqlx::Error> {
    sqlx::query_as!(
        ClaimRow,
        r#"UPDATE commitments SET version = version + 1, updated_at = $1
           WHERE slug = $2 AND version = $3
           RETURNING id AS "id!", version AS "version!", slug AS "slug!",
                     (SELECT s.slug FROM summits s WHERE s.id = commitments.summit_id) AS "summit!""#,
        now,
        slug,
        expected
    )
    .fetch_optional(conn)
    .await
}

/// Bumps the version of a commitment a write changes beside the one it
/// claimed (a corrected source shows on every commitment that cites it).
pub async fn claim_version_of(conn: &mut PgConnection, id: i64, now: &str) -> Result<ClaimRow, sqlx::Error> {
    sqlx::query_as!(
        ClaimRow,
        r#"UPDATE commitments SET version = version + 1, updated_at = $1 WHERE id = $2
           RETURNING id AS "id!", version AS "version!", slug AS "slug!",
                     (SELECT s.slug FROM summits s WHERE s.id = commitments.summit_id) AS "summit!""#,
        now,
        id
    )
    .fetch_one(conn)
    .await
}

/// The id and version of the commitment with this slug.
pub async fn current_version(conn: &mut PgConnection, slug: &str) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT id AS "id!", version AS "version!" FROM commitments WHERE slug = $1"#,
        slug
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|row| (row.id, row.version)))
}

pub async fn latest_revision(
    conn: &mut PgConnection,
    commitment_id: i64,
) -> Result<Option<LatestRevisionRow>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT recorded_by AS "recorded_by!", created_at AS "created_at!", summary AS "summary!"
           FROM revisions WHERE commitment_id = $1 ORDER BY version DESC LIMIT 1"#,
        commitment_id
    )
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(LatestRevisionRow {
            recorded_by: row.recorded_by,
            created_at: parse_timestamp(&row.created_at)?,
            summary: row.summary,
        })
    })
    .transpose()
}

pub async fn editable(conn: &mut PgConnection, commitment_id: i64) -> Result<EditableRow, sqlx::Error> {
    sqlx::query_as!(
        EditableRow,
        r#"SELECT c.title AS "title!", c.summary AS "summary!", c.theme AS "theme!", p.code AS "proposer?",
                  c.due_on::date AS "due_on?", c.due_note, c.due_basis,
                  ARRAY(SELECT source_id FROM commitment_sources WHERE commitment_id = c.id ORDER BY source_id)
                    AS "source_ids!"
           FROM commitments c LEFT JOIN parties p ON p.id = c.proposed_by_party_id WHERE c.id = $1"#,
        commitment_id
    )
    .fetch_one(conn)
    .await
}

pub async fn owing_parties(conn: &mut PgConnection, commitment_id: i64) -> Result<Vec<OwingPartyRow>, sqlx::Error> {
    sqlx::query_as!(
        OwingPartyRow,
        r#"SELECT p.code AS "code!", p.short_name AS "short_name!", su.id AS "status_update_id?",
                  su.status AS "status?", su.effective_on::date AS "effective_on?"
           FROM commitment_parties cp
           JOIN parties p ON p.id = cp.party_id
           LEFT JOIN status_updates su ON su.id = cp.status_update_id
           WHERE cp.commitment_id = $1 ORDER BY p.id"#,
        commitment_id
    )
    .fetch_all(conn)
    .await
}

pub async fn listed_source_ids(conn: &mut PgConnection, commitment_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT source_id FROM commitment_sources WHERE commitment_id = $1 ORDER BY source_id",
        commitment_id
    )
    .fetch_all(conn)
    .await
}

pub async fn original_language(conn: &mut PgConnection, commitment_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!("SELECT language FROM commitments WHERE id = $1", commitment_id)
        .fetch_one(conn)
        .await
}

/// A revision as stored: its snapshots already serialised.
pub struct RevisionInsert<'a> {
    pub commitment_id: i64,
    pub version: i64,
    pub user_id: i64,
    pub recorded_by: &'a str,
    pub action: &'a str,
    pub summary: &'a str,
    pub before_json: Option<&'a str>,
    pub after_json: &'a str,
    pub created_at: &'a str,
}

pub async fn append_revision(conn: &mut PgConnection, revision: &RevisionInsert<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO revisions (commitment_id, version, user_id, recorded_by, action, summary, before_json,
                                after_json, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
    .execute(conn)
    .await?;
    Ok(())
}

/// The day of the commitment's summit, and how many of `source_ids` are
/// dated after it.
pub async fn sources_after_summit(
    conn: &mut PgConnection,
    commitment_id: i64,
    source_ids: &[i64],
) -> Result<(chrono::NaiveDate, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT m.held_on::date AS "held_on!",
                  (SELECT count(*) FROM sources s WHERE s.id = ANY($2) AND s.dated_on > m.held_on) AS "after!"
           FROM commitments c JOIN summits m ON m.id = c.summit_id WHERE c.id = $1"#,
        commitment_id,
        source_ids
    )
    .fetch_one(conn)
    .await?;
    Ok((row.held_on, row.after))
}

/// Whether a commitment has this slug.
pub async fn slug_taken(conn: &mut PgConnection, slug: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM commitments WHERE slug = $1) AS "taken!""#,
        slug
    )
    .fetch_one(conn)
    .await
}

/// A status update as stored.
pub struct StatusUpdateInsert<'a> {
    pub commitment_id: i64,
    pub party: &'a str,
    pub status: &'a str,
    pub effective_on: String,
    pub note: &'a str,
    pub recorded_by: &'a str,
    pub recorded_at: &'a str,
    pub user_id: i64,
}

pub async fn insert_status_update(
    conn: &mut PgConnection,
    update: &StatusUpdateInsert<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at,
                                       user_id)
           SELECT $1, id, $2, $3, $4, $5, $6, $7 FROM parties WHERE code = $8
           RETURNING id"#,
        update.commitment_id,
        update.status,
        update.effective_on,
        update.note,
        update.recorded_by,
        update.recorded_at,
        update.user_id,
        update.party
    )
    .fetch_one(conn)
    .await
}

/// Cites a source, as it reads now, as evidence of a status update.
pub async fn cite_source(conn: &mut PgConnection, status_update_id: i64, source_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO status_update_sources (status_update_id, source_id, source_version)
         SELECT $1, id, version FROM sources WHERE id = $2",
        status_update_id,
        source_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives a status update the citations of another (a revert).
pub async fn copy_citations(conn: &mut PgConnection, status_update_id: i64, from: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO status_update_sources (status_update_id, source_id, source_version)
         SELECT $1, source_id, source_version FROM status_update_sources WHERE status_update_id = $2",
        status_update_id,
        from
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The snapshot a revision left, if that version has a revision.
pub async fn snapshot_after(
    conn: &mut PgConnection,
    commitment_id: i64,
    version: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT after_json FROM revisions WHERE commitment_id = $1 AND version = $2",
        commitment_id,
        version
    )
    .fetch_optional(conn)
    .await
}

/// The snapshot a revision found, if that version has a revision (and the
/// revision has one: a creation has none).
pub async fn snapshot_before(
    conn: &mut PgConnection,
    commitment_id: i64,
    version: i64,
) -> Result<Option<String>, sqlx::Error> {
    let found = sqlx::query_scalar!(
        "SELECT before_json FROM revisions WHERE commitment_id = $1 AND version = $2",
        commitment_id,
        version
    )
    .fetch_optional(conn)
    .await?;
    Ok(found.flatten())
}

/// A commitment's editable fields as stored (codes and days as text).
pub struct FieldsUpdate<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub theme: &'a str,
    pub proposer: Option<&'a str>,
    pub due_on: Option<String>,
    pub due_note: Option<&'a str>,
    pub due_basis: Option<&'a str>,
}

/// Sets a commitment's fields back (a revert; its summit stays).
pub async fn restore_fields(
    conn: &mut PgConnection,
    commitment_id: i64,
    fields: &FieldsUpdate<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE commitments SET title = $1, summary = $2, theme = $3,
             proposed_by_party_id = (SELECT id FROM parties WHERE code = $4), due_on = $5, due_note = $6,
             due_basis = $7
         WHERE id = $8",
        fields.title,
        fields.summary,
        fields.theme,
        fields.proposer,
        fields.due_on,
        fields.due_note,
        fields.due_basis,
        commitment_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets a commitment's fields and summit; false when no summit has the
/// slug (and nothing changed).
pub async fn update_fields(
    conn: &mut PgConnection,
    commitment_id: i64,
    summit: &str,
    fields: &FieldsUpdate<'_>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query!(
        "UPDATE commitments SET title = $1, summary = $2, theme = $3,
             proposed_by_party_id = (SELECT id FROM parties WHERE code = $4), due_on = $5, due_note = $6,
             due_basis = $7, summit_id = s.id
         FROM summits s
         WHERE commitments.id = $8 AND s.slug = $9",
        fields.title,
        fields.summary,
        fields.theme,
        fields.proposer,
        fields.due_on,
        fields.due_note,
        fields.due_basis,
        commitment_id,
        summit
    )
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() > 0)
}

pub async fn summit_id(conn: &mut PgConnection, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("SELECT id FROM summits WHERE slug = $1", slug)
        .fetch_optional(conn)
        .await
}

/// Stores a new commitment at the end of its summit's list, as version 1;
/// `None` when its slug is taken (and nothing was stored).
pub async fn insert_commitment(
    conn: &mut PgConnection,
    summit_id: i64,
    slug: &str,
    fields: &FieldsUpdate<'_>,
    now: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO commitments (summit_id, slug, title, summary, theme, proposed_by_party_id, due_on, due_note,
                                    position, version, created_at, updated_at, due_basis)
           VALUES ($1, $2, $3, $4, $5, (SELECT id FROM parties WHERE code = $6), $7, $8,
                   (SELECT coalesce(max(position), 0) + 1 FROM commitments WHERE summit_id = $1), 1, $9, $9, $10)
           ON CONFLICT (slug) DO NOTHING
           RETURNING id"#,
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
    .fetch_optional(conn)
    .await
}

pub async fn count_status_updates_of_party(
    conn: &mut PgConnection,
    commitment_id: i64,
    party: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM status_updates su JOIN parties p ON p.id = su.party_id
           WHERE su.commitment_id = $1 AND p.code = $2"#,
        commitment_id,
        party
    )
    .fetch_one(conn)
    .await
}

pub async fn remove_owing_party(conn: &mut PgConnection, commitment_id: i64, party: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM commitment_parties WHERE commitment_id = $1
           AND party_id = (SELECT id FROM parties WHERE code = $2)",
        commitment_id,
        party
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds an owing party; false when no party has the code.
pub async fn add_owing_party(conn: &mut PgConnection, commitment_id: i64, party: &str) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query!(
        "INSERT INTO commitment_parties (commitment_id, party_id) SELECT $1, id FROM parties WHERE code = $2",
        commitment_id,
        party
    )
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() > 0)
}

pub async fn link_source(conn: &mut PgConnection, commitment_id: i64, source_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO commitment_sources (commitment_id, source_id) VALUES ($1, $2)",
        commitment_id,
        source_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn unlink_source(conn: &mut PgConnection, commitment_id: i64, source_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM commitment_sources WHERE commitment_id = $1 AND source_id = $2",
        commitment_id,
        source_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn unlink_all_sources(conn: &mut PgConnection, commitment_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM commitment_sources WHERE commitment_id = $1", commitment_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How many of the commitment's status updates cite the source.
pub async fn count_citations(conn: &mut PgConnection, commitment_id: i64, source_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM status_update_sources sus
           JOIN status_updates su ON su.id = sus.status_update_id
           WHERE su.commitment_id = $1 AND sus.source_id = $2"#,
        commitment_id,
        source_id
    )
    .fetch_one(conn)
    .await
}

pub async fn source_title(conn: &mut PgConnection, source_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!("SELECT title FROM sources WHERE id = $1", source_id)
        .fetch_one(conn)
        .await
}

pub async fn delete_translations(conn: &mut PgConnection, commitment_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM commitment_translations WHERE commitment_id = $1",
        commitment_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds a commitment's translation into a language, or replaces it.
#[allow(clippy::too_many_arguments)]
pub async fn put_translation(
    conn: &mut PgConnection,
    commitment_id: i64,
    language: &str,
    title: &str,
    summary: &str,
    translated_by: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO commitment_translations (commitment_id, language, title, summary, translated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (commitment_id, language) DO UPDATE
           SET title = excluded.title, summary = excluded.summary,
               translated_by = excluded.translated_by, updated_at = excluded.updated_at",
        commitment_id,
        language,
        title,
        summary,
        translated_by,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

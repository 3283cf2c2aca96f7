//! The statements that load a summit's data set on PostgreSQL (the twin of
//! `store::seed_statements`; `store::seed` keeps the rules). Days and
//! instants are bound as the text the site stores (`stored_text`).

use sqlx::PgConnection;

pub async fn summit_exists(conn: &mut PgConnection, slug: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM summits WHERE slug = $1) AS "exists!""#,
        slug
    )
    .fetch_one(conn)
    .await
}

/// A summit as stored.
pub struct SummitInsert<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub held_on: String,
    pub location: &'a str,
    pub summary: &'a str,
    pub time_zone: &'a str,
}

pub async fn insert_summit(conn: &mut PgConnection, summit: &SummitInsert<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO summits (slug, title, held_on, location, summary, time_zone) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id",
        summit.slug,
        summit.title,
        summit.held_on,
        summit.location,
        summit.summary,
        summit.time_zone
    )
    .fetch_one(conn)
    .await
}

/// Stores a party unless one has its code; its id either way.
pub async fn upsert_party(
    conn: &mut PgConnection,
    code: &str,
    name: &str,
    short_name: &str,
    leader: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query!(
        "INSERT INTO parties (code, name, short_name, leader) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING",
        code,
        name,
        short_name,
        leader
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar!("SELECT id FROM parties WHERE code = $1", code)
        .fetch_one(conn)
        .await
}

/// A seeded commitment as stored.
pub struct CommitmentInsert<'a> {
    pub summit_id: i64,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub theme: &'a str,
    pub proposer_id: Option<i64>,
    pub due_on: Option<String>,
    pub due_note: Option<&'a str>,
    pub position: i64,
    pub now: String,
    pub due_basis: Option<&'a str>,
}

pub async fn insert_commitment(conn: &mut PgConnection, commitment: &CommitmentInsert<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO commitments (summit_id, slug, title, summary, theme, proposed_by_party_id, due_on, due_note,
                                  position, version, created_at, updated_at, due_basis)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10, $11)
         RETURNING id",
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
        commitment.due_basis
    )
    .fetch_one(conn)
    .await
}

pub async fn add_owing_party(conn: &mut PgConnection, commitment_id: i64, party_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO commitment_parties (commitment_id, party_id) VALUES ($1, $2)",
        commitment_id,
        party_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Lists a source with a commitment unless it is listed already.
pub async fn link_source_once(conn: &mut PgConnection, commitment_id: i64, source_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO commitment_sources (commitment_id, source_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        commitment_id,
        source_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A seeded status as stored (no account recorded it).
pub struct StatusInsert<'a> {
    pub commitment_id: i64,
    pub party_id: i64,
    pub status: &'a str,
    pub effective_on: String,
    pub note: &'a str,
    pub recorded_by: &'a str,
    pub recorded_at: String,
}

pub async fn insert_status(conn: &mut PgConnection, status: &StatusInsert<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        status.commitment_id,
        status.party_id,
        status.status,
        status.effective_on,
        status.note,
        status.recorded_by,
        status.recorded_at
    )
    .fetch_one(conn)
    .await
}

/// Cites a seeded source's first version as a status's evidence.
pub async fn cite_first_version(
    conn: &mut PgConnection,
    status_update_id: i64,
    source_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO status_update_sources (status_update_id, source_id, source_version) VALUES ($1, $2, 1)",
        status_update_id,
        source_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_data_correction(
    conn: &mut PgConnection,
    summit_id: i64,
    commitment: Option<&str>,
    made_on: &str,
    what: &str,
    why: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO data_corrections (summit_id, commitment_id, made_on, what, why)
         VALUES ($1, (SELECT id FROM commitments WHERE slug = $2), $3, $4, $5)",
        summit_id,
        commitment,
        made_on,
        what,
        why
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// How many translations a summit and its commitments have.
pub async fn count_translations(conn: &mut PgConnection, summit_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT (SELECT count(*) FROM summit_translations WHERE summit_id = $1)
                + (SELECT count(*) FROM commitment_translations t JOIN commitments c ON c.id = t.commitment_id
                   WHERE c.summit_id = $1) AS "n!""#,
        summit_id
    )
    .fetch_one(conn)
    .await
}

pub async fn insert_summit_translation(
    conn: &mut PgConnection,
    summit_id: i64,
    language: &str,
    title: &str,
    location: &str,
    summary: &str,
    translated_by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO summit_translations (summit_id, language, title, location, summary, translated_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
        summit_id,
        language,
        title,
        location,
        summary,
        translated_by
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn commitment_in_summit(
    conn: &mut PgConnection,
    slug: &str,
    summit_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM commitments WHERE slug = $1 AND summit_id = $2",
        slug,
        summit_id
    )
    .fetch_optional(conn)
    .await
}

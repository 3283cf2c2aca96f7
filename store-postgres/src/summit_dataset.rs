//! A stored summit read back as a data set on PostgreSQL (the twin of the
//! statements in `store::summit_dataset`, which builds the data set).

use sqlx::PgPool;
use store_rows::{
    CommitmentTextRow, CurrentStatusRow, DatasetCommitmentRow, DatasetCorrectionRow, DatasetPartyRow, DatasetSourceRow,
    DatasetSummitRow, IdPairRow, SummitTextRow,
};

pub async fn summit(pool: &PgPool, slug: &str) -> Result<Option<DatasetSummitRow>, sqlx::Error> {
    sqlx::query_as!(
        DatasetSummitRow,
        r#"SELECT id AS "id!", slug AS "slug!", title AS "title!", held_on::date AS "held_on!",
                  location AS "location!", summary AS "summary!", time_zone AS "time_zone!"
           FROM summits WHERE slug = $1"#,
        slug
    )
    .fetch_optional(pool)
    .await
}

pub async fn parties(pool: &PgPool, summit_id: i64) -> Result<Vec<DatasetPartyRow>, sqlx::Error> {
    sqlx::query_as!(
        DatasetPartyRow,
        r#"SELECT p.id AS "id!", p.code AS "code!", p.name AS "name!", p.short_name AS "short_name!",
                  p.leader AS "leader!"
           FROM parties p
           WHERE p.id IN (SELECT cp.party_id FROM commitment_parties cp
                          JOIN commitments c ON c.id = cp.commitment_id WHERE c.summit_id = $1)
              OR p.id IN (SELECT proposed_by_party_id FROM commitments WHERE summit_id = $1)
           ORDER BY p.id"#,
        summit_id
    )
    .fetch_all(pool)
    .await
}

pub async fn sources(pool: &PgPool, summit_id: i64) -> Result<Vec<DatasetSourceRow>, sqlx::Error> {
    sqlx::query_as!(
        DatasetSourceRow,
        r#"SELECT s.id AS "id!", s.publisher AS "publisher!", s.via, s.title AS "title!",
                  s.title_basis AS "title_basis!", s.dated_on::date AS "dated_on!", s.date_basis AS "date_basis!",
                  s.url, s.kind AS "kind!", s.quote AS "quote!"
           FROM sources s
           WHERE s.id IN (SELECT cs.source_id FROM commitment_sources cs
                          JOIN commitments c ON c.id = cs.commitment_id WHERE c.summit_id = $1)
           ORDER BY s.id"#,
        summit_id
    )
    .fetch_all(pool)
    .await
}

/// Each commitment of the summit and a party that owes it.
pub async fn owing(pool: &PgPool, summit_id: i64) -> Result<Vec<IdPairRow>, sqlx::Error> {
    sqlx::query_as!(
        IdPairRow,
        r#"SELECT cp.commitment_id AS "owner!", cp.party_id AS "item!"
           FROM commitment_parties cp JOIN commitments c ON c.id = cp.commitment_id
           WHERE c.summit_id = $1 ORDER BY cp.commitment_id, cp.party_id"#,
        summit_id
    )
    .fetch_all(pool)
    .await
}

/// Each commitment of the summit and a source it lists.
pub async fn listed(pool: &PgPool, summit_id: i64) -> Result<Vec<IdPairRow>, sqlx::Error> {
    sqlx::query_as!(
        IdPairRow,
        r#"SELECT cs.commitment_id AS "owner!", cs.source_id AS "item!"
           FROM commitment_sources cs JOIN commitments c ON c.id = cs.commitment_id
           WHERE c.summit_id = $1 ORDER BY cs.commitment_id, cs.source_id"#,
        summit_id
    )
    .fetch_all(pool)
    .await
}

/// Each owing party's latest status on each commitment of the summit.
pub async fn current_statuses(pool: &PgPool, summit_id: i64) -> Result<Vec<CurrentStatusRow>, sqlx::Error> {
    sqlx::query_as!(
        CurrentStatusRow,
        r#"SELECT su.id AS "id!", su.commitment_id AS "commitment_id!", su.party_id AS "party_id!",
                  su.status AS "status!", su.effective_on::date AS "effective_on!", su.note AS "note!"
           FROM status_updates su JOIN commitments c ON c.id = su.commitment_id
           WHERE c.summit_id = $1
             AND su.id = (SELECT latest.id FROM status_updates latest
                          WHERE latest.commitment_id = su.commitment_id AND latest.party_id = su.party_id
                          ORDER BY latest.effective_on DESC, latest.id DESC LIMIT 1)
           ORDER BY su.commitment_id, su.party_id"#,
        summit_id
    )
    .fetch_all(pool)
    .await
}

/// Each status update on the summit's commitments and a source it cites.
pub async fn cited(pool: &PgPool, summit_id: i64) -> Result<Vec<IdPairRow>, sqlx::Error> {
    sqlx::query_as!(
        IdPairRow,
        r#"SELECT sus.status_update_id AS "owner!", sus.source_id AS "item!"
           FROM status_update_sources sus
           JOIN status_updates su ON su.id = sus.status_update_id
           JOIN commitments c ON c.id = su.commitment_id
           WHERE c.summit_id = $1 ORDER BY sus.status_update_id, sus.source_id"#,
        summit_id
    )
    .fetch_all(pool)
    .await
}

pub async fn commitments(pool: &PgPool, summit_id: i64) -> Result<Vec<DatasetCommitmentRow>, sqlx::Error> {
    sqlx::query_as!(
        DatasetCommitmentRow,
        r#"SELECT c.id AS "id!", c.slug AS "slug!", c.title AS "title!", c.summary AS "summary!",
                  c.theme AS "theme!", c.proposed_by_party_id AS "proposer", c.due_on::date AS "due_on",
                  c.due_basis, c.due_note
           FROM commitments c WHERE c.summit_id = $1 ORDER BY c.position, c.id"#,
        summit_id
    )
    .fetch_all(pool)
    .await
}

pub async fn corrections(pool: &PgPool, summit_id: i64) -> Result<Vec<DatasetCorrectionRow>, sqlx::Error> {
    sqlx::query_as!(
        DatasetCorrectionRow,
        r#"SELECT dc.made_on::date AS "made_on!", c.slug AS "commitment?", dc.what AS "what!", dc.why AS "why!"
           FROM data_corrections dc LEFT JOIN commitments c ON c.id = dc.commitment_id
           WHERE dc.summit_id = $1 ORDER BY dc.id"#,
        summit_id
    )
    .fetch_all(pool)
    .await
}

pub async fn summit_texts(pool: &PgPool, slug: &str) -> Result<Vec<SummitTextRow>, sqlx::Error> {
    sqlx::query_as!(
        SummitTextRow,
        r#"SELECT t.language AS "language!", t.title AS "title!", t.location AS "location!",
                  t.summary AS "summary!", t.translated_by AS "translated_by!"
           FROM summit_translations t JOIN summits s ON s.id = t.summit_id WHERE s.slug = $1"#,
        slug
    )
    .fetch_all(pool)
    .await
}

pub async fn commitment_texts(pool: &PgPool, slug: &str) -> Result<Vec<CommitmentTextRow>, sqlx::Error> {
    sqlx::query_as!(
        CommitmentTextRow,
        r#"SELECT c.slug AS "slug!", t.language AS "language!", t.title AS "title!", t.summary AS "summary!",
                  t.translated_by AS "translated_by!"
           FROM commitment_translations t JOIN commitments c ON c.id = t.commitment_id
           JOIN summits s ON s.id = c.summit_id WHERE s.slug = $1
           ORDER BY c.position, c.id"#,
        slug
    )
    .fetch_all(pool)
    .await
}

/// Which of `slugs` commitments already have, and whether a summit has
/// `summit`.
pub async fn taken(pool: &PgPool, summit: &str, slugs: &[String]) -> Result<(bool, Vec<String>), sqlx::Error> {
    let summit = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM summits WHERE slug = $1) AS "taken!""#,
        summit
    )
    .fetch_one(pool)
    .await?;
    let taken = sqlx::query_scalar!(r#"SELECT slug AS "slug!" FROM commitments WHERE slug = ANY($1)"#, slugs)
        .fetch_all(pool)
        .await?;
    Ok((summit, taken))
}

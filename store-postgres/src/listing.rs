//! Commitments' list rows, as rows (the twin of `store::listing`'s
//! statements that read rows by id).

use sqlx::PgPool;
use store_rows::{PartyRow, PartyStatusRow, SummaryRow};

/// The list rows of the given commitments, in the order of `ids`, and
/// their parties' current statuses; both at once.
pub async fn summaries_by_ids(
    pool: &PgPool,
    ids: &[i64],
) -> Result<(Vec<SummaryRow>, Vec<PartyStatusRow>), sqlx::Error> {
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"SELECT c.id AS "id!", c.slug AS "slug!", c.title AS "title!", c.summary AS "summary!",
                  c.theme AS "theme!", c.due_on::date AS "due_on?", c.due_basis,
                  c.source_count AS "source_count!", c.last_changed_on::date AS "last_changed_on?",
                  s.slug AS "summit_slug!", s.title AS "summit_title!", s.held_on::date AS "summit_held_on!",
                  s.time_zone AS "summit_time_zone!"
           FROM unnest($1::bigint[]) WITH ORDINALITY AS wanted (id, place)
           JOIN commitments c ON c.id = wanted.id
           JOIN summits s ON s.id = c.summit_id
           ORDER BY wanted.place"#,
        ids
    )
    .fetch_all(pool);
    let statuses = sqlx::query_as!(
        PartyStatusRow,
        r#"SELECT cp.commitment_id AS "commitment_id!", p.code AS "code!", p.short_name AS "short_name!",
                  cp.status AS "status!", cp.status_since::date AS "since?"
           FROM commitment_parties cp
           JOIN parties p ON p.id = cp.party_id
           WHERE cp.commitment_id = ANY($1)
           ORDER BY cp.commitment_id, p.id"#,
        ids
    )
    .fetch_all(pool);
    tokio::try_join!(rows, statuses)
}

/// The parties, in the order they were added.
pub async fn parties(pool: &PgPool) -> Result<Vec<PartyRow>, sqlx::Error> {
    sqlx::query_as!(
        PartyRow,
        r#"SELECT code AS "code!", short_name AS "short_name!" FROM parties ORDER BY id"#
    )
    .fetch_all(pool)
    .await
}

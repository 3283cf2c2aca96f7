//! The original languages and translations of commitments and summits, as
//! rows (`store::translations` gives them to the read models).

use sqlx::{PgConnection, PgPool};
use store_rows::{CommitmentLanguageRow, CommitmentTranslationRow, SummitLanguageRow, SummitTranslationRow};

/// The original language of each of the given commitments, and their
/// translations ordered by commitment and language; both at once, each on
/// a connection of its own.
pub async fn of_commitments(
    pool: &PgPool,
    ids: &[i64],
) -> Result<(Vec<CommitmentLanguageRow>, Vec<CommitmentTranslationRow>), sqlx::Error> {
    let originals = sqlx::query_as!(
        CommitmentLanguageRow,
        r#"SELECT id AS "id!", language AS "language!" FROM commitments WHERE id = ANY($1)"#,
        ids
    )
    .fetch_all(pool);
    let translations = sqlx::query_as!(
        CommitmentTranslationRow,
        r#"SELECT commitment_id AS "commitment_id!", language AS "language!", title AS "title!",
                  summary AS "summary!", translated_by AS "translated_by!"
           FROM commitment_translations WHERE commitment_id = ANY($1)
           ORDER BY commitment_id, language"#,
        ids
    )
    .fetch_all(pool);
    tokio::try_join!(originals, translations)
}

/// The original language of each summit with one of these slugs, and
/// their translations ordered by summit and language.
pub async fn of_summits(
    pool: &PgPool,
    slugs: &[String],
) -> Result<(Vec<SummitLanguageRow>, Vec<SummitTranslationRow>), sqlx::Error> {
    let originals = sqlx::query_as!(
        SummitLanguageRow,
        r#"SELECT slug AS "slug!", language AS "language!" FROM summits WHERE slug = ANY($1)"#,
        slugs
    )
    .fetch_all(pool);
    let translations = sqlx::query_as!(
        SummitTranslationRow,
        r#"SELECT s.slug AS "slug!", t.language AS "language!", t.title AS "title!", t.location AS "location!",
                  t.summary AS "summary!", t.translated_by AS "translated_by!"
           FROM summits s JOIN summit_translations t ON t.summit_id = s.id
           WHERE s.slug = ANY($1)
           ORDER BY s.id, t.language"#,
        slugs
    )
    .fetch_all(pool);
    tokio::try_join!(originals, translations)
}

/// One commitment's translations by language, inside a write.
pub async fn of_commitment_in(
    conn: &mut PgConnection,
    commitment_id: i64,
) -> Result<Vec<CommitmentTranslationRow>, sqlx::Error> {
    sqlx::query_as!(
        CommitmentTranslationRow,
        r#"SELECT commitment_id AS "commitment_id!", language AS "language!", title AS "title!",
                  summary AS "summary!", translated_by AS "translated_by!"
           FROM commitment_translations WHERE commitment_id = $1 ORDER BY language"#,
        commitment_id
    )
    .fetch_all(conn)
    .await
}

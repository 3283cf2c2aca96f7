//! Search on PostgreSQL: the twin of the two FTS5 indexes the SQLite list
//! reads (`store::listing`). Words are looked up in `commitment_search.words`
//! (a tsvector of the unaccented, lower-cased text), each as a prefix, as
//! FTS5's `"word"*`; Korean and Chinese terms are looked up as substrings of
//! `commitment_search.cjk_text` (under a pg_trgm index), as FTS5's trigram
//! index and its short-term lookups do. Every term must match.

use domain::{is_cjk, SearchText};
use sqlx::PgPool;

/// A LIKE pattern that finds `term` anywhere, with LIKE's own characters
/// taken literally (terms are letters and digits; this is belt and braces).
fn substring_pattern(term: &str) -> String {
    let escaped = term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// The ids of the commitments `search` finds, in id order.
pub async fn matching_ids(pool: &PgPool, search: &SearchText) -> Result<Vec<i64>, sqlx::Error> {
    // Text of punctuation alone has no terms, and matches nothing, as on SQLite.
    if search.terms().is_empty() {
        return Ok(Vec::new());
    }
    let (cjk, words): (Vec<&String>, Vec<&String>) = search.terms().iter().partition(|t| t.chars().any(is_cjk));
    let words: Vec<String> = words.into_iter().cloned().collect();
    let patterns: Vec<String> = cjk.into_iter().map(|t| substring_pattern(t)).collect();
    sqlx::query_scalar!(
        r#"SELECT s.commitment_id AS "id!"
           FROM commitment_search s
           WHERE (cardinality($1::text[]) = 0
                  OR s.words @@ (SELECT to_tsquery('simple', string_agg(quote_literal(unaccent(w)) || ':*', ' & '))
                                 FROM unnest($1::text[]) w))
             AND s.cjk_text LIKE ALL ($2::text[])
           ORDER BY s.commitment_id"#,
        &words,
        &patterns
    )
    .fetch_all(pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_take_likes_characters_literally() {
        assert_eq!(substring_pattern("한중"), "%한중%");
        assert_eq!(substring_pattern("a%b_c\\"), "%a\\%b\\_c\\\\%");
    }
}

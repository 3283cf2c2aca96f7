//! Issue 17: a search's page counts its matches up to
//! `domain::SEARCH_COUNT_LIMIT` and then says "more than" that, in each
//! language, with no per-status counts; the JSON API counts every match.

use chrono::NaiveDate;

use crate::support::{self, both_engines};

/// The seeded site with 2,100 generated commitments, all "agreed" to, on
/// either engine (the generator writes both).
async fn big_site(db: store::Db) -> axum::Router {
    let today = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    assert!(server::seed::seed_if_empty(&db).await.unwrap());
    let options = store::generate::GenerateOptions {
        until: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        ..store::generate::GenerateOptions::new(2_100, 1, 11)
    };
    store::generate::generate(&db, &options, |_| {}).await.unwrap();
    support::site_of(db, today, server::Limits::default())
}

both_engines!(a_search_matching_thousands_says_more_than_the_limit_and_the_api_counts_all);
async fn a_search_matching_thousands_says_more_than_the_limit_and_the_api_counts_all(db: store::Db) {
    let app = big_site(db).await;
    let limit = domain::SEARCH_COUNT_LIMIT;
    for (path, says) in [
        ("/?q=agreed", "More than 2000 commitments match."),
        ("/ko/?q=agreed", "조건에 맞는 약속이 2000건을 넘습니다."),
        ("/zh/?q=agreed", "符合条件的承诺超过2000项"),
    ] {
        let (status, html) = support::get_page(&app, path).await;
        assert_eq!(status, 200, "{path}");
        let text = support::unescape(&html);
        assert!(text.contains(says), "{path} says how many: {says}");
        assert!(!html.contains("scoreboard-counts"), "{path}: no per-status counts");
        assert!(text.contains(&format!("({limit}+)")), "{path}: the list's heading");
        assert!(html.contains("commitment-list"), "{path}: the matches are listed");
    }
    // A narrower search is counted exactly, with its scoreboard.
    let (_, html) = support::get_page(&app, "/?q=fraud").await;
    assert!(html.contains("scoreboard-counts"));
    assert!(!support::unescape(&html).contains("More than"));

    let (status, body) = support::get_page(&app, "/api/v1/commitments?q=agreed").await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let total = json["total"].as_u64().unwrap();
    assert!(total > limit, "the API counts every match: {total}");
    let by_status: u64 = json["counts"]
        .as_array()
        .map(|counts| counts.iter().filter_map(|c| c["count"].as_u64()).sum())
        .unwrap_or_default();
    assert_eq!(by_status, total);
}

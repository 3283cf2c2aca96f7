//! The moderation queue is paged (issue 15, point 9): `/review` shows the
//! pending suggestions oldest first, `domain::REVIEW_PAGE_SIZE` (50) a page,
//! with `?page=` links; every suggestion is on exactly one page.

use chrono::{Duration, NaiveDate, Utc};
use domain::{NewSource, PartyChoice, SourceKind, Status, Suggestion};

use crate::support::{both_engines, TestSite};

/// `count` pending suggestions for the site's commitment, each from an
/// address of its own (under the hourly limit), a second apart: the ids in
/// the order they were submitted.
async fn pending_suggestions(site: &TestSite, count: usize) -> Vec<i64> {
    let slug = domain::Slug::parse(&site.slug).unwrap();
    let start = Utc::now() - Duration::hours(1);
    let mut ids = Vec::new();
    for n in 0..count {
        let suggestion = Suggestion {
            parties: PartyChoice::AllOwing,
            status: Status::InProgress,
            effective_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            note: format!("Suggestion number {n}."),
            source: NewSource {
                publisher: "Yonhap".into(),
                title: format!("Talks {n}"),
                dated_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
                date_basis: domain::DateBasis::Published,
                title_basis: domain::TitleBasis::Headline,
                via: None,
                url: None,
                quote: "Talks began.".into(),
                kind: SourceKind::MediaReport,
                language: Default::default(),
            },
            contact: None,
        };
        let address = format!("10.0.{}.{}", n / 200, n % 200 + 1);
        let submitted = store::suggestions::submit_suggestion(
            &site.db,
            &slug,
            &suggestion,
            &address,
            start + Duration::seconds(n as i64),
        )
        .await
        .unwrap();
        let store::suggestions::Submitted::Stored(id) = submitted else {
            panic!("suggestion {n}: {submitted:?}")
        };
        ids.push(id);
    }
    ids
}

/// The suggestions a review page lists, in its order (each has an accept
/// and a reject form carrying its id).
fn listed_ids(html: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    for piece in html.split(r#"name="id" value=""#).skip(1) {
        let id = piece.split('"').next().unwrap().parse().unwrap();
        if ids.last() != Some(&id) {
            ids.push(id);
        }
    }
    ids
}

both_engines!(a_hundred_and_twenty_pending_suggestions_show_in_three_pages_and_none_is_lost);
async fn a_hundred_and_twenty_pending_suggestions_show_in_three_pages_and_none_is_lost(db: store::Db) {
    let site = TestSite::of(db).await;
    let submitted = pending_suggestions(&site, 120).await;
    let alice = site.sign_in("alice").await;

    let mut shown = Vec::new();
    for (page, expected) in [(1, 50), (2, 50), (3, 20)] {
        let answer = site.get(&format!("/review?page={page}"), Some(&alice)).await;
        assert_eq!(answer.status, axum::http::StatusCode::OK);
        let html = answer.text();
        let ids = listed_ids(&html);
        assert_eq!(ids.len(), expected, "page {page}");
        assert!(
            html.contains(&format!("Page {page} of 3")),
            "page {page} says where it is"
        );
        assert!(html.contains("120 suggestions are waiting"), "page {page}");
        assert_eq!(html.contains(r#"rel="next""#), page < 3, "page {page}: a next link");
        assert_eq!(html.contains(r#"rel="prev""#), page > 1, "page {page}: a previous link");
        if page < 3 {
            assert!(html.contains(&format!("/review?page={}", page + 1)), "page {page}");
        }
        shown.extend(ids);
    }
    assert_eq!(shown, submitted, "every suggestion once, oldest first");

    // No number, or not a page: the first page; past the end: the last.
    let first = listed_ids(&site.get("/review", Some(&alice)).await.text());
    assert_eq!(first, submitted[..50]);
    for odd in ["/review?page=0", "/review?page=x", "/review?page=-1"] {
        assert_eq!(listed_ids(&site.get(odd, Some(&alice)).await.text()), first, "{odd}");
    }
    assert_eq!(
        listed_ids(&site.get("/review?page=99", Some(&alice)).await.text()),
        submitted[100..]
    );
}

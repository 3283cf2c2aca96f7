//! The suggestion rate limit (suggestions.rs) holds under a burst.

use super::*;
use crate::test_fixture::{both_engines, seeded};
use chrono::TimeZone;

fn suggestion() -> Suggestion {
    Suggestion {
        parties: PartyChoice::AllOwing,
        status: domain::Status::InProgress,
        effective_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
        note: "Seen in the news.".into(),
        source: NewSource {
            publisher: "Yonhap".into(),
            title: "Talks".into(),
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
    }
}

both_engines!(simultaneous_suggestions_cannot_pass_the_limit_together);
/// The count and the insert are one transaction: 50 suggestions sent at
/// once from one address store exactly the hourly limit.
async fn simultaneous_suggestions_cannot_pass_the_limit_together(db: Db) {
    let data = seeded(&db).await;
    let slug = data.commitments[0].slug.clone();
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
    let sent: Vec<_> = (0..50)
        .map(|_| {
            let (db, slug) = (db.clone(), slug.clone());
            tokio::spawn(async move {
                submit_suggestion(&db, &slug, &suggestion(), "10.0.0.1", now)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut stored = 0;
    for one in sent {
        match one.await.unwrap() {
            Submitted::Stored(_) => stored += 1,
            Submitted::TooManyFromAddress => {}
            Submitted::UnknownCommitment => panic!("the slug exists"),
        }
    }
    assert_eq!(stored, MAX_SUGGESTIONS_PER_HOUR, "exactly the limit is stored");
    // Another address is not held up, and an hour later this one is not either.
    let other = submit_suggestion(&db, &slug, &suggestion(), "10.0.0.2", now)
        .await
        .unwrap();
    assert!(matches!(other, Submitted::Stored(_)), "{other:?}");
    let later = now + chrono::Duration::hours(1);
    let again = submit_suggestion(&db, &slug, &suggestion(), "10.0.0.1", later)
        .await
        .unwrap();
    assert!(matches!(again, Submitted::Stored(_)), "{again:?}");
}

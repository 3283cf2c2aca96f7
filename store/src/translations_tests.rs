//! Translations: written as revisions, read beside the original, restored
//! by a revert, refused in the original's own language.

use chrono::{TimeZone, Utc};

use crate::commitments::list_history_page;
use crate::editing::{revert_commitment, save_translation};
use crate::test_fixture::{both_engines, editor, on_engine, seeded};
use crate::{commitments, Db, Refusal, WriteError};
use domain::{Locale, TextOrigin, TranslationFields};

fn korean(title: &str) -> TranslationFields {
    TranslationFields {
        language: Locale::Ko,
        title: title.into(),
        summary: "시진핑 주석은 협상을 가속화할 용의가 있다고 말했다.".into(),
    }
}

both_engines!(a_translation_is_a_revision_shown_beside_the_original_and_reverted_like_any_edit);
async fn a_translation_is_a_revision_shown_beside_the_original_and_reverted_like_any_edit(db: Db) {
    let data = seeded(&db).await;
    let alice = editor(&db, "alice").await;
    let slug = data.commitments[2].slug.clone();
    let at = Utc.with_ymd_and_hms(2026, 2, 1, 9, 0, 0).unwrap();

    let v2 = save_translation(&db, &slug, &korean("한중 FTA 협상"), 1, &alice, at)
        .await
        .unwrap();
    assert_eq!(v2, 2);
    let record = commitments::find_commitment_by_slug(&db, &slug).await.unwrap().unwrap();
    let shown = record.commitment.texts_in(Locale::Ko);
    assert_eq!(shown.text.title, "한중 FTA 협상");
    assert_eq!(
        shown.origin,
        TextOrigin::Translation {
            translated_by: "alice".into()
        }
    );
    assert_eq!(
        record.commitment.texts_in(Locale::En).text.title,
        data.commitments[2].title
    );
    assert_eq!(record.commitment.texts_in(Locale::Zh).origin, TextOrigin::Untranslated);

    // A correction is another revision; the history says what changed.
    let v3 = save_translation(&db, &slug, &korean("한중 FTA 2단계 협상"), v2, &alice, at)
        .await
        .unwrap();
    let history = list_history_page(&db, &slug, None, u32::MAX).await.unwrap().unwrap();
    let newest = &history.revisions[0];
    assert_eq!(newest.version, v3);
    assert_eq!(newest.summary, "Corrected the Korean translation.");
    assert!(
        newest
            .changes
            .iter()
            .any(|c| c == "Korean title: “한중 FTA 협상” → “한중 FTA 2단계 협상”"),
        "{:?}",
        newest.changes
    );

    // A stale form changes nothing.
    let stale = save_translation(&db, &slug, &korean("덮어쓰기"), v2, &alice, at).await;
    assert!(matches!(stale, Err(WriteError::StaleVersion(_))));

    // Reverting to the version before the first translation removes it.
    revert_commitment(&db, &slug, 1, v3, &alice, at).await.unwrap();
    let record = commitments::find_commitment_by_slug(&db, &slug).await.unwrap().unwrap();
    assert!(
        record.commitment.translations.is_empty(),
        "{:?}",
        record.commitment.translations
    );
}

both_engines!(a_translation_into_the_original_language_is_refused);
async fn a_translation_into_the_original_language_is_refused(db: Db) {
    let data = seeded(&db).await;
    let alice = editor(&db, "alice").await;
    let slug = data.commitments[0].slug.clone();
    let english = TranslationFields {
        language: Locale::En,
        title: "Another English title".into(),
        summary: "Another summary.".into(),
    };
    let refused = save_translation(&db, &slug, &english, 1, &alice, Utc::now()).await;
    assert!(matches!(
        refused,
        Err(WriteError::Refused(Refusal::TranslationIntoOriginal))
    ));
    let version: i64 = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT version FROM commitments WHERE slug = $1"
    )
    .bind(slug.as_str())
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(version, 1, "nothing was written");
}

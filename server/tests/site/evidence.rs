//! Evidence that is never rewritten, as readers and editors meet it over
//! HTTP: an editor corrects a source cited by two commitments through the
//! form; both commitments' pages then show the correction, the status changes
//! that relied on the earlier text are flagged, and the correction is listed
//! on `/corrections` and in its Atom feed, in every language.

use axum::http::StatusCode;

use crate::support::{both_engines, on_engine, shipped, TestSite};

/// A seeded source listed by two commitments whose seeded statuses both
/// cite it, and those commitments' slugs.
async fn source_cited_by_two_statuses(db: &store::Db) -> (i64, String, String) {
    on_engine!(db, |pool| sqlx::query_as(
        "SELECT sus.source_id, min(c.slug), max(c.slug)
         FROM status_update_sources sus
         JOIN status_updates su ON su.id = sus.status_update_id
         JOIN commitments c ON c.id = su.commitment_id
         GROUP BY sus.source_id HAVING count(DISTINCT c.id) >= 2
         ORDER BY sus.source_id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("the seed cites some source in the statuses of two commitments"))
}

async fn source_fields(db: &store::Db, id: i64) -> Vec<(String, String)> {
    let (publisher, title, dated_on, quote, kind, via, title_basis, date_basis): (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
    ) = on_engine!(db, |pool| sqlx::query_as(
        "SELECT publisher, title, dated_on, quote, kind, via, title_basis, date_basis FROM sources WHERE id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap());
    vec![
        ("source_publisher".into(), publisher),
        ("source_title".into(), title),
        ("source_published_on".into(), dated_on),
        ("source_quote".into(), quote),
        ("source_kind".into(), kind),
        ("source_via".into(), via.unwrap_or_default()),
        ("source_title_basis".into(), title_basis),
        ("source_date_basis".into(), date_basis),
        ("source_url".into(), String::new()),
        ("source_language".into(), "en".into()),
    ]
}

both_engines!(a_corrected_source_is_flagged_on_every_commitment_and_listed_publicly);
async fn a_corrected_source_is_flagged_on_every_commitment_and_listed_publicly(db: store::Db) {
    let site = TestSite::of(db.clone()).await;
    let alice = site.sign_in("alice").await;
    let (source_id, first, second) = source_cited_by_two_statuses(&db).await;
    let id = source_id.to_string();
    let old_title: String = on_engine!(db, |pool| sqlx::query_scalar("SELECT title FROM sources WHERE id = $1")
        .bind(source_id)
        .fetch_one(pool)
        .await
        .unwrap());
    let new_title = format!("{old_title} — corrected <by test>");
    let mut fields = source_fields(&db, source_id).await;
    fields.iter_mut().find(|(k, _)| k == "source_title").unwrap().1 = new_title.clone();

    // Without a note, the correction is refused next to the note's field
    // and nothing changes.
    let version = site.version_of(&first).await.to_string();
    let mut form: Vec<(&str, &str)> = vec![
        ("slug", first.as_str()),
        ("version", version.as_str()),
        ("action", "edit"),
        ("source_id", id.as_str()),
        ("correction_note", "  "),
    ];
    form.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let refused = site.post_form("/api/change_source", &form, Some(&alice)).await;
    let location = refused
        .headers
        .get(axum::http::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        location.contains("correction_note") || refused.text().contains("Say what was wrong"),
        "{} {location} {}",
        refused.status,
        refused.text()
    );
    let versions: i64 = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT count(*) FROM source_versions WHERE source_id = $1"
    )
    .bind(source_id)
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(versions, 1, "a refused correction stores nothing");

    // With a note, it is saved.
    form[4] = ("correction_note", "The title named the wrong report.");
    let second_version_before = site.version_of(&second).await;
    let saved = site.post_form("/api/change_source", &form, Some(&alice)).await;
    assert!(saved.status.is_redirection(), "{} {}", saved.status, saved.text());

    for slug in [&first, &second] {
        let page = site.get(&format!("/commitments/{slug}"), None).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("Corrected on"), "{slug}: the source shows its correction");
        assert!(
            html.contains("The title named the wrong report."),
            "{slug}: with its note"
        );
        assert!(
            !html.contains("corrected <by test>") && html.contains("corrected &lt;by test&gt;"),
            "{slug}: the new title, escaped"
        );
        assert!(
            html.contains("This source was corrected on"),
            "{slug}: the status change that relied on version 1 is flagged"
        );
        assert!(
            html.contains("(version 1)"),
            "{slug}: it names the version it relied on"
        );
        // Accord's descriptions are never set as an outlet's cited title.
        let title_basis: String = on_engine!(db, |pool| sqlx::query_scalar(
            "SELECT title_basis FROM sources WHERE id = $1"
        )
        .bind(source_id)
        .fetch_one(pool)
        .await
        .unwrap());
        let cited = html.contains(&format!("<cite>{}", old_title.replace('\'', "&#x27;")))
            || html.contains(&format!("<cite>{old_title}"));
        assert_eq!(
            cited,
            title_basis == "headline",
            "{slug}: {title_basis} titles and <cite>"
        );
    }
    assert_eq!(
        site.version_of(&second).await,
        second_version_before + 1,
        "the other commitment citing the source gets a revision of its own"
    );
    let history = site.get(&format!("/commitments/{second}/history"), None).await;
    assert!(
        history.text().contains("The title named the wrong report."),
        "a revision on the other commitment too"
    );

    // In the feed of each commitment citing the source.
    for slug in [&first, &second] {
        let feed = site.get(&format!("/commitments/{slug}/feed.atom"), None).await;
        let parsed = atom_syndication::Feed::read_from(&feed.body[..]).expect("valid Atom");
        assert!(
            parsed
                .entries()
                .iter()
                .any(|e| e.id().ends_with(&format!("correction-source-{source_id}-v2"))),
            "{slug}: the correction is in the commitment's feed"
        );
    }

    // Listed on /corrections in every language, and in its feed.
    for prefix in ["", "/ko", "/zh"] {
        let page = site.get(&format!("{prefix}/corrections"), None).await;
        assert_eq!(page.status, StatusCode::OK, "{prefix}");
        let html = page.text();
        assert!(
            html.contains(&format!("id=\"source-{source_id}-v2\"")),
            "{prefix}: the correction is listed"
        );
        assert!(html.contains(&format!("/commitments/{first}")) && html.contains(&format!("/commitments/{second}")));
        let feed = site.get(&format!("{prefix}/corrections.atom"), None).await;
        assert_eq!(feed.status, StatusCode::OK);
        let parsed = atom_syndication::Feed::read_from(&feed.body[..]).expect("valid Atom");
        let entry = parsed
            .entries()
            .iter()
            .find(|e| e.id().ends_with(&format!("correction-source-{source_id}-v2")))
            .expect("the correction is in the feed");
        assert!(entry
            .links()
            .iter()
            .any(|l| l.href().contains(&format!("/commitments/{second}/history"))));
    }
    // The shipped data's own corrections are listed too, one entry each.
    let data = shipped();
    let page = site.get("/corrections", None).await.text();
    let entries = page.matches("class=\"correction\"").count();
    assert_eq!(
        entries,
        data.corrections.len() + 1,
        "every data correction and the source correction"
    );
    assert!(!data.corrections.is_empty());
}

both_engines!(every_page_links_the_corrections_page_and_it_answers_in_three_languages);
async fn every_page_links_the_corrections_page_and_it_answers_in_three_languages(db: store::Db) {
    let site = TestSite::of(db).await;
    for prefix in ["", "/ko", "/zh"] {
        let home = site.get(&format!("{prefix}/"), None).await.text();
        assert!(
            home.contains(&format!("href=\"{prefix}/corrections\"")),
            "{prefix}: footer link"
        );
        let page = site.get(&format!("{prefix}/corrections"), None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains(&format!("href=\"{prefix}/corrections.atom\"")));
    }
}

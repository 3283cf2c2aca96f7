//! The whole HTTP application, driven in-process with `oneshot`, over a real
//! SQLite database built from the migrations and the shipped seed data.

use crate::support;
use crate::support::{both_engines, get_page as get, on_engine, unescape};

use axum::http::StatusCode;
use axum::Router;

use support::PUBLIC_URL;

async fn app(db: store::Db) -> Router {
    support::seeded_site_of(db).await
}

/// Whether the page has a `<name …>` tag carrying all the given attributes
/// (with their values HTML-escaped as the renderer writes them), in any order.
fn has_tag(html: &str, name: &str, attributes: &[(&str, &str)]) -> bool {
    tags(html, name).any(|tag| {
        let tag = unescape(tag);
        attributes
            .iter()
            .all(|(attr, value)| tag.contains(&format!(r#" {attr}="{value}""#)))
    })
}

/// Every opening `<name …>` tag of the page, up to its `>`.
fn tags<'a>(html: &'a str, name: &str) -> impl Iterator<Item = &'a str> {
    let open = format!("<{name} ");
    let starts: Vec<usize> = html.match_indices(&open).map(|(start, _)| start).collect();
    starts.into_iter().map(move |start| {
        let end = html[start..].find('>').map_or(html.len(), |i| start + i);
        &html[start..end]
    })
}

fn shipped() -> domain::Dataset {
    support::shipped()
}

both_engines!(health_check_answers_ok);
async fn health_check_answers_ok(db: store::Db) {
    let app = app(db).await;
    let (status, body) = get(&app, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "ok\n");
}

both_engines!(list_page_shows_every_commitment_with_statuses_and_scoreboard);
async fn list_page_shows_every_commitment_with_statuses_and_scoreboard(db: store::Db) {
    let app = app(db).await;
    let (status, html) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    let text = unescape(&html);
    let data = shipped();
    assert!(text.contains(&data.summit.title));
    for commitment in &data.commitments {
        assert!(text.contains(&commitment.title), "missing {}", commitment.title);
        assert!(html.contains(&format!("href=\"/commitments/{}\"", commitment.slug)));
    }
    assert!(html.contains("Scoreboard"));
    assert!(html.contains(&format!(
        "{} commitments in all, by overall status",
        data.commitments.len()
    )));
    for status in domain::Status::ALL {
        assert!(
            html.contains(&format!("status-{}", status.code())),
            "scoreboard lists {}",
            status.label()
        );
    }
    assert!(html.contains("Last status change"));
    assert!(
        has_tag(&html, "link", &[("rel", "canonical"), ("href", PUBLIC_URL)]),
        "canonical link"
    );
    // The hydration script is on the page.
    assert!(html.contains("/pkg/accord.js"));
}

both_engines!(permalink_shows_text_statuses_timeline_sources_and_share_meta);
async fn permalink_shows_text_statuses_timeline_sources_and_share_meta(db: store::Db) {
    let app = app(db).await;
    let data = shipped();
    for commitment in &data.commitments {
        let path = format!("/commitments/{}", commitment.slug);
        let (status, html) = get(&app, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let text = unescape(&html);
        assert!(text.contains(&commitment.summary), "{path}: summary");
        for key in &commitment.sources {
            let source = data.sources.iter().find(|s| &s.key == key).unwrap();
            assert!(text.contains(&source.quote), "{path}: quote of {key}");
        }
        let url = format!("{PUBLIC_URL}commitments/{}", commitment.slug);
        assert!(
            has_tag(&html, "link", &[("rel", "canonical"), ("href", &url)]),
            "{path}: canonical"
        );
        assert!(
            has_tag(&html, "meta", &[("property", "og:url"), ("content", &url)]),
            "{path}: og:url"
        );
        let title = unescape(&commitment.title);
        assert!(
            has_tag(&html, "meta", &[("property", "og:title"), ("content", &title)]),
            "{path}: og:title"
        );
        assert!(has_tag(
            &html,
            "meta",
            &[("name", "twitter:card"), ("content", "summary_large_image")]
        ));
        for name in ["og:description", "twitter:title", "twitter:description"] {
            let attr = if name.starts_with("og:") { "property" } else { "name" };
            assert!(has_tag(&html, "meta", &[(attr, name)]), "{path}: {name}");
        }
        assert!(
            html.contains(&format!(r#"value="{url}""#)),
            "{path}: the link to copy without JavaScript"
        );
        let anchors = tags(&html, "li")
            .filter(|tag| tag.contains(r#"class="timeline-entry""#) && tag.contains(r#" id="update-"#))
            .count();
        assert_eq!(
            anchors,
            commitment.status.len(),
            "{path}: one anchored entry per status change"
        );
        for party in &commitment.owed_by {
            let name = &data.parties.iter().find(|p| &p.code == party).unwrap().short_name;
            assert!(
                html.contains(&format!("<h3>{name}</h3>")),
                "{path}: {name}'s status card"
            );
        }
        for status in domain::Status::ALL {
            assert!(
                text.contains(status.definition()),
                "{path}: definition of {}",
                status.label()
            );
        }
    }
}

both_engines!(overall_status_follows_the_least_advanced_party);
async fn overall_status_follows_the_least_advanced_party(db: store::Db) {
    let data = shipped();
    let app = app(db.clone()).await;
    let bilateral = data.commitments.iter().find(|c| c.owed_by.len() == 2).unwrap();
    for (party, status) in [("cn", "fulfilled"), ("kr", "stalled")] {
        on_engine!(db, |pool| sqlx::query(
            "INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
             SELECT c.id, p.id, $1, '2026-06-01', 'n', 't', '2026-06-01T00:00:00Z'
             FROM commitments c, parties p WHERE c.slug = $2 AND p.code = $3"
        )
        .bind(status)
        .bind(bilateral.slug.as_str())
        .bind(party)
        .execute(pool)
        .await
        .unwrap()
        .rows_affected());
    }
    let (_, html) = get(&app, &format!("/commitments/{}", bilateral.slug)).await;
    let overall = html.split("<h3>Overall</h3>").nth(1).unwrap();
    let badge = &overall[..overall.find("</p>").unwrap()];
    assert!(badge.contains(r#"class="badge status-stalled""#), "{badge}");
}

both_engines!(unknown_and_malformed_paths_are_real_404s);
async fn unknown_and_malformed_paths_are_real_404s(db: store::Db) {
    let app = app(db).await;
    for path in [
        "/commitments/no-such-commitment",
        "/commitments/UPPER-CASE",
        "/commitments/..%2F..%2FCargo.toml",
        "/commitments/%E2%80%AE",
        "/commitments/a%00b",
        "/nothing-here",
        "/commitments",
        "/commitments/x/y/z",
    ] {
        let (status, html) = get(&app, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("We can’t find that page"), "{path}: helpful page");
        assert!(html.contains(r#"href="/""#), "{path}: a way back");
    }
    let long = format!("/commitments/{}", "a".repeat(5000));
    assert_eq!(get(&app, &long).await.0, StatusCode::NOT_FOUND);
}

both_engines!(path_traversal_never_reads_outside_the_site);
async fn path_traversal_never_reads_outside_the_site(db: store::Db) {
    let app = app(db).await;
    for path in [
        "/pkg/../../Cargo.toml",
        "/pkg/%2e%2e/%2e%2e/Cargo.toml",
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/Cargo.toml",
    ] {
        let (status, body) = get(&app, path).await;
        assert!(status.is_client_error(), "{path}: {status}");
        assert!(!body.contains("[workspace]"), "{path} leaked a file");
    }
}

both_engines!(server_functions_answer_with_data_or_a_404);
async fn server_functions_answer_with_data_or_a_404(db: store::Db) {
    let app = app(db).await;
    let slug = &shipped().commitments[0].slug;
    let (status, json) = get(&app, &format!("/api/get_commitment?slug={slug}")).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert!(json.contains(&format!("\"share_url\":\"{PUBLIC_URL}commitments/{slug}\"")));
    let (status, json) = get(&app, "/api/get_commitment?slug=nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{json}");
    assert!(json.contains("NotFound") && json.contains("nope"), "{json}");
    let (status, _) = get(&app, "/api/list_commitments?query=&path=%2F").await;
    assert_eq!(status, StatusCode::OK);
    // Its arguments are required: a bare call is a client error, not a 500.
    let (status, _) = get(&app, "/api/list_commitments").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

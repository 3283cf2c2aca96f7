//! Found by search engines: robots.txt, the sitemap (and its index past the
//! per-file limit), JSON-LD that a JSON-LD processor reads, and feeds that
//! answer conditional GETs. XML and JSON-LD are read by real parsers in
//! the test Python (`make tool-python`): expat for the sitemap, pyld for
//! JSON-LD.

use crate::support;
use crate::support::{both_engines, checker_python, on_engine, respond, Answer, PUBLIC_URL};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use chrono::SubsecRound;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

async fn get(app: &Router, path: &str) -> Answer {
    respond(app, Request::get(path).body(Body::empty()).unwrap()).await
}

async fn get_with(app: &Router, path: &str, name: header::HeaderName, value: &str) -> Answer {
    respond(app, Request::get(path).header(name, value).body(Body::empty()).unwrap()).await
}

/// Runs `support/{script}` on `body`; what it prints, as JSON.
fn check_with(script: &str, body: &[u8]) -> Value {
    static FILES: AtomicU32 = AtomicU32::new(0);
    let n = FILES.fetch_add(1, Ordering::Relaxed);
    let file = std::env::temp_dir().join(format!("accord-discoverability-{}-{n}", std::process::id()));
    std::fs::write(&file, body).unwrap();
    let script_path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/site/support")
        .join(script);
    let output = Command::new(checker_python()).arg(&script_path).arg(&file).output();
    let _ = std::fs::remove_file(&file);
    let output = output.unwrap_or_else(|e| panic!("running {script} (make tool-python): {e}"));
    assert!(
        output.status.success(),
        "{script} refused it: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(body).chars().take(2000).collect::<String>()
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The shipped data's commitment slugs and summit slug.
fn shipped_pages() -> (Vec<String>, String) {
    let data = support::shipped();
    (
        data.commitments.iter().map(|c| c.slug.to_string()).collect(),
        data.summit.slug.to_string(),
    )
}

/// Every URL the sitemap must list for the shipped data, in each language.
fn expected_urls() -> BTreeSet<String> {
    let (commitments, summit) = shipped_pages();
    let mut paths: Vec<String> = ["/", "/summits", "/corrections", "/methodology"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    paths.push(format!("/summits/{summit}"));
    paths.extend(commitments.iter().map(|slug| format!("/commitments/{slug}")));
    let mut urls = BTreeSet::new();
    for path in paths {
        for prefix in ["", "/ko", "/zh"] {
            // The root in Korean is `/ko/`, as the pages' own links say.
            let localized = format!("{prefix}{path}");
            urls.insert(format!("{}{}", PUBLIC_URL.trim_end_matches('/'), localized));
        }
    }
    urls
}

fn locs(sitemap: &Value) -> Vec<String> {
    sitemap["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["loc"].as_str().unwrap().to_owned())
        .collect()
}

/// Records a status change on `slug` through the router's own database
/// handle, as the status form does.
async fn change_status(db: &store::Db, slug: &str) -> chrono::DateTime<chrono::Utc> {
    let slug = domain::Slug::parse(slug).unwrap();
    let record = store::commitments::find_commitment_by_slug(db, &slug)
        .await
        .unwrap()
        .unwrap();
    let id: i64 = on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT id FROM users WHERE name = 'alice'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    let editor = domain::CurrentUser {
        id,
        name: "alice".into(),
        role: domain::Role::Editor,
    };
    let change = domain::StatusChange {
        parties: domain::PartyChoice::AllOwing,
        status: domain::Status::InProgress,
        effective_on: record.summit.held_on + chrono::Days::new(3),
        note: "Talks resumed.".into(),
        source_ids: vec![record.sources[0].id],
        new_source: None,
        expected_version: record.version,
    };
    let at = chrono::Utc::now();
    store::editing::record_status_change(db, &slug, &change, &editor, at)
        .await
        .unwrap();
    at
}

// ---------------------------------------------------------------- robots.txt

both_engines!(robots_txt_opens_the_public_pages_closes_the_editors_and_names_the_sitemap);
async fn robots_txt_opens_the_public_pages_closes_the_editors_and_names_the_sitemap(db: store::Db) {
    let app = support::seeded_site_of(db).await;
    // The Host a request names is never believed: the sitemap is named by
    // the configured public URL.
    let answer = get_with(&app, "/robots.txt", header::HOST, "evil.example").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.header(header::CONTENT_TYPE).starts_with("text/plain"));
    let text = answer.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "User-agent: *");
    for closed in [
        "/login",
        "/review",
        "/editor/",
        "/api/",
        "/commitments/*/edit",
        "/ko/login",
        "/zh/review",
    ] {
        assert!(
            lines.contains(&format!("Disallow: {closed}").as_str()),
            "{closed}\n{text}"
        );
    }
    assert!(lines.contains(&"Allow: /api/v1/"), "{text}");
    assert!(lines.contains(&"Sitemap: https://accord.example/sitemap.xml"), "{text}");
    // Nothing public is closed: no rule names the list, a commitment, a
    // summit, a feed or the downloads.
    for rule in lines.iter().filter_map(|l| l.strip_prefix("Disallow: ")) {
        // A rule with a wildcard names only the edit form.
        if rule.contains('*') {
            assert!(rule.ends_with("/edit"), "{rule}");
            continue;
        }
        for public in [
            "/",
            "/commitments/x",
            "/summits",
            "/feed.atom",
            "/export/commitments.csv",
            "/api/v1/commitments",
        ] {
            assert!(
                !public.starts_with(rule) || public.starts_with("/api/v1/"),
                "{rule} closes {public}"
            );
        }
    }
}

// ---------------------------------------------------------------- sitemap

both_engines!(the_sitemap_lists_every_public_page_in_each_language_with_its_last_change);
async fn the_sitemap_lists_every_public_page_in_each_language_with_its_last_change(db: store::Db) {
    let site = support::TestSite::of(db.clone()).await;
    // The same database served under the test public URL; the request's
    // Host is never believed.
    let app = server::router(support::state_of(
        support::another_handle(&db),
        PUBLIC_URL,
        "target/site",
    ));
    let answer = get_with(&app, "/sitemap.xml", header::HOST, "evil.example").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.header(header::CONTENT_TYPE).starts_with("application/xml"));
    let sitemap = check_with("check_sitemap.py", &answer.body);
    assert_eq!(sitemap["kind"], "urlset");
    let listed: Vec<String> = locs(&sitemap);
    let unique: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(unique.len(), listed.len(), "a URL listed twice");
    assert_eq!(unique, expected_urls());
    // Each URL names its three languages and a default.
    let entry = |loc: &str, sitemap: &Value| -> Value {
        sitemap["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["loc"] == loc)
            .unwrap_or_else(|| panic!("{loc} not listed"))
            .clone()
    };
    let slug = site.slug.clone();
    let ko = entry(&format!("https://accord.example/ko/commitments/{slug}"), &sitemap);
    assert_eq!(
        ko["alternates"],
        serde_json::json!({
            "en": format!("https://accord.example/commitments/{slug}"),
            "ko": format!("https://accord.example/ko/commitments/{slug}"),
            "zh-Hans": format!("https://accord.example/zh/commitments/{slug}"),
            "x-default": format!("https://accord.example/commitments/{slug}"),
        })
    );
    // Every commitment's lastmod is its last change in the store.
    let (commitments, summit) = shipped_pages();
    let stored = store::page_changes::list_commitment_changes(&db).await.unwrap();
    for slug in &commitments {
        let changed = stored.iter().find(|c| &c.slug == slug).unwrap().changed_at;
        let lastmod = entry(&format!("https://accord.example/commitments/{slug}"), &sitemap)["lastmod"].clone();
        assert_eq!(
            lastmod
                .as_str()
                .unwrap()
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap(),
            changed.trunc_subsecs(0),
            "{slug}"
        );
    }
    // A status change moves that commitment's date, its summit's and the
    // list's, and no other commitment's.
    let other = commitments.iter().find(|s| **s != slug).unwrap().clone();
    let other_before = entry(&format!("https://accord.example/commitments/{other}"), &sitemap)["lastmod"].clone();
    let before = entry(&format!("https://accord.example/commitments/{slug}"), &sitemap)["lastmod"].clone();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let at = change_status(&site.db, &slug).await;
    let after = check_with("check_sitemap.py", &get(&app, "/sitemap.xml").await.body);
    let moved = entry(&format!("https://accord.example/zh/commitments/{slug}"), &after)["lastmod"].clone();
    assert_ne!(moved, before);
    assert_eq!(
        moved
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap(),
        at.trunc_subsecs(0)
    );
    assert_eq!(
        entry(&format!("https://accord.example/summits/{summit}"), &after)["lastmod"],
        moved
    );
    assert_eq!(entry("https://accord.example/", &after)["lastmod"], moved);
    assert_eq!(
        entry(&format!("https://accord.example/commitments/{other}"), &after)["lastmod"],
        other_before
    );
}

both_engines!(past_the_limit_the_sitemap_is_an_index_of_files_that_together_list_every_url);
async fn past_the_limit_the_sitemap_is_an_index_of_files_that_together_list_every_url(db: store::Db) {
    assert!(server::seed::seed_if_empty(&db).await.unwrap());
    let limit = 7;
    let limits = server::Limits {
        sitemap_urls: limit,
        ..server::Limits::default()
    };
    let app = server::router_with_limits(support::state_of(db.clone(), PUBLIC_URL, "target/site"), limits);
    let answer = get(&app, "/sitemap.xml").await;
    assert_eq!(answer.status, StatusCode::OK);
    let index = check_with("check_sitemap.py", &answer.body);
    assert_eq!(index["kind"], "sitemapindex");
    let expected = expected_urls();
    let files = locs(&index);
    assert_eq!(files.len(), expected.len().div_ceil(limit));
    let mut listed: Vec<String> = Vec::new();
    for (n, file) in files.iter().enumerate() {
        assert_eq!(file, &format!("https://accord.example/sitemaps/{}.xml", n + 1));
        let part = get(&app, file.strip_prefix("https://accord.example").unwrap()).await;
        assert_eq!(part.status, StatusCode::OK, "{file}");
        let part = check_with("check_sitemap.py", &part.body);
        assert_eq!(part["kind"], "urlset");
        let urls = locs(&part);
        assert!(!urls.is_empty() && urls.len() <= limit, "{file}: {}", urls.len());
        listed.extend(urls);
    }
    assert_eq!(listed.len(), expected.len(), "each URL in exactly one file");
    assert_eq!(listed.into_iter().collect::<BTreeSet<_>>(), expected);
    for missing in [
        "/sitemaps/0.xml".to_owned(),
        "/sitemaps/01.xml".to_owned(),
        format!("/sitemaps/{}.xml", files.len() + 1),
        "/sitemaps/x.xml".to_owned(),
        "/sitemaps/1".to_owned(),
        "/sitemaps/18446744073709551616.xml".to_owned(),
    ] {
        assert_eq!(get(&app, &missing).await.status, StatusCode::NOT_FOUND, "{missing}");
    }
    // Within the limit there are no numbered files.
    let within = server::router(support::state_of(db, PUBLIC_URL, "target/site"));
    assert_eq!(get(&within, "/sitemap.xml").await.status, StatusCode::OK);
    assert_eq!(get(&within, "/sitemaps/1.xml").await.status, StatusCode::NOT_FOUND);
}

#[test]
fn the_sitemap_limit_is_the_protocols() {
    assert_eq!(server::sitemap::MAX_SITEMAP_URLS, 50_000);
    assert_eq!(server::Limits::default().sitemap_urls, 50_000);
}

// ---------------------------------------------------------------- JSON-LD

/// The nodes of a flattened JSON-LD graph whose type is schema.org's `kind`.
fn nodes_of<'a>(graphs: &'a Value, kind: &str) -> Vec<&'a Value> {
    let iri = format!("http://schema.org/{kind}");
    graphs
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g.as_array().unwrap())
        .filter(|node| {
            node["@type"]
                .as_array()
                .is_some_and(|types| types.iter().any(|t| t == &Value::String(iri.clone())))
        })
        .collect()
}

/// The values of a property of a flattened node (literals and references).
fn values(node: &Value, property: &str) -> Vec<String> {
    node[format!("http://schema.org/{property}")]
        .as_array()
        .map(|vs| {
            vs.iter()
                .map(|v| {
                    v.get("@value")
                        .or_else(|| v.get("@id"))
                        .map(|x| match x {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn node_by_id<'a>(graphs: &'a Value, id: &str) -> &'a Value {
    graphs
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g.as_array().unwrap())
        .find(|node| node["@id"] == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

/// The Dataset node's two downloads: (encoding format, content URL).
fn downloads(graphs: &Value) -> BTreeSet<(String, String)> {
    let datasets = nodes_of(graphs, "Dataset");
    assert_eq!(datasets.len(), 1, "one Dataset");
    values(datasets[0], "distribution")
        .iter()
        .map(|id| {
            let download = node_by_id(graphs, id);
            (
                values(download, "encodingFormat")[0].clone(),
                values(download, "contentUrl")[0].clone(),
            )
        })
        .collect()
}

both_engines!(permalinks_and_the_list_carry_json_ld_a_processor_reads);
async fn permalinks_and_the_list_carry_json_ld_a_processor_reads(db: store::Db) {
    let (commitments, summit) = shipped_pages();
    let slug = &commitments[0];
    // A title that would end the script element, were it written raw.
    let hostile = "Trade </script><script>alert(1)</script><!-- talks & more";
    assert!(server::seed::seed_if_empty(&db).await.unwrap());
    support::retitle_behind_the_sites_back(&db, slug, hostile).await;
    let app = server::router(support::state_of(db.clone(), PUBLIC_URL, "target/site"));
    let page = get(&app, &format!("/commitments/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(!html.contains("</script><script>alert(1)"), "the title broke out");
    let graphs = check_with("check_jsonld.py", &page.body);

    let crumbs = nodes_of(&graphs, "BreadcrumbList");
    assert_eq!(crumbs.len(), 1);
    let items: Vec<&Value> = values(crumbs[0], "itemListElement")
        .iter()
        .map(|id| node_by_id(&graphs, id))
        .collect();
    let mut trail: Vec<(String, String, String)> = items
        .iter()
        .map(|item| {
            (
                values(item, "position")[0].clone(),
                values(item, "name")[0].clone(),
                values(item, "item")[0].clone(),
            )
        })
        .collect();
    trail.sort();
    assert_eq!(trail.len(), 3);
    assert_eq!(trail[0].0, "1");
    assert_eq!(trail[0].2, "https://accord.example/");
    assert_eq!(trail[1].2, format!("https://accord.example/summits/{summit}"));
    assert_eq!(trail[2].1, hostile, "the title is read back exactly");
    assert_eq!(trail[2].2, format!("https://accord.example/commitments/{slug}"));

    let pages = nodes_of(&graphs, "WebPage");
    assert_eq!(pages.len(), 1);
    let (created, changed) = store::page_changes::commitment_dates(&db, slug).await.unwrap().unwrap();
    let published = values(pages[0], "datePublished");
    let modified = values(pages[0], "dateModified");
    assert_eq!(
        published[0].parse::<chrono::DateTime<chrono::Utc>>().unwrap(),
        created.trunc_subsecs(0)
    );
    assert_eq!(
        modified[0].parse::<chrono::DateTime<chrono::Utc>>().unwrap(),
        changed.trunc_subsecs(0)
    );
    assert_eq!(values(pages[0], "name"), vec![hostile.to_owned()]);
    assert_eq!(values(pages[0], "inLanguage"), vec!["en".to_owned()]);

    let expected_downloads: BTreeSet<(String, String)> = [
        ("text/csv", "https://accord.example/export/commitments.csv"),
        ("application/json", "https://accord.example/api/v1/commitments"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    assert_eq!(downloads(&graphs), expected_downloads);

    // The list page: where it is, and the same data set.
    let list = get(&app, "/ko/?status=fulfilled").await;
    assert_eq!(list.status, StatusCode::OK);
    let graphs = check_with("check_jsonld.py", &list.body);
    let crumbs = nodes_of(&graphs, "BreadcrumbList");
    assert_eq!(crumbs.len(), 1);
    let first = node_by_id(&graphs, &values(crumbs[0], "itemListElement")[0]);
    assert_eq!(values(first, "item"), vec!["https://accord.example/ko/".to_owned()]);
    let datasets = nodes_of(&graphs, "Dataset");
    assert_eq!(values(datasets[0], "inLanguage"), vec!["ko".to_owned()]);
    assert!(downloads(&graphs).contains(&(
        "text/csv".to_owned(),
        "https://accord.example/ko/export/commitments.csv".to_owned()
    )));
}

// ---------------------------------------------------------------- feeds

both_engines!(feeds_answer_conditional_gets_until_a_write_changes_them);
async fn feeds_answer_conditional_gets_until_a_write_changes_them(db: store::Db) {
    let site = support::TestSite::of(db.clone()).await;
    let slug = site.slug.clone();
    let feeds = [
        "/feed.atom".to_owned(),
        "/ko/feed.atom".to_owned(),
        format!("/commitments/{slug}/feed.atom"),
        "/corrections.atom".to_owned(),
    ];
    // The seed's writes are more than a second old: dates are given.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let mut validators = Vec::new();
    for feed in &feeds {
        let first = site.get(feed, None).await;
        assert_eq!(first.status, StatusCode::OK, "{feed}");
        let tag = first.header(header::ETAG).to_owned();
        let date = first.header(header::LAST_MODIFIED).to_owned();
        assert!(tag.starts_with('"') && tag.len() > 2, "{feed}: ETag {tag:?}");
        assert!(date.ends_with(" GMT"), "{feed}: Last-Modified {date:?}");
        // Either validator alone gets a 304 with no body.
        for (name, value) in [(header::IF_NONE_MATCH, &tag), (header::IF_MODIFIED_SINCE, &date)] {
            let again = get_with(&site.app, feed, name.clone(), value).await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{feed} with {name}");
            assert!(again.body.is_empty());
            assert_eq!(again.header(header::ETAG), tag);
        }
        // Another tag, or an older date, gets the feed.
        let other = get_with(&site.app, feed, header::IF_NONE_MATCH, "\"other\"").await;
        assert_eq!(other.status, StatusCode::OK);
        assert_eq!(other.body, first.body);
        let older = get_with(
            &site.app,
            feed,
            header::IF_MODIFIED_SINCE,
            "Mon, 01 Jan 2024 00:00:00 GMT",
        )
        .await;
        assert_eq!(older.status, StatusCode::OK);
        validators.push((tag, date, first.body));
    }
    change_status(&site.db, &slug).await;
    for (feed, (tag, date, body)) in feeds.iter().zip(validators) {
        let by_tag = get_with(&site.app, feed, header::IF_NONE_MATCH, &tag).await;
        let by_date = get_with(&site.app, feed, header::IF_MODIFIED_SINCE, &date).await;
        // The corrections feed does not show status changes: its bytes,
        // and so its tag, are the same, and a reader who has it keeps it.
        if feed == "/corrections.atom" {
            assert_eq!(by_tag.status, StatusCode::NOT_MODIFIED, "{feed}");
        } else {
            assert_eq!(by_tag.status, StatusCode::OK, "{feed}: a stale tag");
            assert_ne!(by_tag.header(header::ETAG), tag, "{feed}");
            assert_ne!(by_tag.body, body, "{feed}");
        }
        // A date is only as fine as a second: the store's last change is
        // newer than the reader's date, so the whole feed comes back.
        assert_eq!(by_date.status, StatusCode::OK, "{feed}: a stale date");
    }
}

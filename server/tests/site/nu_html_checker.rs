//! Valid HTML (issue 16, point 1): every kind of page the site serves, in
//! each language, signed in or not, passes the W3C Nu HTML Checker with no
//! error. The checker is the real one (`vnu.jar` from npm's `vnu-jar`, run by
//! Java; `make tool-nu-checker` installs both), run once over all the pages.
//! On both engines: the pages render from what each engine's own SQL reads,
//! and the engines test, which compares pages across the engines byte for
//! byte, does not read all of these (not the sign-in, methodology,
//! not-found and new-commitment pages, nor the editor's list, nor most
//! pages in Korean and Chinese).

use crate::support::{both_engines, on_engine, scratch, workspace_root, TestSite};

use chrono::{Duration, NaiveDate, Utc};
use domain::{NewSource, PartyChoice, SourceKind, Status, Suggestion};

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

/// The checker's jar (`make tool-nu-checker` installs it and `make test`
/// names it in `ACCORD_TEST_VNU`); without it the test fails, never passes.
fn checker_jar() -> PathBuf {
    let jar = match std::env::var_os("ACCORD_TEST_VNU") {
        Some(path) if PathBuf::from(&path).is_relative() => workspace_root().join(path),
        Some(path) => PathBuf::from(path),
        None => workspace_root().join(".tools/node_modules/vnu-jar/build/dist/vnu.jar"),
    };
    assert!(
        jar.is_file(),
        "the Nu HTML Checker is not at {}: run `make tool-nu-checker`",
        jar.display()
    );
    jar
}

/// Runs the checker once over `pages` (kind → HTML); the errors it reports,
/// by page kind, each as "line N: message (extract)".
fn checker_errors(pages: &BTreeMap<String, String>) -> BTreeMap<String, Vec<String>> {
    let jar = checker_jar();
    // A folder of each run's own: the engines' runs may check at once.
    let folder = scratch("nu-html-checker");
    let mut files = Vec::new();
    for (kind, html) in pages {
        let file = folder.join(format!("{kind}.html"));
        std::fs::write(&file, html).unwrap();
        files.push(file);
    }
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--format", "json", "--exit-zero-always", "--stdout"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("running java (make tool-nu-checker installs it): {e}"));
    let _ = std::fs::remove_dir_all(&folder);
    assert!(
        output.status.success(),
        "the checker did not run: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "the checker's report is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    let mut errors: BTreeMap<String, Vec<String>> = pages.keys().map(|kind| (kind.clone(), Vec::new())).collect();
    for message in report["messages"].as_array().expect("a list of messages") {
        // "error" and "non-document-error" (a file it could not read) both
        // fail; "info" (warnings among them) does not.
        if message["type"] == "info" {
            continue;
        }
        let url = message["url"].as_str().unwrap_or("");
        let kind = url
            .rsplit('/')
            .next()
            .and_then(|name| name.strip_suffix(".html"))
            .unwrap_or(url)
            .to_owned();
        errors.entry(kind).or_default().push(format!(
            "line {}: {} ({:?})",
            message["lastLine"],
            message["message"].as_str().unwrap_or(""),
            message["extract"].as_str().unwrap_or("")
        ));
    }
    errors
}

both_engines!(every_kind_of_page_in_every_language_passes_the_nu_html_checker);
async fn every_kind_of_page_in_every_language_passes_the_nu_html_checker(db: store::Db) {
    let site = TestSite::of(db).await;
    let summit: String = on_engine!(site.db, |pool| sqlx::query_scalar("SELECT slug FROM summits LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap());
    let slug = site.slug.clone();
    let alice = site.sign_in("alice").await;
    // Something to review: a reader's suggestion on the commitment, with its source.
    let suggestion = Suggestion {
        parties: PartyChoice::AllOwing,
        status: Status::InProgress,
        effective_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
        note: "Talks on the matter began in May.".into(),
        source: NewSource {
            publisher: "Yonhap".into(),
            title: "Talks begin".into(),
            dated_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            date_basis: domain::DateBasis::Published,
            title_basis: domain::TitleBasis::Headline,
            via: None,
            url: Some("https://example.org/talks".into()),
            quote: "Talks began.".into(),
            kind: SourceKind::MediaReport,
            language: Default::default(),
        },
        contact: None,
    };
    let submitted = store::suggestions::submit_suggestion(
        &site.db,
        &domain::Slug::parse(&slug).unwrap(),
        &suggestion,
        "10.0.0.1",
        Utc::now() - Duration::hours(1),
    )
    .await
    .unwrap();
    assert!(
        matches!(submitted, store::suggestions::Submitted::Stored(_)),
        "{submitted:?}"
    );

    let anonymous = [
        ("list", "/".to_owned()),
        ("filtered-list", "/?theme=economy&status=in_progress".to_owned()),
        ("permalink", format!("/commitments/{slug}")),
        ("history", format!("/commitments/{slug}/history")),
        ("summits", "/summits".to_owned()),
        ("summit", format!("/summits/{summit}")),
        ("login", "/login".to_owned()),
        ("methodology", "/methodology".to_owned()),
        ("corrections", "/corrections".to_owned()),
        ("not-found", "/no-such-page".to_owned()),
        ("missing-commitment", "/commitments/no-such-commitment".to_owned()),
    ];
    let signed_in = [
        ("editor-list", "/".to_owned()),
        ("editor-permalink", format!("/commitments/{slug}")),
        ("editor-new-commitment", "/editor/new-commitment".to_owned()),
        ("editor-edit", format!("/commitments/{slug}/edit")),
        ("editor-review", "/review".to_owned()),
        ("editor-not-found", "/no-such-page".to_owned()),
    ];
    let mut pages = BTreeMap::new();
    for (language, prefix) in [("en", ""), ("ko", "/ko"), ("zh", "/zh")] {
        for (kind, path, cookie) in anonymous
            .iter()
            .map(|(kind, path)| (kind, path, None))
            .chain(signed_in.iter().map(|(kind, path)| (kind, path, Some(alice.as_str()))))
        {
            let path = if path == "/" && !prefix.is_empty() {
                prefix.to_owned()
            } else {
                format!("{prefix}{path}")
            };
            let answer = site.get(&path, cookie).await;
            let expected_missing = kind.contains("not-found") || kind.contains("missing");
            assert_eq!(
                answer.status.is_success(),
                !expected_missing,
                "{path}: {}",
                answer.status
            );
            assert!(
                answer.header(axum::http::header::CONTENT_TYPE).starts_with("text/html"),
                "{path} is a page"
            );
            pages.insert(format!("{language}-{kind}"), answer.text());
        }
    }
    // A kept page is answered from the page cache the second time: it must
    // be as valid as the page it was kept from.
    let kept = site.get(&format!("/commitments/{slug}"), None).await;
    // Kept pages allow their scripts by hash (the nonce was this render's).
    let policy = kept.header(axum::http::header::CONTENT_SECURITY_POLICY);
    assert!(
        policy.contains("'sha256-") && !policy.contains("'nonce-"),
        "the permalink came from the page cache: {policy}"
    );
    pages.insert("en-permalink-kept".to_owned(), kept.text());

    let errors = checker_errors(&pages);
    let counts: Vec<String> = errors
        .iter()
        .map(|(kind, list)| format!("{kind}: {}", list.len()))
        .collect();
    eprintln!("Nu HTML Checker errors per page kind:\n  {}", counts.join("\n  "));
    let failures: Vec<String> = errors
        .iter()
        .flat_map(|(kind, list)| list.iter().take(20).map(move |error| format!("{kind}.html {error}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} errors in total; the first per page:\n{}",
        errors.values().map(Vec::len).sum::<usize>(),
        failures.join("\n")
    );
}

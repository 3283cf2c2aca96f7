//! The read-only JSON API under `/api/v1`, driven in-process with `oneshot`
//! over a real SQLite database built from the migrations and the shipped
//! seed. Every body is also validated, by an independent JSON Schema
//! implementation (Python's `jsonschema`), against the schema the API's own
//! OpenAPI document declares for it.

use crate::support;
use crate::support::{both_engines, checker_python};

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use domain::{Dataset, SeedCommitment, Status, Theme};
use serde_json::{json, Value};
use tower::ServiceExt;

use support::PUBLIC_URL;
const LIST: &str = "/api/v1/commitments";
const DETAIL: &str = "/api/v1/commitments/{slug}";
const SUMMITS: &str = "/api/v1/summits";
const DOCUMENT: &str = "/api/v1/openapi.json";

async fn app(db: store::Db) -> Router {
    support::seeded_site_of(db).await
}

fn shipped() -> Dataset {
    support::shipped()
}

/// A party's current status in the seed: its latest entry.
fn overall_in_seed(commitment: &SeedCommitment) -> Status {
    Status::overall(commitment.owed_by.iter().map(|party| {
        commitment
            .status
            .iter()
            .filter(|s| &s.party == party)
            .max_by_key(|s| s.effective_on)
            .map_or(Status::NotYetRated, |s| s.status)
    }))
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    json: Value,
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let what = format!("{} {}", request.method(), request.uri());
    let support::Answer {
        status,
        headers,
        body: bytes,
    } = support::respond(app, request).await;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "{what}: answered {status} with content type {content_type:?}: {}",
        String::from_utf8_lossy(&bytes)
    );
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    Answer { status, headers, json }
}

async fn get(app: &Router, path: &str) -> Answer {
    send(app, Request::get(path).body(Body::empty()).unwrap()).await
}

/// A site path from one of the API's absolute links.
fn path_of(link: &Value) -> String {
    let link = link.as_str().unwrap_or_else(|| panic!("not a link: {link}"));
    let rest = link
        .strip_prefix(PUBLIC_URL)
        .unwrap_or_else(|| panic!("{link} is not an absolute URL under {PUBLIC_URL}"));
    format!("/{rest}")
}

fn slugs(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["slug"].as_str().unwrap().to_owned())
        .collect()
}

// ------------------------------------------------------------ the checker

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/site/support/validate_openapi.py")
}

/// Runs `validate_openapi.py` against one OpenAPI document.
struct Checker {
    dir: PathBuf,
    doc: PathBuf,
}

impl Checker {
    fn new(name: &str, document: &Value) -> Checker {
        let dir = std::env::temp_dir().join(format!("accord-api-v1-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let doc = dir.join("openapi.json");
        std::fs::write(&doc, serde_json::to_vec(document).unwrap()).unwrap();
        Checker { dir, doc }
    }

    fn run(&self, args: &[&str], stdin: Option<&Value>) -> Result<String, String> {
        let mut child = Command::new(checker_python())
            .arg(script())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the schema checker");
        {
            let mut input = child.stdin.take().unwrap();
            if let Some(body) = stdin {
                input.write_all(&serde_json::to_vec(body).unwrap()).unwrap();
            }
        }
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if output.status.success() {
            Ok(stdout)
        } else {
            Err(format!("{}\n{stderr}{stdout}", output.status))
        }
    }

    fn check_document(&self, paths: &[&str]) -> Result<String, String> {
        let mut args = vec!["doc", self.doc.to_str().unwrap()];
        for path in paths {
            args.extend(["--path", path]);
        }
        self.run(&args, None)
    }

    fn check(&self, template: &str, status: StatusCode, body: &Value) -> Result<String, String> {
        let status = status.as_u16().to_string();
        self.run(
            &["response", self.doc.to_str().unwrap(), template, "get", &status, "-"],
            Some(body),
        )
    }

    fn assert_valid(&self, template: &str, answer: &Answer) {
        if let Err(error) = self.check(template, answer.status, &answer.json) {
            panic!(
                "GET {template} {}: body does not match the documented schema: {error}\nbody: {}",
                answer.status, answer.json
            );
        }
    }
}

impl Drop for Checker {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

// ------------------------------------------------------------ tests

both_engines!(every_answer_matches_the_schema_its_openapi_document_declares);
async fn every_answer_matches_the_schema_its_openapi_document_declares(db: store::Db) {
    let app = app(db).await;
    let data = shipped();
    let document = get(&app, DOCUMENT).await;
    assert_eq!(document.status, StatusCode::OK);
    let doc = &document.json;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1."),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["servers"][0]["url"], "https://accord.example");
    let checker = Checker::new("conformance", doc);
    if let Err(error) = checker.check_document(&[LIST, DETAIL, SUMMITS, DOCUMENT]) {
        panic!("the OpenAPI document itself: {error}");
    }
    // The document describes itself too.
    checker.assert_valid(DOCUMENT, &document);

    let mut checked = 0;
    for (uri, template, status) in [
        (LIST.to_owned(), LIST, StatusCode::OK),
        (format!("{LIST}?theme=economy&per_page=2&page=2"), LIST, StatusCode::OK),
        (format!("{LIST}?per_page=5&page=3&sort=due"), LIST, StatusCode::OK),
        (format!("{LIST}?q=zzzzqqq"), LIST, StatusCode::OK),
        (format!("{LIST}?status=bogus"), LIST, StatusCode::BAD_REQUEST),
        (format!("{LIST}?per_page=1000"), LIST, StatusCode::BAD_REQUEST),
        (
            "/api/v1/commitments/no-such-commitment".to_owned(),
            DETAIL,
            StatusCode::NOT_FOUND,
        ),
        (SUMMITS.to_owned(), SUMMITS, StatusCode::OK),
    ] {
        let answer = get(&app, &uri).await;
        assert_eq!(answer.status, status, "{uri}: {}", answer.json);
        checker.assert_valid(template, &answer);
        checked += 1;
    }
    for commitment in &data.commitments {
        let answer = get(&app, &format!("{LIST}/{}", commitment.slug)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", commitment.slug);
        checker.assert_valid(DETAIL, &answer);
        checked += 1;
    }
    assert_eq!(checked, 8 + data.commitments.len());
}

both_engines!(the_schema_checker_refuses_what_does_not_match);
/// The checker is not a rubber stamp: broken bodies and a broken document
/// are refused, each with a message that says what is wrong.
async fn the_schema_checker_refuses_what_does_not_match(db: store::Db) {
    let app = app(db).await;
    let doc = get(&app, DOCUMENT).await.json;
    let checker = Checker::new("negative", &doc);
    let list = get(&app, LIST).await;
    checker.assert_valid(LIST, &list);

    let mut bad_theme = list.json.clone();
    bad_theme["items"][0]["theme"] = json!("sports");
    let error = checker.check(LIST, StatusCode::OK, &bad_theme).unwrap_err();
    assert!(error.contains("sports") && error.contains("items/0"), "{error}");

    let mut no_self_link = list.json.clone();
    no_self_link["links"].as_object_mut().unwrap().remove("self");
    let error = checker.check(LIST, StatusCode::OK, &no_self_link).unwrap_err();
    assert!(error.contains("'self' is a required property"), "{error}");

    let mut bad_slug = list.json.clone();
    bad_slug["items"][1]["slug"] = json!("Not A Slug");
    assert!(checker.check(LIST, StatusCode::OK, &bad_slug).is_err());

    let mut bad_date = list.json.clone();
    bad_date["items"][0]["summit"]["held_on"] = json!("2025-13-01");
    let error = checker.check(LIST, StatusCode::OK, &bad_date).unwrap_err();
    assert!(error.contains("2025-13-01"), "{error}");

    let error = checker
        .check(LIST, StatusCode::BAD_REQUEST, &json!({"fields": {"status": "bad"}}))
        .unwrap_err();
    assert!(error.contains("'error' is a required property"), "{error}");
    // A status the document does not declare for the path.
    assert!(checker
        .check(SUMMITS, StatusCode::NOT_FOUND, &json!({"error": "x"}))
        .is_err());

    let mut broken = doc.clone();
    broken["components"]["schemas"]
        .as_object_mut()
        .unwrap()
        .remove("Status");
    let error = Checker::new("negative-doc", &broken)
        .check_document(&[LIST])
        .unwrap_err();
    assert!(error.contains("#/components/schemas/Status"), "{error}");
    let error = checker.check_document(&[LIST, "/api/v1/missing"]).unwrap_err();
    assert!(error.contains("/api/v1/missing"), "{error}");
}

both_engines!(the_whole_list_is_in_summit_order_with_counts_and_links);
async fn the_whole_list_is_in_summit_order_with_counts_and_links(db: store::Db) {
    let app = app(db).await;
    let data = shipped();
    let answer = get(&app, LIST).await;
    assert_eq!(answer.status, StatusCode::OK);
    let page = &answer.json;
    let expected: Vec<String> = data.commitments.iter().map(|c| c.slug.to_string()).collect();
    assert_eq!(slugs(page), expected);
    assert_eq!(page["total"], expected.len());
    assert_eq!(
        (
            page["page"].clone(),
            page["per_page"].clone(),
            page["page_count"].clone()
        ),
        (json!(1), json!(50), json!(1))
    );
    let counts = page["counts"].as_array().unwrap();
    assert_eq!(counts.len(), Status::ALL.len());
    for (entry, status) in counts.iter().zip(Status::ALL) {
        let expected = data.commitments.iter().filter(|c| overall_in_seed(c) == status).count();
        assert_eq!(entry["status"], status.code());
        assert_eq!(entry["count"], expected, "{}", status.code());
    }
    let links = &page["links"];
    assert_eq!(links["self"], "https://accord.example/api/v1/commitments");
    assert_eq!(links["next"], Value::Null);
    assert_eq!(links["prev"], Value::Null);
    assert_eq!(links["html"], PUBLIC_URL);
    let first = &page["items"][0];
    let slug = first["slug"].as_str().unwrap();
    assert_eq!(first["url"], format!("{PUBLIC_URL}commitments/{slug}"));
    assert_eq!(first["api_url"], format!("{PUBLIC_URL}api/v1/commitments/{slug}"));
    assert_eq!(first["overall_status"], overall_in_seed(&data.commitments[0]).code());
}

both_engines!(status_filter_returns_exactly_the_fulfilled_commitments);
async fn status_filter_returns_exactly_the_fulfilled_commitments(db: store::Db) {
    let app = app(db.clone()).await;
    let data = shipped();
    // Two commitments are fulfilled by every owing party here, through the
    // write path: the test does not lean on the seed's own ratings.
    let id = store::users::create_user(
        &db,
        "fulfiller",
        domain::Role::Editor,
        "a long enough password",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let editor = domain::CurrentUser {
        id,
        name: "fulfiller".into(),
        role: domain::Role::Editor,
    };
    for commitment in data.commitments.iter().rev().take(2) {
        let record = store::commitments::find_commitment_by_slug(&db, &commitment.slug)
            .await
            .unwrap()
            .unwrap();
        let change = domain::StatusChange {
            parties: domain::PartyChoice::AllOwing,
            status: Status::Fulfilled,
            effective_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            note: "Done.".into(),
            source_ids: vec![record.sources[0].id],
            new_source: None,
            expected_version: record.version,
        };
        store::editing::record_status_change(&db, &commitment.slug, &change, &editor, chrono::Utc::now())
            .await
            .unwrap();
    }
    let mut expected: BTreeSet<String> = data
        .commitments
        .iter()
        .filter(|c| overall_in_seed(c) == Status::Fulfilled)
        .map(|c| c.slug.to_string())
        .collect();
    expected.extend(data.commitments.iter().rev().take(2).map(|c| c.slug.to_string()));
    assert!(expected.len() < data.commitments.len());
    let answer = get(&app, &format!("{LIST}?status=fulfilled")).await;
    assert_eq!(answer.status, StatusCode::OK);
    let found: BTreeSet<String> = slugs(&answer.json).into_iter().collect();
    assert_eq!(found, expected);
    assert_eq!(answer.json["total"], expected.len());
    for item in answer.json["items"].as_array().unwrap() {
        assert_eq!(item["overall_status"], "fulfilled");
    }
    assert_eq!(
        answer.json["links"]["self"],
        format!("{PUBLIC_URL}api/v1/commitments?status=fulfilled")
    );
    assert_eq!(answer.json["links"]["html"], format!("{PUBLIC_URL}?status=fulfilled"));
}

both_engines!(search_finds_the_fraud_commitment_and_nonsense_finds_nothing);
async fn search_finds_the_fraud_commitment_and_nonsense_finds_nothing(db: store::Db) {
    let app = app(db).await;
    let answer = get(&app, &format!("{LIST}?q=fraud")).await;
    assert_eq!(answer.status, StatusCode::OK);
    let found = slugs(&answer.json);
    assert!(found.contains(&"online-gambling-telecom-fraud".to_owned()), "{found:?}");
    assert_eq!(answer.json["total"], found.len());

    let nothing = get(&app, &format!("{LIST}?q=zzzzqqq")).await;
    assert_eq!(nothing.status, StatusCode::OK);
    assert_eq!(nothing.json["items"], json!([]));
    assert_eq!(nothing.json["total"], 0);
    assert_eq!(nothing.json["page_count"], 1);
    assert!(nothing.json["counts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["count"] == 0));
}

both_engines!(pages_of_five_cover_every_commitment_exactly_once);
async fn pages_of_five_cover_every_commitment_exactly_once(db: store::Db) {
    let app = app(db).await;
    let data = shipped();
    assert_eq!(data.commitments.len(), 13, "the shipped seed");
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut next = Some(format!("{LIST}?per_page=5"));
    let mut previous_items: Option<Vec<String>> = None;
    while let Some(path) = next {
        let answer = get(&app, &path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        let page = answer.json;
        assert_eq!(page["per_page"], 5);
        assert_eq!(page["total"], 13);
        assert_eq!(page["page_count"], 3);
        assert_eq!(page["page"], 1, "pages after the first are asked for by cursor");
        // `prev` is the page before this one's first item: the page just read.
        match (&page["links"]["prev"], &previous_items) {
            (Value::Null, None) => {}
            (Value::Null, Some(_)) => panic!("{path}: no prev after the first page"),
            (link, Some(items)) => {
                let before = get(&app, &path_of(link)).await;
                assert_eq!(&slugs(&before.json), items, "{path}: prev");
            }
            (link, None) => panic!("{path}: prev {link} on the first page"),
        }
        assert_eq!(
            page["links"]["first"],
            format!("{PUBLIC_URL}api/v1/commitments?per_page=5")
        );
        assert_eq!(
            page["links"]["last"],
            format!("{PUBLIC_URL}api/v1/commitments?before=end&per_page=5")
        );
        sizes.push(page["items"].as_array().unwrap().len());
        seen.extend(slugs(&page));
        previous_items = Some(slugs(&page));
        next = match &page["links"]["next"] {
            Value::Null => None,
            link => Some(path_of(link)),
        };
        assert!(sizes.len() <= 3, "links.next must be null on the last page");
    }
    // The last page's link gives the last five, and a numbered link (made
    // before cursors) still gives its slice of the list.
    let last = get(&app, &format!("{LIST}?per_page=5&before=end")).await;
    assert_eq!(slugs(&last.json), seen[8..]);
    assert_eq!(last.json["links"]["next"], Value::Null);
    let numbered = get(&app, &format!("{LIST}?per_page=5&page=2")).await;
    assert_eq!(numbered.json["page"], 2);
    assert_eq!(slugs(&numbered.json), seen[5..10]);
    assert_eq!(sizes, [5, 5, 3]);
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no commitment on two pages: {seen:?}");
    let expected: Vec<String> = data.commitments.iter().map(|c| c.slug.to_string()).collect();
    assert_eq!(seen, expected, "pages follow the list's order");

    // Filters and page size survive in the links, and past the end is empty.
    let economy = data.commitments.iter().filter(|c| c.theme == Theme::Economy).count();
    let answer = get(&app, &format!("{LIST}?theme=economy&per_page=2&page=2")).await;
    assert_eq!(answer.json["total"], economy);
    assert!(answer.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["theme"] == "economy"));
    assert_eq!(
        answer.json["links"]["self"],
        format!("{PUBLIC_URL}api/v1/commitments?theme=economy&page=2&per_page=2")
    );
    let beyond = get(&app, &format!("{LIST}?per_page=5&page=9")).await;
    assert_eq!(beyond.status, StatusCode::OK);
    assert_eq!(beyond.json["items"], json!([]));
    assert_eq!(beyond.json["links"]["next"], Value::Null);
    assert_eq!(beyond.json["links"]["prev"], beyond.json["links"]["last"]);
}

both_engines!(bad_queries_are_refused_with_readable_json);
async fn bad_queries_are_refused_with_readable_json(db: store::Db) {
    let app = app(db).await;
    for (query, field, shown) in [
        ("per_page=0", "per_page", "0"),
        ("per_page=1000", "per_page", "1000"),
        ("per_page=ten", "per_page", "ten"),
        ("status=bogus", "status", "bogus"),
        ("page=0", "page", "page"),
        ("theme=sports&per_page=5", "theme", "sports"),
    ] {
        let answer = get(&app, &format!("{LIST}?{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        let error = answer.json["error"].as_str().unwrap();
        let message = answer.json["fields"][field]
            .as_str()
            .unwrap_or_else(|| panic!("{query}: {}", answer.json));
        assert!(error.contains(shown), "{query}: {error}");
        assert!(
            error.contains(message),
            "{query}: the summary names the field's message"
        );
        assert!(message.ends_with('.'), "{query}: a sentence: {message}");
        assert_eq!(answer.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert!(
            answer.headers.get(header::CACHE_CONTROL).is_none(),
            "{query}: errors are not cached"
        );
    }
    let both = get(&app, &format!("{LIST}?status=bogus&per_page=0")).await;
    assert_eq!(
        both.json["fields"].as_object().unwrap().len(),
        2,
        "every bad value at once"
    );
}

both_engines!(unknown_slugs_methods_and_endpoints_are_json_errors);
async fn unknown_slugs_methods_and_endpoints_are_json_errors(db: store::Db) {
    let app = app(db).await;
    for path in [
        "/api/v1/commitments/no-such-commitment",
        "/api/v1/commitments/Not%20A%20Slug",
        "/api/v1/commitments/..%2F..%2Fetc",
        "/api/v1/commitments/fta-phase-two-negotiations/extra",
        "/api/v1/nothing-here",
        "/api/v1",
    ] {
        let answer = get(&app, path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!answer.json["error"].as_str().unwrap().is_empty(), "{path}");
        assert!(answer.json.get("fields").is_none(), "{path}");
    }
    let unknown = get(&app, "/api/v1/commitments/no-such-commitment").await;
    assert!(unknown.json["error"].as_str().unwrap().contains("no-such-commitment"));

    let request = Request::delete(format!("{LIST}/fta-phase-two-negotiations"))
        .header(header::ORIGIN, "https://accord.example")
        .body(Body::empty())
        .unwrap();
    let answer = send(&app, request).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.headers[header::ALLOW], "GET, HEAD");
    assert!(answer.json["error"].as_str().unwrap().contains("read-only"));

    // An API client sends no Origin and may send any body: the site's guards
    // for form posts (403, 415) do not stand in front of the API's 405.
    for method in ["POST", "PUT", "PATCH", "DELETE", "TRACE"] {
        for path in [
            LIST,
            "/api/v1/summits",
            DOCUMENT,
            "/api/v1/commitments/fta-phase-two-negotiations",
        ] {
            let request = Request::builder()
                .method(method)
                .uri(path)
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("x"))
                .unwrap();
            let answer = send(&app, request).await;
            assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert_eq!(answer.headers[header::ALLOW], "GET, HEAD", "{method} {path}");
        }
    }
}

both_engines!(a_commitment_comes_with_its_sources_timeline_and_absolute_url);
async fn a_commitment_comes_with_its_sources_timeline_and_absolute_url(db: store::Db) {
    let app = app(db).await;
    let data = shipped();
    for commitment in &data.commitments {
        let slug = commitment.slug.as_str();
        let answer = get(&app, &format!("{LIST}/{slug}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{slug}");
        let body = &answer.json;
        assert_eq!(body["url"], format!("{PUBLIC_URL}commitments/{slug}"), "{slug}");
        assert_eq!(body["commitment"]["slug"], slug);
        assert_eq!(body["commitment"]["title"], commitment.title.as_str());
        assert_eq!(
            body["commitment"]["overall_status"],
            overall_in_seed(commitment).code(),
            "{slug}"
        );
        assert_eq!(body["summit"]["slug"], data.summit.slug.as_str());
        assert_eq!(body["summit"]["location"], data.summit.location.as_str());

        // Its own sources and every status change's evidence.
        let mut keys: BTreeSet<&str> = commitment.sources.iter().map(String::as_str).collect();
        keys.extend(
            commitment
                .status
                .iter()
                .flat_map(|s| s.sources.iter().map(String::as_str)),
        );
        let expected: BTreeSet<&str> = keys
            .iter()
            .map(|key| data.sources.iter().find(|s| s.key == *key).unwrap().quote.as_str())
            .collect();
        let quotes: BTreeSet<&str> = body["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["quote"].as_str().unwrap())
            .collect();
        assert!(!quotes.is_empty(), "{slug}: sources");
        assert_eq!(quotes, expected, "{slug}: sources");
        assert_eq!(body["commitment"]["source_count"], expected.len(), "{slug}");

        let timeline = body["timeline"].as_array().unwrap();
        assert_eq!(
            timeline.len(),
            commitment.status.len(),
            "{slug}: one entry per status change"
        );
        for entry in timeline {
            let status = entry["status"].as_str().unwrap();
            let party = entry["party"]["code"].as_str().unwrap();
            assert!(
                commitment
                    .status
                    .iter()
                    .any(|s| s.status.code() == status && s.party.as_str() == party && s.note == entry["note"]),
                "{slug}: {entry}"
            );
        }
    }
}

both_engines!(summits_are_listed_with_counts_and_links);
async fn summits_are_listed_with_counts_and_links(db: store::Db) {
    let app = app(db).await;
    let data = shipped();
    let answer = get(&app, SUMMITS).await;
    assert_eq!(answer.status, StatusCode::OK);
    let items = answer.json["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let summit = &items[0];
    assert_eq!(summit["summit"]["slug"], data.summit.slug.as_str());
    assert_eq!(summit["summit"]["held_on"], "2025-11-01");
    assert_eq!(summit["commitment_count"], data.commitments.len());
    let total: u64 = summit["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, data.commitments.len() as u64);
    assert_eq!(summit["url"], format!("{PUBLIC_URL}summits/{}", data.summit.slug));
    let commitments = get(&app, &path_of(&summit["commitments_url"])).await;
    assert_eq!(commitments.json["total"], data.commitments.len());
}

both_engines!(answers_are_cacheable_and_readable_from_any_origin);
async fn answers_are_cacheable_and_readable_from_any_origin(db: store::Db) {
    let app = app(db).await;
    for path in [
        LIST,
        "/api/v1/commitments/fta-phase-two-negotiations",
        SUMMITS,
        DOCUMENT,
    ] {
        let request = Request::get(path)
            .header(header::ORIGIN, "https://newsroom.example")
            .body(Body::empty())
            .unwrap();
        let answer = send(&app, request).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert_eq!(answer.headers[header::CACHE_CONTROL], "public, max-age=60", "{path}");
        assert_eq!(answer.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*", "{path}");
    }
    // A browser's preflight is answered for GET.
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri(LIST)
        .header(header::ORIGIN, "https://newsroom.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .body(Body::empty())
        .unwrap();
    let response = tokio::time::timeout(Duration::from_secs(30), app.clone().oneshot(preflight))
        .await
        .unwrap()
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let methods = response.headers()[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap();
    assert!(methods.contains("GET"), "{methods}");
}

//! The limits the whole site puts on a request before any handler runs — a
//! body larger than any form needs (413) and a request that takes too long
//! (408) — are, under `/api/v1`, answered as the API's OpenAPI document
//! declares: JSON `ErrorBody`, with the status listed for the operation.
//! Schemathesis (api_schemathesis.rs) cannot reach them: it sends no body to
//! an operation that declares none, and never waits 30 s.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::Value;

use crate::support::{self, both_engines};

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
}

async fn document(app: &Router) -> Value {
    let answer = support::respond(app, Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await;
    assert_eq!(answer.status, StatusCode::OK);
    serde_json::from_slice(&answer.body).unwrap()
}

/// `answer` is the JSON error the document declares for `template` and its status.
fn assert_declared_json_error(document: &Value, template: &str, answer: &support::Answer) {
    let status = answer.status.as_u16().to_string();
    let declared = &document["paths"][template]["get"]["responses"][&status];
    assert_eq!(
        declared["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
        "GET {template}: {status} is not declared as an ErrorBody: {declared}"
    );
    assert_eq!(
        answer.header(header::CONTENT_TYPE),
        "application/json",
        "GET {template}: {status}"
    );
    let body: Value = serde_json::from_slice(&answer.body)
        .unwrap_or_else(|_| panic!("GET {template}: {status} body is not JSON: {:?}", answer.body));
    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{body}");
}

both_engines!(a_body_too_large_is_the_apis_declared_413);
async fn a_body_too_large_is_the_apis_declared_413(db: store::Db) {
    let app = support::seeded_site_on_of(db, today(), server::Limits::default()).await;
    let document = document(&app).await;
    let slug = support::shipped().commitments[0].slug.clone();
    let too_large = vec![b'a'; server::MAX_BODY_BYTES + 1];
    for (template, path) in [
        ("/api/v1/commitments", "/api/v1/commitments".to_owned()),
        ("/api/v1/commitments/{slug}", format!("/api/v1/commitments/{slug}")),
        ("/api/v1/summits", "/api/v1/summits".to_owned()),
        ("/api/v1/openapi.json", "/api/v1/openapi.json".to_owned()),
    ] {
        let request = Request::get(&path)
            .header(header::CONTENT_TYPE, "text/plain")
            // As a client over HTTP/1.1 says it: the limit is judged on it.
            .header(header::CONTENT_LENGTH, too_large.len())
            .body(Body::from(too_large.clone()))
            .unwrap();
        let answer = support::respond(&app, request).await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "GET {path}");
        assert_declared_json_error(&document, template, &answer);
    }
}

both_engines!(a_request_past_the_time_limit_is_the_apis_declared_408);
async fn a_request_past_the_time_limit_is_the_apis_declared_408(db: store::Db) {
    // No time at all: the list's query (SQLite runs on its own thread) is
    // still running when the limit is reached.
    let limits = server::Limits {
        request_timeout: std::time::Duration::from_nanos(1),
        ..server::Limits::default()
    };
    let document = document(&support::seeded_site_on_of(db.clone(), today(), server::Limits::default()).await).await;
    let app = support::site_of(db, today(), limits);
    let answer = support::respond(&app, Request::get("/api/v1/commitments").body(Body::empty()).unwrap()).await;
    assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT);
    assert_declared_json_error(&document, "/api/v1/commitments", &answer);
}

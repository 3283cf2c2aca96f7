//! Editing over HTTP: sign-in, authorisation, CSRF refusal, validation and
//! edit conflicts, through the whole router with a real SQLite database.

use crate::support;

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use axum::Router;
use server::router;
use tower::ServiceExt;

use support::{both_engines, on_engine, PASSWORD, SITE};

/// The shared editing site (`support::TestSite`).
type Site = support::TestSite;

async fn site(db: store::Db) -> Site {
    Site::of(db).await
}

fn encode(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// A form post as a browser without JavaScript sends it.
fn form_post(path: &str, fields: &[(&str, &str)], origin: Option<&str>, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::REFERER, format!("{SITE}/commitments/x"));
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(encode(fields))).unwrap()
}

/// The same post from a script that wants JSON back.
fn api_post(path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::ORIGIN, SITE);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(encode(fields))).unwrap()
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, Response<Body>, String) {
    let target = format!("{} {}", request.method(), request.uri());
    // A hung render must fail the test, naming the request, not stall CI.
    let response = tokio::time::timeout(std::time::Duration::from_secs(30), app.clone().oneshot(request))
        .await
        .unwrap_or_else(|_| panic!("no response within 30 s to {target}"))
        .unwrap();
    let status = response.status();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 16 * 1024 * 1024).await.unwrap();
    (
        status,
        Response::from_parts(parts, Body::empty()),
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn session_cookie(response: &Response<Body>) -> Option<String> {
    support::session_set_cookie(response.headers())
}

async fn sign_in(site: &Site, name: &str) -> String {
    site.sign_in(name).await
}

fn status_fields<'a>(slug: &'a str, version: &'a str, source: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", slug),
        ("version", version),
        ("party", "kr"),
        ("status", "in_progress"),
        ("effective_on", "2026-03-01"),
        ("note", "Negotiators met in Seoul."),
        ("source_ids[]", source),
    ]
}

async fn status_updates(db: &store::Db) -> i64 {
    on_engine!(db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM status_updates")
        .fetch_one(pool)
        .await
        .unwrap())
}

both_engines!(sign_in_sets_a_safe_session_cookie);
async fn sign_in_sets_a_safe_session_cookie(db: store::Db) {
    let site = site(db).await;
    let (status, response, _) = send(
        &site.app,
        form_post(
            "/api/login",
            &[("name", "alice"), ("password", PASSWORD)],
            Some(SITE),
            None,
        ),
    )
    .await;
    assert!(status.is_redirection());
    let cookie = session_cookie(&response).unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http public URL: {cookie}");
    let cookie = cookie.split(';').next().unwrap();
    let (_, _, page) = send(
        &site.app,
        Request::get("/")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(page.contains("Signed in as"), "the header shows the editor");
}

both_engines!(wrong_credentials_get_one_vague_message_and_an_addresss_repeated_failures_are_refused);
async fn wrong_credentials_get_one_vague_message_and_an_addresss_repeated_failures_are_refused(db: store::Db) {
    let site = site(db).await;
    for (name, password) in [("alice", "wrong password"), ("nobody", PASSWORD)] {
        let (status, _, body) = send(
            &site.app,
            api_post("/api/login", &[("name", name), ("password", password)], None),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("do not match an enabled account"), "{body}");
    }
    // Every request here comes from one address (no connection: the
    // router's tests have none), which has failed twice already: three more
    // failures reach its limit of five, and then it waits, whatever the
    // name or password. (`readme_promises.rs` tells the account's limit
    // from the address's, each request from an address of its own.)
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let (status, _, _) = send(
            &site.app,
            api_post("/api/login", &[("name", "bob"), ("password", "guess")], None),
        )
        .await;
        statuses.push(status.as_u16());
    }
    assert_eq!(statuses, [422, 422, 422, 429]);
    let (status, _, body) = send(
        &site.app,
        api_post("/api/login", &[("name", "alice"), ("password", PASSWORD)], None),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the address waits, even with another account's right password: {body}"
    );
    assert!(body.contains("Too many failed sign-in attempts"));
}

both_engines!(simultaneous_wrong_passwords_get_no_more_tries_than_the_limit);
/// A burst of simultaneous guesses gets no more tries than one guesser
/// would: each attempt is counted before its password is checked.
async fn simultaneous_wrong_passwords_get_no_more_tries_than_the_limit(db: store::Db) {
    let site = site(db).await;
    let guesses = (0..16).map(|i| {
        let app = site.app.clone();
        let password = format!("guess {i}");
        tokio::spawn(async move {
            let (status, _, body) = send(
                &app,
                api_post("/api/login", &[("name", "bob"), ("password", &password)], None),
            )
            .await;
            (status, body)
        })
    });
    let mut refused_as_wrong = 0;
    let mut told_to_wait = 0;
    for guess in guesses.collect::<Vec<_>>() {
        let (status, body) = guess.await.unwrap();
        match status {
            StatusCode::UNPROCESSABLE_ENTITY => refused_as_wrong += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(body.contains("Too many failed sign-in attempts"), "{body}");
                told_to_wait += 1
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(
        (refused_as_wrong, told_to_wait),
        (5, 11),
        "only five passwords were checked"
    );
}

both_engines!(many_editors_signing_in_at_once_from_one_address_all_get_in);
/// Many editors signing in at once from one address (an office behind one
/// router) are not taken for a guesser: their attempts are undecided only
/// while their password is checked.
async fn many_editors_signing_in_at_once_from_one_address_all_get_in(db: store::Db) {
    let site = site(db).await;
    let names: Vec<String> = (0..12).map(|i| format!("editor{i:02}")).collect();
    for name in &names {
        store::users::create_user(&site.db, name, domain::Role::Editor, PASSWORD, chrono::Utc::now())
            .await
            .unwrap();
    }
    let sign_ins = names.iter().map(|name| {
        let app = site.app.clone();
        let name = name.clone();
        tokio::spawn(async move {
            let (status, response, body) = send(
                &app,
                api_post("/api/login", &[("name", &name), ("password", PASSWORD)], None),
            )
            .await;
            (status, session_cookie(&response).is_some(), body)
        })
    });
    for sign_in in sign_ins.collect::<Vec<_>>() {
        let (status, has_cookie, body) = sign_in.await.unwrap();
        assert!(status.is_success() && has_cookie, "{status}: {body}");
    }
}

both_engines!(anonymous_status_changes_are_refused_and_write_nothing);
async fn anonymous_status_changes_are_refused_and_write_nothing(db: store::Db) {
    let site = site(db).await;
    let before = status_updates(&site.db).await;
    let source = site.source_id.to_string();
    let fields = status_fields(&site.slug, "1", &source);
    let (status, _, body) = send(&site.app, api_post("/api/update_status", &fields, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body.contains("Unauthorized"));
    assert_eq!(status_updates(&site.db).await, before);
}

both_engines!(cross_origin_and_originless_posts_are_refused_even_when_signed_in);
async fn cross_origin_and_originless_posts_are_refused_even_when_signed_in(db: store::Db) {
    let site = site(db).await;
    let cookie = sign_in(&site, "alice").await;
    let before = status_updates(&site.db).await;
    let source = site.source_id.to_string();
    let fields = status_fields(&site.slug, "1", &source);
    for origin in [
        Some("https://evil.example"),
        Some("null"),
        Some("http://127.0.0.1:3001"),
    ] {
        let (status, _, body) = send(
            &site.app,
            form_post("/api/update_status", &fields, origin, Some(&cookie)),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{origin:?}: {body}");
        assert!(body.contains("came from another site"));
    }
    let mut bare = form_post("/api/update_status", &fields, None, Some(&cookie));
    bare.headers_mut().remove(header::REFERER);
    let (status, _, body) = send(&site.app, bare).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("no Origin or Referer"));
    // Sign-in and sign-out are state changes too.
    let (status, _, _) = send(
        &site.app,
        form_post(
            "/api/login",
            &[("name", "alice"), ("password", PASSWORD)],
            Some("https://evil.example"),
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(status_updates(&site.db).await, before);
}

both_engines!(an_editor_records_a_status_change_without_javascript);
async fn an_editor_records_a_status_change_without_javascript(db: store::Db) {
    let site = site(db).await;
    let cookie = site.sign_in("alice").await;
    let source = site.source_id.to_string();
    let fields = status_fields(&site.slug, "1", &source);
    let saved = site.post_form("/api/update_status", &fields, Some(&cookie)).await;
    assert!(saved.status.is_redirection(), "{}: {}", saved.status, saved.text());
    let location = saved.header(header::LOCATION);
    assert!(
        location.starts_with(&format!("/commitments/{}#update-", site.slug)),
        "{location}"
    );
    assert_eq!(site.version_of(&site.slug).await, 2, "the change is a new version");
    let page = site.get(&format!("/commitments/{}", site.slug), None).await.text();
    assert!(page.contains("Negotiators met in Seoul."));
    assert!(
        page.contains("Recorded by <!>alice") || page.contains("Recorded by alice"),
        "credited to alice"
    );
}

both_engines!(invalid_input_is_a_422_with_field_messages_and_the_input_kept);
async fn invalid_input_is_a_422_with_field_messages_and_the_input_kept(db: store::Db) {
    let site = site(db).await;
    let cookie = sign_in(&site, "alice").await;
    let fields = [
        ("slug", site.slug.as_str()),
        ("version", "1"),
        ("party", "kr"),
        ("status", "no_action"),
        ("effective_on", "2026-02-30"),
        ("note", "Kept <b>note</b>"),
    ];
    let before = status_updates(&site.db).await;
    let (status, _, body) = send(&site.app, api_post("/api/update_status", &fields, Some(&cookie))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for field in ["status", "effective_on", "source_ids"] {
        assert!(body.contains(&format!("\"{field}\":")), "{field}: {body}");
    }
    assert!(body.contains("Kept <b>note</b>"), "the input comes back: {body}");
    assert_eq!(status_updates(&site.db).await, before);

    // Without JavaScript the error reaches the page the redirect leads to
    // (server::flash), which shows it next to the fields with the note
    // still typed in.
    let mut post = form_post("/api/update_status", &fields, Some(SITE), Some(&cookie));
    let page_url = format!("{SITE}/commitments/{}", site.slug);
    post.headers_mut().insert(header::REFERER, page_url.parse().unwrap());
    let (status, response, _) = send(&site.app, post).await;
    assert!(status.is_redirection());
    let location = response
        .headers()
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let path = location.trim_start_matches(SITE);
    // The refusal waits on the server; the browser holds its flash cookie.
    let flash = support::flash_cookie(response.headers()).expect("a flash cookie with the redirect");
    let (_, _, page) = send(
        &site.app,
        Request::get(path)
            .header(header::COOKIE, format!("{cookie}; {flash}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        page.contains("Choose a status from the list."),
        "field message on the page"
    );
    let textarea = &page[page.find(r#"<textarea id="note""#).unwrap()..];
    let textarea = &textarea[..textarea.find("</textarea>").unwrap()];
    assert!(
        textarea.contains("Kept &lt;b&gt;note&lt;/b&gt;"),
        "typed note kept, escaped: {textarea}"
    );
}

both_engines!(a_stale_form_gets_a_409_naming_who_changed_it);
async fn a_stale_form_gets_a_409_naming_who_changed_it(db: store::Db) {
    let site = site(db).await;
    let alice = sign_in(&site, "alice").await;
    let bob = sign_in(&site, "bob").await;
    let source = site.source_id.to_string();
    let fields = status_fields(&site.slug, "1", &source);
    let (status, _, _) = send(&site.app, api_post("/api/update_status", &fields, Some(&alice))).await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let before = status_updates(&site.db).await;
    let (status, _, body) = send(&site.app, api_post("/api/update_status", &fields, Some(&bob))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("alice changed this commitment"), "{body}");
    assert!(
        body.contains("Negotiators met in Seoul."),
        "bob's input is returned: {body}"
    );
    assert_eq!(status_updates(&site.db).await, before);
}

both_engines!(sign_out_ends_the_session);
async fn sign_out_ends_the_session(db: store::Db) {
    let site = site(db).await;
    let cookie = sign_in(&site, "alice").await;
    let (status, _, _) = send(&site.app, form_post("/api/logout", &[], Some(SITE), Some(&cookie))).await;
    assert!(status.is_redirection());
    let source = site.source_id.to_string();
    let (status, _, _) = send(
        &site.app,
        api_post(
            "/api/update_status",
            &status_fields(&site.slug, "1", &source),
            Some(&cookie),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the old cookie is worthless");
}

both_engines!(the_user_command_reads_the_password_from_standard_input);
async fn the_user_command_reads_the_password_from_standard_input(db: store::Db) {
    use server::config::UserCommand;
    let mut out = Vec::new();
    let add = UserCommand::Add {
        name: "carol".into(),
        role: "admin".into(),
    };
    server::users::run_user_command(&db, add, &mut "a long enough password\n".as_bytes(), &mut out)
        .await
        .unwrap();
    let short = UserCommand::Add {
        name: "dave".into(),
        role: "editor".into(),
    };
    let err = server::users::run_user_command(&db, short, &mut "short\n".as_bytes(), &mut out)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("at least 12"), "{err}");
    server::users::run_user_command(&db, UserCommand::List, &mut "".as_bytes(), &mut out)
        .await
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("created admin account `carol`"));
    assert!(text.contains("carol\tadmin\tactive"));
    assert!(!text.contains("dave"));
    assert!(store::users::verify_credentials(&db, "carol", "a long enough password")
        .await
        .unwrap()
        .is_some());
}

both_engines!(an_editor_can_revert_to_the_state_the_summits_data_loaded);
async fn an_editor_can_revert_to_the_state_the_summits_data_loaded(db: store::Db) {
    let site = site(db).await;
    let alice = site.sign_in("alice").await;
    // Read as the editor: pages rendered for them are never cached.
    let before = site
        .get(&format!("/commitments/{}", site.slug), Some(&alice))
        .await
        .text();
    let source = site.source_id.to_string();
    let saved = site
        .post_form(
            "/api/update_status",
            &status_fields(&site.slug, "1", &source),
            Some(&alice),
        )
        .await;
    assert!(saved.status.is_redirection(), "{}", saved.text());
    let changed = site
        .get(&format!("/commitments/{}", site.slug), Some(&alice))
        .await
        .text();
    let history_path = format!("/commitments/{}/history", site.slug);
    let history = site.get(&history_path, Some(&alice)).await.text();
    assert!(
        history.contains("Revert to version 1"),
        "the seeded version is offered to editors"
    );
    let fields = [("slug", site.slug.as_str()), ("to_version", "1"), ("version", "2")];
    let reverted = site.post_form("/api/revert_commitment", &fields, Some(&alice)).await;
    assert!(
        reverted.status.is_redirection(),
        "{}: {}",
        reverted.status,
        reverted.text()
    );
    assert_eq!(site.version_of(&site.slug).await, 3, "the revert is a new version");
    // The overall status and each party's, as the permalink's status panel
    // shows them (their dates differ: a revert is dated the day it is made).
    let statuses = |page: &str| {
        let start = page.find(r#"<div class="status-grid">"#).expect("the status panel");
        let end = start + page[start..].find("</section>").expect("the end of the panel");
        let shown: Vec<String> = page[start..end]
            .split(r#"class="badge status-"#)
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
            .collect();
        assert_eq!(shown.len(), 3, "overall and both parties: {shown:?}");
        shown
    };
    assert_ne!(statuses(&changed), statuses(&before), "the change showed");
    let after = site
        .get(&format!("/commitments/{}", site.slug), Some(&alice))
        .await
        .text();
    assert_eq!(
        statuses(&after),
        statuses(&before),
        "every status is back where the summit's data put it"
    );
    // A version that never existed is refused, naming it.
    let fields = [("slug", site.slug.as_str()), ("to_version", "9"), ("version", "3")];
    let (status, _, body) = send(&site.app, api_post("/api/revert_commitment", &fields, Some(&alice))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("There is no version 9 of this commitment"), "{body}");
    assert_eq!(site.version_of(&site.slug).await, 3, "nothing was written");
}

both_engines!(history_is_public_and_revert_needs_an_editor);
async fn history_is_public_and_revert_needs_an_editor(db: store::Db) {
    let site = site(db).await;
    let alice = sign_in(&site, "alice").await;
    let source = site.source_id.to_string();
    send(
        &site.app,
        api_post(
            "/api/update_status",
            &status_fields(&site.slug, "1", &source),
            Some(&alice),
        ),
    )
    .await;
    let history_path = format!("/commitments/{}/history", site.slug);
    let (status, _, page) = send(&site.app, Request::get(&history_path).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Version 2"));
    assert!(
        page.contains("Status of South Korea: Not yet rated → In progress"),
        "what changed is shown, naming the party as every other page does"
    );
    assert!(!page.contains("Status of kr"), "no raw party codes");
    assert!(
        page.contains("Version 1"),
        "the state the summit's data loaded is listed"
    );
    assert!(!page.contains("Revert to version"), "readers get no revert button");
    let (status, _, _) = send(
        &site.app,
        Request::get("/commitments/nope/history").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let fields = [("slug", site.slug.as_str()), ("to_version", "2"), ("version", "2")];
    let (status, _, _) = send(&site.app, api_post("/api/revert_commitment", &fields, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = send(
        &site.app,
        form_post(
            "/api/revert_commitment",
            &fields,
            Some("https://evil.example"),
            Some(&alice),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let revisions: i64 = on_engine!(site.db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM revisions")
        .fetch_one(pool)
        .await
        .unwrap());
    assert_eq!(revisions, 1, "refused reverts wrote nothing");
}

both_engines!(commitments_are_created_and_edited_by_editors_only);
async fn commitments_are_created_and_edited_by_editors_only(db: store::Db) {
    let site = site(db).await;
    let alice = sign_in(&site, "alice").await;
    let new = [
        ("title", "Reopen ferry routes"),
        ("summary", "Both sides agreed."),
        ("theme", "people_to_people"),
        ("proposed_by", "joint"),
        ("owed_by[]", "cn"),
        ("owed_by[]", "kr"),
        ("summit", "xi-lee-2025-11-01"),
    ];
    let before: i64 = on_engine!(site.db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM commitments")
        .fetch_one(pool)
        .await
        .unwrap());
    let (status, _, _) = send(&site.app, api_post("/api/save_commitment", &new, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = send(
        &site.app,
        form_post("/api/save_commitment", &new, Some("https://evil.example"), Some(&alice)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let after: i64 = on_engine!(site.db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM commitments")
        .fetch_one(pool)
        .await
        .unwrap());
    assert_eq!(before, after, "refused requests created nothing");

    let (status, response, body) = send(
        &site.app,
        form_post("/api/save_commitment", &new, Some(SITE), Some(&alice)),
    )
    .await;
    assert!(status.is_redirection(), "{status}: {body}");
    assert_eq!(
        response.headers().get(header::LOCATION).unwrap(),
        "/commitments/reopen-ferry-routes"
    );
    let (status, _, page) = send(&site.app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Reopen ferry routes"), "listed on the front page");

    let mut edit: Vec<(&str, &str)> = new.to_vec();
    edit[0] = ("title", "Reopen all ferry routes");
    edit.push(("slug", "reopen-ferry-routes"));
    edit.push(("version", "1"));
    let (status, _, body) = send(&site.app, api_post("/api/save_commitment", &edit, Some(&alice))).await;
    assert!(status.is_success() || status.is_redirection(), "{status}: {body}");
    let (status, _, body) = send(&site.app, api_post("/api/save_commitment", &edit, Some(&alice))).await;
    assert_eq!(status, StatusCode::CONFLICT, "the same version twice: {body}");
    let (_, _, page) = send(
        &site.app,
        Request::get("/commitments/reopen-ferry-routes")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(page.contains("Reopen all ferry routes"));

    let (status, _, _) = send(
        &site.app,
        Request::get("/editor/new-commitment").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "readers are told to sign in");
    let (status, _, page) = send(
        &site.app,
        Request::get("/editor/new-commitment")
            .header(header::COOKIE, &alice)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Save commitment"));
}

both_engines!(sources_change_only_for_editors_from_this_site);
async fn sources_change_only_for_editors_from_this_site(db: store::Db) {
    let site = site(db).await;
    let alice = sign_in(&site, "alice").await;
    let add = [
        ("slug", site.slug.as_str()),
        ("version", "1"),
        ("action", "add"),
        ("source_publisher", "Yonhap"),
        ("source_title", "Ferry talks"),
        ("source_published_on", "2026-02-01"),
        ("source_url", "https://example.org/f"),
        ("source_quote", "Officials met."),
        ("source_kind", "media_report"),
    ];
    let count = || async {
        on_engine!(site.db, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM sources"
        )
        .fetch_one(pool)
        .await
        .unwrap())
    };
    let before = count().await;
    assert_eq!(
        send(&site.app, api_post("/api/change_source", &add, None)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let cross = form_post("/api/change_source", &add, Some("https://evil.example"), Some(&alice));
    assert_eq!(send(&site.app, cross).await.0, StatusCode::FORBIDDEN);
    assert_eq!(count().await, before);
    let mut bad = add.to_vec();
    bad[6] = ("source_url", "javascript:alert(1)");
    let (status, _, body) = send(&site.app, api_post("/api/change_source", &bad, Some(&alice))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Only http"), "{body}");
    let (status, _, body) = send(&site.app, api_post("/api/change_source", &add, Some(&alice))).await;
    assert!(status.is_success() || status.is_redirection(), "{status}: {body}");
    assert_eq!(count().await, before + 1);
}

fn suggestion<'a>(slug: &'a str, note: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", slug),
        ("party", "all"),
        ("status", "in_progress"),
        ("effective_on", "2026-05-01"),
        ("note", note),
        ("source_publisher", "Yonhap"),
        ("source_title", "Talks"),
        ("source_published_on", "2026-05-01"),
        ("source_url", ""),
        ("source_quote", "Talks began."),
        ("source_kind", "media_report"),
        ("contact", ""),
        ("website", ""),
    ]
}

both_engines!(readers_suggest_and_editors_decide);
async fn readers_suggest_and_editors_decide(db: store::Db) {
    let site = site(db).await;
    let pending = || async {
        on_engine!(site.db, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM suggestions WHERE state = 'pending'"
        )
        .fetch_one(pool)
        .await
        .unwrap())
    };
    let updates_before = status_updates(&site.db).await;
    // Anyone may suggest, from this site only; nothing changes yet.
    let form = suggestion(&site.slug, "Seen in the news.");
    let cross = form_post("/api/suggest_update", &form, Some("https://evil.example"), None);
    assert_eq!(send(&site.app, cross).await.0, StatusCode::FORBIDDEN);
    let (status, _, body) = send(&site.app, api_post("/api/suggest_update", &form, None)).await;
    assert!(status.is_success() || status.is_redirection(), "{status}: {body}");
    assert_eq!(pending().await, 1);
    assert_eq!(
        status_updates(&site.db).await,
        updates_before,
        "a suggestion changes nothing by itself"
    );

    // The honeypot: accepted in appearance, stored nowhere.
    let mut bot = suggestion(&site.slug, "Buy now");
    bot.last_mut().unwrap().1 = "http://spam.example";
    let (status, _, _) = send(&site.app, api_post("/api/suggest_update", &bot, None)).await;
    assert!(status.is_success() || status.is_redirection());
    assert_eq!(pending().await, 1);

    // Without a source it is refused with field messages.
    let mut sourceless = suggestion(&site.slug, "No source");
    for field in sourceless.iter_mut().filter(|(k, _)| k.starts_with("source_")) {
        field.1 = "";
    }
    let (status, _, body) = send(&site.app, api_post("/api/suggest_update", &sourceless, None)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("A suggestion needs a source"), "{body}");

    // Per-address limit (requests in tests come from "unknown").
    for i in 0..4 {
        let note = format!("Another {i}");
        send(
            &site.app,
            api_post("/api/suggest_update", &suggestion(&site.slug, &note), None),
        )
        .await;
    }
    let (status, _, body) = send(
        &site.app,
        api_post("/api/suggest_update", &suggestion(&site.slug, "One too many"), None),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(pending().await, 5);

    // The queue is for editors.
    let (status, _, _) = send(&site.app, Request::get("/review").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let alice = sign_in(&site, "alice").await;
    let (status, _, page) = send(
        &site.app,
        Request::get("/review")
            .header(header::COOKIE, &alice)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Seen in the news."));

    let first: i64 = on_engine!(site.db, |pool| sqlx::query_scalar("SELECT MIN(id) FROM suggestions")
        .fetch_one(pool)
        .await
        .unwrap());
    let id = first.to_string();
    let accept = [("id", id.as_str()), ("decision", "accept")];
    assert_eq!(
        send(&site.app, api_post("/api/decide_suggestion", &accept, None))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let (status, _, body) = send(&site.app, api_post("/api/decide_suggestion", &accept, Some(&alice))).await;
    assert!(status.is_success() || status.is_redirection(), "{status}: {body}");
    assert_eq!(
        status_updates(&site.db).await,
        updates_before + 2,
        "both parties' statuses changed"
    );
    let (status, _, body) = send(&site.app, api_post("/api/decide_suggestion", &accept, Some(&alice))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "decided once only: {body}");
    let (_, _, page) = send(
        &site.app,
        Request::get(format!("/commitments/{}", site.slug))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(page.contains("Seen in the news. (Suggested by a reader, accepted by alice.)"));

    let second = (first + 1).to_string();
    let no_reason = [("id", second.as_str()), ("decision", "reject"), ("reason", " ")];
    let (status, _, body) = send(&site.app, api_post("/api/decide_suggestion", &no_reason, Some(&alice))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let reject = [
        ("id", second.as_str()),
        ("decision", "reject"),
        ("reason", "The source does not say this."),
    ];
    let (status, _, _) = send(&site.app, api_post("/api/decide_suggestion", &reject, Some(&alice))).await;
    assert!(status.is_success() || status.is_redirection());
    assert_eq!(pending().await, 3);
}

both_engines!(malformed_bodies_are_client_errors_not_500s);
async fn malformed_bodies_are_client_errors_not_500s(db: store::Db) {
    let site = site(db).await;
    let alice = sign_in(&site, "alice").await;
    for (path, body) in [
        ("/api/update_status", "slug=x"),
        ("/api/update_status", "%%%&&&=="),
        ("/api/login", ""),
        ("/api/suggest_update", "slug=a&note[]=x"),
        ("/api/save_commitment", "title=x"),
        ("/api/change_source", "\u{0}\u{1}"),
    ] {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::ORIGIN, SITE)
            .header(header::COOKIE, &alice)
            .body(Body::from(body))
            .unwrap();
        let (status, _, text) = send(&site.app, request).await;
        assert!(status.is_client_error(), "{path} {body:?}: {status} {text}");
        assert!(!text.is_empty());
    }
}

both_engines!(every_mutating_endpoint_refuses_anonymous_and_cross_origin_callers);
/// Every state-changing server function, refused for anonymous callers
/// (except the public ones) and for cross-origin callers even when signed in,
/// with nothing written either way.
async fn every_mutating_endpoint_refuses_anonymous_and_cross_origin_callers(db: store::Db) {
    let site = site(db).await;
    let alice = sign_in(&site, "alice").await;
    let source = site.source_id.to_string();
    let slug = site.slug.as_str();
    // (server function, a valid-looking body, whether it needs an editor)
    type Endpoint<'a> = (&'a str, Vec<(&'a str, &'a str)>, bool);
    let endpoints: Vec<Endpoint> = vec![
        ("/api/update_status", status_fields(slug, "1", &source), true),
        (
            "/api/save_commitment",
            vec![
                ("title", "T"),
                ("summary", "S"),
                ("theme", "economy"),
                ("proposed_by", "joint"),
                ("owed_by[]", "cn"),
                ("summit", "xi-lee-2025-11-01"),
            ],
            true,
        ),
        (
            "/api/change_source",
            vec![
                ("slug", slug),
                ("version", "1"),
                ("action", "remove"),
                ("source_id", &source),
            ],
            true,
        ),
        (
            "/api/revert_commitment",
            vec![("slug", slug), ("to_version", "1"), ("version", "1")],
            true,
        ),
        (
            "/api/decide_suggestion",
            vec![("id", "1"), ("decision", "reject"), ("reason", "r")],
            true,
        ),
        (
            "/api/save_translation",
            vec![
                ("slug", slug),
                ("version", "1"),
                ("language", "ko"),
                ("title", "제목"),
                ("summary", "요약"),
            ],
            true,
        ),
        ("/api/suggest_update", suggestion(slug, "x"), false),
        ("/api/login", vec![("name", "alice"), ("password", PASSWORD)], false),
        ("/api/logout", vec![], false),
    ];
    let snapshot = |db: store::Db| async move {
        let mut counts = Vec::new();
        for table in [
            "commitments",
            "commitment_translations",
            "sources",
            "commitment_sources",
            "status_updates",
            "revisions",
            "suggestions",
        ] {
            let n: i64 = on_engine!(db, |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table}"
            )))
            .fetch_one(pool)
            .await
            .unwrap());
            counts.push(n);
        }
        counts
    };
    let before = snapshot(site.db.clone()).await;
    for (path, fields, editors_only) in &endpoints {
        let (status, _, body) = send(
            &site.app,
            form_post(path, fields, Some("https://evil.example"), Some(&alice)),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path} cross-origin: {body}");
        if *editors_only {
            let (status, _, body) = send(&site.app, api_post(path, fields, None)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path} anonymous: {body}");
        }
    }
    assert_eq!(
        snapshot(site.db.clone()).await,
        before,
        "refused requests wrote nothing"
    );
    // The cross-origin logout did not end the session either.
    let (_, _, page) = send(
        &site.app,
        Request::get("/")
            .header(header::COOKIE, &alice)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(page.contains("Signed in as"));
}

both_engines!(the_session_cookie_is_secure_when_the_site_is_https);
async fn the_session_cookie_is_secure_when_the_site_is_https(db: store::Db) {
    store::users::create_user(&db, "alice", domain::Role::Editor, PASSWORD, chrono::Utc::now())
        .await
        .unwrap();
    let app = router(support::state_of(db, "https://accord.example/", "target/site"));
    let request = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::ORIGIN, "https://accord.example")
        .body(Body::from(encode(&[("name", "alice"), ("password", PASSWORD)])))
        .unwrap();
    let (status, response, _) = send(&app, request).await;
    assert!(status.is_redirection());
    let cookie = session_cookie(&response).unwrap();
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

/// Whether `cookie` still belongs to a signed-in editor.
async fn is_signed_in(site: &Site, cookie: &str) -> bool {
    let (status, _, body) = send(
        &site.app,
        Request::get("/api/whoami")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.contains("alice")
}

both_engines!(signing_in_rotates_the_session_id);
async fn signing_in_rotates_the_session_id(db: store::Db) {
    let site = site(db).await;
    let first = sign_in(&site, "alice").await;
    // Signing in again from the same browser (a fixation attempt would plant
    // the first id) issues a new id and retires the old one.
    let fields = [("name", "alice"), ("password", PASSWORD)];
    let (status, response, _) = send(&site.app, form_post("/api/login", &fields, Some(SITE), Some(&first))).await;
    assert!(status.is_redirection());
    let second = session_cookie(&response).expect("a new cookie");
    let second = second.split(';').next().unwrap().to_owned();
    assert_ne!(first, second, "the session id changed");
    assert!(is_signed_in(&site, &second).await);
    assert!(!is_signed_in(&site, &first).await, "the old id is worthless");
}

both_engines!(sessions_expire_after_inactivity);
async fn sessions_expire_after_inactivity(db: store::Db) {
    let site = site(db).await;
    let cookie = sign_in(&site, "alice").await;
    assert!(is_signed_in(&site, &cookie).await);
    // Eight hours without a request: the stored expiry has passed.
    let past = (chrono::Utc::now() - chrono::Duration::hours(9)).timestamp();
    on_engine!(site.db, |pool| sqlx::query("UPDATE sessions SET expires_at = $1")
        .bind(past)
        .execute(pool)
        .await
        .unwrap()
        .rows_affected());
    assert!(!is_signed_in(&site, &cookie).await);
    let (status, _, _) = send(
        &site.app,
        api_post(
            "/api/update_status",
            &status_fields(&site.slug, "1", &site.source_id.to_string()),
            Some(&cookie),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

both_engines!(a_password_change_or_disabling_ends_sessions_at_once);
async fn a_password_change_or_disabling_ends_sessions_at_once(db: store::Db) {
    let site = site(db).await;
    let cookie = sign_in(&site, "alice").await;
    assert!(is_signed_in(&site, &cookie).await);
    store::users::set_password(&site.db, "alice", "a brand new password", chrono::Utc::now())
        .await
        .unwrap();
    assert!(
        !is_signed_in(&site, &cookie).await,
        "a password change signs every browser out"
    );

    let fields = [("name", "alice"), ("password", "a brand new password")];
    let (_, response, _) = send(&site.app, form_post("/api/login", &fields, Some(SITE), None)).await;
    let cookie = session_cookie(&response).unwrap().split(';').next().unwrap().to_owned();
    assert!(is_signed_in(&site, &cookie).await);
    store::users::set_disabled(&site.db, "alice", true, chrono::Utc::now())
        .await
        .unwrap();
    assert!(
        !is_signed_in(&site, &cookie).await,
        "a disabled account is signed out at once"
    );
    let (status, _, _) = send(
        &site.app,
        api_post(
            "/api/update_status",
            &status_fields(&site.slug, "1", &site.source_id.to_string()),
            Some(&cookie),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// `count` status changes on the site's commitment, through the store's
/// write path as an editor's form records them (a revision each).
async fn record_changes(site: &Site, count: i64) {
    let slug = domain::Slug::parse(&site.slug).unwrap();
    let id = on_engine!(site.db, |pool| sqlx::query_scalar(
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
    let start = site.version_of(&site.slug).await;
    for n in 0..count {
        let status = [domain::Status::InProgress, domain::Status::Stalled][(n % 2) as usize];
        let change = domain::StatusChange {
            parties: domain::PartyChoice::One(domain::PartyCode::parse("kr").unwrap()),
            status,
            effective_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            note: format!("Report {n}."),
            source_ids: vec![site.source_id],
            new_source: None,
            expected_version: start + n,
        };
        store::editing::record_status_change(&site.db, &slug, &change, &editor, chrono::Utc::now())
            .await
            .unwrap();
    }
}

/// Whether `page` shows the revision of `version` (its anchor).
fn shows_version(page: &str, version: i64) -> bool {
    page.contains(&format!("id=\"version-{version}\""))
}

both_engines!(a_long_history_comes_in_pages_with_first_and_next_links_in_every_language);
async fn a_long_history_comes_in_pages_with_first_and_next_links_in_every_language(db: store::Db) {
    let site = site(db).await;
    record_changes(&site, 120).await;
    // Versions 121 (newest) down to 1 (the summit's data): pages of 50.
    assert_eq!(site.version_of(&site.slug).await, 121);
    let slug = &site.slug;
    for (prefix, older_words, newest_words) in [
        ("", "Older changes →", "← Newest changes"),
        ("/ko", "이전 수정 내역 →", "← 최신 수정 내역"),
        ("/zh", "更早的修改 →", "← 最新修改"),
    ] {
        let first_path = format!("{prefix}/commitments/{slug}/history");
        let (status, _, first) = send(&site.app, Request::get(&first_path).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{first_path}");
        assert!(shows_version(&first, 121) && shows_version(&first, 72), "{first_path}");
        assert!(!shows_version(&first, 71), "{first_path}: one page of 50");
        let next_href = format!("{first_path}?before=72");
        assert!(
            first.contains(&format!("<a href=\"{next_href}\" rel=\"next\">{older_words}</a>")),
            "{first_path} links to the next page: {first}"
        );
        assert!(!first.contains(newest_words), "{first_path} is the newest page");

        let (status, _, second) = send(&site.app, Request::get(&next_href).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{next_href}");
        assert!(shows_version(&second, 71) && shows_version(&second, 22), "{next_href}");
        assert!(
            !shows_version(&second, 72) && !shows_version(&second, 21),
            "{next_href}"
        );
        assert!(
            second.contains(&format!("<a href=\"{first_path}\" rel=\"first\">{newest_words}</a>")),
            "{next_href} links to the newest page"
        );
        assert!(
            second.contains(&format!("href=\"{first_path}?before=22\"")),
            "{next_href}"
        );

        // The last page ends with the state the summit's data loaded, and
        // links to nothing older.
        let last_path = format!("{first_path}?before=22");
        let (status, _, last) = send(&site.app, Request::get(&last_path).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(shows_version(&last, 21) && shows_version(&last, 1), "{last_path}");
        assert!(!last.contains("rel=\"next\""), "{last_path}");
    }
}

both_engines!(a_history_cursor_that_is_no_version_is_a_400_that_says_so);
async fn a_history_cursor_that_is_no_version_is_a_400_that_says_so(db: store::Db) {
    let site = site(db).await;
    let slug = &site.slug;
    for (prefix, message) in [
        ("", "“before” must be a version number"),
        (
            "/ko",
            "“before”에는 수정 이력의 링크에 있는 것처럼 버전 번호가 와야 합니다",
        ),
        ("/zh", "“before”必须是版本号"),
    ] {
        for garbage in ["abc", "0", "-5", "7.5", "", "99999999999999999999999"] {
            let path = format!("{prefix}/commitments/{slug}/history?before={garbage}");
            let (status, _, page) = send(&site.app, Request::get(&path).body(Body::empty()).unwrap()).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
            assert!(page.contains(message), "{path}: {page}");
            assert!(
                page.contains(&format!("href=\"{prefix}/commitments/{slug}/history\"")),
                "{path} links to the newest changes"
            );
        }
    }
    // A version beyond the newest is a page like any other: the newest.
    let path = format!("/commitments/{slug}/history?before=1000");
    let (status, _, _) = send(&site.app, Request::get(&path).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
}

both_engines!(the_permalink_shows_the_latest_twenty_changes_and_links_to_the_history);
async fn the_permalink_shows_the_latest_twenty_changes_and_links_to_the_history(db: store::Db) {
    let site = site(db).await;
    record_changes(&site, 60).await;
    let total: i64 = on_engine!(site.db, |pool| sqlx::query_scalar(
        "SELECT count(*) FROM status_updates su JOIN commitments c ON c.id = su.commitment_id WHERE c.slug = $1",
    )
    .bind(&site.slug)
    .fetch_one(pool)
    .await
    .unwrap());
    let path = format!("/commitments/{}", site.slug);
    let (status, _, page) = send(&site.app, Request::get(&path).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("class=\"timeline-entry\"").count(), 20);
    assert!(page.contains("Report 59."), "the latest change is shown");
    assert!(page.contains("Report 40."), "the 20th latest too");
    assert!(!page.contains("Report 39."), "the 21st latest is not");
    assert!(
        page.contains(&format!("Showing the latest 20 of {total} status changes")),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"/commitments/{}/history\"", site.slug)));
}

//! Forms cannot be pre-filled by a link (issue 15, point 8): a form's
//! refusal and the values it carries reach the page only through the
//! posting browser's own flash cookie (server/src/flash.rs), never
//! through `__err` in a URL anyone can write.

use crate::support::{self, both_engines, TestSite, SITE};

use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use server::flash::FLASH_COOKIE;
use sqlx::SqlitePool;

const WRONG_PASSWORD: &str = "That user name and password do not match an enabled account.";

/// The whole `Set-Cookie` of the flash cookie (setting or clearing it),
/// to read its attributes; `support::flash_cookie` is its `name=value`.
fn flash_set_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{FLASH_COOKIE}=")))
        .map(str::to_owned)
}

/// The path (and query) of a redirect's `Location`.
fn location_path(headers: &HeaderMap) -> String {
    let location = headers.get(header::LOCATION).unwrap().to_str().unwrap();
    let url = url::Url::parse(SITE).unwrap().join(location).unwrap();
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

/// A sign-in with a wrong password, the name as typed.
const TYPED_SIGN_IN: &[(&str, &str)] = &[("name", "alice-typed-this"), ("password", "not her password")];

/// The sign-in page's refused post, as a browser without JavaScript sends it.
async fn refused_sign_in(site: &TestSite) -> support::Answer {
    post_from(site, "/login", "/api/login", TYPED_SIGN_IN, None).await
}

/// A plain (no JavaScript) form post from `page`, as a browser sends it.
async fn post_from(
    site: &TestSite,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> support::Answer {
    post_to(&site.app, site, page, action, fields, cookie).await
}

/// [`post_from`], answered by `app`.
async fn post_to(
    app: &axum::Router,
    site: &TestSite,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> support::Answer {
    let mut request = site.form_request(action, fields, cookie);
    request
        .headers_mut()
        .insert(header::REFERER, format!("{SITE}{page}").parse().unwrap());
    support::respond(app, request).await
}

/// A link carrying an error as Leptos writes it: `__path` and `__err`
/// (URL-safe base64 of the error's JSON).
fn crafted_link(page: &str, action: &str, error: &app::error::AppError) -> String {
    let err = URL_SAFE.encode(serde_json::to_vec(error).unwrap());
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("__path", action)
        .append_pair("__err", &err)
        .finish();
    format!("{page}?{query}")
}

fn invalid(errors: &[(&str, &str)], values: &[(&str, &str)]) -> app::error::AppError {
    let mut form = domain::SubmittedForm::default();
    for (field, message) in errors {
        form.errors.insert((*field).into(), (*message).into());
    }
    for (field, value) in values {
        form.values.insert((*field).into(), (*value).into());
    }
    app::error::AppError::Invalid(form)
}

both_engines!(a_crafted_link_shows_no_message_and_fills_no_field);
async fn a_crafted_link_shows_no_message_and_fills_no_field(db: store::Db) {
    let site = TestSite::of(db).await;
    let editor = site.sign_in("alice").await;
    let login = invalid(
        &[("form", "Phished-message: call +1 555 0100 to unlock your account")],
        &[("name", "phished-name-value")],
    );
    let status = invalid(
        &[("note", "Phished-message: the source moved to evil.example")],
        &[("note", "phished-note-value"), ("effective_on", "2031-01-01")],
    );
    let commitment = format!("/commitments/{}", site.slug);
    for (page, action, error, cookie) in [
        ("/login", "/api/login", &login, None),
        ("/ko/login", "/api/login", &login, None),
        (
            commitment.as_str(),
            "/api/update_status",
            &status,
            Some(editor.as_str()),
        ),
    ] {
        let link = crafted_link(page, action, error);
        let answer = site.get(&link, cookie).await;
        let html = support::unescape(&answer.text());
        assert!(answer.status.is_success(), "{link}: {}", answer.status);
        for planted in [
            "Phished-message",
            "phished-name-value",
            "phished-note-value",
            "2031-01-01",
        ] {
            assert!(!html.contains(planted), "{page}: a crafted link showed {planted:?}");
        }
        assert!(flash_set_cookie(&answer.headers).is_none(), "{page}: no flash to clear");
    }
}

both_engines!(a_refused_plain_post_shows_its_message_and_typed_value_once);
async fn a_refused_plain_post_shows_its_message_and_typed_value_once(db: store::Db) {
    let site = TestSite::of(db).await;
    let refused = refused_sign_in(&site).await;
    assert!(refused.status.is_redirection(), "{}", refused.status);
    let page = location_path(&refused.headers);
    assert_eq!(page, "/login", "the error is not in the redirect's URL");
    let set = flash_set_cookie(&refused.headers).expect("the error travels in a flash cookie");
    for attribute in ["Path=/", "Max-Age=60", "HttpOnly", "SameSite=Lax"] {
        assert!(set.contains(attribute), "{attribute} in {set}");
    }
    assert!(!set.contains("Secure"), "the test site is served over http");
    let flash = support::flash_cookie(&refused.headers).unwrap();

    let shown = site.get(&page, Some(&flash)).await;
    let html = support::unescape(&shown.text());
    assert!(html.contains(WRONG_PASSWORD), "the message is shown");
    assert!(html.contains(r#"value="alice-typed-this""#), "the typed name is kept");
    let cleared = flash_set_cookie(&shown.headers).expect("the flash is cleared");
    assert!(
        cleared.starts_with(&format!("{FLASH_COOKIE}=;")) && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    assert_eq!(shown.header(header::CACHE_CONTROL), "no-store");

    // The browser has dropped the cookie: the next visit shows nothing.
    let again = site.get(&page, None).await;
    let html = support::unescape(&again.text());
    assert!(!html.contains(WRONG_PASSWORD) && !html.contains("alice-typed-this"));

    // What a visitor typed comes back as text, never as markup.
    let script = "<script>alert(1)</script>";
    let refused = post_from(
        &site,
        "/login",
        "/api/login",
        &[("name", script), ("password", "x")],
        None,
    )
    .await;
    let flash = support::flash_cookie(&refused.headers).unwrap();
    let shown = site.get(&location_path(&refused.headers), Some(&flash)).await;
    assert!(
        shown.text().contains("&lt;script&gt;alert(1)"),
        "the typed value, escaped"
    );
    assert!(!shown.text().contains(script));
}

both_engines!(an_editors_refused_form_comes_back_with_its_message_by_the_field);
async fn an_editors_refused_form_comes_back_with_its_message_by_the_field(db: store::Db) {
    let site = TestSite::of(db).await;
    let editor = site.sign_in("alice").await;
    let page = format!("/commitments/{}", site.slug);
    let version = site.version_of(&site.slug).await.to_string();
    let source = site.source_id.to_string();
    let refused = post_from(
        &site,
        &page,
        "/api/update_status",
        &[
            ("slug", site.slug.as_str()),
            ("version", version.as_str()),
            ("party", "kr"),
            ("status", "in_progress"),
            ("effective_on", "not a date"),
            ("note", "A note the editor typed"),
            ("source_ids[]", source.as_str()),
        ],
        Some(&editor),
    )
    .await;
    assert!(refused.status.is_redirection(), "{}", refused.status);
    assert_eq!(location_path(&refused.headers), page);
    let flash = support::flash_cookie(&refused.headers).unwrap();
    let shown = site.get(&page, Some(&format!("{editor}; {flash}"))).await;
    let html = support::unescape(&shown.text());
    assert!(html.contains("A note the editor typed"), "the typed note is kept");
    assert!(
        html.contains(r#"id="effective_on-error""#),
        "the date's message, by its field"
    );
    let plain = support::unescape(&site.get(&page, Some(&editor)).await.text());
    assert!(!plain.contains("A note the editor typed"));
}

// SQLite's alone: a restarted server keeps its refused forms in memory, so
// an id it gave before the restart is unknown after it. On PostgreSQL the
// replicas share them (`engines::a_refusal_kept_by_one_replica_is_shown_by_another`).
#[sqlx::test(migrations = "../migrations/sqlite")]
async fn a_flash_for_another_page_or_site_or_shown_before_shows_nothing(pool: SqlitePool) {
    let site = TestSite::new(pool).await;
    let refused = refused_sign_in(&site).await;
    let good = support::flash_cookie(&refused.headers).unwrap();
    let id = good.strip_prefix(&format!("{FLASH_COOKIE}=")).unwrap();
    assert!(id.len() < 64, "the cookie holds an id, not the error: {id}");
    // A forged error under an id of the attacker's making.
    let forged = invalid(&[("form", "Phished-message")], &[("name", "phished-name-value")]);
    let made_up = format!(
        "{FLASH_COOKIE}={}",
        URL_SAFE_NO_PAD.encode(format!(
            "__path=%2Fapi%2Flogin&__err={}",
            URL_SAFE.encode(serde_json::to_vec(&forged).unwrap())
        ))
    );
    // An id another site (or this one before a restart) gave.
    let restarted = server::router(support::state(site.pool().clone(), &format!("{SITE}/"), "target/site"));
    let elsewhere_refused = post_to(&restarted, &site, "/login", "/api/login", TYPED_SIGN_IN, None).await;
    let other_site = support::flash_cookie(&elsewhere_refused.headers).unwrap();

    for (what, page, cookie) in [
        ("a made-up id", "/login", made_up.as_str()),
        ("another site's id", "/login", other_site.as_str()),
        ("another page", "/ko/login", good.as_str()),
        ("another page", "/editor/new-commitment", good.as_str()),
    ] {
        let answer = site.get(page, Some(cookie)).await;
        let html = support::unescape(&answer.text());
        for planted in [
            WRONG_PASSWORD,
            "alice-typed-this",
            "Phished-message",
            "phished-name-value",
        ] {
            assert!(!html.contains(planted), "{what} ({page}) showed {planted:?}");
        }
    }
    // The good one, where it belongs, does, once: the same cookie sent
    // again (a replay, or a second tab) shows nothing.
    let shown = support::unescape(&site.get("/login", Some(&good)).await.text());
    assert!(shown.contains(WRONG_PASSWORD) && shown.contains("alice-typed-this"));
    let replayed = support::unescape(&site.get("/login", Some(&good)).await.text());
    assert!(!replayed.contains(WRONG_PASSWORD) && !replayed.contains("alice-typed-this"));
}

both_engines!(a_long_refused_form_comes_back_whole_in_a_small_cookie);
async fn a_long_refused_form_comes_back_whole_in_a_small_cookie(db: store::Db) {
    let site = TestSite::of(db).await;
    let editor = site.sign_in("alice").await;
    let page = format!("/commitments/{}", site.slug);
    let version = site.version_of(&site.slug).await.to_string();
    let source = site.source_id.to_string();
    // 2,000 characters of Chinese, the longest note the form takes: 6 KB of
    // UTF-8, more than a browser keeps in one cookie once encoded.
    let note: String = "中韩自由贸易协定第二阶段谈判".chars().cycle().take(2_000).collect();
    let refused = post_from(
        &site,
        &page,
        "/api/update_status",
        &[
            ("slug", site.slug.as_str()),
            ("version", version.as_str()),
            ("party", "kr"),
            ("status", "in_progress"),
            ("effective_on", "not a date"),
            ("note", note.as_str()),
            ("source_ids[]", source.as_str()),
        ],
        Some(&editor),
    )
    .await;
    assert!(refused.status.is_redirection(), "{}", refused.status);
    let set = flash_set_cookie(&refused.headers).expect("a flash cookie");
    assert!(
        set.len() < 200,
        "the cookie stays far below the 4,096 bytes browsers keep: {} bytes",
        set.len()
    );
    let flash = support::flash_cookie(&refused.headers).unwrap();
    let shown = site.get(&page, Some(&format!("{editor}; {flash}"))).await;
    let html = support::unescape(&shown.text());
    assert!(html.contains(&note), "the whole typed note comes back");
    assert!(
        html.contains(r#"id="effective_on-error""#),
        "the date's message, by its field"
    );
}

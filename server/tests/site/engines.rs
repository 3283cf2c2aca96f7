//! The same site on both engines answers the same: the shipped site is
//! seeded on SQLite, two editors are added, and it is copied to PostgreSQL;
//! then one router over each (`store::Db` of each engine, the same fixed
//! clock) gets the same requests, a reader's and an editor's: every kind of
//! page, feed, export, image and API answer, then the editors' forms (a
//! status change, a new source, an edit, a new commitment, a translation, a
//! source's correction, a revert, a reader's suggestion accepted and one
//! rejected, and refused forms), each followed by the pages it changed.
//! Each pair of answers must have the same status, `Location` and body
//! (with the render's per-request nonces blanked).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use sqlx::SqlitePool;

use store::postgres_test_database::TestDatabase;
use store::site_copy::{copy_site, CopyOptions};

use server::rendered_comparison::without_nonces;

use crate::support::{respond, session_set_cookie, shipped, site_of, Answer, PASSWORD, PUBLIC_URL};

/// A site on one engine, and its editors' session cookies.
struct Side {
    name: &'static str,
    app: Router,
    alice: String,
    bob: String,
}

struct Sites {
    sqlite: Side,
    postgres: Side,
}

fn origin() -> &'static str {
    PUBLIC_URL.trim_end_matches('/')
}

/// Who sends a request: a reader, or one of the editors.
#[derive(Clone, Copy)]
enum As {
    Reader,
    Alice,
    Bob,
}

fn cookie(side: &Side, who: As) -> Option<&str> {
    match who {
        As::Reader => None,
        As::Alice => Some(&side.alice),
        As::Bob => Some(&side.bob),
    }
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::empty()).unwrap()
}

fn form(path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Request<Body> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::ORIGIN, origin());
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body)).unwrap()
}

/// A status change rating the commitment fulfilled on a report dated
/// before the summit: refused (a promise is not progress on it).
fn evidence_from_before_the_summit<'a>(slug: &'a str, version: &'a str) -> [(&'static str, &'a str); 12] {
    [
        ("slug", slug),
        ("version", version),
        ("party", "all"),
        ("status", "fulfilled"),
        ("effective_on", "2026-05-02"),
        ("note", "Done, says a report from before the summit."),
        ("source_publisher", "Yonhap"),
        ("source_title", "An old report"),
        ("source_published_on", "2025-10-01"),
        ("source_url", ""),
        ("source_quote", "It was agreed."),
        ("source_kind", "media_report"),
    ]
}

async fn login(app: &Router, name: &str) -> String {
    let answer = respond(app, form("/api/login", &[("name", name), ("password", PASSWORD)], None)).await;
    assert!(answer.status.is_redirection(), "sign-in of {name}: {}", answer.status);
    let set = session_set_cookie(&answer.headers).expect("a session cookie");
    set.split(';').next().unwrap().to_owned()
}

async fn sites(pool: SqlitePool, today: chrono::NaiveDate) -> (Sites, TestDatabase) {
    let db = store::Db::new(pool.clone());
    assert!(server::seed::seed_if_empty(&db).await.unwrap());
    for name in ["alice", "bob"] {
        store::users::create_user(&pool, name, domain::Role::Editor, PASSWORD, chrono::Utc::now())
            .await
            .unwrap();
    }
    let postgres = TestDatabase::migrated().await;
    copy_site(&pool, &postgres.pool, CopyOptions { keep_sessions: true })
        .await
        .unwrap();
    let limits = server::Limits::default();
    let sqlite_app = site_of(db, today, limits);
    let postgres_app = site_of(store::Db::postgres(postgres.pool.clone()), today, limits);
    let sites = Sites {
        sqlite: Side {
            name: "SQLite",
            alice: login(&sqlite_app, "alice").await,
            bob: login(&sqlite_app, "bob").await,
            app: sqlite_app,
        },
        postgres: Side {
            name: "PostgreSQL",
            alice: login(&postgres_app, "alice").await,
            bob: login(&postgres_app, "bob").await,
            app: postgres_app,
        },
    };
    (sites, postgres)
}

impl Sites {
    /// Sends the request `make` builds for each side; the answers must be
    /// the same. Returns SQLite's.
    async fn same(&self, what: &str, make: impl Fn(&Side) -> Request<Body>) -> Answer {
        let on_sqlite = respond(&self.sqlite.app, make(&self.sqlite)).await;
        let on_postgres = respond(&self.postgres.app, make(&self.postgres)).await;
        assert_eq!(
            (on_sqlite.status, on_sqlite.header(header::LOCATION)),
            (on_postgres.status, on_postgres.header(header::LOCATION)),
            "{what}: {} and {} answered differently",
            self.sqlite.name,
            self.postgres.name
        );
        assert_eq!(
            on_sqlite.header(header::CONTENT_TYPE),
            on_postgres.header(header::CONTENT_TYPE),
            "{what}"
        );
        // What differs from one render to the next, the script nonces, is
        // blanked as `migrate-db`'s comparison blanks it.
        let (a, b) = (without_nonces(&on_sqlite.body), without_nonces(&on_postgres.body));
        if a != b {
            let at = a
                .iter()
                .zip(&b)
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            let around = |bytes: &[u8]| {
                String::from_utf8_lossy(&bytes[at.saturating_sub(120)..(at + 120).min(bytes.len())]).into_owned()
            };
            panic!(
                "{what}: the bodies differ at byte {at}\n  SQLite:     …{}…\n  PostgreSQL: …{}…",
                around(&a),
                around(&b)
            );
        }
        on_sqlite
    }

    async fn page(&self, path: &str, who: As) -> Answer {
        self.same(&format!("GET {path}"), |side| get(path, cookie(side, who)))
            .await
    }

    /// Posts a form as a browser without JavaScript does; `stored` says
    /// whether it is to be accepted (then the browser is sent on to what
    /// it changed) or refused (then back where it came from, with the
    /// refusal kept for that page: here, with no `Referer`, the front page).
    async fn post(&self, path: &str, fields: &[(&str, &str)], who: As, stored: bool) -> Answer {
        let answer = self
            .same(&format!("POST {path} {fields:?}"), |side| {
                form(path, fields, cookie(side, who))
            })
            .await;
        assert!(answer.status.is_redirection(), "POST {path}: {}", answer.status);
        let refused = answer.header(header::LOCATION) == "/";
        assert_eq!(
            !refused,
            stored,
            "POST {path} {fields:?}: {}",
            answer.header(header::LOCATION)
        );
        answer
    }
}

/// The pages that show a commitment, as a reader and as an editor.
async fn pages_of(sites: &Sites, slug: &str) -> usize {
    let item = format!("/commitments/{slug}");
    let mut read = 0;
    for (path, who) in [
        (item.clone(), As::Reader),
        (item.clone(), As::Alice),
        (format!("{item}/history"), As::Reader),
        (format!("{item}/history"), As::Alice),
        (format!("{item}/edit"), As::Alice),
        (format!("{item}/feed.atom"), As::Reader),
        (format!("{item}/badge.svg"), As::Reader),
        (format!("{item}/card.png"), As::Reader),
        (format!("/api/v1/commitments/{slug}"), As::Reader),
        (format!("/ko{item}"), As::Reader),
        (format!("/zh{item}/history"), As::Reader),
    ] {
        let answer = sites.page(&path, who).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        read += 1;
    }
    read
}

/// The site's own pages: lists in every order and filter, search in three
/// languages, summits, corrections, feeds, sitemap, exports, the API.
async fn site_pages(sites: &Sites) -> usize {
    let mut read = 0;
    for path in [
        "/",
        "/?sort=title",
        "/?sort=due",
        "/?sort=last_change",
        "/?status=in_progress",
        "/?party=kr&status=not_yet_rated",
        "/?theme=economy",
        "/?overdue=true",
        "/?q=fraud",
        "/?q=%EC%82%AC%EA%B8%B0",
        "/?q=%E8%AF%88%E9%AA%97",
        "/ko/",
        "/zh/?sort=title",
        "/summits",
        "/summits/xi-lee-2025-11-01",
        "/corrections",
        "/feed.atom",
        "/corrections.atom",
        "/sitemap.xml",
        "/export/commitments.csv",
        "/export/commitments.csv?status=in_progress",
        "/api/v1/commitments",
        "/api/v1/commitments?sort=title&per_page=5",
        "/api/v1/summits",
        "/review",
    ] {
        let who = if path == "/review" { As::Alice } else { As::Reader };
        let answer = sites.page(path, who).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        read += 1;
    }
    read
}

/// A commitment's current version, as its edit forms carry it (read
/// from both engines, which must agree).
async fn version(sites: &Sites, slug: &str) -> String {
    let answer = sites.page(&format!("/api/v1/commitments/{slug}"), As::Reader).await;
    let json: serde_json::Value = serde_json::from_slice(&answer.body).expect("the API's JSON");
    json["version"].to_string()
}

#[sqlx::test(migrations = "../migrations/sqlite")]
async fn every_page_and_form_answers_the_same_on_both_engines(pool: SqlitePool) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let (sites, postgres) = sites(pool, today).await;
    let data = shipped();
    let x = data
        .commitments
        .iter()
        .find(|c| c.owed_by.len() == 2)
        .unwrap()
        .slug
        .to_string();
    let mut read = site_pages(&sites).await;
    for commitment in &data.commitments {
        read += pages_of(&sites, commitment.slug.as_str()).await;
    }

    let source: String = {
        let answer = sites.page(&format!("/api/v1/commitments/{x}"), As::Reader).await;
        let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        json["sources"][0]["id"].to_string()
    };

    // A status change with a new source, then the same form again (stale).
    let v = version(&sites, &x).await;
    let change = [
        ("slug", x.as_str()),
        ("version", v.as_str()),
        ("party", "kr"),
        ("status", "in_progress"),
        ("effective_on", "2026-05-01"),
        ("note", "Negotiators met in Seoul."),
        ("source_publisher", "Yonhap"),
        ("source_title", "Negotiators met"),
        ("source_published_on", "2026-05-01"),
        ("source_url", "https://example.org/met"),
        ("source_quote", "Negotiators met in Seoul."),
        ("source_kind", "media_report"),
    ];
    let mut writes = 0;
    for (who, stored) in [(As::Alice, true), (As::Bob, false)] {
        sites.post("/api/update_status", &change, who, stored).await;
        writes += 1;
    }
    // Evidence from before the summit, refused alike.
    let v = version(&sites, &x).await;
    let early = evidence_from_before_the_summit(&x, &v);
    sites.post("/api/update_status", &early, As::Alice, false).await;
    // A source added, then corrected.
    let v = version(&sites, &x).await;
    let add = [
        ("slug", x.as_str()),
        ("version", v.as_str()),
        ("action", "add"),
        ("source_publisher", "KBS"),
        ("source_title", "A second report"),
        ("source_published_on", "2026-05-02"),
        ("source_url", ""),
        ("source_quote", "Talks went on."),
        ("source_kind", "media_report"),
    ];
    sites.post("/api/change_source", &add, As::Alice, true).await;
    let v = version(&sites, &x).await;
    let correct = [
        ("slug", x.as_str()),
        ("version", v.as_str()),
        ("action", "edit"),
        ("source_id", source.as_str()),
        ("source_publisher", "Xinhua"),
        ("source_title", "A corrected title"),
        ("source_published_on", "2025-11-01"),
        ("source_url", ""),
        ("source_quote", "The two sides agreed."),
        ("source_kind", "official_readout"),
        ("correction_note", "The title was wrong."),
    ];
    sites.post("/api/change_source", &correct, As::Alice, true).await;
    // The same correction again changes nothing: refused.
    let v = version(&sites, &x).await;
    let again: Vec<(&str, &str)> = correct
        .iter()
        .map(|&(name, value)| {
            if name == "version" {
                (name, v.as_str())
            } else {
                (name, value)
            }
        })
        .collect();
    sites.post("/api/change_source", &again, As::Alice, false).await;
    // An edit, a translation, a new commitment (twice: a numbered slug).
    let v = version(&sites, &x).await;
    let edit = [
        ("slug", x.as_str()),
        ("version", v.as_str()),
        ("title", "An edited title"),
        ("summary", "An edited summary."),
        ("theme", "economy"),
        ("proposed_by", "joint"),
        ("owed_by[]", "cn"),
        ("owed_by[]", "kr"),
        ("due_on", "2027-12-31"),
        ("due_basis", "inferred"),
        ("due_note", "By the end of 2027."),
        ("summit", "xi-lee-2025-11-01"),
    ];
    sites.post("/api/save_commitment", &edit, As::Alice, true).await;
    let v = version(&sites, &x).await;
    let translation = [
        ("slug", x.as_str()),
        ("version", v.as_str()),
        ("language", "ko"),
        ("title", "수정된 제목"),
        ("summary", "수정된 요약."),
    ];
    sites.post("/api/save_translation", &translation, As::Alice, true).await;
    let v = version(&sites, &x).await;
    let into_the_original = [
        ("slug", x.as_str()),
        ("version", v.as_str()),
        ("language", "en"),
        ("title", "A title"),
        ("summary", "A summary."),
    ];
    sites
        .post("/api/save_translation", &into_the_original, As::Alice, false)
        .await;
    let new = [
        ("title", "Youth exchange week"),
        ("summary", "Agreed at the summit."),
        ("theme", "people_to_people"),
        ("proposed_by", "joint"),
        ("owed_by[]", "cn"),
        ("owed_by[]", "kr"),
        ("due_on", ""),
        ("due_basis", ""),
        ("due_note", ""),
        ("summit", "xi-lee-2025-11-01"),
    ];
    for _ in 0..2 {
        sites.post("/api/save_commitment", &new, As::Alice, true).await;
    }
    // A reader's suggestion on the new commitment: accepted; another: rejected.
    let suggestion = [
        ("slug", "youth-exchange-week"),
        ("party", "all"),
        ("status", "in_progress"),
        ("effective_on", "2026-05-03"),
        ("note", "Talks began, says the ministry."),
        ("source_publisher", "Yonhap"),
        ("source_title", "Talks began"),
        ("source_published_on", "2026-05-03"),
        ("source_url", ""),
        ("source_quote", "Talks began."),
        ("source_kind", "media_report"),
        ("contact", ""),
        ("website", ""),
    ];
    for _ in 0..2 {
        sites.post("/api/suggest_update", &suggestion, As::Reader, true).await;
    }
    sites.page("/review", As::Alice).await;
    for (id, decision, stored) in [("1", "accept", true), ("2", "reject", true), ("2", "accept", false)] {
        let decide = [("id", id), ("decision", decision), ("reason", "No source says so.")];
        sites.post("/api/decide_suggestion", &decide, As::Bob, stored).await;
    }
    // Back to the first version.
    let v = version(&sites, &x).await;
    let revert = [("slug", x.as_str()), ("version", v.as_str()), ("to_version", "1")];
    sites.post("/api/revert_commitment", &revert, As::Alice, true).await;
    writes += 16;

    // Every page again, after the writes.
    read += site_pages(&sites).await;
    for slug in data
        .commitments
        .iter()
        .map(|c| c.slug.to_string())
        .chain(["youth-exchange-week".to_owned(), "youth-exchange-week-2".to_owned()])
    {
        read += pages_of(&sites, &slug).await;
    }
    // The writes did something: the revert is the commitment's newest
    // revision, the suggestion's change is on the new commitment's page.
    let history = sites.page(&format!("/commitments/{x}/history"), As::Reader).await;
    assert!(history.text_contains("Reverted to version 1"), "{}", x);
    let accepted = sites.page("/commitments/youth-exchange-week", As::Reader).await;
    assert!(accepted.text_contains("Talks began, says the ministry."));
    assert!(read > 300, "{read} pages compared");
    eprintln!("{read} answers to readers and editors and {writes} form posts were the same on both engines");
    postgres.drop_database().await;
}

trait Contains {
    fn text_contains(&self, text: &str) -> bool;
}

impl Contains for Answer {
    fn text_contains(&self, text: &str) -> bool {
        String::from_utf8_lossy(&self.body).contains(text)
    }
}

/// `accord migrate-db`'s last check finds a page that renders differently:
/// the same site on both engines renders alike, until one commitment's
/// title changes on PostgreSQL alone; then exactly that permalink and the
/// front page (which lists it) differ.
#[sqlx::test(migrations = "../migrations/sqlite")]
async fn the_rendered_comparison_finds_a_page_that_differs(pool: SqlitePool) {
    use server::rendered_comparison::compare_rendered_pages;
    let db = store::Db::new(pool.clone());
    assert!(server::seed::seed_if_empty(&db).await.unwrap());
    let postgres = TestDatabase::migrated().await;
    copy_site(&pool, &postgres.pool, CopyOptions { keep_sessions: false })
        .await
        .unwrap();
    let on_postgres = store::Db::postgres(postgres.pool.clone());
    let slugs = store::commitments::list_slugs(&db).await.unwrap();
    let now = chrono::Utc::now();
    let same = compare_rendered_pages(db.clone(), on_postgres.clone(), &slugs, now).await;
    assert_eq!((same.compared, same.differing), (slugs.len() as u64 + 1, 0), "{same:?}");

    let changed = &slugs[3];
    sqlx::query("UPDATE commitments SET title = title || ' (changed)' WHERE slug = $1")
        .bind(changed.as_str())
        .execute(&postgres.pool)
        .await
        .unwrap();
    let differs = compare_rendered_pages(db, on_postgres, &slugs, now).await;
    assert_eq!(differs.differing, 2, "{differs:?}");
    assert_eq!(
        differs.first_differing,
        ["/".to_owned(), format!("/commitments/{changed}")]
    );
    postgres.drop_database().await;
}

/// Replicas on one PostgreSQL database share forms' refusals: a browser
/// without JavaScript whose post one replica refuses is redirected to the
/// form, and the replica that answers that request (round-robin: here the
/// other one) shows the refusal beside the form, once.
#[sqlx::test(migrations = "../migrations/sqlite")]
async fn a_refusal_kept_by_one_replica_is_shown_by_another(pool: SqlitePool) {
    let db = store::Db::new(pool.clone());
    assert!(server::seed::seed_if_empty(&db).await.unwrap());
    store::users::create_user(&pool, "alice", domain::Role::Editor, PASSWORD, chrono::Utc::now())
        .await
        .unwrap();
    let postgres = TestDatabase::migrated().await;
    copy_site(&pool, &postgres.pool, CopyOptions { keep_sessions: false })
        .await
        .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let replica = || {
        site_of(
            store::Db::postgres(postgres.pool.clone()),
            today,
            server::Limits::default(),
        )
    };
    let (a, b) = (replica(), replica());
    let alice = login(&a, "alice").await;
    let x = shipped()
        .commitments
        .iter()
        .find(|c| c.owed_by.len() == 2)
        .unwrap()
        .slug
        .to_string();
    let page = format!("/commitments/{x}");
    let version = {
        let answer = respond(&b, get(&format!("/api/v1/commitments/{x}"), None)).await;
        let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        json["version"].to_string()
    };
    let early = evidence_from_before_the_summit(&x, &version);
    let mut post = form("/api/update_status", &early, Some(&alice));
    post.headers_mut()
        .insert(header::REFERER, format!("{}{page}", origin()).parse().unwrap());
    let refused = respond(&a, post).await;
    assert!(refused.status.is_redirection(), "{}", refused.status);
    let location = refused.header(header::LOCATION).to_owned();
    assert!(location.ends_with(&page), "{location}");
    assert!(
        !location.contains("__err"),
        "the refusal does not travel in the link: {location}"
    );
    // Served over https: the cookie is `__Host-accord_flash`.
    let flash = refused
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(server::flash::FLASH_COOKIE_HTTPS) && !v.contains("Max-Age=0"))
        .and_then(|v| v.split(';').next())
        .expect("a flash cookie")
        .to_owned();
    let both = format!("{alice}; {flash}");
    let shown = respond(&b, get(&page, Some(&both))).await;
    assert_eq!(shown.status, StatusCode::OK);
    let refusal = "Making a promise is not progress on it";
    assert!(
        shown.text_contains(refusal),
        "the other replica does not show the refusal"
    );
    let again = respond(&a, get(&page, Some(&both))).await;
    assert!(!again.text_contains(refusal), "a refusal is shown once");
    postgres.drop_database().await;
}

//! What the HTTP test files share: the site's router over a test database,
//! the shipped data set, and requests answered within a time limit.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use domain::{Clock, PublicUrl};
use leptos::config::LeptosOptions;
use server::{router, seed, AppState};
use sqlx::SqlitePool;
use tower::ServiceExt;

/// The public URL most tests serve the site under.
pub const PUBLIC_URL: &str = "https://accord.example/";

/// The site's state over `pool`, served under `public_url`, with its files
/// (the bundle under /pkg) in `site_root`.
pub fn state(pool: SqlitePool, public_url: &str, site_root: &str) -> AppState {
    state_of(store::Db::new(pool), public_url, site_root)
}

/// The same over a `Db` of either engine.
pub fn state_of(db: store::Db, public_url: &str, site_root: &str) -> AppState {
    // In memory on SQLite; in the database on PostgreSQL, as `serve` keeps them.
    let flashes = server::flash::Flash::for_site(&db);
    AppState {
        flashes,
        leptos_options: LeptosOptions::builder()
            .output_name("accord")
            .site_root(site_root)
            .build(),
        db,
        public_url: PublicUrl(url::Url::parse(public_url).unwrap()),
        clock: Clock::System,
        cards: Default::default(),
        trusted_proxies: Default::default(),
    }
}

/// Runs a test of a whole site on both engines: `both_engines!(name);`
/// beside `async fn name(db: store::Db)` makes two tests of it,
/// `name::on_sqlite` over a fresh SQLite file (as `#[sqlx::test]` makes
/// them) and `name::on_postgres` over a fresh PostgreSQL database of its
/// own (`store::postgres_test_database`), both migrated. The function
/// reaches the database only through the site and the store, or through
/// [`on_engine!`], whose SQL both engines read.
macro_rules! both_engines {
    ($name:ident) => {
        mod $name {
            #[sqlx::test(migrations = "../migrations/sqlite")]
            async fn on_sqlite(pool: sqlx::SqlitePool) {
                super::$name(store::Db::new(pool)).await;
            }

            #[tokio::test]
            async fn on_postgres() {
                let database = store::postgres_test_database::TestDatabase::migrated().await;
                super::$name(store::Db::postgres(database.pool.clone())).await;
                database.drop_database().await;
            }
        }
    };
}
pub(crate) use both_engines;

/// Runs a test of the real binary on both engines:
/// `binary_on_both_engines!(name);` beside `async fn name(engine:
/// support::EngineKind)` makes `name::on_sqlite` and `name::on_postgres`.
/// The function makes the databases it hands the binary (`DATABASE_URL`)
/// with [`DatabaseByUrl::new`], on `engine`.
macro_rules! binary_on_both_engines {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn on_sqlite() {
                super::$name(crate::support::EngineKind::Sqlite).await;
            }

            #[tokio::test]
            async fn on_postgres() {
                super::$name(crate::support::EngineKind::Postgres).await;
            }
        }
    };
}
pub(crate) use binary_on_both_engines;

/// The engine of the databases a test of the real binary makes
/// ([`binary_on_both_engines!`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineKind {
    Sqlite,
    Postgres,
}

/// A database of a test's own that another process (the real binary)
/// opens by its URL: on SQLite a file, not made until something opens it;
/// on PostgreSQL a database with nothing in it yet. Whatever opens it
/// first (the binary, or [`DatabaseByUrl::open`]) migrates it.
pub struct DatabaseByUrl {
    pub url: String,
    /// On PostgreSQL, the database, dropped by [`DatabaseByUrl::drop_database`].
    postgres: Option<store::postgres_test_database::TestDatabase>,
}

impl DatabaseByUrl {
    /// A new database on `engine`; on SQLite the file `name`.db in `folder`
    /// (which goes with the folder).
    pub async fn new(engine: EngineKind, folder: &std::path::Path, name: &str) -> DatabaseByUrl {
        match engine {
            EngineKind::Sqlite => DatabaseByUrl {
                url: format!("sqlite://{}", folder.join(format!("{name}.db")).display()),
                postgres: None,
            },
            EngineKind::Postgres => {
                let database = store::postgres_test_database::TestDatabase::empty().await;
                DatabaseByUrl {
                    url: database.url(),
                    postgres: Some(database),
                }
            }
        }
    }

    /// The test's own handle on the database, opened as the binary opens
    /// it (`store::open`, which migrates it first); the test closes it.
    pub async fn open(&self) -> store::Db {
        store::open(&self.url).await.unwrap()
    }

    /// Drops the database on PostgreSQL (a SQLite file goes with its folder).
    pub async fn drop_database(self) {
        if let Some(database) = self.postgres {
            database.drop_database().await;
        }
    }
}

/// Runs `$body` with `$pool` bound to the pool of whichever engine `$db`
/// holds: the same statement on both (written with `$1`, `$2`…, which
/// SQLite reads too), each arm typed for its engine.
macro_rules! on_engine {
    ($db:expr, |$pool:ident| $body:expr) => {
        match store::engine::Engine::engine(&$db) {
            store::engine::EngineRef::Sqlite($pool) => $body,
            store::engine::EngineRef::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_engine;

/// A second handle on `db`'s database, as another server process holds
/// one: its own page-cache notices and write turn, the same data.
pub fn another_handle(db: &store::Db) -> store::Db {
    match store::engine::Engine::engine(db) {
        store::engine::EngineRef::Sqlite(pool) => store::Db::new(pool.clone()),
        store::engine::EngineRef::Postgres(pool) => store::Db::postgres(pool.clone()),
    }
}

/// Sets the title of the commitment `slug` in plain SQL, behind the site's
/// back: no write the store records, so a kept page does not learn of it
/// and a page rendered again shows it.
pub async fn retitle_behind_the_sites_back(db: &store::Db, slug: &str, title: &str) {
    on_engine!(db, |pool| sqlx::query(
        "UPDATE commitments SET title = $1 WHERE slug = $2"
    )
    .bind(title)
    .bind(slug)
    .execute(pool)
    .await
    .unwrap()
    .rows_affected());
}

/// The whole site over a fresh database of either engine, loaded with the
/// shipped data.
pub async fn seeded_site_of(db: store::Db) -> Router {
    assert!(seed::seed_if_empty(&db).await.unwrap(), "a fresh database");
    router(state_of(db, PUBLIC_URL, "target/site"))
}

/// The whole site over a fresh database loaded with the shipped data, with
/// its clock stopped at noon (UTC) on `today`: what is overdue, and which
/// dates a form accepts, then depend on the test, not on the day it runs.
pub async fn seeded_site_on_of(db: store::Db, today: chrono::NaiveDate, limits: server::Limits) -> Router {
    assert!(seed::seed_if_empty(&db).await.unwrap(), "a fresh database");
    site_of(db, today, limits)
}

/// The site over `db` as it is, its clock stopped at noon on `today`.
pub fn site_of(db: store::Db, today: chrono::NaiveDate, limits: server::Limits) -> Router {
    let mut state = state_of(db, PUBLIC_URL, "target/site");
    state.clock = Clock::Fixed(today.and_hms_opt(12, 0, 0).unwrap().and_utc());
    server::router_with_limits(state, limits)
}

/// The data set the site ships with.
pub fn shipped() -> domain::Dataset {
    seed::parse_dataset(seed::SUMMIT_2025_11_01).unwrap()
}

/// A response, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    /// A header's value, or "" when it is missing.
    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).expect("a UTF-8 body")
    }
}

/// Sends `request` to the site. A hung handler fails the test, naming the
/// request, instead of stalling CI.
/// A page read anonymously: its status and its HTML.
pub async fn get_page(app: &Router, path: &str) -> (StatusCode, String) {
    let answer = respond(app, Request::get(path).body(Body::empty()).unwrap()).await;
    (answer.status, answer.text())
}

/// Undoes the renderer's HTML escaping, to compare text verbatim.
pub fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

pub async fn respond(app: &Router, request: Request<Body>) -> Answer {
    let target = format!("{} {}", request.method(), request.uri());
    let response = tokio::time::timeout(std::time::Duration::from_secs(30), app.clone().oneshot(request))
        .await
        .unwrap_or_else(|_| panic!("no response within 30 s to {target}"))
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, 16 * 1024 * 1024).await.unwrap();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

/// Where the editing tests serve the site (as `cargo leptos` does).
pub const SITE: &str = "http://127.0.0.1:3000";
/// The password of the test sites' editor accounts.
pub const PASSWORD: &str = "correct horse battery";

/// A site to edit: the shipped data, two editor accounts (`alice` and `bob`,
/// with [`PASSWORD`]), served at [`SITE`], and a seeded commitment owed by
/// both parties with one of its sources.
pub struct TestSite {
    pub app: Router,
    /// The router's own database handle, for writes made beside it (and,
    /// on SQLite, [`TestSite::pool`] for reads in SQLite's SQL).
    pub db: store::Db,
    /// A seeded commitment owed by both parties.
    pub slug: String,
    /// One of that commitment's sources.
    pub source_id: i64,
    /// The no-JS refusals the site holds for their pages (`server::flash`).
    pub flashes: server::flash::Flash,
}

impl TestSite {
    pub async fn new(pool: SqlitePool) -> TestSite {
        TestSite::of(store::Db::new(pool)).await
    }

    /// The same over a `Db` of either engine.
    pub async fn of(db: store::Db) -> TestSite {
        let state = state_of(db, &format!("{SITE}/"), "target/site");
        let db = state.db.clone();
        let flashes = state.flashes.clone();
        assert!(seed::seed_if_empty(&db).await.unwrap(), "a fresh database");
        for name in ["alice", "bob"] {
            store::users::create_user(&db, name, domain::Role::Editor, PASSWORD, chrono::Utc::now())
                .await
                .unwrap();
        }
        let slug = shipped()
            .commitments
            .iter()
            .find(|c| c.owed_by.len() == 2)
            .expect("a bilateral commitment in the shipped data")
            .slug
            .to_string();
        let source_id: i64 = on_engine!(db, |pool| sqlx::query_scalar(
            "SELECT cs.source_id FROM commitment_sources cs JOIN commitments c ON c.id = cs.commitment_id
             WHERE c.slug = $1 ORDER BY cs.source_id LIMIT 1",
        )
        .bind(&slug)
        .fetch_one(pool)
        .await
        .unwrap());
        TestSite {
            app: router(state),
            db,
            slug,
            source_id,
            flashes,
        }
    }

    /// The site's SQLite pool, for a test that reads or writes in SQLite's
    /// SQL (one that runs on both engines uses [`on_engine!`]).
    pub fn pool(&self) -> &SqlitePool {
        self.db
            .sqlite_pool()
            .expect("a test written in SQLite's SQL runs on SQLite")
    }

    /// Signs `name` in as a browser without JavaScript does; returns the
    /// `Cookie` header to send as them.
    pub async fn sign_in(&self, name: &str) -> String {
        let answer = respond(
            &self.app,
            self.form_request("/api/login", &[("name", name), ("password", PASSWORD)], None),
        )
        .await;
        assert!(
            answer.status.is_redirection(),
            "sign-in of {name}: {} {}",
            answer.status,
            answer.text()
        );
        let set = session_set_cookie(&answer.headers).expect("a session cookie");
        set.split(';').next().unwrap().to_owned()
    }

    /// A form post from this site's own page, as a browser sends it.
    pub fn form_request(&self, path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Request<Body> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::ORIGIN, SITE);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::from(body)).unwrap()
    }

    /// Posts a form as [`TestSite::form_request`] builds it.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Answer {
        respond(&self.app, self.form_request(path, fields, cookie)).await
    }

    /// Reads a page (as `cookie`'s holder, or anonymously).
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Answer {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        respond(&self.app, request.body(Body::empty()).unwrap()).await
    }

    /// A commitment's current version, as its edit forms carry it.
    pub async fn version_of(&self, slug: &str) -> i64 {
        on_engine!(self.db, |pool| sqlx::query_scalar(
            "SELECT version FROM commitments WHERE slug = $1"
        )
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap())
    }
}

/// A party's current status according to the seed file.
pub fn seeded_status(data: &domain::Dataset, slug: &str, party: &str) -> Option<domain::Status> {
    let c = data.commitments.iter().find(|c| c.slug.as_str() == slug)?;
    if !c.owed_by.iter().any(|p| p.as_str() == party) {
        return None;
    }
    Some(
        c.status
            .iter()
            .filter(|s| s.party.as_str() == party)
            .max_by_key(|s| s.effective_on)
            .map_or(domain::Status::NotYetRated, |s| s.status),
    )
}

pub fn seeded_overall(data: &domain::Dataset, slug: &str) -> domain::Status {
    let c = data.commitments.iter().find(|c| c.slug.as_str() == slug).unwrap();
    domain::Status::overall(c.owed_by.iter().filter_map(|p| seeded_status(data, slug, p.as_str())))
}

/// A free loopback port, for a real server.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the real binary's `serve` over `database` on a free loopback
/// port, its output piped, and waits until it answers its health check.
pub fn spawn_server(database: &std::path::Path) -> (std::process::Child, u16) {
    spawn_server_with(database, &[])
}

/// `spawn_server` with more settings in its environment, as an operator
/// would set them.
pub fn spawn_server_with(database: &std::path::Path, settings: &[(&str, &str)]) -> (std::process::Child, u16) {
    spawn_server_over(&format!("sqlite://{}", database.display()), settings)
}

/// `spawn_server_with` over the database at `database_url`, of either
/// engine (see [`DatabaseByUrl`]).
pub fn spawn_server_over(database_url: &str, settings: &[(&str, &str)]) -> (std::process::Child, u16) {
    let port = free_port();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_OUTPUT_NAME", "accord")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("ACCORD_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .envs(settings.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_healthy(port);
    (child, port)
}

/// Waits (up to 20 s) for the server on `port` to answer `/healthz` with 200.
pub fn wait_until_healthy(port: u16) {
    use std::io::{Read, Write};
    for _ in 0..200 {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the server did not become healthy");
}

/// Every row of `table`, each as the SQL literals of its columns joined by
/// `|`, sorted: what two databases, or one before and after, are compared by.
pub async fn rows_of(pool: &SqlitePool, table: &str) -> Vec<String> {
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
        .bind(table)
        .fetch_all(pool)
        .await
        .unwrap();
    assert!(!columns.is_empty(), "{table} has columns");
    let row = columns
        .iter()
        .map(|c| format!("quote(\"{c}\")"))
        .collect::<Vec<_>>()
        .join(" || '|' || ");
    let mut rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT {row} FROM \"{table}\"")))
        .fetch_all(pool)
        .await
        .unwrap();
    rows.sort();
    rows
}

/// Every row of every table of `db`'s database that `kept` names, by
/// table, sorted: on SQLite each row as [`rows_of`] writes it, on
/// PostgreSQL as the row's own text form. For comparing one database
/// before and after, not one engine with the other.
pub async fn every_row(db: &store::Db, kept: impl Fn(&str) -> bool) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut tables = std::collections::BTreeMap::new();
    match store::engine::Engine::engine(db) {
        store::engine::EngineRef::Sqlite(pool) => {
            let names: Vec<String> =
                sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                    .fetch_all(pool)
                    .await
                    .unwrap();
            for table in names.into_iter().filter(|name| kept(name)) {
                let rows = rows_of(pool, &table).await;
                tables.insert(table, rows);
            }
        }
        store::engine::EngineRef::Postgres(pool) => {
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            for table in names.into_iter().filter(|name| kept(name)) {
                let mut rows: Vec<String> =
                    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT t::text FROM \"{table}\" t")))
                        .fetch_all(pool)
                        .await
                        .unwrap();
                rows.sort();
                tables.insert(table, rows);
            }
        }
    }
    tables
}

/// The commitments a list page shows (their slugs), in its order.
pub fn listed_in_order(html: &str) -> Vec<String> {
    html.match_indices("<h3 id=\"title-")
        .map(|(start, open)| {
            let rest = &html[start + open.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

impl TestSite {
    /// [`TestSite::of`] with its clock stopped at noon (UTC) on `today`:
    /// which dates the forms accept, and what the pages call overdue, then
    /// depend on the test, not on the day it runs.
    pub async fn on_of(db: store::Db, today: chrono::NaiveDate) -> TestSite {
        let mut site = TestSite::of(db).await;
        let mut state = state_of(site.db.clone(), &format!("{SITE}/"), "target/site");
        state.clock = Clock::Fixed(today.and_hms_opt(12, 0, 0).unwrap().and_utc());
        site.flashes = state.flashes.clone();
        site.app = router(state);
        site
    }
}

/// Every row of every table of the database behind `pool`, by table (see
/// [`rows_of`]). The tables are read from the schema, so one added by a
/// later migration is compared too; left out are SQLite's own tables and
/// the full-text indexes' virtual tables, whose rows are those of their
/// shadow tables (`…_data`, `…_idx`, `…_content`…), which are compared.
pub async fn every_table(pool: &SqlitePool) -> std::collections::BTreeMap<String, Vec<String>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema
         WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
           AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
         ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(
        names.iter().any(|n| n == "commitments"),
        "an Accord database: {names:?}"
    );
    let mut tables = std::collections::BTreeMap::new();
    for table in names {
        let rows = rows_of(pool, &table).await;
        tables.insert(table, rows);
    }
    tables
}

/// [`every_table`] of the SQLite file at `path`, read by a pool of its own.
pub async fn every_table_of(path: &std::path::Path) -> std::collections::BTreeMap<String, Vec<String>> {
    let pool = store::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let tables = every_table(&pool).await;
    pool.close().await;
    tables
}

/// The whole `Set-Cookie` of the session cookie, if the answer has one.
pub fn session_set_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{}=", server::SESSION_COOKIE)))
        .map(str::to_owned)
}

/// The `name=value` of the flash cookie a refused no-JS form post sets
/// (`server::flash`), if the answer has one.
pub fn flash_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{}=", server::flash::FLASH_COOKIE)) && !v.contains("Max-Age=0"))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// The refusal (the JSON of `app::error::AppError`) a refused no-JS form
/// post carries to its page, as the page will read it: the flash cookie
/// holds an id, and `flashes` the `__path=…&__err=<base64url JSON>` kept
/// under it.
pub async fn flash_error(flashes: &server::flash::Flash, headers: &HeaderMap) -> Option<Vec<u8>> {
    use base64::Engine;
    let cookie = flash_cookie(headers)?;
    let carried = flashes.peek(cookie.split_once('=')?.1).await?;
    let encoded = url::form_urlencoded::parse(carried.as_bytes())
        .find(|(k, _)| k == "__err")?
        .1
        .into_owned();
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .ok()
}

/// A folder of its own under the system's temporary folder.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let folder = std::env::temp_dir().join(format!("accord-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// The repository's root folder.
pub fn workspace_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The Python with the checkers `make tool-python` installs (feedparser,
/// jsonschema, pyld, Schemathesis), from `ACCORD_TEST_PYTHON` (relative to
/// the repository) or the venv in `.tools/`. Never the system Python: a
/// missing checker fails the test instead of letting it pass.
pub fn checker_python() -> std::path::PathBuf {
    let path = match std::env::var_os("ACCORD_TEST_PYTHON") {
        Some(path) if !path.is_empty() => {
            let path = std::path::PathBuf::from(path);
            if path.is_relative() {
                workspace_root().join(path)
            } else {
                path
            }
        }
        _ => workspace_root().join(".tools/venv/bin/python"),
    };
    assert!(
        path.exists(),
        "the checkers' Python is missing at {} (run `make tool-python`)",
        path.display()
    );
    path
}

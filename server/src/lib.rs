//! The axum side of Accord: configuration, the router that mounts the Leptos
//! app and its server functions, plain HTTP routes, and seeding.

pub mod allocator;
pub mod api_v1;
pub mod backup;
pub mod cards;
pub mod client_address;
pub mod conditional_get;
pub mod config;
pub mod corrections_feed;
pub mod cost_limits;
pub mod dataset_export;
pub mod dataset_file;
pub mod export;
pub mod feeds;
pub mod flash;
pub mod import;
pub mod language;
pub mod listener;
pub mod middleware;
pub mod migrate_db;
pub mod oembed;
pub mod page_cache;
pub mod postgres_backup;
pub mod rendered_comparison;
pub mod robots;
pub mod route_error;
pub mod seed;
pub mod sitemap;
pub mod users;
pub mod valid_html;
pub mod xml;

use app::{shell, App};
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use domain::{Clock, PublicUrl};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use store::Db;
use tower_http::compression::predicate::{NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, DefaultPredicate};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "accord_session";
/// A session ends after this long without a request from its holder.
pub const SESSION_IDLE_LIMIT: time::Duration = time::Duration::hours(8);

/// Everything a request handler may need.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    /// The database, and the line its writers share: one per site.
    pub db: Db,
    pub public_url: PublicUrl,
    /// The time pages, feeds, exports and writes are dated by: the system
    /// clock when serving; tests fix it.
    pub clock: Clock,
    /// Share cards already drawn, this site's own.
    pub cards: cards::CardCache,
    /// No-JS forms' refusals on their way to the page (`flash`).
    pub flashes: flash::Flash,
    /// The proxies whose X-Forwarded-For is believed (`--trusted-proxies`).
    pub trusted_proxies: client_address::TrustedProxies,
}

/// The whole HTTP application. Tests drive it with `tower::ServiceExt::oneshot`.
pub fn router(state: AppState) -> Router {
    router_with_limits(state, Limits::default())
}

/// How much a request may send and how long it may take.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Larger bodies are refused with 413 before they are read.
    pub max_body_bytes: usize,
    /// Requests that take longer are answered 408.
    pub request_timeout: std::time::Duration,
    /// How long a rendered page may be served from memory to readers who
    /// are not signed in; `None` renders every request.
    pub page_cache_ttl: Option<std::time::Duration>,
    /// How many costly requests (server functions by URL, exports, images,
    /// the JSON API) may run at once, each kind (see `cost_limits`).
    pub costly: cost_limits::CostBounds,
    /// The most URLs one sitemap file lists; past it `/sitemap.xml` is an
    /// index of numbered files (tests use fewer).
    pub sitemap_urls: usize,
    /// How much of one core's time editors' writes may spend while readers
    /// are answered (`page_cache::write_turns`); 1: writes never wait.
    pub write_share: f64,
}

/// While readers are answered, editors' writes may spend a tenth of one
/// core's time, as `page_cache::write_turns` counts it (the value chosen
/// by measuring what readers keep beside sixteen editors saving back to
/// back: docs/PERFORMANCE.md, issue 17, eighth part).
pub const DEFAULT_WRITE_SHARE: f64 = 0.1;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: MAX_BODY_BYTES,
            request_timeout: REQUEST_TIMEOUT,
            page_cache_ttl: Some(std::time::Duration::from_secs(60)),
            costly: cost_limits::CostBounds::default(),
            sitemap_urls: sitemap::MAX_SITEMAP_URLS,
            write_share: DEFAULT_WRITE_SHARE,
        }
    }
}

/// `router` with other limits (tests use a short timeout).
pub fn router_with_limits(state: AppState, limits: Limits) -> Router {
    site_with_limits(state, limits).router
}

/// The application and its page cache, which the connection loop asks
/// before the router (see `PageCache::serve_kept`).
pub struct Site {
    pub router: Router,
    /// `None` when `Limits::page_cache_ttl` is.
    pub kept_pages: Option<std::sync::Arc<page_cache::PageCache>>,
}

/// `router_with_limits`, with the page cache it built.
pub fn site_with_limits(state: AppState, limits: Limits) -> Site {
    let routes = generate_route_list(App);
    // Server functions and pages find the database, the public URL and the
    // clock in context.
    let context = {
        let db = state.db.clone();
        let public_url = state.public_url.clone();
        let clock = state.clock.clone();
        move || {
            provide_context(db.clone());
            provide_context(public_url.clone());
            provide_context(clock.clone());
            // The request's language (`language::split_language`), once per
            // request, so components need not read the request for it.
            if let Some(parts) = use_context::<http::request::Parts>() {
                provide_context(parts.extensions.get::<domain::Locale>().copied().unwrap_or_default());
            }
        }
    };
    let render_shell = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    // Sessions live in the database; the cookie carries only a random id. Secure
    // when the site is served over https; SameSite=Lax keeps it off
    // cross-site form posts.
    let sessions = SessionManagerLayer::new(store::sessions::SiteSessionStore::new(state.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.public_url.0.scheme() == "https")
        .with_expiry(Expiry::OnInactivity(SESSION_IDLE_LIMIT))
        // A session's expiry moves only when it is saved: saving it after
        // every request an editor makes is what makes the limit one of
        // inactivity (a read-only visit would not move it otherwise). The
        // store writes such a save only once the expiry has moved by a
        // minute (`store::sessions::EXPIRY_SLACK_SECONDS`), so page reads
        // do not queue behind editors' writes. Readers have no session.
        .with_always_save(true);
    // Outside everything: a cached page costs no session lookup, no timer,
    // no header rewriting (its security headers were stored with it) and no
    // compression.
    // Kept pages go stale when the store commits a write of something they
    // show.
    let kept_pages = limits
        .page_cache_ttl
        .map(|ttl| page_cache::PageCache::new(ttl, 256, state.db.data_changes(), limits.write_share));
    let page_cache_layer = tower::util::option_layer(
        kept_pages
            .clone()
            .map(|cache| axum::middleware::from_fn_with_state(cache, page_cache::serve_cached_pages)),
    );
    // Outermost (below): a form's error reaches a page only through the
    // posting browser's flash cookie (an id of a refusal kept on the
    // server), never through a link.
    let flash = flash::FlashLayer {
        flashes: state.flashes.clone(),
        secure: state.public_url.0.scheme() == "https",
    };
    let site = Router::new()
        .route("/healthz", get(healthz))
        .merge(feeds::routes())
        .merge(corrections_feed::routes())
        .merge(export::routes())
        .merge(cards::routes())
        .merge(api_v1::routes())
        .merge(robots::routes())
        .merge(sitemap::routes(limits.sitemap_urls))
        .merge(oembed::routes())
        // The hydration bundle and styles, with the precompressed `.gz`
        // files `make release` writes next to them.
        .nest_service(
            &format!("/{}", state.leptos_options.site_pkg_dir),
            tower::ServiceBuilder::new()
                .layer(axum::middleware::from_fn(bundle_cache_headers))
                .service(
                    ServeDir::new(format!(
                        "{}/{}",
                        state.leptos_options.site_root, state.leptos_options.site_pkg_dir
                    ))
                    .precompressed_gzip()
                    .not_found_service(axum::handler::HandlerWithoutStateExt::into_service(missing_file)),
                ),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), render_shell)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .method_not_allowed_fallback(method_not_allowed)
        // Innermost: every page is made valid HTML before anything (the
        // page cache included) reads or keeps it.
        .layer(axum::middleware::from_fn(valid_html::repair_pages))
        .layer(axum::middleware::from_fn(middleware::status_from_app_error))
        .layer(axum::middleware::from_fn(middleware::refuse_other_form_encodings))
        .layer(axum::middleware::from_fn(middleware::keep_editors_pages_private))
        .layer(axum::middleware::from_fn_with_state(
            state.public_url.clone(),
            middleware::refuse_cross_origin,
        ))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(
            state.public_url.0.scheme() == "https",
            middleware::add_security_headers,
        ))
        // Bodies larger than any form needs are refused (413) before they
        // are read; requests that take too long are answered 408.
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes))
        // Costly requests the page cache does not keep run a bounded number
        // at a time (503 with Retry-After beyond it).
        .layer(axum::middleware::from_fn_with_state(
            cost_limits::CostLimits::new(limits.costly),
            cost_limits::bound_costly_requests,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        // The two answers above, under /api/v1, in the API's JSON error shape.
        .layer(axum::middleware::from_fn(api_v1::json_answers_from_site_limits))
        // Before anything that limits or logs by address.
        .layer(axum::middleware::from_fn_with_state(
            state.trusted_proxies.clone(),
            client_address::resolve_client_address,
        ))
        .with_state(state)
        // gzip or brotli for clients that accept it (pages shrink ~6×), at a
        // moderate level: the maximum made compressing the wasm bundle take
        // seconds per request.
        // The wasm bundle is not compressed per request (9 MB in debug
        // builds: seconds of CPU); release builds ship it gzipped beside the
        // original, and /pkg serves that file as it is.
        .layer(
            CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Precise(4))
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("application/wasm"))),
        )
        .layer(TraceLayer::new_for_http());
    // The page cache sits in front of everything: a kept page is answered
    // before any route is matched, any handler (and its state) is cloned,
    // or any other layer runs; it compresses kept pages itself, once per
    // version.
    // The language prefix comes off after the page cache (which keys on
    // the whole URL) and before routing.
    let site = tower::ServiceBuilder::new()
        .map_request(language::split_language)
        .service(site);
    let router =
        Router::new()
            .fallback_service(site)
            .layer(page_cache_layer)
            .layer(axum::middleware::from_fn_with_state(
                flash,
                flash::carry_form_errors_in_a_cookie,
            ));
    Site { router, kept_pages }
}

/// The largest request body accepted: the longest form (a status change with
/// a new source: note 2,000 and quote 4,000 characters, up to 4 bytes each,
/// percent-encoded) stays well below it.
pub const MAX_BODY_BYTES: usize = 128 * 1024;

/// How long a request may take before the server gives up on it.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Where cargo-leptos leaves the names it gave the bundle's files: beside
/// the server binary (leptos reads it from there too).
pub fn hash_file_beside_binary(file_name: &str) -> Option<std::path::PathBuf> {
    Some(std::env::current_exe().ok()?.parent()?.join(file_name))
}

/// Whether a file name carries its content's hash, as cargo-leptos names
/// them with `hash-files`: `stem.<22 characters of base64url MD5>.ext`.
pub fn is_content_named(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3 && {
        let hash = parts[parts.len() - 2];
        hash.len() == 22
            && hash
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }
}

/// Bundle files named by their content never change: browsers and proxies
/// may keep them for a year without asking again. Any other file under
/// /pkg (a development build's plain names) is checked on every use.
async fn bundle_cache_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let forever = is_content_named(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let policy = if forever {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static(policy),
        );
    }
    response
}

/// A file under /pkg that does not exist (or a path that tries to leave it).
async fn missing_file() -> (StatusCode, [(axum::http::HeaderName, &'static str); 1], &'static str) {
    (
        StatusCode::NOT_FOUND,
        [(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "There is no such file.\n",
    )
}

/// A route that exists, asked with another method: say so in words (axum's
/// own answer has an empty body; its `Allow` header is kept).
async fn method_not_allowed(
    method: axum::http::Method,
    uri: axum::http::Uri,
) -> (StatusCode, [(axum::http::HeaderName, &'static str); 1], String) {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{} does not accept {method} requests.\n", uri.path()),
    )
}

/// Liveness and readiness: answers 200 only when the database answers.
async fn healthz(State(db): State<Db>) -> (StatusCode, &'static str) {
    match store::maintenance::ping(&db).await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(error) => {
            tracing::error!(%error, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::api::auth::{whoami, Login, Logout};
use crate::components::LanguageSwitcher;
use crate::locale::{local_path, tr, use_locale};
use crate::pages::{
    CommitmentPage, CorrectionsPage, EditCommitmentPage, HistoryPage, HomePage, LoginPage, MethodologyPage,
    NewCommitmentPage, NotFoundPage, ReviewPage, SummitPage, SummitsPage,
};

/// The Content-Security-Policy of every page: scripts only from this site
/// or inline with this response's nonce (Leptos marks its hydration scripts
/// with it), wasm allowed to compile, no inline styles, no framing, forms
/// posting only here.
#[cfg(feature = "ssr")]
pub fn page_content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sends the page's CSP with the nonce leptos_axum generated for this response.
fn send_content_security_policy() {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(value) = http::HeaderValue::from_str(&page_content_security_policy(&nonce.to_string())) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    send_content_security_policy();
    let locale = use_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.html_lang()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                // Release builds name the bundle files by their content
                // (cargo-leptos `hash-files`), so browsers may keep them for
                // good; both components read the names from the build.
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The text of the page's `<title>`. leptos_meta writes the title into the
/// server-rendered HTML as it is (in the browser it is set as plain text), and
/// titles carry editors' and readers' words (commitment titles, searches), so
/// the server escapes them here.
pub fn title_text(text: String) -> String {
    if cfg!(feature = "ssr") {
        crate::components::escape_html(&text)
    } else {
        text
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = use_locale();
    view! {
        <Title formatter=title_text />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta name="color-scheme" content="light dark" />
        <a class="skip-link" href="#main">{tr(locale, "skip-to-content")}</a>
        <Router>
            <SiteLayout />
        </Router>
        <footer class="site-footer">
            <div class="wrap">
                <p>{tr(locale, "footer-about")}</p>
                <p class="footer-links">
                    <a href=local_path(locale, "/methodology")>{tr(locale, "methodology-title")}</a>
                    " · "
                    <a href=local_path(locale, "/corrections")>{tr(locale, "corrections-heading")}</a>
                </p>
            </div>
        </footer>
    }
}

/// The header and the routed page. Lives inside the router so that the sign-in
/// and sign-out actions can read errors a plain form post left in the URL.
#[component]
fn SiteLayout() -> impl IntoView {
    // The login page's form posts through the same action (it reads the
    // refusal a plain form post left in the URL).
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    provide_context(login);
    let locale = use_locale();
    view! {
        <header class="site-header">
                <div class="wrap header-row">
                    <a class="brand" href=local_path(locale, "/")>
                        <span class="brand-name">"Accord"</span>
                        <span class="brand-tagline">{tr(locale, "site-tagline")}</span>
                    </a>
                    <LanguageSwitcher />
                    <AccountMenu logout />
                </div>
            </header>
            // Pages render completely before they are sent (`SsrMode::Async`), so
            // readers without JavaScript get the whole page, titles and meta tags
            // are in <head>, and a missing item can answer with a real 404.
            <main id="main" class="wrap" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/commitments/:slug") view=CommitmentPage ssr=SsrMode::Async />
                    <Route path=path!("/commitments/:slug/history") view=HistoryPage ssr=SsrMode::Async />
                    <Route path=path!("/commitments/:slug/edit") view=EditCommitmentPage ssr=SsrMode::Async />
                    <Route path=path!("/editor/new-commitment") view=NewCommitmentPage ssr=SsrMode::Async />
                    <Route path=path!("/review") view=ReviewPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/summits") view=SummitsPage ssr=SsrMode::Async />
                    <Route path=path!("/summits/:slug") view=SummitPage ssr=SsrMode::Async />
                    <Route path=path!("/methodology") view=MethodologyPage ssr=SsrMode::Async />
                    <Route path=path!("/corrections") view=CorrectionsPage ssr=SsrMode::Async />
                </Routes>
            </main>
    }
}

/// "Editor sign-in", or the signed-in editor's name and a sign-out button.
#[component]
fn AccountMenu(logout: ServerAction<Logout>) -> impl IntoView {
    let user = Resource::new(|| (), |_| whoami());
    let locale = use_locale();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match user.await.ok().flatten() {
                    Some(user) => view! {
                        <div class="account">
                            <span>{tr(locale, "signed-in-as")} " " <strong>{user.name}</strong></span>
                            <a class="account-link" href=local_path(locale, "/editor/new-commitment")>{tr(locale, "new-commitment")}</a>
                            <a class="account-link" href=local_path(locale, "/review")>{tr(locale, "review-suggestions")}</a>
                            <ActionForm action=logout attr:class="inline-form">
                                <button type="submit" class="button small">{tr(locale, "sign-out")}</button>
                            </ActionForm>
                        </div>
                    }
                    .into_any(),
                    None => view! { <a class="account-link" href=local_path(locale, "/login")>{tr(locale, "editor-sign-in")}</a> }.into_any(),
                }
            })}
        </Suspense>
    }
}

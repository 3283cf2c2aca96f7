use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::pages::{CommitmentPage, HomePage, NotFoundPage};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/accord.css" />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta name="color-scheme" content="light" />
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <div class="wrap">
                <a class="brand" href="/">
                    <span class="brand-name">"Accord"</span>
                    <span class="brand-tagline">"What governments promise each other, item by item"</span>
                </a>
            </div>
        </header>
        <Router>
            // Pages render completely before they are sent (`SsrMode::Async`), so
            // readers without JavaScript get the whole page, titles and meta tags
            // are in <head>, and a missing item can answer with a real 404.
            <main id="main" class="wrap" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/commitments/:slug") view=CommitmentPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
        <footer class="site-footer">
            <div class="wrap">
                <p>
                    "Accord tracks commitments made at summits, one status per party, each change dated and sourced. "
                    "Statuses are editorial judgements based on the quoted sources."
                </p>
            </div>
        </footer>
    }
}

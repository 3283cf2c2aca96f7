use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The body shown for anything that does not exist. Sets a real 404 status
/// when rendered on the server.
#[component]
pub fn NotFound(#[prop(into)] message: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found · Accord" />
        <Meta name="robots" content="noindex" />
        <section class="not-found" aria-labelledby="not-found-heading">
            <h1 id="not-found-heading">"We can’t find that page"</h1>
            <p>{message}</p>
            <p>
                "The address may be mistyped, or the item may have been given a different address. "
                <a href="/">"Browse all commitments"</a>
                " to find what you were looking for."
            </p>
        </section>
    }
}

/// The router's fallback for paths that match no route.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <NotFound message="No page exists at this address." /> }
}

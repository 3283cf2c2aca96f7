use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::locale::{local_path, text, tr, tr_with, use_locale};

/// The body shown for anything that does not exist. Sets a real 404 status
/// when rendered on the server. `what` names the missing thing as the
/// server function put it (a slug, in English), or is empty for an unknown
/// address.
#[component]
pub fn NotFound(#[prop(into)] message: String) -> impl IntoView {
    let locale = use_locale();
    let message = if message.is_empty() {
        tr(locale, "not-found-address")
    } else {
        tr_with(locale, "not-found-what", &[("what", text(message))])
    };
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=tr_with(locale, "title-short", &[("page", text(tr(locale, "not-found-title")))]) />
        <Meta name="robots" content="noindex" />
        <section class="not-found" aria-labelledby="not-found-heading">
            <h1 id="not-found-heading">{tr(locale, "not-found-heading")}</h1>
            <p>{message}</p>
            <p>
                {tr(locale, "not-found-hint")} " "
                <a href=local_path(locale, "/")>{tr(locale, "not-found-browse")}</a>
            </p>
        </section>
    }
}

/// The router's fallback for paths that match no route.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <NotFound message="" /> }
}

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::auth::Login;
use crate::components::{CanonicalLink, FieldMessage};
use crate::locale::{local_path, tr, use_locale};

/// `/login`: editors sign in here. Readers never need an account.
#[component]
pub fn LoginPage() -> impl IntoView {
    let action = expect_context::<ServerAction<Login>>();
    let query = use_query_map();
    let locale = use_locale();
    let next = move || query.read().get("next").unwrap_or_else(|| local_path(locale, "/"));
    // A sign-in posted without JavaScript comes back with its error in the
    // URL; the router offers that error only to actions created inside the
    // routes (not to the shared one in the header), so one is made here.
    let from_plain_post = ServerAction::<Login>::new();
    let error = move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| from_plain_post.value().get().and_then(|r| r.err()))
    };
    let form_message = move || {
        error().map(|e| {
            e.field_errors()
                .and_then(|f| f.get("form").map(str::to_owned))
                .unwrap_or_else(|| e.message(locale))
        })
    };
    let typed_name = move || error().and_then(|e| e.field_errors().and_then(|f| f.value("name").map(str::to_owned)));
    view! {
        <Title text=tr(locale, "login-title") />
        <Meta name="robots" content="noindex" />
        <CanonicalLink />
        <section class="login" aria-labelledby="login-heading">
            <h1 id="login-heading">{tr(locale, "editor-sign-in")}</h1>
            <p>{tr(locale, "login-intro")}</p>
            <ActionForm action=action attr:class="edit-form">
                <input type="hidden" name="next" value=next />
                {move || view! { <FieldMessage id="login-error".into() message=form_message() /> }}
                <div class="field">
                    <label for="name">{tr(locale, "login-name")}</label>
                    <input id="name" name="name" autocomplete="username" required value=move || typed_name().unwrap_or_default() />
                </div>
                <div class="field">
                    <label for="password">{tr(locale, "login-password")}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                </div>
                <button type="submit" class="button primary">{tr(locale, "login-submit")}</button>
            </ActionForm>
        </section>
    }
}

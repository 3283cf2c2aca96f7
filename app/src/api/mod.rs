//! Server functions: thin wrappers that authorise, call `store`, and map errors.

pub mod auth;
pub mod commitments;
pub mod corrections;
// Forms post their fields by name; a server function takes them as one
// input struct from `domain` (`#[server(flatten)]`), so a new field is one
// line in that struct, and the form is shown again from its echo.
pub mod editing;
pub mod suggestions;

/// What the server functions need from the server, provided as Leptos context
/// by the axum router for every request.
#[cfg(feature = "ssr")]
pub mod context {
    use crate::error::AppError;
    use leptos::prelude::*;
    use store::Db;

    pub use domain::{Clock, PublicUrl};

    /// The request's clock; the system clock when the router provided none.
    pub fn clock() -> Clock {
        use_context::<Clock>().unwrap_or_default()
    }

    /// The database, with the line its writers share.
    pub fn db() -> Result<Db, AppError> {
        use_context::<Db>().ok_or_else(|| {
            tracing::error!("no database in the server function's context");
            AppError::Internal
        })
    }

    pub fn public_url() -> Result<PublicUrl, AppError> {
        use_context::<PublicUrl>().ok_or_else(|| {
            tracing::error!("no public URL in the server function's context");
            AppError::Internal
        })
    }

    /// The request's session (stored server-side in SQLite).
    pub async fn session() -> Result<tower_sessions::Session, AppError> {
        leptos_axum::extract::<tower_sessions::Session>()
            .await
            .map_err(|error| {
                tracing::error!(%error, "no session layer in front of the server function");
                AppError::Internal
            })
    }

    /// The signed-in editor, if any (and if their account is still enabled).
    pub async fn current_user() -> Result<Option<domain::CurrentUser>, AppError> {
        let session = session().await?;
        let user_id = session
            .get::<i64>(store::sessions::USER_ID_KEY)
            .await
            .map_err(|error| {
                tracing::error!(%error, "session store");
                AppError::Internal
            })?;
        match user_id {
            Some(id) => {
                let db = db()?;
                Ok(store::users::find_active_user(&db, id).await?)
            }
            None => Ok(None),
        }
    }

    /// The signed-in editor, or a 401 refusal.
    pub async fn require_editor() -> Result<domain::CurrentUser, AppError> {
        current_user().await?.ok_or(AppError::Unauthorized)
    }

    /// The client's address as the server resolved it (its `client_address`
    /// middleware: the socket's peer, or what trusted proxies forwarded), for
    /// rate limits and logs; `None` when not served over TCP, as in tests
    /// that set no peer.
    pub fn client_address() -> Option<domain::ClientAddress> {
        use_context::<http::request::Parts>()?
            .extensions
            .get::<domain::ClientAddress>()
            .copied()
    }

    /// The key rate limits count the client under: its address group, or
    /// "unknown" when the server knows no address.
    pub fn client_address_group() -> String {
        client_address().map_or_else(|| "unknown".to_owned(), |address| address.group())
    }

    /// Sets the HTTP status of the current response (the page during SSR, or
    /// the server function's own response) from the error, then returns it.
    /// A plain form post (no JavaScript) is left alone: Leptos answers it with
    /// a redirect back to the form, carrying the error in the URL, and a 4xx
    /// status would stop the browser from following it.
    pub fn fail(mut error: AppError) -> AppError {
        // Field messages in the language of the page the form came from.
        if let AppError::Invalid(form) | AppError::Conflict { values: form, .. } = &mut error {
            crate::locale::word_form(crate::locale::use_locale(), form);
        }
        let plain_form_post = use_context::<http::request::Parts>().is_some_and(|parts| {
            parts.method == http::Method::POST
                && parts
                    .headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|accept| accept.contains("text/html"))
        });
        if !plain_form_post {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                if let Ok(code) = http::StatusCode::from_u16(error.status_code()) {
                    response.set_status(code);
                }
            }
        }
        error
    }
}

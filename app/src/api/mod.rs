//! Server functions: thin wrappers that authorise, call `db`, and map errors.

pub mod commitments;

/// What the server functions need from the server, provided as Leptos context
/// by the axum router for every request.
#[cfg(feature = "ssr")]
pub mod context {
    use crate::error::AppError;
    use leptos::prelude::*;
    use sqlx::SqlitePool;

    /// The public base URL (`ACCORD_PUBLIC_URL`) used for canonical and share links.
    #[derive(Clone, Debug)]
    pub struct PublicUrl(pub url::Url);

    impl PublicUrl {
        /// The absolute URL of a site path such as `/commitments/x`.
        pub fn join(&self, path: &str) -> String {
            self.0
                .join(path.trim_start_matches('/'))
                .map(String::from)
                .unwrap_or_else(|_| self.0.to_string())
        }
    }

    pub fn pool() -> Result<SqlitePool, AppError> {
        use_context::<SqlitePool>().ok_or_else(|| {
            tracing::error!("no database pool in the server function's context");
            AppError::Internal
        })
    }

    pub fn public_url() -> Result<PublicUrl, AppError> {
        use_context::<PublicUrl>().ok_or_else(|| {
            tracing::error!("no public URL in the server function's context");
            AppError::Internal
        })
    }

    /// Sets the HTTP status of the current response (the page during SSR, or
    /// the server function's own response) from the error, then returns it.
    pub fn fail(error: AppError) -> AppError {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(code) = http::StatusCode::from_u16(error.status_code()) {
                response.set_status(code);
            }
        }
        error
    }
}

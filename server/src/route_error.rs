//! Errors of the plain HTTP routes (feeds, exports, badges and cards),
//! answered as short plain-text bodies.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::Slug;

#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// Nothing at this address; the message is shown to the reader.
    #[error("{0}")]
    NotFound(&'static str),
    /// The request cannot be answered as asked; the message says why.
    #[error("{0}")]
    BadRequest(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Something on our side failed (writing a file, rendering an image).
    #[error("{0}")]
    Internal(String),
}

impl RouteError {
    pub fn no_commitment() -> RouteError {
        RouteError::NotFound("There is no commitment at this address.")
    }
}

impl IntoResponse for RouteError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            RouteError::NotFound(message) => (StatusCode::NOT_FOUND, (*message).to_owned()),
            RouteError::BadRequest(message) => (StatusCode::BAD_REQUEST, message.clone()),
            RouteError::Database(error) => {
                tracing::error!(%error, "database error while answering a plain route");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side. Please try again later.".to_owned(),
                )
            }
            RouteError::Internal(error) => {
                tracing::error!(%error, "internal error while answering a plain route");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side. Please try again later.".to_owned(),
                )
            }
        };
        (
            status,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            format!("{message}\n"),
        )
            .into_response()
    }
}

/// A commitment slug from a path; anything malformed cannot name one.
pub fn commitment_slug(raw: &str) -> Result<Slug, RouteError> {
    Slug::parse(raw).map_err(|_| RouteError::no_commitment())
}

//! The API's one error shape, and the caching of successful answers.

use std::collections::BTreeMap;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::SubmittedForm;
use serde::Serialize;
use utoipa::ToSchema;

use super::MAX_AGE_SECONDS;

/// Why a request failed. Every variant answers with an `ErrorBody`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("The query has values that cannot be used: {}", .0.summary())]
    BadQuery(SubmittedForm),
    #[error("{0}")]
    NotFound(String),
    #[error("This API is read-only: use GET.")]
    MethodNotAllowed,
    /// Every turn the API has (`cost_limits`) is taken.
    #[error("The server is busy with API requests; try again in a second.")]
    Busy,
    /// The request came with a body larger than the site accepts (the API
    /// reads none, but the limit stands in front of every route).
    #[error("The request's body is too large; the API reads none: send GET without one.")]
    BodyTooLarge,
    /// The answer was not ready within the site's time limit.
    #[error("The request took too long to answer. Try again later.")]
    TimedOut,
    #[error("The server could not read its database. Try again later.")]
    Database(#[from] sqlx::Error),
}

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"error": "The query has values that cannot be used: status: “x” is not a status.", "fields": {"status": "“x” is not a status."}}))]
pub struct ErrorBody {
    /// What went wrong, in words a person can act on.
    pub error: String,
    /// For a refused query: each offending parameter with its message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub fields: Option<BTreeMap<String, String>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        let (status, fields) = match self {
            ApiError::BadQuery(errors) => (StatusCode::BAD_REQUEST, Some(errors.errors)),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, None),
            ApiError::BodyTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, None),
            ApiError::TimedOut => (StatusCode::REQUEST_TIMEOUT, None),
            ApiError::MethodNotAllowed => {
                let body = Json(ErrorBody {
                    error: message,
                    fields: None,
                });
                return (
                    StatusCode::METHOD_NOT_ALLOWED,
                    [(header::ALLOW, HeaderValue::from_static("GET, HEAD"))],
                    body,
                )
                    .into_response();
            }
            ApiError::Busy => {
                let body = Json(ErrorBody {
                    error: message,
                    fields: None,
                });
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, HeaderValue::from_static("1"))],
                    body,
                )
                    .into_response();
            }
            ApiError::Database(error) => {
                tracing::error!(%error, "JSON API: database query failed");
                (StatusCode::INTERNAL_SERVER_ERROR, None)
            }
        };
        (status, Json(ErrorBody { error: message, fields })).into_response()
    }
}

/// A successful answer: JSON, cacheable by anyone for a minute.
pub(super) fn cached<T: Serialize>(body: T) -> Response {
    (
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_str(&format!("public, max-age={MAX_AGE_SECONDS}"))
                .unwrap_or_else(|_| HeaderValue::from_static("public")),
        )],
        Json(body),
    )
        .into_response()
}

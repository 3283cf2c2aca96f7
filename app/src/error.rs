//! The application's one error type. It crosses the server/browser boundary,
//! so it carries only messages that are safe to show; internal causes are
//! logged on the server and replaced by a generic message.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use domain::{ConflictInfo, SubmittedForm};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{0} was not found")]
    NotFound(String),
    /// Input refused: a message per field, and what was typed.
    #[error("Please correct the highlighted fields: {}", .0.summary())]
    Invalid(SubmittedForm),
    /// The commitment changed after the form was loaded; nothing was written.
    #[error("{message}")]
    Conflict {
        message: String,
        /// Boxed to keep every `Result<_, AppError>` small.
        info: Box<ConflictInfo>,
        values: SubmittedForm,
    },
    #[error("Sign in as an editor to do this.")]
    Unauthorized,
    #[error("{0}")]
    TooManyRequests(String),
    #[error("Something went wrong on our side. Please try again; if it keeps happening, tell the editors.")]
    Internal,
    #[error("The request could not be completed: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status this error maps to at the edge.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Invalid(_) => 422,
            AppError::Conflict { .. } => 409,
            AppError::Unauthorized => 401,
            AppError::TooManyRequests(_) => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 400,
        }
    }

    /// The commitment changed after the form was loaded.
    pub fn conflict(info: ConflictInfo, values: SubmittedForm) -> AppError {
        AppError::Conflict {
            message: info.message(),
            info: Box::new(info),
            values,
        }
    }

    /// A refusal of the whole form (not tied to one field).
    pub fn form(message: impl Into<String>) -> AppError {
        let mut errors = SubmittedForm::default();
        errors.add("form", message);
        AppError::Invalid(errors)
    }

    /// The field messages and typed values to show the form again with.
    pub fn field_errors(&self) -> Option<&SubmittedForm> {
        match self {
            AppError::Invalid(errors) => Some(errors),
            AppError::Conflict { values, .. } => Some(values),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed form bodies or arguments are the client's mistake.
            ServerFnErrorErr::Args(message) => AppError::form(format!(
                "The form could not be read ({message}). Reload the page and try again."
            )),
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}

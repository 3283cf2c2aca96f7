//! The application's one error type. It crosses the server/browser boundary,
//! so it carries only messages that are safe to show; internal causes are
//! logged on the server and replaced by a generic message.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::locale::{text, tr, tr_with};
use domain::{ConflictInfo, Locale, SubmittedForm};

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

    /// What to tell the reader, in `locale`: the catalogue's words for the
    /// fixed errors; the others carry their message, worded where they were
    /// made (in the language of the request).
    pub fn message(&self, locale: Locale) -> String {
        match self {
            AppError::NotFound(what) => tr_with(locale, "not-found-what", &[("what", text(what.clone()))]),
            AppError::Invalid(_) => tr(locale, "form-nothing-saved"),
            AppError::Conflict { message, .. } => message.clone(),
            AppError::Unauthorized => tr(locale, "error-unauthorized"),
            AppError::TooManyRequests(message) => message.clone(),
            AppError::Internal => tr(locale, "error-internal"),
            AppError::Transport(detail) => tr_with(locale, "error-transport", &[("detail", text(detail.clone()))]),
        }
    }

    /// The commitment changed after the form was loaded.
    pub fn conflict(info: ConflictInfo, values: SubmittedForm) -> AppError {
        let locale = crate::locale::use_locale();
        AppError::Conflict {
            message: tr_with(
                locale,
                "error-conflict",
                &[
                    ("name", text(info.changed_by.clone())),
                    ("when", text(i18n::date_time(locale, info.changed_at))),
                    ("change", text(info.change.clone())),
                ],
            ),
            info: Box::new(info),
            values,
        }
    }

    /// A refusal of the whole form (not tied to one field).
    pub fn form(message: impl Into<String>) -> AppError {
        let mut errors = SubmittedForm::default();
        errors.add("form", message.into());
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

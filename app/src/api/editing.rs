use leptos::prelude::*;

use crate::error::AppError;

/// Records a status change from the "Update status" form. Field names are
/// the form's; `source_ids[]` are the chosen existing sources.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "update_status")]
pub async fn update_status(
    slug: String,
    version: String,
    party: Option<String>,
    status: Option<String>,
    effective_on: String,
    note: String,
    source_ids: Option<Vec<String>>,
    source_publisher: Option<String>,
    source_title: Option<String>,
    source_published_on: Option<String>,
    source_url: Option<String>,
    source_quote: Option<String>,
    source_kind: Option<String>,
    abandoned: Option<String>,
) -> Result<(), AppError> {
    use super::context::{fail, pool, require_editor};
    use domain::{NewSourceInput, Slug, StatusChangeContext, StatusChangeInput};
    use store::{self, editing::WriteError};

    let editor = require_editor().await.map_err(fail)?;
    let pool = pool().map_err(fail)?;
    let not_found = || fail(AppError::NotFound(format!("The commitment “{slug}”")));
    let parsed_slug = Slug::parse(&slug).map_err(|_| not_found())?;
    let dates = store::commitments::find_change_dates(&pool, &parsed_slug)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(not_found)?;

    let input = StatusChangeInput {
        party: party.unwrap_or_default(),
        status: status.unwrap_or_default(),
        effective_on,
        note,
        source_ids: source_ids.unwrap_or_default(),
        new_source: NewSourceInput {
            publisher: source_publisher.unwrap_or_default(),
            title: source_title.unwrap_or_default(),
            published_on: source_published_on.unwrap_or_default(),
            url: source_url.unwrap_or_default(),
            quote: source_quote.unwrap_or_default(),
            kind: source_kind.unwrap_or_default(),
        },
        abandoned: abandoned.is_some_and(|v| !v.is_empty()),
        version,
    };
    let context = StatusChangeContext {
        today: super::context::clock().today(),
        summit_held_on: dates.summit_held_on,
        due_on: dates.due_on,
    };
    let change = input
        .parse(&context)
        .map_err(|errors| fail(AppError::Invalid(errors)))?;
    let values = domain::FieldErrors {
        values: input.echo(),
        ..Default::default()
    };
    match store::editing::record_status_change(
        &pool,
        &parsed_slug,
        &change,
        &values,
        &editor,
        super::context::clock().now(),
    )
    .await
    {
        Ok(recorded) => {
            tracing::info!(editor = %editor.name, slug = %parsed_slug, version = recorded.version, "status change recorded");
            let anchor = recorded
                .status_update_ids
                .first()
                .map(|id| format!("#update-{id}"))
                .unwrap_or_default();
            leptos_axum::redirect(&format!("/commitments/{parsed_slug}{anchor}"));
            Ok(())
        }
        Err(WriteError::NotFound) => Err(not_found()),
        Err(WriteError::Conflict(info)) => Err(fail(AppError::conflict(info, values))),
        Err(WriteError::Invalid(errors)) => Err(fail(AppError::Invalid(errors))),
        Err(WriteError::Database(error)) => Err(fail(error.into())),
    }
}

/// The revision history of a commitment (public).
#[server(endpoint = "get_history", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_history(slug: String) -> Result<domain::CommitmentHistory, AppError> {
    use super::context::{fail, pool};
    use domain::Slug;
    let not_found = || fail(AppError::NotFound(format!("The commitment “{slug}”")));
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let pool = pool().map_err(fail)?;
    store::editing::list_revisions(&pool, &parsed)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(not_found)
}

/// Reverts a commitment to an earlier revision (editors only).
#[server(endpoint = "revert_commitment")]
pub async fn revert_commitment(slug: String, to_version: String, version: String) -> Result<(), AppError> {
    use super::context::{fail, pool, require_editor};
    use domain::{FieldErrors, Slug};
    use store::editing::WriteError;

    let editor = require_editor().await.map_err(fail)?;
    let not_found = || fail(AppError::NotFound(format!("The commitment “{slug}”")));
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let (Ok(to_version), Ok(expected)) = (to_version.trim().parse::<i64>(), version.trim().parse::<i64>()) else {
        return Err(fail(AppError::form(
            "This form is out of date; reload the page and try again.",
        )));
    };
    let pool = pool().map_err(fail)?;
    match store::editing::revert_commitment(
        &pool,
        &parsed,
        to_version,
        expected,
        &editor,
        super::context::clock().now(),
    )
    .await
    {
        Ok(new_version) => {
            tracing::info!(editor = %editor.name, slug = %parsed, to_version, new_version, "reverted");
            leptos_axum::redirect(&format!("/commitments/{parsed}/history"));
            Ok(())
        }
        Err(WriteError::NotFound) => Err(not_found()),
        Err(WriteError::Conflict(info)) => Err(fail(AppError::conflict(info, FieldErrors::default()))),
        Err(WriteError::Invalid(errors)) => Err(fail(AppError::Invalid(errors))),
        Err(WriteError::Database(error)) => Err(fail(error.into())),
    }
}

/// The summits, for the commitment form.
#[server(endpoint = "list_summits", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_summits() -> Result<Vec<domain::SummitView>, AppError> {
    use super::context::{fail, pool};
    let pool = pool().map_err(fail)?;
    store::summits::list_summits(&pool).await.map_err(|e| fail(e.into()))
}

/// Creates a commitment (no `slug`) or edits one (with `slug` and `version`).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "save_commitment")]
pub async fn save_commitment(
    slug: Option<String>,
    version: Option<String>,
    title: String,
    summary: String,
    theme: Option<String>,
    proposed_by: Option<String>,
    owed_by: Option<Vec<String>>,
    due_on: Option<String>,
    due_basis: Option<String>,
    due_note: Option<String>,
    summit: Option<String>,
) -> Result<(), AppError> {
    use super::context::{fail, pool, require_editor};
    use domain::{CommitmentInput, FieldErrors, Slug};
    use store::editing::{self, WriteError};

    let editor = require_editor().await.map_err(fail)?;
    let pool = pool().map_err(fail)?;
    let input = CommitmentInput {
        title,
        summary,
        theme: theme.unwrap_or_default(),
        proposed_by: proposed_by.unwrap_or_default(),
        owed_by: owed_by.unwrap_or_default(),
        due_on: due_on.unwrap_or_default(),
        due_basis: due_basis.unwrap_or_default(),
        due_note: due_note.unwrap_or_default(),
        summit: summit.unwrap_or_default(),
    };
    let fields = input.parse().map_err(|errors| fail(AppError::Invalid(errors)))?;
    let values = FieldErrors {
        values: input.echo(),
        ..Default::default()
    };
    let now = super::context::clock().now();
    let result = match slug.filter(|s| !s.trim().is_empty()) {
        None => editing::create_commitment(&pool, &fields, &values, &editor, now).await,
        Some(slug) => {
            let parsed =
                Slug::parse(&slug).map_err(|_| fail(AppError::NotFound(format!("The commitment “{slug}”"))))?;
            let Some(expected) = version.and_then(|v| v.trim().parse::<i64>().ok()) else {
                return Err(fail(AppError::form(
                    "This form is out of date; reload the page and try again.",
                )));
            };
            editing::update_commitment(&pool, &parsed, &fields, expected, &values, &editor, now)
                .await
                .map(|_| parsed)
        }
    };
    match result {
        Ok(slug) => {
            tracing::info!(editor = %editor.name, %slug, "commitment saved");
            leptos_axum::redirect(&format!("/commitments/{slug}"));
            Ok(())
        }
        Err(WriteError::NotFound) => Err(fail(AppError::NotFound("The commitment".into()))),
        Err(WriteError::Conflict(info)) => Err(fail(AppError::conflict(info, values))),
        Err(WriteError::Invalid(errors)) => Err(fail(AppError::Invalid(errors))),
        Err(WriteError::Database(error)) => Err(fail(error.into())),
    }
}

/// Adds a source (`action=add`), corrects one (`action=edit` with
/// `source_id`) or removes one (`action=remove` with `source_id`).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "change_source")]
pub async fn change_source(
    slug: String,
    version: String,
    action: String,
    source_id: Option<String>,
    source_publisher: Option<String>,
    source_title: Option<String>,
    source_published_on: Option<String>,
    source_url: Option<String>,
    source_quote: Option<String>,
    source_kind: Option<String>,
) -> Result<(), AppError> {
    use super::context::{fail, pool, require_editor};
    use domain::{FieldErrors, NewSourceInput, Slug};
    use store::editing::{self, SourceEdit, WriteError};

    let editor = require_editor().await.map_err(fail)?;
    let pool = pool().map_err(fail)?;
    let not_found = || fail(AppError::NotFound(format!("The commitment “{slug}”")));
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let Some(expected) = version.trim().parse::<i64>().ok() else {
        return Err(fail(AppError::form(
            "This form is out of date; reload the page and try again.",
        )));
    };
    let input = NewSourceInput {
        publisher: source_publisher.unwrap_or_default(),
        title: source_title.unwrap_or_default(),
        published_on: source_published_on.unwrap_or_default(),
        url: source_url.unwrap_or_default(),
        quote: source_quote.unwrap_or_default(),
        kind: source_kind.unwrap_or_default(),
    };
    let mut errors = FieldErrors::default();
    for (key, value) in [
        ("source_publisher", &input.publisher),
        ("source_title", &input.title),
        ("source_published_on", &input.published_on),
        ("source_url", &input.url),
        ("source_quote", &input.quote),
        ("source_kind", &input.kind),
    ] {
        errors.values.insert(key.into(), value.clone());
    }
    // Names the form the input came from, so only that form shows the errors.
    let form_key = format!("{action}-{}", source_id.as_deref().unwrap_or(""));
    errors.values.insert("form_key".into(), form_key);
    let values = errors.clone();
    let source_id = source_id.and_then(|id| id.trim().parse::<i64>().ok());
    let today = super::context::clock().today();
    let parsed_source = if action == "remove" {
        None
    } else {
        input.parse("source_", today, &mut errors)
    };
    let edit = match (action.as_str(), source_id, &parsed_source) {
        ("add", _, Some(source)) => SourceEdit::Add(source),
        ("edit", Some(id), Some(source)) => SourceEdit::Edit(id, source),
        ("remove", Some(id), _) => SourceEdit::Remove(id),
        ("add" | "edit", _, None) if !errors.is_empty() => return Err(fail(AppError::Invalid(errors))),
        _ => {
            let mut errors = values.clone();
            errors.add("form", "This form is out of date; reload the page and try again.");
            return Err(fail(AppError::Invalid(errors)));
        }
    };
    match editing::edit_sources(
        &pool,
        &parsed,
        edit,
        expected,
        &values,
        &editor,
        super::context::clock().now(),
    )
    .await
    {
        Ok(_) => {
            leptos_axum::redirect(&format!("/commitments/{parsed}#sources-heading"));
            Ok(())
        }
        Err(WriteError::NotFound) => Err(not_found()),
        Err(WriteError::Conflict(info)) => Err(fail(AppError::conflict(info, values))),
        Err(WriteError::Invalid(errors)) => Err(fail(AppError::Invalid(errors))),
        Err(WriteError::Database(error)) => Err(fail(error.into())),
    }
}

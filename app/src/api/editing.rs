use leptos::prelude::*;

use crate::error::AppError;

/// Records a status change from the "Update status" form. The form's
/// fields (`party`, `status`, `source_ids[]`, `source_publisher`…) are
/// `StatusChangeInput`'s.
#[server(endpoint = "update_status")]
pub async fn update_status(slug: String, #[server(flatten)] input: domain::StatusChangeInput) -> Result<(), AppError> {
    use super::context::{db, fail, require_editor};
    use domain::{Slug, StatusChangeContext};

    let editor = require_editor().await.map_err(fail)?;
    let db = db().map_err(fail)?;
    let not_found = || fail(AppError::NotFound(crate::locale::missing_commitment(&slug)));
    let parsed_slug = Slug::parse(&slug).map_err(|_| not_found())?;
    let dates = store::commitments::find_change_dates(&db, &parsed_slug)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(not_found)?;

    // One reading of the clock dates the change and bounds its dates.
    let now = super::context::clock().now();
    let context = StatusChangeContext {
        // The summit's own day: a change made on a morning in Seoul takes
        // effect that day, which is still yesterday in UTC.
        today: dates.time_zone.today(now),
        summit_held_on: dates.summit_held_on,
        due_on: dates.due_on,
    };
    let change = input
        .parse(&context)
        .map_err(|errors| fail(AppError::Invalid(errors)))?;
    let recorded = store::editing::record_status_change(&db, &parsed_slug, &change, &editor, now)
        .await
        .map_err(|error| fail(AppError::from(error).echoing(input.echo())))?;
    tracing::info!(editor = %editor.name, slug = %parsed_slug, version = recorded.version, "status change recorded");
    let anchor = recorded
        .status_update_ids
        .first()
        .map(|id| format!("#update-{id}"))
        .unwrap_or_default();
    leptos_axum::redirect(&crate::locale::use_locale().localize(&format!("/commitments/{parsed_slug}{anchor}")));
    Ok(())
}

/// One page of a commitment's revision history (public): the newest, or
/// those before version `before`.
#[server(endpoint = "get_history", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_history(slug: String, before: Option<i64>) -> Result<domain::CommitmentHistoryPage, AppError> {
    use super::context::{db, fail};
    use domain::Slug;
    let not_found = || fail(AppError::NotFound(crate::locale::missing_commitment(&slug)));
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let db = db().map_err(fail)?;
    store::commitments::list_history_page(&db, &parsed, before, domain::HISTORY_PAGE_SIZE)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(not_found)
}

/// Reverts a commitment to an earlier revision (editors only).
#[server(endpoint = "revert_commitment")]
pub async fn revert_commitment(slug: String, to_version: String, version: String) -> Result<(), AppError> {
    use super::context::{db, fail, require_editor};
    use domain::Slug;

    let editor = require_editor().await.map_err(fail)?;
    let not_found = || fail(AppError::NotFound(crate::locale::missing_commitment(&slug)));
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let (Ok(to_version), Ok(expected)) = (to_version.trim().parse::<i64>(), version.trim().parse::<i64>()) else {
        return Err(fail(AppError::form(crate::locale::tr(
            crate::locale::use_locale(),
            "form-out-of-date",
        ))));
    };
    let db = db().map_err(fail)?;
    let now = super::context::clock().now();
    let new_version = store::editing::revert_commitment(&db, &parsed, to_version, expected, &editor, now)
        .await
        .map_err(|error| fail(error.into()))?;
    tracing::info!(editor = %editor.name, slug = %parsed, to_version, new_version, "reverted");
    leptos_axum::redirect(&crate::locale::use_locale().localize(&format!("/commitments/{parsed}/history")));
    Ok(())
}

/// The summits, for the commitment form.
#[server(endpoint = "list_summits", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_summits() -> Result<Vec<domain::SummitView>, AppError> {
    use super::context::{db, fail};
    let db = db().map_err(fail)?;
    store::summits::list_summits(&db).await.map_err(|e| fail(e.into()))
}

/// The parties a commitment can be owed by or proposed by, as stored.
#[server(endpoint = "list_parties", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_parties() -> Result<Vec<domain::PartyRef>, AppError> {
    use super::context::{db, fail};
    let db = db().map_err(fail)?;
    store::listing::list_parties(&db).await.map_err(|e| fail(e.into()))
}

/// Creates a commitment (no `slug`) or edits one (with `slug` and `version`).
/// The form's other fields are `CommitmentInput`'s.
#[server(endpoint = "save_commitment")]
pub async fn save_commitment(
    #[server(default)] slug: Option<String>,
    #[server(default)] version: Option<String>,
    #[server(flatten)] input: domain::CommitmentInput,
) -> Result<(), AppError> {
    use super::context::{db, fail, require_editor};
    use domain::Slug;
    use store::editing;

    let editor = require_editor().await.map_err(fail)?;
    let db = db().map_err(fail)?;
    let fields = input.parse().map_err(|errors| fail(AppError::Invalid(errors)))?;
    let now = super::context::clock().now();
    let result = match slug.filter(|s| !s.trim().is_empty()) {
        None => editing::create_commitment(&db, &fields, &editor, now).await,
        Some(slug) => {
            let parsed =
                Slug::parse(&slug).map_err(|_| fail(AppError::NotFound(crate::locale::missing_commitment(&slug))))?;
            let Some(expected) = version.and_then(|v| v.trim().parse::<i64>().ok()) else {
                return Err(fail(AppError::form(crate::locale::tr(
                    crate::locale::use_locale(),
                    "form-out-of-date",
                ))));
            };
            editing::update_commitment(&db, &parsed, &fields, expected, &editor, now)
                .await
                .map(|_| parsed)
        }
    };
    let slug = result.map_err(|error| fail(AppError::from(error).echoing(input.echo())))?;
    tracing::info!(editor = %editor.name, %slug, "commitment saved");
    leptos_axum::redirect(&crate::locale::use_locale().localize(&format!("/commitments/{slug}")));
    Ok(())
}

/// Adds or corrects the translation of a commitment's title and summary
/// into one language (`TranslationInput`'s fields), as a revision.
#[server(endpoint = "save_translation")]
pub async fn save_translation(
    slug: String,
    version: String,
    #[server(flatten)] input: domain::TranslationInput,
) -> Result<(), AppError> {
    use super::context::{db, fail, require_editor};
    use domain::Slug;

    let editor = require_editor().await.map_err(fail)?;
    let db = db().map_err(fail)?;
    let parsed = Slug::parse(&slug).map_err(|_| fail(AppError::NotFound(crate::locale::missing_commitment(&slug))))?;
    let fields = input.parse().map_err(|errors| fail(AppError::Invalid(errors)))?;
    let Ok(expected) = version.trim().parse::<i64>() else {
        return Err(fail(
            AppError::form(crate::locale::tr(crate::locale::use_locale(), "form-out-of-date")).echoing(input.echo()),
        ));
    };
    let now = super::context::clock().now();
    store::editing::save_translation(&db, &parsed, &fields, expected, &editor, now)
        .await
        .map_err(|error| fail(AppError::from(error).echoing(input.echo())))?;
    tracing::info!(editor = %editor.name, slug = %parsed, language = %fields.language, "translation saved");
    leptos_axum::redirect(
        &crate::locale::use_locale().localize(&format!("/commitments/{parsed}/edit#translation-{}", fields.language)),
    );
    Ok(())
}

/// Adds a source (`action=add`), corrects one (`action=edit` with
/// `source_id`) or removes one (`action=remove` with `source_id`). The
/// source's fields (`source_publisher`…) are `NewSourceInput`'s.
#[server(endpoint = "change_source")]
pub async fn change_source(
    slug: String,
    version: String,
    action: String,
    #[server(default)] source_id: Option<String>,
    #[server(default)] correction_note: Option<String>,
    #[server(flatten)] input: domain::NewSourceInput,
) -> Result<(), AppError> {
    use super::context::{db, fail, require_editor};
    use domain::{echo_fields, Slug, SubmittedForm};
    use store::editing::{self, SourceEdit};

    let editor = require_editor().await.map_err(fail)?;
    let db = db().map_err(fail)?;
    let not_found = || fail(AppError::NotFound(crate::locale::missing_commitment(&slug)));
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let Some(expected) = version.trim().parse::<i64>().ok() else {
        return Err(fail(AppError::form(crate::locale::tr(
            crate::locale::use_locale(),
            "form-out-of-date",
        ))));
    };
    let mut errors = SubmittedForm {
        values: echo_fields(&input),
        ..SubmittedForm::default()
    };
    // Names the form the input came from, so only that form shows the errors.
    let form_key = format!("{action}-{}", source_id.as_deref().unwrap_or(""));
    errors.values.insert("form_key".into(), form_key);
    let correction_note = correction_note.unwrap_or_default();
    errors.values.insert("correction_note".into(), correction_note.clone());
    let values = errors.clone();
    let source_id = source_id.and_then(|id| id.trim().parse::<i64>().ok());
    let now = super::context::clock().now();
    let parsed_source = if action == "remove" {
        None
    } else {
        input.parse("source_", now.date_naive(), &mut errors)
    };
    // A correction says why it was made: readers see the note beside it.
    let note = if action == "edit" {
        domain::parse_correction_note(&correction_note)
            .map_err(|problem| errors.add("correction_note", problem))
            .ok()
    } else {
        None
    };
    let edit = match (action.as_str(), source_id, &parsed_source) {
        ("add", _, Some(source)) => SourceEdit::Add(source),
        ("edit", Some(id), Some(source)) if note.is_some() => {
            SourceEdit::Correct(id, source, note.as_deref().unwrap_or_default())
        }
        ("remove", Some(id), _) => SourceEdit::Remove(id),
        ("add" | "edit", _, _) if !errors.is_empty() => return Err(fail(AppError::Invalid(errors))),
        _ => {
            let mut errors = values.clone();
            errors.add(
                "form",
                crate::locale::tr(crate::locale::use_locale(), "form-out-of-date"),
            );
            return Err(fail(AppError::Invalid(errors)));
        }
    };
    editing::edit_sources(&db, &parsed, edit, expected, &editor, now)
        .await
        .map_err(|error| fail(AppError::from(error).echoing(values.values.clone())))?;
    // What readers were shown changed: an audit trail beside the public one.
    tracing::info!(
        target: "accord::security",
        event = "source_changed",
        editor = %editor.name,
        slug = %parsed,
        action = action.as_str(),
        source_id,
        "source changed"
    );
    leptos_axum::redirect(&crate::locale::use_locale().localize(&format!("/commitments/{parsed}#sources-heading")));
    Ok(())
}

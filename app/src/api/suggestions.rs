use leptos::prelude::*;

use crate::error::AppError;
use domain::PendingSuggestionsPage;

/// A reader's suggested update. Public, so it is size-limited, rate-limited
/// per address and has a honeypot; it never changes a commitment by itself.
#[server(endpoint = "suggest_update")]
pub async fn suggest_update(slug: String, #[server(flatten)] input: domain::SuggestionInput) -> Result<(), AppError> {
    use super::context::{client_address_group, db, fail};
    use domain::{Slug, StatusChangeContext};

    let db = db().map_err(fail)?;
    let not_found = || fail(AppError::NotFound(crate::locale::missing_commitment(&slug)));
    let parsed_slug = Slug::parse(&slug).map_err(|_| not_found())?;
    let record = store::commitments::find_commitment_by_slug(&db, &parsed_slug)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(not_found)?;
    let now = super::context::clock().now();
    let context = StatusChangeContext {
        today: record.summit.time_zone.today(now),
        summit_held_on: record.summit.held_on,
        due_on: record.commitment.due_on,
    };
    let Some(suggestion) = input
        .parse(&context)
        .map_err(|errors| fail(AppError::Invalid(errors)))?
    else {
        // The honeypot was filled: answer as if accepted, store nothing.
        leptos_axum::redirect(
            &crate::locale::use_locale().localize(&format!("/commitments/{parsed_slug}?suggested=1#suggest-heading")),
        );
        return Ok(());
    };
    let owed = record
        .commitment
        .party_statuses
        .iter()
        .any(|p| match &suggestion.parties {
            domain::PartyChoice::One(code) => &p.party.code == code,
            domain::PartyChoice::AllOwing => true,
        });
    if !owed {
        let mut errors = domain::SubmittedForm {
            values: input.echo(),
            ..Default::default()
        };
        errors.add(
            "party",
            crate::locale::tr(crate::locale::use_locale(), "refusal-party-not-owing"),
        );
        return Err(fail(AppError::Invalid(errors)));
    }
    let address = client_address_group();
    // The limit is checked and the suggestion stored in one transaction.
    match store::suggestions::submit_suggestion(&db, &parsed_slug, &suggestion, &address, now)
        .await
        .map_err(|e| fail(e.into()))?
    {
        store::suggestions::Submitted::Stored(_) => {}
        store::suggestions::Submitted::UnknownCommitment => return Err(not_found()),
        store::suggestions::Submitted::TooManyFromAddress => {
            tracing::warn!(
                target: "accord::security",
                event = "suggestions_throttled",
                address = %address,
                "suggestion refused: too many from this address"
            );
            return Err(fail(AppError::TooManyRequests(crate::locale::tr(
                crate::locale::use_locale(),
                "error-too-many-suggestions",
            ))));
        }
    }
    leptos_axum::redirect(
        &crate::locale::use_locale().localize(&format!("/commitments/{parsed_slug}?suggested=1#suggest-heading")),
    );
    Ok(())
}

/// One page (from 1) of the moderation queue (editors only).
#[server(endpoint = "list_suggestions", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_suggestions(page: u32) -> Result<PendingSuggestionsPage, AppError> {
    use super::context::{db, fail, require_editor};
    require_editor().await.map_err(fail)?;
    let db = db().map_err(fail)?;
    store::suggestions::list_pending_suggestions(&db, page)
        .await
        .map_err(|e| fail(e.into()))
}

/// Accepts (`decision=accept`) or rejects (`decision=reject`, with a reason) a suggestion.
#[server(endpoint = "decide_suggestion")]
pub async fn decide_suggestion(id: String, decision: String, reason: Option<String>) -> Result<(), AppError> {
    use super::context::{db, fail, require_editor};
    use domain::{parse_text, SubmittedForm, MAX_NOTE_LEN};
    use store::suggestions;

    let editor = require_editor().await.map_err(fail)?;
    let db = db().map_err(fail)?;
    let Ok(id) = id.trim().parse::<i64>() else {
        return Err(fail(AppError::form(crate::locale::tr(
            crate::locale::use_locale(),
            "form-out-of-date",
        ))));
    };
    let now = super::context::clock().now();
    let result = match decision.as_str() {
        "accept" => suggestions::accept_suggestion(&db, id, &editor, now).await.map(|_| ()),
        "reject" => {
            let reason = parse_text(reason.as_deref().unwrap_or(""), true, MAX_NOTE_LEN, true).map_err(|m| {
                let mut errors = SubmittedForm::default();
                errors.values.insert("id".into(), id.to_string());
                errors.add("reason", format!("Give the reason for rejecting: {m}"));
                fail(AppError::Invalid(errors))
            })?;
            suggestions::reject_suggestion(&db, id, &reason, &editor, now).await
        }
        _ => {
            return Err(fail(AppError::form(crate::locale::tr(
                crate::locale::use_locale(),
                "review-choose-decision",
            ))))
        }
    };
    result.map_err(|error| fail(error.into()))?;
    leptos_axum::redirect(&crate::locale::use_locale().localize("/review"));
    Ok(())
}

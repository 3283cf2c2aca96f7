use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use domain::CurrentUser;

/// Who is signed in, for showing editing controls.
#[server(endpoint = "whoami", input = GetUrl)]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    use super::context::{current_user, fail};
    current_user().await.map_err(fail)
}

/// Signs an editor in. The refusal never says whether the name or the
/// password was wrong; repeated failures for one account or one address are
/// refused for a while.
#[server(endpoint = "login")]
pub async fn login(name: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use super::context::{client_address, db, fail, session};
    use store::{logins, sessions::USER_ID_KEY, users};

    let db = db().map_err(fail)?;
    let name = name.trim().to_owned();
    let address = client_address().await;
    let now = super::context::clock().now().timestamp();
    let mut values = domain::SubmittedForm::default();
    values.values.insert("name".into(), name.clone());
    if name.is_empty() || password.is_empty() || name.len() > 200 || password.len() > domain::MAX_PASSWORD_LEN {
        values.add(
            "form",
            domain::FieldProblem::new("login-enter-both", "Enter your user name and password."),
        );
        return Err(fail(AppError::Invalid(values)));
    }
    // One turn covers counting and checking, so at most as many attempts as
    // there are turns are ever undecided at once: simultaneous sign-ins from
    // one address (an office, a benchmark) do not count against each other,
    // and each finished attempt is counted before the next one is let in.
    let Some(_turn) = db.wait_for_password_check().await else {
        return Err(fail(AppError::TooManyRequests(crate::locale::tr(
            crate::locale::use_locale(),
            "error-busy-signing-in",
        ))));
    };
    // The attempt counts as a failure until the password proves right.
    if let Some(seconds) = logins::begin_login_attempt(&db, &name, &address, now)
        .await
        .map_err(|e| fail(e.into()))?
    {
        let minutes = (seconds + 59) / 60;
        return Err(fail(AppError::TooManyRequests(crate::locale::tr_with(
            crate::locale::use_locale(),
            "error-too-many-sign-ins",
            &[("minutes", crate::locale::number(minutes as f64))],
        ))));
    }
    let Some(user) = users::verify_credentials(&db, &name, &password)
        .await
        .map_err(|e| fail(e.into()))?
    else {
        values.add(
            "form",
            domain::FieldProblem::new(
                "login-no-match",
                "That user name and password do not match an enabled account.",
            ),
        );
        return Err(fail(AppError::Invalid(values)));
    };
    logins::clear_failed_logins(&db, &user.name)
        .await
        .map_err(|e| fail(e.into()))?;
    let session = session().await.map_err(fail)?;
    // A new session id on sign-in, so an id planted before it is worthless.
    let stored = async {
        session.cycle_id().await?;
        session.insert(USER_ID_KEY, user.id).await
    };
    stored.await.map_err(|error| {
        tracing::error!(%error, "session store");
        fail(AppError::Internal)
    })?;
    tracing::info!(user = %user.name, "signed in");
    // Only same-site paths: never an open redirect. Browsers drop tabs and
    // line breaks from a Location and read `\` as `/` ("/\t/evil.example" is
    // "//evil.example"), and a Location can carry only visible ASCII (anything
    // else made `redirect` panic), so only paths of visible ASCII are followed.
    let next = next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\'))
        .unwrap_or_else(|| "/".into());
    leptos_axum::redirect(&next);
    Ok(())
}

/// Signs out: the session is deleted from the store, not just forgotten.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::context::{fail, session};
    let session = session().await.map_err(fail)?;
    session.flush().await.map_err(|error| {
        tracing::error!(%error, "session store");
        fail(AppError::Internal)
    })?;
    leptos_axum::redirect(&crate::locale::use_locale().localize("/"));
    Ok(())
}

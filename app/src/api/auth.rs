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

/// A sign-in whose name and password match no enabled account: logged
/// under `accord::security` and refused with one vague message by the form.
#[cfg(feature = "ssr")]
fn no_match(name: &str, address: &str, mut values: domain::SubmittedForm) -> AppError {
    tracing::warn!(
        target: "accord::security",
        event = "sign_in_failed",
        user = ?as_logged(name),
        address = %address,
        "sign-in failed"
    );
    values.add(
        "form",
        domain::FieldProblem::new(
            "login-no-match",
            "That user name and password do not match an enabled account.",
        ),
    );
    AppError::Invalid(values)
}

/// Signs an editor in. The refusal never says whether the name or the
/// password was wrong. Guessing is slowed per address group and, while an
/// account is guessed at from many addresses, for the addresses doing it
/// (`store::logins`); an address that has not failed on the account is
/// never refused for the account's sake, so no one can lock its owner out.
#[server(endpoint = "login")]
pub async fn login(name: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use super::context::{client_address, client_address_group, db, fail, session};
    use store::{logins, sessions::USER_ID_KEY, users};

    let db = db().map_err(fail)?;
    let name = name.trim().to_owned();
    // For logs: the address itself, not its group.
    let address = client_address().map_or_else(|| "unknown".to_owned(), |a| a.to_string());
    let address_group = client_address_group();
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
    // A name with a control character in it is no account's (`accord user`
    // names them by `domain::parse_user_name`): it is told it does not
    // match, without a look in the database. A NUL, which SQLite stores,
    // is refused by PostgreSQL, and was a 500 there.
    if name.chars().any(char::is_control) {
        return Err(fail(no_match(&name, &address, values)));
    }
    // Bounds the password checks running at once (memory); the throttling
    // itself is decided in one store transaction below.
    let Some(_turn) = db.wait_for_password_check().await else {
        return Err(fail(AppError::TooManyRequests(crate::locale::tr(
            crate::locale::use_locale(),
            "error-busy-signing-in",
        ))));
    };
    // The attempt counts as a failure until the password proves right.
    if let Some(throttled) = logins::begin_login_attempt(&db, &name, &address_group, now)
        .await
        .map_err(|e| fail(e.into()))?
    {
        tracing::warn!(
            target: "accord::security",
            event = "sign_in_throttled",
            user = ?as_logged(&name),
            address = %address,
            rule = throttled.rule.as_str(),
            wait_seconds = throttled.wait_seconds,
            "sign-in throttled"
        );
        let minutes = (throttled.wait_seconds + 59) / 60;
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
        return Err(fail(no_match(&name, &address, values)));
    };
    // The name as typed is what the attempt was counted under (the column
    // compares without case).
    logins::clear_failed_logins(&db, &name, &address_group)
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
    tracing::info!(
        target: "accord::security",
        event = "sign_in",
        user = %user.name,
        address = %address,
        "signed in"
    );
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
    use super::context::{client_address, current_user, fail, session};
    let user = current_user().await.ok().flatten();
    let session = session().await.map_err(fail)?;
    session.flush().await.map_err(|error| {
        tracing::error!(%error, "session store");
        fail(AppError::Internal)
    })?;
    tracing::info!(
        target: "accord::security",
        event = "sign_out",
        user = user.as_ref().map(|u| u.name.as_str()),
        address = %client_address().map_or_else(|| "unknown".to_owned(), |a| a.to_string()),
        "signed out"
    );
    leptos_axum::redirect(&crate::locale::use_locale().localize("/"));
    Ok(())
}

/// A name as typed, for the security log: the first 64 characters, quoted
/// and escaped (Debug), so a typed line break or quote cannot write a line
/// of its own into the log, nor a pasted password fill it.
#[cfg(feature = "ssr")]
fn as_logged(typed: &str) -> String {
    typed.chars().take(64).collect()
}

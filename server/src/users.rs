//! `accord user …`: account management from the command line.

use chrono::Utc;
use domain::{check_new_password, parse_user_name, Role};
use std::io::{BufRead, IsTerminal, Write};
use store::users::{self, UserError};
use store::Db;

use crate::config::UserCommand;

#[derive(Debug, thiserror::Error)]
pub enum UserCommandError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    User(#[from] UserError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("could not read the password: {0}")]
    Io(#[from] std::io::Error),
}

/// Reads a new password: asked twice without echo on a terminal, otherwise
/// one line of standard input (so scripts can pipe it; never an argument,
/// which other users of the machine could see in the process list).
fn read_new_password(input: &mut dyn BufRead, interactive: bool) -> Result<String, UserCommandError> {
    let password = if interactive {
        let first = rpassword::prompt_password("New password: ")?;
        let second = rpassword::prompt_password("Repeat the password: ")?;
        if first != second {
            return Err(UserCommandError::Invalid("the two passwords differ".into()));
        }
        first
    } else {
        let mut line = String::new();
        input.read_line(&mut line)?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    };
    check_new_password(&password).map_err(UserCommandError::Invalid)?;
    Ok(password)
}

pub async fn run_user_command(
    db: &Db,
    command: UserCommand,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
) -> Result<(), UserCommandError> {
    let interactive = std::io::stdin().is_terminal();
    let now = Utc::now();
    match command {
        UserCommand::Add { name, role } => {
            let name = parse_user_name(&name).map_err(UserCommandError::Invalid)?;
            let role: Role = role
                .parse()
                .map_err(|e: domain::UnknownCode| UserCommandError::Invalid(e.to_string()))?;
            let password = read_new_password(input, interactive)?;
            users::create_user(db, &name, role, &password, now).await?;
            tracing::info!(target: "accord::security", event = "account_added", user = %name, %role, "account added");
            writeln!(output, "created {role} account `{name}`")?;
        }
        UserCommand::Passwd { name } => {
            let password = read_new_password(input, interactive)?;
            users::set_password(db, &name, &password, now).await?;
            tracing::info!(target: "accord::security", event = "password_changed", user = %name, "password changed");
            writeln!(output, "password changed for `{name}`; its sessions were ended")?;
        }
        UserCommand::List => {
            for user in users::list_users(db).await? {
                let state = if user.disabled_at.is_some() {
                    "disabled"
                } else {
                    "active"
                };
                writeln!(
                    output,
                    "{}\t{}\t{}\tcreated {}",
                    user.name,
                    user.role,
                    state,
                    user.created_at.format("%Y-%m-%d")
                )?;
            }
        }
        UserCommand::Disable { name } => {
            users::set_disabled(db, &name, true, now).await?;
            tracing::info!(target: "accord::security", event = "account_disabled", user = %name, "account disabled");
            writeln!(output, "disabled `{name}`; its sessions were ended")?;
        }
        UserCommand::Enable { name } => {
            users::set_disabled(db, &name, false, now).await?;
            tracing::info!(target: "accord::security", event = "account_enabled", user = %name, "account enabled");
            writeln!(output, "enabled `{name}`")?;
        }
    }
    Ok(())
}

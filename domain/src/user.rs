//! Editor accounts.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Editor,
    Admin,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

impl FromStr for Role {
    type Err = super::UnknownCode;
    fn from_str(code: &str) -> Result<Self, Self::Err> {
        match code {
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            _ => Err(super::UnknownCode {
                what: "role (editor or admin)",
                value: code.to_owned(),
            }),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The signed-in editor, as pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

pub const MIN_PASSWORD_LEN: usize = 12;
pub const MAX_PASSWORD_LEN: usize = 1_024;

/// A user name: 2–40 characters of letters, digits, `.`, `_` or `-`.
pub fn parse_user_name(input: &str) -> Result<String, String> {
    let name = input.trim();
    let length = name.chars().count();
    if !(2..=40).contains(&length) {
        return Err("A user name has 2 to 40 characters.".to_owned());
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err("A user name may contain only letters, digits, '.', '_' and '-'.".to_owned());
    }
    Ok(name.to_owned())
}

/// Length is what makes a password strong; no composition rules.
pub fn check_new_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LEN {
        return Err(format!("A password needs at least {MIN_PASSWORD_LEN} characters."));
    }
    if length > MAX_PASSWORD_LEN {
        return Err(format!("A password can have at most {MAX_PASSWORD_LEN} characters."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse() {
        assert_eq!("editor".parse::<Role>(), Ok(Role::Editor));
        assert_eq!("admin".parse::<Role>(), Ok(Role::Admin));
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn user_names() {
        assert_eq!(parse_user_name(" jae-won.kim "), Ok("jae-won.kim".into()));
        assert!(parse_user_name("李明").is_ok());
        assert!(parse_user_name("a").is_err());
        assert!(parse_user_name("has space").is_err());
        assert!(parse_user_name("x<script>").is_err());
    }

    #[test]
    fn passwords() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("correct horse battery").is_ok());
        assert!(check_new_password(&"x".repeat(2000)).is_err());
    }
}

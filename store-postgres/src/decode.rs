//! Turning stored text into `domain` types: a value that does not parse is
//! a decoding error, as it is on SQLite.

use std::str::FromStr;

use domain::Locale;

pub fn decode<T>(value: &str) -> Result<T, sqlx::Error>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    value.parse().map_err(|e: T::Err| sqlx::Error::Decode(Box::new(e)))
}

pub fn locale(code: &str) -> Result<Locale, sqlx::Error> {
    Locale::from_code(code).ok_or_else(|| sqlx::Error::Decode(format!("unknown language “{code}”").into()))
}

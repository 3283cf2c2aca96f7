//! OpenAPI schemas of the identifier newtypes, whose serde form is a plain
//! string checked on the way in. The derived schemas of the other model types
//! refer to these by name; the server's JSON API publishes them all.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use super::{PartyCode, Slug, MAX_SLUG_LEN};

fn string_schema(description: &str, pattern: &str, min: usize, max: usize, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .pattern(Some(pattern))
        .min_length(Some(min))
        .max_length(Some(max))
        .examples([example])
        .into()
}

impl PartialSchema for Slug {
    fn schema() -> RefOr<Schema> {
        string_schema(
            "A stable public identifier: lowercase letters a–z and digits, with single hyphens between them.",
            "^[a-z0-9]+(-[a-z0-9]+)*$",
            1,
            MAX_SLUG_LEN,
            "fta-phase-two-negotiations",
        )
    }
}

impl ToSchema for Slug {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Slug")
    }
}

impl PartialSchema for PartyCode {
    fn schema() -> RefOr<Schema> {
        string_schema(
            "A party's two-letter country code (ISO 3166-1 alpha-2, lowercase).",
            "^[a-z]{2}$",
            2,
            2,
            "kr",
        )
    }
}

impl ToSchema for PartyCode {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PartyCode")
    }
}

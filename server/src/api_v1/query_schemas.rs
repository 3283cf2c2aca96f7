//! The schemas of the list's query parameters, written to accept exactly
//! what `ListQuery::parse` and the page-size reader accept: each value is
//! trimmed of surrounding whitespace (Rust's `str::trim`), an empty or blank
//! value means "any", and what is left must be one of the codes. Schemathesis
//! checks the server against these (`server/tests/site/api_schemathesis.rs`),
//! so a rule enforced but not declared here fails the test suite.

use domain::{SortOrder, Status, Theme, MAX_CURSOR_LEAD_LEN, MAX_PER_PAGE, MAX_SEARCH_LEN, MAX_SLUG_LEN};
use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

/// The characters `str::trim` removes (Unicode White_Space), as a regex class.
const SPACE: &str = r"[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
/// A character that is neither whitespace nor a control character (`char::is_control`).
const VISIBLE: &str = r"[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
/// A character that is not a control character.
const NOT_CONTROL: &str = r"[^\u0000-\u001F\u007F-\u009F]";

/// `inner`, or nothing, with any whitespace around it.
fn trimmed(inner: &str) -> String {
    format!("^{SPACE}*(?:{inner})?{SPACE}*$")
}

fn text(pattern: String, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .description(Some(description))
        .into()
}

fn one_of<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    codes.into_iter().collect::<Vec<_>>().join("|")
}

pub(super) fn status() -> RefOr<Schema> {
    text(
        trimmed(&one_of(Status::ALL.iter().map(|s| s.code()))),
        "A status code (see `Status`), or empty for any.",
    )
}

pub(super) fn party() -> RefOr<Schema> {
    text(trimmed("[a-z]{2}"), "A party code (see `PartyCode`), or empty for any.")
}

pub(super) fn theme() -> RefOr<Schema> {
    text(
        trimmed(&one_of(Theme::ALL.iter().map(|t| t.code()))),
        "A theme code (see `Theme`), or empty for any.",
    )
}

pub(super) fn summit() -> RefOr<Schema> {
    // A slug of at most MAX_SLUG_LEN characters (the look-ahead bounds its length).
    let slug = format!("(?=[a-z0-9-]{{1,{MAX_SLUG_LEN}}}(?:{SPACE}|$))[a-z0-9]+(?:-[a-z0-9]+)*");
    text(trimmed(&slug), "A summit's slug (see `Slug`), or empty for any.")
}

pub(super) fn search() -> RefOr<Schema> {
    // Trimmed, at most MAX_SEARCH_LEN characters, none of them a control character.
    let middle = MAX_SEARCH_LEN - 2;
    text(
        trimmed(&format!("{VISIBLE}(?:{NOT_CONTROL}{{0,{middle}}}{VISIBLE})?")),
        "Words to search for: at most 200 characters once trimmed, no control characters.",
    )
}

pub(super) fn overdue() -> RefOr<Schema> {
    text(
        trimmed("1|true|on|yes|0|false|off|no"),
        "`1`, `true`, `on` or `yes` for only overdue items; `0`, `false`, `off`, `no` or empty for all.",
    )
}

pub(super) fn sort() -> RefOr<Schema> {
    text(
        trimmed(&one_of(SortOrder::ALL.iter().map(|s| s.code()))),
        "A sort order (see `SortOrder`), or empty for the default.",
    )
}

fn whole_number_or_blank(maximum: u32, default: u32) -> RefOr<Schema> {
    AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(maximum))
                .default(Some(default.into())),
        )
        .item(text(format!("^{SPACE}*$"), "Blank: the default."))
        .into()
}

/// A place in the list (`domain::ListCursor`): id, position, summit date
/// (digits), and the sort order's own key, as the `next` and `prev` links
/// write them.
fn cursor_pattern() -> String {
    format!(
        r"[1-9][0-9]{{0,17}}\.[0-9]{{1,18}}\.[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}(?:\.{NOT_CONTROL}{{0,{MAX_CURSOR_LEAD_LEN}}})?"
    )
}

pub(super) fn after() -> RefOr<Schema> {
    text(
        trimmed(&cursor_pattern()),
        "The page after this place in the list, as the `next` link gives it; empty for the first page.",
    )
}

pub(super) fn before() -> RefOr<Schema> {
    text(
        trimmed(&format!("end|{}", cursor_pattern())),
        "The page before this place in the list, as the `prev` link gives it; `end` for the last page.",
    )
}

pub(super) fn page() -> RefOr<Schema> {
    whole_number_or_blank(u32::MAX, 1)
}

pub(super) fn per_page() -> RefOr<Schema> {
    whole_number_or_blank(MAX_PER_PAGE, super::DEFAULT_PER_PAGE)
}

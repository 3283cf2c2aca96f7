//! `/export/commitments.csv`: every commitment a list filter matches, as an
//! RFC 4180 spreadsheet (UTF-8 with a byte-order mark, CRLF line ends, one
//! header row). `/ko/…` and `/zh/…` give each title in that language where a
//! translation exists; codes (statuses, themes) are the same in every
//! language, so files can be compared.
//!
//! The byte-order mark is what makes Excel read the file as UTF-8 rather
//! than the system's legacy code page, which turns Hangul and Han into
//! mojibake; LibreOffice, Numbers and CSV libraries skip it.

use std::borrow::Cow;

use futures_util::StreamExt;

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, NaiveDate, Utc};
use domain::{Clock, PublicUrl};
use domain::{CommitmentSummary, ListQuery, Locale, PartyRef};
use store::listing::{list_parties, match_commitments, summaries_by_ids};
use store::Db;

use crate::route_error::RouteError;
use crate::AppState;

pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";
pub const CSV_DISPOSITION: &str = "attachment; filename=\"accord-commitments.csv\"";

/// How many commitments are read per query (SQLite handles the id list as
/// one JSON value; chunks keep each statement small).
const CHUNK: usize = 500;

pub fn routes() -> Router<AppState> {
    Router::new().route("/export/commitments.csv", get(export_commitments))
}

async fn export_commitments(
    State(db): State<Db>,
    State(public_url): State<PublicUrl>,
    State(clock): State<Clock>,
    crate::language::RequestLocale(locale): crate::language::RequestLocale,
    RawQuery(raw): RawQuery,
) -> Result<Response, RouteError> {
    let query = ListQuery::parse_query_string(raw.as_deref().unwrap_or(""))
        .map_err(|errors| RouteError::BadRequest(format!("The filter cannot be used: {}", errors.summary())))?;
    let now = clock.now();
    let days = store::listing::ZoneDays::at(&db, now).await?;
    let ids: Vec<i64> = match_commitments(&db, &query, &days)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    let parties = list_parties(&db).await?;
    let head = write_csv(&[], &parties, now, &public_url, locale)
        .map_err(|error| RouteError::Internal(format!("writing the CSV export: {error}")))?;
    // The rows are read and written a chunk at a time as the file streams
    // out, so an export of every commitment never holds them all, or the
    // whole file, in memory. A failure half-way ends the response without
    // its last chunk, which clients report as a broken download.
    let chunks: Vec<Vec<i64>> = ids.chunks(CHUNK).map(<[i64]>::to_vec).collect();
    let rows = futures_util::stream::iter(chunks).then(move |chunk| {
        let (db, parties, public_url) = (db.clone(), parties.clone(), public_url.clone());
        async move {
            let items = summaries_by_ids(&db, &chunk).await.map_err(std::io::Error::other)?;
            write_rows(&items, &parties, now, &public_url, locale).map_err(std::io::Error::other)
        }
    });
    let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(head) }).chain(rows);
    Ok((
        [
            (header::CONTENT_TYPE, CSV_CONTENT_TYPE),
            (header::CONTENT_DISPOSITION, CSV_DISPOSITION),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response())
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a
/// tab or carriage return before one) gets a leading apostrophe, so it is
/// shown as the text it is.
pub fn neutralise_formula(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The header row: fixed columns, then `status_{code}` per party in `parties`
/// order, then the rest.
pub fn header_row(parties: &[PartyRef]) -> Vec<String> {
    let mut header: Vec<String> = ["slug", "title", "summit", "summit_date", "theme", "overall_status"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    header.extend(parties.iter().map(|party| format!("status_{}", party.code)));
    header.extend(
        [
            "due_on",
            "due_basis",
            "overdue",
            "last_changed_on",
            "source_count",
            "url",
            "title_language",
        ]
        .into_iter()
        .map(str::to_owned),
    );
    header
}

fn data_row(
    item: &CommitmentSummary,
    parties: &[PartyRef],
    now: DateTime<Utc>,
    public_url: &PublicUrl,
    locale: Locale,
) -> Vec<String> {
    let date = |day: Option<NaiveDate>| day.map(|d| d.to_string()).unwrap_or_default();
    let title = item.texts_in(locale);
    let mut row = vec![
        item.slug.to_string(),
        title.text.title,
        item.summit.slug.to_string(),
        item.summit.held_on.to_string(),
        item.theme.code().to_owned(),
        item.overall_status().code().to_owned(),
    ];
    row.extend(parties.iter().map(|party| {
        item.party_statuses
            .iter()
            .find(|owed| owed.party.code == party.code)
            .map(|owed| owed.status.code().to_owned())
            .unwrap_or_default()
    }));
    row.extend([
        date(item.due_on),
        item.due_basis.map(|basis| basis.code().to_owned()).unwrap_or_default(),
        // Overdue where the summit was held, as the pages say.
        item.is_overdue(item.today_at(now)).to_string(),
        date(item.last_changed_on),
        item.source_count.to_string(),
        public_url.join(&locale.localize(&format!("/commitments/{}", item.slug))),
        title.language.code().to_owned(),
    ]);
    row
}

/// UTF-8's byte-order mark.
pub const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// `items` as CSV rows, without the byte-order mark and header row.
fn write_rows(
    items: &[CommitmentSummary],
    parties: &[PartyRef],
    now: DateTime<Utc>,
    public_url: &PublicUrl,
    locale: Locale,
) -> Result<Vec<u8>, csv::Error> {
    write_records(Vec::new(), None, items, parties, now, public_url, locale)
}

/// The whole file. Every cell passes through [`neutralise_formula`].
pub fn write_csv(
    items: &[CommitmentSummary],
    parties: &[PartyRef],
    now: DateTime<Utc>,
    public_url: &PublicUrl,
    locale: Locale,
) -> Result<Vec<u8>, csv::Error> {
    let header = header_row(parties);
    write_records(
        BYTE_ORDER_MARK.to_vec(),
        Some(header),
        items,
        parties,
        now,
        public_url,
        locale,
    )
}

/// `start`, then `header` if any, then a row per item, each data cell
/// passed through [`neutralise_formula`].
fn write_records(
    start: Vec<u8>,
    header: Option<Vec<String>>,
    items: &[CommitmentSummary],
    parties: &[PartyRef],
    now: DateTime<Utc>,
    public_url: &PublicUrl,
    locale: Locale,
) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(start);
    if let Some(header) = header {
        writer.write_record(header)?;
    }
    for item in items {
        let row = data_row(item, parties, now, public_url, locale);
        writer.write_record(row.iter().map(|cell| neutralise_formula(cell).into_owned()))?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(std::io::Error::other(error.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_triggers_get_an_apostrophe() {
        assert_eq!(neutralise_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise_formula("+1"), "'+1");
        assert_eq!(neutralise_formula("-2+3"), "'-2+3");
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("\t=1"), "'\t=1");
        assert_eq!(neutralise_formula("\r=1"), "'\r=1");
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for cell in [
            "",
            "Advance FTA talks",
            "2026-06-30",
            "in_progress",
            "a=b",
            "13",
            "'quoted",
        ] {
            assert!(matches!(neutralise_formula(cell), Cow::Borrowed(_)), "{cell}");
            assert_eq!(neutralise_formula(cell), cell);
        }
    }

    #[test]
    fn header_names_one_status_column_per_party() {
        let parties = [
            PartyRef {
                code: "cn".parse().unwrap(),
                short_name: "China".into(),
            },
            PartyRef {
                code: "kr".parse().unwrap(),
                short_name: "South Korea".into(),
            },
        ];
        assert_eq!(
            header_row(&parties).join(","),
            "slug,title,summit,summit_date,theme,overall_status,status_cn,status_kr,due_on,due_basis,overdue,last_changed_on,source_count,url,title_language"
        );
    }
}

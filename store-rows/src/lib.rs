//! The rows Accord's statements return (reads, and the reads inside a
//! write), one struct per statement shape, the same on both engines: SQLite's statements (in `store`) and
//! PostgreSQL's (in `store-postgres`) fill them with `sqlx::query_as!`, and
//! `store` turns them into `domain` types in one place. Without a shared
//! shape, each engine's module grew its own copy of the code that builds a
//! page's types from rows (docs/SCALING.md).
//!
//! Fields are what the columns hold: codes and slugs as text (the store
//! parses them, and a bad one is a decoding error, never a panic), days as
//! `NaiveDate`, instants as `DateTime<Utc>`. No I/O and no SQL here.

use chrono::{DateTime, NaiveDate, Utc};

/// A summit as pages show it, before its translations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummitRow {
    pub slug: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub location: String,
    pub summary: String,
    pub time_zone: String,
}

/// The language a summit was first written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummitLanguageRow {
    pub slug: String,
    pub language: String,
}

/// A summit's texts in one other language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummitTranslationRow {
    pub slug: String,
    pub language: String,
    pub title: String,
    pub location: String,
    pub summary: String,
    pub translated_by: String,
}

/// The language a commitment was first written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentLanguageRow {
    pub id: i64,
    pub language: String,
}

/// A commitment's title and summary in one other language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentTranslationRow {
    pub commitment_id: i64,
    pub language: String,
    pub title: String,
    pub summary: String,
    pub translated_by: String,
}

/// What a commitment's permalink shows beyond its list row: its summit,
/// who proposed it, the note on its due date, and its version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentDetailRow {
    pub id: i64,
    pub due_note: Option<String>,
    pub proposer_code: Option<String>,
    pub proposer_short_name: Option<String>,
    pub summit_slug: String,
    pub summit_title: String,
    pub summit_held_on: NaiveDate,
    pub summit_location: String,
    pub summit_summary: String,
    pub summit_time_zone: String,
    pub version: i64,
}

/// A commitment's row in a list, before its parties' statuses and its
/// translations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub theme: String,
    pub due_on: Option<NaiveDate>,
    pub due_basis: Option<String>,
    pub source_count: i64,
    pub last_changed_on: Option<NaiveDate>,
    pub summit_slug: String,
    pub summit_title: String,
    pub summit_held_on: NaiveDate,
    pub summit_time_zone: String,
}

/// One party's current status on one commitment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyStatusRow {
    pub commitment_id: i64,
    pub code: String,
    pub short_name: String,
    pub status: String,
    pub since: Option<NaiveDate>,
}

/// One entry of a commitment's timeline, with the party's status before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineRow {
    pub id: i64,
    pub code: String,
    pub short_name: String,
    pub status: String,
    pub previous_status: Option<String>,
    pub effective_on: NaiveDate,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A source a timeline entry cites, at the version it relied on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitationRow {
    pub status_update_id: i64,
    pub id: i64,
    pub source_version: i64,
}

/// One stored version of a source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceVersionRow {
    pub source_id: i64,
    pub version: i64,
    pub publisher: String,
    pub via: Option<String>,
    pub title: String,
    pub title_basis: String,
    pub dated_on: NaiveDate,
    pub date_basis: String,
    pub url: Option<String>,
    pub quote: String,
    pub kind: String,
    pub language: String,
    pub correction_note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A party as lists name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyRow {
    pub code: String,
    pub short_name: String,
}

/// What a commitment's history page says of the commitment itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryHeadRow {
    pub id: i64,
    pub title: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

/// One revision of a commitment, with the snapshots before and after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionRow {
    pub version: i64,
    pub recorded_by: String,
    pub action: String,
    pub summary: String,
    pub before_json: Option<String>,
    pub after_json: String,
    pub created_at: DateTime<Utc>,
}

/// A recorded status change in the list of recent changes (and feeds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecentChangeRow {
    pub id: i64,
    pub commitment_slug: String,
    pub commitment_title: String,
    pub code: String,
    pub short_name: String,
    pub status: String,
    pub previous_status: Option<String>,
    pub effective_on: NaiveDate,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A source's later version, as the list of corrections names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceCorrectionRow {
    pub source_id: i64,
    pub version: i64,
    pub publisher: String,
    pub title: String,
    pub correction_note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A commitment that lists a source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitingCommitmentRow {
    pub source_id: i64,
    pub slug: String,
    pub title: String,
}

/// A commitment's revert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevertRow {
    pub slug: String,
    pub title: String,
    pub version: i64,
    pub summary: String,
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
}

/// A correction to a summit's shipped data, and the commitment it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataCorrectionRow {
    pub id: i64,
    pub made_on: NaiveDate,
    pub what: String,
    pub why: String,
    pub slug: Option<String>,
    pub title: Option<String>,
}

/// One commitment's permalink and when anything it shows last changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentChangeRow {
    pub slug: String,
    pub summit_slug: String,
    pub changed_at: DateTime<Utc>,
}

/// How many commitments' overall statuses changed in a month, from one
/// status (none: their first) to another: a step of the status chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChangeCountRow {
    pub month: String,
    pub overall_status: String,
    pub previous_status: Option<String>,
    pub count: i64,
}

/// A summit with how many of its commitments stand at one overall status
/// (none, and 0, for a summit without commitments).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummitCountRow {
    pub slug: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub location: String,
    pub summary: String,
    pub time_zone: String,
    pub overall_status: Option<String>,
    pub count: i64,
}

/// An account as the admin's list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserListingRow {
    pub name: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// What a sign-in checks of an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub disabled: bool,
}

/// An enabled account, as a session finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveUserRow {
    pub id: i64,
    pub name: String,
    pub role: String,
}

/// A reader's suggestion waiting for an editor, with its commitment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSuggestionRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub party: String,
    pub proposed_status: String,
    pub effective_on: NaiveDate,
    pub note: String,
    pub source_publisher: String,
    pub source_title: String,
    pub source_published_on: NaiveDate,
    pub source_url: Option<String>,
    pub source_quote: String,
    pub source_kind: String,
    pub source_language: String,
    pub source_via: Option<String>,
    pub source_date_basis: String,
    pub source_title_basis: String,
    pub contact: Option<String>,
    pub submitted_at: DateTime<Utc>,
}

/// A matched commitment with the parts of its place in the list's orders,
/// from which the pager's cursors are made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListKeyRow {
    pub id: i64,
    pub overall_status: String,
    pub summit_held_on: NaiveDate,
    pub position: i64,
    pub last_changed_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub title: String,
}

/// A commitment whose next version a write claimed: its id, the version
/// claimed, its slug and its summit's slug (whose pages the write makes
/// stale).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimRow {
    pub id: i64,
    pub version: i64,
    pub slug: String,
    pub summit: String,
}

/// A commitment's latest revision, for the message of a refused stale
/// write: who made it, when, and what it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LatestRevisionRow {
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
    pub summary: String,
}

/// A commitment's editable fields and the ids of the sources it lists, in
/// id order, as a write reads them before and after its change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditableRow {
    pub title: String,
    pub summary: String,
    pub theme: String,
    pub proposer: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub due_note: Option<String>,
    pub due_basis: Option<String>,
    pub source_ids: Vec<i64>,
}

/// One owing party of a commitment with its current status update, if it
/// has one (in party order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwingPartyRow {
    pub code: String,
    pub short_name: String,
    pub status_update_id: Option<i64>,
    pub status: Option<String>,
    pub effective_on: Option<NaiveDate>,
}

/// A suggestion an editor accepted, as the status change it becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptedSuggestionRow {
    pub commitment_id: i64,
    pub party: String,
    pub proposed_status: String,
    pub effective_on: NaiveDate,
    pub note: String,
    pub source_publisher: String,
    pub source_title: String,
    pub source_published_on: NaiveDate,
    pub source_url: Option<String>,
    pub source_quote: String,
    pub source_kind: String,
    pub source_language: String,
    pub source_via: Option<String>,
    pub source_date_basis: String,
    pub source_title_basis: String,
}

/// The days an editor's status change is checked against: its summit's day
/// and zone, and the commitment's due date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeDatesRow {
    pub summit_held_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub time_zone: String,
}

/// A summit as `accord export` writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetSummitRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub location: String,
    pub summary: String,
    pub time_zone: String,
}

/// A party a summit's commitments name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetPartyRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub leader: String,
}

/// A source a summit's commitments list, as it reads now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetSourceRow {
    pub id: i64,
    pub publisher: String,
    pub via: Option<String>,
    pub title: String,
    pub title_basis: String,
    pub dated_on: NaiveDate,
    pub date_basis: String,
    pub url: Option<String>,
    pub kind: String,
    pub quote: String,
}

/// Two ids that belong together: a commitment and a party that owes it, a
/// commitment and a source it lists, a status update and a source it cites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdPairRow {
    pub owner: i64,
    pub item: i64,
}

/// An owing party's current status on a commitment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentStatusRow {
    pub id: i64,
    pub commitment_id: i64,
    pub party_id: i64,
    pub status: String,
    pub effective_on: NaiveDate,
    pub note: String,
}

/// A commitment as `accord export` writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetCommitmentRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub theme: String,
    pub proposer: Option<i64>,
    pub due_on: Option<NaiveDate>,
    pub due_basis: Option<String>,
    pub due_note: Option<String>,
}

/// A correction of a summit's data, with the commitment it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetCorrectionRow {
    pub made_on: NaiveDate,
    pub commitment: Option<String>,
    pub what: String,
    pub why: String,
}

/// A summit's texts in one language, with its translator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummitTextRow {
    pub language: String,
    pub title: String,
    pub location: String,
    pub summary: String,
    pub translated_by: String,
}

/// A commitment's texts in one language, with its translator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentTextRow {
    pub slug: String,
    pub language: String,
    pub title: String,
    pub summary: String,
    pub translated_by: String,
}

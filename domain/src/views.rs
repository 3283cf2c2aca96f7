//! What the pages show: read models assembled by the database layer and sent
//! from server functions to the browser.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{
    choose_text, CommitmentTranslation, DueBasis, LaterCorrection, ListQuery, Locale, PartyCode, Shown, Slug,
    SourceCorrection, SourceText, Status, SummitTimeZone, SummitTranslation, Theme, TitleBasis,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyRef {
    pub code: PartyCode,
    pub short_name: String,
}

/// A party's short name among `parties` ("China" for `cn`), or its code
/// when it is not among them.
pub fn party_name(parties: &[PartyRef]) -> impl Fn(&PartyCode) -> String + '_ {
    move |code| {
        parties
            .iter()
            .find(|party| &party.code == code)
            .map_or_else(|| code.to_string(), |party| party.short_name.clone())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummitView {
    pub slug: Slug,
    pub title: String,
    pub held_on: NaiveDate,
    pub location: String,
    pub summary: String,
    /// The IANA time zone the summit's dates are reckoned in.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "Asia/Seoul"))]
    pub time_zone: SummitTimeZone,
    /// The language of `title`, `location` and `summary`.
    #[serde(default)]
    pub language: Locale,
    /// Their translations into the other languages.
    #[serde(default)]
    pub translations: Vec<SummitTranslation>,
}

/// A summit's title, location and summary as a page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummitTexts {
    pub title: String,
    pub location: String,
    pub summary: String,
}

impl SummitView {
    /// The summit's texts for a page in `locale`.
    pub fn texts_in(&self, locale: Locale) -> Shown<SummitTexts> {
        let texts = |title: &str, location: &str, summary: &str| SummitTexts {
            title: title.to_owned(),
            location: location.to_owned(),
            summary: summary.to_owned(),
        };
        choose_text(
            locale,
            self.language,
            texts(&self.title, &self.location, &self.summary),
            self.translations.iter().map(|t| {
                (
                    t.language,
                    texts(&t.title, &t.location, &t.summary),
                    t.translated_by.as_str(),
                )
            }),
        )
    }
}

/// One owing party's current position on a commitment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyStatus {
    pub party: PartyRef,
    pub status: Status,
    /// When the current status took effect; `None` if the party has no history yet.
    pub since: Option<NaiveDate>,
}

/// The summit a commitment was made at, as a list row names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummitRef {
    pub slug: Slug,
    pub title: String,
    pub held_on: NaiveDate,
    /// The IANA time zone the summit's dates are reckoned in.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "Asia/Seoul"))]
    pub time_zone: SummitTimeZone,
    /// The language of `title`.
    #[serde(default)]
    pub language: Locale,
    /// The title in other languages, with who translated it.
    #[serde(default)]
    pub translated_titles: Vec<TranslatedTitle>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TranslatedTitle {
    pub language: Locale,
    pub title: String,
    pub translated_by: String,
}

impl SummitRef {
    /// The summit's title for a page in `locale`: a translation when there
    /// is one, else the original, marked by its language.
    pub fn title_in(&self, locale: Locale) -> Shown<String> {
        choose_text(
            locale,
            self.language,
            self.title.clone(),
            self.translated_titles
                .iter()
                .map(|t| (t.language, t.title.clone(), t.translated_by.as_str())),
        )
    }
}

/// A row of the commitments list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentSummary {
    pub slug: Slug,
    pub title: String,
    pub summary: String,
    pub theme: Theme,
    pub summit: SummitRef,
    pub party_statuses: Vec<PartyStatus>,
    pub last_changed_on: Option<NaiveDate>,
    pub source_count: i64,
    pub due_on: Option<NaiveDate>,
    /// Set whenever `due_on` is.
    pub due_basis: Option<DueBasis>,
    /// The language `title` and `summary` were written in.
    #[serde(default)]
    pub language: Locale,
    /// The title and summary in the other languages.
    #[serde(default)]
    pub translations: Vec<CommitmentTranslation>,
}

/// A commitment's title and summary as a page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleAndSummary {
    pub title: String,
    pub summary: String,
}

/// How much of the time between the summit and the due date has gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueProgress {
    /// 0 to 100.
    pub percent_elapsed: u8,
    /// Negative once the due date has passed.
    pub days_left: i64,
}

impl DueProgress {
    /// A sentence for the bar's label, e.g. "32 days left (91% of the time elapsed)".
    pub fn describe(&self) -> String {
        let days = |n: i64| {
            if n == 1 {
                "1 day".to_owned()
            } else {
                format!("{n} days")
            }
        };
        match self.days_left {
            0 => format!("Due today ({}% of the time elapsed)", self.percent_elapsed),
            n if n > 0 => format!("{} left ({}% of the time elapsed)", days(n), self.percent_elapsed),
            n => format!("{} past the due date", days(-n)),
        }
    }
}

impl CommitmentSummary {
    /// The title and summary for a page in `locale`.
    pub fn texts_in(&self, locale: Locale) -> Shown<TitleAndSummary> {
        let texts = |title: &str, summary: &str| TitleAndSummary {
            title: title.to_owned(),
            summary: summary.to_owned(),
        };
        choose_text(
            locale,
            self.language,
            texts(&self.title, &self.summary),
            self.translations
                .iter()
                .map(|t| (t.language, texts(&t.title, &t.summary), t.translated_by.as_str())),
        )
    }

    pub fn overall_status(&self) -> Status {
        Status::overall(self.party_statuses.iter().map(|p| p.status))
    }

    /// The day it is at `now` where the commitment's summit was held: the
    /// day its due date is compared with.
    pub fn today_at(&self, now: DateTime<Utc>) -> NaiveDate {
        self.summit.time_zone.today(now)
    }

    /// Past its due date and not fulfilled.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.due_on.is_some_and(|due| due < today) && self.overall_status() != Status::Fulfilled
    }

    /// Time elapsed from the summit to the due date, for items with one.
    pub fn due_progress(&self, today: NaiveDate) -> Option<DueProgress> {
        let due = self.due_on?;
        let span = (due - self.summit.held_on).num_days().max(1);
        let elapsed = (today - self.summit.held_on).num_days().clamp(0, span);
        Some(DueProgress {
            percent_elapsed: u8::try_from(elapsed * 100 / span).unwrap_or(100),
            days_left: (due - today).num_days(),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceView {
    pub id: i64,
    /// What the current version says.
    #[serde(flatten)]
    pub text: SourceText,
    /// The current version; 1 until the source is first corrected.
    pub version: i64,
    /// Every correction, oldest first, each with what it changed.
    pub corrections: Vec<SourceCorrection>,
}

impl SourceView {
    /// The source's address, only if it is a web address: anything else
    /// (`javascript:`, `data:`…) is never turned into a link.
    pub fn web_url(&self) -> Option<String> {
        self.text
            .url
            .as_ref()
            .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
            .cloned()
    }
}

/// A source cited by a status change, referenced by id from the timeline,
/// with the version the change relied on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CitedSource {
    pub id: i64,
    /// As the relied-on version named it.
    pub publisher: String,
    pub title: String,
    /// Whether `title` is the outlet's headline or Accord's description.
    pub title_basis: TitleBasis,
    /// The version of the source this change relied on when it was recorded.
    pub version: i64,
    /// Set when the source was corrected after this change relied on it.
    pub later_correction: Option<LaterCorrection>,
}

/// One entry of the public timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusUpdateView {
    pub id: i64,
    pub party: PartyRef,
    pub status: Status,
    /// The party's status before this change; `None` for its first entry.
    pub previous_status: Option<Status>,
    pub effective_on: NaiveDate,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    pub sources: Vec<CitedSource>,
}

impl StatusUpdateView {
    /// The fragment id that links to this entry, e.g. `update-12`.
    pub fn anchor(&self) -> String {
        format!("update-{}", self.id)
    }
}

/// A status change as feeds announce it: which commitment, which party, from
/// what to what, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChangeEntry {
    pub id: i64,
    pub commitment_slug: Slug,
    pub commitment_title: String,
    pub party: PartyRef,
    pub status: Status,
    pub previous_status: Option<Status>,
    pub effective_on: NaiveDate,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

impl StatusChangeEntry {
    /// "South Korea: Not yet rated → In progress".
    pub fn headline(&self) -> String {
        match self.previous_status {
            Some(before) if before != self.status => format!(
                "{}: {} → {}",
                self.party.short_name,
                before.label(),
                self.status.label()
            ),
            _ => format!("{}: {}", self.party.short_name, self.status.label()),
        }
    }

    /// The fragment of the commitment page that shows this change.
    pub fn anchor(&self) -> String {
        format!("update-{}", self.id)
    }
}

/// Everything the permalink page of one commitment shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentDetail {
    pub commitment: CommitmentSummary,
    /// When the permalink first appeared and when what it shows last
    /// changed (the page's structured data says so).
    #[serde(default)]
    pub page_dates: Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>,
    pub summit: SummitView,
    /// `None` when the commitment was put forward jointly.
    pub proposed_by: Option<PartyRef>,
    pub due_note: Option<String>,
    pub sources: Vec<SourceView>,
    /// Newest first; at most [`TIMELINE_LIMIT`] entries.
    pub timeline: Vec<StatusUpdateView>,
    /// How many status changes there are in all.
    pub timeline_total: u64,
    /// The absolute URL to share, built from the configured public base URL.
    pub share_url: String,
    /// The version edit forms carry, to refuse edits based on a stale page.
    pub version: i64,
    /// The date when the page was built in the summit's time zone (the
    /// latest date a change can take effect; the browser's clock is not
    /// trusted for it).
    pub today: NaiveDate,
}

/// How many of a view's commitments stood at each overall status on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusSnapshot {
    pub on: NaiveDate,
    /// In `Status::ALL` order.
    pub counts: Vec<u64>,
}

impl StatusSnapshot {
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// A summit with how many commitments it produced, for `/summits`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummitListing {
    pub summit: SummitView,
    pub commitment_count: u64,
    /// Overall statuses, in `Status::ALL` order.
    pub counts: Vec<(Status, u64)>,
}

/// How many status changes (newest first) a commitment's page and its JSON
/// carry. Real commitments have a handful; a bound keeps the page's size and
/// render time from growing without limit (a commitment hammered by a load
/// test reached 357 KB at 250 updates).
pub const TIMELINE_LIMIT: usize = 200;

/// How many of the latest status changes a permalink page shows, with the
/// count of all and a link to the history; the JSON API carries up to
/// [`TIMELINE_LIMIT`]. Each entry (party, both statuses, note, every cited
/// source, who recorded it) costs about 0.12 ms to render: 200 took 7.2 ms
/// (release build, 242 KB) and 50 took 8.2 ms in `make bench` for a
/// commitment with 10,000 changes, over the 5 ms budget (issue 17). People
/// read the latest changes first; the history pages through all of them.
pub const PERMALINK_TIMELINE_ENTRIES: usize = 20;

/// How many summits (newest first) the list's summit menu offers; the rest
/// are reached from `/summits`: a menu of thousands helps nobody, and would
/// weigh down every list page and its hydration data.
pub const SUMMIT_CHOICES: usize = 30;

/// The "statuses over time" chart is drawn for views of at most this many
/// commitments: its cost grows with every status update of every matched
/// commitment (seconds for 100,000), while a summit or a filtered view is
/// what a reader looks at over time.
pub const CHART_MAX_COMMITMENTS: usize = 2_000;

/// A search's page counts its matches up to this many: each match is
/// looked up to be counted, so a search that matches most of 100,000
/// commitments would spend more on its count than on its page. Above it,
/// the page says "more than 2,000" and shows no scoreboard; the JSON API
/// counts every match.
pub const SEARCH_COUNT_LIMIT: u64 = 2_000;

/// One page of a filtered, sorted view of the commitments, with the
/// scoreboard and status history of everything the filter matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingPage {
    pub query: ListQuery,
    /// Query values that could not be used, with their messages; the view
    /// ignores them (the page shows the messages next to the fields).
    pub problems: super::SubmittedForm,
    pub items: Vec<CommitmentSummary>,
    /// Everything the filter matches, across pages.
    pub total: u64,
    pub per_page: u32,
    /// The page before this one (`None`: this is the first, or nothing
    /// comes before it).
    pub previous: Option<super::PageCursor>,
    /// The page after this one (`None`: nothing comes after it).
    pub next: Option<super::PageCursor>,
    /// Overall statuses of everything matched, in `Status::ALL` order.
    pub counts: Vec<(Status, u64)>,
    /// The search matched more than [`SEARCH_COUNT_LIMIT`], where counting
    /// stopped: `total` is the limit (read "more than `total`") and `counts`
    /// are of the first matches only, or all 0 (not counted by status),
    /// not to be shown.
    pub counts_capped: bool,
    /// Month-end snapshots of the matched commitments' overall statuses,
    /// oldest first, ending today.
    pub history: Vec<StatusSnapshot>,
    /// The view matches more than [`CHART_MAX_COMMITMENTS`], so `history`
    /// was not computed.
    pub chart_omitted: bool,
    /// The summit the view is about: the filtered one, else the newest.
    pub summit: Option<SummitView>,
    /// Choices for the filter form: the newest [`SUMMIT_CHOICES`] summits,
    /// and the filtered one if it is older.
    pub summits: Vec<SummitRef>,
    /// How many summits there are in all.
    pub summit_total: u64,
    pub parties: Vec<PartyRef>,
    /// The absolute URL of this view.
    pub canonical_url: String,
    /// The instant the page was built; each card reckons its own day from
    /// it in its summit's time zone.
    pub now: DateTime<Utc>,
    /// The chart's last day: today in `time_zone`.
    pub today: NaiveDate,
    /// The view's time zone: the filtered summit's, else the one zone every
    /// summit shares, else UTC.
    pub time_zone: SummitTimeZone,
}

impl ListingPage {
    pub fn page_count(&self) -> u32 {
        let pages = self.total.div_ceil(u64::from(self.per_page.max(1)));
        u32::try_from(pages.max(1)).unwrap_or(u32::MAX)
    }

    pub fn party_name(&self, code: &PartyCode) -> String {
        self.parties
            .iter()
            .find(|p| &p.code == code)
            .map(|p| p.short_name.clone())
            .unwrap_or_else(|| code.to_string())
    }

    /// "Stalled commitments owed by South Korea", for headings and titles.
    pub fn description(&self) -> String {
        let mut text = self.query.describe(|code| self.party_name(code));
        if let Some(summit) = self.query.summit.as_ref().and(self.summit.as_ref()) {
            text.push_str(&format!(" from the {}", summit.title));
        }
        text
    }
}

/// How many commitments stand at each overall status, in `Status::ALL` order.
pub fn scoreboard(commitments: &[CommitmentSummary]) -> Vec<(Status, u64)> {
    Status::ALL
        .iter()
        .map(|status| {
            let count = commitments.iter().filter(|c| c.overall_status() == *status).count();
            (*status, count as u64)
        })
        .collect()
}

/// "1 November 2025": unambiguous for readers in every country.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_parties_as_readers_know_them() {
        let code = |c: &str| PartyCode::parse(c).unwrap();
        let parties = vec![
            PartyRef {
                code: code("cn"),
                short_name: "China".into(),
            },
            PartyRef {
                code: code("kr"),
                short_name: "South Korea".into(),
            },
        ];
        let status = |party: &str, status: Status, id: i64| SnapshotStatus {
            party: code(party),
            status,
            since: None,
            status_update_id: Some(id),
        };
        let before = CommitmentSnapshot {
            title: "T".into(),
            summary: "S".into(),
            theme: Theme::ALL[0],
            proposed_by: None,
            due_on: None,
            due_basis: None,
            due_note: None,
            owed_by: vec![code("cn")],
            source_ids: vec![],
            statuses: vec![status("cn", Status::NotYetRated, 1)],
            translations: None,
        };
        let after = CommitmentSnapshot {
            proposed_by: Some(code("kr")),
            owed_by: vec![code("cn"), code("kr")],
            statuses: vec![
                status("cn", Status::InProgress, 2),
                status("kr", Status::NotYetRated, 3),
            ],
            ..before.clone()
        };
        let changes = after.changes_since(&before, party_name(&parties)).join("\n");
        assert!(
            changes.contains("Proposed by: “Both sides jointly” → “South Korea”"),
            "{changes}"
        );
        assert!(changes.contains("Owed by: “China” → “China, South Korea”"), "{changes}");
        assert!(
            changes.contains("Status of China: Not yet rated → In progress"),
            "{changes}"
        );
        assert!(
            !changes.contains("cn") && !changes.contains("kr"),
            "no raw codes: {changes}"
        );
        assert_eq!(
            party_name(&parties)(&code("jp")),
            "jp",
            "an unknown party keeps its code"
        );
    }

    fn summary(statuses: &[Status]) -> CommitmentSummary {
        CommitmentSummary {
            slug: Slug::parse("x").unwrap(),
            title: "X".into(),
            summary: String::new(),
            theme: Theme::Economy,
            summit: SummitRef {
                slug: Slug::parse("s").unwrap(),
                title: "S".into(),
                held_on: NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(),
                time_zone: SummitTimeZone::parse("Asia/Seoul").unwrap(),
                language: Locale::En,
                translated_titles: Vec::new(),
            },
            party_statuses: statuses
                .iter()
                .enumerate()
                .map(|(i, status)| PartyStatus {
                    party: PartyRef {
                        code: PartyCode::parse(["cn", "kr"][i]).unwrap(),
                        short_name: String::new(),
                    },
                    status: *status,
                    since: None,
                })
                .collect(),
            last_changed_on: None,
            source_count: 0,
            due_on: None,
            due_basis: None,
            language: Locale::En,
            translations: Vec::new(),
        }
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn overdue_means_past_due_and_not_fulfilled() {
        let mut item = summary(&[Status::InProgress, Status::Fulfilled]);
        assert!(!item.is_overdue(day("2030-01-01")), "no due date, never overdue");
        item.due_on = Some(day("2026-06-30"));
        assert!(!item.is_overdue(day("2026-06-30")), "due today is not yet overdue");
        assert!(item.is_overdue(day("2026-07-01")));
        let mut done = summary(&[Status::Fulfilled, Status::Fulfilled]);
        done.due_on = Some(day("2026-06-30"));
        assert!(!done.is_overdue(day("2027-01-01")));
    }

    #[test]
    fn a_commitment_falls_overdue_when_its_due_date_passes_in_the_summits_time_zone() {
        let mut item = summary(&[Status::InProgress]);
        item.due_on = Some(day("2026-12-31"));
        // 15:30 UTC on 31 December is already 1 January in Seoul.
        let late_utc: DateTime<Utc> = "2026-12-31T15:30:00Z".parse().unwrap();
        assert_eq!(item.today_at(late_utc), day("2027-01-01"));
        assert!(item.is_overdue(item.today_at(late_utc)));
        assert!(!item.is_overdue(late_utc.date_naive()), "in UTC it would not be yet");
        let earlier: DateTime<Utc> = "2026-12-31T14:59:00Z".parse().unwrap();
        assert!(!item.is_overdue(item.today_at(earlier)));
    }

    #[test]
    fn due_progress_runs_from_the_summit_to_the_due_date() {
        let mut item = summary(&[Status::InProgress]);
        assert_eq!(item.due_progress(day("2026-01-01")), None);
        item.due_on = Some(day("2025-12-01"));
        let half = item.due_progress(day("2025-11-16")).unwrap();
        assert_eq!(
            half,
            DueProgress {
                percent_elapsed: 50,
                days_left: 15
            }
        );
        assert_eq!(half.describe(), "15 days left (50% of the time elapsed)");
        let late = item.due_progress(day("2025-12-03")).unwrap();
        assert_eq!(late.percent_elapsed, 100);
        assert_eq!(late.describe(), "2 days past the due date");
        assert_eq!(item.due_progress(day("2025-10-01")).unwrap().percent_elapsed, 0);
    }

    #[test]
    fn scoreboard_counts_overall_statuses_in_vocabulary_order() {
        let items = [
            summary(&[Status::Fulfilled, Status::Fulfilled]),
            summary(&[Status::Fulfilled, Status::InProgress]),
            summary(&[Status::NotYetRated, Status::InProgress]),
            summary(&[Status::InProgress]),
        ];
        let board = scoreboard(&items);
        assert_eq!(board.len(), Status::ALL.len());
        assert_eq!(board[0], (Status::NotYetRated, 1));
        assert_eq!(board[1], (Status::InProgress, 2));
        assert_eq!(board[4], (Status::Fulfilled, 1));
        assert_eq!(board.iter().map(|(_, n)| n).sum::<u64>(), items.len() as u64);
    }

    #[test]
    fn dates_are_written_out() {
        assert_eq!(
            format_date(NaiveDate::from_ymd_opt(2025, 11, 1).unwrap()),
            "1 November 2025"
        );
    }
}

/// A commitment's whole editable state at one version, stored with each
/// revision so changes can be shown and reverted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentSnapshot {
    pub title: String,
    pub summary: String,
    pub theme: Theme,
    pub proposed_by: Option<PartyCode>,
    pub due_on: Option<NaiveDate>,
    /// Absent from snapshots stored before due dates had a basis.
    #[serde(default)]
    pub due_basis: Option<DueBasis>,
    pub due_note: Option<String>,
    pub owed_by: Vec<PartyCode>,
    pub source_ids: Vec<i64>,
    /// Each owing party's current status.
    pub statuses: Vec<SnapshotStatus>,
    /// The title and summary in other languages. `None` in snapshots stored
    /// before translations existed: reverting to one of those leaves the
    /// translations as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translations: Option<Vec<CommitmentTranslation>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotStatus {
    pub party: PartyCode,
    pub status: Status,
    pub since: Option<NaiveDate>,
    /// The status update that was current, whose evidence a revert cites again.
    pub status_update_id: Option<i64>,
}

impl CommitmentSnapshot {
    pub fn status_of(&self, party: &PartyCode) -> Status {
        self.statuses
            .iter()
            .find(|s| &s.party == party)
            .map(|s| s.status)
            .unwrap_or(Status::NotYetRated)
    }

    /// What changed from `earlier` to this state, field by field, in types:
    /// pages word each difference in their own language.
    pub fn differences_since(&self, earlier: &CommitmentSnapshot) -> Vec<SnapshotChange> {
        let mut changes = Vec::new();
        push_text_change(&mut changes, TextField::Title, &earlier.title, &self.title);
        push_text_change(&mut changes, TextField::Summary, &earlier.summary, &self.summary);
        if earlier.theme != self.theme {
            changes.push(SnapshotChange::Theme {
                before: earlier.theme,
                after: self.theme,
            });
        }
        if earlier.proposed_by != self.proposed_by {
            changes.push(SnapshotChange::Proposer {
                before: earlier.proposed_by.clone(),
                after: self.proposed_by.clone(),
            });
        }
        if earlier.due_on != self.due_on {
            changes.push(SnapshotChange::Due {
                before: earlier.due_on,
                after: self.due_on,
            });
        }
        if earlier.due_basis != self.due_basis {
            changes.push(SnapshotChange::DueBasis {
                before: earlier.due_basis,
                after: self.due_basis,
            });
        }
        let note = |n: &Option<String>| n.clone().unwrap_or_default();
        push_text_change(
            &mut changes,
            TextField::DueNote,
            &note(&earlier.due_note),
            &note(&self.due_note),
        );
        if let (Some(before), Some(after)) = (&earlier.translations, &self.translations) {
            for language in Locale::ALL {
                let find = |list: &[CommitmentTranslation]| list.iter().find(|t| t.language == language).cloned();
                let (old, new) = (find(before), find(after));
                let title =
                    |t: &Option<CommitmentTranslation>| t.as_ref().map_or_else(String::new, |t| t.title.clone());
                let summary =
                    |t: &Option<CommitmentTranslation>| t.as_ref().map_or_else(String::new, |t| t.summary.clone());
                push_text_change(
                    &mut changes,
                    TextField::TranslatedTitle(language),
                    &title(&old),
                    &title(&new),
                );
                push_text_change(
                    &mut changes,
                    TextField::TranslatedSummary(language),
                    &summary(&old),
                    &summary(&new),
                );
            }
        }
        if earlier.owed_by != self.owed_by {
            changes.push(SnapshotChange::OwedBy {
                before: earlier.owed_by.clone(),
                after: self.owed_by.clone(),
            });
        }
        let added = self
            .source_ids
            .iter()
            .filter(|id| !earlier.source_ids.contains(id))
            .count();
        let removed = earlier
            .source_ids
            .iter()
            .filter(|id| !self.source_ids.contains(id))
            .count();
        if added > 0 {
            changes.push(SnapshotChange::SourcesAdded(added));
        }
        if removed > 0 {
            changes.push(SnapshotChange::SourcesRemoved(removed));
        }
        for now in &self.statuses {
            let before = earlier.status_of(&now.party);
            if before != now.status
                || earlier
                    .statuses
                    .iter()
                    .all(|s| s.status_update_id != now.status_update_id)
            {
                changes.push(SnapshotChange::Status {
                    party: now.party.clone(),
                    before,
                    after: now.status,
                });
            }
        }
        changes
    }

    /// The differences from `earlier` in English, one line each, naming
    /// parties as readers know them (`party_name`, e.g. "China" for `cn`):
    /// what revision summaries record.
    pub fn changes_since(
        &self,
        earlier: &CommitmentSnapshot,
        party_name: impl Fn(&PartyCode) -> String,
    ) -> Vec<String> {
        self.differences_since(earlier)
            .iter()
            .map(|change| change.english(&party_name))
            .collect()
    }
}

/// Records a text field's change, if it changed.
fn push_text_change(changes: &mut Vec<SnapshotChange>, field: TextField, before: &str, after: &str) {
    if before != after {
        changes.push(SnapshotChange::Text {
            field,
            before: before.to_owned(),
            after: after.to_owned(),
        });
    }
}

/// A text field of a commitment, as its history names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextField {
    Title,
    Summary,
    DueNote,
    TranslatedTitle(Locale),
    TranslatedSummary(Locale),
}

/// One difference between two states of a commitment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SnapshotChange {
    Text {
        field: TextField,
        before: String,
        after: String,
    },
    Theme {
        before: Theme,
        after: Theme,
    },
    /// `None`: put forward jointly.
    Proposer {
        before: Option<PartyCode>,
        after: Option<PartyCode>,
    },
    Due {
        before: Option<NaiveDate>,
        after: Option<NaiveDate>,
    },
    DueBasis {
        before: Option<DueBasis>,
        after: Option<DueBasis>,
    },
    OwedBy {
        before: Vec<PartyCode>,
        after: Vec<PartyCode>,
    },
    SourcesAdded(usize),
    SourcesRemoved(usize),
    Status {
        party: PartyCode,
        before: Status,
        after: Status,
    },
}

impl SnapshotChange {
    /// The difference as one English line, e.g. `Title: “a” → “b”`.
    pub fn english(&self, party_name: &impl Fn(&PartyCode) -> String) -> String {
        let line = |name: &str, before: &str, after: &str| format!("{name}: “{before}” → “{after}”");
        let party = |p: &Option<PartyCode>| p.as_ref().map_or("Both sides jointly".to_owned(), party_name);
        let date = |d: &Option<NaiveDate>| d.map_or("none".to_owned(), format_date);
        let basis = |b: &Option<DueBasis>| b.map_or("none".to_owned(), |b| b.label().to_owned());
        let codes = |c: &[PartyCode]| c.iter().map(party_name).collect::<Vec<_>>().join(", ");
        match self {
            SnapshotChange::Text { field, before, after } => {
                let name = match field {
                    TextField::Title => "Title".to_owned(),
                    TextField::Summary => "Summary".to_owned(),
                    TextField::DueNote => "Due date note".to_owned(),
                    TextField::TranslatedTitle(l) => format!("{} title", l.english_name()),
                    TextField::TranslatedSummary(l) => format!("{} summary", l.english_name()),
                };
                line(&name, before, after)
            }
            SnapshotChange::Theme { before, after } => line("Theme", before.label(), after.label()),
            SnapshotChange::Proposer { before, after } => line("Proposed by", &party(before), &party(after)),
            SnapshotChange::Due { before, after } => line("Due", &date(before), &date(after)),
            SnapshotChange::DueBasis { before, after } => line("Due date basis", &basis(before), &basis(after)),
            SnapshotChange::OwedBy { before, after } => line("Owed by", &codes(before), &codes(after)),
            SnapshotChange::SourcesAdded(n) => format!("Sources: {n} added"),
            SnapshotChange::SourcesRemoved(n) => format!("Sources: {n} removed"),
            SnapshotChange::Status { party, before, after } => format!(
                "Status of {}: {} → {}",
                party_name(party),
                before.label(),
                after.label()
            ),
        }
    }
}

/// One entry of a commitment's revision history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionView {
    pub version: i64,
    pub recorded_by: String,
    pub action: String,
    pub summary: String,
    pub created_at: DateTime<Utc>,
    /// What changed, in English (as the JSON API and tests read it).
    pub changes: Vec<String>,
    /// The same, in types, for pages to word in their language.
    #[serde(default)]
    pub differences: Vec<SnapshotChange>,
}

/// Who last changed a commitment, shown when an edit is refused because the
/// commitment changed after the form was loaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictInfo {
    pub current_version: i64,
    pub changed_by: String,
    pub changed_at: DateTime<Utc>,
    pub change: String,
}

impl ConflictInfo {
    pub fn message(&self) -> String {
        format!(
            "{} changed this commitment at {} UTC, after you opened the form: {} Your input is kept below; check it against the new state and submit again.",
            self.changed_by,
            self.changed_at.format("%-d %B %Y %H:%M"),
            self.change
        )
    }
}

/// Suggestions shown on one page of the review queue.
pub const REVIEW_PAGE_SIZE: u32 = 50;

/// One page of the review queue: pending suggestions oldest first (the
/// one waiting longest is decided first), [`REVIEW_PAGE_SIZE`] a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSuggestionsPage {
    pub suggestions: Vec<PendingSuggestion>,
    /// The page shown, from 1; a page past the end shows the last one.
    pub page: u32,
    /// At least 1, even when nothing is pending.
    pub page_count: u32,
    /// Every pending suggestion, on every page.
    pub total: u32,
}

/// A pending suggestion as the review queue shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSuggestion {
    pub id: i64,
    pub commitment_slug: String,
    pub commitment_title: String,
    pub party: String,
    pub proposed_status: Status,
    pub effective_on: NaiveDate,
    pub note: String,
    pub source: super::NewSource,
    pub contact: Option<String>,
    pub submitted_at: DateTime<Utc>,
}

//! The shapes of the API's answers; the OpenAPI schemas are derived from them.

use domain::PublicUrl;
use domain::{CommitmentSummary, ListQuery, PartyRef, SourceView, Status, StatusUpdateView, SummitListing, SummitView};
use serde::Serialize;

use super::COMMITMENTS_PATH;
use utoipa::ToSchema;

/// How many commitments stand at one overall status.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusCount {
    pub status: Status,
    pub count: u64,
}

pub(super) fn status_counts(counts: &[(Status, u64)]) -> Vec<StatusCount> {
    counts
        .iter()
        .map(|(status, count)| StatusCount {
            status: *status,
            count: *count,
        })
        .collect()
}

/// A commitment as the list gives it, with its overall status and links.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentItem {
    #[serde(flatten)]
    pub commitment: CommitmentSummary,
    /// Fulfilled only when every owing party has fulfilled the commitment;
    /// otherwise the status of the least advanced party.
    pub overall_status: Status,
    /// The commitment's page on the site.
    #[schema(format = "uri")]
    pub url: String,
    /// This commitment in the API, with its sources and status history.
    #[schema(format = "uri")]
    pub api_url: String,
}

impl CommitmentItem {
    pub(super) fn new(commitment: CommitmentSummary, public_url: &PublicUrl) -> CommitmentItem {
        CommitmentItem {
            overall_status: commitment.overall_status(),
            url: public_url.join(&format!("/commitments/{}", commitment.slug)),
            api_url: public_url.join(&format!("{COMMITMENTS_PATH}/{}", commitment.slug)),
            commitment,
        }
    }
}

/// Links to this page of a list and its neighbours (absolute URLs).
#[derive(Debug, Serialize, ToSchema)]
pub struct PageLinks {
    #[serde(rename = "self")]
    #[schema(format = "uri")]
    pub self_: String,
    #[schema(format = "uri")]
    pub first: String,
    #[schema(format = "uri")]
    pub last: String,
    /// The page after this one's last item (`after=`); `null` when nothing
    /// comes after it.
    #[schema(required = true, format = "uri")]
    pub next: Option<String>,
    /// The page before this one's first item (`before=`); `null` when
    /// nothing comes before it.
    #[schema(required = true, format = "uri")]
    pub prev: Option<String>,
    /// The same filters on the site's list page.
    #[schema(format = "uri")]
    pub html: String,
}

/// One page of the commitments the filters match.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentListPage {
    pub items: Vec<CommitmentItem>,
    /// The numbered page asked for (`page`), 1-based; 1 for a page asked
    /// for by `after` or `before`.
    pub page: u32,
    pub per_page: u32,
    /// Everything the filters match, across pages.
    pub total: u64,
    /// At least 1, even when nothing matches.
    pub page_count: u32,
    /// Overall statuses of everything the filters match (all pages), one
    /// entry per status.
    pub counts: Vec<StatusCount>,
    pub links: PageLinks,
}

/// One commitment with its evidence and the history of its statuses.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentDetailBody {
    pub commitment: CommitmentItem,
    /// The summit the commitment was made at.
    pub summit: SummitView,
    /// `null` when the commitment was put forward jointly.
    #[schema(required = true)]
    pub proposed_by: Option<PartyRef>,
    /// Where the due date comes from, when there is one.
    #[schema(required = true)]
    pub due_note: Option<String>,
    pub sources: Vec<SourceView>,
    /// The latest 200 status changes, newest first.
    pub timeline: Vec<StatusUpdateView>,
    /// How many status changes there are in all.
    pub timeline_total: u64,
    /// Goes up by one with every edit.
    pub version: i64,
    /// The commitment's page on the site.
    #[schema(format = "uri")]
    pub url: String,
}

/// A summit with its commitments counted by overall status.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummitItem {
    pub summit: SummitView,
    pub commitment_count: u64,
    /// One entry per status.
    pub counts: Vec<StatusCount>,
    /// The summit's page on the site.
    #[schema(format = "uri")]
    pub url: String,
    /// The summit's commitments in the API.
    #[schema(format = "uri")]
    pub commitments_url: String,
}

impl SummitItem {
    pub(super) fn new(listing: SummitListing, public_url: &PublicUrl) -> SummitItem {
        let slug = listing.summit.slug.clone();
        let commitments = ListQuery {
            summit: Some(slug.clone()),
            page: 1,
            ..ListQuery::default()
        };
        SummitItem {
            counts: status_counts(&listing.counts),
            commitment_count: listing.commitment_count,
            url: public_url.join(&format!("/summits/{slug}")),
            commitments_url: public_url.join(&commitments.link(COMMITMENTS_PATH)),
            summit: listing.summit,
        }
    }
}

/// Every summit, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummitList {
    pub items: Vec<SummitItem>,
}

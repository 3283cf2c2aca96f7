//! Images other sites embed: a status badge (`/commitments/{slug}/badge.svg`)
//! and a share card (`/commitments/{slug}/card.png`, 1200×630, the size link
//! previews use), drawn as SVG and rasterised with resvg using the embedded
//! Liberation Sans fonts (see `assets/fonts/LICENSE`).
//!
//! `badge` draws the badge, `card` lays out and rasterises the share card,
//! `cache` keeps rendered cards by version.

mod badge;
mod cache;
mod card;

pub use badge::badge_svg;
pub use cache::{card_cache_stats, CardCacheStats};
pub use card::{card_svg, render_card_png, CardData, Measure, CARD_HEIGHT, CARD_WIDTH};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use domain::{PublicUrl, Status};
use sqlx::SqlitePool;
use store::commitments::{find_commitment_by_slug, CommitmentRecord};

use crate::route_error::{commitment_slug, RouteError};
use crate::AppState;
use cache::{cached_card, store_card};

const CACHE_CONTROL: &str = "public, max-age=300";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/commitments/{slug}/badge.svg", get(badge))
        .route("/commitments/{slug}/card.png", get(card))
}

async fn load(pool: &SqlitePool, raw_slug: &str) -> Result<CommitmentRecord, RouteError> {
    let slug = commitment_slug(raw_slug)?;
    find_commitment_by_slug(pool, &slug)
        .await?
        .ok_or_else(RouteError::no_commitment)
}

/// Each owing party's status, or the overall status when no party owes it.
fn segments(record: &CommitmentRecord) -> Vec<(String, Status)> {
    let parties: Vec<(String, Status)> = record
        .commitment
        .party_statuses
        .iter()
        .map(|owed| (owed.party.short_name.clone(), owed.status))
        .collect();
    if parties.is_empty() {
        vec![("Overall".to_owned(), record.commitment.overall_status())]
    } else {
        parties
    }
}

async fn badge(State(pool): State<SqlitePool>, Path(slug): Path<String>) -> Result<Response, RouteError> {
    let record = load(&pool, &slug).await?;
    let svg = badge_svg(&record.commitment.title, &segments(&record));
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, CACHE_CONTROL),
            // Opened directly, an SVG is a document: it may run nothing.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        svg,
    )
        .into_response())
}

async fn card(
    State(pool): State<SqlitePool>,
    State(public_url): State<PublicUrl>,
    Path(slug): Path<String>,
) -> Result<Response, RouteError> {
    let record = load(&pool, &slug).await?;
    let data = CardData::new(&record, &public_url);
    let key = (record.commitment.slug.to_string(), record.version);
    let png = match cached_card(&key, &data) {
        Some(png) => png,
        None => {
            let rendering = data.clone();
            let png = tokio::task::spawn_blocking(move || render_card_png(&rendering))
                .await
                .map_err(|error| RouteError::Internal(format!("the card renderer stopped: {error}")))?
                .map_err(RouteError::Internal)?;
            let png = Bytes::from(png);
            store_card(key, data, png.clone());
            png
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, CACHE_CONTROL),
        ],
        png,
    )
        .into_response())
}

//! Images other sites embed: a status badge (`/commitments/{slug}/badge.svg`)
//! and a share card (`/commitments/{slug}/card.png`, 1200×630, the size link
//! previews use), drawn as SVG and rasterised with resvg, in the language of
//! the request (`/ko/…` and `/zh/…` reach the same handlers, with the
//! language in a `domain::Locale` request extension).
//!
//! Fonts (see `fonts`): Latin text in Liberation Sans, embedded in the binary
//! (SIL Open Font License 1.1, see `assets/fonts/LICENSE`); Korean and
//! Chinese text in Noto Sans CJK (SIL Open Font License 1.1), not embedded
//! but read at start from Debian's `fonts-noto-cjk` package
//! (`/usr/share/fonts/opentype/noto/NotoSansCJK-{Regular,Bold}.ttc`, installed
//! by `make tool-fonts-cjk`; other paths with `--cjk-font-regular` and
//! `--cjk-font-bold`). Without it cards still render, with their Latin text.
//!
//! `badge` draws the badge, `card` lays out and rasterises the share card,
//! `fonts` loads the fonts and measures and marks up text for them, `cache`
//! keeps rendered cards by version and language.

mod badge;
mod cache;
mod card;
mod fonts;

pub use badge::{badge_svg, badge_width, BADGE_HEIGHT};
pub use cache::{CardCache, CardCacheStats};
pub use card::{card_svg, render_card_png, CardData, CardLabels, Measure, PartyLabel, CARD_HEIGHT, CARD_WIDTH};
pub use fonts::{load_fonts, CjkFontPaths, DEFAULT_CJK_BOLD, DEFAULT_CJK_REGULAR};

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use domain::{Locale, PublicUrl};
use store::commitments::{find_commitment_by_slug, CommitmentRecord};
use store::Db;

use crate::language::RequestLocale;
use crate::route_error::{commitment_slug, RouteError};
use crate::AppState;

const CACHE_CONTROL: &str = "public, max-age=300";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/commitments/{slug}/badge.svg", get(badge))
        .route("/commitments/{slug}/card.png", get(card))
}

async fn load(db: &Db, raw_slug: &str) -> Result<CommitmentRecord, RouteError> {
    let slug = commitment_slug(raw_slug)?;
    find_commitment_by_slug(db, &slug)
        .await?
        .ok_or_else(RouteError::no_commitment)
}

/// What a card or badge of `record` shows in `locale`, in its words.
pub(crate) fn card_data(record: &CommitmentRecord, public_url: &PublicUrl, locale: Locale) -> CardData {
    CardData::new(record, public_url, locale, CardLabels::in_language(record, locale))
}

async fn badge(
    State(db): State<Db>,
    State(public_url): State<PublicUrl>,
    RequestLocale(locale): RequestLocale,
    Path(slug): Path<String>,
) -> Result<Response, RouteError> {
    let record = load(&db, &slug).await?;
    let svg = badge_svg(&card_data(&record, &public_url, locale));
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
    State(db): State<Db>,
    State(cards): State<CardCache>,
    State(public_url): State<PublicUrl>,
    RequestLocale(locale): RequestLocale,
    Path(slug): Path<String>,
) -> Result<Response, RouteError> {
    let record = load(&db, &slug).await?;
    let data = card_data(&record, &public_url, locale);
    let key = (record.commitment.slug.to_string(), data.locale, record.version);
    let png = cards.card_png(key, data).await.map_err(RouteError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, CACHE_CONTROL),
        ],
        png,
    )
        .into_response())
}

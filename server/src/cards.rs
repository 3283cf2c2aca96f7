//! Images other sites embed: a status badge (`/commitments/{slug}/badge.svg`)
//! and a share card (`/commitments/{slug}/card.png`, 1200×630, the size link
//! previews use), drawn as SVG and rasterised with resvg using the embedded
//! Liberation Sans fonts (see `assets/fonts/LICENSE`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use domain::PublicUrl;
use domain::{format_date, Status};
use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};
use sqlx::SqlitePool;
use store::commitments::{find_commitment_by_slug, CommitmentRecord};

use crate::route_error::{commitment_slug, RouteError};
use crate::xml::escape_xml;
use crate::AppState;

pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 630;
const CACHE_CONTROL: &str = "public, max-age=300";
/// The family name inside the embedded font files.
const FONT_FAMILY: &str = "Liberation Sans";
/// For browsers showing the badge, which never see the embedded fonts.
const BADGE_FONTS: &str = "Liberation Sans,Arial,Helvetica,sans-serif";

static REGULAR: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Bold.ttf");

/// The embedded fonts, loaded once; the only fonts cards are drawn with.
static FONTS: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
    let mut fonts = fontdb::Database::new();
    fonts.load_font_source(fontdb::Source::Binary(Arc::new(REGULAR)));
    fonts.load_font_source(fontdb::Source::Binary(Arc::new(BOLD)));
    fonts.set_sans_serif_family(FONT_FAMILY);
    Arc::new(fonts)
});

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

// ---------------------------------------------------------------- cache

/// Rendered cards by (slug, version). Every write to a commitment bumps its
/// version, so a new write is a new key; the data drawn is kept beside the
/// image and compared too, so a change made without a version bump (or a
/// new public URL) is never served stale.
type CardCache = HashMap<(String, i64), (CardData, Bytes)>;

/// More distinct cards than this and the cache starts again.
const CARD_CACHE_LIMIT: usize = 256;

static CARD_CACHE: LazyLock<Mutex<CardCache>> = LazyLock::new(|| Mutex::new(HashMap::new()));
static CARD_RENDERS: AtomicU64 = AtomicU64::new(0);
static CARD_CACHE_HITS: AtomicU64 = AtomicU64::new(0);

fn card_cache() -> MutexGuard<'static, CardCache> {
    // A panic while holding the lock cannot leave the map inconsistent
    // (each operation is a single insert or lookup): keep using it.
    CARD_CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn cached_card(key: &(String, i64), data: &CardData) -> Option<Bytes> {
    let cache = card_cache();
    let (drawn, png) = cache.get(key)?;
    if drawn != data {
        return None;
    }
    CARD_CACHE_HITS.fetch_add(1, Ordering::Relaxed);
    Some(png.clone())
}

fn store_card(key: (String, i64), data: CardData, png: Bytes) {
    CARD_RENDERS.fetch_add(1, Ordering::Relaxed);
    let mut cache = card_cache();
    // Older versions of the same card are never asked for again.
    cache.retain(|(slug, _), _| *slug != key.0);
    if cache.len() >= CARD_CACHE_LIMIT {
        cache.clear();
    }
    cache.insert(key, (data, png));
}

/// How the share-card cache has done since the process started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardCacheStats {
    /// Cards rendered (cache misses).
    pub renders: u64,
    /// Cards served from the cache.
    pub hits: u64,
    /// Cards held now.
    pub entries: usize,
}

pub fn card_cache_stats() -> CardCacheStats {
    CardCacheStats {
        renders: CARD_RENDERS.load(Ordering::Relaxed),
        hits: CARD_CACHE_HITS.load(Ordering::Relaxed),
        entries: card_cache().len(),
    }
}

// ---------------------------------------------------------------- colours

/// (fill, border, text) of a status pill, as the site's badges colour them.
fn status_colours(status: Status) -> (&'static str, &'static str, &'static str) {
    match status {
        Status::NotYetRated => ("#f1f3f5", "#b3bcc6", "#3d4650"),
        Status::InProgress => ("#e8f0fb", "#9dbde6", "#1a4a8a"),
        Status::Stalled => ("#fdf3dc", "#e0bd72", "#774600"),
        Status::PartlyFulfilled => ("#e3f3f6", "#8ccbd6", "#0b5561"),
        Status::Fulfilled => ("#e6f4ea", "#93c9a2", "#1b5c2b"),
        Status::NotFulfilled => ("#fbe9e7", "#e6a39c", "#962020"),
    }
}

// ---------------------------------------------------------------- badge

const BADGE_HEIGHT: u32 = 20;
const BADGE_PADDING: u32 = 8;
const BADGE_LABEL: &str = "Accord";
const BADGE_LABEL_FILL: &str = "#1f2933";

/// A badge segment's colour: the status's ink colour, dark enough for white
/// text (contrast above 4.5:1), except "not yet rated", lightened so it
/// stands apart from the label.
fn badge_fill(status: Status) -> &'static str {
    match status {
        Status::NotYetRated => "#5c6670",
        other => status_colours(other).2,
    }
}

/// Roughly how wide 11 px text is: 6.5 px a character covers the widest
/// common fonts, so the text never overflows its segment.
fn badge_text_width(text: &str) -> u32 {
    let chars = u32::try_from(text.chars().count()).unwrap_or(u32::MAX / 16);
    (chars * 13).div_ceil(2)
}

/// A flat two-tone badge: "Accord", then one segment per owing party
/// ("China: In progress"), coloured by status. Every text is escaped.
pub fn badge_svg(title: &str, segments: &[(String, Status)]) -> String {
    let texts: Vec<String> = segments
        .iter()
        .map(|(party, status)| format!("{party}: {}", status.label()))
        .collect();
    let whole = format!("{BADGE_LABEL}: {title} — {}", texts.join("; "));
    let mut parts: Vec<(&str, &str)> = vec![(BADGE_LABEL, BADGE_LABEL_FILL)];
    for (text, (_, status)) in texts.iter().zip(segments) {
        parts.push((text.as_str(), badge_fill(*status)));
    }
    let mut rects = String::new();
    let mut labels = String::new();
    let mut x = 0;
    for (text, fill) in parts {
        let width = badge_text_width(text) + 2 * BADGE_PADDING;
        rects.push_str(&format!(
            r#"<rect x="{x}" width="{width}" height="{BADGE_HEIGHT}" fill="{fill}"/>"#
        ));
        if x > 0 {
            // A hairline between segments, which may share a colour.
            rects.push_str(&format!(
                r##"<rect x="{x}" width="1" height="{BADGE_HEIGHT}" fill="#ffffff" fill-opacity="0.35"/>"##
            ));
        }
        let centre = f64::from(x) + f64::from(width) / 2.0;
        labels.push_str(&format!(r#"<text x="{centre}" y="14">{}</text>"#, escape_xml(text)));
        x += width;
    }
    let label = escape_xml(&whole);
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">"#,
            "<title>{label}</title>",
            r#"<clipPath id="accord-badge-corners"><rect width="{w}" height="{h}" rx="3"/></clipPath>"#,
            r#"<g clip-path="url(#accord-badge-corners)">{rects}</g>"#,
            r##"<g fill="#ffffff" text-anchor="middle" font-family="{fonts}" font-size="11">{labels}</g>"##,
            "</svg>"
        ),
        w = x,
        h = BADGE_HEIGHT,
        label = label,
        rects = rects,
        fonts = BADGE_FONTS,
        labels = labels,
    )
}

// ---------------------------------------------------------------- card

/// Everything a share card shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardData {
    pub title: String,
    pub summit_title: String,
    pub summit_date: NaiveDate,
    /// Each owing party's short name and status.
    pub parties: Vec<(String, Status)>,
    pub overall: Status,
    /// The commitment's address without the scheme, e.g. `accord.example/commitments/x`.
    pub address: String,
}

impl CardData {
    pub fn new(record: &CommitmentRecord, public_url: &PublicUrl) -> CardData {
        let url = public_url.join(&format!("/commitments/{}", record.commitment.slug));
        let address = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest).to_owned();
        CardData {
            title: record.commitment.title.clone(),
            summit_title: record.summit.title.clone(),
            summit_date: record.summit.held_on,
            parties: record
                .commitment
                .party_statuses
                .iter()
                .map(|owed| (owed.party.short_name.clone(), owed.status))
                .collect(),
            overall: record.commitment.overall_status(),
            address,
        }
    }
}

const MARGIN: f32 = 64.0;
const CONTENT_WIDTH: f32 = CARD_WIDTH as f32 - 2.0 * MARGIN;
const BAND_HEIGHT: f32 = 88.0;
const PILL_FONT: f32 = 26.0;
const PILL_HEIGHT: f32 = 52.0;
const PILL_PADDING: f32 = 24.0;
const PILL_GAP: f32 = 16.0;

/// How wide a run of SVG text content (escaped, possibly with `<tspan>`s)
/// is drawn at a size and weight.
pub type Measure<'a> = dyn Fn(&str, f32, bool) -> f32 + 'a;

/// Collapses runs of whitespace, as SVG does when drawing.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The longest start of `text`, cut between characters, that `fits` accepts;
/// `fits` must accept every start of whatever it accepts (widths only grow).
fn longest_prefix(text: &str, fits: impl Fn(&str) -> bool) -> &str {
    let ends: Vec<usize> = text.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    // Binary search on how many characters are kept.
    let (mut low, mut high) = (0usize, ends.len());
    while low < high {
        let mid = (low + high).div_ceil(2);
        if fits(&text[..ends[mid - 1]]) {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    if low == 0 {
        ""
    } else {
        &text[..ends[low - 1]]
    }
}

/// `text` if it fits `max`, else its longest start that fits with an ellipsis.
fn fit(text: &str, max: f32, size: f32, bold: bool, measure: &Measure) -> String {
    let width = |s: &str| measure(&escape_xml(s), size, bold);
    if width(text) <= max {
        return text.to_owned();
    }
    let kept = longest_prefix(text, |start| width(&format!("{}…", start.trim_end())) <= max);
    format!("{}…", kept.trim_end())
}

/// The first line of `text` (words separated by single spaces) in bold at
/// `size`: as many words as fit, or the part of a too-long first word that
/// fits. Always a non-empty start of `text` when `text` is not empty.
fn first_line(text: &str, max: f32, size: f32, measure: &Measure) -> String {
    let width = |s: &str| measure(&escape_xml(s), size, true);
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate) <= max {
            line = candidate;
        } else if line.is_empty() {
            // A word wider than a line is broken where it must be.
            let piece = longest_prefix(word, |start| width(start) <= max);
            return match piece {
                "" => word.chars().next().map(String::from).unwrap_or_default(),
                piece => piece.to_owned(),
            };
        } else {
            break;
        }
    }
    line
}

/// `text` (words separated by single spaces) in lines no wider than `max`,
/// or `None` if that takes more than `max_lines`.
fn wrap(text: &str, max: f32, size: f32, max_lines: usize, measure: &Measure) -> Option<Vec<String>> {
    let mut lines = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if lines.len() == max_lines {
            return None;
        }
        let line = first_line(rest, max, size, measure);
        rest = rest[line.len().min(rest.len())..].trim_start();
        lines.push(line);
    }
    Some(lines)
}

/// The title in as few lines as it takes: large on up to three lines, else
/// smaller on up to four, the fourth cut with an ellipsis if still too long.
fn title_lines(title: &str, measure: &Measure) -> (f32, Vec<String>) {
    let title = one_line(title);
    if let Some(lines) = wrap(&title, CONTENT_WIDTH, 60.0, 3, measure) {
        return (60.0, lines);
    }
    let size = 48.0;
    if let Some(lines) = wrap(&title, CONTENT_WIDTH, size, 4, measure) {
        return (size, lines);
    }
    let mut lines = Vec::new();
    let mut rest = title.as_str();
    while lines.len() < 3 && !rest.is_empty() {
        let line = first_line(rest, CONTENT_WIDTH, size, measure);
        rest = rest[line.len().min(rest.len())..].trim_start();
        lines.push(line);
    }
    if !rest.is_empty() {
        lines.push(fit(rest, CONTENT_WIDTH, size, true, measure));
    }
    (size, lines)
}

/// One status pill: "<b>China:</b> In progress".
fn pill_markup(name: &str, status: Status) -> String {
    format!(
        r#"<tspan font-weight="700">{}:</tspan> {}"#,
        escape_xml(name),
        escape_xml(status.label())
    )
}

/// The share card as SVG text. `measure` sizes text for wrapping and pills.
pub fn card_svg(data: &CardData, measure: &Measure) -> String {
    let mut svg = String::with_capacity(4096);
    svg.push_str(&format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}" font-family="{FONT_FAMILY}"><rect width="{CARD_WIDTH}" height="{CARD_HEIGHT}" fill="#ffffff"/>"##
    ));

    // The band: who made the card, and where the commitment lives.
    let brand = "Accord commitment tracker";
    let brand_width = measure(brand, 30.0, true);
    svg.push_str(&format!(
        r##"<rect width="{CARD_WIDTH}" height="{BAND_HEIGHT}" fill="#1f2933"/><text x="{MARGIN}" y="56" font-size="30" font-weight="700" fill="#ffffff">{brand}</text>"##
    ));
    let address = fit(
        &one_line(&data.address),
        CONTENT_WIDTH - brand_width - 40.0,
        22.0,
        false,
        measure,
    );
    svg.push_str(&format!(
        r##"<text x="{}" y="55" font-size="22" text-anchor="end" fill="#cbd2d9">{}</text>"##,
        CARD_WIDTH as f32 - MARGIN,
        escape_xml(&address)
    ));

    // Where and when it was promised.
    let summit = fit(
        &format!("{} · {}", one_line(&data.summit_title), format_date(data.summit_date)),
        CONTENT_WIDTH,
        28.0,
        false,
        measure,
    );
    svg.push_str(&format!(
        r##"<text x="{MARGIN}" y="150" font-size="28" fill="#52606d">{}</text>"##,
        escape_xml(&summit)
    ));

    // The commitment.
    let (size, lines) = title_lines(&data.title, measure);
    let line_height = size * 1.18;
    svg.push_str(&format!(
        r##"<text font-size="{size}" font-weight="700" fill="#111827">"##
    ));
    for (i, line) in lines.iter().enumerate() {
        let y = 196.0 + size * 0.92 + line_height * i as f32;
        svg.push_str(&format!(
            r#"<tspan x="{MARGIN}" y="{y:.1}">{}</tspan>"#,
            escape_xml(line)
        ));
    }
    svg.push_str("</text>");

    // Each party's status, then the overall one, flowing into rows that
    // stack up from the bottom.
    let mut pills: Vec<(String, Status, bool)> = data
        .parties
        .iter()
        .map(|(name, status)| (pill_markup(name, *status), *status, false))
        .collect();
    pills.push((pill_markup("Overall", data.overall), data.overall, true));
    let mut rows: Vec<Vec<(String, Status, bool, f32)>> = vec![Vec::new()];
    let mut row_width = 0.0;
    for (markup, status, overall) in pills {
        let width = (measure(&markup, PILL_FONT, false) + 2.0 * PILL_PADDING).min(CONTENT_WIDTH);
        let needed = if row_width > 0.0 {
            row_width + PILL_GAP + width
        } else {
            width
        };
        if needed > CONTENT_WIDTH && row_width > 0.0 {
            rows.push(Vec::new());
            row_width = width;
        } else {
            row_width = needed;
        }
        if let Some(row) = rows.last_mut() {
            row.push((markup, status, overall, width));
        }
    }
    let bottom = CARD_HEIGHT as f32 - 56.0;
    let row_count = rows.len() as f32;
    for (r, row) in rows.iter().enumerate() {
        let top = bottom - PILL_HEIGHT - (row_count - 1.0 - r as f32) * (PILL_HEIGHT + 14.0);
        let mut x = MARGIN;
        for (markup, status, overall, width) in row {
            let (fill, border, ink) = status_colours(*status);
            let stroke = if *overall { 4 } else { 2 };
            svg.push_str(&format!(
                r#"<rect x="{x:.1}" y="{top:.1}" width="{width:.1}" height="{PILL_HEIGHT}" rx="{}" fill="{fill}" stroke="{border}" stroke-width="{stroke}"/><text x="{:.1}" y="{:.1}" font-size="{PILL_FONT}" text-anchor="middle" fill="{ink}">{markup}</text>"#,
                PILL_HEIGHT / 2.0,
                x + width / 2.0,
                top + PILL_HEIGHT / 2.0 + PILL_FONT * 0.35,
            ));
            x += width + PILL_GAP;
        }
    }
    svg.push_str("</svg>");
    svg
}

fn svg_options() -> usvg::Options<'static> {
    usvg::Options {
        fontdb: FONTS.clone(),
        font_family: FONT_FAMILY.to_owned(),
        ..usvg::Options::default()
    }
}

/// How wide the embedded fonts draw a run of SVG text content.
fn measure_with(options: &usvg::Options, markup: &str, size: f32, bold: bool) -> f32 {
    let weight = if bold { 700 } else { 400 };
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="8000" height="200"><text x="0" y="100" font-family="{FONT_FAMILY}" font-size="{size}" font-weight="{weight}">{markup}</text></svg>"#
    );
    match usvg::Tree::from_str(&svg, options) {
        Ok(tree) if tree.root().has_children() => tree.root().abs_bounding_box().width(),
        // Nothing drawn (empty text) or unreadable: a generous estimate.
        _ => markup.chars().count() as f32 * size * 0.6,
    }
}

/// The share card as a PNG. Slow (tens of milliseconds): run it on the
/// blocking pool.
pub fn render_card_png(data: &CardData) -> Result<Vec<u8>, String> {
    let options = svg_options();
    let svg = card_svg(data, &|markup, size, bold| measure_with(&options, markup, size, bold));
    let tree = usvg::Tree::from_str(&svg, &options).map_err(|error| format!("reading the card SVG: {error}"))?;
    let mut pixmap = tiny_skia::Pixmap::new(CARD_WIDTH, CARD_HEIGHT).ok_or("allocating the card image")?;
    resvg::render(&tree, tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|error| format!("encoding the card PNG: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roughly(markup: &str, size: f32, _bold: bool) -> f32 {
        markup.chars().count() as f32 * size * 0.55
    }

    fn data(title: &str) -> CardData {
        CardData {
            title: title.to_owned(),
            summit_title: "Xi Jinping – Lee Jae-myung summit".to_owned(),
            summit_date: NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(),
            parties: vec![
                ("China".to_owned(), Status::InProgress),
                ("South Korea".to_owned(), Status::NotYetRated),
            ],
            overall: Status::NotYetRated,
            address: "accord.example/commitments/x".to_owned(),
        }
    }

    #[test]
    fn badge_names_every_party_with_its_status() {
        let svg = badge_svg(
            "Advance FTA talks",
            &[
                ("China".to_owned(), Status::InProgress),
                ("South Korea".to_owned(), Status::NotYetRated),
            ],
        );
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(">China: In progress</text>"), "{svg}");
        assert!(svg.contains(">South Korea: Not yet rated</text>"), "{svg}");
        assert!(svg.contains(r#"role="img""#));
        let label = "Accord: Advance FTA talks — China: In progress; South Korea: Not yet rated";
        assert!(svg.contains(&format!(r#"aria-label="{label}""#)), "{svg}");
        assert!(svg.contains(&format!("<title>{label}</title>")));
        // Coloured by status.
        assert!(svg.contains(&format!(r#"fill="{}""#, badge_fill(Status::InProgress))));
        assert!(svg.contains(&format!(r#"fill="{}""#, badge_fill(Status::NotYetRated))));
        assert_ne!(badge_fill(Status::NotYetRated), BADGE_LABEL_FILL);
    }

    #[test]
    fn badge_width_follows_the_text() {
        let short = badge_svg("T", &[("A".to_owned(), Status::Fulfilled)]);
        let long = badge_svg("T", &[("A much longer party name".to_owned(), Status::Fulfilled)]);
        let width = |svg: &str| -> u32 {
            let start = svg.find("width=\"").unwrap() + 7;
            svg[start..start + svg[start..].find('"').unwrap()].parse().unwrap()
        };
        assert!(width(&long) > width(&short) + 100);
        assert_eq!(badge_text_width("abcd"), 26);
    }

    #[test]
    fn badge_escapes_titles_and_party_names() {
        let svg = badge_svg("<b>&</b> \"x\" 'y'", &[("<b>&".to_owned(), Status::Stalled)]);
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;b&gt;&amp;: Stalled</text>"), "{svg}");
        assert!(
            svg.contains("&lt;b&gt;&amp;&lt;/b&gt; &quot;x&quot; &apos;y&apos;"),
            "{svg}"
        );
        // Still well-formed XML.
        usvg::Tree::from_str(&svg, &svg_options()).expect("the badge parses as SVG");
    }

    #[test]
    fn card_escapes_everything_and_parses() {
        let mut card = data("<script>alert(1)</script> & \"quotes\"");
        card.parties[0].0 = "<b>&".to_owned();
        let svg = card_svg(&card, &roughly);
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        usvg::Tree::from_str(&svg, &svg_options()).expect("the card parses as SVG");
    }

    #[test]
    fn long_titles_wrap_and_are_cut_with_an_ellipsis() {
        let (size, lines) = title_lines("Short title", &roughly);
        assert_eq!((size, lines), (60.0, vec!["Short title".to_owned()]));
        let long = "word ".repeat(200);
        let (size, lines) = title_lines(&long, &roughly);
        assert_eq!(size, 48.0);
        assert_eq!(lines.len(), 4);
        assert!(lines[3].ends_with('…'), "{lines:?}");
        for line in &lines {
            assert!(roughly(line, size, true) <= CONTENT_WIDTH, "{line}");
        }
        let unbroken = "x".repeat(300);
        let (_, lines) = title_lines(&unbroken, &roughly);
        assert!(lines.len() <= 4 && !lines.is_empty(), "{lines:?}");
        for line in &lines {
            assert!(roughly(line, 48.0, true) <= CONTENT_WIDTH, "{line}");
        }
    }

    #[test]
    fn embedded_fonts_measure_text() {
        let options = svg_options();
        let narrow = measure_with(&options, "iiii", 40.0, false);
        let wide = measure_with(&options, "WWWW", 40.0, false);
        assert!(narrow > 0.0 && wide > narrow * 2.0, "{narrow} {wide}");
        let bold = measure_with(&options, "Accord", 40.0, true);
        let regular = measure_with(&options, "Accord", 40.0, false);
        assert!(bold > regular, "{bold} {regular}");
    }

    #[test]
    fn a_card_renders_at_link_preview_size() {
        let png = render_card_png(&data("Advance the second phase of free trade agreement negotiations")).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), CARD_WIDTH);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), CARD_HEIGHT);
    }
}

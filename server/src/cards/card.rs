//! The share card: laid out as SVG with the embedded fonts, rasterised to PNG.

use std::sync::{Arc, LazyLock};

use chrono::NaiveDate;
use domain::{format_date, PublicUrl, Status};
use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};
use store::commitments::CommitmentRecord;

use crate::xml::escape_xml;

pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 630;
/// The family name inside the embedded font files.
const FONT_FAMILY: &str = "Liberation Sans";

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");

/// The embedded fonts, loaded once; the only fonts cards are drawn with.
static FONTS: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
    let mut fonts = fontdb::Database::new();
    fonts.load_font_source(fontdb::Source::Binary(Arc::new(REGULAR)));
    fonts.load_font_source(fontdb::Source::Binary(Arc::new(BOLD)));
    fonts.set_sans_serif_family(FONT_FAMILY);
    Arc::new(fonts)
});

/// (fill, border, text) of a status pill, as the site's badges colour them.
pub(super) fn status_colours(status: Status) -> (&'static str, &'static str, &'static str) {
    match status {
        Status::NotYetRated => ("#f1f3f5", "#b3bcc6", "#3d4650"),
        Status::InProgress => ("#e8f0fb", "#9dbde6", "#1a4a8a"),
        Status::Stalled => ("#fdf3dc", "#e0bd72", "#774600"),
        Status::PartlyFulfilled => ("#e3f3f6", "#8ccbd6", "#0b5561"),
        Status::Fulfilled => ("#e6f4ea", "#93c9a2", "#1b5c2b"),
        Status::NotFulfilled => ("#fbe9e7", "#e6a39c", "#962020"),
    }
}

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

pub(super) fn svg_options() -> usvg::Options<'static> {
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

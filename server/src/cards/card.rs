//! The share card: laid out as SVG with the fonts of `fonts` (Liberation
//! Sans, and Noto Sans CJK for Korean and Chinese), rasterised to PNG.

use domain::{Locale, PublicUrl, Status};
use resvg::tiny_skia;
use resvg::usvg;
use store::commitments::CommitmentRecord;

use super::fonts::{font_families, svg_options, text_markup, LATIN_FAMILY};

pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 630;

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

/// The words a share card and a status badge show besides the commitment's
/// own title and summit, already in the reader's language: the caller
/// translates, `card_svg` and `badge_svg` only lay them out.
/// `CardLabels::in_language` fills them from the interface's catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardLabels {
    /// The site's name, the badge's first segment: "Accord".
    pub site_name: String,
    /// The card's band: "Accord commitment tracker".
    pub brand: String,
    /// The summit's date as the language writes it: "1 November 2025".
    pub summit_date: String,
    /// Each owing party's name and status, in the order of
    /// `CardData::parties`.
    pub parties: Vec<PartyLabel>,
    /// The word before the overall status: "Overall" (the badge shows it
    /// only when no party owes the commitment).
    pub overall: String,
    /// The overall status's name: "Not yet rated".
    pub overall_status: String,
    /// What joins a name to its status ("China: In progress"): `": "` in
    /// English; Chinese may use `"："`.
    pub separator: String,
}

/// A party's name and its status's name, as a card's pill and a badge's
/// segment show them: "China", "In progress".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyLabel {
    pub name: String,
    pub status: String,
}

impl CardLabels {
    /// The words for `record` in `locale`, from the interface's catalogue
    /// (the same words its pages use).
    pub fn in_language(record: &CommitmentRecord, locale: Locale) -> CardLabels {
        CardLabels {
            site_name: "Accord".to_owned(),
            brand: i18n::tr(locale, "card-brand"),
            summit_date: i18n::date(locale, record.summit.held_on),
            parties: record
                .commitment
                .party_statuses
                .iter()
                .map(|owed| PartyLabel {
                    name: i18n::party_name(locale, &owed.party.code, &owed.party.short_name),
                    status: i18n::status_label(locale, owed.status),
                })
                .collect(),
            overall: i18n::tr(locale, "overall"),
            overall_status: i18n::status_label(locale, record.commitment.overall_status()),
            separator: i18n::tr(locale, "card-separator"),
        }
    }
}

/// Everything a share card (and a badge) shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardData {
    /// The language of the page the card is for: it picks the CJK face
    /// (Korean or Simplified Chinese shapes) and the SVG's `xml:lang`.
    pub locale: Locale,
    pub title: String,
    pub summit_title: String,
    /// Each owing party's status, which colours its pill; its words are
    /// `labels.parties`, in the same order.
    pub parties: Vec<Status>,
    pub overall: Status,
    /// The commitment's address in the card's language, without the
    /// scheme, e.g. `accord.example/ko/commitments/x`.
    pub address: String,
    pub labels: CardLabels,
}

impl CardData {
    pub fn new(record: &CommitmentRecord, public_url: &PublicUrl, locale: Locale, labels: CardLabels) -> CardData {
        let url = public_url.join(&locale.localize(&format!("/commitments/{}", record.commitment.slug)));
        let address = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest).to_owned();
        CardData {
            locale,
            // The commitment's and summit's texts in the card's language
            // where a translation exists, else their originals.
            title: record.commitment.texts_in(locale).text.title,
            summit_title: record.summit.texts_in(locale).text.title,
            parties: record
                .commitment
                .party_statuses
                .iter()
                .map(|owed| owed.status)
                .collect(),
            overall: record.commitment.overall_status(),
            address,
            labels,
        }
    }

    /// Each owing party's name, status name and status. A party without
    /// a label (a caller's mistake) is shown by its English status alone.
    pub(super) fn party_labels(&self) -> Vec<(&str, &str, Status)> {
        self.parties
            .iter()
            .enumerate()
            .map(|(i, status)| match self.labels.parties.get(i) {
                Some(label) => (label.name.as_str(), label.status.as_str(), *status),
                None => ("", status.label(), *status),
            })
            .collect()
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

/// The last of `ends` (ascending) that `fits` accepts, if any; `fits` must
/// accept every end before one it accepts (widths only grow).
fn last_fitting(ends: &[usize], fits: impl Fn(usize) -> bool) -> Option<usize> {
    // Binary search on how many ends are accepted.
    let (mut low, mut high) = (0usize, ends.len());
    while low < high {
        let mid = (low + high).div_ceil(2);
        if fits(ends[mid - 1]) {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    low.checked_sub(1).map(|i| ends[i])
}

/// The longest start of `text`, cut between characters, that `fits` accepts;
/// `fits` must accept every start of whatever it accepts (widths only grow).
fn longest_prefix(text: &str, fits: impl Fn(&str) -> bool) -> &str {
    let ends: Vec<usize> = text.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    last_fitting(&ends, |end| fits(&text[..end])).map_or("", |end| &text[..end])
}

/// Characters that may not begin a line: closing punctuation, small kana
/// and the like (the common CJK line-breaking rules).
const NO_LINE_START: &str = "!%),.:;?]}¢°’”‰′″›℃、。〃〆〉》」』】〕〗〙〛〞々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶーヽヾ・！％），．：；？］｝～｡｣､･ｰ";
/// Characters that may not end a line: opening punctuation.
const NO_LINE_END: &str = "([{£¥‘“‹〈《「『【〔〖〘〚〝（［｛｢￡￥";

/// Han, kana, Bopomofo, CJK punctuation and full-width forms: text that
/// may break between any two characters. Not Hangul: Korean separates its
/// words with spaces, and breaks there first, as Korean pages do.
fn is_ideographic(c: char) -> bool {
    matches!(
        u32::from(c),
        0x2E80..=0x2FDF // CJK and Kangxi radicals
            | 0x3000..=0x303F // CJK symbols and punctuation
            | 0x3040..=0x30FF // Hiragana, Katakana
            | 0x3100..=0x312F // Bopomofo
            | 0x31A0..=0x31FF // Bopomofo extended, CJK strokes, Katakana extension
            | 0x3400..=0x4DBF // CJK unified ideographs extension A
            | 0x4E00..=0x9FFF // CJK unified ideographs
            | 0xF900..=0xFAFF // CJK compatibility ideographs
            | 0xFE30..=0xFE4F // CJK compatibility forms
            | 0xFF00..=0xFFEF // Half-width and full-width forms
            | 0x20000..=0x3FFFF // supplementary ideographic planes
    )
}

/// Where a line of `text` may end (byte offsets; the line is `text[..end]`
/// without its trailing space): before each space, between two characters
/// of which one is ideographic (Han, kana, CJK punctuation) unless the
/// second may not begin a line or the first may not end one, and at the
/// end. Latin and Korean words are broken only where nothing else fits.
fn line_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        if let Some(p) = previous {
            let at_space = c.is_whitespace() && !p.is_whitespace();
            let between_ideographs = !c.is_whitespace()
                && !p.is_whitespace()
                && (is_ideographic(p) || is_ideographic(c))
                && !NO_LINE_START.contains(c)
                && !NO_LINE_END.contains(p);
            if at_space || between_ideographs {
                ends.push(i);
            }
        }
        previous = Some(c);
    }
    if !text.is_empty() {
        ends.push(text.len());
    }
    ends
}

/// `text` if it fits `max`, else its longest start that fits with an ellipsis.
fn fit(text: &str, max: f32, size: f32, bold: bool, locale: Locale, measure: &Measure) -> String {
    let width = |s: &str| measure(&text_markup(s, locale), size, bold);
    if width(text) <= max {
        return text.to_owned();
    }
    let kept = longest_prefix(text, |start| width(&format!("{}…", start.trim_end())) <= max);
    format!("{}…", kept.trim_end())
}

/// The first line of `text` (one line, single spaces) in bold at `size`:
/// up to the furthest place a line may end (`line_ends`) that fits, or the
/// part of a too-long first word that fits. Always a non-empty start of
/// `text` when `text` is not empty.
fn first_line(text: &str, max: f32, size: f32, locale: Locale, measure: &Measure) -> String {
    let width = |s: &str| measure(&text_markup(s, locale), size, true);
    let ends = line_ends(text);
    if let Some(end) = last_fitting(&ends, |end| width(text[..end].trim_end()) <= max) {
        return text[..end].trim_end().to_owned();
    }
    // A word wider than a line is broken where it must be.
    let word = &text[..ends.first().copied().unwrap_or(text.len())];
    match longest_prefix(word, |start| width(start) <= max) {
        "" => word.chars().next().map(String::from).unwrap_or_default(),
        piece => piece.to_owned(),
    }
}

/// `text` (one line, single spaces) in lines no wider than `max`, or `None`
/// if that takes more than `max_lines`.
fn wrap(text: &str, max: f32, size: f32, max_lines: usize, locale: Locale, measure: &Measure) -> Option<Vec<String>> {
    let mut lines = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if lines.len() == max_lines {
            return None;
        }
        let line = first_line(rest, max, size, locale, measure);
        rest = rest[line.len().min(rest.len())..].trim_start();
        lines.push(line);
    }
    Some(lines)
}

/// The title in as few lines as it takes: large on up to three lines, else
/// smaller on up to four, the fourth cut with an ellipsis if still too long.
fn title_lines(title: &str, locale: Locale, measure: &Measure) -> (f32, Vec<String>) {
    let title = one_line(title);
    if let Some(lines) = wrap(&title, CONTENT_WIDTH, 60.0, 3, locale, measure) {
        return (60.0, lines);
    }
    let size = 48.0;
    if let Some(lines) = wrap(&title, CONTENT_WIDTH, size, 4, locale, measure) {
        return (size, lines);
    }
    let mut lines = Vec::new();
    let mut rest = title.as_str();
    while lines.len() < 3 && !rest.is_empty() {
        let line = first_line(rest, CONTENT_WIDTH, size, locale, measure);
        rest = rest[line.len().min(rest.len())..].trim_start();
        lines.push(line);
    }
    if !rest.is_empty() {
        lines.push(fit(rest, CONTENT_WIDTH, size, true, locale, measure));
    }
    (size, lines)
}

/// One status pill: "<b>China:</b> In progress", in the card's words.
fn pill_markup(name: &str, status: &str, separator: &str, locale: Locale) -> String {
    let mark = separator.trim_end();
    let space = &separator[mark.len()..];
    format!(
        r#"<tspan font-weight="700">{}</tspan>{}"#,
        text_markup(&format!("{name}{mark}"), locale),
        text_markup(&format!("{space}{status}"), locale)
    )
}

/// The share card as SVG text. `measure` sizes text for wrapping and pills.
pub fn card_svg(data: &CardData, measure: &Measure) -> String {
    let locale = data.locale;
    let labels = &data.labels;
    let mut svg = String::with_capacity(4096);
    svg.push_str(&format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}" xml:lang="{}" font-family="{}"><rect width="{CARD_WIDTH}" height="{CARD_HEIGHT}" fill="#ffffff"/>"##,
        locale.html_lang(),
        font_families(locale),
    ));

    // The band: who made the card, and where the commitment lives.
    let brand = fit(
        &one_line(&labels.brand),
        CONTENT_WIDTH * 0.6,
        30.0,
        true,
        locale,
        measure,
    );
    let brand = text_markup(&brand, locale);
    let brand_width = measure(&brand, 30.0, true);
    svg.push_str(&format!(
        r##"<rect width="{CARD_WIDTH}" height="{BAND_HEIGHT}" fill="#1f2933"/><text x="{MARGIN}" y="56" font-size="30" font-weight="700" fill="#ffffff">{brand}</text>"##
    ));
    let address = fit(
        &one_line(&data.address),
        CONTENT_WIDTH - brand_width - 40.0,
        22.0,
        false,
        locale,
        measure,
    );
    svg.push_str(&format!(
        r##"<text x="{}" y="55" font-size="22" text-anchor="end" fill="#cbd2d9">{}</text>"##,
        CARD_WIDTH as f32 - MARGIN,
        text_markup(&address, locale)
    ));

    // Where and when it was promised.
    let summit = fit(
        &format!("{} · {}", one_line(&data.summit_title), one_line(&labels.summit_date)),
        CONTENT_WIDTH,
        28.0,
        false,
        locale,
        measure,
    );
    svg.push_str(&format!(
        r##"<text x="{MARGIN}" y="150" font-size="28" fill="#52606d">{}</text>"##,
        text_markup(&summit, locale)
    ));

    // The commitment.
    let (size, lines) = title_lines(&data.title, locale, measure);
    let line_height = size * 1.18;
    svg.push_str(&format!(
        r##"<text font-size="{size}" font-weight="700" fill="#111827">"##
    ));
    for (i, line) in lines.iter().enumerate() {
        let y = 196.0 + size * 0.92 + line_height * i as f32;
        svg.push_str(&format!(
            r#"<tspan x="{MARGIN}" y="{y:.1}">{}</tspan>"#,
            text_markup(line, locale)
        ));
    }
    svg.push_str("</text>");

    // Each party's status, then the overall one, flowing into rows that
    // stack up from the bottom.
    let mut pills: Vec<(String, Status, bool)> = data
        .party_labels()
        .into_iter()
        .map(|(name, status_name, status)| (pill_markup(name, status_name, &labels.separator, locale), status, false))
        .collect();
    pills.push((
        pill_markup(&labels.overall, &labels.overall_status, &labels.separator, locale),
        data.overall,
        true,
    ));
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

/// How wide the fonts draw a run of SVG text content (escaped, with the
/// `<tspan>`s of `text_markup`), from usvg's layout of it: the same shaping,
/// faces and advances the card is drawn with.
pub(super) fn measure_with(options: &usvg::Options, markup: &str, size: f32, bold: bool) -> f32 {
    let weight = if bold { 700 } else { 400 };
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="8000" height="200"><text x="0" y="100" font-family="{LATIN_FAMILY}" font-size="{size}" font-weight="{weight}">{markup}</text></svg>"#
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
pub(super) mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::cards::fonts::{drawn_glyphs, latin_fonts, missing_glyphs, options_with, require_cjk_fonts};

    /// A stand-in for the fonts: every character of the text (tags left
    /// out) 0.55 em wide.
    fn roughly(markup: &str, size: f32, _bold: bool) -> f32 {
        let mut in_tag = false;
        let mut count = 0;
        for c in markup.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => count += 1,
                _ => {}
            }
        }
        count as f32 * size * 0.55
    }

    fn labels(
        brand: &str,
        summit_date: &str,
        parties: [(&str, &str); 2],
        overall: (&str, &str),
        separator: &str,
    ) -> CardLabels {
        CardLabels {
            site_name: "Accord".to_owned(),
            brand: brand.to_owned(),
            summit_date: summit_date.to_owned(),
            parties: parties
                .iter()
                .map(|(name, status)| PartyLabel {
                    name: (*name).to_owned(),
                    status: (*status).to_owned(),
                })
                .collect(),
            overall: overall.0.to_owned(),
            overall_status: overall.1.to_owned(),
            separator: separator.to_owned(),
        }
    }

    pub(in crate::cards) fn data(title: &str) -> CardData {
        CardData {
            locale: Locale::En,
            title: title.to_owned(),
            summit_title: "Xi Jinping – Lee Jae-myung summit".to_owned(),
            parties: vec![Status::InProgress, Status::NotYetRated],
            overall: Status::NotYetRated,
            address: "accord.example/commitments/x".to_owned(),
            labels: labels(
                "Accord commitment tracker",
                "1 November 2025",
                [("China", "In progress"), ("South Korea", "Not yet rated")],
                ("Overall", "Not yet rated"),
                ": ",
            ),
        }
    }

    pub(in crate::cards) const KOREAN_TITLE: &str = "한중 자유무역협정 2단계 협상을 진전시킨다";

    pub(in crate::cards) fn korean(title: &str) -> CardData {
        CardData {
            locale: Locale::Ko,
            title: title.to_owned(),
            summit_title: "시진핑–이재명 정상회담".to_owned(),
            address: "accord.example/ko/commitments/x".to_owned(),
            labels: labels(
                "Accord 약속 추적기",
                "2025년 11월 1일",
                [("중국", "진행 중"), ("한국", "평가 전")],
                ("종합", "평가 전"),
                ": ",
            ),
            ..data(title)
        }
    }

    pub(in crate::cards) const CHINESE_TITLE: &str = "推进中韩自由贸易协定第二阶段谈判";

    pub(in crate::cards) fn chinese(title: &str) -> CardData {
        CardData {
            locale: Locale::Zh,
            title: title.to_owned(),
            summit_title: "习近平同李在明会晤".to_owned(),
            address: "accord.example/zh/commitments/x".to_owned(),
            labels: labels(
                "Accord 承诺追踪",
                "2025年11月1日",
                [("中国", "进行中"), ("韩国", "尚未评估")],
                ("总体", "尚未评估"),
                "：",
            ),
            ..data(title)
        }
    }

    fn measure<'a>(options: &'a usvg::Options<'static>) -> impl Fn(&str, f32, bool) -> f32 + 'a {
        |markup, size, bold| measure_with(options, markup, size, bold)
    }

    /// Width, height and RGBA pixels of a PNG.
    fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        assert_eq!(frame.color_type, png::ColorType::Rgba);
        pixels.truncate(frame.buffer_size());
        (frame.width, frame.height, pixels)
    }

    #[test]
    fn card_escapes_everything_and_parses() {
        let mut card = data("<script>alert(1)</script> & \"quotes\"");
        card.labels.parties[0].name = "<b>&".to_owned();
        let svg = card_svg(&card, &roughly);
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        usvg::Tree::from_str(&svg, &svg_options()).expect("the card parses as SVG");
    }

    #[test]
    fn the_card_shows_the_words_it_is_given_in_its_language() {
        let card = chinese(CHINESE_TITLE);
        let svg = card_svg(&card, &roughly);
        assert!(svg.contains(r#"xml:lang="zh-Hans""#), "{svg}");
        assert!(
            svg.contains(r#"font-family="Liberation Sans,Arial,Helvetica,Noto Sans CJK SC,"#),
            "{svg}"
        );
        for words in [
            "承诺追踪",
            "2025",
            "年",
            "进行中",
            "尚未评估",
            "总体",
            "：",
            "accord.example/zh/commitments/x",
        ] {
            assert!(svg.contains(words), "{words} in {svg}");
        }
        assert!(!svg.contains("Overall") && !svg.contains("In progress"), "{svg}");
        let svg = card_svg(&korean(KOREAN_TITLE), &roughly);
        assert!(svg.contains(r#"xml:lang="ko""#), "{svg}");
        assert!(svg.contains(r#"<tspan font-family="Noto Sans CJK KR,"#), "{svg}");
        // A party without words (a caller's mistake) still gets its pill.
        let mut card = data("T");
        card.labels.parties.pop();
        assert!(card_svg(&card, &roughly).contains("Not yet rated"));
    }

    #[test]
    fn long_titles_wrap_and_are_cut_with_an_ellipsis() {
        let en = Locale::En;
        let (size, lines) = title_lines("Short title", en, &roughly);
        assert_eq!((size, lines), (60.0, vec!["Short title".to_owned()]));
        let long = "word ".repeat(200);
        let (size, lines) = title_lines(&long, en, &roughly);
        assert_eq!(size, 48.0);
        assert_eq!(lines.len(), 4);
        assert!(lines[3].ends_with('…'), "{lines:?}");
        for line in &lines {
            assert!(roughly(line, size, true) <= CONTENT_WIDTH, "{line}");
        }
        // Latin words are not broken where a space will do.
        assert!(
            lines[..3].iter().all(|line| line.split(' ').all(|w| w == "word")),
            "{lines:?}"
        );
        let unbroken = "x".repeat(300);
        let (_, lines) = title_lines(&unbroken, en, &roughly);
        assert!(lines.len() <= 4 && !lines.is_empty(), "{lines:?}");
        for line in &lines {
            assert!(roughly(line, 48.0, true) <= CONTENT_WIDTH, "{line}");
        }
    }

    #[test]
    fn lines_break_between_han_characters_and_at_spaces() {
        let ends_of =
            |text: &'static str| -> Vec<&'static str> { line_ends(text).into_iter().map(|end| &text[..end]).collect() };
        let chinese = ends_of("中国（北京）和韩国。WTO 规则");
        for line in [
            "中",
            "中国",
            "中国（北",
            "中国（北京）",
            "中国（北京）和韩国。",
            "中国（北京）和韩国。WTO",
            "中国（北京）和韩国。WTO 规",
        ] {
            assert!(chinese.contains(&line), "{line} in {chinese:?}");
        }
        // No line ends on an opening bracket or begins with closing punctuation.
        for line in ["中国（", "中国（北京", "中国（北京）和韩国", "中国（北京）和韩国。W"] {
            assert!(!chinese.contains(&line), "{line} in {chinese:?}");
        }
        // Korean, like English, breaks at spaces.
        assert_eq!(
            ends_of("한중 자유무역협정 협상"),
            vec!["한중", "한중 자유무역협정", "한중 자유무역협정 협상"]
        );
        assert_eq!(ends_of("Advance FTA"), vec!["Advance", "Advance FTA"]);
        assert!(ends_of("").is_empty());
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
    fn cjk_text_is_measured_with_the_cjk_face() {
        require_cjk_fonts();
        let options = svg_options();
        for (text, locale) in [("中华人民共和国", Locale::Zh), ("대한민국 정부", Locale::Ko)] {
            let width = measure_with(&options, &text_markup(text, locale), 40.0, false);
            // A Han character is one em wide, a Hangul syllable in the
            // Korean face a little less; the space is narrower.
            let ems = text.chars().filter(|c| !c.is_whitespace()).count() as f32 * 40.0;
            assert!(width >= ems * 0.85 && width < ems + 40.0, "{text}: {width} for {ems}");
        }
    }

    /// The glyphs drawn of `c` in a card's tree.
    fn glyphs_of(glyphs: &[crate::cards::fonts::DrawnGlyph], c: char) -> Vec<&crate::cards::fonts::DrawnGlyph> {
        glyphs.iter().filter(|g| g.text.starts_with(c)).collect()
    }

    #[test]
    fn korean_and_chinese_cards_draw_every_character_in_the_languages_face() {
        require_cjk_fonts();
        let options = svg_options();
        for (card, face, bold_sample, regular_sample) in [
            (korean(KOREAN_TITLE), "Noto Sans CJK KR", '협', '담'),
            (chinese(CHINESE_TITLE), "Noto Sans CJK SC", '谈', '晤'),
        ] {
            let svg = card_svg(&card, &measure(&options));
            let tree = usvg::Tree::from_str(&svg, &options).expect("the card parses");
            let missing = missing_glyphs(&tree);
            assert!(missing.is_empty(), "{:?}: no glyph for {missing:?}", card.locale);
            let glyphs = drawn_glyphs(&tree);
            assert!(glyphs.len() > 40, "{glyphs:?}");
            for glyph in &glyphs {
                let c = glyph.text.chars().next().unwrap();
                if c.is_ascii_alphanumeric() {
                    assert_eq!(glyph.family, "Liberation Sans", "{glyph:?}");
                } else if ('\u{AC00}'..='\u{D7A3}').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c) {
                    assert_eq!(glyph.family, face, "{glyph:?}");
                }
            }
            // The title is bold in the CJK face as in Liberation Sans; the summit is not.
            for glyph in glyphs_of(&glyphs, bold_sample) {
                assert_eq!((glyph.family.as_str(), glyph.weight), (face, 700), "{glyph:?}");
            }
            let regular = glyphs_of(&glyphs, regular_sample);
            assert!(!regular.is_empty());
            for glyph in regular {
                assert_eq!((glyph.family.as_str(), glyph.weight), (face, 400), "{glyph:?}");
            }
        }
        // The two faces draw the same Han character differently: 骨 is a
        // shared character whose shape differs between Korean and Chinese.
        let shape = |card: CardData| {
            let svg = card_svg(&card, &measure(&options));
            let tree = usvg::Tree::from_str(&svg, &options).unwrap();
            let glyphs = drawn_glyphs(&tree);
            let bone = glyphs_of(&glyphs, '骨')[0].clone();
            (bone.family, bone.id)
        };
        let (korean_face, korean_glyph) = shape(korean("骨"));
        let (chinese_face, chinese_glyph) = shape(chinese("骨"));
        assert_eq!(
            (korean_face.as_str(), chinese_face.as_str()),
            ("Noto Sans CJK KR", "Noto Sans CJK SC")
        );
        assert_ne!(korean_glyph, chinese_glyph, "the KR and SC faces shape 骨 differently");
    }

    #[test]
    fn the_glyph_check_finds_what_liberation_sans_alone_cannot_draw() {
        let latin = options_with(Arc::new(latin_fonts()));
        for card in [korean(KOREAN_TITLE), chinese(CHINESE_TITLE)] {
            let svg = card_svg(&card, &measure(&latin));
            let tree = usvg::Tree::from_str(&svg, &latin).expect("the card parses");
            let missing = missing_glyphs(&tree);
            let sample = card.title.chars().next().unwrap();
            assert!(missing.contains(&sample), "{:?}: {missing:?}", card.locale);
            // The Latin text is there all the same.
            assert!(drawn_glyphs(&tree).iter().any(|g| g.text == "A" && g.id != 0));
        }
        // An English card needs nothing but Liberation Sans.
        let card = data("Advance the second phase of free trade agreement negotiations");
        let tree = usvg::Tree::from_str(&card_svg(&card, &measure(&latin)), &latin).unwrap();
        assert_eq!(missing_glyphs(&tree), Vec::<char>::new());
    }

    #[test]
    fn long_cjk_titles_wrap_and_are_cut_with_an_ellipsis_within_the_card() {
        require_cjk_fonts();
        let options = svg_options();
        let measure = measure(&options);
        let width = |line: &str, locale| measure(&text_markup(line, locale), 48.0, true);

        // Chinese has no spaces: lines break between characters, never
        // before "，" or "。".
        let chinese_title = "推进中韩自由贸易协定第二阶段谈判，加强供应链合作。".repeat(12);
        let (size, lines) = title_lines(&chinese_title, Locale::Zh, &measure);
        assert_eq!((size, lines.len()), (48.0, 4), "{lines:?}");
        assert!(lines[3].ends_with('…'), "{lines:?}");
        assert!(chinese_title.starts_with(&lines[..3].concat()), "{lines:?}");
        for line in &lines {
            assert!(width(line, Locale::Zh) <= CONTENT_WIDTH, "{line}");
            assert!(!line.starts_with(['，', '。']), "{line}");
        }
        // Each full line is as long as fits: one more character would not.
        let mut rest = chinese_title.as_str();
        for line in &lines[..3] {
            rest = &rest[line.len()..];
            let longer = format!("{line}{}", rest.chars().next().unwrap());
            assert!(width(&longer, Locale::Zh) > CONTENT_WIDTH - 48.0 * 2.5, "{line}");
        }

        // Korean breaks at spaces: no word is cut on the first three lines.
        let korean_title = format!("{KOREAN_TITLE} 공급망 협력을 강화하고 교역을 늘린다 ").repeat(8);
        let words: Vec<&str> = korean_title.split(' ').collect();
        let (size, lines) = title_lines(&korean_title, Locale::Ko, &measure);
        assert_eq!((size, lines.len()), (48.0, 4), "{lines:?}");
        assert!(lines[3].ends_with('…'), "{lines:?}");
        for line in &lines[..3] {
            assert!(line.split(' ').all(|word| words.contains(&word)), "{line}");
            assert!(width(line, Locale::Ko) <= CONTENT_WIDTH, "{line}");
        }
        // A Korean word longer than a line is broken between syllables.
        let (_, lines) = title_lines(&"가".repeat(300), Locale::Ko, &measure);
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(lines[3].ends_with('…'));

        // Drawn, every text stays inside the card's margins.
        for card in [chinese(&chinese_title), korean(&korean_title)] {
            let svg = card_svg(&card, &measure);
            let tree = usvg::Tree::from_str(&svg, &options).unwrap();
            assert!(missing_glyphs(&tree).is_empty());
            let mut texts = 0;
            fn each_text(group: &usvg::Group, f: &mut dyn FnMut(&usvg::Text)) {
                for node in group.children() {
                    match node {
                        usvg::Node::Group(group) => each_text(group, f),
                        usvg::Node::Text(text) => f(text),
                        _ => {}
                    }
                }
            }
            each_text(tree.root(), &mut |text| {
                texts += 1;
                let bounds = text.abs_bounding_box();
                assert!(
                    bounds.left() >= MARGIN - 0.5 && bounds.right() <= CARD_WIDTH as f32 - MARGIN + 0.5,
                    "{:?}: {bounds:?}",
                    text.chunks().iter().map(|c| c.text()).collect::<Vec<_>>()
                );
            });
            assert!(texts >= 6);
        }
    }

    #[test]
    fn a_card_renders_at_link_preview_size() {
        let png = render_card_png(&data("Advance the second phase of free trade agreement negotiations")).unwrap();
        assert_eq!(decode_png(&png).0, CARD_WIDTH);
        assert_eq!(decode_png(&png).1, CARD_HEIGHT);
    }

    #[test]
    fn korean_and_chinese_cards_render_at_link_preview_size() {
        require_cjk_fonts();
        for card in [korean(KOREAN_TITLE), chinese(CHINESE_TITLE)] {
            let png = render_card_png(&card).unwrap();
            let (width, height, pixels) = decode_png(&png);
            assert_eq!((width, height), (CARD_WIDTH, CARD_HEIGHT));
            // The title is drawn in dark ink under the band.
            let dark = pixels
                .chunks_exact(4)
                .skip(200 * CARD_WIDTH as usize)
                .take(120 * CARD_WIDTH as usize)
                .filter(|p| p[0] < 80 && p[1] < 80 && p[2] < 80)
                .count();
            assert!(dark > 2_000, "{:?}: title drawn ({dark} dark pixels)", card.locale);
        }
    }
}

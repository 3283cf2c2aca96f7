//! The status badge: a flat SVG that other sites embed.

use domain::{Locale, Status};

use super::card::status_colours;
use super::fonts::{font_families, fonts, text_markup};
use super::CardData;
use crate::xml::escape_xml;

pub const BADGE_HEIGHT: u32 = 20;
const BADGE_PADDING: u32 = 8;
const BADGE_FONT_SIZE: f32 = 11.0;
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

/// How wide 11 px text is, from the fonts' advance widths: Liberation Sans
/// for what it has (Arial, the browsers' usual stand-in, has the same
/// metrics), Noto Sans CJK for Hangul and Han (one em, as in every CJK
/// font), rounded up to a whole pixel.
fn badge_text_width(text: &str, locale: Locale) -> u32 {
    fonts().advance_width(text, BADGE_FONT_SIZE, locale).ceil() as u32
}

/// One segment of a badge: where it starts, how wide it is, its text.
#[derive(Debug)]
struct Segment {
    x: u32,
    width: u32,
    text: String,
    fill: &'static str,
}

/// The badge's segments: the site's name, then one per owing party
/// ("China: In progress"), or the overall status when no party owes it.
fn segments(data: &CardData) -> Vec<Segment> {
    let labels = &data.labels;
    let separator = &labels.separator;
    let mut texts: Vec<(String, &'static str)> = vec![(labels.site_name.clone(), BADGE_LABEL_FILL)];
    let parties = data.party_labels();
    if parties.is_empty() {
        texts.push((
            format!("{}{separator}{}", labels.overall, labels.overall_status),
            badge_fill(data.overall),
        ));
    }
    for (name, status_name, status) in parties {
        texts.push((format!("{name}{separator}{status_name}"), badge_fill(status)));
    }
    let mut x = 0;
    texts
        .into_iter()
        .map(|(text, fill)| {
            let width = badge_text_width(&text, data.locale) + 2 * BADGE_PADDING;
            let segment = Segment { x, width, text, fill };
            x += width;
            segment
        })
        .collect()
}

/// How wide the badge of `data` is drawn, in pixels (it is
/// `BADGE_HEIGHT` high): what an oEmbed answer reports.
pub fn badge_width(data: &CardData) -> u32 {
    segments(data).last().map_or(0, |s| s.x + s.width)
}

/// A flat two-tone badge of `data`, in its words and language: the site's
/// name, then one segment per owing party ("China: In progress"), coloured
/// by status. Every text is escaped.
pub fn badge_svg(data: &CardData) -> String {
    let labels = &data.labels;
    let segments = segments(data);
    let whole = format!(
        "{}{}{} — {}",
        labels.site_name,
        labels.separator,
        data.title,
        segments[1..]
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    );
    let mut rects = String::new();
    let mut texts = String::new();
    for Segment { x, width, text, fill } in &segments {
        rects.push_str(&format!(
            r#"<rect x="{x}" width="{width}" height="{BADGE_HEIGHT}" fill="{fill}"/>"#
        ));
        if *x > 0 {
            // A hairline between segments, which may share a colour.
            rects.push_str(&format!(
                r##"<rect x="{x}" width="1" height="{BADGE_HEIGHT}" fill="#ffffff" fill-opacity="0.35"/>"##
            ));
        }
        let centre = f64::from(*x) + f64::from(*width) / 2.0;
        texts.push_str(&format!(
            r#"<text x="{centre}" y="14">{}</text>"#,
            text_markup(text, data.locale)
        ));
    }
    let width = segments.last().map_or(0, |s| s.x + s.width);
    let label = escape_xml(&whole);
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" xml:lang="{lang}">"#,
            "<title>{label}</title>",
            r#"<clipPath id="accord-badge-corners"><rect width="{w}" height="{h}" rx="3"/></clipPath>"#,
            r#"<g clip-path="url(#accord-badge-corners)">{rects}</g>"#,
            r##"<g fill="#ffffff" text-anchor="middle" font-family="{fonts}" font-size="{size}">{texts}</g>"##,
            "</svg>"
        ),
        w = width,
        h = BADGE_HEIGHT,
        label = label,
        lang = data.locale.html_lang(),
        rects = rects,
        fonts = font_families(data.locale),
        size = BADGE_FONT_SIZE,
        texts = texts,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::card::tests::{chinese, data, korean, CHINESE_TITLE, KOREAN_TITLE};
    use crate::cards::fonts::{missing_glyphs, require_cjk_fonts, svg_options};
    use resvg::usvg;

    fn badge(title: &str, parties: &[(&str, Status)]) -> String {
        let mut card = data(title);
        card.parties = parties.iter().map(|(_, status)| *status).collect();
        card.labels.parties = parties
            .iter()
            .map(|(name, status)| crate::cards::PartyLabel {
                name: (*name).to_owned(),
                status: status.label().to_owned(),
            })
            .collect();
        badge_svg(&card)
    }

    fn svg_width(svg: &str) -> u32 {
        let start = svg.find("width=\"").unwrap() + 7;
        svg[start..start + svg[start..].find('"').unwrap()].parse().unwrap()
    }

    #[test]
    fn badge_names_every_party_with_its_status() {
        let svg = badge(
            "Advance FTA talks",
            &[("China", Status::InProgress), ("South Korea", Status::NotYetRated)],
        );
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(">China: In progress</text>"), "{svg}");
        assert!(svg.contains(">South Korea: Not yet rated</text>"), "{svg}");
        assert!(svg.contains(r#"role="img""#) && svg.contains(r#"xml:lang="en""#));
        let label = "Accord: Advance FTA talks — China: In progress; South Korea: Not yet rated";
        assert!(svg.contains(&format!(r#"aria-label="{label}""#)), "{svg}");
        assert!(svg.contains(&format!("<title>{label}</title>")));
        // Coloured by status.
        assert!(svg.contains(&format!(r#"fill="{}""#, badge_fill(Status::InProgress))));
        assert!(svg.contains(&format!(r#"fill="{}""#, badge_fill(Status::NotYetRated))));
        assert_ne!(badge_fill(Status::NotYetRated), BADGE_LABEL_FILL);
        // No party owes it: the overall status.
        let svg = badge("T", &[]);
        assert!(svg.contains(">Overall: Not yet rated</text>"), "{svg}");
    }

    #[test]
    fn badge_width_follows_the_text() {
        let short = badge("T", &[("A", Status::Fulfilled)]);
        let long = badge("T", &[("A much longer party name", Status::Fulfilled)]);
        assert!(svg_width(&long) > svg_width(&short) + 100);
        // Advance widths, not a count of characters.
        let narrow = badge_text_width("iiiiiiii", Locale::En);
        let wide = badge_text_width("WWWWWWWW", Locale::En);
        assert!(wide > narrow * 3, "{narrow} {wide}");
        assert_eq!(badge_text_width("Accord", Locale::En), 35, "Liberation Sans at 11 px");
    }

    #[test]
    fn badge_escapes_titles_and_party_names() {
        let svg = badge("<b>&</b> \"x\" 'y'", &[("<b>&", Status::Stalled)]);
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
    fn korean_and_chinese_badges_name_the_cjk_fonts_after_the_latin_ones() {
        let svg = badge_svg(&korean(KOREAN_TITLE));
        assert!(svg.contains(r#"xml:lang="ko""#), "{svg}");
        assert!(
            svg.contains(r#"font-family="Liberation Sans,Arial,Helvetica,Noto Sans CJK KR,"#),
            "{svg}"
        );
        assert!(
            svg.contains(&format!(
                "aria-label=\"Accord: {KOREAN_TITLE} — 중국: 진행 중; 한국: 평가 전\""
            )),
            "{svg}"
        );
        let svg = badge_svg(&chinese(CHINESE_TITLE));
        assert!(svg.contains(r#"xml:lang="zh-Hans""#), "{svg}");
        assert!(svg.contains(r#"<tspan font-family="Noto Sans CJK SC,"#), "{svg}");
    }

    /// The texts of a badge's tree, in order, with their drawn bounds.
    fn drawn_texts(tree: &usvg::Tree) -> Vec<(String, usvg::Rect)> {
        fn walk(group: &usvg::Group, out: &mut Vec<(String, usvg::Rect)>) {
            for node in group.children() {
                match node {
                    usvg::Node::Group(group) => walk(group, out),
                    usvg::Node::Text(text) => out.push((
                        text.chunks().iter().map(|c| c.text()).collect(),
                        text.abs_bounding_box(),
                    )),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(tree.root(), &mut out);
        out
    }

    #[test]
    fn cjk_badge_segments_are_measured_by_the_font_and_hold_their_text() {
        require_cjk_fonts();
        // Seven Han characters are wider than seven Latin letters.
        let han = badge_text_width("中华人民共和国", Locale::Zh);
        let latin = badge_text_width("Chinese", Locale::Zh);
        assert!((77..=78).contains(&han), "seven characters of one em at 11 px: {han}");
        assert!(han > latin + 20, "{han} against {latin}");
        let hangul = badge_text_width("대한민국", Locale::Ko);
        assert!(
            hangul >= 38 && hangul > badge_text_width("abcd", Locale::Ko) + 10,
            "{hangul}"
        );

        let options = svg_options();
        for card in [korean(KOREAN_TITLE), chinese(CHINESE_TITLE), data("Advance FTA talks")] {
            let svg = badge_svg(&card);
            let tree = usvg::Tree::from_str(&svg, &options).expect("the badge parses");
            assert_eq!(missing_glyphs(&tree), Vec::<char>::new(), "{:?}", card.locale);
            let segments = segments(&card);
            let texts = drawn_texts(&tree);
            assert_eq!(texts.len(), segments.len());
            for (segment, (text, bounds)) in segments.iter().zip(&texts) {
                assert_eq!(&segment.text, text);
                // Drawn inside its rectangle, padding kept on both sides.
                let (left, right) = (segment.x as f32, (segment.x + segment.width) as f32);
                assert!(
                    bounds.left() >= left + BADGE_PADDING as f32 - 1.0
                        && bounds.right() <= right - BADGE_PADDING as f32 + 1.0,
                    "{text}: drawn over {bounds:?}, segment {left}..{right}"
                );
            }
            assert_eq!(svg_width(&svg), segments.last().map(|s| s.x + s.width).unwrap());
        }
        // A Chinese segment is wider than as many Latin letters.
        let chinese_segment = &segments(&chinese(CHINESE_TITLE))[1];
        assert_eq!(chinese_segment.text, "中国：进行中");
        assert!(
            chinese_segment.width > badge_text_width("abcdef", Locale::En) + 2 * BADGE_PADDING + 20,
            "{chinese_segment:?}"
        );
    }
}

//! The status badge: a flat SVG that other sites embed.

use domain::Status;

use super::card::status_colours;
use crate::xml::escape_xml;

/// For browsers showing the badge, which never see the embedded fonts.
const BADGE_FONTS: &str = "Liberation Sans,Arial,Helvetica,sans-serif";

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::card::svg_options;
    use resvg::usvg;

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
}

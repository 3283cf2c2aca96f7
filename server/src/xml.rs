//! Text made safe for XML documents we write by hand (the SVG badge and the
//! share card). Feeds go through a real XML writer and only need
//! [`xml_chars`].

use std::borrow::Cow;

/// Whether XML 1.0 allows the character at all, escaped or not: most C0
/// control characters and the non-characters U+FFFE/U+FFFF are forbidden.
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The text without characters XML cannot carry. Stored text is checked on
/// input, but a feed or image must never become malformed because an older
/// or hand-edited row holds one.
pub fn xml_chars(text: &str) -> Cow<'_, str> {
    if text.chars().all(allowed_in_xml) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|c| allowed_in_xml(*c)).collect())
    }
}

/// Escapes text for an XML text node or a quoted attribute value (single or
/// double quotes), dropping characters XML cannot carry.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Line breaks in attribute values would be normalised to spaces
            // by parsers anyway; keep them as character references.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(escape_xml(r#"<script>&"'"#), "&lt;script&gt;&amp;&quot;&apos;");
        assert_eq!(escape_xml("China: In progress"), "China: In progress");
        assert_eq!(escape_xml("a\nb"), "a&#10;b");
    }

    #[test]
    fn characters_xml_cannot_carry_are_dropped() {
        assert_eq!(escape_xml("a\u{0}b\u{1b}c\u{FFFE}"), "abc");
        assert_eq!(xml_chars("a\u{8}b"), "ab");
        assert!(matches!(xml_chars("plain — text ✓"), Cow::Borrowed(_)));
        assert_eq!(xml_chars("한국 中国\n\t"), "한국 中国\n\t");
    }
}

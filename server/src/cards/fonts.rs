//! The fonts share cards and badges are drawn and measured with.
//!
//! - Latin (and every other character it has): Liberation Sans, embedded in
//!   the binary (`assets/fonts/LICENSE`).
//! - Korean (Hangul) and Chinese (Han), and anything else Liberation Sans
//!   lacks: Noto Sans CJK (SIL Open Font License 1.1), read at start from
//!   the files Debian's `fonts-noto-cjk` installs (`make tool-fonts-cjk`),
//!   or from the paths `accord serve` is given. Its Korean face
//!   (`Noto Sans CJK KR`) draws Korean pages' cards, its Simplified Chinese
//!   face (`Noto Sans CJK SC`) Chinese and English pages': the faces differ in
//!   the shapes of shared Han characters.
//!
//! Why the markup names the CJK face on each run of such characters rather
//! than leaving it to the `font-family` list: usvg's per-character fallback
//! takes the first face in the database that has the character (Noto Sans
//! CJK JP, the first in the collection), in the regular weight even in bold
//! text, and when that face has every character of the text (Noto Sans CJK
//! has Latin too) it redraws the whole text with it. So cards switch that
//! fallback off (`svg_options`) and `text_markup` puts each run of
//! characters Liberation Sans lacks in a `<tspan>` naming the locale's CJK
//! faces: Latin stays in Liberation Sans, Hangul and Han get the face of the
//! page's language, bold stays bold. Browsers showing a badge read the same
//! markup and fall back character by character through the same lists.

use std::path::PathBuf;
use std::sync::{Arc, LazyLock, OnceLock};

use domain::Locale;
use resvg::usvg::{self, fontdb};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use crate::xml::escape_xml;

/// Where Debian's `fonts-noto-cjk` puts Noto Sans CJK's regular weight
/// (`dpkg -L fonts-noto-cjk`).
pub const DEFAULT_CJK_REGULAR: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
/// Where Debian's `fonts-noto-cjk` puts Noto Sans CJK's bold weight.
pub const DEFAULT_CJK_BOLD: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";

/// The family name inside the embedded Latin font files.
pub(super) const LATIN_FAMILY: &str = "Liberation Sans";
const KOREAN_FAMILY: &str = "Noto Sans CJK KR";
const CHINESE_FAMILY: &str = "Noto Sans CJK SC";

static LATIN_REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
static LATIN_BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");

/// The Noto Sans CJK font collections to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CjkFontPaths {
    pub regular: PathBuf,
    pub bold: PathBuf,
}

impl Default for CjkFontPaths {
    fn default() -> Self {
        CjkFontPaths {
            regular: PathBuf::from(DEFAULT_CJK_REGULAR),
            bold: PathBuf::from(DEFAULT_CJK_BOLD),
        }
    }
}

/// The fonts every card and badge of this process is drawn with.
pub(super) struct Fonts {
    /// Liberation Sans and, when they could be read, the Noto Sans CJK
    /// collections (both weights, every face: JP, KR, SC, TC, HK).
    pub(super) db: Arc<fontdb::Database>,
    /// Why some Korean or Chinese text cannot be drawn, if it cannot.
    pub(super) cjk_problem: Option<String>,
}

static FONTS: OnceLock<Fonts> = OnceLock::new();

/// Reads the CJK fonts from `paths` for every card and badge this process
/// draws; `accord serve` calls it at start. A missing or unreadable file
/// is logged as a warning and cards still render, their Latin text intact.
/// Returns whether both files were read. The first call wins: a process
/// that drew a card before calling it has the default paths.
pub fn load_fonts(paths: &CjkFontPaths) -> bool {
    let mut loaded_now = false;
    let fonts = FONTS.get_or_init(|| {
        loaded_now = true;
        Fonts::load(paths)
    });
    if !loaded_now {
        tracing::warn!(?paths, "card fonts were loaded already; these paths are not used");
    }
    fonts.cjk_problem.is_none()
}

/// The fonts, read from the default paths if `load_fonts` was not called.
pub(super) fn fonts() -> &'static Fonts {
    FONTS.get_or_init(|| Fonts::load(&CjkFontPaths::default()))
}

impl Fonts {
    fn load(paths: &CjkFontPaths) -> Fonts {
        let mut db = latin_fonts();
        let mut problems = Vec::new();
        for (weight, path) in [("regular", &paths.regular), ("bold", &paths.bold)] {
            // Mapped, not read: the process keeps only the pages of the
            // glyphs it draws, not 40 MB of fonts (the server's memory
            // budget is 50 MB).
            match db.load_font_file(path) {
                Ok(()) => {
                    let has = |family: &str| {
                        db.faces().any(|face| {
                            matches!(&face.source, fontdb::Source::File(file) if file == path)
                                && face.families.iter().any(|(name, _)| name == family)
                        })
                    };
                    if !has(KOREAN_FAMILY) || !has(CHINESE_FAMILY) {
                        problems.push(format!(
                            "{} ({weight}) has no {KOREAN_FAMILY} and {CHINESE_FAMILY} faces",
                            path.display()
                        ));
                    }
                }
                Err(error) => problems.push(format!("cannot read {} ({weight}): {error}", path.display())),
            }
        }
        let cjk_problem = if problems.is_empty() {
            tracing::info!(
                regular = %paths.regular.display(),
                bold = %paths.bold.display(),
                "share cards and badges draw Korean and Chinese text with Noto Sans CJK"
            );
            None
        } else {
            let problem = problems.join("; ");
            tracing::warn!(
                "Noto Sans CJK: {problem}. Share cards and badges still render, but Korean and Chinese \
                 characters will be missing from them. Install Debian's fonts-noto-cjk \
                 (`make tool-fonts-cjk`) or pass --cjk-font-regular/--cjk-font-bold \
                 (ACCORD_CJK_FONT_REGULAR/ACCORD_CJK_FONT_BOLD)."
            );
            Some(problem)
        };
        Fonts {
            db: Arc::new(db),
            cjk_problem,
        }
    }

    /// How wide `text` is drawn at `size` px in the regular weight, from the
    /// fonts' advance widths: each character as Liberation Sans draws it,
    /// or, if Liberation Sans lacks it, as the locale's Noto Sans CJK face
    /// does (a character no font has counts one em). Kerning, which only
    /// narrows Latin text, is left out, so text never outgrows the width.
    pub(super) fn advance_width(&self, text: &str, size: f32, locale: Locale) -> f32 {
        let latin = &LATIN.0;
        let latin_map = latin.charmap();
        let latin_metrics = latin.glyph_metrics(Size::new(size), LocationRef::default());
        let mut width = 0.0;
        let mut others = Vec::new();
        for c in text.chars() {
            match latin_map.map(c).filter(|_| latin_has(c)) {
                Some(glyph) => width += latin_metrics.advance_width(glyph).unwrap_or(size),
                None => others.push(c),
            }
        }
        if others.is_empty() {
            return width;
        }
        let cjk = self.cjk_face(locale, 400).and_then(|id| {
            self.db.with_face_data(id, |data, index| {
                let font = FontRef::from_index(data, index).ok()?;
                let map = font.charmap();
                let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
                Some(
                    others
                        .iter()
                        .map(|c| {
                            map.map(*c)
                                .and_then(|glyph| metrics.advance_width(glyph))
                                .unwrap_or(size)
                        })
                        .sum::<f32>(),
                )
            })?
        });
        width + cjk.unwrap_or(others.len() as f32 * size)
    }

    /// The locale's Noto Sans CJK face at `weight`, or the other language's.
    fn cjk_face(&self, locale: Locale, weight: u16) -> Option<fontdb::ID> {
        let families: Vec<fontdb::Family> = cjk_family_names(locale)
            .iter()
            .map(|name| fontdb::Family::Name(name))
            .collect();
        self.db.query(&fontdb::Query {
            families: &families,
            weight: fontdb::Weight(weight),
            ..fontdb::Query::default()
        })
    }
}

/// A database of the embedded Latin fonts alone.
pub(super) fn latin_fonts() -> fontdb::Database {
    let mut db = fontdb::Database::new();
    db.load_font_source(fontdb::Source::Binary(Arc::new(LATIN_REGULAR)));
    db.load_font_source(fontdb::Source::Binary(Arc::new(LATIN_BOLD)));
    db.set_sans_serif_family(LATIN_FAMILY);
    db
}

/// The embedded Liberation Sans, regular and bold, for reading coverage
/// and advances.
static LATIN: LazyLock<(FontRef<'static>, FontRef<'static>)> = LazyLock::new(|| {
    (
        FontRef::new(LATIN_REGULAR).expect("the embedded Liberation Sans Regular is a font"),
        FontRef::new(LATIN_BOLD).expect("the embedded Liberation Sans Bold is a font"),
    )
});

/// Whether Liberation Sans draws `c` in both weights.
fn latin_has(c: char) -> bool {
    let (regular, bold) = &*LATIN;
    regular.charmap().map(c).is_some() && bold.charmap().map(c).is_some()
}

/// Noto Sans CJK's faces in the order a locale prefers them: Korean first on
/// Korean pages, Simplified Chinese first on the others (Han characters in
/// an English page's text are most likely Chinese).
fn cjk_family_names(locale: Locale) -> [&'static str; 2] {
    match locale {
        Locale::Ko => [KOREAN_FAMILY, CHINESE_FAMILY],
        Locale::En | Locale::Zh => [CHINESE_FAMILY, KOREAN_FAMILY],
    }
}

/// The `font-family` of a run of CJK characters: the locale's Noto Sans CJK
/// face, the same design under the names other systems install it with,
/// then the other language's, then whatever sans-serif face has them.
pub(super) fn cjk_families(locale: Locale) -> &'static str {
    match locale {
        Locale::Ko => "Noto Sans CJK KR,Noto Sans KR,Source Han Sans K,Noto Sans CJK SC,Noto Sans SC,sans-serif",
        Locale::En | Locale::Zh => {
            "Noto Sans CJK SC,Noto Sans SC,Source Han Sans SC,Noto Sans CJK KR,Noto Sans KR,sans-serif"
        }
    }
}

/// The `font-family` of a whole card or badge: Liberation Sans (or the
/// fonts it is metric-compatible with), then the CJK faces.
pub(super) fn font_families(locale: Locale) -> String {
    format!("{LATIN_FAMILY},Arial,Helvetica,{}", cjk_families(locale))
}

/// `text` as SVG text content: escaped, with each run of characters
/// Liberation Sans lacks (Hangul, Han, CJK punctuation…) in a `<tspan>`
/// naming the locale's CJK faces. Spaces stay in the run they follow.
/// Text Liberation Sans draws whole comes back only escaped.
pub(super) fn text_markup(text: &str, locale: Locale) -> String {
    fn flush(run: &mut String, cjk: bool, locale: Locale, markup: &mut String) {
        if run.is_empty() {
            return;
        }
        if cjk {
            markup.push_str(&format!(
                r#"<tspan font-family="{}">{}</tspan>"#,
                cjk_families(locale),
                escape_xml(run)
            ));
        } else {
            markup.push_str(&escape_xml(run));
        }
        run.clear();
    }
    let mut markup = String::with_capacity(text.len() + 16);
    let mut run = String::new();
    let mut run_is_cjk = false;
    for c in text.chars() {
        let cjk = if c.is_whitespace() { run_is_cjk } else { !latin_has(c) };
        if cjk != run_is_cjk {
            flush(&mut run, run_is_cjk, locale, &mut markup);
            run_is_cjk = cjk;
        }
        run.push(c);
    }
    flush(&mut run, run_is_cjk, locale, &mut markup);
    markup
}

/// Options for reading card and badge SVG with `fonts`: Liberation Sans by
/// default, and no per-character fallback (see the module's notes).
pub(super) fn options_with(db: Arc<fontdb::Database>) -> usvg::Options<'static> {
    let mut options = usvg::Options {
        fontdb: db,
        font_family: LATIN_FAMILY.to_owned(),
        ..usvg::Options::default()
    };
    options.font_resolver.select_fallback = Box::new(|_, _, _| None);
    options
}

/// Options for reading card and badge SVG with this process's fonts.
pub(super) fn svg_options() -> usvg::Options<'static> {
    options_with(fonts().db.clone())
}

/// Fails a test that needs Noto Sans CJK when it could not be read, saying
/// how to install it: such tests never pass by skipping.
#[cfg(test)]
pub(super) fn require_cjk_fonts() -> &'static Fonts {
    let fonts = fonts();
    if let Some(problem) = &fonts.cjk_problem {
        panic!(
            "Noto Sans CJK is missing ({problem}): run `make tool-fonts-cjk`, which installs Debian's \
             fonts-noto-cjk, then run the tests again"
        );
    }
    fonts
}

/// A glyph as drawn: its character(s), glyph id, font family and weight.
#[cfg(test)]
#[derive(Clone, Debug)]
pub(super) struct DrawnGlyph {
    pub(super) text: String,
    pub(super) id: u32,
    pub(super) family: String,
    pub(super) weight: u16,
}

/// Every glyph of every text node in `tree`, as laid out.
#[cfg(test)]
pub(super) fn drawn_glyphs(tree: &usvg::Tree) -> Vec<DrawnGlyph> {
    fn walk(group: &usvg::Group, tree: &usvg::Tree, glyphs: &mut Vec<DrawnGlyph>) {
        for node in group.children() {
            match node {
                usvg::Node::Group(group) => walk(group, tree, glyphs),
                usvg::Node::Text(text) => {
                    for glyph in text.layouted().iter().flat_map(|span| &span.positioned_glyphs) {
                        let face = tree.fontdb().face(glyph.font);
                        glyphs.push(DrawnGlyph {
                            text: glyph.text.clone(),
                            id: glyph.id.0,
                            family: face.map(|f| f.families[0].0.clone()).unwrap_or_default(),
                            weight: face.map_or(0, |f| f.weight.0),
                        });
                    }
                }
                _ => {}
            }
        }
    }
    let mut glyphs = Vec::new();
    walk(tree.root(), tree, &mut glyphs);
    glyphs
}

/// The characters of `tree`'s text that are not drawn with a real glyph:
/// those shaped to `.notdef` (glyph 0), and those left out of the layout
/// altogether (usvg drops a run whose font it cannot find). Spaces aside.
#[cfg(test)]
pub(super) fn missing_glyphs(tree: &usvg::Tree) -> Vec<char> {
    use std::collections::HashMap;
    fn texts(group: &usvg::Group, out: &mut String) {
        for node in group.children() {
            match node {
                usvg::Node::Group(group) => texts(group, out),
                usvg::Node::Text(text) => text.chunks().iter().for_each(|chunk| out.push_str(chunk.text())),
                _ => {}
            }
        }
    }
    let mut written = String::new();
    texts(tree.root(), &mut written);
    let mut drawn: HashMap<char, usize> = HashMap::new();
    let mut missing = Vec::new();
    for glyph in drawn_glyphs(tree) {
        for c in glyph.text.chars().filter(|c| !c.is_whitespace()) {
            if glyph.id == 0 {
                missing.push(c);
            } else {
                *drawn.entry(c).or_default() += 1;
            }
        }
    }
    for c in written.chars().filter(|c| !c.is_whitespace()) {
        match drawn.get_mut(&c) {
            Some(count) if *count > 0 => *count -= 1,
            _ if missing.contains(&c) => {}
            _ => missing.push(c),
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_liberation_sans_lacks_is_marked_as_cjk() {
        assert_eq!(text_markup("China: In progress", Locale::En), "China: In progress");
        assert_eq!(text_markup("a <b> & ‘c’ · …", Locale::Zh), "a &lt;b&gt; &amp; ‘c’ · …");
        let korean = text_markup("중국: 진행 중", Locale::Ko);
        assert_eq!(
            korean,
            format!(
                r#"<tspan font-family="{0}">중국</tspan>: <tspan font-family="{0}">진행 중</tspan>"#,
                cjk_families(Locale::Ko)
            )
        );
        let chinese = text_markup("中国：进行中 (WTO)", Locale::Zh);
        assert_eq!(
            chinese,
            format!(
                r#"<tspan font-family="{}">中国：进行中 </tspan>(WTO)"#,
                cjk_families(Locale::Zh)
            )
        );
        assert!(cjk_families(Locale::Ko).starts_with("Noto Sans CJK KR,"));
        assert!(cjk_families(Locale::Zh).starts_with("Noto Sans CJK SC,"));
        assert!(font_families(Locale::Ko).starts_with("Liberation Sans,"));
    }

    #[test]
    fn the_cjk_fonts_are_read_from_debians_package() {
        let fonts = require_cjk_fonts();
        for locale in Locale::ALL {
            for weight in [400, 700] {
                let id = fonts.cjk_face(locale, weight).expect("a CJK face");
                let face = fonts.db.face(id).unwrap();
                let expected = if locale == Locale::Ko {
                    KOREAN_FAMILY
                } else {
                    CHINESE_FAMILY
                };
                assert_eq!(face.families[0].0, expected, "{locale} {weight}");
                assert_eq!(face.weight.0, weight);
            }
        }
    }

    #[test]
    fn advances_come_from_the_fonts() {
        let fonts = fonts();
        // Liberation Sans at 11 px: "i" is narrow, "W" wide, the same at every locale.
        let i = fonts.advance_width("i", 11.0, Locale::En);
        let w = fonts.advance_width("W", 11.0, Locale::En);
        assert!((2.0..3.5).contains(&i) && (9.0..11.0).contains(&w), "{i} {w}");
        assert_eq!(
            fonts.advance_width("abc", 11.0, Locale::Ko),
            fonts.advance_width("abc", 11.0, Locale::En)
        );
        assert!(fonts.advance_width("", 11.0, Locale::En) == 0.0);
    }

    #[test]
    fn cjk_advances_come_from_noto_sans_cjk() {
        let fonts = require_cjk_fonts();
        // Han characters are one em wide in every face.
        let han = fonts.advance_width("中华人民共和国", 11.0, Locale::Zh);
        assert!((han - 77.0).abs() < 0.01, "{han}");
        assert_eq!(fonts.advance_width("中华人民共和国", 11.0, Locale::Ko), han);
        // The Korean face's Hangul is a little narrower than an em.
        let hangul = fonts.advance_width("대한민국", 11.0, Locale::Ko);
        assert!((0.85 * 44.0..44.0).contains(&hangul), "{hangul}");
        // Latin in a Korean text is still measured in Liberation Sans.
        let mixed = fonts.advance_width("FTA 협상", 11.0, Locale::Ko);
        let parts = fonts.advance_width("FTA ", 11.0, Locale::En) + fonts.advance_width("협상", 11.0, Locale::Ko);
        assert!((mixed - parts).abs() < 0.01, "{mixed} {parts}");
    }

    #[test]
    fn without_the_cjk_fonts_cards_still_render_their_latin_text() {
        let fonts = Fonts::load(&CjkFontPaths {
            regular: PathBuf::from("/nonexistent/NotoSansCJK-Regular.ttc"),
            bold: PathBuf::from("/nonexistent/NotoSansCJK-Bold.ttc"),
        });
        let problem = fonts.cjk_problem.as_deref().expect("reported");
        assert!(
            problem.contains("cannot read /nonexistent/NotoSansCJK-Regular.ttc (regular)"),
            "{problem}"
        );
        assert!(problem.contains("NotoSansCJK-Bold.ttc (bold)"), "{problem}");
        let options = options_with(fonts.db.clone());
        let card = crate::cards::card::tests::korean(crate::cards::card::tests::KOREAN_TITLE);
        let svg = crate::cards::card_svg(&card, &|markup, size, bold| {
            crate::cards::card::measure_with(&options, markup, size, bold)
        });
        let tree = usvg::Tree::from_str(&svg, &options).expect("the card parses");
        assert!(missing_glyphs(&tree).contains(&'한'));
        assert!(drawn_glyphs(&tree).iter().any(|g| g.text == "A" && g.id != 0));
        let mut pixmap = resvg::tiny_skia::Pixmap::new(crate::cards::CARD_WIDTH, crate::cards::CARD_HEIGHT).unwrap();
        resvg::render(&tree, resvg::tiny_skia::Transform::identity(), &mut pixmap.as_mut());
        assert!(pixmap.encode_png().is_ok());
    }
}

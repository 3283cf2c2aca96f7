//! Accord in English, Korean and Chinese: every page answers at its
//! language's address with the right `lang`, links its other languages and
//! names its canonical URL; texts not in the page's language say so; the
//! page cache keeps each language apart; feeds and exports follow the URL.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use crate::support::{both_engines, on_engine, respond, seeded_site_of, shipped, unescape, Answer, PUBLIC_URL};

async fn get(app: &axum::Router, path: &str) -> Answer {
    respond(app, Request::get(path).body(Body::empty()).unwrap()).await
}

fn a_commitment() -> String {
    shipped().commitments[2].slug.to_string()
}

/// The site paths of every kind of page, with the status each answers to a
/// reader who is not signed in.
fn pages() -> Vec<(String, StatusCode)> {
    let slug = a_commitment();
    let summit = shipped().summit.slug.to_string();
    vec![
        ("/".into(), StatusCode::OK),
        ("/?status=in_progress&party=kr".into(), StatusCode::OK),
        ("/summits".into(), StatusCode::OK),
        (format!("/summits/{summit}"), StatusCode::OK),
        (format!("/commitments/{slug}"), StatusCode::OK),
        (format!("/commitments/{slug}/history"), StatusCode::OK),
        ("/login".into(), StatusCode::OK),
        ("/methodology".into(), StatusCode::OK),
        ("/corrections".into(), StatusCode::OK),
        ("/editor/new-commitment".into(), StatusCode::UNAUTHORIZED),
        ("/review".into(), StatusCode::UNAUTHORIZED),
        ("/no-such-page".into(), StatusCode::NOT_FOUND),
    ]
}

const LANGUAGES: [(&str, &str); 3] = [("", "en"), ("/ko", "ko"), ("/zh", "zh-Hans")];

fn localized(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        path.to_owned()
    } else if path == "/" {
        format!("{prefix}/")
    } else {
        format!("{prefix}{path}")
    }
}

fn absolute(path: &str) -> String {
    format!("{}{}", PUBLIC_URL.trim_end_matches('/'), path).replace('&', "&amp;")
}

/// The attributes of every `<link>` in the page, in whatever order the
/// renderer wrote them.
fn link_tags(html: &str) -> Vec<Vec<(String, String)>> {
    html.split("<link ")
        .skip(1)
        .map(|rest| {
            let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
            let mut attributes = Vec::new();
            for part in tag.split("\" ") {
                if let Some((name, value)) = part.trim().split_once("=\"") {
                    attributes.push((name.trim().to_owned(), value.trim_end_matches('"').to_owned()));
                }
            }
            attributes
        })
        .collect()
}

fn has_link(html: &str, wanted: &[(&str, &str)]) -> bool {
    link_tags(html).iter().any(|tag| {
        wanted
            .iter()
            .all(|(name, value)| tag.iter().any(|(n, v)| n == name && v == value))
    })
}

both_engines!(every_page_answers_in_each_language_and_links_the_others);
async fn every_page_answers_in_each_language_and_links_the_others(db: store::Db) {
    let app = seeded_site_of(db).await;
    for (path, status) in pages() {
        for (prefix, lang) in LANGUAGES {
            let address = localized(prefix, &path);
            let answer = get(&app, &address).await;
            assert_eq!(answer.status, status, "{address}");
            let html = answer.text();
            assert!(
                html.contains(&format!(r#"<html lang="{lang}""#)),
                "{address}: lang {lang}"
            );
            for (other_prefix, other_lang) in LANGUAGES {
                let href = absolute(&localized(other_prefix, &path));
                assert!(
                    has_link(
                        &html,
                        &[("rel", "alternate"), ("hreflang", other_lang), ("href", &href)]
                    ),
                    "{address}: no hreflang {other_lang} → {href} among {:?}",
                    link_tags(&html)
                );
                // The visible switcher goes to the same page, filters kept.
                let link = localized(other_prefix, &path).replace('&', "&amp;");
                assert!(
                    html.contains(&format!(r#"href="{link}""#)),
                    "{address}: no switcher link {link}"
                );
            }
            let default = absolute(&path);
            assert!(
                has_link(
                    &html,
                    &[("rel", "alternate"), ("hreflang", "x-default"), ("href", &default)]
                ),
                "{address}: x-default"
            );
            if status != StatusCode::NOT_FOUND {
                let canonical = absolute(&localized(prefix, &path));
                let canonicals: Vec<_> = link_tags(&html)
                    .into_iter()
                    .filter(|tag| tag.iter().any(|(n, v)| n == "rel" && v == "canonical"))
                    .collect();
                assert_eq!(canonicals.len(), 1, "{address}: one canonical link");
                assert!(
                    canonicals[0].iter().any(|(n, v)| n == "href" && v == &canonical),
                    "{address}: canonical {canonical}, not {:?}",
                    canonicals[0]
                );
            }
        }
    }
}

both_engines!(korean_and_chinese_pages_speak_their_language_and_label_what_is_not);
async fn korean_and_chinese_pages_speak_their_language_and_label_what_is_not(db: store::Db) {
    let app = seeded_site_of(db).await;
    let slug = a_commitment();
    let english = get(&app, &format!("/commitments/{slug}")).await.text();
    let korean = get(&app, &format!("/ko/commitments/{slug}")).await.text();
    let chinese = get(&app, &format!("/zh/commitments/{slug}")).await.text();
    // Interface words.
    assert!(english.contains("What the statuses mean"));
    assert!(!korean.contains("What the statuses mean") && !chinese.contains("What the statuses mean"));
    assert!(korean.contains(&i18n::tr(i18n::Locale::Ko, "definitions-heading")));
    assert!(chinese.contains(&i18n::tr(i18n::Locale::Zh, "definitions-heading")));
    // The commitment's own title, translated by Accord and labelled so.
    let translations = server::seed::parse_translations(server::seed::SUMMIT_2025_11_01_TRANSLATIONS).unwrap();
    let texts = translations
        .commitments
        .iter()
        .find(|t| t.slug.as_str() == slug)
        .unwrap();
    let ko_title = &texts.ko.as_ref().unwrap().title;
    let zh_title = &texts.zh.as_ref().unwrap().title;
    assert!(korean.contains(&format!(">{ko_title}</h1>")), "Korean title");
    assert!(chinese.contains(&format!(">{zh_title}</h1>")), "Chinese title");
    let by_accord = i18n::tr_with(
        i18n::Locale::Ko,
        "text-translated-by",
        &[("name", i18n::text("Accord"))],
    );
    assert!(korean.contains(&by_accord), "the translation names its translator");
    assert!(!english.contains(ko_title.as_str()));
    // Dates as each language writes them.
    assert!(english.contains("1 November 2025"));
    assert!(korean.contains("2025년 11월 1일"));
    assert!(chinese.contains("2025年11月1日"));
    // Sources keep their own words, marked as English: each quote of the
    // commitment is shown exactly as published on every language's page.
    let dataset = shipped();
    let listed = &dataset
        .commitments
        .iter()
        .find(|c| c.slug.as_str() == slug)
        .unwrap()
        .sources;
    let quotes: Vec<&str> = dataset
        .sources
        .iter()
        .filter(|s| listed.contains(&s.key))
        .map(|s| s.quote.as_str())
        .collect();
    assert!(!quotes.is_empty(), "{slug} lists sources");
    for html in [&english, &korean, &chinese] {
        assert!(
            html.contains(r#"<blockquote lang="en">"#),
            "quotes carry their language"
        );
        let text = unescape(html);
        for quote in &quotes {
            assert!(text.contains(quote), "the quote, word for word: {quote}");
        }
    }
    // Links inside a Korean page stay in Korean.
    assert!(korean.contains(&format!(r#"href="/ko/commitments/{slug}/history""#)));
    assert!(korean.contains(r#"href="/ko/""#));
    // The share link is the page's own language.
    assert!(korean.contains(&format!(r#"value="{PUBLIC_URL}ko/commitments/{slug}""#)));
}

both_engines!(a_commitment_without_a_translation_shows_its_original_marked_english);
async fn a_commitment_without_a_translation_shows_its_original_marked_english(db: store::Db) {
    let app = seeded_site_of(db.clone()).await;
    let slug = a_commitment();
    on_engine!(db, |pool| sqlx::query(
        "DELETE FROM commitment_translations
         WHERE language = 'zh' AND commitment_id = (SELECT id FROM commitments WHERE slug = $1)"
    )
    .bind(&slug)
    .execute(pool)
    .await
    .unwrap()
    .rows_affected());
    let title = &shipped().commitments[2].title;
    let chinese = get(&app, &format!("/zh/commitments/{slug}")).await.text();
    assert!(
        chinese.contains(&format!(r#"<h1 id="commitment-title" lang="en">{title}</h1>"#)),
        "original, marked English"
    );
    let untranslated = i18n::tr_with(
        i18n::Locale::Zh,
        "text-untranslated",
        &[("language", i18n::text(i18n::tr(i18n::Locale::Zh, "language-in-en")))],
    );
    assert!(chinese.contains(&untranslated), "says it is not yet translated");
}

both_engines!(each_language_is_cached_apart_and_accept_language_changes_nothing);
async fn each_language_is_cached_apart_and_accept_language_changes_nothing(db: store::Db) {
    let app = seeded_site_of(db).await;
    let english = get(&app, "/").await;
    let korean = get(&app, "/ko/").await;
    let english_again = get(&app, "/").await;
    assert!(english.text().contains(r#"<html lang="en""#));
    assert!(korean.text().contains(r#"<html lang="ko""#));
    assert!(english_again.text().contains(r#"<html lang="en""#));
    let asking_korean = respond(
        &app,
        Request::get("/")
            .header(header::ACCEPT_LANGUAGE, "ko-KR,ko;q=0.9")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        asking_korean.text().contains(r#"<html lang="en""#),
        "one URL, one language"
    );
    // The page varies by encoding and by cookie (a reader's page is not an
    // editor's), never by the language asked for.
    let vary = asking_korean.header(header::VARY).to_ascii_lowercase();
    assert!(
        vary.contains("cookie") && vary.contains("accept-encoding"),
        "Vary: {vary}"
    );
    assert!(!vary.contains("accept-language"), "Vary: {vary}");
}

both_engines!(feeds_and_exports_follow_the_language_of_their_address);
async fn feeds_and_exports_follow_the_language_of_their_address(db: store::Db) {
    let app = seeded_site_of(db).await;
    let korean_feed = get(&app, "/ko/feed.atom").await;
    assert_eq!(korean_feed.status, StatusCode::OK);
    let xml = korean_feed.text();
    assert!(xml.contains(r#"xml:lang="ko""#), "{}", &xml[..300.min(xml.len())]);
    assert!(xml.contains(&i18n::tr(i18n::Locale::Ko, "feed-site-title")));
    assert!(xml.contains(&format!("{PUBLIC_URL}ko/commitments/")));
    let english_feed = get(&app, "/feed.atom").await.text();
    assert!(english_feed.contains(r#"xml:lang="en""#));

    let csv = get(&app, "/zh/export/commitments.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for spreadsheet programs"
    );
    let text = csv.text();
    let translations = server::seed::parse_translations(server::seed::SUMMIT_2025_11_01_TRANSLATIONS).unwrap();
    let zh_title = &translations.commitments[0].zh.as_ref().unwrap().title;
    assert!(text.contains(zh_title.as_str()), "Chinese titles in the Chinese export");
    assert!(text.contains(",zh\r\n"), "each title names its language");
}

/// The slugs a list page shows, in order.
fn listed_slugs(html: &str) -> Vec<String> {
    html.split(r#"<h3 id="title-"#)
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect()
}

both_engines!(korean_and_chinese_searches_find_words_inside_longer_text);
async fn korean_and_chinese_searches_find_words_inside_longer_text(db: store::Db) {
    let app = seeded_site_of(db).await;
    let translations = server::seed::parse_translations(server::seed::SUMMIT_2025_11_01_TRANSLATIONS).unwrap();
    // What each search must find: the commitments whose Korean or Chinese
    // text contains the term, read from the shipped translations.
    let expected = |term: &str| {
        let mut slugs: Vec<String> = translations
            .commitments
            .iter()
            .filter(|c| {
                [&c.ko, &c.zh]
                    .into_iter()
                    .flatten()
                    .any(|t| t.title.contains(term) || t.summary.contains(term))
            })
            .map(|c| c.slug.to_string())
            .collect();
        slugs.sort();
        slugs
    };
    // 협정 is written 협정을 / 협정의 in the text; 自贸 sits inside
    // 中韩自贸协定; 电信诈骗 is four characters inside a longer title.
    for (prefix, term) in [
        ("/ko", "협정"),
        ("/ko", "보이스피싱"),
        ("/zh", "自贸"),
        ("/zh", "电信诈骗"),
        ("/zh", "交流"),
    ] {
        let wanted = expected(term);
        assert!(!wanted.is_empty(), "{term} occurs in the shipped translations");
        let query: String = url::form_urlencoded::byte_serialize(term.as_bytes()).collect();
        let answer = get(&app, &format!("{prefix}/?q={query}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{term}");
        let mut found = listed_slugs(&answer.text());
        found.sort();
        assert_eq!(found, wanted, "{prefix}/?q={term}");
    }
    // English search still finds English words as before.
    let answer = get(&app, "/?q=fraud").await;
    assert!(listed_slugs(&answer.text()).iter().any(|s| s.contains("fraud")));
}

both_engines!(refused_input_is_explained_in_the_pages_language);
async fn refused_input_is_explained_in_the_pages_language(db: store::Db) {
    let app = seeded_site_of(db).await;
    for (prefix, locale) in [
        ("", i18n::Locale::En),
        ("/ko", i18n::Locale::Ko),
        ("/zh", i18n::Locale::Zh),
    ] {
        let answer = get(&app, &localized(prefix, "/?status=bogus")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        let expected = i18n::tr_with(locale, "problem-unknown-status", &[("value", i18n::text("bogus"))]);
        let html = answer.text();
        assert!(html.contains(&expected), "{prefix}: {expected}");
        if locale != i18n::Locale::En {
            assert!(!html.contains("is not a status"), "{prefix}: no English left");
        }
    }
}

both_engines!(no_address_a_reader_is_given_leads_off_the_site);
async fn no_address_a_reader_is_given_leads_off_the_site(db: store::Db) {
    let app = seeded_site_of(db).await;
    for path in [
        "/ko//evil.example/",
        "//evil.example/",
        "/ko/http:evil.example",
        "/zh/\\evil.example",
    ] {
        let uri = path.replace('\\', "%5C");
        let answer = get(&app, &uri).await;
        let html = answer.text();
        for tag in link_tags(&html) {
            for (name, value) in tag {
                if name == "href" {
                    assert!(
                        value.starts_with(PUBLIC_URL) || value.starts_with('/') && !value.starts_with("//"),
                        "{path}: {value}"
                    );
                }
            }
        }
        assert!(!html.contains(r#"href="//"#), "{path}: a scheme-relative link");
        assert!(
            !html.contains("http://evil.example") && !html.contains("https://evil.example"),
            "{path}"
        );
    }
}

both_engines!(an_editor_translates_through_the_form_and_the_history_says_so_in_that_language);
async fn an_editor_translates_through_the_form_and_the_history_says_so_in_that_language(db: store::Db) {
    use crate::support::{TestSite, SITE};
    let site = TestSite::of(db).await;
    let alice = site.sign_in("alice").await;
    let slug = site.slug.clone();
    let edit_page = site
        .get(&format!("/zh/commitments/{slug}/edit"), Some(&alice))
        .await
        .text();
    assert!(edit_page.contains(r#"id="translation-ko""#) && edit_page.contains(r#"id="translation-zh""#));
    assert!(
        !edit_page.contains(r#"id="translation-en""#),
        "no form for the original's own language"
    );

    let version = site.version_of(&slug).await.to_string();
    let fields = [
        ("slug", slug.as_str()),
        ("version", version.as_str()),
        ("language", "zh"),
        ("title", "编辑修订的标题"),
        ("summary", "编辑修订的摘要。"),
    ];
    let mut request = site.form_request("/api/save_translation", &fields, Some(&alice));
    let posted_from = format!("{SITE}/zh/commitments/{slug}/edit");
    request
        .headers_mut()
        .insert(header::REFERER, posted_from.parse().unwrap());
    let answer = respond(&site.app, request).await;
    assert!(answer.status.is_redirection(), "{} {}", answer.status, answer.text());
    assert_eq!(
        answer.header(header::LOCATION),
        format!("/zh/commitments/{slug}/edit#translation-zh"),
        "back to the Chinese edit page"
    );
    assert_eq!(
        site.version_of(&slug).await.to_string(),
        (version.parse::<i64>().unwrap() + 1).to_string()
    );

    let page = site.get(&format!("/zh/commitments/{slug}"), None).await.text();
    assert!(page.contains(">编辑修订的标题</h1>"), "the new translation is shown");
    let by_alice = i18n::tr_with(i18n::Locale::Zh, "text-translated-by", &[("name", i18n::text("alice"))]);
    assert!(page.contains(&by_alice), "credited to its translator");

    let history = site.get(&format!("/zh/commitments/{slug}/history"), None).await.text();
    let field = i18n::tr_with(
        i18n::Locale::Zh,
        "history-field-translated-title",
        &[("language", i18n::text(i18n::tr(i18n::Locale::Zh, "language-in-zh")))],
    );
    assert!(
        history.contains(&field),
        "the history names the change in Chinese: {field}"
    );
    assert!(history.contains("编辑修订的标题"));
}

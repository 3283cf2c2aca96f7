//! Embeds CMSs understand: each permalink names an oEmbed endpoint in its
//! head, and the endpoint answers with the very badge markup the page
//! offers to copy; anything not a permalink of this site is refused.

use crate::support;
use crate::support::{both_engines, respond, unescape, Answer, PUBLIC_URL};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::Value;

async fn get(app: &Router, path: &str) -> Answer {
    respond(app, Request::get(path).body(Body::empty()).unwrap()).await
}

/// The attributes of the first `<link>` whose `type` is `kind`.
fn link_of_type(html: &str, kind: &str) -> Option<(String, String, String)> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("head link").unwrap();
    document
        .select(&selector)
        .find(|link| link.attr("type") == Some(kind))
        .map(|link| {
            (
                link.attr("rel").unwrap_or_default().to_owned(),
                link.attr("href").unwrap_or_default().to_owned(),
                link.attr("title").unwrap_or_default().to_owned(),
            )
        })
}

/// The embed code the permalink page offers to copy.
fn offered_embed_code(html: &str) -> String {
    let start = html.find(r#"id="embed-code""#).expect("an embed code box");
    let open = start + html[start..].find('>').unwrap() + 1;
    let close = open + html[open..].find("</textarea>").unwrap();
    unescape(&html[open..close])
}

fn path_of(absolute: &str) -> &str {
    absolute
        .strip_prefix(PUBLIC_URL.trim_end_matches('/'))
        .unwrap_or_else(|| panic!("{absolute} is not on the site"))
}

fn oembed_path(url: &str, extra: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
    format!("/oembed?url={encoded}{extra}")
}

/// The width an SVG says it is drawn at.
fn svg_width(svg: &str) -> u64 {
    let at = svg.find("width=\"").unwrap() + 7;
    svg[at..at + svg[at..].find('"').unwrap()].parse().unwrap()
}

both_engines!(each_permalink_names_an_oembed_answer_with_the_badge_it_offers);
async fn each_permalink_names_an_oembed_answer_with_the_badge_it_offers(db: store::Db) {
    let app = support::seeded_site_of(db).await;
    let slug = support::shipped().commitments[0].slug.to_string();
    for (prefix, lang) in [("", "en"), ("/ko", "ko"), ("/zh", "zh-Hans")] {
        let permalink = format!("https://accord.example{prefix}/commitments/{slug}");
        let page = get(&app, &format!("{prefix}/commitments/{slug}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        let (rel, href, title) = link_of_type(&html, "application/json+oembed").expect("an oEmbed link");
        assert_eq!(rel, "alternate");
        assert_eq!(
            href,
            format!("https://accord.example{}&format=json", oembed_path(&permalink, ""))
        );
        assert!(!title.is_empty());

        let answer = get(&app, path_of(&href)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        assert!(answer.header(header::CONTENT_TYPE).starts_with("application/json"));
        let embed: Value = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(embed["type"], "rich");
        assert_eq!(embed["version"], "1.0");
        assert_eq!(embed["provider_name"], "Accord");
        assert_eq!(embed["provider_url"], "https://accord.example/");
        assert_eq!(embed["title"], title.as_str());
        // The same markup the page offers to copy, in the page's language.
        let code = offered_embed_code(&html);
        assert_eq!(embed["html"], code.as_str(), "{lang}");
        assert!(code.contains(&format!("src=\"{permalink}/badge.svg\"")), "{code}");
        // As large as the badge is drawn.
        let badge = get(&app, &format!("{prefix}/commitments/{slug}/badge.svg")).await;
        assert_eq!(embed["width"].as_u64().unwrap(), svg_width(&badge.text()), "{lang}");
        assert_eq!(embed["height"], 20);
        assert_eq!(embed["thumbnail_url"], format!("{permalink}/card.png").as_str());
        assert_eq!(embed["thumbnail_width"], 1200);
        assert_eq!(embed["thumbnail_height"], 630);
        // The Korean and Chinese answers are in their language.
        if lang != "en" {
            assert!(embed["html"]
                .as_str()
                .unwrap()
                .contains(&format!("{prefix}/commitments/")));
        }
    }
}

both_engines!(a_consumer_with_less_room_gets_the_badge_scaled_to_fit);
async fn a_consumer_with_less_room_gets_the_badge_scaled_to_fit(db: store::Db) {
    let app = support::seeded_site_of(db).await;
    let slug = support::shipped().commitments[0].slug.to_string();
    let permalink = format!("https://accord.example/commitments/{slug}");
    let full: Value = serde_json::from_slice(&get(&app, &oembed_path(&permalink, "")).await.body).unwrap();
    let width = full["width"].as_u64().unwrap();
    // Room enough: the badge as it is.
    let roomy: Value = serde_json::from_slice(
        &get(&app, &oembed_path(&permalink, &format!("&maxwidth={}", width + 10)))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(roomy, full);
    // Half the room: half the size, said in the markup too.
    let half = width / 2;
    let answer = get(&app, &oembed_path(&permalink, &format!("&maxwidth={half}&format=json"))).await;
    assert_eq!(answer.status, StatusCode::OK);
    let scaled: Value = serde_json::from_slice(&answer.body).unwrap();
    assert!(scaled["width"].as_u64().unwrap() <= half);
    assert!(scaled["height"].as_u64().unwrap() < 20);
    let html = scaled["html"].as_str().unwrap();
    assert!(
        html.contains(&format!(
            "width=\"{}\" height=\"{}\"",
            scaled["width"], scaled["height"]
        )),
        "{html}"
    );
    let low: Value = serde_json::from_slice(&get(&app, &oembed_path(&permalink, "&maxheight=10")).await.body).unwrap();
    assert!(low["height"].as_u64().unwrap() <= 10);
}

both_engines!(anything_but_a_permalink_of_this_site_is_refused_as_the_spec_says);
async fn anything_but_a_permalink_of_this_site_is_refused_as_the_spec_says(db: store::Db) {
    let app = support::seeded_site_of(db).await;
    let slug = support::shipped().commitments[0].slug.to_string();
    let permalink = format!("https://accord.example/commitments/{slug}");
    let cases: Vec<(String, StatusCode)> = vec![
        ("/oembed".to_owned(), StatusCode::BAD_REQUEST),
        ("/oembed?format=json".to_owned(), StatusCode::BAD_REQUEST),
        ("/oembed?url=".to_owned(), StatusCode::BAD_REQUEST),
        (oembed_path(&permalink, "&format=xml"), StatusCode::NOT_IMPLEMENTED),
        (oembed_path(&permalink, "&format=yaml"), StatusCode::NOT_IMPLEMENTED),
        (oembed_path(&permalink, "&maxwidth=wide"), StatusCode::BAD_REQUEST),
        (oembed_path(&permalink, "&maxwidth=0"), StatusCode::BAD_REQUEST),
        (
            oembed_path(&format!("https://evil.example/commitments/{slug}"), ""),
            StatusCode::NOT_FOUND,
        ),
        (
            oembed_path(&format!("http://accord.example/commitments/{slug}"), ""),
            StatusCode::NOT_FOUND,
        ),
        (
            oembed_path("https://accord.example/commitments/no-such-commitment", ""),
            StatusCode::NOT_FOUND,
        ),
        (
            oembed_path("https://accord.example/commitments/NOT%20A%20SLUG", ""),
            StatusCode::NOT_FOUND,
        ),
        (oembed_path(&format!("{permalink}/history"), ""), StatusCode::NOT_FOUND),
        (oembed_path("https://accord.example/summits", ""), StatusCode::NOT_FOUND),
        (oembed_path("not a url", ""), StatusCode::NOT_FOUND),
    ];
    for (path, expected) in cases {
        let answer = get(&app, &path).await;
        assert_eq!(answer.status, expected, "{path}: {}", answer.text());
        assert!(!answer.text().is_empty(), "{path}: say why");
    }
    // The Host a request names is never believed: another host's address
    // is not this site's, and this site's answers name its public URL.
    let spoofed = |path: String| {
        Request::get(path)
            .header(header::HOST, "evil.example")
            .body(Body::empty())
            .unwrap()
    };
    let evil = respond(
        &app,
        spoofed(oembed_path(&format!("https://evil.example/commitments/{slug}"), "")),
    )
    .await;
    assert_eq!(evil.status, StatusCode::NOT_FOUND);
    let ours = respond(&app, spoofed(oembed_path(&permalink, ""))).await;
    assert_eq!(ours.status, StatusCode::OK);
    let embed: Value = serde_json::from_slice(&ours.body).unwrap();
    assert_eq!(embed["provider_url"], "https://accord.example/");
    // The address in the query is the answer's: two permalinks, two answers
    // (no cache in front keeps one for the other).
    let other = support::shipped().commitments[1].slug.to_string();
    let second: Value = serde_json::from_slice(
        &get(
            &app,
            &oembed_path(&format!("https://accord.example/commitments/{other}"), ""),
        )
        .await
        .body,
    )
    .unwrap();
    assert_ne!(second["html"], embed["html"]);
    assert!(second["html"].as_str().unwrap().contains(&other));
}

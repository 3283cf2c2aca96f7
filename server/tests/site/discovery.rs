//! Finding things on the site: every filter combination on the list page,
//! search hits and misses, summit pages, deadlines and the meta tags shared
//! links show — checked against the shipped seed file, not against the
//! database the pages read.

use crate::support;
use crate::support::{both_engines, get_page as get, on_engine, seeded_overall, seeded_status, unescape};

use axum::http::StatusCode;
use axum::Router;
use domain::{Dataset, PartyCode, Status, Theme};
use std::collections::BTreeSet;

use support::PUBLIC_URL;

async fn app(db: store::Db) -> Router {
    support::seeded_site_of(db).await
}

fn shipped() -> Dataset {
    support::shipped()
}

/// The commitment cards on a list page, by slug.
fn listed(html: &str) -> BTreeSet<String> {
    support::listed_in_order(html).into_iter().collect()
}

/// The content of `<meta name|property="key" content="…">`.
fn meta(html: &str, key: &str) -> Option<String> {
    for attr in ["name", "property"] {
        let needle = format!(r#"{attr}="{key}" content=""#);
        if let Some(at) = html.find(&needle) {
            let rest = &html[at + needle.len()..];
            return Some(unescape(&rest[..rest.find('"').unwrap()]));
        }
    }
    None
}

/// The `href` of the page's canonical link.
fn canonical(html: &str) -> Option<String> {
    html.match_indices("<link ").find_map(|(start, _)| {
        let tag = &html[start..start + html[start..].find('>')?];
        if !tag.contains(r#"rel="canonical""#) {
            return None;
        }
        let at = tag.find(r#"href=""#)? + 6;
        Some(unescape(&tag[at..at + tag[at..].find('"')?]))
    })
}

/// Records `status` for `party` (every owing party when `None`) of the
/// commitment `slug` through the write path, and in `data` as the seed file
/// would say it, so the expected lists follow the database.
async fn rate(db: &store::Db, data: &mut Dataset, slug: &str, party: Option<&str>, status: Status) {
    let slug = domain::Slug::parse(slug).unwrap();
    let record = store::commitments::find_commitment_by_slug(db, &slug)
        .await
        .unwrap()
        .unwrap();
    let id = match store::users::create_user(
        db,
        "rater",
        domain::Role::Editor,
        "a long enough password",
        chrono::Utc::now(),
    )
    .await
    {
        Ok(id) => id,
        Err(_) => on_engine!(db, |pool| sqlx::query_scalar(
            "SELECT id FROM users WHERE name = 'rater'"
        )
        .fetch_one(pool)
        .await
        .unwrap()),
    };
    let editor = domain::CurrentUser {
        id,
        name: "rater".into(),
        role: domain::Role::Editor,
    };
    let effective_on = data.summit.held_on + chrono::Days::new(10);
    let change = domain::StatusChange {
        parties: match party {
            Some(code) => domain::PartyChoice::One(PartyCode::parse(code).unwrap()),
            None => domain::PartyChoice::AllOwing,
        },
        status,
        effective_on,
        note: "Rated by the test.".into(),
        source_ids: vec![record.sources[0].id],
        new_source: None,
        expected_version: record.version,
    };
    store::editing::record_status_change(db, &slug, &change, &editor, chrono::Utc::now())
        .await
        .unwrap();
    let commitment = data.commitments.iter_mut().find(|c| c.slug == slug).unwrap();
    let owing: Vec<PartyCode> = commitment.owed_by.clone();
    for code in owing.iter().filter(|code| party.is_none_or(|p| code.as_str() == p)) {
        commitment.status.push(domain::SeedStatus {
            party: code.clone(),
            status,
            effective_on,
            note: "Rated by the test.".into(),
            sources: Vec::new(),
        });
    }
}

both_engines!(every_filter_combination_lists_exactly_the_matching_commitments);
async fn every_filter_combination_lists_exactly_the_matching_commitments(db: store::Db) {
    let mut data = shipped();
    // The site is shown on the day after the first shipped due date, so the
    // overdue filter has something to find whatever day the test runs.
    let today = data
        .commitments
        .iter()
        .filter_map(|c| c.due_on)
        .min()
        .unwrap_or(data.summit.held_on)
        + chrono::Days::new(1);
    let app = support::seeded_site_on_of(db.clone(), today, server::Limits::default()).await;
    // Statuses of every kind, made here rather than taken from the seed's
    // ratings: one party's, both parties', and on commitments with and
    // without a due date, so each filter has something to find and to miss.
    let bilateral: Vec<String> = data
        .commitments
        .iter()
        .filter(|c| c.owed_by.len() == 2)
        .map(|c| c.slug.to_string())
        .collect();
    let due = data
        .commitments
        .iter()
        .find(|c| c.due_on.is_some())
        .map(|c| c.slug.to_string())
        .unwrap();
    rate(&db, &mut data, &bilateral[0], Some("cn"), Status::InProgress).await;
    rate(&db, &mut data, &bilateral[1], None, Status::Fulfilled).await;
    rate(&db, &mut data, &bilateral[2], Some("kr"), Status::Stalled).await;
    rate(&db, &mut data, &bilateral[3], Some("kr"), Status::PartlyFulfilled).await;
    rate(&db, &mut data, &due, None, Status::InProgress).await;
    let statuses: Vec<Option<Status>> = std::iter::once(None).chain(Status::ALL.map(Some)).collect();
    let themes: Vec<Option<Theme>> = std::iter::once(None)
        .chain(Theme::ALL.iter().copied().map(Some))
        .collect();
    let parties = [None, Some("cn"), Some("kr")];
    let mut checked = 0;
    let mut non_empty = 0;
    for status in &statuses {
        for party in parties {
            for theme in &themes {
                for overdue in [false, true] {
                    let mut query = Vec::new();
                    if let Some(s) = status {
                        query.push(format!("status={}", s.code()));
                    }
                    if let Some(p) = party {
                        query.push(format!("party={p}"));
                    }
                    if let Some(t) = theme {
                        query.push(format!("theme={}", t.code()));
                    }
                    if overdue {
                        query.push("overdue=1".to_owned());
                    }
                    let path = format!("/?{}", query.join("&"));
                    let expected: BTreeSet<String> = data
                        .commitments
                        .iter()
                        .filter(|c| {
                            let slug = c.slug.as_str();
                            let party_ok = party.is_none_or(|p| c.owed_by.contains(&PartyCode::parse(p).unwrap()));
                            let status_ok = match (status, party) {
                                (None, _) => true,
                                (Some(s), Some(p)) => seeded_status(&data, slug, p) == Some(*s),
                                (Some(s), None) => seeded_overall(&data, slug) == *s,
                            };
                            let theme_ok = theme.is_none_or(|t| c.theme == t);
                            let overdue_ok = !overdue
                                || (c.due_on.is_some_and(|due| due < today)
                                    && seeded_overall(&data, slug) != Status::Fulfilled);
                            party_ok && status_ok && theme_ok && overdue_ok
                        })
                        .map(|c| c.slug.to_string())
                        .collect();
                    let (code, html) = get(&app, &path).await;
                    assert_eq!(code, StatusCode::OK, "{path}");
                    assert_eq!(listed(&html), expected, "{path}");
                    assert!(
                        html.contains(&format!("({})</h2>", expected.len())),
                        "{path}: the heading gives the count"
                    );
                    if expected.is_empty() {
                        assert!(html.contains("No commitments match these filters."), "{path}");
                    } else {
                        non_empty += 1;
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 7 * 3 * 6 * 2);
    assert!(non_empty > 20, "the combinations exercise real matches ({non_empty})");
}

both_engines!(search_hits_and_misses);
async fn search_hits_and_misses(db: store::Db) {
    let app = app(db).await;
    let (_, html) = get(&app, "/?q=telecom+fraud").await;
    let hits = listed(&html);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|slug| {
        let data = shipped();
        let c = data.commitments.iter().find(|c| c.slug.as_str() == slug).unwrap();
        let quotes: String = data
            .sources
            .iter()
            .filter(|s| c.sources.contains(&s.key) || c.status.iter().any(|st| st.sources.contains(&s.key)))
            .map(|s| s.quote.to_lowercase())
            .collect();
        let text = format!("{} {} {quotes}", c.title, c.summary).to_lowercase();
        text.contains("telecom") && text.contains("fraud")
    }));
    let (_, html) = get(&app, "/?q=APEC").await;
    assert!(listed(&html).iter().any(|s| s.contains("apec")));
    let (code, html) = get(&app, "/?q=zzyzx+quokka").await;
    assert_eq!(code, StatusCode::OK);
    assert!(listed(&html).is_empty());
    assert!(html.contains("No commitments match these filters."));
    // Query syntax characters are only text.
    let (code, html) = get(&app, "/?q=%22fraud%22+OR+*").await;
    assert_eq!(code, StatusCode::OK);
    assert!(listed(&html).is_empty(), "every word must match, OR included");
    // The search text is put back in the field and into the title, escaped.
    let (_, html) = get(&app, "/?q=%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!html.contains("<script>alert(1)"), "no markup from the query");
    assert!(!html.contains("</title><script>"));
    assert!(html.contains("&lt;script&gt;alert(1)"));
}

both_engines!(bad_filter_values_get_a_message_next_to_the_field);
async fn bad_filter_values_get_a_message_next_to_the_field(db: store::Db) {
    let app = app(db).await;
    let (code, html) = get(&app, "/?status=broken&theme=security").await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    assert!(unescape(&html).contains("“broken” is not a status."));
    assert!(html.contains(r#"id="filter-status-error""#));
    // The good filter still applies.
    let data = shipped();
    let security: BTreeSet<String> = data
        .commitments
        .iter()
        .filter(|c| c.theme == Theme::Security)
        .map(|c| c.slug.to_string())
        .collect();
    assert_eq!(listed(&html), security);
    for path in [
        "/?page=0",
        "/?sort=random",
        "/?party=korea",
        &format!("/?q={}", "a".repeat(201)),
    ] {
        let (code, _) = get(&app, path).await;
        assert_eq!(code, StatusCode::BAD_REQUEST, "{path}");
    }
}

both_engines!(filtered_views_have_their_own_title_description_and_canonical_link);
async fn filtered_views_have_their_own_title_description_and_canonical_link(db: store::Db) {
    let app = app(db).await;
    let (_, html) = get(&app, "/?party=kr&status=in_progress&q=apec").await;
    let title = html[html.find("<title>").unwrap() + 7..html.find("</title>").unwrap()].to_owned();
    assert_eq!(
        unescape(&title),
        "In progress commitments (status of South Korea) matching “apec” · Accord"
    );
    let description = meta(&html, "description").unwrap();
    assert!(description.starts_with("In progress commitments (status of South Korea) matching “apec”"));
    assert_eq!(
        canonical(&html),
        Some(format!("{PUBLIC_URL}?status=in_progress&party=kr&q=apec"))
    );
    assert_eq!(meta(&html, "og:title").as_deref(), Some(unescape(&title).as_str()));
    assert!(html.contains(r#"type="application/atom+xml""#));
    // The CSV and JSON links carry the same filters.
    assert!(html.contains("/export/commitments.csv?status=in_progress&amp;party=kr&amp;q=apec"));
    assert!(html.contains("/api/v1/commitments?status=in_progress&amp;party=kr&amp;q=apec"));
}

both_engines!(summits_pages_list_and_filter_by_summit);
async fn summits_pages_list_and_filter_by_summit(db: store::Db) {
    let app = app(db).await;
    let data = shipped();
    let (code, html) = get(&app, "/summits").await;
    assert_eq!(code, StatusCode::OK);
    assert!(unescape(&html).contains(&data.summit.title));
    assert!(html.contains(&format!("href=\"/summits/{}\"", data.summit.slug)));
    assert!(html.contains(&format!("{} commitments:", data.commitments.len())));

    let path = format!("/summits/{}", data.summit.slug);
    let (code, html) = get(&app, &path).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(listed(&html).len(), data.commitments.len());
    assert!(unescape(&html).contains(&data.summit.summary));
    assert_eq!(
        canonical(&html),
        Some(format!("{PUBLIC_URL}summits/{}", data.summit.slug))
    );
    assert!(
        !html.contains(r#"name="summit""#),
        "no summit choice on a summit's page"
    );
    let (_, filtered) = get(&app, &format!("{path}?theme=economy")).await;
    let economy: BTreeSet<String> = data
        .commitments
        .iter()
        .filter(|c| c.theme == Theme::Economy)
        .map(|c| c.slug.to_string())
        .collect();
    assert_eq!(listed(&filtered), economy);

    for missing in ["/summits/no-such-summit", "/summits/..%2F..%2Fetc"] {
        let (code, html) = get(&app, missing).await;
        assert_eq!(code, StatusCode::NOT_FOUND, "{missing}");
        assert!(html.contains("not found"), "{missing}");
    }
}

both_engines!(overdue_items_are_flagged_and_filterable);
async fn overdue_items_are_flagged_and_filterable(db: store::Db) {
    let data = shipped();
    // The days the site is shown on are chosen from the data, never read
    // from the machine's clock: the first day any shipped due date falls
    // on (nothing can be overdue yet), and the day after it.
    let first_due = data
        .commitments
        .iter()
        .filter_map(|c| c.due_on)
        .min()
        .unwrap_or(data.summit.held_on + chrono::Days::new(365));
    let day_after = first_due + chrono::Days::new(1);
    // The due date is changed behind the application's back (plain SQL), so
    // the page cache, which only learns of writes made through the site,
    // is turned off here.
    let no_cache = server::Limits {
        page_cache_ttl: None,
        ..server::Limits::default()
    };
    let on_first_due = support::seeded_site_on_of(db.clone(), first_due, no_cache).await;
    let (_, html) = get(&on_first_due, "/?overdue=1").await;
    assert!(listed(&html).is_empty(), "nothing is overdue on the first due date");

    // An undated, unfulfilled commitment given a due date the day before.
    let target = data
        .commitments
        .iter()
        .find(|c| c.due_on.is_none() && seeded_overall(&data, c.slug.as_str()) != Status::Fulfilled)
        .unwrap();
    let yesterday = first_due - chrono::Days::new(1);
    on_engine!(db, |pool| sqlx::query(
        "UPDATE commitments SET due_on = $1, due_basis = 'explicit', due_note = 'Stated' WHERE slug = $2"
    )
    .bind(yesterday.to_string())
    .bind(target.slug.as_str())
    .execute(pool)
    .await
    .unwrap()
    .rows_affected());
    let (_, html) = get(&on_first_due, "/?overdue=1").await;
    assert_eq!(listed(&html), BTreeSet::from([target.slug.to_string()]));
    assert!(html.contains("overdue-flag"));
    let (_, page) = get(&on_first_due, &format!("/commitments/{}", target.slug)).await;
    assert!(page.contains("overdue-flag"), "the item page flags it too");
    assert!(page.contains("past the due date"), "the elapsed bar says so");
    assert!(page.contains("<progress"));
    // A commitment due that very day (another undated one, given that
    // date) shows the elapsed time but no flag.
    let due_today = data
        .commitments
        .iter()
        .find(|c| c.due_on.is_none() && c.slug != target.slug)
        .expect("a second undated commitment");
    on_engine!(db, |pool| sqlx::query(
        "UPDATE commitments SET due_on = $1, due_basis = 'explicit', due_note = 'Stated' WHERE slug = $2"
    )
    .bind(first_due.to_string())
    .bind(due_today.slug.as_str())
    .execute(pool)
    .await
    .unwrap()
    .rows_affected());
    let (_, page) = get(&on_first_due, &format!("/commitments/{}", due_today.slug)).await;
    assert!(page.contains("<progress"));
    assert!(!page.contains("overdue-flag"), "due today is not yet overdue");

    // The day after, the site's clock (not the machine's) makes every
    // unfulfilled commitment due on the first due date overdue as well.
    let on_day_after = support::site_of(db.clone(), day_after, no_cache);
    let mut expected: BTreeSet<String> = data
        .commitments
        .iter()
        .filter(|c| c.due_on == Some(first_due) && seeded_overall(&data, c.slug.as_str()) != Status::Fulfilled)
        .map(|c| c.slug.to_string())
        .collect();
    expected.insert(target.slug.to_string());
    if seeded_overall(&data, due_today.slug.as_str()) != Status::Fulfilled {
        expected.insert(due_today.slug.to_string());
    }
    let (_, html) = get(&on_day_after, "/?overdue=1").await;
    assert_eq!(listed(&html), expected);
    let (_, csv) = get(&on_day_after, "/export/commitments.csv?overdue=1").await;
    let exported = csv.matches(&format!("{PUBLIC_URL}commitments/")).count();
    assert_eq!(exported, expected.len(), "the export follows the same clock");
}

both_engines!(item_pages_offer_a_card_badge_feed_and_update_links);
async fn item_pages_offer_a_card_badge_feed_and_update_links(db: store::Db) {
    let app = app(db).await;
    let data = shipped();
    let slug = &data.commitments[0].slug;
    let (_, html) = get(&app, &format!("/commitments/{slug}")).await;
    let page_url = format!("{PUBLIC_URL}commitments/{slug}");
    assert_eq!(meta(&html, "og:image"), Some(format!("{page_url}/card.png")));
    assert_eq!(meta(&html, "og:image:width").as_deref(), Some("1200"));
    assert_eq!(meta(&html, "twitter:card").as_deref(), Some("summary_large_image"));
    assert_eq!(meta(&html, "twitter:image"), Some(format!("{page_url}/card.png")));
    assert!(html.contains(&format!(r#"href="/commitments/{slug}/feed.atom""#)));
    assert!(html.contains(&format!(r#"src="{page_url}/badge.svg""#)));
    assert!(unescape(&html).contains(&format!(r#"<a href="{page_url}"><img src="{page_url}/badge.svg""#)));
    let anchors = html.matches(&format!(r#"href="{page_url}#update-"#)).count();
    assert!(anchors >= 1, "each timeline entry links to itself");
    assert_eq!(anchors, html.matches(r#"class="timeline-entry""#).count());
}

both_engines!(the_list_server_function_answers_client_side_navigation);
async fn the_list_server_function_answers_client_side_navigation(db: store::Db) {
    let app = app(db).await;
    let (code, body) = get(&app, "/api/list_commitments?query=theme%3Dsecurity&path=%2F").await;
    assert_eq!(code, StatusCode::OK);
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    let data = shipped();
    let security = data.commitments.iter().filter(|c| c.theme == Theme::Security).count();
    assert_eq!(page["total"], security);
    assert_eq!(page["items"].as_array().unwrap().len(), security);
}

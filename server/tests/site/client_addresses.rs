//! The client's address behind a reverse proxy (issue 15, point 5): the
//! sign-in limit counts failures under the address `server::client_address`
//! resolved, which believes X-Forwarded-For only from a trusted proxy.

use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use server::client_address::TrustedProxies;

use crate::support::{self, both_engines, on_engine, respond, TestSite, SITE};

/// The site with `trusted` as its trusted proxies.
fn behind(site: &TestSite, trusted: &str) -> Router {
    let mut state = support::state_of(site.db.clone(), &format!("{SITE}/"), "target/site");
    state.trusted_proxies = TrustedProxies::parse(trusted).unwrap();
    server::router(state)
}

/// A wrong-password sign-in from the TCP peer `peer`, carrying `forwarded`
/// as its X-Forwarded-For (if any).
fn wrong_guess(site: &TestSite, peer: &str, forwarded: Option<&str>) -> Request<Body> {
    let mut request = site.form_request("/api/login", &[("name", "bob"), ("password", "a wrong guess")], None);
    request
        .headers_mut()
        .insert(header::ACCEPT, "application/json".parse().unwrap());
    if let Some(forwarded) = forwarded {
        request
            .headers_mut()
            .insert("x-forwarded-for", forwarded.parse().unwrap());
    }
    let peer: IpAddr = peer.parse().unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::new(peer, 40_000)));
    request
}

/// The addresses failures were counted under, in order.
async fn counted_under(site: &TestSite) -> Vec<String> {
    on_engine!(site.db, |pool| sqlx::query_scalar(
        "SELECT address FROM failed_logins ORDER BY id"
    )
    .fetch_all(pool)
    .await
    .unwrap())
}

both_engines!(a_forged_forwarded_for_from_an_untrusted_peer_is_ignored);
async fn a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(db: store::Db) {
    let site = TestSite::of(db).await;
    // The default: no proxy is trusted; each guess claims another address.
    let app = behind(&site, "");
    for n in 0..5 {
        let forged = format!("198.51.100.{n}");
        let answer = respond(&app, wrong_guess(&site, "203.0.113.9", Some(&forged))).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
    }
    assert_eq!(counted_under(&site).await, vec!["203.0.113.9"; 5]);
    let answer = respond(&app, wrong_guess(&site, "203.0.113.9", Some("198.51.100.99"))).await;
    assert_eq!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the peer's limit, whatever it claims"
    );
    // A peer that is not the trusted proxy is not believed either.
    let app = behind(&site, "127.0.0.1");
    let answer = respond(&app, wrong_guess(&site, "203.0.113.9", Some("198.51.100.98"))).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
}

both_engines!(the_trusted_proxys_forwarded_for_is_believed_from_the_right);
async fn the_trusted_proxys_forwarded_for_is_believed_from_the_right(db: store::Db) {
    let site = TestSite::of(db).await;
    let app = behind(&site, "127.0.0.1, 10.0.0.0/8");
    // nginx at 127.0.0.1 appends the address it saw; the client forged the
    // entries left of it, a different one each time.
    for n in 0..5 {
        let chain = format!("192.0.2.{n}, 203.0.113.7");
        let answer = respond(&app, wrong_guess(&site, "127.0.0.1", Some(&chain))).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
    }
    assert_eq!(
        counted_under(&site).await,
        vec!["203.0.113.7"; 5],
        "the rightmost untrusted hop"
    );
    let answer = respond(&app, wrong_guess(&site, "127.0.0.1", Some("192.0.2.77, 203.0.113.7"))).await;
    assert_eq!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a forged leftmost entry changes nothing"
    );
    // Another client behind the same proxy (through a second trusted hop)
    // is its own client, not held up by the first.
    let answer = respond(&app, wrong_guess(&site, "127.0.0.1", Some("203.0.113.8, 10.1.2.3"))).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
    assert_eq!(counted_under(&site).await.last().unwrap(), "203.0.113.8");
}

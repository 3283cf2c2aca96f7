//! A form's refusal reaches the page only from the same browser's own post.
//!
//! Without JavaScript, a Leptos server function that fails answers a 303 to
//! the form's page with `__path=<action>&__err=<the error, base64 JSON>` in
//! the query, and the page shows that error and the field values it
//! carries. Anyone could write such a link: a message of their choosing on
//! our domain, fields filled in for the victim. So the error never travels
//! in the URL:
//!
//! - a POST under `/api/` answered with a redirect whose `Location` holds
//!   `__err` has `__path` and `__err` taken out of the `Location` and put in
//!   a short-lived cookie, `accord_flash`, signed (HMAC-SHA-256 with a key
//!   drawn when the router is built) and bound to the page it returns to;
//! - every GET (and HEAD) has `__err` and `__path` removed from its query,
//!   so a crafted link shows nothing; when it carries a flash cookie with a
//!   good signature for this very page, the two are put back into the URI,
//!   where Leptos reads them, and the answer clears the cookie (the message
//!   is shown once) and is `Cache-Control: no-store`.
//!
//! This layer is the outermost, outside the page cache: the cache never
//! sees a crafted `__err`, and skips the requests this layer gives one.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use http::header::{self, HeaderValue};
use http::{Method, Uri};
use sha2::Sha256;
use url::Url;

/// The cookie a refusal travels in, from the post to the page.
pub const FLASH_COOKIE: &str = "accord_flash";

/// The query parameters Leptos carries a no-JavaScript form's error in.
const CARRIED: [&str; 2] = ["__path", "__err"];

/// Seconds the browser keeps a flash: the redirect is followed at once.
const FLASH_MAX_AGE_SECS: u32 = 60;

/// The router's flash key and cookie settings; one per router.
#[derive(Clone)]
pub struct Flash {
    key: Arc<[u8; 32]>,
    secure: bool,
}

impl Flash {
    /// A new random key: flashes signed before a restart are worthless
    /// after it, which costs at most one message shown.
    pub fn new(secure: bool) -> Flash {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).expect("the operating system's random source");
        Flash {
            key: Arc::new(key),
            secure,
        }
    }

    fn tag(&self, page: &str, carried: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key[..]).expect("HMAC takes any key length");
        mac.update(page.as_bytes());
        mac.update(b"\n");
        mac.update(carried.as_bytes());
        mac
    }

    /// The cookie value: the page, the carried query and their signature,
    /// each base64url, joined by dots.
    fn seal(&self, page: &str, carried: &str) -> String {
        let tag = self.tag(page, carried).finalize().into_bytes();
        format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(page),
            URL_SAFE_NO_PAD.encode(carried),
            URL_SAFE_NO_PAD.encode(tag)
        )
    }

    /// The carried query of a flash cookie, if it is ours and for `page`.
    fn open(&self, value: &str, page: &str) -> Option<String> {
        let mut parts = value.split('.');
        let (sealed_page, carried, tag) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let sealed_page = String::from_utf8(URL_SAFE_NO_PAD.decode(sealed_page).ok()?).ok()?;
        let carried = String::from_utf8(URL_SAFE_NO_PAD.decode(carried).ok()?).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        self.tag(&sealed_page, &carried).verify_slice(&tag).ok()?;
        (sealed_page == page).then_some(carried)
    }

    fn cookie(&self, value: &str, max_age: u32) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{FLASH_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
        ))
        .expect("base64url and fixed text make a valid header")
    }
}

/// A URL as this layer compares and rebuilds it: relative ones resolved
/// against a placeholder origin, so a page's path is written one way.
fn parse(target: &str) -> Option<Url> {
    Url::parse("http://flash.invalid/").ok()?.join(target).ok()
}

/// The query without the carried parameters, and those parameters alone.
fn split_query(url: &Url) -> (Vec<(String, String)>, Vec<(String, String)>) {
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .partition(|(k, _)| !CARRIED.contains(&k.as_str()))
}

fn encode(pairs: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The layer: see the module's documentation.
pub async fn carry_form_errors_in_a_cookie(State(flash): State<Flash>, mut request: Request, next: Next) -> Response {
    let method = request.method().clone();
    if method == Method::GET || method == Method::HEAD {
        let shown = put_back_flash(&flash, &mut request);
        let mut response = next.run(request).await;
        if shown {
            let headers = response.headers_mut();
            headers.append(header::SET_COOKIE, flash.cookie("", 0));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        return response;
    }
    let is_form_post = method == Method::POST
        && domain::Locale::split_path(request.uri().path()).1.starts_with("/api/");
    let mut response = next.run(request).await;
    if is_form_post && response.status().is_redirection() {
        take_error_out_of_location(&flash, &mut response);
    }
    response
}

/// Removes `__err`/`__path` from a GET's query and, when the request
/// carries a good flash for its page, puts the flash's back. Returns
/// whether it did.
fn put_back_flash(flash: &Flash, request: &mut Request) -> bool {
    let Some(url) = parse(&request.uri().to_string()) else {
        return false;
    };
    let (kept, crafted) = split_query(&url);
    let carried = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(tower_sessions::cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .filter(|c| c.name() == FLASH_COOKIE)
        .find_map(|c| flash.open(c.value(), url.path()));
    if crafted.is_empty() && carried.is_none() {
        return false;
    }
    let mut query = encode(&kept);
    if let Some(carried) = &carried {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(carried);
    }
    let rebuilt = if query.is_empty() {
        url.path().to_owned()
    } else {
        format!("{}?{query}", url.path())
    };
    if let Ok(uri) = rebuilt.parse::<Uri>() {
        *request.uri_mut() = uri;
    }
    carried.is_some()
}

/// Moves `__path`/`__err` from a redirect's `Location` into a flash cookie
/// bound to the page the redirect goes to.
fn take_error_out_of_location(flash: &Flash, response: &mut Response) {
    let Some(location) = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()) else {
        return;
    };
    let absolute = Url::parse(location).is_ok();
    let Some(mut url) = parse(location) else { return };
    let (kept, carried) = split_query(&url);
    if !carried.iter().any(|(k, _)| k == "__err") {
        return;
    }
    let sealed = flash.seal(url.path(), &encode(&carried));
    let query = encode(&kept);
    url.set_query((!query.is_empty()).then_some(query.as_str()));
    let cleaned = if absolute {
        url.to_string()
    } else {
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    };
    let headers = response.headers_mut();
    match HeaderValue::from_str(&cleaned) {
        Ok(value) => headers.insert(header::LOCATION, value),
        Err(_) => return,
    };
    headers.append(header::SET_COOKIE, flash.cookie(&sealed, FLASH_MAX_AGE_SECS));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flash_opens_only_with_its_key_and_for_its_page() {
        let flash = Flash::new(false);
        let sealed = flash.seal("/login", "__path=%2Fapi%2Flogin&__err=e30");
        assert_eq!(flash.open(&sealed, "/login").as_deref(), Some("__path=%2Fapi%2Flogin&__err=e30"));
        assert_eq!(flash.open(&sealed, "/review"), None, "another page");
        assert_eq!(Flash::new(false).open(&sealed, "/login"), None, "another key");
        let mut parts: Vec<&str> = sealed.split('.').collect();
        let other = URL_SAFE_NO_PAD.encode("__err=e30");
        parts[1] = &other;
        assert_eq!(flash.open(&parts.join("."), "/login"), None, "another error, same signature");
        for junk in ["", "a.b", "a.b.c.d", "!!.!!.!!"] {
            assert_eq!(flash.open(junk, "/login"), None, "{junk}");
        }
    }
}

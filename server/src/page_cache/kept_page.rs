//! A kept page: fixed bytes with a hash CSP, an `ETag`, and its compressed
//! forms made once.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use base64::Engine;
use bytes::BytesMut;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use super::{PAGE_CACHE_CONTROL, PAGE_VARY};
use store::Shows;

/// The ways a kept page can be sent, best first when a reader accepts
/// several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    pub(super) fn header(self) -> Option<HeaderValue> {
        match self {
            Encoding::Brotli => Some(HeaderValue::from_static("br")),
            Encoding::Gzip => Some(HeaderValue::from_static("gzip")),
            Encoding::Identity => None,
        }
    }

    /// The best encoding the request's `Accept-Encoding` allows.
    pub(super) fn preferred(headers: &HeaderMap) -> Encoding {
        let mut gzip = false;
        let mut brotli = false;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim();
                // `q=0` means "not this one"; any other weight is a yes.
                let refused = parts.any(|p| {
                    let p = p.trim();
                    p.strip_prefix("q=")
                        .or_else(|| p.strip_prefix("Q="))
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                if name.eq_ignore_ascii_case("br") {
                    brotli = true;
                } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                    gzip = true;
                }
            }
        }
        if brotli {
            Encoding::Brotli
        } else if gzip {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }
}

pub(super) struct CachedPage {
    /// The store's step read before the page was rendered (see
    /// `store::data_changes`).
    pub(super) rendered_at: u64,
    /// What the page shows: the writes that make it stale.
    pub(super) shows: Shows,
    pub(super) stored_at: Instant,
    /// Whether a reader was served this copy: only such pages are rendered
    /// again before a write that changes them is acknowledged (see
    /// `PageCache::refresh`); a page nobody read since it was kept waits
    /// for its next reader.
    pub(super) served: AtomicBool,
    /// The response's headers with the hash CSP, `ETag`, `Cache-Control`
    /// and `Vary`, as sent with the identity body.
    pub(super) headers: HeaderMap,
    /// The fixed page.
    pub(super) body: Bytes,
    /// A strong validator of the page's bytes, without quotes.
    tag: String,
    /// The page compressed, made by the first reader who asks for it.
    gzip: OnceLock<Option<Bytes>>,
    brotli: OnceLock<Option<Bytes>>,
}

/// The nonce a page's CSP allows scripts by, if any.
pub(super) fn policy_nonce(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let end = start + policy[start..].find('\'')?;
    (end > start).then(|| &policy[start..end])
}

/// `'sha256-…'` sources for the text of every inline `<script>` that
/// carries `nonce` (Accord's own: the nonce is made for this one response,
/// so nothing a person typed into the page can carry it), in order and
/// without repeats. Any other `<script>` in the HTML gets no hash, so it
/// stays as blocked as the nonce policy left it. `None` when such a script
/// is not closed (never the case in a page Leptos rendered whole).
pub(super) fn inline_script_hashes(html: &[u8], nonce: &str) -> Option<Vec<String>> {
    let attribute = format!(" nonce=\"{nonce}\"");
    let marks = memchr::memmem::Finder::new(attribute.as_bytes());
    let closer = memchr::memmem::Finder::new(b"</script>");
    let mut hashes: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(found) = marks.find(&html[at..]) {
        let mark = at + found;
        at = mark + attribute.len();
        // The tag that carries the nonce: from the `<` before it to the
        // `>` after it (neither occurs inside Leptos's own script tags).
        let tag_start = memchr::memrchr(b'<', &html[..mark])?;
        let tag_end = at + memchr::memchr(b'>', &html[at..])?;
        let tag = &html[tag_start..tag_end];
        let is_script = tag.len() > 7 && tag[..7].eq_ignore_ascii_case(b"<script") && tag[7].is_ascii_whitespace();
        // Scripts loaded from a URL are allowed by 'self', not by a hash.
        if !is_script || memchr::memmem::find(tag, b" src=").is_some() {
            continue;
        }
        let text_start = tag_end + 1;
        let text_end = text_start + closer.find(&html[text_start..])?;
        let digest = Sha256::digest(&html[text_start..text_end]);
        let source = format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest));
        if !hashes.contains(&source) {
            hashes.push(source);
        }
        at = text_end + "</script>".len();
    }
    Some(hashes)
}

/// `bytes` with every `from` replaced by `to`.
pub(super) fn replace_all(bytes: &Bytes, from: &[u8], to: &[u8]) -> Bytes {
    let mut out = BytesMut::with_capacity(bytes.len());
    let mut rest = &bytes[..];
    while let Some(found) = memchr::memmem::find(rest, from) {
        out.extend_from_slice(&rest[..found]);
        out.extend_from_slice(to);
        rest = &rest[found + from.len()..];
    }
    out.extend_from_slice(rest);
    out.freeze()
}

impl CachedPage {
    /// The page as it will be kept, or `None` when it cannot be made into
    /// fixed bytes (it is then sent as rendered and not kept).
    pub(super) fn new(rendered_at: u64, shows: Shows, mut headers: HeaderMap, body: Bytes) -> Option<CachedPage> {
        headers.remove(header::CONTENT_LENGTH);
        headers.remove(header::CONTENT_ENCODING);
        let policy = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = match policy.as_deref().and_then(policy_nonce) {
            Some(nonce) => {
                let policy = policy.as_deref().unwrap_or_default();
                // Leptos writes the nonce as `nonce` attributes of scripts,
                // and also as the `crossorigin` value of its preload links
                // (an invalid value, which browsers read as "anonymous").
                // A 128-bit random value occurs nowhere else by chance; if
                // it does, the page is not kept.
                // Hashes are taken while the nonce still marks which
                // scripts are Accord's.
                let hashes = inline_script_hashes(&body, nonce)?.join(" ");
                let mut fixed = body.clone();
                for (attribute, replacement) in [
                    (format!(" nonce=\"{nonce}\""), ""),
                    (format!(" crossorigin=\"{nonce}\""), " crossorigin=\"anonymous\""),
                ] {
                    fixed = replace_all(&fixed, attribute.as_bytes(), replacement.as_bytes());
                }
                if memchr::memmem::find(&fixed, nonce.as_bytes()).is_some() {
                    return None;
                }
                let token = format!("'nonce-{nonce}'");
                let policy = policy.replace(&token, &hashes).replace("  ", " ");
                headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(&policy).ok()?);
                fixed
            }
            None => body,
        };
        let digest = Sha256::digest(&body);
        let tag: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        headers.insert(header::ETAG, HeaderValue::from_str(&format!("\"{tag}\"")).ok()?);
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PAGE_CACHE_CONTROL));
        headers.insert(header::VARY, HeaderValue::from_static(PAGE_VARY));
        Some(CachedPage {
            rendered_at,
            shows,
            stored_at: Instant::now(),
            served: AtomicBool::new(false),
            headers,
            body,
            tag,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        })
    }

    /// Notes that a reader was served this copy (a load, and a store only
    /// the first time, so that readers of a popular page on several cores
    /// do not write one cache line on every request).
    pub(super) fn note_served(&self) {
        if !self.served.load(Ordering::Relaxed) {
            self.served.store(true, Ordering::Relaxed);
        }
    }

    pub(super) fn size(&self) -> usize {
        self.body.len()
    }

    /// The entity tag of the page sent in `encoding` (each encoding is a
    /// representation of its own, so each has its own tag).
    pub(super) fn entity_tag(&self, encoding: Encoding) -> String {
        match encoding {
            Encoding::Identity => format!("\"{}\"", self.tag),
            Encoding::Gzip => format!("\"{}-gzip\"", self.tag),
            Encoding::Brotli => format!("\"{}-br\"", self.tag),
        }
    }

    /// The body in `encoding`, compressed on first use; `None` if that
    /// failed (the identity body is sent instead).
    pub(super) fn encoded(&self, encoding: Encoding) -> Option<Bytes> {
        let compress = |encoding| -> Option<Bytes> {
            let mut out = Vec::with_capacity(self.body.len() / 4);
            match encoding {
                Encoding::Gzip => {
                    let mut encoder = flate2::write::GzEncoder::new(&mut out, flate2::Compression::new(9));
                    encoder.write_all(&self.body).ok()?;
                    encoder.finish().ok()?;
                }
                Encoding::Brotli => {
                    let mut encoder = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
                    encoder.write_all(&self.body).ok()?;
                    encoder.flush().ok()?;
                    drop(encoder);
                }
                Encoding::Identity => return Some(self.body.clone()),
            }
            Some(Bytes::from(out))
        };
        match encoding {
            Encoding::Identity => Some(self.body.clone()),
            Encoding::Gzip => self.gzip.get_or_init(|| compress(Encoding::Gzip)).clone(),
            Encoding::Brotli => self.brotli.get_or_init(|| compress(Encoding::Brotli)).clone(),
        }
    }

    /// The response to a request with these headers: `304` when the reader
    /// already has this version, otherwise the page in the best encoding
    /// the reader accepts.
    pub(super) fn response(&self, request: &HeaderMap) -> Response {
        let mut encoding = Encoding::preferred(request);
        let body = match self.encoded(encoding) {
            Some(body) => body,
            None => {
                encoding = Encoding::Identity;
                self.body.clone()
            }
        };
        // The tag is spelt out only when it is needed (a revalidation, or a
        // compressed body's own tag): the identity tag is already in the
        // kept headers, and most readers send neither.
        let tag = request
            .contains_key(header::IF_NONE_MATCH)
            .then(|| self.entity_tag(encoding));
        if let Some(tag) = tag.filter(|tag| if_none_match(request, tag)) {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            let headers = response.headers_mut();
            // What a 200 would have carried that describes the page (RFC
            // 9110 15.4.5); not the CSP, so the reader's stored copy keeps
            // the policy it came with.
            for name in [header::CACHE_CONTROL, header::VARY] {
                if let Some(value) = self.headers.get(&name) {
                    headers.insert(name, value.clone());
                }
            }
            if let Ok(tag) = HeaderValue::from_str(&tag) {
                headers.insert(header::ETAG, tag);
            }
            return response;
        }
        let mut headers = self.headers.clone();
        if let Some(value) = encoding.header() {
            headers.insert(header::CONTENT_ENCODING, value);
            if let Ok(tag) = HeaderValue::from_str(&self.entity_tag(encoding)) {
                headers.insert(header::ETAG, tag);
            }
        }
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        response
    }
}

/// Whether `If-None-Match` names `tag` (weak comparison, as RFC 9110 asks
/// for this header) or is `*`.
pub(super) fn if_none_match(request: &HeaderMap, tag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
}

//! Rendered share cards, kept by (slug, language, version).

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use axum::body::Bytes;
use domain::Locale;

use super::CardData;

/// A card's key: the commitment's slug, the card's language, the version.
pub(super) type CardKey = (String, Locale, i64);

/// Rendered cards by (slug, language, version). Every write to a commitment
/// bumps its version, so a new write is a new key; each language has its
/// own card. The data drawn is kept beside the image and compared too, so
/// a change made without a version bump (or a new public URL, or new
/// words) is never served stale.
type CardCache = HashMap<CardKey, (CardData, Bytes)>;

/// More distinct cards than this and the cache starts again.
const CARD_CACHE_LIMIT: usize = 256;

static CARD_CACHE: LazyLock<Mutex<CardCache>> = LazyLock::new(|| Mutex::new(HashMap::new()));
static CARD_RENDERS: AtomicU64 = AtomicU64::new(0);
static CARD_CACHE_HITS: AtomicU64 = AtomicU64::new(0);
/// Cards being drawn now, and the most drawn at once.
static CARD_DRAWING: AtomicUsize = AtomicUsize::new(0);
static CARD_DRAWING_PEAK: AtomicUsize = AtomicUsize::new(0);

/// A card being drawn, with what it draws: requests for the same key that
/// arrive meanwhile wait for that one drawing instead of starting their own.
type Flight = Arc<tokio::sync::OnceCell<Result<(CardData, Bytes), String>>>;
static IN_FLIGHT: LazyLock<Mutex<HashMap<CardKey, Flight>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn in_flight() -> MutexGuard<'static, HashMap<CardKey, Flight>> {
    IN_FLIGHT.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Counts a drawing while it runs.
struct Drawing;

impl Drawing {
    fn start() -> Drawing {
        let now = CARD_DRAWING.fetch_add(1, Ordering::SeqCst) + 1;
        CARD_DRAWING_PEAK.fetch_max(now, Ordering::SeqCst);
        Drawing
    }
}

impl Drop for Drawing {
    fn drop(&mut self) {
        CARD_DRAWING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The card for `key` drawn from `data`: from the cache, else drawn once
/// however many requests ask for it at the same moment (single flight).
pub(super) async fn card_png(key: CardKey, data: CardData) -> Result<Bytes, String> {
    if let Some(png) = cached_card(&key, &data) {
        return Ok(png);
    }
    let flight = match in_flight().entry(key.clone()) {
        Entry::Occupied(entry) => entry.get().clone(),
        Entry::Vacant(entry) => entry.insert(Flight::default()).clone(),
    };
    let drawn = flight
        .get_or_init(|| async { draw(key.clone(), data.clone()).await.map(|png| (data.clone(), png)) })
        .await
        .clone();
    {
        let mut flights = in_flight();
        if flights.get(&key).is_some_and(|f| Arc::ptr_eq(f, &flight)) {
            flights.remove(&key);
        }
    }
    match drawn {
        Ok((drawn_from, png)) if drawn_from == data => Ok(png),
        // Another request drew this key from other data (a change that
        // did not move the version): draw this one's own.
        Ok(_) => draw(key, data).await,
        Err(error) => Err(error),
    }
}

/// Draws a card on the blocking pool and keeps it.
async fn draw(key: CardKey, data: CardData) -> Result<Bytes, String> {
    let rendering = data.clone();
    let _drawing = Drawing::start();
    let png = tokio::task::spawn_blocking(move || super::render_card_png(&rendering))
        .await
        .map_err(|error| format!("the card renderer stopped: {error}"))??;
    let png = Bytes::from(png);
    store_card(key, data, png.clone());
    Ok(png)
}

fn card_cache() -> MutexGuard<'static, CardCache> {
    // A panic while holding the lock cannot leave the map inconsistent
    // (each operation is a single insert or lookup): keep using it.
    CARD_CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) fn cached_card(key: &CardKey, data: &CardData) -> Option<Bytes> {
    let cache = card_cache();
    let (drawn, png) = cache.get(key)?;
    if drawn != data {
        return None;
    }
    CARD_CACHE_HITS.fetch_add(1, Ordering::Relaxed);
    Some(png.clone())
}

pub(super) fn store_card(key: CardKey, data: CardData, png: Bytes) {
    CARD_RENDERS.fetch_add(1, Ordering::Relaxed);
    let mut cache = card_cache();
    // Older versions of the same card are never asked for again; the same
    // commitment's cards in other languages still are.
    cache.retain(|(slug, locale, _), _| !(*slug == key.0 && *locale == key.1));
    if cache.len() >= CARD_CACHE_LIMIT {
        cache.clear();
    }
    cache.insert(key, (data, png));
}

/// How the share-card cache has done since the process started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardCacheStats {
    /// Cards rendered (cache misses).
    pub renders: u64,
    /// Cards served from the cache.
    pub hits: u64,
    /// Cards held now.
    pub entries: usize,
    /// The most cards drawn at the same moment.
    pub most_drawn_at_once: usize,
}

pub fn card_cache_stats() -> CardCacheStats {
    CardCacheStats {
        renders: CARD_RENDERS.load(Ordering::Relaxed),
        hits: CARD_CACHE_HITS.load(Ordering::Relaxed),
        entries: card_cache().len(),
        most_drawn_at_once: CARD_DRAWING_PEAK.load(Ordering::SeqCst),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::card::tests::{data, korean};

    #[test]
    fn each_language_has_its_own_card() {
        // Slugs no other test uses: the cache is the process's.
        let slug = "cache-test-languages".to_owned();
        let english = data("T");
        let korean = korean("T");
        store_card(
            (slug.clone(), Locale::En, 1),
            english.clone(),
            Bytes::from_static(b"en"),
        );
        assert_eq!(cached_card(&(slug.clone(), Locale::Ko, 1), &korean), None);
        store_card((slug.clone(), Locale::Ko, 1), korean.clone(), Bytes::from_static(b"ko"));
        assert_eq!(
            cached_card(&(slug.clone(), Locale::En, 1), &english).as_deref(),
            Some(&b"en"[..])
        );
        assert_eq!(
            cached_card(&(slug.clone(), Locale::Ko, 1), &korean).as_deref(),
            Some(&b"ko"[..])
        );
        // A new version replaces that language's card only.
        store_card(
            (slug.clone(), Locale::Ko, 2),
            korean.clone(),
            Bytes::from_static(b"ko2"),
        );
        assert_eq!(cached_card(&(slug.clone(), Locale::Ko, 1), &korean), None);
        assert_eq!(
            cached_card(&(slug.clone(), Locale::En, 1), &english).as_deref(),
            Some(&b"en"[..])
        );
    }
}

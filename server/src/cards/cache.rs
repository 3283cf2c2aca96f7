//! Rendered share cards, kept by (slug, language, version).
//!
//! One `CardCache` per site, held in `AppState` (not in a static): two
//! sites in one process (tests, or a server that serves two databases)
//! never share cards or counts.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;

use super::CardData;

/// A card's key: the commitment's slug, the card's language, the version.
pub(super) type CardKey = (String, domain::Locale, i64);

/// More distinct cards than this and the cache starts again.
const CARD_CACHE_LIMIT: usize = 256;

/// A card being drawn, with what it draws: requests for the same key that
/// arrive meanwhile wait for that one drawing instead of starting their own.
type Flight = Arc<tokio::sync::OnceCell<Result<(CardData, Bytes), String>>>;

/// Rendered cards by (slug, language, version). Every write to a commitment
/// bumps its version, so a new write is a new key; each language has its
/// own card. The data drawn is kept beside the image and compared too, so
/// a change made without a version bump (or a new public URL, or new
/// words) is never served stale. Cloning shares the cache.
#[derive(Clone, Default)]
pub struct CardCache(Arc<Shared>);

#[derive(Default)]
struct Shared {
    cards: Mutex<HashMap<CardKey, (CardData, Bytes)>>,
    in_flight: Mutex<HashMap<CardKey, Flight>>,
    renders: AtomicU64,
    hits: AtomicU64,
    /// Cards being drawn now, and the most drawn at once.
    drawing: AtomicUsize,
    drawing_peak: AtomicUsize,
}

/// A panic while a lock is held cannot leave these maps inconsistent (each
/// operation is a single insert, removal or lookup): keep using them.
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Counts a drawing while it runs.
struct Drawing<'a>(&'a Shared);

impl<'a> Drawing<'a> {
    fn start(shared: &'a Shared) -> Drawing<'a> {
        let now = shared.drawing.fetch_add(1, Ordering::SeqCst) + 1;
        shared.drawing_peak.fetch_max(now, Ordering::SeqCst);
        Drawing(shared)
    }
}

impl Drop for Drawing<'_> {
    fn drop(&mut self) {
        self.0.drawing.fetch_sub(1, Ordering::SeqCst);
    }
}

impl CardCache {
    /// The card for `key` drawn from `data`: from the cache, else drawn once
    /// however many requests ask for it at the same moment (single flight).
    pub(super) async fn card_png(&self, key: CardKey, data: CardData) -> Result<Bytes, String> {
        if let Some(png) = self.cached_card(&key, &data) {
            return Ok(png);
        }
        let flight = match locked(&self.0.in_flight).entry(key.clone()) {
            Entry::Occupied(entry) => entry.get().clone(),
            Entry::Vacant(entry) => entry.insert(Flight::default()).clone(),
        };
        let drawn = flight
            .get_or_init(|| async { self.draw(key.clone(), data.clone()).await.map(|png| (data.clone(), png)) })
            .await
            .clone();
        {
            let mut flights = locked(&self.0.in_flight);
            if flights.get(&key).is_some_and(|f| Arc::ptr_eq(f, &flight)) {
                flights.remove(&key);
            }
        }
        match drawn {
            Ok((drawn_from, png)) if drawn_from == data => Ok(png),
            // Another request drew this key from other data (a change that
            // did not move the version): draw this one's own.
            Ok(_) => self.draw(key, data).await,
            Err(error) => Err(error),
        }
    }

    /// Draws a card on the blocking pool and keeps it.
    async fn draw(&self, key: CardKey, data: CardData) -> Result<Bytes, String> {
        let rendering = data.clone();
        let _drawing = Drawing::start(&self.0);
        let png = tokio::task::spawn_blocking(move || super::render_card_png(&rendering))
            .await
            .map_err(|error| format!("the card renderer stopped: {error}"))??;
        let png = Bytes::from(png);
        self.store_card(key, data, png.clone());
        Ok(png)
    }

    fn cached_card(&self, key: &CardKey, data: &CardData) -> Option<Bytes> {
        let cards = locked(&self.0.cards);
        let (drawn, png) = cards.get(key)?;
        if drawn != data {
            return None;
        }
        self.0.hits.fetch_add(1, Ordering::Relaxed);
        Some(png.clone())
    }

    fn store_card(&self, key: CardKey, data: CardData, png: Bytes) {
        self.0.renders.fetch_add(1, Ordering::Relaxed);
        let mut cards = locked(&self.0.cards);
        // Older versions of the same card are never asked for again; the
        // same commitment's cards in other languages still are.
        cards.retain(|(slug, locale, _), _| !(*slug == key.0 && *locale == key.1));
        if cards.len() >= CARD_CACHE_LIMIT {
            cards.clear();
        }
        cards.insert(key, (data, png));
    }

    /// How this cache has done since the site started.
    pub fn stats(&self) -> CardCacheStats {
        CardCacheStats {
            renders: self.0.renders.load(Ordering::Relaxed),
            hits: self.0.hits.load(Ordering::Relaxed),
            entries: locked(&self.0.cards).len(),
            most_drawn_at_once: self.0.drawing_peak.load(Ordering::SeqCst),
        }
    }
}

/// How a share-card cache has done.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::card::tests::{data, korean};

    #[test]
    fn each_language_has_its_own_card() {
        let cache = CardCache::default();
        let slug = "cache-test-languages".to_owned();
        let english = data("T");
        let korean = korean("T");
        cache.store_card(
            (slug.clone(), domain::Locale::En, 1),
            english.clone(),
            Bytes::from_static(b"en"),
        );
        assert_eq!(cache.cached_card(&(slug.clone(), domain::Locale::Ko, 1), &korean), None);
        cache.store_card((slug.clone(), domain::Locale::Ko, 1), korean.clone(), Bytes::from_static(b"ko"));
        assert_eq!(
            cache.cached_card(&(slug.clone(), domain::Locale::En, 1), &english).as_deref(),
            Some(&b"en"[..])
        );
        assert_eq!(
            cache.cached_card(&(slug.clone(), domain::Locale::Ko, 1), &korean).as_deref(),
            Some(&b"ko"[..])
        );
        // A new version replaces that language's card only.
        cache.store_card(
            (slug.clone(), domain::Locale::Ko, 2),
            korean.clone(),
            Bytes::from_static(b"ko2"),
        );
        assert_eq!(cache.cached_card(&(slug.clone(), domain::Locale::Ko, 1), &korean), None);
        assert_eq!(
            cache.cached_card(&(slug.clone(), domain::Locale::En, 1), &english).as_deref(),
            Some(&b"en"[..])
        );
    }
}

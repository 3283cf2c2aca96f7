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
/// The drawing runs in a task of its own, so a request that is dropped
/// (its client went away) neither stops it nor loses its result.
type Flight = futures_util::future::Shared<futures_util::future::BoxFuture<'static, Result<(CardData, Bytes), String>>>;

/// Rendered cards by (slug, language, version). Every write to a commitment
/// bumps its version, so a new write is a new key; each language has its
/// own card. The data drawn is kept beside the image and compared too, so
/// a change made without a version bump (or a new public URL, or new
/// words) is never served stale. Cloning shares the cache.
#[derive(Clone, Default)]
pub struct CardCache(Arc<Shared>);

struct Shared {
    /// Drawings allowed at once, held by the drawing task itself (not by the
    /// request): a client that hangs up gives back its image turn at once,
    /// but its drawing still counts here until it ends.
    drawing_permits: Arc<tokio::sync::Semaphore>,
    cards: Mutex<HashMap<CardKey, (CardData, Bytes)>>,
    in_flight: Mutex<HashMap<CardKey, Flight>>,
    renders: AtomicU64,
    hits: AtomicU64,
    /// Cards being drawn now, and the most drawn at once.
    drawing: AtomicUsize,
    drawing_peak: AtomicUsize,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            drawing_permits: Arc::new(tokio::sync::Semaphore::new(
                crate::cost_limits::CostBounds::default().images,
            )),
            cards: Mutex::default(),
            in_flight: Mutex::default(),
            renders: AtomicU64::default(),
            hits: AtomicU64::default(),
            drawing: AtomicUsize::default(),
            drawing_peak: AtomicUsize::default(),
        }
    }
}

/// A panic while a lock is held cannot leave these maps inconsistent (each
/// operation is a single insert, removal or lookup): keep using them.
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Counts a drawing while it runs (on the blocking thread itself, so a
/// drawing whose request went away is still counted).
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
            Entry::Vacant(entry) => {
                // The task removes its own entry when done; it cannot run
                // before this insert, which holds the lock it needs.
                let (cache, key, data) = (self.clone(), key.clone(), data.clone());
                let task = tokio::spawn(async move {
                    let drawn = cache.draw(key.clone(), data.clone()).await.map(|png| (data, png));
                    locked(&cache.0.in_flight).remove(&key);
                    drawn
                });
                let flight: Flight = futures_util::FutureExt::shared(futures_util::FutureExt::boxed(async move {
                    task.await
                        .unwrap_or_else(|error| Err(format!("the card drawing stopped: {error}")))
                }));
                entry.insert(flight).clone()
            }
        };
        let drawn = flight.await;
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
        let _permit = self
            .0
            .drawing_permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|error| error.to_string())?;
        let shared = self.0.clone();
        let png = tokio::task::spawn_blocking(move || {
            let _drawing = Drawing::start(&shared);
            super::render_card_png(&rendering)
        })
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
        cache.store_card(
            (slug.clone(), domain::Locale::Ko, 1),
            korean.clone(),
            Bytes::from_static(b"ko"),
        );
        assert_eq!(
            cache
                .cached_card(&(slug.clone(), domain::Locale::En, 1), &english)
                .as_deref(),
            Some(&b"en"[..])
        );
        assert_eq!(
            cache
                .cached_card(&(slug.clone(), domain::Locale::Ko, 1), &korean)
                .as_deref(),
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
            cache
                .cached_card(&(slug.clone(), domain::Locale::En, 1), &english)
                .as_deref(),
            Some(&b"en"[..])
        );
    }
}

#[cfg(test)]
mod abandoned_requests {
    use super::*;
    use crate::cards::card::tests::data;
    use std::time::Duration;

    /// Requests dropped a few milliseconds in (review finding F1) neither
    /// start more drawings than the permits nor lose what was drawn.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dropped_requests_never_draw_more_than_the_cap_and_an_identical_card_is_drawn_once() {
        let cache = CardCache::default();
        let cap = crate::cost_limits::CostBounds::default().images;
        let card = data("Dropped");
        for round in 0..3 {
            for n in 0..(4 * cap) {
                let key = (format!("dropped-{round}-{n}"), domain::Locale::En, 1);
                let _ = tokio::time::timeout(Duration::from_millis(2), cache.card_png(key, card.clone())).await;
            }
            for _ in 0..5 {
                let key = ("same".to_owned(), domain::Locale::En, 1);
                let _ = tokio::time::timeout(Duration::from_millis(2), cache.card_png(key, card.clone())).await;
            }
        }
        // Let the drawings already started finish (each ends on its own).
        for _ in 0..600 {
            if cache.0.drawing.load(Ordering::SeqCst) == 0 && locked(&cache.0.in_flight).is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let stats = cache.stats();
        assert!(stats.most_drawn_at_once <= cap, "{stats:?} with cap {cap}");
        assert!(
            locked(&cache.0.cards).contains_key(&("same".to_owned(), domain::Locale::En, 1)),
            "the identical card was drawn and kept although every request for it was dropped: {stats:?}"
        );
        assert_eq!(stats.renders, (12 * cap + 1) as u64, "each key drawn once: {stats:?}");
        let hits_before = stats.hits;
        cache
            .card_png(("same".to_owned(), domain::Locale::En, 1), card.clone())
            .await
            .unwrap();
        assert_eq!(cache.stats().hits, hits_before + 1, "served from the cache");
        assert!(locked(&cache.0.cards).contains_key(&("same".to_owned(), domain::Locale::En, 1)));
    }
}

//! Rendered share cards, kept by (slug, language, version).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex, MutexGuard};

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
}

pub fn card_cache_stats() -> CardCacheStats {
    CardCacheStats {
        renders: CARD_RENDERS.load(Ordering::Relaxed),
        hits: CARD_CACHE_HITS.load(Ordering::Relaxed),
        entries: card_cache().len(),
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

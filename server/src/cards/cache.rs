//! Rendered share cards, kept by (slug, version).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex, MutexGuard};

use axum::body::Bytes;

use super::CardData;

/// Rendered cards by (slug, version). Every write to a commitment bumps its
/// version, so a new write is a new key; the data drawn is kept beside the
/// image and compared too, so a change made without a version bump (or a
/// new public URL) is never served stale.
type CardCache = HashMap<(String, i64), (CardData, Bytes)>;

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

pub(super) fn cached_card(key: &(String, i64), data: &CardData) -> Option<Bytes> {
    let cache = card_cache();
    let (drawn, png) = cache.get(key)?;
    if drawn != data {
        return None;
    }
    CARD_CACHE_HITS.fetch_add(1, Ordering::Relaxed);
    Some(png.clone())
}

pub(super) fn store_card(key: (String, i64), data: CardData, png: Bytes) {
    CARD_RENDERS.fetch_add(1, Ordering::Relaxed);
    let mut cache = card_cache();
    // Older versions of the same card are never asked for again.
    cache.retain(|(slug, _), _| *slug != key.0);
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

//! The maps a facilitator looks at again and again (the page, then its CSV and SVG downloads,
//! then the page in the other language) are not computed again while nothing changed. A map is
//! kept under everything it depends on: the campaign and its form version, the filter, the
//! axis, the language, the minimum group and the disclosure threshold, and the versions of the
//! data — the last `story_events` seq (every new, edited or withdrawn story and every tag change
//! appends one), the codebook version (themes renamed, merged or added) and, for a search
//! filter, the seq the search index has applied. Any change gives a new key, so a stale map is
//! never served; old keys fall out of a small LRU.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How many maps are kept. A map of 100,000 stories takes a few MB as a page (its charts are
/// hex-bin densities, its story lists are not kept), so a few dozen stay well under 100 MB.
pub const CAPACITY: usize = 32;

/// Everything a map page depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub campaign_id: String,
    pub form_version: i64,
    /// The filter as the request gave it (search language).
    pub filter: String,
    pub by: String,
    pub language: String,
    pub min_group: u64,
    /// The disclosure threshold the page formats hidden counts with, and whether disclosure
    /// control was applied.
    pub k: u64,
    pub disclosed: bool,
    pub events_seq: i64,
    pub codebook_version: String,
    /// The seq the search index has applied (0 for a map of the whole campaign).
    pub index_seq: i64,
}

struct Entry<V> {
    value: Arc<V>,
    used: u64,
}

/// A bounded least-recently-used cache. Lookups and inserts are O(1) but eviction scans the
/// entries, which is nothing at this size.
pub struct MapCache<V> {
    inner: Mutex<Inner<V>>,
    capacity: usize,
}

struct Inner<V> {
    entries: HashMap<Key, Entry<V>>,
    clock: u64,
    hits: u64,
    misses: u64,
}

impl<V> MapCache<V> {
    pub fn new(capacity: usize) -> Self {
        MapCache {
            inner: Mutex::new(Inner { entries: HashMap::new(), clock: 0, hits: 0, misses: 0 }),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<V>> {
        // A panic while holding the lock leaves the map consistent (each step is one insert or
        // remove), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, key: &Key) -> Option<Arc<V>> {
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        match inner.entries.get_mut(key) {
            Some(e) => {
                e.used = now;
                let v = e.value.clone();
                inner.hits += 1;
                Some(v)
            }
            None => {
                inner.misses += 1;
                None
            }
        }
    }

    pub fn insert(&self, key: Key, value: Arc<V>) {
        let mut inner = self.lock();
        inner.clock += 1;
        let used = inner.clock;
        if !inner.entries.contains_key(&key) && inner.entries.len() >= self.capacity {
            let oldest = inner.entries.iter().min_by_key(|(_, e)| e.used).map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                inner.entries.remove(&k);
            }
        }
        inner.entries.insert(key, Entry { value, used });
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// (hits, misses) since the start.
    pub fn stats(&self) -> (u64, u64) {
        let inner = self.lock();
        (inner.hits, inner.misses)
    }
}

impl<V> Default for MapCache<V> {
    fn default() -> Self {
        MapCache::new(CAPACITY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(filter: &str, seq: i64) -> Key {
        Key {
            campaign_id: "c".into(),
            form_version: 1,
            filter: filter.into(),
            by: "perspective".into(),
            language: "nl".into(),
            min_group: 20,
            k: 5,
            disclosed: false,
            events_seq: seq,
            codebook_version: "abc".into(),
            index_seq: 0,
        }
    }

    #[test]
    fn a_changed_version_is_a_miss_and_the_least_recently_used_map_goes_first() {
        let cache = MapCache::new(2);
        cache.insert(key("a", 1), Arc::new(1));
        assert_eq!(cache.get(&key("a", 1)).as_deref(), Some(&1));
        assert!(cache.get(&key("a", 2)).is_none(), "a new story event is a new key");
        cache.insert(key("b", 1), Arc::new(2));
        // Touch "a" so that "b" is the least recently used.
        assert!(cache.get(&key("a", 1)).is_some());
        cache.insert(key("c", 1), Arc::new(3));
        assert_eq!(cache.len(), 2);
        assert!(cache.get(&key("b", 1)).is_none(), "the least recently used map was evicted");
        assert!(cache.get(&key("a", 1)).is_some() && cache.get(&key("c", 1)).is_some());
        assert_eq!(cache.stats(), (4, 2));
    }
}

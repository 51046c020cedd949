//! What the feeds keep in memory, per instance (every instance checks the shared calendar
//! version before using any of it, so none serves a stale feed). Each is bounded in entries and
//! in bytes (`MAILLAGE_*_CACHE_ENTRIES` / `_MIB`, see `config::caches`) and forgets its least
//! recently used entries first ([`bounded`]); whatever is forgotten is written again when asked.
//!
//! - [`FeedCache`]: each public feed as last built, under the calendar version it was built for,
//!   with its validators, what it was built from (to catch up with the change log) and, once
//!   asked for, its gzip form. A request whose version matches is answered from here: a 304
//!   costs the version lookup and nothing else.
//! - [`FragmentCache`]: each meeting's VEVENTs as written, under a [`Stamp`] of what they were
//!   written from. A feed built after a change rewrites only the meetings that changed.
//! - [`MeetingFiles`]: each meeting's own .ics as last written, under its ETag (which names
//!   everything the file is written from): served again after the one lookup of its validators.

pub mod bounded;

use std::io::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;
use chrono::{DateTime, NaiveDate, Utc};

use super::feeds::Basis;
use super::ics::Fragment;
use bounded::Bounded;
pub use bounded::Limits;

/// What one kept entry costs besides its text (keys, counters, the map's own slot): counted in
/// the byte bounds, so that many small entries are not taken as free.
const ENTRY_OVERHEAD: usize = 96;

/// What the caches report of themselves (for logs and benchmarks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    pub entries: usize,
    pub bytes: usize,
    pub evicted: u64,
    pub limits: Limits,
}

fn usage<K: std::hash::Hash + Eq + Clone, V>(map: &Mutex<Bounded<K, V>>) -> Option<Usage> {
    let map = map.lock().ok()?;
    Some(Usage {
        entries: map.len(),
        bytes: map.bytes(),
        evicted: map.evicted(),
        limits: map.limits(),
    })
}

/// The three caches, bounded as configured.
pub struct Caches {
    pub feeds: Arc<FeedCache>,
    pub fragments: Arc<FragmentCache>,
    pub meeting_files: Arc<MeetingFiles>,
}

impl Caches {
    pub fn new(bounds: &crate::config::CacheBounds) -> Self {
        let limits = |b: crate::config::caches::Bound| Limits {
            entries: b.entries,
            bytes: b.bytes,
        };
        Self {
            feeds: Arc::new(FeedCache::new(limits(bounds.feeds))),
            fragments: Arc::new(FragmentCache::new(limits(bounds.fragments))),
            meeting_files: Arc::new(MeetingFiles::new(limits(bounds.meeting_files))),
        }
    }
}

/// A built feed and what answers conditional requests for it.
pub struct CachedFeed {
    /// The calendar version it was built for (public feeds; empty for personal ones).
    pub version: String,
    /// The day it was built: the window moves each day.
    pub day: NaiveDate,
    /// Strong ETag of the identity body (quoted).
    pub etag: String,
    pub modified: Option<DateTime<Utc>>,
    pub filename: String,
    pub body: Bytes,
    gzip: OnceLock<Bytes>,
    /// What it was built from, to catch up with later changes (public feeds).
    pub basis: Option<Arc<Basis>>,
}

impl CachedFeed {
    pub fn new(
        version: String,
        day: NaiveDate,
        etag: String,
        modified: Option<DateTime<Utc>>,
        filename: String,
        body: Bytes,
        basis: Option<Arc<Basis>>,
    ) -> Self {
        Self {
            version,
            day,
            etag,
            modified,
            filename,
            body,
            gzip: OnceLock::new(),
            basis,
        }
    }

    /// Whether the gzip form was computed and is kept with it.
    pub fn has_gzip(&self) -> bool {
        self.gzip.get().is_some()
    }

    /// What it holds in memory: both bodies, what it was built from, its validators.
    pub fn bytes(&self) -> usize {
        self.body.len()
            + self.gzip.get().map_or(0, Bytes::len)
            + self.basis.as_ref().map_or(0, |b| b.bytes())
            + self.version.len()
            + self.etag.len()
            + self.filename.len()
            + ENTRY_OVERHEAD
    }

    /// The ETag of the gzip body: another representation, so another strong validator
    /// (RFC 9110 §8.8.3.3).
    pub fn gzip_etag(&self) -> String {
        gzip_etag(&self.etag)
    }

    /// The body compressed with gzip, computed once (off the async threads) and kept. None if
    /// compressing failed (it cannot, in memory): the body is then sent as it is.
    pub async fn gzip(self: &Arc<Self>) -> Option<Bytes> {
        if let Some(done) = self.gzip.get() {
            return Some(done.clone());
        }
        let feed = Arc::clone(self);
        let compressed = tokio::task::spawn_blocking(move || gzip(&feed.body))
            .await
            .ok()
            .flatten()?;
        Some(self.gzip.get_or_init(|| compressed).clone())
    }
}

/// `"abc"` → `"abc-gz"`.
pub fn gzip_etag(etag: &str) -> String {
    match etag.strip_suffix('"') {
        Some(open) => format!("{open}-gz\""),
        None => format!("{etag}-gz"),
    }
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 8),
        flate2::Compression::default(),
    );
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

/// Public feeds by address ("plateformes/sociojuridique.ics"): one entry per feed that exists and
/// was asked for since it was last forgotten.
pub struct FeedCache {
    entries: Mutex<Bounded<String, Arc<CachedFeed>>>,
}

impl FeedCache {
    pub fn new(limits: Limits) -> Self {
        Self {
            entries: Mutex::new(Bounded::new(limits)),
        }
    }

    /// The feed last built at `key` (the caller checks its version and day).
    pub fn get(&self, key: &str) -> Option<Arc<CachedFeed>> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    /// Forgets every built feed (they are built again as asked for).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }

    /// How many feeds are kept.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn usage(&self) -> Option<Usage> {
        usage(&self.entries)
    }

    /// Keeps `feed` at `key` (a feed larger than the byte bound is served, not kept).
    pub fn put(&self, key: &str, feed: Arc<CachedFeed>) {
        if let Ok(mut entries) = self.entries.lock() {
            let bytes = feed.bytes();
            entries.insert(key.to_string(), feed, bytes);
        }
    }

    /// Counts the gzip form `feed` gained since it was kept at `key` (if it is still the one
    /// kept there).
    pub fn reweigh(&self, key: &str, feed: &Arc<CachedFeed>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.reweigh(key, |kept| Arc::ptr_eq(kept, feed), feed.bytes());
        }
    }
}

/// What a meeting's VEVENTs were written from, beyond the meeting's id and the server's public
/// URL: every change that alters them moves the meeting's `updated_at` (edits, programme,
/// moved or cancelled occurrences) or its platform's or group's (their names are CATEGORIES).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stamp {
    /// A hash of `updated_at` as the database writes it.
    pub updated_at: u64,
    pub sequence: i32,
    pub platform: Option<i64>,
    pub group: Option<i64>,
}

/// Which text of a meeting: members-only meetings are marked CLASS:PRIVATE in personal feeds.
pub type FragmentKey = (i64, bool);

/// Each meeting's written VEVENTs (about 1 KB a meeting), shared by every feed that holds it.
pub struct FragmentCache {
    entries: Mutex<Bounded<FragmentKey, (Stamp, Arc<Fragment>)>>,
}

impl FragmentCache {
    pub fn new(limits: Limits) -> Self {
        Self {
            entries: Mutex::new(Bounded::new(limits)),
        }
    }

    /// The fragment of each wanted meeting, when kept under the same stamp.
    pub fn get_many(&self, wanted: &[(FragmentKey, Stamp)]) -> Vec<Option<Arc<Fragment>>> {
        let Ok(mut entries) = self.entries.lock() else {
            return vec![None; wanted.len()];
        };
        wanted
            .iter()
            .map(|(key, stamp)| {
                entries
                    .get(key)
                    .filter(|(kept, _)| kept == stamp)
                    .map(|(_, f)| Arc::clone(f))
            })
            .collect()
    }

    /// Keeps what was written, then forgets the least recently used if over the bound.
    pub fn put_many(&self, written: impl IntoIterator<Item = (FragmentKey, Stamp, Arc<Fragment>)>) {
        if let Ok(mut entries) = self.entries.lock() {
            for (key, stamp, fragment) in written {
                let bytes = fragment.text.len() + ENTRY_OVERHEAD;
                entries.insert_unbounded(key, (stamp, fragment), bytes);
            }
            entries.trim();
        }
    }

    /// Forgets every fragment (the next feeds are written from scratch).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }

    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn usage(&self) -> Option<Usage> {
        usage(&self.entries)
    }
}

/// Each meeting's own .ics (`/reunions/{id}/evenement.ics`) as last written (about 2 KB), under
/// its ETag.
pub struct MeetingFiles {
    entries: Mutex<Bounded<i64, (String, Bytes)>>,
}

impl MeetingFiles {
    pub fn new(limits: Limits) -> Self {
        Self {
            entries: Mutex::new(Bounded::new(limits)),
        }
    }

    /// The file of meeting `id`, when it was written under this same ETag.
    pub fn get(&self, id: i64, etag: &str) -> Option<Bytes> {
        let mut entries = self.entries.lock().ok()?;
        let (kept, body) = entries.get(&id)?;
        (kept == etag).then(|| body.clone())
    }

    pub fn put(&self, id: i64, etag: String, body: Bytes) {
        if let Ok(mut entries) = self.entries.lock() {
            let bytes = etag.len() + body.len() + ENTRY_OVERHEAD;
            entries.insert(id, (etag, body), bytes);
        }
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }

    pub fn usage(&self) -> Option<Usage> {
        usage(&self.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    fn roomy() -> Limits {
        Limits {
            entries: 1_000,
            bytes: 1 << 20,
        }
    }

    fn stamp(updated_at: u64) -> Stamp {
        Stamp {
            updated_at,
            sequence: 0,
            platform: Some(1),
            group: None,
        }
    }

    fn piece(text: &str) -> Arc<Fragment> {
        Arc::new(Fragment {
            text: text.into(),
            local_time: true,
        })
    }

    #[test]
    fn a_meeting_file_is_served_again_only_under_the_same_etag() {
        let files = MeetingFiles::new(roomy());
        assert_eq!(files.get(1, "\"a\""), None);
        files.put(1, "\"a\"".into(), Bytes::from_static(b"A"));
        assert_eq!(files.get(1, "\"a\""), Some(Bytes::from_static(b"A")));
        assert_eq!(files.get(1, "\"b\""), None, "written under another ETag");
        assert_eq!(files.get(2, "\"a\""), None, "another meeting");
        files.put(1, "\"b\"".into(), Bytes::from_static(b"B"));
        assert_eq!(files.get(1, "\"a\""), None, "replaced");
        files.clear();
        assert_eq!(files.get(1, "\"b\""), None);
    }

    #[test]
    fn a_fragment_is_reused_only_under_the_same_stamp() {
        let cache = FragmentCache::new(roomy());
        cache.put_many([
            ((1, false), stamp(10), piece("A")),
            ((2, false), stamp(10), piece("B")),
        ]);
        let got = cache.get_many(&[
            ((1, false), stamp(10)),
            ((2, false), stamp(11)),
            ((1, true), stamp(10)),
            ((3, false), stamp(10)),
        ]);
        assert_eq!(got[0].as_deref().map(|f| f.text.as_str()), Some("A"));
        assert!(got[1].is_none(), "changed since written");
        assert!(got[2].is_none(), "the private text is another fragment");
        assert!(got[3].is_none(), "never written");
        let renamed = Stamp {
            platform: Some(2),
            ..stamp(10)
        };
        assert!(cache.get_many(&[((1, false), renamed)])[0].is_none());
        cache.clear();
        assert!(cache.is_empty());
    }

    #[test]
    fn feeds_are_kept_by_address() {
        let cache = FeedCache::new(roomy());
        let day = NaiveDate::from_ymd_opt(2027, 3, 28).expect("date");
        let feed = |version: &str| {
            Arc::new(CachedFeed::new(
                version.into(),
                day,
                "\"abc\"".into(),
                None,
                "f.ics".into(),
                Bytes::from_static(b"BEGIN:VCALENDAR"),
                None,
            ))
        };
        cache.put("plateformes/emploi", feed("v1"));
        cache.put("plateformes/emploi", feed("v2"));
        let kept = cache.get("plateformes/emploi").expect("kept");
        assert_eq!(kept.version, "v2", "the last built replaces the one before");
        assert!(cache.get("plateformes/autre").is_none());
        cache.clear();
        assert!(cache.get("plateformes/emploi").is_none());
    }

    fn tight(entries: usize, bytes: usize) -> Limits {
        Limits { entries, bytes }
    }

    #[test]
    fn meeting_files_over_their_bound_forget_the_least_recently_asked_for() {
        let files = MeetingFiles::new(tight(3, 1 << 20));
        for id in 1..=3 {
            files.put(id, format!("\"{id}\""), Bytes::from(format!("file {id}")));
        }
        // 1 asked for again: 2 is now the least recently used.
        assert_eq!(files.get(1, "\"1\""), Some(Bytes::from("file 1")));
        files.put(4, "\"4\"".into(), Bytes::from("file 4"));
        assert_eq!(files.get(2, "\"2\""), None, "forgotten");
        for id in [1, 3, 4] {
            assert_eq!(
                files.get(id, &format!("\"{id}\"")),
                Some(Bytes::from(format!("file {id}")))
            );
        }
        let usage = files.usage().expect("usage");
        assert_eq!((usage.entries, usage.evicted), (3, 1));
        // Written again after being forgotten, under its new ETag: the new text, never the old.
        files.put(2, "\"2b\"".into(), Bytes::from("file 2, changed"));
        assert_eq!(files.get(2, "\"2\""), None);
        assert_eq!(files.get(2, "\"2b\""), Some(Bytes::from("file 2, changed")));
        assert!(files.usage().expect("usage").entries <= 3);
    }

    #[test]
    fn meeting_files_are_bounded_in_bytes_too() {
        let body = Bytes::from(vec![b'x'; 1000]);
        let files = MeetingFiles::new(tight(1000, 4 * (1000 + ENTRY_OVERHEAD + 8)));
        for id in 0..10 {
            files.put(id, format!("\"e{id}\""), body.clone());
        }
        let usage = files.usage().expect("usage");
        assert!(usage.bytes <= usage.limits.bytes, "{usage:?}");
        assert!(usage.entries < 5, "{usage:?}");
        assert_eq!(
            files.get(9, "\"e9\""),
            Some(body.clone()),
            "the newest kept"
        );
        assert_eq!(files.get(0, "\"e0\""), None, "the oldest forgotten");
    }

    #[test]
    fn fragments_over_their_bound_keep_the_feeds_latest_and_never_a_stale_one() {
        let cache = FragmentCache::new(tight(4, 1 << 20));
        cache.put_many((1..=4).map(|id| ((id, false), stamp(1), piece(&format!("V{id}")))));
        // A feed reads 3 and 4; then 5 and 6 are written: 1 and 2 go.
        let _ = cache.get_many(&[((3, false), stamp(1)), ((4, false), stamp(1))]);
        cache.put_many([
            ((5, false), stamp(1), piece("V5")),
            ((6, false), stamp(1), piece("V6")),
        ]);
        let texts = |ids: &[i64], at: u64| -> Vec<Option<String>> {
            let wanted: Vec<_> = ids.iter().map(|id| ((*id, false), stamp(at))).collect();
            cache
                .get_many(&wanted)
                .into_iter()
                .map(|f| f.map(|f| f.text.clone()))
                .collect()
        };
        assert_eq!(
            texts(&[1, 2, 3, 4, 5, 6], 1),
            vec![
                None,
                None,
                Some("V3".into()),
                Some("V4".into()),
                Some("V5".into()),
                Some("V6".into())
            ]
        );
        // 3 rewritten after a change: the new stamp gets the new text, the old one nothing.
        cache.put_many([((3, false), stamp(2), piece("V3 changed"))]);
        assert_eq!(texts(&[3], 1), vec![None]);
        assert_eq!(texts(&[3], 2), vec![Some("V3 changed".into())]);
        assert!(cache.len() <= 4);
        assert_eq!(cache.usage().expect("usage").evicted, 2);
    }

    #[tokio::test]
    async fn feeds_over_their_bound_forget_the_least_recently_asked_for_and_count_their_gzip() {
        let day = NaiveDate::from_ymd_opt(2027, 3, 28).expect("date");
        let feed = |version: &str, body: &'static [u8]| {
            Arc::new(CachedFeed::new(
                version.into(),
                day,
                "\"e\"".into(),
                None,
                "f.ics".into(),
                Bytes::from_static(body),
                None,
            ))
        };
        let cache = FeedCache::new(tight(2, 1 << 20));
        cache.put("reseau", feed("v1", b"A"));
        cache.put("plateformes/emploi.ics", feed("v1", b"B"));
        assert!(cache.get("reseau").is_some());
        cache.put("gt/3.ics", feed("v1", b"C"));
        assert!(cache.get("plateformes/emploi.ics").is_none());
        assert_eq!(cache.get("reseau").expect("kept").body, "A");
        assert_eq!(cache.get("gt/3.ics").expect("kept").body, "C");
        assert_eq!(cache.len(), 2);

        // A feed's gzip form, computed after it was kept, is counted once known.
        let big = FeedCache::new(tight(10, 1 << 20));
        let kept = feed("v1", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
        big.put("reseau", Arc::clone(&kept));
        let before = big.usage().expect("usage").bytes;
        assert_eq!(before, kept.bytes());
        assert!(kept.gzip().await.is_some());
        big.reweigh("reseau", &kept);
        let after = big.usage().expect("usage").bytes;
        assert!(after > before, "{after} > {before}");
        // Another feed under the same address is not reweighed by a stale one.
        big.put("reseau", feed("v2", b"X"));
        let v2 = big.usage().expect("usage").bytes;
        big.reweigh("reseau", &kept);
        assert_eq!(big.usage().expect("usage").bytes, v2);
    }

    #[tokio::test]
    async fn the_gzip_body_is_the_body_and_has_its_own_etag() {
        let body = "BEGIN:VCALENDAR\r\n".repeat(500);
        let feed = Arc::new(CachedFeed::new(
            "v1".into(),
            NaiveDate::from_ymd_opt(2027, 3, 28).expect("date"),
            "\"abc\"".into(),
            None,
            "f.ics".into(),
            Bytes::from(body.clone()),
            None,
        ));
        let compressed = feed.gzip().await.expect("compressed");
        assert!(compressed.len() < body.len() / 10);
        let mut plain = String::new();
        flate2::read::GzDecoder::new(&compressed[..])
            .read_to_string(&mut plain)
            .expect("gunzip");
        assert_eq!(plain, body);
        assert_eq!(feed.gzip_etag(), "\"abc-gz\"");
        // Kept: the same bytes the second time.
        assert_eq!(feed.gzip().await, Some(compressed));
    }
}

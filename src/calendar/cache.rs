//! What the feeds keep in memory, per instance (every instance checks the shared calendar
//! version before using any of it, so none serves a stale feed):
//!
//! - [`FeedCache`]: each public feed as last built, under the calendar version it was built for,
//!   with its validators, what it was built from (to catch up with the change log) and, once
//!   asked for, its gzip form. A request whose version matches is answered from here: a 304
//!   costs the version lookup and nothing else.
//! - [`FragmentCache`]: each meeting's VEVENTs as written, under a [`Stamp`] of what they were
//!   written from. A feed built after a change rewrites only the meetings that changed.
//! - [`MeetingFiles`]: each meeting's own .ics as last written, under its ETag (which names
//!   everything the file is written from): served again after the one lookup of its validators.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;
use chrono::{DateTime, NaiveDate, Utc};

use super::feeds::Basis;
use super::ics::Fragment;

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

/// Public feeds by address ("plateformes/sociojuridique"). Small: one entry per feed.
#[derive(Default)]
pub struct FeedCache {
    entries: Mutex<HashMap<String, Arc<CachedFeed>>>,
}

impl FeedCache {
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

    /// How many feeds are kept (one per canonical address asked for).
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn put(&self, key: &str, feed: Arc<CachedFeed>) {
        if let Ok(mut entries) = self.entries.lock() {
            // Only feeds that exist are kept (a few hundred addresses); bounded all the same.
            if entries.len() >= 1000 && !entries.contains_key(key) {
                entries.clear();
            }
            entries.insert(key.to_string(), feed);
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

/// Each meeting's written VEVENTs.
#[derive(Default)]
pub struct FragmentCache {
    entries: Mutex<HashMap<FragmentKey, (Stamp, Arc<Fragment>)>>,
}

/// Bound on kept fragments (a meeting takes about 1 KB): far above a network's meetings in any
/// feed window; past it, everything is dropped and written again as feeds ask.
const MAX_FRAGMENTS: usize = 50_000;

impl FragmentCache {
    /// The fragment of each wanted meeting, when kept under the same stamp.
    pub fn get_many(&self, wanted: &[(FragmentKey, Stamp)]) -> Vec<Option<Arc<Fragment>>> {
        let Ok(entries) = self.entries.lock() else {
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

    pub fn put_many(&self, written: impl IntoIterator<Item = (FragmentKey, Stamp, Arc<Fragment>)>) {
        if let Ok(mut entries) = self.entries.lock() {
            for (key, stamp, fragment) in written {
                if entries.len() >= MAX_FRAGMENTS && !entries.contains_key(&key) {
                    entries.clear();
                }
                entries.insert(key, (stamp, fragment));
            }
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
}

/// Each meeting's own .ics (`/reunions/{id}/evenement.ics`) as last written, under its ETag.
#[derive(Default)]
pub struct MeetingFiles {
    entries: Mutex<HashMap<i64, (String, Bytes)>>,
}

/// Bound on kept files (about 2 KB each): past it, everything is dropped and written again.
const MAX_MEETING_FILES: usize = 5_000;

impl MeetingFiles {
    /// The file of meeting `id`, when it was written under this same ETag.
    pub fn get(&self, id: i64, etag: &str) -> Option<Bytes> {
        let entries = self.entries.lock().ok()?;
        let (kept, body) = entries.get(&id)?;
        (kept == etag).then(|| body.clone())
    }

    pub fn put(&self, id: i64, etag: String, body: Bytes) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_MEETING_FILES && !entries.contains_key(&id) {
                entries.clear();
            }
            entries.insert(id, (etag, body));
        }
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

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
        let files = MeetingFiles::default();
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
        let cache = FragmentCache::default();
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
        let cache = FeedCache::default();
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

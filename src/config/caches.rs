//! The bounds of what the server keeps in memory (see `calendar::cache`): for each cache, most
//! entries and most mebibytes, from the environment (which wins), `maillage.toml`, or defaults
//! sized for a network of a few thousand meetings in the feeds' window.

/// One cache's bound, as configured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    pub entries: usize,
    pub bytes: usize,
}

const MIB: usize = 1024 * 1024;

/// The bounds of the three calendar caches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheBounds {
    /// Built public feeds (one per address asked for), with their gzip form.
    pub feeds: Bound,
    /// Each meeting's VEVENTs, shared by every feed.
    pub fragments: Bound,
    /// Each meeting's own .ics.
    pub meeting_files: Bound,
    /// SQLite's page cache, per pooled connection, in KiB (SQLite's own default is 2,000 KiB; a
    /// page read again comes from the system's file cache, a copy away).
    pub sqlite_page_cache_kib: usize,
}

/// Default of [`CacheBounds::sqlite_page_cache_kib`].
pub const DEFAULT_SQLITE_PAGE_CACHE_KIB: usize = 512;

impl Default for CacheBounds {
    fn default() -> Self {
        Self {
            // The network feed, a feed per platform, group and office: about forty addresses
            // in the province; 2,000 meetings make a 2.3 MB feed (0.15 MB in gzip). 6 MiB keep
            // the two largest and the small ones; one forgotten is built again from the kept
            // VEVENTs (≈ 8 ms). RSS after the feed load: 48.7 MB, against 53 MB with 16 MiB.
            feeds: Bound {
                entries: 100,
                bytes: 6 * MIB,
            },
            // About 1.2 KB a meeting: 8 MiB hold some 7,000 meetings.
            fragments: Bound {
                entries: 20_000,
                bytes: 8 * MIB,
            },
            // About 2 KB a file: the 2,000 most asked for.
            meeting_files: Bound {
                entries: 2_000,
                bytes: 4 * MIB,
            },
            sqlite_page_cache_kib: DEFAULT_SQLITE_PAGE_CACHE_KIB,
        }
    }
}

/// The settings as read from `maillage.toml` (every key optional).
#[derive(Debug, Default, serde::Deserialize, PartialEq, Eq)]
pub struct CacheFile {
    pub feed_cache_entries: Option<usize>,
    pub feed_cache_mib: Option<usize>,
    pub fragment_cache_entries: Option<usize>,
    pub fragment_cache_mib: Option<usize>,
    pub meeting_file_cache_entries: Option<usize>,
    pub meeting_file_cache_mib: Option<usize>,
    pub sqlite_cache_kib: Option<usize>,
}

impl CacheBounds {
    /// The bounds from `env` (a variable's value, if set) over `file`, over the defaults. A value
    /// that is not a whole number of at least 1 stops the start, naming the setting.
    pub fn read(env: impl Fn(&str) -> Option<String>, file: &CacheFile) -> anyhow::Result<Self> {
        let defaults = Self::default();
        let bound = |name: &str, file: (Option<usize>, Option<usize>), default: Bound| {
            let entries = setting(
                &format!("MAILLAGE_{name}_CACHE_ENTRIES"),
                env(&format!("MAILLAGE_{name}_CACHE_ENTRIES")),
                file.0,
                "un nombre entier d'entrées",
            )?
            .unwrap_or(default.entries);
            let mib = setting(
                &format!("MAILLAGE_{name}_CACHE_MIB"),
                env(&format!("MAILLAGE_{name}_CACHE_MIB")),
                file.1,
                "un nombre entier de Mio",
            )?;
            let bytes = match mib {
                Some(mib) => mib.checked_mul(MIB).ok_or_else(|| {
                    anyhow::anyhow!("MAILLAGE_{name}_CACHE_MIB : {mib} Mio, c'est trop grand")
                })?,
                None => default.bytes,
            };
            Ok::<_, anyhow::Error>(Bound { entries, bytes })
        };
        Ok(Self {
            feeds: bound(
                "FEED",
                (file.feed_cache_entries, file.feed_cache_mib),
                defaults.feeds,
            )?,
            fragments: bound(
                "FRAGMENT",
                (file.fragment_cache_entries, file.fragment_cache_mib),
                defaults.fragments,
            )?,
            meeting_files: bound(
                "MEETING_FILE",
                (file.meeting_file_cache_entries, file.meeting_file_cache_mib),
                defaults.meeting_files,
            )?,
            sqlite_page_cache_kib: setting(
                "MAILLAGE_SQLITE_CACHE_KIB",
                env("MAILLAGE_SQLITE_CACHE_KIB"),
                file.sqlite_cache_kib,
                "un nombre entier de Kio",
            )?
            .unwrap_or(defaults.sqlite_page_cache_kib),
        })
    }
}

/// A whole number of at least 1 from the environment (which wins) or the file.
fn setting(
    name: &str,
    env: Option<String>,
    file: Option<usize>,
    what: &str,
) -> anyhow::Result<Option<usize>> {
    let value = match env {
        Some(raw) => Some(
            raw.trim()
                .parse::<usize>()
                .map_err(|_| anyhow::anyhow!("{name} : {what} est attendu, pas « {raw} »"))?,
        ),
        None => file,
    };
    match value {
        Some(0) => Err(anyhow::anyhow!(
            "{name} : la limite doit être d'au moins 1 (0 ne garderait rien)"
        )),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn bounds_come_from_the_environment_then_the_file_then_defaults() {
        let none = CacheBounds::read(env(&[]), &CacheFile::default()).unwrap();
        assert_eq!(none, CacheBounds::default());
        let file: CacheFile =
            toml::from_str("feed_cache_mib = 3\nmeeting_file_cache_entries = 50").unwrap();
        let read = CacheBounds::read(
            env(&[
                ("MAILLAGE_FEED_CACHE_MIB", " 5 "),
                ("MAILLAGE_FRAGMENT_CACHE_ENTRIES", "1000"),
            ]),
            &file,
        )
        .unwrap();
        assert_eq!(read.feeds.bytes, 5 * MIB, "the environment wins");
        assert_eq!(read.feeds.entries, CacheBounds::default().feeds.entries);
        assert_eq!(read.fragments.entries, 1000);
        assert_eq!(read.fragments.bytes, CacheBounds::default().fragments.bytes);
        assert_eq!(read.meeting_files.entries, 50, "from the file");
        let sqlite = CacheBounds::read(
            env(&[("MAILLAGE_SQLITE_CACHE_KIB", "256")]),
            &CacheFile::default(),
        )
        .unwrap();
        assert_eq!(sqlite.sqlite_page_cache_kib, 256);
        assert!(
            CacheBounds::read(
                env(&[("MAILLAGE_SQLITE_CACHE_KIB", "2 Mo")]),
                &CacheFile::default()
            )
            .is_err()
        );
    }

    #[test]
    fn a_bad_bound_stops_the_start_with_a_french_message_naming_it() {
        for (name, value, expected) in [
            (
                "MAILLAGE_FEED_CACHE_MIB",
                "beaucoup",
                "MAILLAGE_FEED_CACHE_MIB : un nombre entier de Mio est attendu, pas « beaucoup »",
            ),
            (
                "MAILLAGE_FRAGMENT_CACHE_ENTRIES",
                "-3",
                "MAILLAGE_FRAGMENT_CACHE_ENTRIES : un nombre entier d'entrées est attendu, pas « -3 »",
            ),
            (
                "MAILLAGE_MEETING_FILE_CACHE_ENTRIES",
                "0",
                "MAILLAGE_MEETING_FILE_CACHE_ENTRIES : la limite doit être d'au moins 1 (0 ne garderait rien)",
            ),
            (
                "MAILLAGE_MEETING_FILE_CACHE_MIB",
                "18446744073709551615",
                "MAILLAGE_MEETING_FILE_CACHE_MIB : 18446744073709551615 Mio, c'est trop grand",
            ),
        ] {
            let error = CacheBounds::read(env(&[(name, value)]), &CacheFile::default())
                .map(|_| ())
                .unwrap_err()
                .to_string();
            assert_eq!(error, expected);
        }
        let file = CacheFile {
            fragment_cache_mib: Some(0),
            ..CacheFile::default()
        };
        let error = CacheBounds::read(env(&[]), &file)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("MAILLAGE_FRAGMENT_CACHE_MIB : "),
            "{error}"
        );
    }
}

//! What a rerun keeps of the previous release, in memory that does not grow with its entries.
//!
//! A rerun carries unchanged reports over from the previous release: it needs each report's
//! manifest entry, the digest of each file the manifest lists and of each published report's
//! source (from the private state). Held as parsed, these took about 1.5 KB a report, so that
//! a nightly rerun of an archive of 30,000 reports went over 64 MiB. Here the entries are
//! written, as the manifest is parsed, to an unnamed temporary file (the published manifest's
//! own text: nothing private) and found by a 128-bit digest of their source; file and source
//! digests are kept as 32 bytes under a 128-bit digest of their name. An entry read back is
//! used only when its own source is the one asked for, so a collision of the 128-bit keys
//! would carry nothing over wrongly: the report would be made afresh.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

use serde::Deserialize;
use serde::de::{Deserializer, Error, MapAccess, SeqAccess, Visitor};

use mopac_types::manifest::DocumentEntry;

/// The 128-bit key of a name: the first half of its SHA-256.
pub fn key(name: &str) -> u128 {
    let digest = bytes_of(&mopac_types::sha256(name.as_bytes())).expect("a sha256 digest");
    let mut half = [0u8; 16];
    half.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(half)
}

/// A manifest's entries, spooled to an unnamed file, each found once by its source.
pub struct Entries {
    file: Mutex<File>,
    /// Where each entry's JSON stands in the file (offset and length), by the key of its
    /// source, sorted by key; each marked taken as it is read, so none is carried over twice.
    at: Mutex<Vec<Place>>,
}

impl Entries {
    /// The entry of `source`, taken out: `None` when there is none, or when the one found
    /// is of another source.
    pub fn take(&self, source: &str) -> io::Result<Option<DocumentEntry>> {
        let found = {
            let mut at = self.at.lock().unwrap_or_else(|e| e.into_inner());
            let wanted = key(source);
            match at.binary_search_by_key(&wanted, |p| p.key) {
                Ok(i) if !at[i].taken => {
                    at[i].taken = true;
                    Some((at[i].offset, at[i].len))
                }
                _ => None,
            }
        };
        let Some((offset, len)) = found else {
            return Ok(None);
        };
        let mut json = vec![0; len as usize];
        {
            let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
            file.seek(SeekFrom::Start(offset))?;
            file.read_exact(&mut json)?;
        }
        let entry: DocumentEntry = serde_json::from_slice(&json)?;
        Ok((entry.source == source).then_some(entry))
    }
}

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of document entries")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entries, A::Error> {
                let file = tempfile::tempfile().map_err(A::Error::custom)?;
                let mut out = io::BufWriter::new(file);
                let mut at = Vec::new();
                let mut offset = 0u64;
                while let Some(entry) = seq.next_element::<DocumentEntry>()? {
                    let json = serde_json::to_vec(&entry).map_err(A::Error::custom)?;
                    out.write_all(&json).map_err(A::Error::custom)?;
                    let len = u32::try_from(json.len()).map_err(A::Error::custom)?;
                    at.push(Place {
                        key: key(&entry.source),
                        offset,
                        len,
                        taken: false,
                    });
                    offset += u64::from(len);
                }
                let file = out.into_inner().map_err(|e| A::Error::custom(e.error()))?;
                // A source given twice: the last entry stands, as a map would keep it.
                last_of_each(&mut at, |p| p.key);
                Ok(Entries {
                    file: Mutex::new(file),
                    at: Mutex::new(at),
                })
            }
        }
        deserializer.deserialize_seq(Visit)
    }
}

/// Where an entry stands in the file of entries.
struct Place {
    key: u128,
    offset: u64,
    len: u32,
    taken: bool,
}

/// `items`, in the order they were read, sorted by `key`, each key once: of several, the
/// last read, as a map they were inserted into in that order would keep.
fn last_of_each<T>(items: &mut Vec<T>, key: impl Fn(&T) -> u128) {
    items.reverse();
    // A stable sort: of equal keys, the last read stays first.
    items.sort_by_key(&key);
    items.dedup_by_key(|i| key(i));
    items.shrink_to_fit();
}

/// `sha256:` digests by name (a file's path in the release, a report's source), each held
/// as its 32 bytes under the key of its name, sorted by key: 48 bytes a name.
#[derive(Default)]
pub struct Digests(Vec<(u128, [u8; 32])>);

impl Digests {
    /// True when `name` is listed with the digest `digest` (`sha256:` and 64 hex digits).
    pub fn holds(&self, name: &str, digest: &str) -> bool {
        let listed = self
            .0
            .binary_search_by_key(&key(name), |(k, _)| *k)
            .ok()
            .map(|i| self.0[i].1);
        match (listed, bytes_of(digest)) {
            (Some(listed), Some(given)) => listed == given,
            _ => false,
        }
    }
}

/// The 32 bytes of a `sha256:` digest written in lower-case hex; `None` for anything else.
fn bytes_of(digest: &str) -> Option<[u8; 32]> {
    let hex = digest.strip_prefix("sha256:")?.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let nibble = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 32];
    for (i, pair) in hex.chunks(2).enumerate() {
        out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(out)
}

impl<'de> Deserialize<'de> for Digests {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Digests;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of names to sha256: digests")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Digests, A::Error> {
                let mut digests = Vec::new();
                while let Some((name, digest)) = map.next_entry::<String, String>()? {
                    let bytes = bytes_of(&digest)
                        .ok_or_else(|| A::Error::custom(format!("not a sha256 digest: {name}")))?;
                    digests.push((key(&name), bytes));
                }
                last_of_each(&mut digests, |(k, _)| *k);
                Ok(Digests(digests))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_by_their_source_once() {
        let json = r#"[
            {"source":"a.md","status":"published","reasons":[],"outputs":["a.md"],"withheld":[]},
            {"source":"b.md","status":"quarantined","reasons":[],"outputs":[],"withheld":[]},
            {"source":"a.md","status":"published","reasons":[],"outputs":["a2.md"],"withheld":[]}
        ]"#;
        let entries: Entries = serde_json::from_str(json).unwrap();
        // A source given twice: the last entry stands.
        assert_eq!(entries.take("a.md").unwrap().unwrap().outputs, ["a2.md"]);
        assert_eq!(entries.take("b.md").unwrap().unwrap().source, "b.md");
        assert!(entries.take("b.md").unwrap().is_none());
        assert!(entries.take("c.md").unwrap().is_none());
    }

    #[test]
    fn digests_compare_by_their_bytes() {
        let d = format!("sha256:{}", "ab".repeat(32));
        let json = format!(r#"{{"x/a.html":"{d}"}}"#);
        let digests: Digests = serde_json::from_str(&json).unwrap();
        assert!(digests.holds("x/a.html", &d));
        assert!(!digests.holds("x/b.html", &d));
        assert!(!digests.holds("x/a.html", &format!("sha256:{}", "cd".repeat(32))));
        assert!(!digests.holds("x/a.html", "sha256:AB"));
        assert!(serde_json::from_str::<Digests>(r#"{"a":"md5:00"}"#).is_err());
        // A name given twice: the last digest stands, as in a map.
        let e = format!("sha256:{}", "ef".repeat(32));
        let twice = format!(r#"{{"a":"{d}","b":"{d}","a":"{e}"}}"#);
        let digests: Digests = serde_json::from_str(&twice).unwrap();
        assert!(digests.holds("a", &e) && !digests.holds("a", &d) && digests.holds("b", &d));
    }
}

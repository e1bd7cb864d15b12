//! The manifest: what a release holds and what became of every document.
//!
//! It records, for each document, its status, the reasons, its outputs and, for each
//! withheld span, its lines, marking and exemptions. It never holds withheld text, nor the
//! title of a document that was not published: the manifest is itself part of the release.
//!
//! Nor does it hold an unkeyed digest of anything that contains withheld text. A SHA-256 of
//! a short withheld sentence, or of a source whose Part 2 is short (its every other byte is
//! published), is recovered by trying the likely values (amounts, names). So the release's
//! manifest gives no digest of a withheld span, and a source digest only for a report
//! published whole (nothing withheld: the digest is of public text). An audit re-derives
//! from the sources what must be withheld (`verify RELEASE --source`); the digests a run
//! makes stay in its memory and in the private carry-over state beside the release (see
//! `src/release.rs`), never in the release. The reading is strict: a manifest with a key
//! this schema does not name is refused, since an extra key could carry anything.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize, Serializer};

use crate::reason::Reason;
use crate::removal::RemovalKind;

/// What happened to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Published,
    Withheld,
    Deferred,
    Quarantined,
}

impl Status {
    /// The status as the manifest writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Withheld => "withheld",
            Status::Deferred => "deferred",
            Status::Quarantined => "quarantined",
        }
    }
}

/// One removed span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithheldSpan {
    pub kind: RemovalKind,
    /// 1-based first and last source lines.
    pub lines: [usize; 2],
    /// For a span that is part of a line (`markup`): the 1-based byte column it starts at on
    /// its first line, and the column just after it on its last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<[usize; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marking: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exemptions: Vec<String>,
    /// `sha256:` of the removed bytes, for the run's own records: never in the release
    /// (see [`DocumentEntry::for_release`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
}

/// One document's entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentEntry {
    /// The path relative to the input given (never an absolute path); empty (and not
    /// written) in the release's manifest for a report not published.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    pub status: Status,
    /// `sha256:` of the source bytes; in the release's manifest only for a report published
    /// whole (see [`DocumentEntry::for_release`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
    /// For a Word report, `sha256:` of the Markdown derived from it, the source of record
    /// that the withheld lines and the published Markdown refer to (`sha256` stays the
    /// digest of the file given); empty for a Markdown report. In the release's manifest
    /// under the same rule as `sha256`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub markdown_sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The date the page and the index show (published reports only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// The meeting the page shows (published reports only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marking: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exemptions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_after: Option<Date>,
    pub reasons: Vec<Reason>,
    /// Details that stand in both the published and the withheld part (not refused).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Reason>,
    pub outputs: Vec<String>,
    pub withheld: Vec<WithheldSpan>,
}

impl DocumentEntry {
    /// What the release's manifest says of this document. The manifest is published with
    /// the release, so it keeps of the withheld part only what an auditor needs (lines,
    /// markings, exemptions): no digest of a withheld span, nor of a source with anything
    /// withheld or not published (either could be confirmed by guessing); not the details
    /// that Part 1 shares with it (the jigsaw warnings, which tell where Part 2 repeats a
    /// published figure, are for the approver: the run's log and summary and `explain` give
    /// them); and, for a report not published, not its file name, which can carry its
    /// title: such a report is a status and reasons, nothing that names it.
    pub fn for_release(mut self) -> Self {
        self.warnings.clear();
        for span in &mut self.withheld {
            span.sha256.clear();
        }
        if self.status != Status::Published || !self.withheld.is_empty() {
            self.sha256.clear();
            self.markdown_sha256.clear();
        }
        if self.status != Status::Published {
            self.source.clear();
        }
        self
    }
}

/// The whole manifest; its documents as entries, or in another form that reads a list of
/// them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest<D = Vec<DocumentEntry>> {
    pub generator: String,
    pub as_of: Date,
    /// `sha256:` of the classifications used.
    pub classifications: String,
    pub documents: D,
    /// Every other file of the release, by relative path, with its `sha256:`.
    pub files: BTreeMap<String, String>,
}

/// A manifest to write, borrowing its documents and files or reading them as it goes
/// ([`SeqOf`], [`MapOf`]): serialised straight to its file, so that a large batch is never
/// held in memory. Same fields, same order as [`Manifest`].
#[derive(Debug, Clone, Serialize)]
pub struct ManifestView<'a, D = PackedDocuments<'a>, F = &'a BTreeMap<String, String>> {
    pub generator: &'a str,
    pub as_of: Date,
    pub classifications: &'a str,
    pub documents: D,
    pub files: F,
}

impl<D: Serialize, F: Serialize> ManifestView<'_, D, F> {
    /// Writes pretty JSON with a final newline.
    pub fn write_to(&self, mut w: impl std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut w, self)?;
        w.write_all(b"\n")?;
        w.flush()
    }
}

/// A document's entry held as its compact JSON, with its status at hand: a batch of many
/// thousand reports keeps its manifest in about the manifest's own size, not several times
/// it as separate strings and lists would.
#[derive(Debug, Clone)]
pub struct PackedEntry {
    pub status: Status,
    json: Box<[u8]>,
}

impl PackedEntry {
    pub fn pack(entry: &DocumentEntry) -> Self {
        PackedEntry {
            status: entry.status,
            json: serde_json::to_vec(entry)
                .expect("an entry serialises")
                .into_boxed_slice(),
        }
    }

    pub fn unpack(&self) -> DocumentEntry {
        self.try_unpack()
            .expect("an entry packed by this program reads back")
    }

    fn try_unpack(&self) -> serde_json::Result<DocumentEntry> {
        serde_json::from_slice(&self.json)
    }
}

/// Packed entries, serialised as the list of their entries, one unpacked at a time.
#[derive(Debug, Clone, Copy)]
pub struct PackedDocuments<'a>(pub &'a [PackedEntry]);

impl Serialize for PackedDocuments<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for packed in self.0 {
            // Never expected to fail; if it did, the manifest is not written and the release
            // not swapped in: an error, not a panic.
            let entry = packed.try_unpack().map_err(S::Error::custom)?;
            seq.serialize_element(&entry.for_release())?;
        }
        seq.end()
    }
}

/// A list serialised from the values an iterator gives, once: a list read from a file as it
/// is written out. An error of the iterator is the serialiser's.
pub struct SeqOf<I>(std::cell::RefCell<Option<I>>);

impl<I> SeqOf<I> {
    pub fn new(values: I) -> Self {
        SeqOf(std::cell::RefCell::new(Some(values)))
    }
}

impl<I, T, E> Serialize for SeqOf<I>
where
    I: Iterator<Item = Result<T, E>>,
    T: Serialize,
    E: std::fmt::Display,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let values = self
            .0
            .borrow_mut()
            .take()
            .ok_or_else(|| S::Error::custom("a list serialised twice"))?;
        let mut seq = serializer.serialize_seq(None)?;
        for value in values {
            seq.serialize_element(&value.map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

/// A map serialised from the keys and values an iterator gives (in the order given), once.
pub struct MapOf<I>(std::cell::RefCell<Option<I>>);

impl<I> MapOf<I> {
    pub fn new(entries: I) -> Self {
        MapOf(std::cell::RefCell::new(Some(entries)))
    }
}

impl<I, K, V, E> Serialize for MapOf<I>
where
    I: Iterator<Item = Result<(K, V), E>>,
    K: Serialize,
    V: Serialize,
    E: std::fmt::Display,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeMap};
        let entries = self
            .0
            .borrow_mut()
            .take()
            .ok_or_else(|| S::Error::custom("a map serialised twice"))?;
        let mut map = serializer.serialize_map(None)?;
        for entry in entries {
            let (k, v) = entry.map_err(S::Error::custom)?;
            map.serialize_entry(&k, &v)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reason::Code;

    fn entry(source: &str) -> DocumentEntry {
        DocumentEntry {
            source: source.into(),
            status: Status::Published,
            sha256: "sha256:ab".into(),
            markdown_sha256: "sha256:ef".into(),
            title: Some("MPS Custody CCTV – Upgrade".into()),
            reference: Some("PCD 1084".into()),
            date: Some(jiff::civil::date(2025, 5, 9)),
            meeting: None,
            marking: Some("OFFICIAL-SENSITIVE COMMERCIAL".into()),
            exemptions: vec!["s43".into()],
            publish_after: None,
            reasons: vec![],
            warnings: vec![Reason::new(
                Code::Jigsaw,
                3,
                "the amount \"£1\" stands here",
            )],
            outputs: vec!["a.md".into(), "a.html".into()],
            withheld: vec![WithheldSpan {
                kind: RemovalKind::Part2,
                lines: [9, 12],
                columns: None,
                marking: None,
                exemptions: vec![],
                sha256: "sha256:cd".into(),
            }],
        }
    }

    /// The release's manifest names no report that was not published and gives no detail
    /// Part 1 shares with Part 2.
    #[test]
    fn the_release_says_only_what_may_be_published() {
        let published = entry("in/a.md").for_release();
        assert_eq!(published.source, "in/a.md");
        assert!(published.warnings.is_empty());
        let mut withheld = entry("in/Operation Nightingale payments.md");
        withheld.status = Status::Withheld;
        let withheld = withheld.for_release();
        assert!(withheld.source.is_empty());
        assert!(
            !serde_json::to_string(&withheld)
                .unwrap()
                .contains("Nightingale")
        );
    }

    /// No digest of withheld text, nor of a source with anything withheld or not published,
    /// reaches the release: a short one is recovered by trying values. A report published
    /// whole keeps its source digest, which is of public text.
    #[test]
    fn the_release_holds_no_guessable_digest() {
        let with_part2 = entry("in/a.md");
        assert!(!with_part2.sha256.is_empty());
        let text = serde_json::to_string(&with_part2.for_release()).unwrap();
        assert!(!text.contains("sha256"), "{text}");
        let mut deferred = entry("in/a.md");
        (deferred.status, deferred.withheld) = (Status::Deferred, Vec::new());
        let text = serde_json::to_string(&deferred.for_release()).unwrap();
        assert!(!text.contains("sha256"), "{text}");
        let mut whole = entry("in/a.md");
        whole.withheld.clear();
        assert_eq!(whole.clone().for_release().sha256, whole.sha256);
        let kept = whole.clone().for_release().markdown_sha256;
        assert_eq!(kept, whole.markdown_sha256);
    }

    /// A key the schema does not name is refused, at every level: it could carry anything.
    #[test]
    fn a_manifest_with_an_unknown_key_is_refused() {
        let plain: Manifest = Manifest {
            generator: "g".into(),
            as_of: jiff::civil::date(2026, 11, 25),
            classifications: "sha256:x".into(),
            documents: vec![entry("in/a.md")],
            files: BTreeMap::new(),
        };
        let good = serde_json::to_value(&plain).unwrap();
        let mut top = good.clone();
        top["note"] = "Three bids were received.".into();
        let mut doc = good.clone();
        doc["documents"][0]["note"] = "x".into();
        let mut span = good.clone();
        span["documents"][0]["withheld"][0]["text"] = "x".into();
        let mut one_reason = serde_json::to_value(Reason::new(Code::Panic, 1, "m")).unwrap();
        let mut reason = good.clone();
        reason["documents"][0]["reasons"] = serde_json::json!([one_reason.clone()]);
        assert!(serde_json::from_value::<Manifest>(reason.clone()).is_ok());
        one_reason["x"] = 1.into();
        reason["documents"][0]["reasons"] = serde_json::json!([one_reason]);
        for bad in [top, doc, span, reason] {
            assert!(serde_json::from_value::<Manifest>(bad).is_err());
        }
    }

    #[test]
    fn a_packed_entry_reads_back_as_it_was() {
        let e = entry("in/a.md");
        let packed = PackedEntry::pack(&e);
        assert_eq!(packed.status, Status::Published);
        assert_eq!(packed.unpack(), e);
    }

    /// Written from packed entries, a manifest is what the entries give for the release; read
    /// back packed by source, each entry is found under its source.
    #[test]
    fn packed_documents_write_and_read_like_entries() {
        let entries = [entry("in/a.md"), entry("in/b.md")];
        let packed: Vec<PackedEntry> = entries.iter().map(PackedEntry::pack).collect();
        let files: BTreeMap<String, String> = BTreeMap::new();
        let view = ManifestView {
            generator: "g",
            as_of: jiff::civil::date(2026, 11, 25),
            classifications: "sha256:x",
            documents: PackedDocuments(&packed),
            files: &files,
        };
        let mut written = Vec::new();
        view.write_to(&mut written).unwrap();
        let plain: Manifest = Manifest {
            generator: "g".into(),
            as_of: jiff::civil::date(2026, 11, 25),
            classifications: "sha256:x".into(),
            documents: entries
                .iter()
                .cloned()
                .map(DocumentEntry::for_release)
                .collect(),
            files: BTreeMap::new(),
        };
        let expected = format!("{}\n", serde_json::to_string_pretty(&plain).unwrap());
        assert_eq!(String::from_utf8(written.clone()).unwrap(), expected);
        // Dates and kinds are typed here and written as the schema has always had them.
        let text = String::from_utf8(written.clone()).unwrap();
        for field in [
            "\"as_of\": \"2026-11-25\"",
            "\"date\": \"2025-05-09\"",
            "\"kind\": \"part2\"",
        ] {
            assert!(text.contains(field), "{field} in {text}");
        }
        // Written from iterators as they go, the manifest is the same bytes.
        let streamed = ManifestView {
            generator: "g",
            as_of: jiff::civil::date(2026, 11, 25),
            classifications: "sha256:x",
            documents: SeqOf::new(
                entries
                    .iter()
                    .cloned()
                    .map(|e| Ok::<_, String>(e.for_release())),
            ),
            files: MapOf::new(std::iter::empty::<Result<(String, String), String>>()),
        };
        let mut again = Vec::new();
        streamed.write_to(&mut again).unwrap();
        assert_eq!(again, written);
        let read: Manifest = serde_json::from_slice(&written).unwrap();
        assert_eq!(read.documents.len(), 2);
        assert_eq!(read.documents[1], entries[1].clone().for_release());
    }
}

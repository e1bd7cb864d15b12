//! The manifest: what a release holds and what became of every document.
//!
//! It records, for each document, its status, the reasons, its outputs and, for each
//! withheld span, its lines, marking, exemptions and SHA-256, so an auditor can match the
//! release to the sources. It never holds withheld text, nor the title of a document that
//! was not published: the manifest is itself part of the release.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
pub struct WithheldSpan {
    pub kind: RemovalKind,
    /// 1-based first and last source lines.
    pub lines: [usize; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marking: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exemptions: Vec<String>,
    pub sha256: String,
}

/// One document's entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEntry {
    /// The path as given; empty (and not written) in the release's manifest for a report
    /// not published.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    pub status: Status,
    /// `sha256:` of the source bytes.
    pub sha256: String,
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
    /// markings, digests): not the details that Part 1 shares with it (the jigsaw warnings,
    /// which tell where Part 2 repeats a published figure, are for the approver: the run's
    /// log and summary and `explain` give them), and, for a report not published, not its
    /// file name, which can carry its title (a digest of the name could be confirmed by
    /// guessing): such a report is known by its content's SHA-256 alone.
    pub fn for_release(mut self) -> Self {
        self.warnings.clear();
        if self.status != Status::Published {
            self.source.clear();
        }
        self
    }
}

/// The whole manifest; its documents as entries, or as a later run reads them
/// ([`PackedBySource`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest<D = Vec<DocumentEntry>> {
    pub generator: String,
    pub as_of: Date,
    /// `sha256:` of the classifications used.
    pub classifications: String,
    pub documents: D,
    /// Every other file of the release, by relative path, with its `sha256:`.
    pub files: BTreeMap<String, String>,
}

/// A manifest to write, borrowing its documents and files: serialised straight to its file,
/// so that a large batch is not held twice in memory. Same fields, same order as [`Manifest`].
#[derive(Debug, Clone, Serialize)]
pub struct ManifestView<'a> {
    pub generator: &'a str,
    pub as_of: Date,
    pub classifications: &'a str,
    pub documents: PackedDocuments<'a>,
    pub files: &'a BTreeMap<String, String>,
}

impl ManifestView<'_> {
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

/// A manifest's documents by source, each packed as it is read: reading a large previous
/// manifest never holds all its entries unpacked.
#[derive(Debug)]
pub struct PackedBySource(pub HashMap<String, PackedEntry>);

impl<'de> Deserialize<'de> for PackedBySource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = PackedBySource;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of document entries")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<PackedBySource, A::Error> {
                let mut map = HashMap::new();
                while let Some(entry) = seq.next_element::<DocumentEntry>()? {
                    map.insert(entry.source.clone(), PackedEntry::pack(&entry));
                }
                Ok(PackedBySource(map))
            }
        }
        deserializer.deserialize_seq(Visit)
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
        let files = BTreeMap::new();
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
        let read: Manifest<PackedBySource> = serde_json::from_slice(&written).unwrap();
        assert_eq!(read.documents.0.len(), 2);
        assert_eq!(
            read.documents.0["in/b.md"].unpack(),
            entries[1].clone().for_release()
        );
    }
}

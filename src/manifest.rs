//! The manifest: what a release holds and what became of every document.
//!
//! It records, for each document, its status, the reasons, its outputs and, for each
//! withheld span, its lines, marking, exemptions and SHA-256, so an auditor can match the
//! release to the sources. It never holds withheld text, nor the title of a document that
//! was not published: the manifest is itself part of the release.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::reason::Reason;

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
    /// "part2", "front-matter" or "orphaned-definition".
    pub kind: String,
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
    pub date: Option<String>,
    /// The meeting the page shows (published reports only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marking: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exemptions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_after: Option<String>,
    pub reasons: Vec<Reason>,
    /// Details that stand in both the published and the withheld part (not refused).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Reason>,
    pub outputs: Vec<String>,
    pub withheld: Vec<WithheldSpan>,
}

/// The whole manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub generator: String,
    pub as_of: String,
    /// `sha256:` of the classifications used.
    pub classifications: String,
    pub documents: Vec<DocumentEntry>,
    /// Every other file of the release, by relative path, with its `sha256:`.
    pub files: BTreeMap<String, String>,
}

/// A manifest to write, borrowing its documents and files: serialised straight to its file,
/// so that a large batch is not held twice in memory. Same fields, same order as [`Manifest`].
#[derive(Debug, Clone, Serialize)]
pub struct ManifestView<'a> {
    pub generator: &'a str,
    pub as_of: String,
    pub classifications: &'a str,
    pub documents: &'a [DocumentEntry],
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

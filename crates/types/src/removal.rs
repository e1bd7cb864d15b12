//! What a redaction removed from a report: the spans the redactor cuts and the verifier checks.

use std::ops::Range;

/// What was removed from a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovalKind {
    /// Restricted Part 2 content.
    Part2,
    /// Front matter lines whose keys are not published.
    FrontMatter,
    /// Definitions that only the withheld part referred to.
    OrphanedDefinition,
}

/// One contiguous removed span of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub kind: RemovalKind,
    pub range: Range<usize>,
    /// 1-based first and last lines.
    pub lines: (usize, usize),
    /// `sha256:` of the removed bytes, so an auditor can match them to the source.
    pub sha256: String,
}

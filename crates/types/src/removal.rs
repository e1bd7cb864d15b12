//! What a redaction removed from a report: the spans the redactor cuts and the verifier checks.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// What was removed from a report; the manifest writes it as "part2", "front-matter",
/// "orphaned-definition" or "markup".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RemovalKind {
    /// Restricted Part 2 content.
    Part2,
    /// Front matter lines whose keys are not published.
    FrontMatter,
    /// Definitions that only the withheld part referred to.
    OrphanedDefinition,
    /// Markup with no text of its own on the Part 2 banner or the marking statement (an
    /// empty bookmark span, a span setting normal weight), part of a line: the line is
    /// published as its plain text.
    Markup,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The manifest's words for each kind are part of its schema: auditors read them.
    #[test]
    fn each_kind_keeps_its_manifest_name() {
        for (kind, name) in [
            (RemovalKind::Part2, "\"part2\""),
            (RemovalKind::FrontMatter, "\"front-matter\""),
            (RemovalKind::OrphanedDefinition, "\"orphaned-definition\""),
            (RemovalKind::Markup, "\"markup\""),
        ] {
            assert_eq!(serde_json::to_string(&kind).unwrap(), name);
            assert_eq!(serde_json::from_str::<RemovalKind>(name).unwrap(), kind);
        }
    }
}

//! Review: what an approver reads before signing off a release.
//!
//! - [`explain`]: every block of a report with its line range and verdict, the marking, the
//!   exemptions cited and why, or the reasons it is refused and their remedies.
//! - [`redline`]: a private HTML review copy, the withheld content struck through and shaded
//!   beside its exemption, marked NOT FOR PUBLICATION at top and bottom.
//! - [`restricted_part`]: a report's withheld part as its own Markdown file, marked at top
//!   and bottom, for `publish --restricted-out`.
//!
//! These outputs carry restricted text by design. None of them is ever written into a
//! release: a review copy is written only to a [`ReviewTarget`], which refuses a place
//! inside one, and `--restricted-out` is refused by [`crate::publish::Plan`].

use std::fmt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;

use mopac_redactor::classify::Role;
use mopac_redactor::config::Classifications;
use mopac_redactor::redact::line_ending;
use mopac_redactor::render::{body, escape};
use mopac_redactor::{Analysis, Outcome, analyse};
use mopac_types::RemovalKind;
use mopac_types::manifest::Status;
use mopac_types::names::MANIFEST;
use mopac_types::reason::{Code, Reason};

use crate::paths;
use crate::release::write_whole;

/// A reason with what to do about it.
#[derive(Debug, Clone, Serialize)]
pub struct Advice {
    pub line: usize,
    pub code: Code,
    pub message: String,
    pub remedy: &'static str,
}

impl From<&Reason> for Advice {
    fn from(r: &Reason) -> Self {
        Advice {
            line: r.line,
            code: r.code,
            message: r.message.clone(),
            remedy: r.code.remedy(),
        }
    }
}

/// One block of the report and what becomes of it.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// 1-based first and last lines; absent for the generated notice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<[usize; 2]>,
    pub verdict: Verdict,
    /// The block's first line, shortened: restricted text for a withheld block.
    pub excerpt: String,
}

/// The first non-blank line of `text`, at most 60 characters.
fn excerpt(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let mut out: String = line.chars().take(60).collect();
    if line.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// An exemption and the descriptors that cite it.
#[derive(Debug, Clone, Serialize)]
pub struct Cited {
    pub id: String,
    pub section: String,
    pub reason: String,
    pub descriptors: Vec<String>,
}

/// Everything an approver needs to know about one report.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub source: String,
    /// What publishing it would do: deferred when [`explain_on`] was given a date before its
    /// `publish_after`.
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marking: Option<String>,
    pub exemptions: Vec<Cited>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_after: Option<Date>,
    pub blocks: Vec<Block>,
    pub reasons: Vec<Advice>,
    pub warnings: Vec<Reason>,
}

/// What publishing does with one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Published as written.
    Public,
    /// The Part 2 banner, published.
    Part2Banner,
    /// Between the banner and the marking, published.
    Preamble,
    /// The marking under the banner, published.
    Marking,
    /// Restricted Part 2 content, deleted.
    Withheld,
    /// Front matter not published, deleted.
    FrontMatterRemoved,
    /// A definition only the withheld part refers to, deleted.
    OrphanedDefinition,
    /// Markup with no text of its own on the banner or statement, deleted from its line.
    MarkupRemoved,
    /// The exemption notice, written by the tool.
    Notice,
}

impl Verdict {
    /// The verdict as `explain` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Public => "public",
            Verdict::Part2Banner => "part2-banner",
            Verdict::Preamble => "preamble",
            Verdict::Marking => "marking",
            Verdict::Withheld => "withheld",
            Verdict::FrontMatterRemoved => "front-matter-removed",
            Verdict::OrphanedDefinition => "orphaned-definition",
            Verdict::MarkupRemoved => "markup-removed",
            Verdict::Notice => "notice",
        }
    }
}

impl From<Role> for Verdict {
    fn from(role: Role) -> Self {
        match role {
            Role::Public => Verdict::Public,
            Role::Part2Banner => Verdict::Part2Banner,
            Role::Preamble => Verdict::Preamble,
            Role::Marking => Verdict::Marking,
            Role::Withheld => Verdict::Withheld,
            Role::FrontMatterRemoved => Verdict::FrontMatterRemoved,
            Role::Orphaned => Verdict::OrphanedDefinition,
            Role::Markup => Verdict::MarkupRemoved,
        }
    }
}

/// Pads like a string, so that verdicts line up in a column.
impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Explains what publishing on the date `as_of` would do with the report `bytes`, named
/// `source`: as [`explain`], deferred when `as_of` is before its `publish_after`.
pub fn explain_on(
    source: &str,
    bytes: &[u8],
    config: &Classifications,
    as_of: Date,
) -> Explanation {
    let mut e = explain(source, bytes, config);
    if e.status == Status::Published && e.publish_after.is_some_and(|due| due > as_of) {
        e.status = Status::Deferred;
    }
    e
}

/// Explains what publishing would do with the report `bytes`, named `source`, whatever its
/// `publish_after`.
pub fn explain(source: &str, bytes: &[u8], config: &Classifications) -> Explanation {
    let mut e = Explanation {
        source: source.to_string(),
        status: Status::Quarantined,
        title: None,
        marking: None,
        exemptions: Vec::new(),
        publish_after: None,
        blocks: Vec::new(),
        reasons: Vec::new(),
        warnings: Vec::new(),
    };
    let (bytes, places) = match crate::word::source_of(source, bytes, config) {
        Ok(read) => read,
        Err(reasons) => {
            e.reasons = reasons.iter().map(Advice::from).collect();
            return e;
        }
    };
    let a = match analyse(&bytes, config) {
        Outcome::Quarantined(reasons, _) => {
            e.reasons = reasons.iter().map(Advice::from).collect();
            return e;
        }
        Outcome::Withheld(reason, _) => {
            e.status = Status::Withheld;
            e.reasons = vec![Advice::from(&reason)];
            return e;
        }
        Outcome::Redacted(a) => a,
    };
    if let Some(reason) = crate::word::refused(&a, &places) {
        e.reasons = vec![Advice::from(&reason)];
        return e;
    }
    e.status = Status::Published;
    e.title = a.classified.title.clone();
    e.publish_after = a
        .classified
        .front_matter
        .as_ref()
        .and_then(|f| f.publish_after);
    for piece in &a.classified.pieces {
        if a.body[piece.range.clone()].trim().is_empty() {
            continue;
        }
        let (first, last) = a.lines.span(&piece.range);
        e.blocks.push(Block {
            lines: Some([first, last]),
            verdict: piece.role.into(),
            excerpt: excerpt(&a.body[piece.range.clone()]),
        });
    }
    if let Some(part2) = &a.classified.part2 {
        e.marking = Some(part2.marking.canonical());
        e.exemptions =
            part2
                .exemptions
                .iter()
                .map(|x| Cited {
                    id: x.id.clone(),
                    section: x.section.clone(),
                    reason: x.reason.clone(),
                    descriptors: part2
                        .descriptors
                        .iter()
                        .filter(|d| {
                            config.markings.descriptors.iter().any(|t| {
                                &&t.id == d && t.exemption.as_deref() == Some(x.id.as_str())
                            })
                        })
                        .cloned()
                        .collect(),
                })
                .collect();
        e.blocks.push(Block {
            lines: None,
            verdict: Verdict::Notice,
            excerpt: excerpt(&a.redacted.notice),
        });
    }
    e.warnings = mopac_redactor::jigsaw::warnings(
        a.body,
        &a.redacted.removals,
        &a.lines,
        a.classified.title.as_deref(),
        config,
    );
    e
}

/// The folder holding a release (its `manifest.json`) that `path` lies in, if any, wherever
/// `..` and symbolic links lead.
pub fn release_around(path: &Path) -> Option<PathBuf> {
    let path = paths::resolve(path).ok()?;
    path.ancestors()
        .skip(1)
        .find(|dir| dir.join(MANIFEST).is_file())
        .map(Path::to_path_buf)
}

/// Where a review copy may be written: not inside a release.
#[derive(Debug)]
pub struct ReviewTarget(PathBuf);

/// A review copy asked for inside a release.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} is inside the release {}: a review copy carries restricted text and may never be written into a release",
    .out.display(), .release.display()
)]
pub struct InsideRelease {
    pub out: PathBuf,
    pub release: PathBuf,
}

impl ReviewTarget {
    /// `out`, unless it lies inside a release.
    pub fn new(out: &Path) -> Result<Self, InsideRelease> {
        match release_around(out) {
            Some(release) => Err(InsideRelease {
                out: out.to_path_buf(),
                release,
            }),
            None => Ok(ReviewTarget(out.to_path_buf())),
        }
    }

    /// The path, as given.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

/// What `redline` did.
#[derive(Debug)]
pub enum Redlined {
    /// The review copy is written.
    Written,
    /// The report would not be published: no review copy, and why.
    NotPublishable(Box<Explanation>),
}

/// A report's bytes and the name messages give it (the path as given).
pub fn read(file: &Path) -> Result<(String, Vec<u8>), CannotRead> {
    if file.is_dir() {
        // The system's words ("Is a directory (os error 21)") do not say what to do.
        return Err(CannotRead {
            path: file.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "a folder, not a report: explain and redline take one report file (check takes folders)",
            ),
        });
    }
    match std::fs::read(file) {
        Ok(bytes) => Ok((file.display().to_string(), bytes)),
        Err(source) => Err(CannotRead {
            path: file.to_path_buf(),
            source,
        }),
    }
}

/// A report that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", .path.display())]
pub struct CannotRead {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// The review copy could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", .path.display())]
pub struct CannotWrite {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Writes the review copy of the report `bytes` (named `source`) to `to`, or explains why
/// the report has none.
pub fn write_redline(
    to: &ReviewTarget,
    source: &str,
    bytes: &[u8],
    config: &Classifications,
) -> Result<Redlined, CannotWrite> {
    let not_publishable = || {
        let why = explain(source, bytes, config);
        Ok(Redlined::NotPublishable(Box::new(why)))
    };
    let Ok((markdown, places)) = crate::word::source_of(source, bytes, config) else {
        return not_publishable();
    };
    let Outcome::Redacted(a) = analyse(&markdown, config) else {
        return not_publishable();
    };
    if crate::word::refused(&a, &places).is_some() {
        return not_publishable();
    }
    write_whole(to.path(), redline(source, &a, config).as_bytes()).map_err(|source| {
        CannotWrite {
            path: to.path().to_path_buf(),
            source,
        }
    })?;
    Ok(Redlined::Written)
}

const REDLINE_STYLE: &str = "body{font-family:Arial,Helvetica,sans-serif;max-width:52rem;margin:0 auto;padding:1rem;line-height:1.5;color:#0b0c0c}\
.review{background:#d4351c;color:#fff;font-weight:bold;text-align:center;padding:.5rem;letter-spacing:.05em}\
.kept{border-left:4px solid #00703c;padding-left:.75rem}\
.withheld{background:#f3d6d2;border-left:4px solid #d4351c;padding-left:.75rem;text-decoration:line-through}\
.removed{background:#eee;border-left:4px solid #505a5f;padding-left:.75rem;text-decoration:line-through}\
.why{display:block;text-decoration:none;font-size:.85rem;font-weight:bold;color:#942514}\
.notice{border-left:4px solid #1d70b8;padding-left:.75rem}\
.notice .why{color:#1d70b8}";

/// The private review copy of an analysed report: the published blocks as they are, the
/// withheld ones struck through and shaded with the exemptions beside them, the generated
/// notice marked as such.
pub fn redline(source: &str, a: &Analysis<'_>, config: &Classifications) -> String {
    let stamp = "NOT FOR PUBLICATION – REVIEW COPY";
    let title = a.classified.title.as_deref().unwrap_or(source);
    let why = a.classified.part2.as_ref().map_or_else(String::new, |p| {
        let cited: Vec<String> = p
            .exemptions
            .iter()
            .map(|e| format!("{} ({})", e.reason, e.id))
            .collect();
        format!(
            "Withheld – {} – {}",
            p.marking.canonical(),
            cited.join("; ")
        )
    });
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex, nofollow\">\n\
         <title>{stamp}: {}</title>\n<style>{REDLINE_STYLE}</style>\n</head>\n<body>\n\
         <p class=\"review\">{stamp}</p>\n<h1>{}</h1>\n<p>Review copy of <code>{}</code>. Green: published as it is. \
         Red, struck through: withheld. Grey: removed from the front matter. Blue: the notice the tool writes.</p>\n<main>\n",
        escape(title),
        escape(title),
        escape(source)
    );
    for piece in &a.classified.pieces {
        let text = &a.body[piece.range.clone()];
        if text.trim().is_empty() {
            continue;
        }
        let (first, last) = a.lines.span(&piece.range);
        let (class, label) = match piece.role {
            Role::Withheld => ("withheld", why.clone()),
            Role::FrontMatterRemoved => (
                "removed",
                "Removed – front matter not published".to_string(),
            ),
            Role::Orphaned => (
                "removed",
                "Removed – a definition only the withheld part refers to".to_string(),
            ),
            Role::Markup => (
                "removed",
                "Removed – markup with no text of its own on the banner or statement".to_string(),
            ),
            Role::Public | Role::Part2Banner | Role::Preamble | Role::Marking => {
                ("kept", String::new())
            }
        };
        out.push_str(&format!(
            "<div class=\"{class}\" title=\"lines {first}-{last}\">"
        ));
        if !label.is_empty() {
            out.push_str(&format!(
                "<span class=\"why\">{} (lines {first}-{last})</span>",
                escape(&label)
            ));
        }
        if matches!(
            piece.role,
            Role::FrontMatterRemoved | Role::Orphaned | Role::Markup
        ) {
            out.push_str(&format!("<pre>{}</pre>", escape(text)));
        } else {
            out.push_str(&body(text, config));
        }
        out.push_str("</div>\n");
    }
    if !a.redacted.notice.is_empty() {
        out.push_str("<div class=\"notice\"><span class=\"why\">Notice written by the tool from the classifications</span>");
        out.push_str(&body(&a.redacted.notice, config));
        out.push_str("</div>\n");
    }
    out.push_str(&format!(
        "</main>\n<p class=\"review\">{stamp}</p>\n</body>\n</html>\n"
    ));
    out
}

/// The withheld part of an analysed report as its own Markdown, with its marking at top and
/// bottom and a pointer to the public version (`public`, its path in the release); `None`
/// for a report with no Part 2.
pub fn restricted_part(a: &Analysis<'_>, public: &str, config: &Classifications) -> Option<String> {
    let part2 = a.classified.part2.as_ref()?;
    let eol = line_ending(a.body);
    let marking = part2.marking.canonical();
    let title = a.classified.title.as_deref().unwrap_or_default();
    let header = config
        .notice
        .restricted_header
        .replace("{title}", title)
        .replace("{public}", public);
    let mut out = format!("{marking}{eol}{eol}{header}{eol}{eol}");
    for r in a
        .redacted
        .removals
        .iter()
        .filter(|r| r.kind == RemovalKind::Part2)
    {
        let text = &a.body[r.range.clone()];
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push_str(eol);
        }
    }
    if !out.ends_with(&format!("{eol}{eol}")) {
        out.push_str(eol);
    }
    out.push_str(&marking);
    out.push_str(eol);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "MAYOR OF LONDON\n\nMPS Kiosk Renewal\n\n\
        Part 1 – This section of the report will be published by MOPAC. It is classified as OFFICIAL – PUBLIC\n\n\
        Public text.\n\n\
        Part 2 – This section refers to the details of the Part 2 business case which is NOT SUITABLE for MOPAC Publication.\n\n\
        The Government Security Classification marking for Part 2 is:\n\n\
        OFFICIAL-SENSITIVE COMMERCIAL PERSONAL DATA\n\n\
        The preferred bidder is Brackenridge at £612,450.\n";

    fn config() -> Classifications {
        Classifications::defaults().unwrap()
    }

    #[test]
    fn explain_gives_every_block_its_verdict_and_each_exemption_its_descriptor() {
        let e = explain("r.md", REPORT.as_bytes(), &config());
        assert_eq!(e.status, Status::Published);
        let verdicts: Vec<&str> = e.blocks.iter().map(|b| b.verdict.as_str()).collect();
        assert_eq!(
            verdicts,
            [
                "public",
                "public",
                "public",
                "public",
                "part2-banner",
                "preamble",
                "marking",
                "withheld",
                "notice"
            ]
        );
        assert_eq!(e.blocks[7].lines, Some([15, 15]));
        let cited: Vec<(&str, &[String])> = e
            .exemptions
            .iter()
            .map(|c| (c.id.as_str(), c.descriptors.as_slice()))
            .collect();
        assert_eq!(
            cited,
            [
                ("s43", &["COMMERCIAL".to_string()][..]),
                ("s40", &["PERSONAL DATA".to_string()][..])
            ]
        );
    }

    #[test]
    fn explain_gives_the_remedy_of_a_refusal() {
        let bad = REPORT.replace("Public text.", "Public text (OFFICIAL-SENSITIVE).");
        let e = explain("r.md", bad.as_bytes(), &config());
        assert_eq!(e.status, Status::Quarantined);
        assert_eq!(e.reasons[0].code, Code::SensitiveMarkingInPublic);
        assert_eq!(e.reasons[0].line, 7);
        assert!(e.reasons[0].remedy.contains("remove the marking"));
    }

    #[test]
    fn the_redline_strikes_the_withheld_text_and_is_stamped() {
        let Outcome::Redacted(a) = analyse(REPORT.as_bytes(), &config()) else {
            panic!()
        };
        let html = redline("r.md", &a, &config());
        assert_eq!(html.matches("NOT FOR PUBLICATION – REVIEW COPY").count(), 3);
        assert!(html.contains("<div class=\"withheld\" title=\"lines 15-15\"><span class=\"why\">Withheld – OFFICIAL-SENSITIVE COMMERCIAL PERSONAL DATA – Data Protection Section 43 – Commercial Interests (s43); "));
        assert!(html.contains("Brackenridge"));
    }

    #[test]
    fn the_restricted_part_is_marked_top_and_bottom_and_points_to_the_public_part() {
        let Outcome::Redacted(a) = analyse(REPORT.as_bytes(), &config()) else {
            panic!()
        };
        let md = restricted_part(&a, "kiosks/r.md", &config()).unwrap();
        assert!(md.starts_with("OFFICIAL-SENSITIVE COMMERCIAL PERSONAL DATA\n\nPart 2 of MPS Kiosk Renewal: NOT FOR PUBLICATION. The public part of this report is released as kiosks/r.md.\n\n"), "{md}");
        assert!(md.contains("The preferred bidder is Brackenridge at £612,450.\n"));
        assert!(
            md.ends_with("\n\nOFFICIAL-SENSITIVE COMMERCIAL PERSONAL DATA\n"),
            "{md}"
        );
    }

    #[test]
    fn a_path_inside_a_release_is_recognised() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("release/sub")).unwrap();
        std::fs::write(dir.path().join("release").join(MANIFEST), "{}").unwrap();
        assert!(release_around(&dir.path().join("release/sub/x.html")).is_some());
        assert!(release_around(&dir.path().join("review/x.html")).is_none());
        // However the path is spelled.
        let sneaky = dir.path().join("review/../release/sub/x.html");
        assert!(ReviewTarget::new(&sneaky).is_err());
        std::os::unix::fs::symlink(dir.path().join("release"), dir.path().join("link")).unwrap();
        assert!(ReviewTarget::new(&dir.path().join("link/x.html")).is_err());
        assert!(ReviewTarget::new(&dir.path().join("review/x.html")).is_ok());
    }

    /// Every verdict is written as `explain` always wrote it.
    #[test]
    fn verdicts_keep_their_names() {
        let json = serde_json::to_string(&[
            Verdict::Part2Banner,
            Verdict::FrontMatterRemoved,
            Verdict::OrphanedDefinition,
        ])
        .unwrap();
        assert_eq!(
            json,
            r#"["part2-banner","front-matter-removed","orphaned-definition"]"#
        );
        assert_eq!(format!("{:<10}|", Verdict::Public), "public    |");
    }
}

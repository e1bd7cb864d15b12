//! Redact: cut the withheld pieces out of the source and write the exemption notice.
//!
//! The public Markdown is the source's own bytes with the withheld pieces removed, then the
//! notice, which is generated from configuration and never copied from the report. Nothing
//! is re-serialised, so a reviewer can diff the release against the source.

use crate::classify::{Classified, Role};
use crate::config::{Classifications, Exemption};
use mopac_types::{Lines, Removal, RemovalKind};

/// A redacted report.
#[derive(Debug, Clone)]
pub struct Redacted {
    /// The public Markdown (without the source's byte-order mark).
    pub markdown: String,
    /// The generated exemption notice, as it ends `markdown`; empty without Part 2.
    pub notice: String,
    pub removals: Vec<Removal>,
    /// Where the cover, the title, Part 2 and the notice stand in `markdown`.
    pub layout: Layout,
}

/// Byte offsets in the public Markdown of the parts the page presents apart. They describe
/// the public Markdown only: the page shows nothing the Markdown does not hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// The public-part banner: what stands before it is the cover.
    pub cover_end: usize,
    /// The cover's title block.
    pub title: Option<usize>,
    /// The Part 2 banner.
    pub part2: Option<usize>,
    /// The generated exemption notice.
    pub notice: Option<usize>,
    /// Where each block the classifier read starts: a paragraph of converted text it read as
    /// several blocks (a cover, a banner and its marking, page furniture on lines of one
    /// paragraph) is shown on the page as those blocks.
    pub blocks: Vec<usize>,
    /// The report is text from a PDF (it holds a form feed): its indentation is no code.
    pub pdf_text: bool,
}

/// The line ending the report uses: CRLF when its first line ends so.
pub fn line_ending(src: &str) -> &'static str {
    match src.find('\n') {
        Some(i) if i > 0 && src.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The exemption notice citing `exemptions`, each line ended by `eol`. `title` is the
/// report's title as written; the notice drops the prefixes `notice.yaml` lists.
pub fn notice(
    title: &str,
    exemptions: &[Exemption],
    config: &Classifications,
    eol: &str,
) -> String {
    let title = notice_title(title, config);
    let mut out = config.notice.heading.replace("{title}", &title);
    out.push_str(eol);
    out.push_str(eol);
    for e in exemptions {
        let bullet = config
            .notice
            .bullet
            .replace("{citation}", &config.exemptions.citation)
            .replace("{reason}", &e.reason)
            .replace("{section}", &e.section)
            .replace("{id}", &e.id);
        out.push_str("- ");
        out.push_str(&bullet);
        out.push_str(eol);
    }
    out
}

/// Builds the public Markdown from the classified pieces.
pub fn redact(
    src: &str,
    classified: &Classified,
    lines: &Lines,
    config: &Classifications,
) -> Redacted {
    let mut markdown = String::with_capacity(src.len());
    let mut removals: Vec<Removal> = Vec::new();
    let mut layout = Layout {
        pdf_text: crate::page_furniture::is_pdf_text(src),
        ..Layout::default()
    };
    for piece in &classified.pieces {
        if piece.role.is_kept() {
            if piece.segment.is_some() {
                if piece.segment == classified.public_banner {
                    layout.cover_end = markdown.len();
                }
                if piece.segment == classified.title_segment {
                    layout.title = Some(markdown.len());
                }
            }
            if piece.role == Role::Part2Banner && layout.part2.is_none() {
                layout.part2 = Some(markdown.len());
            }
            // A block starts at a line's start (a piece cut out of a line's middle is none).
            if piece.range.start == 0 || src.as_bytes()[piece.range.start - 1] == b'\n' {
                layout.blocks.push(markdown.len());
            }
            markdown.push_str(&src[piece.range.clone()]);
            continue;
        }
        let kind = match piece.role {
            Role::FrontMatterRemoved => RemovalKind::FrontMatter,
            Role::Orphaned => RemovalKind::OrphanedDefinition,
            Role::Markup => RemovalKind::Markup,
            _ => RemovalKind::Part2,
        };
        match removals.last_mut() {
            Some(last) if last.kind == kind && last.range.end == piece.range.start => {
                last.range.end = piece.range.end
            }
            _ => removals.push(Removal {
                kind,
                range: piece.range.clone(),
                lines: (0, 0),
                sha256: String::new(),
            }),
        }
    }
    for r in &mut removals {
        r.lines = lines.span(&r.range);
        r.sha256 = mopac_types::sha256(&src.as_bytes()[r.range.clone()]);
    }

    let mut notice_text = String::new();
    if let Some(part2) = &classified.part2 {
        let eol = line_ending(src);
        let title = classified.title.as_deref().unwrap_or_default();
        notice_text = notice(title, &part2.exemptions, config, eol);
        if !markdown.is_empty() && !markdown.ends_with('\n') {
            markdown.push_str(eol);
        }
        markdown.push_str(eol);
        layout.notice = Some(markdown.len());
        markdown.push_str(&notice_text);
    }
    Redacted {
        markdown,
        notice: notice_text,
        removals,
        layout,
    }
}

/// The title as the notice names it: without the prefixes `notice.yaml` drops.
fn notice_title(title: &str, config: &Classifications) -> String {
    let title = title.trim();
    config
        .notice
        .title_drop_prefixes
        .iter()
        .find_map(|p| title.strip_prefix(p.as_str()))
        .map_or(title, str::trim)
        .to_string()
}

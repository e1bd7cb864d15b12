//! The redactor: reads a report, finds its parts, cuts out what is withheld and renders what
//! is published.
//!
//! ```text
//! bytes -> markdown::segment -> classify -> redact -> render
//! ```
//!
//! [`analyse`] runs the stages every command shares (read, segment, classify, redact); the
//! application renders, has the independent verifier check the outputs, and writes them.
//! Nothing here checks its own work: that is the verifier's crate, which cannot name this one.

pub mod banner_hint;
pub mod classify;
pub mod config;
pub mod cover_lines;
pub mod front_matter;
pub mod html;
pub mod input;
pub mod jigsaw;
pub mod markdown;
pub mod marking;
pub mod moved_footnotes;
pub mod normalize;
pub mod page_furniture;
pub mod paragraph_lines;
pub mod part1_wording;
pub mod redact;
pub mod render;
#[cfg(test)]
mod samples;
pub mod tier_words;

use mopac_types::Lines;
use mopac_types::reason::{Code, Reason};

use crate::classify::Verdict;
use crate::config::Classifications;
use crate::normalize::fold;

const BOM: &str = "\u{FEFF}";

/// A report read, classified and redacted, before rendering and checks.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    /// The byte-order mark the source starts with, or "".
    pub bom: &'static str,
    /// The source after its byte-order mark.
    pub body: &'a str,
    pub lines: Lines,
    pub classified: classify::Classified,
    pub redacted: redact::Redacted,
    /// The titles the report may go by, for the check of the release index.
    pub titles: Vec<String>,
}

/// What reading a report gives. A report not published carries the titles it may go by,
/// which the release index must not show.
#[derive(Debug, Clone)]
pub enum Outcome<'a> {
    Redacted(Box<Analysis<'a>>),
    Withheld(Reason, Vec<String>),
    Quarantined(Vec<Reason>, Vec<String>),
}

/// Reads, classifies and redacts a report: the stages every command shares.
pub fn analyse<'a>(bytes: &'a [u8], config: &Classifications) -> Outcome<'a> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            return Outcome::Quarantined(
                vec![Reason::new(
                    Code::NotUtf8,
                    line,
                    "the file is not valid UTF-8",
                )],
                Vec::new(),
            );
        }
    };
    let (bom, body) = match text.strip_prefix(BOM) {
        Some(body) => (BOM, body),
        None => ("", text),
    };
    if body.trim().is_empty() {
        return Outcome::Quarantined(
            vec![Reason::new(Code::Empty, 0, "the file holds no report")],
            Vec::new(),
        );
    }
    // CommonMark ends a line at a carriage return alone; every reading here ends lines at
    // line feeds, so such a file is refused rather than read two ways.
    if let Some(at) = body
        .bytes()
        .enumerate()
        .position(|(i, b)| b == b'\r' && body.as_bytes().get(i + 1) != Some(&b'\n'))
    {
        return Outcome::Quarantined(
            vec![Reason::new(
                Code::LoneCarriageReturn,
                Lines::new(body).line(at),
                "a line ended by a carriage return alone",
            )],
            Vec::new(),
        );
    }
    let lines = Lines::new(body);
    let segments = match markdown::segment(body) {
        Ok(segments) => segments,
        Err(s) => {
            return Outcome::Quarantined(
                vec![Reason::new(
                    Code::ParseSurprise,
                    lines.line(s.at),
                    s.message,
                )],
                Vec::new(),
            );
        }
    };
    let read = |segments, titles: &[String]| {
        // Text from a PDF: indentation is no code; running headers, footers, page numbers
        // (and, once the title is known, the title) cut out as furniture.
        let segments = page_furniture::unindent(body, segments);
        let segments = page_furniture::split(body, segments, titles, config);
        // Converted text: a banner, its statement and the marking as lines of one paragraph.
        let segments = paragraph_lines::split(body, segments, config);
        // Converted text: the letterhead, title, meeting and Part 1 banner as lines of one
        // paragraph.
        cover_lines::split(body, segments, config)
    };
    let mut segments = read(segments, &[]);
    let mut titles = classify::title_hints(body, &segments, config);
    // A running header that repeats the title is furniture too: read again knowing it.
    if page_furniture::is_pdf_text(body) && !titles.is_empty() {
        let folded: Vec<String> = titles.iter().map(|t| fold(t).trim().to_string()).collect();
        if let Ok(again) = markdown::segment(body) {
            segments = read(again, &folded);
            titles = classify::title_hints(body, &segments, config);
        }
    }
    match classify::classify(body, &segments, &lines, config) {
        Verdict::Publish(classified) => {
            let redacted = redact::redact(body, &classified, &lines, config);
            let mut titles = titles;
            titles.extend(classified.title.clone());
            Outcome::Redacted(Box::new(Analysis {
                bom,
                body,
                lines,
                classified: *classified,
                redacted,
                titles,
            }))
        }
        Verdict::Withhold(reason) => Outcome::Withheld(reason, titles),
        Verdict::Quarantine(reasons) => Outcome::Quarantined(reasons, titles),
    }
}

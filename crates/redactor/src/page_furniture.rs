//! Page furniture of text extracted from a PDF.
//!
//! pdftotext ends every page with a form feed, and writes each page's running header and
//! footer as lines of text: a marking at the top and the bottom of every page ("OFFICIAL –
//! PUBLIC", "OFFICIAL-SENSITIVE [COMMERCIAL]"), "Page 4", "Page 4 of 9", a lone page number,
//! the report's title. Such a line is furniture, and is cut out of whatever paragraph it
//! shares into a block of its own ([`Kind::Furniture`]), which neither opens nor closes a
//! part. What counts is an allow-list, never a guess:
//!
//! - only in a report holding a form feed (text from a PDF);
//! - only a line at a page boundary: the first lines of a page (after the form feed, or the
//!   file's start) or its last lines (before the form feed, or the file's end), blank lines
//!   aside, read inwards from the boundary until the first line that is not furniture or
//!   repeats a form already read there (a second marking is the page's text);
//! - only a line whose whole text is a form feed, a marking, a page number form, or the
//!   report's title as the cover gives it on one line.
//!
//! Everything else stays text of the part it stands in, for the classifier's own rules.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::config::Classifications;
use crate::markdown::{Kind, Segment};
use crate::marking;
use crate::normalize::fold;

/// The form feed pdftotext writes at the end of every page.
pub const FORM_FEED: char = '\u{c}';

/// A page number as a running header or footer writes it, on a folded line: "Page 4",
/// "Page 4 of 9", "4", "- 4 -", "4 of 9", "4/9".
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(page \d{1,4}( (of|/) \d{1,4})?|\d{1,4}( ?(of|/) ?\d{1,4})?|- ?\d{1,4} ?-)$")
        .expect("a valid pattern")
});

/// True when the report is text extracted from a PDF: it holds a form feed.
pub fn is_pdf_text(src: &str) -> bool {
    src.contains(FORM_FEED)
}

/// A source line: its bytes (line ending included) and its text without the form feed and
/// the white space around it.
struct Line<'a> {
    range: Range<usize>,
    text: &'a str,
    /// It holds a form feed: a new page starts at it.
    feed: bool,
}

fn lines(src: &str) -> Vec<Line<'_>> {
    let mut at = 0;
    src.split_inclusive('\n')
        .map(|raw| {
            let range = at..at + raw.len();
            at += raw.len();
            Line {
                range,
                text: raw.trim_matches(|c: char| c.is_whitespace() || c == FORM_FEED),
                feed: raw.contains(FORM_FEED),
            }
        })
        .collect()
}

/// What a furniture line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Marking,
    PageNumber,
    Title,
}

/// What `text` (a line, trimmed) is as furniture, when it is all furniture: a marking, a
/// page number, or one of the `titles`.
fn furniture_text(text: &str, titles: &[String], config: &Classifications) -> Option<Form> {
    // `pdftotext -layout` sets a header's or footer's parts apart with runs of spaces ("OFFICIAL
    // – PUBLIC          Page 2"): each part must be furniture, and the line is the first
    // part's form (a marking, when one part is).
    let parts: Vec<&str> = text
        .split("  ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        let forms: Option<Vec<Form>> = parts
            .iter()
            .map(|p| furniture_part(p, titles, config))
            .collect();
        let forms = forms?;
        return Some(if forms.contains(&Form::Marking) {
            Form::Marking
        } else {
            forms[0]
        });
    }
    furniture_part(text, titles, config)
}

/// [`furniture_text`] of one part of a line.
fn furniture_part(text: &str, titles: &[String], config: &Classifications) -> Option<Form> {
    let folded = fold(text);
    let folded = folded.trim();
    if matches!(marking::parse(folded, config), Some(Ok(_))) {
        Some(Form::Marking)
    } else if PAGE_NUMBER.is_match(folded) {
        Some(Form::PageNumber)
    } else if titles.iter().any(|t| t == folded) {
        Some(Form::Title)
    } else {
        None
    }
}

/// The byte ranges of the furniture lines of `src`, in order; none when `src` holds no form
/// feed. `titles` are the report's titles as the cover gives them, folded.
pub fn furniture(src: &str, titles: &[String], config: &Classifications) -> Vec<Range<usize>> {
    if !is_pdf_text(src) {
        return Vec::new();
    }
    let lines = lines(src);
    let mut marked = vec![false; lines.len()];
    // Each page runs from its first line (the file's start or a line holding a form feed)
    // to the line before the next page's first.
    let mut starts: Vec<usize> = (0..lines.len())
        .filter(|&i| i == 0 || lines[i].feed)
        .collect();
    starts.dedup();
    for (k, &first) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let page = first..end;
        // A line holding a form feed and nothing else is the page break itself.
        for i in page.clone() {
            if lines[i].feed && lines[i].text.is_empty() {
                marked[i] = true;
            }
        }
        // The first page's title is the cover's own, never a running header.
        let titles = if k == 0 { &[][..] } else { titles };
        // A page edge holds each form once (one marking, one number, the title): a second
        // marking is the page's text, such as the Part 2 marking under a running header.
        let mut read = |order: &mut dyn Iterator<Item = usize>| {
            let mut seen = Vec::new();
            for i in order {
                let line = &lines[i];
                if line.text.is_empty() {
                    continue;
                }
                match furniture_text(line.text, titles, config) {
                    Some(form) if !seen.contains(&form) => seen.push(form),
                    _ => break,
                }
                marked[i] = true;
            }
        };
        read(&mut page.clone());
        read(&mut page.clone().rev());
    }
    lines
        .iter()
        .zip(marked)
        .filter(|(_, m)| *m)
        .map(|(l, _)| l.range.clone())
        .collect()
}

/// The segments, with every furniture line cut out of its paragraph into a block of its own
/// ([`Kind::Furniture`]). A segment of another kind is marked furniture only when all its
/// lines are; otherwise it is left as it is.
pub fn split(
    src: &str,
    segments: Vec<Segment>,
    titles: &[String],
    config: &Classifications,
) -> Vec<Segment> {
    let furniture = furniture(src, titles, config);
    if furniture.is_empty() {
        return segments;
    }
    let is_furniture = |start: usize| furniture.iter().any(|r| r.start == start);
    let mut out = Vec::with_capacity(segments.len() + furniture.len());
    for seg in segments {
        if seg.kind == Kind::Gap && seg.is_blank(src) {
            out.push(seg);
            continue;
        }
        let starts = seg.line_starts(src);
        let flags: Vec<bool> = starts.iter().map(|&s| is_furniture(s)).collect();
        if !flags.iter().any(|&f| f) {
            out.push(seg);
            continue;
        }
        let mut text: Vec<&str> = seg.text.lines().collect();
        // The parser drops a last line holding only a form feed.
        if text.len() + 1 == starts.len()
            && src[starts[text.len()]..seg.range.end]
                .trim_matches(|c: char| c.is_whitespace() || c == FORM_FEED)
                .is_empty()
        {
            text.push("");
        }
        let cuttable = matches!(seg.kind, Kind::Paragraph | Kind::List);
        if !cuttable || !seg.is_text_only() || text.len() != starts.len() {
            if flags.iter().all(|&f| f) {
                out.push(Segment {
                    kind: Kind::Furniture,
                    ..seg
                });
            } else {
                out.push(seg);
            }
            continue;
        }
        // Each furniture line a block of its own (a footer and the next page's header are
        // two), and the runs of the paragraph's text between them.
        let mut from = 0;
        for k in 1..=starts.len() {
            if k < starts.len() && !flags[from] && !flags[k] {
                continue;
            }
            let end = starts.get(k).copied().unwrap_or(seg.range.end);
            let kind = if flags[from] {
                Kind::Furniture
            } else if from == 0 {
                seg.kind
            } else {
                Kind::Paragraph
            };
            out.push(Segment::bare(
                starts[from]..end,
                kind,
                text[from..k].join("\n"),
            ));
            from = k;
        }
    }
    out
}

/// The blocks of text a page break stands between, read as if the page's furniture were
/// not there: pairs of segment indices (before the break, after it) among `within`, with
/// furniture, a form feed or only blank lines between them and at least one page break. A
/// reader turns the page and reads on: a sentence, a marking or a banner carries on across
/// the running footer, the page number and the next page's running header.
pub fn across_breaks(src: &str, segments: &[Segment], within: Range<usize>) -> Vec<(usize, usize)> {
    if !is_pdf_text(src) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut last: Option<usize> = None;
    let mut broken = false;
    for i in within {
        let seg = &segments[i];
        if seg.kind == Kind::Furniture {
            broken = true;
            continue;
        }
        if seg.kind == Kind::Gap && seg.is_blank(src) {
            broken |= src[seg.range.clone()].contains(FORM_FEED);
            continue;
        }
        if broken && let Some(before) = last {
            out.push((before, i));
        }
        last = Some(i);
        broken = false;
    }
    out
}

/// The segments of text from a PDF with every indented code block read as the paragraphs
/// it holds: `pdftotext -layout` keeps a page's indentation (a centred title, an indented
/// list item, a banner set in from the margin), which Markdown reads as code when a blank
/// line stands before it, and an indented code block in text from a PDF is never what its
/// author meant. Each run of lines between blank lines is a paragraph, its text the lines
/// without their indentation; the bytes stay as written. Text with no form feed, and a
/// fenced code block, are left as they are.
pub fn unindent(src: &str, segments: Vec<Segment>) -> Vec<Segment> {
    if !is_pdf_text(src) {
        return segments;
    }
    let mut out = Vec::with_capacity(segments.len());
    for seg in segments {
        if !indented_code(src, &seg) {
            out.push(seg);
            continue;
        }
        let mut at = seg.range.start;
        let mut run: Option<(usize, Vec<&str>)> = None;
        let mut blank: Option<usize> = None;
        let flush = |out: &mut Vec<Segment>, run: &mut Option<(usize, Vec<&str>)>, end: usize| {
            if let Some((start, lines)) = run.take() {
                out.push(Segment::bare(start..end, Kind::Paragraph, lines.join("\n")));
            }
        };
        for line in src[seg.range.clone()].split_inclusive('\n') {
            let text = line.trim_matches(|c: char| c.is_whitespace() || c == FORM_FEED);
            if text.is_empty() {
                flush(&mut out, &mut run, at);
                blank.get_or_insert(at);
            } else {
                if let Some(start) = blank.take() {
                    out.push(Segment::bare(
                        start..at,
                        Kind::Gap,
                        src[start..at].to_string(),
                    ));
                }
                run.get_or_insert((at, Vec::new())).1.push(text);
            }
            at += line.len();
        }
        flush(&mut out, &mut run, at);
        if let Some(start) = blank.take() {
            out.push(Segment::bare(
                start..at,
                Kind::Gap,
                src[start..at].to_string(),
            ));
        }
    }
    out
}

/// True for an indented (not fenced) code block.
fn indented_code(src: &str, seg: &Segment) -> bool {
    seg.kind == Kind::CodeBlock && {
        let first = src[seg.range.clone()].trim_start_matches(['\n', '\r']);
        let indent = first.len() - first.trim_start_matches([' ', '\t', FORM_FEED]).len();
        let rest = first[indent..].trim_start();
        indent > 0 && !rest.starts_with("```") && !rest.starts_with("~~~")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, String)> {
        let config = Classifications::defaults().unwrap();
        let segments = crate::markdown::segment(src).unwrap();
        split(src, segments, &[], &config)
            .into_iter()
            .filter(|s| !(s.kind == Kind::Gap && s.is_blank(src)))
            .map(|s| (s.kind, src[s.range].to_string()))
            .collect()
    }

    #[test]
    fn running_headers_footers_and_page_numbers_at_a_page_edge_are_furniture() {
        let src = "OFFICIAL – PUBLIC\nMAYOR OF LONDON\nText of page one.\nPage 1 of 2\n\n\
                   \u{c}OFFICIAL – PUBLIC\nText of page two.\n2\n\u{c}";
        let got = kinds(src);
        let furniture: Vec<&str> = got
            .iter()
            .filter(|(k, _)| *k == Kind::Furniture)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(
            furniture,
            [
                "OFFICIAL – PUBLIC\n",
                "Page 1 of 2\n",
                "\u{c}OFFICIAL – PUBLIC\n",
                "2\n",
                "\u{c}"
            ]
        );
        // The blocks rebuild the source byte for byte.
        let all: String = crate::markdown::segment(src)
            .map(|s| {
                split(src, s, &[], &Classifications::defaults().unwrap())
                    .into_iter()
                    .map(|s| src[s.range].to_string())
                    .collect()
            })
            .unwrap();
        assert_eq!(all, src);
    }

    /// A header or footer whose parts `-layout` sets apart is furniture when every part is.
    #[test]
    fn a_layout_footer_of_parts_is_furniture_when_each_part_is() {
        let config = Classifications::defaults().unwrap();
        let form = |t: &str| furniture_text(t, &[], &config);
        assert_eq!(
            form("OFFICIAL – PUBLIC            Page 2 of 5"),
            Some(Form::Marking)
        );
        assert_eq!(
            form("Page 2        OFFICIAL-SENSITIVE"),
            Some(Form::Marking)
        );
        assert_eq!(form("3          4"), Some(Form::PageNumber));
        assert_eq!(form("OFFICIAL – PUBLIC      Bid prices"), None);
    }

    /// In text from a PDF an indented block is paragraphs; elsewhere it is code.
    #[test]
    fn pdf_text_indentation_is_no_code() {
        let read = |src: &str| -> Vec<(Kind, String)> {
            unindent(src, crate::markdown::segment(src).unwrap())
                .into_iter()
                .filter(|s| !s.is_blank(src))
                .map(|s| (s.kind, s.text))
                .collect()
        };
        let src = "Intro.\n\n    Part 2 – banner\n    second line\n\n    Statement:\n\u{c}";
        assert_eq!(
            read(src),
            [
                (Kind::Paragraph, "Intro.\n".to_string()),
                (Kind::Paragraph, "Part 2 – banner\nsecond line".to_string()),
                (Kind::Paragraph, "Statement:".to_string()),
            ]
        );
        let markdown = "Intro.\n\n    code\n";
        assert_eq!(read(markdown)[1].0, Kind::CodeBlock);
    }

    /// Strict: furniture only at a page edge, only whole lines of the allowed forms, only in
    /// text with form feeds.
    #[test]
    fn nothing_else_is_furniture() {
        let config = Classifications::defaults().unwrap();
        // No form feed: not PDF text.
        assert!(furniture("OFFICIAL – PUBLIC\nText.\n2\n", &[], &config).is_empty());
        // A marking or number inside the page, or a line with more than one.
        let src = "Heading\nOFFICIAL-SENSITIVE\n2\nText.\nOFFICIAL – PUBLIC and more\n\u{c}";
        let got = furniture(src, &[], &config);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(&src[got[0].clone()], "\u{c}");
    }
}

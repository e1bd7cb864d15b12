//! Banners, statements and markings on the lines of one paragraph.
//!
//! Text from a PDF (pdftotext) or LibreOffice's "save as text" puts no blank line between
//! paragraphs, so the Part 2 banner (wrapped over lines), the marking statement, the
//! marking and Part 2's text share one Markdown paragraph with whatever stands before them.
//! Such a paragraph is cut at line boundaries into blocks of their own, but only when its
//! lines hold the whole sequence, in order and nothing between: a recognised Part 2 banner
//! (one to four lines), the marking statement, then a sensitive marking that reads (on the
//! statement's line or the next), or the statement as the paragraph's last line (the
//! marking, the next block's, is then the classifier's to require). What follows the
//! marking is Part 2, whatever block it shares. Any other paragraph, and any paragraph with markup the cut would have to share
//! out (references, definitions, raw HTML, titles), is left whole for the classifier's own
//! rules, which refuse a banner inside a block.

use crate::config::Classifications;
use crate::markdown::{Kind, Segment};
use crate::marking;
use crate::normalize::fold;

/// The segments, with every paragraph that holds a banner, statement and marking on lines
/// of its own cut into blocks at those lines.
pub fn split(src: &str, segments: Vec<Segment>, config: &Classifications) -> Vec<Segment> {
    let mut out = Vec::with_capacity(segments.len());
    for seg in segments {
        match cuts(src, &seg, config) {
            Some(at) => out.extend(cut(src, &seg, &at)),
            None => out.push(seg),
        }
    }
    out
}

/// A paragraph (or a list whose last item runs on without a blank line, as a line that
/// opens "1." does in text) of text and emphasis only: nothing a cut would have to share
/// out.
fn cuttable(seg: &Segment) -> bool {
    matches!(seg.kind, Kind::Paragraph | Kind::List) && seg.is_text_only()
}

/// The lines at which the segment is cut (each opens a block), or `None` to leave it whole.
fn cuts(src: &str, seg: &Segment, config: &Classifications) -> Option<Vec<usize>> {
    if !cuttable(seg) {
        return None;
    }
    let text: Vec<&str> = seg.text.lines().collect();
    let n = text.len();
    if n < 2 || n != seg.line_starts(src).len() {
        return None;
    }
    let folded: Vec<String> = text.iter().map(|l| fold(l)).collect();
    let banners = &config.banners;
    let j = folded
        .iter()
        .position(|l| banners.restricted_starts.is_match(l))?;
    // A banner is a sentence: four lines hold it at any converter's width.
    let k = (1..=4.min(n - j)).find(|&k| {
        let banner = folded[j..j + k].join(" ");
        banners
            .restricted_whole
            .iter()
            .any(|b| b.regex.is_match(&banner))
    })?;
    let s = j + k;
    let caps = banners.marking_statement.captures(folded.get(s)?)?;
    let inline = caps.name("marking").map_or("", |m| m.as_str()).trim();
    let (m, marking) = if inline.is_empty() {
        if s + 1 == n {
            // The statement ends the paragraph: the marking is the next block's to give,
            // and the classifier's reading of the preamble requires it there.
            let mut at = vec![j, s];
            at.retain(|&c| c > 0 && c < n);
            at.dedup();
            return Some(at);
        }
        (s + 1, folded.get(s + 1)?.as_str())
    } else {
        (s, inline)
    };
    if !matches!(marking::parse(marking, config), Some(Ok(mk)) if mk.sensitive) {
        return None;
    }
    let mut at = vec![j, s, m, m + 1];
    at.retain(|&c| c > 0 && c < n);
    at.dedup();
    Some(at)
}

/// The segment cut at lines `at` (each a line index that opens a new block).
fn cut(src: &str, seg: &Segment, at: &[usize]) -> Vec<Segment> {
    let starts = seg.line_starts(src);
    let text: Vec<&str> = seg.text.lines().collect();
    let mut bounds = vec![0];
    bounds.extend_from_slice(at);
    bounds.push(text.len());
    bounds
        .windows(2)
        .map(|w| {
            let end = starts.get(w[1]).copied().unwrap_or(seg.range.end);
            Segment::bare(
                starts[w[0]]..end,
                Kind::Paragraph,
                text[w[0]..w[1]].join("\n"),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(src: &str) -> Vec<String> {
        let config = Classifications::defaults().unwrap();
        let segments = crate::markdown::segment(src).unwrap();
        split(src, segments, &config)
            .iter()
            .map(|s| src[s.range.clone()].to_string())
            .collect()
    }

    const BANNER: &str = "Part 2 – This section refers to the details of the Part 2\n\
                          business case which is NOT SUITABLE for MOPAC\nPublication.\n";
    const STATEMENT: &str = "The Government Security Classification marking for Part 2 is:\n";

    #[test]
    fn a_paragraph_with_banner_statement_and_marking_is_cut_at_them() {
        let src = format!(
            "Report author: A. Person\n{BANNER}{STATEMENT}OFFICIAL-SENSITIVE [COMMERCIAL]\nBid evaluation\nSecret text.\n"
        );
        assert_eq!(
            blocks(&src),
            [
                "Report author: A. Person\n".to_string(),
                BANNER.to_string(),
                STATEMENT.to_string(),
                "OFFICIAL-SENSITIVE [COMMERCIAL]\n".to_string(),
                "Bid evaluation\nSecret text.\n".to_string(),
            ]
        );
    }

    /// The cuts cover the paragraph byte for byte.
    #[test]
    fn the_blocks_rebuild_the_source() {
        let src = format!("Intro\n{BANNER}{STATEMENT}OFFICIAL-SENSITIVE\nSecret.\n\nMore.\n");
        assert_eq!(blocks(&src).concat(), src);
    }

    /// Fail closed: a banner with anything but the statement and a sensitive marking after
    /// it stays inside its block, for the classifier to refuse.
    #[test]
    fn a_banner_without_its_statement_and_marking_is_not_cut() {
        for src in [
            format!(
                "Intro\n{BANNER}Secret text before the statement.\n{STATEMENT}OFFICIAL-SENSITIVE\n"
            ),
            format!("Intro\n{BANNER}{STATEMENT}Secret text instead of a marking.\n"),
            format!("Intro\n{BANNER}{STATEMENT}OFFICIAL – PUBLIC\nSecret.\n"),
            "Intro\n**Part 2 – NOT FOR PUBLICATION**\nSecret.\n".to_string(),
            format!("Intro [link][x]\n{BANNER}{STATEMENT}OFFICIAL-SENSITIVE\n\n[x]: /a\n"),
        ] {
            let whole = crate::markdown::segment(&src).unwrap().len();
            assert_eq!(blocks(&src).len(), whole, "{src}");
        }
    }
}

//! Footnotes a converter moved behind the Part 2 marking.
//!
//! pandoc writes every footnote definition at the end of the document unless told
//! otherwise (`--reference-location=block`), so Part 1's footnotes land after the marking,
//! where everything is withheld: the page would show a bare `[^1]` and lose the note. The
//! tool cannot tell a footnote the converter moved from one an author wrote into Part 2, so
//! it publishes neither by its reference alone: a Part 1 reference to a note defined in the
//! withheld part refuses the report, with the conversion that avoids it. Converters number
//! their notes (`[^1]`, pandoc plain's `[1]`); a note an author named (`[^costs]`) is read as
//! before: Part 2's, withheld with it.

use std::sync::LazyLock;

use regex::Regex;

use crate::classify::{Piece, Role};
use crate::markdown::{Kind, Segment};
use mopac_types::Lines;
use mopac_types::reason::{Code, Reason};

/// [footnote-after-marking] A published block refers to a footnote whose definition stands
/// in the withheld part: a Markdown footnote (`[^1]` and `[^1]: …`), or the plain-text form
/// pandoc's plain writer uses (`[1]` and a paragraph opening `[1] `).
pub fn after_marking(segments: &[Segment], lines: &Lines, pieces: &[Piece]) -> Option<Reason> {
    let segment_of = |role_kept: bool| {
        pieces
            .iter()
            .filter(move |p| p.role.is_kept() == role_kept && p.role != Role::FrontMatterRemoved)
            .filter_map(|p| p.segment)
    };
    let mut defined: Vec<(String, usize)> = Vec::new();
    for i in segment_of(false) {
        let seg = &segments[i];
        if let Some(label) = seg.defines.as_ref().filter(|l| numbered(l)) {
            defined.push((label.clone(), seg.range.start));
        } else if seg.kind == Kind::Paragraph
            && let Some(n) = plain_note_number(seg.text.trim_start())
        {
            defined.push((format!("[{n}]"), seg.range.start));
        }
    }
    if defined.is_empty() {
        return None;
    }
    for i in segment_of(true) {
        let seg = &segments[i];
        let hit = defined.iter().find(|(label, _)| {
            seg.refs.iter().any(|r| r == label)
                || (label.starts_with('[')
                    && seg.kind != Kind::Gap
                    && seg.text.contains(label.as_str()))
        });
        if let Some((_, at)) = hit {
            return Some(Reason::new(
                Code::FootnoteAfterMarking,
                lines.line(seg.range.start),
                format!(
                    "Part 1 refers to a footnote whose text stands after the Part 2 marking (line {}), \
                     where it would be withheld with Part 2 and the page would show the bare reference; \
                     pandoc puts every footnote at the end of the document unless converted with \
                     --reference-location=block",
                    lines.line(*at)
                ),
            ));
        }
    }
    None
}

/// A footnote reference as a plain-text export writes it: the note's number straight after
/// a sentence's full stop, at the end of a line or before a capital ("spares in 2024.1"),
/// the full stop after a word, a closing bracket or quote, or a year. A section number
/// ("paragraph 3.2 The") is none: the number before its full stop is short.
static GLUED_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\p{L}{2}|[)’”]|\b\d{4})[.;:]([1-9][0-9]?)(?:$|\s+\p{Lu})")
        .expect("a valid pattern")
});

/// [footnote-text-missing] A published paragraph of a report with no Markdown footnotes
/// refers to a numbered note ("… in 2024.1") and no published line gives its text ("1 The
/// note"): LibreOffice's "save as text" keeps the reference and drops the note, so the page
/// would lose Part 1 text the tool cannot see.
pub fn text_missing(
    src: &str,
    segments: &[Segment],
    lines: &Lines,
    pieces: &[Piece],
) -> Option<Reason> {
    if segments
        .iter()
        .any(|s| s.defines.is_some() || s.refs.iter().any(|r| r.starts_with('^')))
    {
        return None;
    }
    let public: Vec<&Piece> = pieces
        .iter()
        .filter(|p| p.role == Role::Public && p.segment.is_some())
        .collect();
    let notes: Vec<&str> = public
        .iter()
        .flat_map(|p| src[p.range.clone()].lines())
        .map(str::trim)
        .collect();
    for piece in &public {
        for (k, line) in src[piece.range.clone()].lines().enumerate() {
            for caps in GLUED_REFERENCE.captures_iter(line) {
                let n = &caps[1];
                let given = notes.iter().any(|l| {
                    l.strip_prefix(n)
                        .is_some_and(|rest| rest.starts_with(' ') && rest.trim().len() > 1)
                        || l.strip_prefix(&format!("[{n}]")).is_some()
                });
                if !given {
                    // The word the number is glued to, as written ("2024.1").
                    let number_end = caps.get(1).map_or(line.len(), |m| m.end());
                    let word_start = line[..number_end]
                        .rfind(char::is_whitespace)
                        .map_or(0, |i| i + 1);
                    let word = &line[word_start..number_end];
                    let at = piece.range.start
                        + src[piece.range.clone()]
                            .lines()
                            .take(k)
                            .map(|l| l.len() + 1)
                            .sum::<usize>();
                    return Some(Reason::new(
                        Code::FootnoteTextMissing,
                        lines.line(at.min(src.len())),
                        format!(
                            "Part 1 refers to footnote {n} (\"{}\") and no line gives its text: \
                             LibreOffice's \"save as text\" keeps a footnote's number and drops its text, \
                             so the page would lose it",
                            word
                        ),
                    ));
                }
            }
        }
    }
    None
}

/// A footnote label as converters write them, a number (`^1`): a note an author named
/// (`[^costs]`) and wrote into Part 2 is Part 2's, withheld with it, and its reference in
/// Part 1 shows as plain text, as before.
fn numbered(label: &str) -> bool {
    label
        .strip_prefix('^')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The number of a plain-text footnote, as pandoc's plain writer opens one: `[12] text`.
fn plain_note_number(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('[')?;
    let (n, after) = rest.split_once(']')?;
    let numeric = !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit());
    (numeric && after.starts_with(' ')).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::{GLUED_REFERENCE, numbered, plain_note_number};

    #[test]
    fn a_glued_reference_is_a_number_after_a_full_stop_at_a_sentence_end() {
        let number = |s: &str| GLUED_REFERENCE.captures(s).map(|c| c[1].to_string());
        assert_eq!(
            number("stopped making spares in 2024.1").as_deref(),
            Some("1")
        );
        assert_eq!(number("the price.2 Then").as_deref(), Some("2"));
        assert_eq!(number("paragraph 3.2 of the report"), None);
        assert_eq!(number("set out in paragraph 3.2 The costs"), None);
        assert_eq!(number("version 2.10 is current"), None);
        assert_eq!(number("a cost of £236,000."), None);
    }

    #[test]
    fn converters_number_their_notes() {
        assert!(numbered("^1"));
        assert!(numbered("^12"));
        assert!(!numbered("^costs"));
        assert!(!numbered("^"));
        assert!(!numbered("1"));
    }

    #[test]
    fn a_plain_note_opens_with_a_bracketed_number_and_a_space() {
        assert_eq!(plain_note_number("[1] Failure log"), Some("1"));
        assert_eq!(plain_note_number("[12] x"), Some("12"));
        assert_eq!(plain_note_number("[brackets] stay"), None);
        assert_eq!(plain_note_number("[1]: a definition"), None);
        assert_eq!(plain_note_number("[] x"), None);
    }
}

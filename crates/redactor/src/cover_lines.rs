//! A cover whose lines share one paragraph.
//!
//! Text from a PDF (pdftotext) or LibreOffice's "save as text" puts no blank line between a
//! cover's lines: the letterhead, the title (wrapped over two lines at a PDF's width), the
//! meeting line, the author and the Part 1 banner can form one Markdown paragraph, and no
//! cover block is the title. The cover is read as a reader reads it: the paragraph holding
//! the public-part banner is cut where the banner's first line starts, a cover paragraph
//! that opens with letterhead lines (`notice.yaml` `title.skip`, or a marking) is cut after
//! them, and the first cover paragraph that is not letterhead (the title block) is cut at
//! its first line after the first that reads as what follows a title (`title.ends`: the
//! meeting line, "Report by", a date). The title is then the block before that line, its
//! lines joined. Only paragraphs of text and emphasis are cut, at line boundaries; a cut
//! changes no byte, only where the classifier sees blocks start.

use crate::config::Classifications;
use crate::markdown::{Kind, Segment};
use crate::marking;
use crate::normalize::{fold, fold_lines};

/// The segments, with the cover's paragraphs cut at the letterhead, the title's end and the
/// public-part banner.
pub fn split(src: &str, segments: Vec<Segment>, config: &Classifications) -> Vec<Segment> {
    let Some((banner, at)) = public_banner(&segments, config) else {
        return segments;
    };
    let mut out = Vec::with_capacity(segments.len() + 4);
    let mut title_seen = false;
    for (i, seg) in segments.into_iter().enumerate() {
        if i > banner || !cuttable(src, &seg) {
            if i <= banner && matches!(seg.kind, Kind::Paragraph | Kind::Heading) {
                title_seen |= !letterhead(&fold_lines(&seg.text), config);
            }
            out.push(seg);
            continue;
        }
        let lines = fold_lines(&seg.text);
        let cover_end = if i == banner { at } else { lines.len() };
        let mut cuts = Vec::new();
        if cover_end > 0 && cover_end < lines.len() {
            cuts.push(cover_end);
        }
        let head = lines[..cover_end]
            .iter()
            .take_while(|l| letterhead(std::slice::from_ref(*l), config))
            .count();
        if head > 0 && head < cover_end {
            cuts.push(head);
        }
        if !title_seen && head < cover_end {
            title_seen = true;
            if let Some(end) = (head + 1..cover_end).find(|&k| {
                config
                    .notice
                    .title_ends
                    .iter()
                    .any(|re| re.is_match(&lines[k]))
            }) {
                cuts.push(end);
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        if cuts.is_empty() {
            out.push(seg);
        } else {
            out.extend(cut(src, &seg, &cuts));
        }
    }
    out
}

/// The segment holding the first public-part banner, and the line of it the banner opens.
fn public_banner(segments: &[Segment], config: &Classifications) -> Option<(usize, usize)> {
    segments.iter().enumerate().find_map(|(i, seg)| {
        if !matches!(seg.kind, Kind::Paragraph | Kind::Heading) {
            return None;
        }
        let lines = fold_lines(&seg.text);
        (0..lines.len())
            .find(|&k| {
                let from_here = lines[k..lines.len().min(k + 4)].join(" ");
                config
                    .banners
                    .public
                    .iter()
                    .any(|b| b.regex.is_match(&from_here))
            })
            .map(|k| (i, k))
    })
}

/// True when every line is the letterhead (`title.skip`) or a marking.
fn letterhead(lines: &[String], config: &Classifications) -> bool {
    !lines.is_empty()
        && lines.iter().all(|l| {
            config.notice.title_skip.iter().any(|re| re.is_match(l))
                || marking::parse(&fold(l), config).is_some()
        })
}

/// A paragraph of text and emphasis only, one line of text per source line.
fn cuttable(src: &str, seg: &Segment) -> bool {
    seg.kind == Kind::Paragraph
        && seg.is_text_only()
        && seg.text.lines().count() == seg.line_starts(src).len()
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
            Segment::bare(
                starts[w[0]]..starts.get(w[1]).copied().unwrap_or(seg.range.end),
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
            .filter(|s| !s.is_blank(src))
            .map(|s| src[s.range.clone()].to_string())
            .collect()
    }

    #[test]
    fn a_cover_with_no_blank_lines_is_read_as_a_reader_reads_it() {
        let src = "MAYOR OF LONDON\nOFFICE FOR POLICING AND CRIME\nStation Front Counter Camera\n\
                   Docking\nMOPAC Investment Advisory & Monitoring meeting Thursday 6 March 2025\n\
                   Report by A. Person\nPart 1 – This section of the report will be published by \
                   MOPAC. It is\nclassified as OFFICIAL – PUBLIC\nExecutive summary\n";
        assert_eq!(
            blocks(src),
            [
                "MAYOR OF LONDON\nOFFICE FOR POLICING AND CRIME\n",
                "Station Front Counter Camera\nDocking\n",
                "MOPAC Investment Advisory & Monitoring meeting Thursday 6 March 2025\nReport by A. Person\n",
                "Part 1 – This section of the report will be published by MOPAC. It is\nclassified as OFFICIAL – PUBLIC\nExecutive summary\n",
            ]
        );
    }

    /// A cover already in blocks of its own is left as it is.
    #[test]
    fn a_cover_in_blocks_is_not_cut() {
        let src = "MAYOR OF LONDON\n\nA Title\n\nMOPAC meeting 6 March 2025\n\n\
                   Part 1 – This section of the report will be published by MOPAC. It is \
                   classified as OFFICIAL – PUBLIC\n";
        assert_eq!(blocks(src).len(), 4);
    }
}

//! The titles a report may go by, read from its source by the verifier's own rule.
//!
//! For a report that was not published, so that the check of the index can prove none of its
//! titles stands there. The rule is simple and errs towards more titles: the front matter's
//! `title`, every level-1 heading, and the first block of two words or more that is not all
//! in capitals (a letterhead or a marking is; a title written in Word or a PDF is not).

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};

use crate::markdown::options;

/// The titles `source` (without its byte-order mark) may go by, each on one line.
pub fn titles(source: &str) -> Vec<String> {
    let mut titles: Vec<String> = front_matter_title(source).into_iter().collect();
    let mut first_found = false;
    for (heading1, text) in top_level_blocks(source) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mixed_case = text.chars().any(char::is_lowercase);
        let first = !first_found && mixed_case && text.split(' ').count() >= 2;
        first_found |= first;
        if heading1 || first {
            titles.push(text);
        }
    }
    titles.retain(|t| !t.is_empty());
    let mut seen = std::collections::HashSet::new();
    titles.retain(|t| seen.insert(t.clone()));
    titles
}

/// The value of a `title:` line (any case, `-` or `_` aside) in the front matter at the top.
fn front_matter_title(source: &str) -> Option<String> {
    crate::markdown::front_matter(source)?
        .lines()
        .find_map(|l| {
            let (key, value) = l.split_once(':')?;
            key.trim().eq_ignore_ascii_case("title").then_some(value)
        })
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
}

/// Each top-level block's text (front matter aside), and whether it is a level-1 heading.
fn top_level_blocks(source: &str) -> Vec<(bool, String)> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut heading1 = false;
    for ev in Parser::new_ext(crate::markdown::body(source), options()) {
        match ev {
            Event::Start(tag) => {
                if depth == 0 {
                    heading1 = matches!(
                        tag,
                        Tag::Heading {
                            level: HeadingLevel::H1,
                            ..
                        }
                    );
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    blocks.push((heading1, std::mem::take(&mut current)));
                }
            }
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            _ => {}
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_front_matter_headings_and_the_first_mixed_case_block() {
        let source = "---\ntitle: \"MPS Covert Source System\"\n---\n\nOFFICIAL-SENSITIVE [COMMERCIAL]\n\n\
                      MAYOR OF LONDON\n\nPart 2 Decision Form –\nMPS Custody CCTV Upgrade\n\n\
                      # A Heading Later\n\nText of the report.\n";
        assert_eq!(
            titles(source),
            [
                "MPS Covert Source System",
                "Part 2 Decision Form – MPS Custody CCTV Upgrade",
                "A Heading Later"
            ]
        );
    }
}

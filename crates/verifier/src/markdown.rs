//! The Markdown dialect the release is written in, as the verifier reads it.
//!
//! The verifier builds its own parser options rather than borrowing the redactor's: a test
//! of the root package (tests/architecture.rs) proves the two agree, since a disagreement
//! would make them see different blocks.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// CommonMark with GitHub's tables, footnotes, strikethrough and task lists. Smart
/// punctuation stays off: it would rewrite quotes and dashes while parsing. Metadata blocks
/// stay off too: the parser would read a `---` block anywhere, where CommonMark reads a
/// thematic break; front matter, at the very top only, is cut off by [`body`].
pub fn options() -> Options {
    let mut o = Options::empty();
    o.insert(Options::ENABLE_TABLES);
    o.insert(Options::ENABLE_FOOTNOTES);
    o.insert(Options::ENABLE_STRIKETHROUGH);
    o.insert(Options::ENABLE_TASKLISTS);
    o
}

/// The front matter at the top of `markdown`, if any: after nothing but blank lines, a line
/// `---`, at least one line that is not blank, and a closing line `---` or `...`. Its lines.
pub fn front_matter(markdown: &str) -> Option<&str> {
    let mut end = 0;
    let mut lines = markdown.split_inclusive('\n').inspect(|l| end += l.len());
    if lines.find(|l| !l.trim().is_empty())?.trim_end() != "---" {
        return None;
    }
    let mut held = false;
    for line in lines {
        if matches!(line.trim_end(), "---" | "...") {
            return held.then(|| &markdown[..end]);
        }
        held |= !line.trim().is_empty();
    }
    None
}

/// `markdown` after its front matter: what is read as Markdown.
pub fn body(markdown: &str) -> &str {
    &markdown[front_matter(markdown).map_or(0, str::len)..]
}

/// The Markdown read as the page must show it.
pub struct Blocks {
    /// The text of each top-level block (link and image addresses, image alt text, raw HTML
    /// and front matter aside).
    pub texts: Vec<String>,
    /// True when the Markdown holds an HTML comment (raw HTML, not code).
    pub comment: bool,
}

/// Reads `markdown` block by block.
pub fn blocks(markdown: &str) -> Blocks {
    let mut texts = Vec::new();
    let mut comment = false;
    let mut current = String::new();
    let (mut depth, mut image) = (0usize, 0usize);
    for ev in Parser::new_ext(body(markdown), options()) {
        match ev {
            Event::Start(tag) => {
                depth += 1;
                // A nested block (a list item, an item's paragraph) starts a line of its own.
                if matches!(tag, Tag::Item | Tag::Paragraph) && !current.is_empty() {
                    current.push('\n');
                }
                if let Tag::Image { .. } = tag {
                    image += 1;
                }
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if end == TagEnd::Image {
                    image = image.saturating_sub(1);
                }
                if depth == 0 {
                    texts.push(std::mem::take(&mut current));
                }
            }
            Event::Text(t) | Event::Code(t) if image == 0 => current.push_str(&t),
            // A line break is white space between words, and where a page may cut a block.
            Event::SoftBreak | Event::HardBreak if image == 0 => current.push('\n'),
            Event::Html(t) | Event::InlineHtml(t) => comment |= t.contains("<!--"),
            _ => {}
        }
    }
    Blocks { texts, comment }
}

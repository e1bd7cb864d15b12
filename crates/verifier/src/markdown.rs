//! The Markdown dialect the release is written in, as the verifier reads it.
//!
//! The verifier builds its own parser options rather than borrowing the redactor's: a test
//! of the root package (tests/architecture.rs) proves the two agree, since a disagreement
//! would make them see different blocks.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// CommonMark with GitHub's tables, footnotes, strikethrough and task lists, and YAML front
/// matter. Smart punctuation stays off: it would rewrite quotes and dashes while parsing.
pub fn options() -> Options {
    let mut o = Options::empty();
    o.insert(Options::ENABLE_TABLES);
    o.insert(Options::ENABLE_FOOTNOTES);
    o.insert(Options::ENABLE_STRIKETHROUGH);
    o.insert(Options::ENABLE_TASKLISTS);
    o.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    o
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
    let (mut depth, mut image, mut metadata) = (0usize, 0usize, false);
    for ev in Parser::new_ext(markdown, options()) {
        match ev {
            Event::Start(tag) => {
                depth += 1;
                match tag {
                    Tag::Image { .. } => image += 1,
                    Tag::MetadataBlock(_) => metadata = true,
                    _ => {}
                }
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                match end {
                    TagEnd::Image => image = image.saturating_sub(1),
                    TagEnd::MetadataBlock(_) => metadata = false,
                    _ => {}
                }
                if depth == 0 {
                    texts.push(std::mem::take(&mut current));
                }
            }
            Event::Text(t) | Event::Code(t) if image == 0 && !metadata => current.push_str(&t),
            Event::Html(t) | Event::InlineHtml(t) => comment |= t.contains("<!--"),
            _ => {}
        }
    }
    Blocks { texts, comment }
}

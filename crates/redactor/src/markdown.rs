//! Markdown, parsed one way for every stage.
//!
//! The classifier, the redactor, the verifier and the HTML renderer all go through
//! [`options`], so they agree on where a block starts and ends. [`segment`] cuts a document
//! into its top-level blocks and the gaps between them (blank lines, link reference
//! definitions), each widened to whole lines, so that the public Markdown can be rebuilt
//! from source slices byte for byte.
//!
//! Front matter is found by [`front_matter`], at the very top only: the parser's own
//! metadata-block option reads a `---` block anywhere, and would swallow a thematic break
//! and the section under it in the middle of Part 1. Everything after the front matter is
//! parsed as CommonMark, where `---` is a thematic break or a setext underline.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::html;

/// The one set of parser options. Smart punctuation stays off: it rewrites quotes and dashes,
/// so event text would no longer match the source. Metadata blocks stay off: the parser
/// would read one anywhere (see [`front_matter`]).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// A parser over `text` with the project's options.
pub fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, options())
}

/// Where the front matter stands in `text` (without a byte-order mark): from the start,
/// leading blank lines included, to the end of its closing line. Front matter opens with a
/// line `---` (trailing white space allowed) after nothing but blank lines, holds at least
/// one line that is not blank, and closes at the next line `---` or `...`. Anything else is
/// not front matter: Markdown reads it.
pub fn front_matter(text: &str) -> Option<Range<usize>> {
    let mut at = 0;
    let mut lines = text.split_inclusive('\n').map(|line| {
        let start = at;
        at += line.len();
        (start, line)
    });
    let (_, open) = lines.by_ref().find(|(_, l)| !l.trim().is_empty())?;
    if open.trim_end() != "---" {
        return None;
    }
    let mut held = false;
    for (start, line) in lines {
        if matches!(line.trim_end(), "---" | "...") {
            return held.then_some(0..start + line.len());
        }
        held |= !line.trim().is_empty();
    }
    None
}

/// What a top-level segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Paragraph,
    Heading,
    BlockQuote,
    CodeBlock,
    Html,
    List,
    Table,
    Rule,
    FootnoteDefinition,
    FrontMatter,
    Other,
    /// Bytes between blocks: blank lines and link reference definitions, which the parser
    /// gives no event.
    Gap,
    /// Page furniture of text from a PDF (a form feed, a running header or footer, a page
    /// number), cut out of the block it stood in by [`crate::page_furniture`].
    Furniture,
}

/// A top-level block or gap, covering whole lines of the source.
#[derive(Debug, Clone)]
pub struct Segment {
    pub range: Range<usize>,
    pub kind: Kind,
    /// The block's text as the parser reads it (markup removed, entities decoded, raw HTML
    /// as written), one line per source line or break; for a gap, its source.
    pub text: String,
    /// Byte ranges of hidden text in the block's raw HTML, as [`crate::html`] reads it: what
    /// a page never shows (comments, and what reads as one such as `<?…?>` or
    /// `<![CDATA[…]]>`, doctypes, a tag the block ends inside; one left open runs to the
    /// block's end) and tags that hide their content (`display: none`, `hidden`, …).
    pub hidden: Vec<Range<usize>>,
    /// Raw HTML outside the allow-list ([`html::Token::not_allowed`]): where, and what.
    pub not_allowed: Vec<(usize, String)>,
    /// Markdown whose text a page does not show as text: a link's or an image's title (a
    /// tooltip at most), a fenced code block's info string (a class at most), a table cell
    /// beyond the header row's columns (dropped). Where, and what.
    pub unseen: Vec<(usize, &'static str)>,
    /// The link reference definitions that start in the segment, as the parser read them
    /// (the first of each label): their byte ranges and labels, normalised by [`label`].
    pub definitions: Vec<Definition>,
    /// Labels of the link reference definitions (`foo`) and footnotes (`^foo`) the block
    /// refers to, normalised by [`label`].
    pub refs: Vec<String>,
    /// For a footnote definition, its label (`^foo`).
    pub defines: Option<String>,
}

/// A link reference definition as the parser read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub range: Range<usize>,
    /// Normalised by [`label`].
    pub label: String,
    /// It gives a title, which a link using it carries unseen (a tooltip at most).
    pub titled: bool,
}

/// A reference label as CommonMark matches it: case-folded, white space collapsed.
pub fn label(text: &str) -> String {
    crate::normalize::one_line(text).to_lowercase()
}

impl Segment {
    /// A segment of text only: nothing hidden, no markup off the allow-list, no unseen text,
    /// no definitions or references.
    pub fn bare(range: Range<usize>, kind: Kind, text: String) -> Segment {
        Segment {
            range,
            kind,
            text,
            hidden: Vec::new(),
            not_allowed: Vec::new(),
            unseen: Vec::new(),
            definitions: Vec::new(),
            refs: Vec::new(),
            defines: None,
        }
    }

    /// True when the segment holds text and emphasis only: nothing a cut into several
    /// segments would have to share out.
    pub fn is_text_only(&self) -> bool {
        self.hidden.is_empty()
            && self.not_allowed.is_empty()
            && self.unseen.is_empty()
            && self.definitions.is_empty()
            && self.refs.is_empty()
            && self.defines.is_none()
    }

    /// Where each source line of the segment starts, in `src`.
    pub fn line_starts(&self, src: &str) -> Vec<usize> {
        let mut starts = vec![self.range.start];
        for (k, b) in src[self.range.clone()].bytes().enumerate() {
            let next = self.range.start + k + 1;
            if b == b'\n' && next < self.range.end {
                starts.push(next);
            }
        }
        starts
    }

    /// True when the segment holds nothing but white space.
    pub fn is_blank(&self, src: &str) -> bool {
        src[self.range.clone()].trim().is_empty()
    }
}

/// The parser did something this program does not expect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surprise {
    pub at: usize,
    pub message: &'static str,
}

fn kind_of(tag: &Tag<'_>) -> Kind {
    match tag {
        Tag::Paragraph => Kind::Paragraph,
        Tag::Heading { .. } => Kind::Heading,
        Tag::BlockQuote(_) => Kind::BlockQuote,
        Tag::CodeBlock(_) => Kind::CodeBlock,
        Tag::HtmlBlock => Kind::Html,
        Tag::List(_) => Kind::List,
        Tag::Table(_) => Kind::Table,
        Tag::FootnoteDefinition(_) => Kind::FootnoteDefinition,
        _ => Kind::Other,
    }
}

fn line_start(src: &str, at: usize) -> usize {
    src[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(src: &str, at: usize) -> usize {
    if at == 0 || at >= src.len() || src.as_bytes()[at - 1] == b'\n' {
        return at.min(src.len());
    }
    let start = line_start(src, at);
    if src[start..at].trim().is_empty() {
        // A list can end inside the indentation of the next block's first line.
        return start;
    }
    src[at..].find('\n').map_or(src.len(), |i| at + i + 1)
}

/// Cuts `src` into top-level blocks and the gaps between them. The segments are in order,
/// do not overlap and cover `src` exactly.
pub fn segment(src: &str) -> Result<Vec<Segment>, Surprise> {
    let mut blocks = Blocks {
        src,
        ..Blocks::default()
    };
    let body = front_matter(src).map_or(0, |range| {
        let block = &src[range.clone()];
        // Its text is what stands between the delimiter lines.
        let inner = block
            .trim_end()
            .rsplit_once('\n')
            .map_or("", |(inner, _)| inner);
        let inner = inner
            .trim_start()
            .split_once('\n')
            .map_or("", |(_, rest)| rest);
        blocks.done.push(Segment {
            text: format!("{inner}\n"),
            range: range.clone(),
            kind: Kind::FrontMatter,
            hidden: Vec::new(),
            not_allowed: Vec::new(),
            unseen: Vec::new(),
            definitions: Vec::new(),
            refs: Vec::new(),
            defines: None,
        });
        range.end
    });
    let mut events = parser(&src[body..]).into_offset_iter();
    for (event, range) in events.by_ref() {
        let range = range.start + body..range.end + body;
        match event {
            Event::Start(tag) => blocks.start(&tag, range),
            Event::End(end) => blocks.end(end, range)?,
            other => blocks.leaf(other, range),
        }
    }
    if blocks.depth != 0 || blocks.current.is_some() {
        return Err(Surprise {
            at: src.len(),
            message: "the parser left a block open at the end of the document",
        });
    }
    let mut segments = with_gaps(src, blocks.done)?;
    let mut definitions: Vec<Definition> = events
        .reference_definitions()
        .iter()
        .map(|(l, d)| Definition {
            range: d.span.start + body..d.span.end + body,
            label: label(l),
            titled: d.title.as_ref().is_some_and(|t| !t.is_empty()),
        })
        .collect();
    definitions.sort_by_key(|d| d.range.start);
    for d in definitions {
        let i = segments.partition_point(|s| s.range.end <= d.range.start);
        if let Some(seg) = segments.get_mut(i) {
            seg.definitions.push(d);
        }
    }
    Ok(segments)
}

/// The top-level blocks read so far, and the one being read.
#[derive(Default)]
struct Blocks<'s> {
    /// The whole source: what a table row holds beyond its cells is read in it.
    src: &'s str,
    /// The end of the last cell of the table row being read.
    cells_end: usize,
    /// The links and images open: a full reference's label (or none), destination, where
    /// the link starts, and how long the block's text was when it did.
    /// Whether it is a link (not an image).
    labels: Vec<(String, String, usize, usize, bool)>,
    done: Vec<Segment>,
    depth: usize,
    current: Option<Segment>,
    /// The raw HTML of the current block, read as one input: a comment or a tag may run
    /// over several events (an HTML block gives one per line).
    html: Option<html::Reader>,
}

impl Blocks<'_> {
    fn start(&mut self, tag: &Tag<'_>, range: Range<usize>) {
        if self.depth == 0 {
            self.current = Some(Segment {
                range: range.clone(),
                kind: kind_of(tag),
                text: String::new(),
                hidden: Vec::new(),
                not_allowed: Vec::new(),
                unseen: Vec::new(),
                definitions: Vec::new(),
                refs: Vec::new(),
                defines: match tag {
                    Tag::FootnoteDefinition(l) => Some(format!("^{}", label(l))),
                    _ => None,
                },
            });
            self.html = None;
        }
        if let (Tag::Link { id, .. } | Tag::Image { id, .. }, Some(block)) =
            (tag, self.current.as_mut())
            && !id.is_empty()
        {
            block.refs.push(label(id));
        }
        if let (Some(what), Some(block)) = (unseen(tag), self.current.as_mut()) {
            block.unseen.push((range.start, what));
        }
        if matches!(tag, Tag::TableHead | Tag::TableRow) {
            self.cells_end = range.start;
        }
        // A list nested in an item's text starts on a line of its own, as in the source.
        if matches!(tag, Tag::Item)
            && let Some(block) = self.current.as_mut()
            && !block.text.is_empty()
            && !block.text.ends_with('\n')
        {
            block.text.push('\n');
        }
        if let Tag::Link {
            link_type,
            id,
            dest_url,
            ..
        }
        | Tag::Image {
            link_type,
            id,
            dest_url,
            ..
        } = tag
        {
            let at = self.current.as_ref().map_or(0, |b| b.text.len());
            // Only a full reference's label is written apart from the link's text.
            let label = if *link_type == LinkType::Reference {
                id.to_string()
            } else {
                String::new()
            };
            let is_link = matches!(tag, Tag::Link { .. });
            self.labels
                .push((label, dest_url.to_string(), range.start, at, is_link));
        }
        self.depth += 1;
    }

    fn end(&mut self, end: TagEnd, range: Range<usize>) -> Result<(), Surprise> {
        self.depth = self.depth.checked_sub(1).ok_or(Surprise {
            at: range.start,
            message: "the parser closed a block it never opened",
        })?;
        let Some(block) = self.current.as_mut() else {
            return Ok(());
        };
        if matches!(
            end,
            TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead
        ) && !block.text.ends_with('\n')
        {
            block.text.push('\n');
        }
        // "[text][label]": the label is in the Markdown, never on the page. Its words must
        // be the link's own (its text or its address: "[evaluation report][eval]").
        if matches!(end, TagEnd::Link | TagEnd::Image)
            && let Some((label, dest, at, from, is_link)) = self.labels.pop()
        {
            let text = block.text.get(from..).unwrap_or_default().to_string();
            // A link with no text shows nothing but carries its address.
            if is_link && text.trim().is_empty() {
                block.unseen.push((
                    at,
                    "a link with no text, whose address a page does not show",
                ));
            }
            let shown = format!("{text} {dest}").to_lowercase();
            let unseen = label
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w.chars().any(char::is_alphabetic) && !shown.contains(w));
            if unseen {
                block.unseen.push((
                    at,
                    "a reference link's label with words of its own, which a page does not show",
                ));
            }
        }
        if matches!(end, TagEnd::TableCell) {
            block.text.push(' ');
            self.cells_end = range.end;
        }
        // A row with more cells than the header row: the page drops those beyond it.
        if matches!(end, TagEnd::TableRow | TagEnd::TableHead)
            && let Some(beyond) = self.src.get(self.cells_end..range.end)
            && beyond
                .trim()
                .trim_start_matches('|')
                .trim_start()
                .chars()
                .any(|c| !c.is_whitespace())
        {
            block.unseen.push((
                self.cells_end,
                "a table cell beyond the header row's columns",
            ));
        }
        if self.depth == 0 {
            let mut block = self.current.take().expect("a block is open");
            block.range.end = block.range.end.max(range.end);
            if let Some(reader) = self.html.take() {
                let tokens = reader.finish();
                block.not_allowed = not_allowed(&tokens);
                block.hidden = hidden(tokens, block.range.end);
            }
            self.done.push(block);
        }
        Ok(())
    }

    /// An event that is neither a start nor an end: inside a block, or a block of its own.
    fn leaf(&mut self, event: Event<'_>, range: Range<usize>) {
        let text = text_of(&event);
        match self.current.as_mut() {
            Some(block) if self.depth > 0 => {
                if let Event::FootnoteReference(l) = &event {
                    block.refs.push(format!("^{}", label(l)));
                }
                if let Event::Html(raw) | Event::InlineHtml(raw) = &event {
                    self.html
                        .get_or_insert_with(html::Reader::new)
                        .feed(range.start, raw);
                }
                block.text.push_str(&text);
            }
            _ => {
                let (hidden, not_allowed) = match &event {
                    Event::Html(raw) | Event::InlineHtml(raw) => {
                        let mut reader = html::Reader::new();
                        reader.feed(range.start, raw);
                        let tokens = reader.finish();
                        (
                            hidden(tokens.clone(), range.end),
                            self::not_allowed(&tokens),
                        )
                    }
                    _ => (Vec::new(), Vec::new()),
                };
                let kind = if matches!(event, Event::Rule) {
                    Kind::Rule
                } else {
                    Kind::Html
                };
                self.done.push(Segment {
                    range,
                    kind,
                    text,
                    hidden,
                    not_allowed,
                    unseen: Vec::new(),
                    definitions: Vec::new(),
                    refs: Vec::new(),
                    defines: None,
                });
            }
        }
    }
}

/// A leaf event's text, as [`Segment::text`] gives it.
fn text_of(event: &Event<'_>) -> String {
    match event {
        // Inline HTML is markup inside a line: "<a id=x></a>Part 2 –" is a banner,
        // "OFFICIAL-SEN<span></span>SITIVE" a marking. (What it hides is found apart, in
        // `hidden`.)
        Event::InlineHtml(_) => String::new(),
        Event::Text(t) | Event::Code(t) | Event::Html(t) => t.to_string(),
        Event::InlineMath(t) | Event::DisplayMath(t) => t.to_string(),
        Event::FootnoteReference(label) => format!("[^{label}]"),
        Event::SoftBreak | Event::HardBreak => "\n".to_string(),
        Event::Rule | Event::TaskListMarker(_) | Event::Start(_) | Event::End(_) => String::new(),
    }
}

/// Widens each block to whole lines and puts the gaps between them in place.
fn with_gaps(src: &str, blocks: Vec<Segment>) -> Result<Vec<Segment>, Surprise> {
    let mut segments = Vec::with_capacity(blocks.len() * 2 + 1);
    let mut at = 0usize;
    for mut block in blocks {
        block.range = line_start(src, block.range.start)..line_end(src, block.range.end);
        if block.range.start < at {
            // Two top-level blocks on one line: widening would merge them.
            return Err(Surprise {
                at: block.range.start,
                message: "two top-level blocks share a line",
            });
        }
        if block.range.start > at {
            segments.push(gap(src, at..block.range.start));
        }
        at = block.range.end;
        segments.push(block);
    }
    if at < src.len() {
        segments.push(gap(src, at..src.len()));
    }
    Ok(segments)
}

fn gap(src: &str, range: Range<usize>) -> Segment {
    Segment {
        text: src[range.clone()].to_string(),
        range,
        kind: Kind::Gap,
        hidden: Vec::new(),
        not_allowed: Vec::new(),
        unseen: Vec::new(),
        definitions: Vec::new(),
        refs: Vec::new(),
        defines: None,
    }
}

/// What the allow-list refuses in a block's raw HTML, read as `tokens`.
fn not_allowed(tokens: &[html::Token]) -> Vec<(usize, String)> {
    tokens
        .iter()
        .filter_map(|t| Some((t.range.start, t.not_allowed()?)))
        .collect()
}

/// What of a tag's content a page does not show as text, if anything: an inline link's or
/// image's title (a reference link's title is its definition's, see [`Definition`]), or a
/// fenced code block's info string, even one language word: it is published in the
/// Markdown and at most an attribute of the page.
fn unseen(tag: &Tag<'_>) -> Option<&'static str> {
    match tag {
        Tag::Link { title, id, .. } if !title.is_empty() && id.is_empty() => Some("a link's title"),
        Tag::Image { title, id, .. } if !title.is_empty() && id.is_empty() => {
            Some("an image's title")
        }
        Tag::CodeBlock(CodeBlockKind::Fenced(info)) if !info.trim().is_empty() => {
            Some("a code block's info string, which a page does not show")
        }
        _ => None,
    }
}

/// The hidden text in a block's raw HTML, read as `tokens`: what a page never shows
/// (comments and what reads as one, doctypes, tags the block ends inside; those left open
/// run to `block_end`), and the tags that hide what they hold.
fn hidden(tokens: Vec<html::Token>, block_end: usize) -> Vec<Range<usize>> {
    tokens
        .into_iter()
        .filter_map(|t| match &t.kind {
            html::Kind::Comment { closed: false, .. } | html::Kind::Unfinished => {
                Some(t.range.start..block_end.max(t.range.end))
            }
            _ if t.is_unseen() || t.tag().is_some_and(html::Tag::hides) => Some(t.range),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuilt(src: &str) -> String {
        segment(src)
            .unwrap()
            .iter()
            .map(|s| &src[s.range.clone()])
            .collect()
    }

    #[test]
    fn segments_rebuild_the_source() {
        for src in [
            "# Title\n\npara\n\n```\ncode\n```\n\n[a]: /url\n\n- x\n- y\n\n",
            "    indented\n\n> quote\n---\n",
            "para\r\nline\r\n\r\n***\r\n",
            "---\ntitle: x\n---\n\nbody",
            "text[^1]\n\n[^1]: note\n",
            "<div>\nhtml\n</div>\n",
            "- one\n\n two\n",
            "-\n\n  foo\n",
        ] {
            assert_eq!(rebuilt(src), src);
        }
    }

    /// Front matter stands at the very top only; a `---` block further down is Markdown: a
    /// thematic break, then a setext heading.
    #[test]
    fn front_matter_is_at_the_top_only() {
        assert_eq!(front_matter("---\ntitle: x\n---\nbody"), Some(0..17));
        assert_eq!(front_matter("\n\n---\ntitle: x\n...\n"), Some(0..19));
        assert_eq!(front_matter("---\n\n---\n"), None);
        assert_eq!(front_matter("---\ntitle: x\n"), None);
        assert_eq!(front_matter("text\n\n---\ntitle: x\n---\n"), None);
        let src = "Intro\n\n---\nauthor: Jane\n---\n\nMore\n";
        let kinds: Vec<Kind> = segment(src).unwrap().iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Paragraph,
                Kind::Gap,
                Kind::Rule,
                Kind::Heading,
                Kind::Gap,
                Kind::Paragraph
            ]
        );
        let src = "\n---\ntitle: x\n---\n\nBody\n";
        let segs = segment(src).unwrap();
        assert_eq!(
            (segs[0].kind, segs[0].range.clone()),
            (Kind::FrontMatter, 0..18)
        );
        assert_eq!(segs[0].text, "title: x\n");
    }

    #[test]
    fn bold_line_under_a_paragraph_is_the_same_block() {
        let segs = segment("Intro\n**PART 2**\nsecret\n").unwrap();
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].text, "Intro\nPART 2\nsecret\n");
    }

    #[test]
    fn link_definitions_fall_in_gaps() {
        let segs = segment("a\n\n[x]: http://example.org\n\nb\n").unwrap();
        assert!(
            segs.iter()
                .any(|s| s.kind == Kind::Gap && s.text.contains("example.org"))
        );
    }

    #[test]
    fn comments_are_found_inline_in_blocks_and_unclosed() {
        let src = "a <!-- x\ny --> b\n\n<div><!-- c\nd --></div>\n\n`<!-- code -->`\n\n<!-- open\nto the end\n";
        let segs = segment(src).unwrap();
        let comments: Vec<&str> = segs
            .iter()
            .flat_map(|s| s.hidden.iter())
            .map(|r| &src[r.clone()])
            .collect();
        assert_eq!(
            comments,
            ["<!-- x\ny -->", "<!-- c\nd -->", "<!-- open\nto the end\n"]
        );
    }

    /// What a page never shows is hidden, whatever the tokenizer reads it as: processing
    /// instructions, CDATA and declarations read as comments; a doctype that names more than
    /// `html`; a tag the block ends inside; a tag that hides its content, over several lines.
    #[test]
    fn hidden_text_is_found_as_the_tokenizer_reads_it() {
        let src = "a <?php Lindqvist ?> b\n\n<![CDATA[x]]>\n\n<!DOCTYPE html>\n\n\
                   <!DOCTYPE bid 612900>\n\n<div title=\"x\"\nsecret\n\n\
                   <div\nstyle=\"display:none\">y</div>\n\n<p title='a>b'>shown</p>\n";
        let segs = segment(src).unwrap();
        let hidden: Vec<&str> = segs
            .iter()
            .flat_map(|s| s.hidden.iter())
            .map(|r| &src[r.clone()])
            .collect();
        assert_eq!(
            hidden,
            [
                "<?php Lindqvist ?>",
                "<![CDATA[x]]>",
                "<!DOCTYPE bid 612900>",
                "<div title=\"x\"\nsecret\n",
                "<div\nstyle=\"display:none\">",
            ]
        );
    }

    #[test]
    fn references_and_footnote_definitions_are_recorded() {
        let segs = segment("See [the  Paper][P1], ![x][img], [undefined][u] and a note[^n].\n\n[^n]: Note.\n\n[p1]: /a\n[IMG]: /i.png\n").unwrap();
        // Only references that resolve are links; "[undefined][u]" is text.
        assert_eq!(segs[0].refs, ["p1", "img", "^n"]);
        assert_eq!(
            segs.iter().find_map(|s| s.defines.clone()),
            Some("^n".to_string())
        );
    }
}

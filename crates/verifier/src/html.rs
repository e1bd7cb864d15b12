//! Reading HTML as a browser reads it: html5ever's tokenizer, and nothing hand-written.
//!
//! The tokenizer decodes character references exactly as a browser does (in text and in
//! attribute values alike) and ends a tag where a browser ends it, so a `>` inside a quoted
//! attribute value is part of the value. [`read`] gives every view of a page the checks need
//! in one pass: the visible text block by block, everything the page carries as text, the
//! text with its tags read as nothing, and each element with its attributes for the
//! allow-list.

use std::borrow::Cow;
use std::cell::RefCell;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// An element's start tag: its name and attributes, in lower case as the tokenizer gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Element {
    /// The value of attribute `name`, if the element has it.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A page as the checks read it.
#[derive(Debug, Default)]
pub struct Page {
    /// The visible text of each block, cut at block-level tags so that text is never joined
    /// across two blocks; every other tag read as a space. Blank blocks are left out.
    pub blocks: Vec<String>,
    /// Everything the page carries as text, tags as spaces: visible text, tag and attribute
    /// names, attribute values and comments, in the order they stand.
    pub whole: String,
    /// The visible text with every tag read as nothing ("Hal<span></span>berd" reads
    /// "Halberd").
    pub untagged: String,
    /// True when a tag (or a run of tags) stands between two characters that can belong to a
    /// word. Elsewhere the text read with tags as nothing and with tags as spaces flatten alike.
    pub tag_inside_a_word: bool,
    /// Every start tag, in order.
    pub elements: Vec<Element>,
    /// How many comments the page holds (bogus comments such as `<?x>` included).
    pub comments: usize,
}

/// Elements whose tags cut the page into blocks.
#[cfg(test)]
const BLOCK_TAGS: &[&str] = &[
    "p",
    "li",
    "ol",
    "ul",
    "td",
    "th",
    "tr",
    "thead",
    "tbody",
    "tfoot",
    "table",
    "caption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "div",
    "pre",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "dl",
    "dt",
    "dd",
    "hr",
    "br",
    "sup",
    "title",
    "body",
    "head",
    "html",
];

/// True when `name` is one of the elements whose tags cut the page into blocks (the names of
/// `BLOCK_TAGS`, matched by the compiler rather than one by one).
fn cuts_blocks(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "ol"
            | "ul"
            | "td"
            | "th"
            | "tr"
            | "thead"
            | "tbody"
            | "tfoot"
            | "table"
            | "caption"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "div"
            | "pre"
            | "blockquote"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "nav"
            | "aside"
            | "dl"
            | "dt"
            | "dd"
            | "hr"
            | "br"
            | "sup"
            | "title"
            | "body"
            | "head"
            | "html"
    )
}

#[derive(Default)]
struct Reader {
    page: Page,
    block: String,
    /// A tag stood since the last character of text.
    tag_since_text: bool,
    /// The last character of text, before the tags since.
    last: Option<char>,
    /// How much of `page.whole` ends with a tag or a comment: a cut there splits no
    /// character reference (see [`Stream`]).
    whole_safe: usize,
}

/// A character that can belong to a word: a letter or digit, or anything not ASCII.
fn wordish(c: char) -> bool {
    c.is_ascii_alphanumeric() || !c.is_ascii()
}

impl Reader {
    fn text(&mut self, text: &str) {
        let Some(first) = text.chars().next() else {
            return;
        };
        if self.tag_since_text && self.last.is_some_and(wordish) && wordish(first) {
            self.page.tag_inside_a_word = true;
        }
        self.tag_since_text = false;
        self.last = text.chars().next_back();
        self.block.push_str(text);
        self.page.whole.push_str(text);
        self.page.untagged.push_str(text);
    }

    fn tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        self.tag_since_text = true;
        // The name is read where the tokenizer holds it; a copy is made only for a start
        // tag, whose element is kept.
        let name: &str = &tag.name;
        if cuts_blocks(name) {
            let block = std::mem::take(&mut self.block);
            if !block.trim().is_empty() {
                self.page.blocks.push(block);
            }
        } else {
            self.block.push(' ');
        }
        let whole = &mut self.page.whole;
        whole.push(' ');
        whole.push_str(name);
        for a in &tag.attrs {
            whole.push(' ');
            whole.push_str(&a.name.local);
            whole.push(' ');
            whole.push_str(&a.value);
        }
        whole.push(' ');
        // An end tag carries nothing but its name, which a browser ignores when it closes
        // nothing.
        if tag.kind == TagKind::EndTag {
            return TokenSinkResult::Continue;
        }
        // The tokenizer alone does not know which elements hold raw text: the tree builder
        // tells it, as here, so that their content is read as a browser reads it.
        let raw = match name {
            "title" | "textarea" => Some(RawKind::Rcdata),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
            "script" => Some(RawKind::ScriptData),
            _ => None,
        };
        let plaintext = name == "plaintext";
        self.page.elements.push(Element {
            name: name.to_string(),
            attrs: tag
                .attrs
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect(),
        });
        match raw {
            Some(kind) if !tag.self_closing => TokenSinkResult::RawData(kind),
            _ if plaintext => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }

    fn finish(mut self) -> Page {
        let block = std::mem::take(&mut self.block);
        if !block.trim().is_empty() {
            self.page.blocks.push(block);
        }
        self.page
    }
}

struct Sink(RefCell<Reader>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut r = self.0.borrow_mut();
        match token {
            Token::CharacterTokens(t) => r.text(&t),
            Token::NullCharacterToken => r.text("\u{FFFD}"),
            Token::TagToken(tag) => {
                let result = r.tag(tag);
                r.whole_safe = r.page.whole.len();
                return result;
            }
            Token::CommentToken(c) => {
                r.tag_since_text = true;
                r.page.comments += 1;
                r.page.whole.push(' ');
                r.page.whole.push_str(&c);
                r.page.whole.push(' ');
                r.whole_safe = r.page.whole.len();
            }
            Token::DoctypeToken(_) | Token::EOFToken | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

fn tokenizer() -> Tokenizer<Sink> {
    Tokenizer::new(
        Sink(RefCell::new(Reader::default())),
        TokenizerOpts {
            // A leading byte-order mark is text like any other here.
            discard_bom: false,
            ..TokenizerOpts::default()
        },
    )
}

/// Reads `html` through the tokenizer.
pub fn read(html: &str) -> Page {
    let tokenizer = tokenizer();
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    while let TokenizerResult::Script(()) = tokenizer.feed(&queue) {}
    tokenizer.end();
    tokenizer.sink.0.into_inner().finish()
}

/// A page read as it comes, part by part, by the same tokenizer as [`read`]: a document too
/// large to hold (the index of a large release) is checked in bounded memory. Each part gives
/// the blocks finished so far, the elements and comments seen, and `whole` up to the end of
/// the last tag or comment, so that no part cuts a character reference in two; the parts'
/// `whole`s in order are the page's. `untagged` is not kept.
pub struct Stream {
    tokenizer: Tokenizer<Sink>,
    queue: BufferQueue,
}

impl Default for Stream {
    fn default() -> Self {
        Stream {
            tokenizer: tokenizer(),
            queue: BufferQueue::default(),
        }
    }
}

impl Stream {
    /// Reads the next piece of the document; what is finished of it so far.
    pub fn feed(&mut self, html: &str) -> Page {
        self.queue.push_back(StrTendril::from_slice(html));
        while let TokenizerResult::Script(()) = self.tokenizer.feed(&self.queue) {}
        self.tokenizer.sink.0.borrow_mut().drain()
    }

    /// The end of the document: the rest.
    pub fn end(self) -> Page {
        self.tokenizer.end();
        let mut page = self.tokenizer.sink.0.into_inner().finish();
        page.untagged = String::new();
        page
    }
}

impl Reader {
    /// What is finished of the page, taken out.
    fn drain(&mut self) -> Page {
        let rest = self.page.whole.split_off(self.whole_safe);
        self.whole_safe = 0;
        let mut part = std::mem::replace(
            &mut self.page,
            Page {
                whole: rest,
                ..Page::default()
            },
        );
        part.untagged = String::new();
        part
    }
}

/// `text` with its character references decoded as a browser decodes them in a page's text;
/// everything else as written (a `<` stays a `<`). Text without `&` is borrowed.
pub fn decoded(text: &str) -> Cow<'_, str> {
    // A character reference starts with `&` then a letter, a digit or `#`; any other `&` a
    // browser shows as it is ("Advisory & Monitoring"), so such text needs no reading.
    let bytes = text.as_bytes();
    let reference = text.match_indices('&').any(|(at, _)| {
        bytes
            .get(at + 1)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'#')
    });
    if !reference {
        return Cow::Borrowed(text);
    }
    Cow::Owned(read(&text.replace('<', "&lt;")).untagged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_tags_are_matched_as_listed() {
        let mut names: Vec<String> = BLOCK_TAGS.iter().map(|n| n.to_string()).collect();
        for other in [
            "span", "a", "b", "P", "h7", "h", "", "td ", "tbod", "tbodyx", "sub",
        ] {
            names.push(other.to_string());
        }
        for name in BLOCK_TAGS {
            names.push(format!("{name}x"));
            names.push(name[..name.len() - 1].to_string());
        }
        for name in &names {
            assert_eq!(
                cuts_blocks(name),
                BLOCK_TAGS.contains(&name.as_str()),
                "{name}"
            );
        }
    }

    #[test]
    fn a_quoted_greater_than_sign_does_not_end_a_tag() {
        let page = read(r#"<p>Hal<span title="a>b">x</span>berd</p>"#);
        assert_eq!(page.blocks, ["Hal x berd"]);
        assert_eq!(page.untagged, "Halxberd");
        assert_eq!(page.elements[1].attr("title"), Some("a>b"));
        assert!(page.tag_inside_a_word);
    }

    #[test]
    fn references_are_decoded_as_a_browser_decodes_them() {
        assert_eq!(
            decoded("OFFICIAL&#8209;SENSITIVE &amp; &notit; <b>"),
            "OFFICIAL\u{2011}SENSITIVE & ¬it; <b>"
        );
        let page = read("<p title=\"OFFICIAL&#8209;SENSITIVE\">a&shy;b</p>");
        assert_eq!(
            page.elements[0].attr("title"),
            Some("OFFICIAL\u{2011}SENSITIVE")
        );
        assert_eq!(page.blocks, ["a\u{AD}b"]);
    }

    #[test]
    fn raw_text_is_read_as_a_browser_reads_it() {
        let page = read("<title>a <b> c</title><script>if (a<b) x()</script><!-- c -->");
        assert_eq!(page.elements.len(), 2);
        assert_eq!(page.comments, 1);
        assert!(page.untagged.contains("a <b> c"));
    }
}

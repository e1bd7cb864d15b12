//! Raw HTML, read the way a browser reads it: the one HTML reader of the redactor.
//!
//! Every rule about raw HTML in a report (what hides text, what carries text of its own,
//! what dresses a banner, how deep markup nests) reads tokens from here, never bytes: a
//! hand-written scanner ends a tag at a `>` inside a quoted value, misses an attribute
//! without `=`, and drifts from the next scanner. The tokenizer is html5ever's, the one the
//! page's sanitiser parses with, so the rules see what the page sees.
//!
//! What it gives, each token with its byte range in the source: tags with their attributes
//! (values decoded as a browser decodes them), comments (an unclosed one runs to the end of
//! the input), processing instructions, CDATA sections and other declarations as the
//! tokenizer reports them (a bogus comment), doctypes, text, tags left unfinished when the
//! input ends, and the nesting depth after each token.
//!
//! Unlike a browser's tree builder, the reader never switches to the raw-text states of
//! `script`, `style`, `textarea` or `title`: their content is read as markup too, so a
//! comment or an attribute written there is found rather than passed over as text. A page
//! shows such content as text at most; reading it as markup can only find more.

use std::cell::RefCell;
use std::ops::Range;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token as Raw, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements that never hold content, so never nest.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The elements the cover and Part 1 may hold as raw HTML: the phrasing a report's text
/// uses, each shown as it stands. Everything else (blocks, frames, forms, media, metadata,
/// scripts, styles, custom elements) is refused: see [`Token::not_allowed`].
pub const ALLOWED_TAGS: [&str; 12] = [
    "a", "b", "strong", "i", "em", "u", "s", "sub", "sup", "br", "span", "code",
];

/// A start or end tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Lower case, as the tokenizer gives it.
    pub name: String,
    pub end: bool,
    /// Names in lower case, values decoded (`&#62;` is `>`); an attribute written without
    /// `=` has an empty value. A repeated attribute is dropped by the tokenizer: see
    /// [`Tag::repeated`].
    pub attrs: Vec<(String, String)>,
    pub self_closing: bool,
    /// The tag repeats an attribute: the repeat is in the source but not in `attrs`, and a
    /// page ignores it.
    pub repeated: bool,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Tag(Tag),
    /// `<!-- … -->`, or what the tokenizer reads as one: `<?…>`, `<![CDATA[…]]>`, `<!…>`,
    /// `</ …>`. `closed` is false when the input ends inside it.
    Comment {
        text: String,
        closed: bool,
    },
    /// `<!DOCTYPE …>`: what it names (name, public and system identifiers), and whether
    /// the tokenizer found more than that in it, or its end missing (quirks).
    Doctype {
        named: String,
        quirks: bool,
    },
    /// A tag the input ends inside (`<span title="…` and nothing after): a page drops it
    /// and everything written in it.
    Unfinished,
    /// Characters, references decoded. Its range is where the characters were read, give
    /// or take the edges of a reference.
    Text(String),
}

/// A token and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub kind: Kind,
    /// How many elements are open after this token: start tags of elements that are not
    /// void open one, end tags close one.
    pub depth: usize,
}

impl Token {
    /// The token's tag, if it is one.
    pub fn tag(&self) -> Option<&Tag> {
        match &self.kind {
            Kind::Tag(t) => Some(t),
            _ => None,
        }
    }

    /// True for markup a page does not show: tags, comments, doctypes (not text).
    pub fn is_markup(&self) -> bool {
        !matches!(self.kind, Kind::Text(_))
    }

    /// What of this token the allow-list refuses, named (a tag, an attribute, a doctype),
    /// never its text: `None` for text, comments and unfinished tags (hidden text, found
    /// apart) and for a tag of [`ALLOWED_TAGS`] whose only attribute is an `a`'s `href` with
    /// a safe address. An attribute's value is published but never shown as text, so no
    /// other attribute is allowed; `href` is the link's target, which the page shows as a
    /// link. A name is given only when HTML knows it: a made-up element or attribute name is
    /// text of its own, and the reason is published in the manifest.
    pub fn not_allowed(&self) -> Option<String> {
        let tag = match &self.kind {
            Kind::Tag(tag) => tag,
            Kind::Doctype { .. } => return Some("a doctype".into()),
            Kind::Comment { .. } | Kind::Unfinished | Kind::Text(_) => return None,
        };
        if !ALLOWED_TAGS.contains(&tag.name.as_str()) {
            return Some(element_name(&tag.name));
        }
        if tag.repeated {
            return Some(format!("a repeated attribute on <{}>", tag.name));
        }
        tag.attrs
            .iter()
            .find(|(name, value)| {
                tag.end
                    || tag.name != "a"
                    || name.as_str() != "href"
                    || !crate::render::safe_url(value)
            })
            .map(|(name, _)| format!("{} on <{}>", attribute_name(name), tag.name))
    }

    /// True for text a page never shows at all: comments and what reads as one, doctypes
    /// that say more than `<!DOCTYPE html>`, and tags the input ends inside.
    pub fn is_unseen(&self) -> bool {
        match &self.kind {
            Kind::Comment { .. } | Kind::Unfinished => true,
            Kind::Doctype { named, quirks } => *quirks || named != "html",
            Kind::Tag(_) | Kind::Text(_) => false,
        }
    }
}

/// Collects what the tokenizer emits, in order.
#[derive(Default)]
struct Sink {
    emitted: RefCell<Vec<Raw>>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Raw, _line: u64) -> TokenSinkResult<()> {
        if !matches!(token, Raw::ParseError(_) | Raw::EOFToken) {
            self.emitted.borrow_mut().push(token);
        }
        TokenSinkResult::Continue
    }
}

/// A reader fed pieces of the source in order: the tokenizer runs over them as one input,
/// so a comment or a tag may run from one piece into the next.
pub struct Reader {
    tokenizer: Tokenizer<Sink>,
    queue: BufferQueue,
    tokens: Vec<Token>,
    depth: usize,
    /// The first `<` fed since the tokenizer last gave text or markup: where the markup it
    /// gives next starts. The tokenizer reports no offsets; since it gives text as soon as
    /// it has read it, markup starts at the first `<` read after the last thing it gave.
    open: Option<usize>,
    /// What was fed from `open` on, up to three bytes: `</>` is markup the tokenizer
    /// drops without giving anything.
    head: String,
    /// Where the last thing the tokenizer gave ended (or where the input starts).
    last: usize,
    /// Where the input read so far ends.
    end: usize,
    fed: bool,
}

impl Default for Reader {
    fn default() -> Self {
        Self::new()
    }
}

impl Reader {
    /// A reader at the start of its input.
    pub fn new() -> Self {
        let opts = TokenizerOpts {
            // Offsets count every byte, a byte-order mark too.
            discard_bom: false,
            ..TokenizerOpts::default()
        };
        Reader {
            tokenizer: Tokenizer::new(Sink::default(), opts),
            queue: BufferQueue::default(),
            tokens: Vec::new(),
            depth: 0,
            open: None,
            head: String::new(),
            last: 0,
            end: 0,
            fed: false,
        }
    }

    /// Reads `text`, which stands at byte `offset` of the source.
    pub fn feed(&mut self, offset: usize, text: &str) {
        if !self.fed {
            self.fed = true;
            self.last = offset;
        }
        for (at, chunk) in chunks(text) {
            let at = offset + at;
            if chunk == "<" && self.open.is_none() {
                self.open = Some(at);
                self.head.clear();
            }
            if self.open.is_some() && self.head.len() < 3 {
                self.head.extend(chunk.chars().take(3 - self.head.len()));
            }
            self.queue.push_back(StrTendril::from_slice(chunk));
            let _ = self.tokenizer.feed(&self.queue);
            let given = self.take(at, at + chunk.len(), chunk == "<");
            if !given && chunk == ">" && self.head == "</>" {
                self.open = None;
                self.last = at + 1;
            }
        }
        self.end = offset + text.len();
    }

    /// Ends the input and gives the tokens read. What the input ends inside (a comment, a
    /// doctype, a tag) runs to the end of the last piece fed.
    pub fn finish(mut self) -> Vec<Token> {
        let end = self.end;
        self.tokenizer.end();
        self.take(end, end, false);
        if let Some(start) = self.open.take() {
            // Nothing the tokenizer gave at the end took in the `<`: the input ended inside
            // a tag, which the tokenizer drops without a word.
            self.tokens.push(Token {
                range: start..end,
                kind: Kind::Unfinished,
                depth: self.depth,
            });
        }
        self.tokens
    }

    /// Records what the tokenizer gave while it read the chunk at `at..end`.
    /// True when it gave anything.
    fn take(&mut self, at: usize, end: usize, lt: bool) -> bool {
        let emitted = std::mem::take(&mut *self.tokenizer.sink.emitted.borrow_mut());
        let given = !emitted.is_empty();
        for raw in emitted {
            let kind = match raw {
                Raw::CharacterTokens(t) => Kind::Text(t.to_string()),
                Raw::NullCharacterToken => Kind::Text("\0".to_string()),
                Raw::CommentToken(t) => Kind::Comment {
                    text: t.to_string(),
                    closed: at < end,
                },
                Raw::DoctypeToken(d) => Kind::Doctype {
                    quirks: d.force_quirks,
                    named: [d.name, d.public_id, d.system_id]
                        .into_iter()
                        .flatten()
                        .map(|t| t.to_string())
                        .collect::<Vec<_>>()
                        .join(" "),
                },
                Raw::TagToken(t) => Kind::Tag(Tag {
                    name: t.name.to_string(),
                    end: t.kind == TagKind::EndTag,
                    attrs: t
                        .attrs
                        .iter()
                        .map(|a| (a.name.local.to_string(), a.value.to_string()))
                        .collect(),
                    self_closing: t.self_closing,
                    repeated: t.had_duplicate_attributes,
                }),
                Raw::ParseError(_) | Raw::EOFToken => continue,
            };
            self.push(kind, end, lt);
        }
        given
    }

    fn push(&mut self, kind: Kind, end: usize, lt: bool) {
        if let Kind::Text(text) = kind {
            // Text given while a `<` was read is what came before it: the `<` may open
            // markup.
            let end = if lt { end - 1 } else { end };
            match self.tokens.last_mut() {
                Some(Token {
                    kind: Kind::Text(t),
                    range,
                    ..
                }) => {
                    t.push_str(&text);
                    range.end = end;
                }
                _ => self.tokens.push(Token {
                    range: self.last..end,
                    kind: Kind::Text(text),
                    depth: self.depth,
                }),
            }
            self.open = lt.then_some(end);
            self.last = end;
            return;
        }
        if let Kind::Tag(tag) = &kind {
            if tag.end {
                self.depth = self.depth.saturating_sub(1);
            } else if !VOID.contains(&tag.name.as_str()) {
                self.depth += 1;
            }
        }
        let start = self.open.take().unwrap_or(self.last);
        self.tokens.push(Token {
            range: start..end,
            kind,
            depth: self.depth,
        });
        self.last = end;
    }
}

/// Cuts `text` into what the tokenizer is fed at once: each `<`, `>` and `&` alone, and the
/// runs of other characters between them. Markup ends only at a `>` (or at the end of the
/// input), so the end of every tag and comment is known to the byte.
fn chunks(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = &text[at..];
        let first = rest.chars().next()?;
        let len = if matches!(first, '<' | '>' | '&') {
            1
        } else {
            rest.find(['<', '>', '&']).unwrap_or(rest.len())
        };
        let chunk = (at, &rest[..len]);
        at += len;
        Some(chunk)
    })
}

/// Reads `text` as a whole input.
pub fn read(text: &str) -> Vec<Token> {
    let mut reader = Reader::new();
    reader.feed(0, text);
    reader.finish()
}

/// Where `text` first nests more than `max` elements deep, read as HTML.
pub fn too_deep(text: &str, max: usize) -> Option<usize> {
    // Every element opens at a `<`: with no more of them than `max`, none nests too deep.
    if text.bytes().filter(|&b| b == b'<').count() <= max {
        return None;
    }
    let mut reader = Reader::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        reader.feed(at, line);
        at += line.len();
        if reader.depth > max {
            break;
        }
    }
    reader
        .finish()
        .into_iter()
        .find(|t| t.depth > max)
        .map(|t| t.range.start)
}

/// Where the run of markup (tags, comments, doctypes: whole ones) that starts at byte `at`
/// ends, in a text read as `tokens`; `at` when none starts there.
pub fn markup_from(tokens: &[Token], mut at: usize) -> usize {
    let mut i = tokens.partition_point(|t| t.range.start < at);
    while let Some(t) = tokens.get(i) {
        if t.range.start != at {
            break;
        }
        if t.is_markup() && !matches!(t.kind, Kind::Unfinished) && t.range.end > at {
            at = t.range.end;
        }
        i += 1;
    }
    at
}

/// Where the run of markup (tags, comments, doctypes: whole ones) that ends at byte `end`
/// starts, in a text read as `tokens`; `end` when none ends there.
pub fn markup_to(tokens: &[Token], mut end: usize) -> usize {
    let mut i = tokens.partition_point(|t| t.range.end <= end);
    while i > 0 {
        let t = &tokens[i - 1];
        if t.range.end != end {
            break;
        }
        if t.is_markup() && !matches!(t.kind, Kind::Unfinished) && t.range.start < end {
            end = t.range.start;
        }
        i -= 1;
    }
    end
}

/// Elements HTML defines that the allow-list refuses: named in a reason as they are.
const KNOWN_ELEMENTS: &[&str] = &[
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "base",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "body",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "marquee",
    "math",
    "menu",
    "meta",
    "meter",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "samp",
    "script",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "style",
    "summary",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "ul",
    "var",
    "video",
    "wbr",
    "xmp",
];

/// Attributes HTML defines, named in a reason as they are.
const KNOWN_ATTRIBUTES: &[&str] = &[
    "accesskey",
    "action",
    "align",
    "alt",
    "bgcolor",
    "border",
    "class",
    "color",
    "content",
    "contenteditable",
    "dir",
    "download",
    "draggable",
    "face",
    "for",
    "height",
    "hidden",
    "href",
    "http-equiv",
    "id",
    "lang",
    "name",
    "open",
    "rel",
    "role",
    "size",
    "src",
    "srcdoc",
    "srcset",
    "style",
    "tabindex",
    "target",
    "title",
    "type",
    "value",
    "width",
];

/// A refused element, named if HTML knows it.
fn element_name(name: &str) -> String {
    if KNOWN_ELEMENTS.contains(&name) {
        format!("the element <{name}>")
    } else {
        "an element HTML does not define".into()
    }
}

/// A refused attribute, named if HTML knows it or by its family.
fn attribute_name(name: &str) -> String {
    if KNOWN_ATTRIBUTES.contains(&name) {
        format!("the attribute {name}")
    } else if name.starts_with("data-") {
        "a data-* attribute".into()
    } else if name.starts_with("aria-") {
        "an aria-* attribute".into()
    } else if name.starts_with("on") {
        "an event handler attribute".into()
    } else {
        "an attribute HTML does not define".into()
    }
}

/// True for an `id` or `name` value that only names an anchor: a short word of letters,
/// digits and `-_.:`, such as `part-2` or `_Hlk135812`. Any other value is text.
fn is_anchor_name(value: &str) -> bool {
    value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

impl Tag {
    /// True when the tag carries text of its own, which a page would not show as text: an
    /// attribute (with or without a value) other than an `id` or `name` that only names an
    /// anchor, or a repeated attribute.
    pub fn carries_text(&self) -> bool {
        self.repeated
            || self.attrs.iter().any(|(name, value)| {
                !(matches!(name.as_str(), "id" | "name") && is_anchor_name(value))
            })
    }

    /// True when the tag hides what it holds: a collapsed section (`details`), a `hidden`
    /// or `aria-hidden` attribute, or a value that hides (`display: none`, white text, …).
    pub fn hides(&self) -> bool {
        use std::sync::OnceLock;
        static HIDING: OnceLock<regex::Regex> = OnceLock::new();
        let hiding = HIDING.get_or_init(|| {
            regex::Regex::new(
                r"(?i)(^|\s)hidden(?-u:\b)|display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0*(\.0*)?\s*(!important\s*)?(;|$)|font-size\s*:\s*0+(\.0*)?(px|pt|em|rem|%)?\s*(!important\s*)?(;|$)|color\s*:\s*(white|#fff(?-u:\b)|#ffffff)",
            )
            .expect("the hiding pattern compiles")
        });
        !self.end
            && (self.name == "details"
                || self.attrs.iter().any(|(name, value)| {
                    matches!(name.as_str(), "hidden" | "aria-hidden") || hiding.is_match(value)
                }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, &str)> {
        read(text)
            .into_iter()
            .map(|t| {
                let what = match &t.kind {
                    Kind::Tag(tag) => format!("{}{}", if tag.end { "/" } else { "" }, tag.name),
                    Kind::Comment { closed, .. } => {
                        format!("comment{}", if *closed { "" } else { "…" })
                    }
                    Kind::Doctype { .. } => "doctype".into(),
                    Kind::Unfinished => "unfinished".into(),
                    Kind::Text(_) => "text".into(),
                };
                (what, &text[t.range.clone()])
            })
            .collect()
    }

    fn tag(text: &str) -> Tag {
        read(text)
            .into_iter()
            .find_map(|t| t.tag().cloned())
            .expect("a tag")
    }

    #[test]
    fn tokens_know_where_they_stand() {
        assert_eq!(
            kinds("a <b>bold</b> &amp;<i>x</i>"),
            [
                ("text".into(), "a "),
                ("b".into(), "<b>"),
                ("text".into(), "bold"),
                ("/b".into(), "</b>"),
                ("text".into(), " &amp;"),
                ("i".into(), "<i>"),
                ("text".into(), "x"),
                ("/i".into(), "</i>"),
            ]
        );
        assert_eq!(
            kinds("x &amp<b>y"),
            [
                ("text".into(), "x &amp"),
                ("b".into(), "<b>"),
                ("text".into(), "y"),
            ]
        );
        assert_eq!(
            kinds("a < b <<i>"),
            [("text".into(), "a < b <"), ("i".into(), "<i>")]
        );
    }

    /// The defect that made this reader: a `>` inside a quoted value ended the tag early,
    /// and the `title` after it went unread.
    #[test]
    fn a_quoted_angle_bracket_does_not_end_the_tag() {
        let t = tag("<a id=\"p>2\" title=\"Lindqvist offered 612,900\"></a>Part 2");
        assert_eq!(t.name, "a");
        assert_eq!(
            t.attrs,
            [
                ("id".to_string(), "p>2".to_string()),
                ("title".to_string(), "Lindqvist offered 612,900".to_string())
            ]
        );
        assert!(t.carries_text());
        assert_eq!(
            kinds("<a id='x>y' title=z></a>")[0].1,
            "<a id='x>y' title=z>"
        );
    }

    #[test]
    fn attributes_without_a_value_are_attributes() {
        let t = tag("<span Lindqvist offered></span>");
        assert_eq!(
            t.attrs,
            [
                ("lindqvist".to_string(), String::new()),
                ("offered".to_string(), String::new())
            ]
        );
        assert!(t.carries_text());
        assert!(tag("<div hidden>").hides());
    }

    #[test]
    fn values_are_decoded_as_a_browser_decodes_them() {
        let t = tag("<span style=\"display&#58; none\" title='&lt;&#x41;&amp;'>");
        assert_eq!(t.attrs[1].1, "<A&");
        assert!(t.hides());
        assert!(tag("<p STYLE='Color: #FFF'>").hides());
        assert!(!tag("<p class='x' title='display of nonesuch'>").hides());
    }

    #[test]
    fn anchors_are_markup_and_other_names_text() {
        assert!(!tag("<a id=\"part-2\"></a>").carries_text());
        assert!(!tag("<a name=_Hlk135812></a>").carries_text());
        assert!(tag("<a id=\"Lindqvist offered 612,900\"></a>").carries_text());
        assert!(tag("<a id=\"p>2\"></a>").carries_text());
        assert!(tag("<a id=x id=\"Lindqvist\"></a>").carries_text());
        assert!(tag("</a title=x>").carries_text());
    }

    /// The allow-list: phrasing elements, and an `a` with a safe `href`, pass; anything else
    /// is named, a name HTML does not know only by its kind.
    #[test]
    fn only_the_allow_list_passes() {
        let refused = |text: &str| -> Vec<String> {
            read(text).iter().filter_map(Token::not_allowed).collect()
        };
        for ok in [
            "<b>x</b>",
            "<span>x</span>",
            "a<br/>b",
            "<a href=\"https://www.london.gov.uk/\">x</a>",
            "<a href=\"#part-2\">x</a>",
            "<sup>1</sup><sub>2</sub><code>x</code><em>e</em>",
        ] {
            assert_eq!(refused(ok), Vec::<String>::new(), "{ok}");
        }
        assert_eq!(
            refused("<div id=x>y</div>"),
            ["the element <div>", "the element <div>"]
        );
        assert_eq!(
            refused("<span id=\"Lindqvist\">"),
            ["the attribute id on <span>"]
        );
        assert_eq!(
            refused("<a href=\"javascript:x()\">"),
            ["the attribute href on <a>"]
        );
        assert_eq!(
            refused("<a title=x href=y>"),
            ["the attribute title on <a>"]
        );
        assert_eq!(
            refused("<span data-bid=612900>"),
            ["a data-* attribute on <span>"]
        );
        assert_eq!(
            refused("<lindqvist-canary></lindqvist-canary>"),
            [
                "an element HTML does not define",
                "an element HTML does not define"
            ]
        );
        assert_eq!(
            refused("<b lindqvist>"),
            ["an attribute HTML does not define on <b>"]
        );
        assert_eq!(refused("<!DOCTYPE html>"), ["a doctype"]);
        assert_eq!(refused("<b>x</b title=y>"), ["the attribute title on <b>"]);
    }

    #[test]
    fn comments_and_what_reads_as_one() {
        assert_eq!(
            kinds("a <!-- x > y --> b"),
            [
                ("text".into(), "a "),
                ("comment".into(), "<!-- x > y -->"),
                ("text".into(), " b"),
            ]
        );
        for bogus in [
            "<?php echo 1; ?>",
            "<![CDATA[x]]>",
            "<!ELEMENT br EMPTY>",
            "</ 3>",
        ] {
            assert_eq!(kinds(bogus), [("comment".into(), bogus)], "{bogus}");
        }
        assert_eq!(
            kinds("<!DOCTYPE html>"),
            [("doctype".into(), "<!DOCTYPE html>")]
        );
        assert!(!read("<!DOCTYPE html>")[0].is_unseen());
        assert!(!read("<!doctype HTML >")[0].is_unseen());
        for unseen in [
            "<!DOCTYPE Lindqvist offered 612,900>",
            "<!DOCTYPE html Lindqvist offered 612,900>",
            "<!DOCTYPE html PUBLIC \"Lindqvist\">",
            "<!DOCTYPE html\nLindqvist offered 612,900",
        ] {
            assert!(read(unseen)[0].is_unseen(), "{unseen}");
        }
        assert!(read("<?php echo 1; ?>")[0].is_unseen());
        assert_eq!(kinds("<!-->"), [("comment".into(), "<!-->")]);
    }

    #[test]
    fn unclosed_comments_and_tags_run_to_the_end() {
        assert_eq!(
            kinds("a <!-- open\nto the end\n"),
            [
                ("text".into(), "a "),
                ("comment…".into(), "<!-- open\nto the end\n"),
            ]
        );
        assert_eq!(
            kinds("a <span title=\"secret"),
            [
                ("text".into(), "a "),
                ("unfinished".into(), "<span title=\"secret")
            ]
        );
        assert_eq!(kinds("a <")[0], ("text".into(), "a <"));
        assert_eq!(kinds("a <").len(), 1);
    }

    #[test]
    fn pieces_read_as_one_input() {
        let src = "<div><!-- c\n> d --></div>";
        let mut r = Reader::new();
        r.feed(0, &src[..12]);
        r.feed(14, &src[14..]);
        let tokens = r.finish();
        assert_eq!(&src[tokens[1].range.clone()], "<!-- c\n> d -->");
    }

    #[test]
    fn an_end_tag_without_a_name_is_dropped_markup() {
        assert_eq!(
            kinds("a</><b>c"),
            [
                ("text".into(), "a"),
                ("b".into(), "<b>"),
                ("text".into(), "c")
            ]
        );
    }

    /// For any input, tokens stand in order without overlapping, and every tag, closed
    /// comment and doctype runs from a `<` to a `>`.
    #[test]
    fn tokens_stand_in_order_for_any_input() {
        const ALPHABET: &[u8] = b"<<>>&&\"'=/!-?[]ab;#x1 \nD";
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..4000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for k in 0..(seed % 24) {
                let r = seed.rotate_left(k as u32 * 5);
                text.push(ALPHABET[(r % ALPHABET.len() as u64) as usize] as char);
            }
            let mut at = 0;
            for t in read(&text) {
                assert!(
                    t.range.start >= at && t.range.end >= t.range.start,
                    "{text:?}"
                );
                assert!(t.range.end <= text.len(), "{text:?}");
                at = t.range.end;
                let raw = &text[t.range.clone()];
                let closed = match &t.kind {
                    Kind::Tag(_) | Kind::Doctype { .. } => true,
                    Kind::Comment { closed, .. } => *closed,
                    _ => false,
                };
                if closed {
                    assert!(
                        raw.starts_with('<') && raw.ends_with('>'),
                        "{text:?}: {raw:?}"
                    );
                }
                if matches!(t.kind, Kind::Unfinished | Kind::Comment { .. }) {
                    assert!(raw.starts_with('<'), "{text:?}: {raw:?}");
                }
            }
        }
    }

    #[test]
    fn depth_counts_open_elements() {
        let deep = "<div>".repeat(5);
        assert_eq!(too_deep(&deep, 4), Some(20));
        assert_eq!(too_deep("<br><img><p></p><div>", 1), None);
        assert_eq!(too_deep("<p title='<div><div>'>", 1), None);
    }

    #[test]
    fn markup_around_a_line_is_measured() {
        let line = "<p><a id=\"p>2\">Part 2</a></p>";
        let tokens = read(line);
        assert_eq!(markup_from(&tokens, 0), 15);
        assert_eq!(markup_to(&tokens, line.len()), 21);
        assert_eq!(markup_from(&tokens, 15), 15);
        assert_eq!(markup_from(&read("< Part 2"), 0), 0);
        assert_eq!(markup_from(&read("<div class=\"x"), 0), 0);
        assert_eq!(markup_to(&read("a > b"), 5), 5);
    }
}

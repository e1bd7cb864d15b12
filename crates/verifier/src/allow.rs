//! The HTML a page or the index may hold: an allow-list of the elements and attributes the
//! renderer writes, each attribute with the values it may take.
//!
//! Anything else is hidden or active content and a finding: a comment, an element not listed
//! (script, style, frame, form, collapsed section, …), an attribute not listed (event
//! handlers, style other than the table alignment pulldown-cmark writes, text only a screen
//! reader or a tooltip shows), a link other than the tool's own stylesheet link, an address
//! with a scheme other than `http`, `https` or `mailto`, an `id` other than the renderer's
//! own anchors (an id of raw HTML publishes its words unseen), an image (its address and
//! alternative text are published unseen). The list follows the renderer's
//! frame, the HTML pulldown-cmark writes and what the sanitiser keeps of raw HTML; a renderer
//! that starts writing something new fails here first, which is the safe way round.

use std::sync::OnceLock;

use regex::Regex;

use crate::html::{Element, Page};
use mopac_types::names::STYLESHEET_FILE;

/// What an attribute's value may be.
#[derive(Clone, Copy)]
enum Value {
    /// Any text: it is read as the page's text by every other check.
    Text,
    /// One of these, exactly.
    OneOf(&'static [&'static str]),
    /// Classes, each one of these.
    Classes(&'static [&'static str]),
    /// A relative address, or one with a safe scheme.
    Url,
    /// A number.
    Digits,
    /// Matches the pattern, whole.
    Like(Pattern),
}

/// The patterns attribute values are held to.
#[derive(Clone, Copy)]
enum Pattern {
    Language,
    BackLink,
    TableLabel,
    Date,
    OwnId,
    HeadingId,
}

impl Pattern {
    fn regex(self) -> &'static Regex {
        static COMPILED: [OnceLock<Regex>; 6] = [const { OnceLock::new() }; 6];
        let pattern = match self {
            Pattern::Language => "[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*",
            // The renderer's own label on a footnote's back link.
            Pattern::BackLink => r"Back to reference \d+(?: \(\d+\))?",
            Pattern::TableLabel => r"Table \d+",
            Pattern::Date => r"\d{4}-\d{2}-\d{2}",
            // The renderer's own anchors: the skip link's target, the notice, the parts,
            // footnotes and notes by number. An id of raw HTML would publish its words
            // unseen.
            Pattern::OwnId => {
                r"main-content|contents|exemption-notice|part-\d+|(?:fn|note)(?:-ref)?-\d+(?:-\d+)?"
            }
            // A section heading's anchor: an ASCII slug of its own (public) text, at most 80
            // characters, so a contents list can link to it.
            Pattern::HeadingId => r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?",
        };
        COMPILED[self as usize].get_or_init(|| {
            Regex::new(&format!("^(?:{pattern})$")).expect("the allow-list patterns compile")
        })
    }
}

/// Attributes any listed element may carry.
const GENERIC: &[(&str, Value)] = &[("id", Value::Like(Pattern::OwnId))];

/// Elements that carry no attribute but the generic ones.
const PLAIN: &[&str] = &[
    "head",
    "body",
    "title",
    "b",
    "i",
    "em",
    "strong",
    "span",
    "del",
    "s",
    "u",
    "ins",
    "sub",
    "small",
    "mark",
    "kbd",
    "samp",
    "var",
    "cite",
    "dfn",
    "abbr",
    "q",
    "bdi",
    "wbr",
    "pre",
    // A code block's language (`class="language-…"`) is refused: it publishes its words
    // unseen.
    "code",
    "blockquote",
    "br",
    "hr",
    "li",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "caption",
    "figure",
    "figcaption",
];

const ALIGN: Value = Value::OneOf(&[
    "text-align: left",
    "text-align: center",
    "text-align: right",
]);

/// Elements with attributes of their own, and those attributes.
fn own_attributes(element: &str) -> Option<&'static [(&'static str, Value)]> {
    use Value::*;
    Some(match element {
        "html" => &[("lang", Like(Pattern::Language))],
        "meta" => &[
            ("charset", OneOf(&["utf-8"])),
            ("name", OneOf(&["viewport"])),
            ("content", OneOf(&["width=device-width, initial-scale=1"])),
        ],
        "a" => &[
            ("href", Url),
            ("title", Text),
            ("rel", OneOf(&["noopener noreferrer"])),
            (
                "class",
                Classes(&["skip-link", "report-link", "footnote-ref", "footnote-back"]),
            ),
            ("aria-label", Like(Pattern::BackLink)),
        ],
        "p" => &[(
            "class",
            Classes(&[
                "marking",
                "issuer",
                "lede",
                "footnote",
                "published",
                "licence",
            ]),
        )],
        "div" => &[
            (
                "class",
                Classes(&[
                    "container",
                    "masthead",
                    "letterhead",
                    "cover",
                    "part-2",
                    "table-scroll",
                    "footnote-definition",
                ]),
            ),
            ("role", OneOf(&["region"])),
            ("aria-label", Like(Pattern::TableLabel)),
            ("tabindex", OneOf(&["0"])),
        ],
        "header" => &[("class", Classes(&["site-header", "report-header"]))],
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => &[("id", Like(Pattern::HeadingId))],
        "footer" => &[("class", Classes(&["site-footer"]))],
        "main" => &[("class", Classes(&["container"]))],
        "article" => &[("class", Classes(&["report"]))],
        "nav" => &[
            ("aria-label", OneOf(&["Release"])),
            // The contents list, named by its own heading.
            ("aria-labelledby", OneOf(&["contents"])),
            ("class", Classes(&["contents-list"])),
        ],
        "section" => &[
            ("class", Classes(&["exemption-notice"])),
            ("aria-labelledby", Like(Pattern::OwnId)),
        ],
        "dl" => &[("class", Classes(&["report-facts", "listing-facts"]))],
        "time" => &[("datetime", Like(Pattern::Date))],
        "ol" => &[("start", Digits), ("class", Classes(&["report-list"]))],
        "ul" => &[("class", Classes(&["not-listed"]))],
        // A Markdown image of the public part: its address and its text alternative are the
        // public part's own (the audit looks for withheld words in them too); a title, which
        // a page shows only on hover, is refused upstream and here.
        "img" => &[("src", Url), ("alt", Text)],
        "sup" => &[("class", Classes(&["footnote-ref", "footnote-label"]))],
        "th" | "td" => &[("style", ALIGN), ("colspan", Digits), ("rowspan", Digits)],
        _ => return None,
    })
}

/// The first thing in `page` that is not on the allow-list, described without quoting the
/// page; `None` when everything is.
pub fn problem(page: &Page) -> Option<&'static str> {
    if page.comments > 0 {
        return Some("a comment");
    }
    page.elements.iter().find_map(element_problem)
}

pub(crate) fn element_problem(e: &Element) -> Option<&'static str> {
    if e.name == "link" {
        return (!own_stylesheet_link(e))
            .then_some("a link other than the tool's own stylesheet link");
    }
    let own: &[(&str, Value)] = match own_attributes(&e.name) {
        Some(own) => own,
        None if PLAIN.contains(&e.name.as_str()) => &[],
        None => return Some("an element the renderer does not write"),
    };
    for (name, value) in &e.attrs {
        // A link title is written with its link: on an anchor with no address it is text
        // that only a tooltip shows.
        if e.name == "a" && name == "title" && e.attr("href").is_none() {
            return Some("a title on an anchor that links nowhere");
        }
        let Some((_, rule)) = own.iter().chain(GENERIC).find(|(n, _)| n == name) else {
            return Some(if name == "style" {
                "a style other than table alignment"
            } else if name.starts_with("on") {
                "an event handler"
            } else {
                "an attribute the renderer does not write"
            });
        };
        if !fits(*rule, value) {
            return Some(match (name.as_str(), rule) {
                (_, Value::Url) => "an address with an unsafe scheme",
                ("style", _) => "a style other than table alignment",
                _ => "an attribute value the renderer does not write",
            });
        }
    }
    None
}

/// The tool's own stylesheet link: `rel="stylesheet"` and a relative address of the
/// release's stylesheet, nothing else.
fn own_stylesheet_link(e: &Element) -> bool {
    let href_ok = e.attr("href").is_some_and(|h| {
        let mut rest = h;
        while let Some(r) = rest.strip_prefix("../") {
            rest = r;
        }
        rest == STYLESHEET_FILE
    });
    e.attrs.len() == 2 && e.attr("rel") == Some("stylesheet") && href_ok
}

fn fits(rule: Value, value: &str) -> bool {
    match rule {
        Value::Text => true,
        Value::OneOf(values) => values.contains(&value),
        // The sanitiser leaves an empty class where it removed every class of raw HTML.
        Value::Classes(classes) => value.split_ascii_whitespace().all(|c| classes.contains(&c)),
        Value::Url => safe_url(value),
        Value::Digits => !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()),
        Value::Like(pattern) => pattern.regex().is_match(value),
    }
}

/// An address a browser follows only to `http`, `https` or `mailto`, or a relative one. A
/// browser drops tabs and line breaks anywhere in an address and leading controls and spaces,
/// so `java&#9;script:` is read as the browser reads it.
fn safe_url(url: &str) -> bool {
    let url: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let url = url.trim_start_matches(|c: char| c <= ' ');
    match url.find(':') {
        Some(colon) if !url[..colon].contains(['/', '?', '#']) => ["http", "https", "mailto"]
            .iter()
            .any(|s| url[..colon].eq_ignore_ascii_case(s)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(html: &str) -> bool {
        problem(&crate::html::read(html)).is_none()
    }

    /// The renderer's own anchors and a heading's slug pass; an id of any other shape, which
    /// publishes its words unseen, does not. An image of the public part passes with its
    /// address and text alternative (the audit looks for withheld words in both), not with
    /// a title.
    #[test]
    fn only_the_renderers_own_ids() {
        for own in [
            "<main id=\"main-content\" class=\"container\"></main>",
            "<section class=\"exemption-notice\" aria-labelledby=\"exemption-notice\"></section>",
            "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fn-ref-1-2\">1</a></sup>",
            "<p class=\"footnote\" id=\"note-3\">x</p>",
            "<div id=\"part-2\"></div>",
            "<h2 id=\"legal-comments\">Legal comments</h2>",
            "<img src=\"a.png\" alt=\"a chart\">",
        ] {
            assert!(allowed(own), "{own}");
        }
        for other in [
            "<p id=\"CANARYxyz-lindqvist-612900\">x</p>",
            "<a id=\"lindqvist\"></a>",
            "<section aria-labelledby=\"lindqvist-612900\"></section>",
            "<h2 id=\"Lindqvist offered 612,900\">x</h2>",
            "<img src=\"a.png\" alt=\"a chart\" title=\"Lindqvist\">",
            "<img src=\"javascript:alert(1)\" alt=\"\">",
        ] {
            assert!(!allowed(other), "{other}");
        }
    }
}

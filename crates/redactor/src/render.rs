//! Render: the web release, made from the public Markdown and nothing else.
//!
//! Each report's page is rendered by parsing the published Markdown again with the one set of
//! parser options, so it can show no more than the Markdown release does. Besides the
//! Markdown, a page uses only what the release already publishes: the title, the reference
//! code, the meeting and the date (from the cover, or from the front matter keys that
//! `document.yaml` publishes), and the page wording of `document.yaml`. Presentation never
//! changes the Markdown release.
//!
//! The page is a complete HTML5 document: the marking of the released copy at the top and
//! the bottom, a masthead with the issuing body and a link to the release index, and a
//! `<main>` landmark holding the report: its cover as the report's header (the title block
//! as the one `<h1>`, then reference, meeting and date, then the date the release published
//! it: the run's `--as-of`), a contents list of its sections (`render/contents.rs`), the
//! body, Part 2 (its banner as a heading) and the exemption notice as a region of its own,
//! labelled by its first line; a footer with the licence line. The release index lists the
//! published reports newest first, each with its reference, meeting and date, or the words
//! saying it has none.
//!
//! Safety: a report without raw HTML takes a path that is safe by construction: the HTML
//! writer escapes all text, and links or images whose address is not `http`, `https`,
//! `mailto` or relative are shown as their text. In a report with raw HTML every top-level
//! block is cleaned by `ammonia`: no script, style, event handler, frame, form, collapsed
//! section or unsafe address survives, and comments are dropped. The page's own frame (the
//! masthead, the header, the regions, table frames) is written around the cleaned blocks and
//! holds only escaped text. Styling is one stylesheet, [`STYLESHEET`], written once at the
//! root of the release and linked by a relative address; a page carries no `<style>`, no
//! script and no style attribute but the table alignment the Markdown writer emits.
//!
//! Presentation rules, each tested:
//!
//! - Headings as headings: a plain paragraph of the body is presented as a heading when it
//!   is a known section title (`page.section_titles` in `document.yaml`, see
//!   `section_level`); the Part 2 banner is presented as a level-2 heading.
//! - Footnotes are linked both ways: a GitHub-style footnote reference (`[^n]`) links to its
//!   definition, which links back to every reference; a page-footer footnote of extracted
//!   text (a paragraph opening `¹ `) is linked from the superscript that refers to it, and
//!   back, when exactly one such paragraph gives that marker.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::OnceLock;

use jiff::civil::Date;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd, html};
use regex::Regex;

use crate::config::Classifications;
use crate::front_matter::FrontMatter;
use crate::markdown;
use crate::normalize::{fold, one_line};
use crate::redact::Layout;
use contents::{Anchors, Entry};
use mopac_types::names::{INDEX_FILE, STYLESHEET_FILE, href};

mod contents;

/// The stylesheet's contents: the tool's own, the same in every release.
pub const STYLESHEET: &str = include_str!("page.css");

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// URL schemes a page may link to; an address without a scheme is relative and allowed.
const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// True for an address the page may carry.
pub fn safe_url(url: &str) -> bool {
    let url = url.trim_start();
    match url.find(':') {
        Some(colon) if !url[..colon].contains(['/', '?', '#']) => {
            SCHEMES.iter().any(|s| url[..colon].eq_ignore_ascii_case(s))
        }
        _ => true,
    }
}

/// The path from a page released as `stem` ("a/b") to the release root ("../").
pub fn root_prefix(stem: &str) -> String {
    "../".repeat(stem.matches('/').count())
}

/// The one `<link>` a page of the release may carry: to the release's stylesheet, by a
/// relative address. `prefix` leads from the page's folder to the release root.
pub fn stylesheet_link(prefix: &str) -> String {
    format!("<link rel=\"stylesheet\" href=\"{prefix}{STYLESHEET_FILE}\">")
}

/// What a page says about its report besides the Markdown: data the release publishes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Details {
    /// The report's title (front matter or cover), or its file name when it has none.
    pub title: String,
    /// Its reference code (`PCD 1084`), from the published front matter or the cover.
    pub reference: Option<String>,
    /// The meeting, from the published front matter.
    pub meeting: Option<String>,
    /// The date, from the published front matter or the first date written in the cover.
    pub date: Option<Date>,
}

/// Gathers a report's [`Details`] from its title, its front matter (only the keys that
/// `document.yaml` publishes) and the cover of its public Markdown.
pub fn details(
    title: &str,
    front_matter: Option<&FrontMatter>,
    public_markdown: &str,
    layout: &Layout,
    config: &Classifications,
) -> Details {
    let published = |key: &str, value: &Option<String>| {
        value
            .as_deref()
            .filter(|_| config.document.front_matter_publish.contains(key))
            .map(one_line)
            .filter(|v| !v.is_empty())
    };
    let cover = public_markdown
        .get(..layout.cover_end)
        .unwrap_or(public_markdown);
    let fm = front_matter.cloned().unwrap_or_default();
    Details {
        title: one_line(title),
        reference: published("reference", &fm.reference).or_else(|| {
            config
                .document
                .page
                .reference
                .find(cover)
                .map(|m| one_line(m.as_str()))
        }),
        meeting: published("meeting", &fm.meeting),
        date: published("date", &fm.date)
            .and_then(|d| d.parse::<Date>().ok().or_else(|| written_date(&d)))
            .or_else(|| written_date(cover)),
    }
}

/// The first date written out in `text`: "Tuesday 1 August 2023", "31st August 2023".
pub fn written_date(text: &str) -> Option<Date> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(january|february|march|april|may|june|july|august|september|october|november|december)\s+(\d{4})\b",
        )
        .expect("the date pattern compiles")
    });
    re.captures_iter(text).find_map(|c| {
        let day: i8 = c[1].parse().ok()?;
        let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(&c[2]))? as i8 + 1;
        let year: i16 = c[3].parse().ok()?;
        Date::new(year, month, day).ok()
    })
}

/// A date as the page shows it: "1 August 2023".
pub fn show_date(date: Date) -> String {
    date.strftime("%-d %B %Y").to_string()
}

// ---- the body ----

/// Where a top-level block stands in the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Cover,
    CoverTitle,
    Body,
    Part2Banner,
    Part2,
    NoticeHeading,
    Notice,
}

/// A top-level block: its first byte in the Markdown and its events.
struct Block<'a> {
    start: usize,
    events: Vec<Event<'a>>,
}

/// The rendered blocks of a page, by where they stand.
#[derive(Debug, Default)]
struct Parts {
    letterhead: String,
    title: Option<String>,
    cover: String,
    body: String,
    part2: String,
    notice: String,
    /// The body's headings the contents list links to.
    contents: Vec<Entry>,
    /// Whether the Part 2 banner and the notice's first line stand as headings (with ids).
    part2_heading: bool,
    notice_heading: bool,
}

/// Superscript digits as page-footer footnotes write them.
fn superscript_digit(c: char) -> Option<char> {
    Some(match c {
        '⁰' => '0',
        '¹' => '1',
        '²' => '2',
        '³' => '3',
        '⁴' => '4',
        '⁵' => '5',
        '⁶' => '6',
        '⁷' => '7',
        '⁸' => '8',
        '⁹' => '9',
        _ => return None,
    })
}

/// The superscript references in `text`: each run of superscript digits that follows a
/// character other than white space, as its byte range and its number ("12" for `¹²`).
fn superscript_refs(text: &str) -> Vec<(Range<usize>, String)> {
    let mut refs = Vec::new();
    // Most text has no superscript digit, and so no reference: it is not read a character at
    // a time (ASCII text has none either).
    if !crate::normalize::may_hold_superscript_digit(text) {
        return refs;
    }
    let mut prev: Option<char> = None;
    let mut run: Option<(usize, String)> = None;
    for (i, c) in text.char_indices() {
        match (superscript_digit(c), run.as_mut()) {
            (Some(d), Some((_, n))) => n.push(d),
            (Some(d), None) => {
                if prev.is_some_and(|p| !p.is_whitespace()) {
                    run = Some((i, d.to_string()));
                }
            }
            (None, _) => {
                if let Some((start, n)) = run.take() {
                    refs.push((start..i, n));
                }
            }
        }
        prev = Some(c);
    }
    if let Some((start, n)) = run {
        refs.push((start..text.len(), n));
    }
    refs
}

/// Footnote numbering and link targets for one page.
#[derive(Default)]
struct Footnotes {
    /// GitHub-style footnotes: label to number, in order of first appearance.
    numbers: HashMap<String, usize>,
    defined: HashMap<usize, bool>,
    /// References met so far while rendering, per footnote number.
    refs_seen: HashMap<usize, usize>,
    refs_total: HashMap<usize, usize>,
    /// Page-footer footnotes that can be linked: number to how many references.
    superscripts: BTreeMap<String, usize>,
    superscript_seen: HashMap<String, usize>,
}

impl Footnotes {
    fn scan(blocks: &[Block<'_>], footnote: &Regex) -> Self {
        let mut f = Footnotes::default();
        let number = |f: &mut Footnotes, label: &str| -> usize {
            let next = f.numbers.len() + 1;
            *f.numbers.entry(label.to_string()).or_insert(next)
        };
        let mut definitions: BTreeMap<String, usize> = BTreeMap::new();
        let mut references: BTreeMap<String, usize> = BTreeMap::new();
        for block in blocks {
            if let Some(n) = superscript_definition(&block.events, footnote) {
                *definitions.entry(n).or_default() += 1;
            }
            let mut in_link = 0usize;
            let mut in_code = false;
            for ev in &block.events {
                match ev {
                    Event::FootnoteReference(label) => {
                        let n = number(&mut f, label);
                        *f.refs_total.entry(n).or_default() += 1;
                    }
                    Event::Start(Tag::FootnoteDefinition(label)) => {
                        let n = number(&mut f, label);
                        f.defined.insert(n, true);
                    }
                    Event::Start(Tag::Link { .. } | Tag::Image { .. }) => in_link += 1,
                    Event::End(TagEnd::Link | TagEnd::Image) => in_link = in_link.saturating_sub(1),
                    Event::Start(Tag::CodeBlock(_)) => in_code = true,
                    Event::End(TagEnd::CodeBlock) => in_code = false,
                    Event::Text(t) if in_link == 0 && !in_code => {
                        for (_, n) in superscript_refs(t) {
                            *references.entry(n).or_default() += 1;
                        }
                    }
                    _ => {}
                }
            }
        }
        f.superscripts = definitions
            .into_iter()
            .filter(|&(_, count)| count == 1)
            .filter_map(|(n, _)| references.get(&n).map(|&r| (n, r)))
            .collect();
        f
    }

    /// The anchor of the `k`-th (1-based) reference to footnote `id`.
    fn ref_id(prefix: &str, id: &str, k: usize) -> String {
        if k <= 1 {
            format!("{prefix}-ref-{id}")
        } else {
            format!("{prefix}-ref-{id}-{k}")
        }
    }

    fn back_links(prefix: &str, id: &str, total: usize) -> String {
        (1..=total)
            .map(|k| {
                let label = if k == 1 {
                    format!("Back to reference {id}")
                } else {
                    format!("Back to reference {id} ({k})")
                };
                format!(
                    " <a class=\"footnote-back\" href=\"#{}\" aria-label=\"{label}\">↩</a>",
                    Self::ref_id(prefix, id, k)
                )
            })
            .collect()
    }
}

/// The number of a page-footer footnote paragraph (`¹ text`), if `block` is one.
fn superscript_definition(events: &[Event<'_>], footnote: &Regex) -> Option<String> {
    if !matches!(events.first(), Some(Event::Start(Tag::Paragraph))) {
        return None;
    }
    let Some(Event::Text(first)) = events.get(1) else {
        return None;
    };
    let m = footnote.find(first)?;
    let n: String = m.as_str().chars().filter_map(superscript_digit).collect();
    (!n.is_empty() && m.start() == 0).then_some(n)
}

/// The heading level at which the page presents a body paragraph, if it is a section title.
///
/// The rule (documented in `document.yaml` and the README): the paragraph holds only text,
/// bold or italic allowed (no link, code, HTML, footnote reference or line break); without
/// trailing superscript footnote markers it is at most 120 characters and does not end with
/// `. , ; : ? !`; and its folded text matches one of `page.section_titles` as a whole.
fn section_level(events: &[Event<'_>], config: &Classifications) -> Option<u8> {
    let [
        Event::Start(Tag::Paragraph),
        inner @ ..,
        Event::End(TagEnd::Paragraph),
    ] = events
    else {
        return None;
    };
    let mut text = String::new();
    for ev in inner {
        match ev {
            Event::Text(t) => text.push_str(t),
            Event::Start(Tag::Strong | Tag::Emphasis)
            | Event::End(TagEnd::Strong | TagEnd::Emphasis) => {}
            _ => return None,
        }
    }
    let text = text
        .trim()
        .trim_end_matches(|c| superscript_digit(c).is_some())
        .trim_end();
    if text.is_empty()
        || text.contains('\n')
        || text.chars().count() > 120
        || text.ends_with(['.', ',', ';', ':', '?', '!'])
    {
        return None;
    }
    let folded = fold(text);
    config
        .document
        .page
        .section_titles
        .iter()
        .find(|t| t.regex.is_match(&folded))
        .map(|t| t.level)
}

fn level(n: u8) -> HeadingLevel {
    match n {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Presents a paragraph or heading block as a heading of level `n`, with an optional id;
/// false when the block is neither.
fn as_heading<'a>(events: &mut [Event<'a>], n: u8, id: Option<CowStr<'a>>) -> bool {
    let is_block = matches!(
        events.first(),
        Some(Event::Start(Tag::Paragraph | Tag::Heading { .. }))
    );
    if !is_block || events.len() < 2 {
        return false;
    }
    let last = events.len() - 1;
    events[0] = Event::Start(Tag::Heading {
        level: level(n),
        id,
        classes: Vec::new(),
        attrs: Vec::new(),
    });
    events[last] = Event::End(TagEnd::Heading(level(n)));
    true
}

/// The events of a block with footnote references and definitions linked both ways.
fn link_footnotes<'a>(
    events: Vec<Event<'a>>,
    notes: &mut Footnotes,
    footnote: &Regex,
) -> Vec<Event<'a>> {
    // A page-footer footnote paragraph (`¹ text`) whose marker the page links.
    let definition =
        superscript_definition(&events, footnote).filter(|n| notes.superscripts.contains_key(n));
    let mut linker = Linker {
        notes,
        out: Vec::with_capacity(events.len()),
        in_link: 0,
        in_code: false,
        open_definitions: Vec::new(),
    };
    let last = events.len().saturating_sub(1);
    for (i, ev) in events.into_iter().enumerate() {
        match (ev, definition.as_deref()) {
            (Event::FootnoteReference(label), _) => linker.reference(&label),
            (Event::Start(Tag::FootnoteDefinition(label)), _) => linker.open_definition(&label),
            (Event::End(TagEnd::FootnoteDefinition), _) => linker.close_definition(),
            (Event::Start(Tag::Paragraph), Some(n)) if i == 0 => linker.open_page_footnote(n),
            (Event::End(TagEnd::Paragraph), Some(n)) if i == last => linker.close_page_footnote(n),
            (Event::Text(t), _) if linker.in_link == 0 && !linker.in_code => linker.text(t),
            (other, _) => linker.pass(other),
        }
    }
    linker.out
}

/// Links one block's footnotes, event by event.
struct Linker<'a, 'n> {
    notes: &'n mut Footnotes,
    out: Vec<Event<'a>>,
    /// Superscripts inside a link's text or in code are not references.
    in_link: usize,
    in_code: bool,
    /// Footnote definitions open, with where their events start in `out`: the back links go
    /// into the last paragraph of each.
    open_definitions: Vec<(usize, usize)>,
}

impl<'a> Linker<'a, '_> {
    /// A GitHub-style footnote reference: a numbered link to its definition, if it has one.
    fn reference(&mut self, label: &str) {
        let n = self.notes.numbers.get(label).copied().unwrap_or(0);
        let k = {
            let seen = self.notes.refs_seen.entry(n).or_default();
            *seen += 1;
            *seen
        };
        let html = if self.notes.defined.contains_key(&n) {
            format!(
                "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{}\">{n}</a></sup>",
                Footnotes::ref_id("fn", &n.to_string(), k)
            )
        } else {
            format!("<sup class=\"footnote-ref\">{n}</sup>")
        };
        self.out.push(Event::InlineHtml(html.into()));
    }

    fn open_definition(&mut self, label: &str) {
        let n = self.notes.numbers.get(label).copied().unwrap_or(0);
        self.open_definitions.push((n, self.out.len()));
        self.out.push(Event::Html(
            format!(
                "<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-label\">{n}</sup>\n"
            )
            .into(),
        ));
    }

    /// Closes a definition, its back links into its last paragraph or after its content.
    fn close_definition(&mut self) {
        let (n, at) = self.open_definitions.pop().unwrap_or((0, self.out.len()));
        let back = Footnotes::back_links(
            "fn",
            &n.to_string(),
            self.notes.refs_total.get(&n).copied().unwrap_or(0),
        );
        let last_paragraph = self.out[at..]
            .iter()
            .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
            .map(|p| p + at);
        match last_paragraph {
            Some(p) => self.out.insert(p, Event::InlineHtml(back.into())),
            None => self.out.push(Event::Html(back.into())),
        }
        self.out.push(Event::Html("</div>\n".into()));
    }

    fn open_page_footnote(&mut self, n: &str) {
        self.out.push(Event::Html(
            format!("<p class=\"footnote\" id=\"note-{n}\">").into(),
        ));
    }

    fn close_page_footnote(&mut self, n: &str) {
        let total = self.notes.superscripts.get(n).copied().unwrap_or(0);
        self.out.push(Event::Html(
            format!("{}</p>\n", Footnotes::back_links("note", n, total)).into(),
        ));
    }

    /// Text, its superscript references to page-footer footnotes made links.
    fn text(&mut self, t: CowStr<'a>) {
        let refs: Vec<_> = superscript_refs(&t)
            .into_iter()
            .filter(|(_, n)| self.notes.superscripts.contains_key(n))
            .collect();
        if refs.is_empty() {
            self.out.push(Event::Text(t));
            return;
        }
        let mut at = 0;
        for (range, n) in refs {
            if range.start > at {
                self.out
                    .push(Event::Text(t[at..range.start].to_string().into()));
            }
            let k = {
                let seen = self.notes.superscript_seen.entry(n.clone()).or_default();
                *seen += 1;
                *seen
            };
            self.out.push(Event::InlineHtml(
                format!(
                    "<a class=\"footnote-ref\" href=\"#note-{n}\" id=\"{}\">{}</a>",
                    Footnotes::ref_id("note", &n, k),
                    &t[range.clone()]
                )
                .into(),
            ));
            at = range.end;
        }
        if at < t.len() {
            self.out.push(Event::Text(t[at..].to_string().into()));
        }
    }

    /// Any other event, as it is; links, images and code blocks are followed.
    fn pass(&mut self, ev: Event<'a>) {
        match &ev {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.in_link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.in_link = self.in_link.saturating_sub(1)
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            _ => {}
        }
        self.out.push(ev);
    }
}

/// The public Markdown's events, unsafe links and images reduced to their text, with each
/// event's byte range; and whether the Markdown holds raw HTML.
fn events(public_markdown: &str) -> (Vec<(Event<'_>, Range<usize>)>, bool) {
    let mut raw_html = false;
    // A link or image with an unsafe address keeps its text and loses the address: the
    // events in between stay, the start and end are dropped.
    let mut dropped: Vec<bool> = Vec::new();
    // The front matter is no Markdown: the page shows what it publishes as the report's facts.
    let body = markdown::front_matter(public_markdown).map_or(0, |r| r.end);
    let events = markdown::parser(&public_markdown[body..])
        .into_offset_iter()
        .map(|(event, range)| (event, range.start + body..range.end + body))
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
                let drop = !safe_url(dest_url);
                dropped.push(drop);
                (!drop).then_some((event, range))
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                (!dropped.pop().unwrap_or(false)).then_some((event, range))
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                raw_html = true;
                Some((event, range))
            }
            Event::Text(ref t) if t.is_empty() => None,
            // A task list's box is shown as the character it is, not a form control, which
            // a page would have to label for a screen reader.
            Event::TaskListMarker(done) => Some((
                Event::Text(if done { "\u{2611} " } else { "\u{2610} " }.into()),
                range,
            )),
            other => Some((other, range)),
        })
        .collect();
    (events, raw_html)
}

/// Text from a PDF: an indented code block is `pdftotext -layout`'s indentation, never code.
/// It is shown as the paragraphs it holds (runs of lines between blank lines), each line
/// without its indentation; the Markdown keeps the bytes as written.
fn unindented(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    let mut out = Vec::with_capacity(events.len());
    let mut inside = false;
    // A paragraph of the code block is open.
    let mut open = false;
    for (event, range) in events {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => inside = true,
            Event::End(TagEnd::CodeBlock) if inside => {
                inside = false;
                if std::mem::take(&mut open) {
                    out.push((Event::End(TagEnd::Paragraph), range));
                }
            }
            Event::Text(text) if inside => {
                for line in text.split_inclusive('\n') {
                    let ends = line.ends_with('\n');
                    let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{c}');
                    if line.is_empty() {
                        if ends && std::mem::take(&mut open) {
                            out.push((Event::End(TagEnd::Paragraph), range.clone()));
                        }
                        continue;
                    }
                    if !open {
                        out.push((Event::Start(Tag::Paragraph), range.clone()));
                        open = true;
                    } else if !matches!(out.last(), Some((Event::SoftBreak, _))) {
                        out.push((Event::SoftBreak, range.clone()));
                    }
                    out.push((Event::Text(line.to_string().into()), range.clone()));
                    if ends {
                        out.push((Event::SoftBreak, range.clone()));
                    }
                }
            }
            other => out.push((other, range)),
        }
    }
    // A soft break straight before a paragraph's end is no line of its own.
    let mut tidy: Vec<(Event<'_>, Range<usize>)> = Vec::with_capacity(out.len());
    for (event, range) in out {
        if matches!(event, Event::End(TagEnd::Paragraph))
            && matches!(tidy.last(), Some((Event::SoftBreak, _)))
        {
            tidy.pop();
        }
        tidy.push((event, range));
    }
    tidy
}

/// Text from a PDF: a line that opens with a number and a full stop ("2024. Most were …", a
/// year wrapped to the start of a line) or a bullet is where the PDF's line broke, not a
/// list the author wrote, and a list would show its own numbers in place of the text's. Each
/// list item before the generated notice is shown as a paragraph that opens with its marker
/// as written.
fn unlisted<'a>(
    public_markdown: &'a str,
    notice: usize,
    events: Vec<(Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out = Vec::with_capacity(events.len());
    // Lists open, and whether a paragraph of one of their items is open.
    let mut lists = 0usize;
    let mut open = false;
    let close = |out: &mut Vec<(Event<'a>, Range<usize>)>, open: &mut bool, at: &Range<usize>| {
        if std::mem::take(open) {
            out.push((Event::End(TagEnd::Paragraph), at.clone()));
        }
    };
    for (event, range) in events {
        // The generated notice's list is the tool's own.
        if lists == 0 && (range.start >= notice || !matches!(event, Event::Start(Tag::List(_)))) {
            out.push((event, range));
            continue;
        }
        match event {
            Event::Start(Tag::List(_)) => {
                close(&mut out, &mut open, &range);
                lists += 1;
            }
            Event::End(TagEnd::List(_)) => {
                close(&mut out, &mut open, &range);
                lists -= 1;
            }
            Event::Start(Tag::Item) => {
                close(&mut out, &mut open, &range);
                out.push((Event::Start(Tag::Paragraph), range.clone()));
                open = true;
                let marker = public_markdown
                    .get(range.clone())
                    .and_then(|t| t.split_whitespace().next())
                    .unwrap_or("");
                out.push((Event::Text(format!("{marker} ").into()), range));
            }
            Event::End(TagEnd::Item) | Event::End(TagEnd::Paragraph) => {
                close(&mut out, &mut open, &range)
            }
            Event::Start(Tag::Paragraph) => {
                if !open {
                    out.push((event, range));
                    open = true;
                }
            }
            // Any other block inside an item stands as the block it is.
            Event::Start(
                Tag::CodeBlock(_)
                | Tag::BlockQuote(_)
                | Tag::Heading { .. }
                | Tag::Table(_)
                | Tag::HtmlBlock
                | Tag::FootnoteDefinition(_),
            ) => {
                close(&mut out, &mut open, &range);
                out.push((event, range));
            }
            Event::Rule => {
                close(&mut out, &mut open, &range);
                out.push((event, range));
            }
            Event::End(
                TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::Heading(_)
                | TagEnd::Table
                | TagEnd::HtmlBlock
                | TagEnd::FootnoteDefinition,
            ) => out.push((event, range)),
            // Inline content: inside the item's paragraph (or a block it holds).
            other => {
                let in_block = out.iter().rev().find_map(|(e, _)| match e {
                    Event::Start(
                        Tag::CodeBlock(_)
                        | Tag::Heading { .. }
                        | Tag::Table(_)
                        | Tag::HtmlBlock
                        | Tag::Paragraph
                        | Tag::FootnoteDefinition(_),
                    ) => Some(true),
                    Event::End(
                        TagEnd::CodeBlock
                        | TagEnd::Heading(_)
                        | TagEnd::Table
                        | TagEnd::HtmlBlock
                        | TagEnd::Paragraph
                        | TagEnd::FootnoteDefinition,
                    ) => Some(false),
                    _ => None,
                });
                if !open && in_block != Some(true) {
                    out.push((Event::Start(Tag::Paragraph), range.clone()));
                    open = true;
                }
                out.push((other, range));
            }
        }
    }
    out
}

/// Cuts the events into top-level blocks.
#[cfg(test)]
fn blocks(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<Block<'_>> {
    blocks_at(events, &[])
}

/// Cuts the events into top-level blocks, and a top-level paragraph also at each of `cuts`
/// (where the classifier's blocks start) that falls on one of its lines: text from a PDF or a
/// plain-text export puts a cover's title, its meeting line and the Part 1 banner, Part 1's
/// last lines and the Part 2 banner, or a running header and the text under it, in one
/// paragraph, which the page shows as the blocks the classifier read. A cut is made only
/// at a line break directly inside the paragraph (never inside emphasis or a link), so each
/// piece is a paragraph of its own lines, in the same order, with the same text.
fn blocks_at<'a>(events: Vec<(Event<'a>, Range<usize>)>, cuts: &[usize]) -> Vec<Block<'a>> {
    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut depth = 0usize;
    let mut in_paragraph = false;
    let mut after_break = false;
    for (event, range) in events {
        if in_paragraph
            && depth == 1
            && std::mem::take(&mut after_break)
            && cuts
                .iter()
                .any(|&c| c == range.start && blocks.last().is_some_and(|b| b.start < c))
        {
            if let Some(b) = blocks.last_mut() {
                // The line break before the cut ends the block it closes.
                if matches!(b.events.last(), Some(Event::SoftBreak)) {
                    b.events.pop();
                }
                b.events.push(Event::End(TagEnd::Paragraph));
            }
            blocks.push(Block {
                start: range.start,
                events: vec![Event::Start(Tag::Paragraph)],
            });
        }
        if depth == 1 && matches!(event, Event::SoftBreak) {
            after_break = true;
        }
        if depth == 0 {
            in_paragraph = matches!(event, Event::Start(Tag::Paragraph));
            blocks.push(Block {
                start: range.start,
                events: Vec::new(),
            });
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if let Some(b) = blocks.last_mut() {
            b.events.push(event);
        }
    }
    blocks
}

/// Where each top-level block stands, block by block in order.
struct Placer<'l> {
    layout: &'l Layout,
    part2: usize,
    notice: usize,
    title_done: bool,
    banner_done: bool,
    notice_heading_done: bool,
}

impl<'l> Placer<'l> {
    fn new(layout: &'l Layout, end: usize) -> Self {
        Placer {
            layout,
            part2: layout.part2.unwrap_or(end),
            notice: layout.notice.unwrap_or(end),
            title_done: false,
            banner_done: false,
            notice_heading_done: false,
        }
    }

    /// The place of the next block, which starts at `start`.
    fn place(&mut self, start: usize) -> Place {
        if start < self.layout.cover_end {
            match self.layout.title {
                Some(t) if !self.title_done && start >= t => {
                    self.title_done = true;
                    Place::CoverTitle
                }
                _ => Place::Cover,
            }
        } else if start >= self.notice {
            if std::mem::replace(&mut self.notice_heading_done, true) {
                Place::Notice
            } else {
                Place::NoticeHeading
            }
        } else if start >= self.part2 {
            if std::mem::replace(&mut self.banner_done, true) {
                Place::Part2
            } else {
                Place::Part2Banner
            }
        } else {
            Place::Body
        }
    }

    /// A cover block before the title block: the letterhead.
    fn before_title(&self) -> bool {
        !self.title_done && self.layout.title.is_some()
    }
}

/// The level of a Markdown heading block.
fn heading_level(events: &[Event<'_>]) -> Option<u8> {
    match events.first() {
        Some(Event::Start(Tag::Heading { level, .. })) => Some(*level as u8),
        _ => None,
    }
}

/// Renders the public Markdown's blocks, each where it stands in the page. With `anchored`,
/// body headings get ids and the contents list its entries.
fn parts(
    public_markdown: &str,
    layout: &Layout,
    config: &Classifications,
    anchored: bool,
) -> Parts {
    let (events, raw_html) = events(public_markdown);
    let events = if layout.pdf_text {
        let notice = layout.notice.unwrap_or(public_markdown.len());
        unlisted(public_markdown, notice, unindented(events))
    } else {
        events
    };
    let blocks = blocks_at(events, &layout.blocks);
    let footnote = &config.document.footnote;
    let mut notes = Footnotes::scan(&blocks, footnote);
    let mut anchors = anchored.then(|| Anchors::new(public_markdown, raw_html));
    let mut parts = Parts::default();
    let mut placer = Placer::new(layout, public_markdown.len());
    let mut tables = 0usize;
    for block in blocks {
        let place = placer.place(block.start);
        let mut events = block.events;
        match place {
            Place::CoverTitle => {
                as_heading(&mut events, 1, None);
            }
            Place::Body => {
                let level = section_level(&events, config).or_else(|| heading_level(&events));
                if let Some(n) = level {
                    let id = anchors
                        .as_mut()
                        .map(|a| CowStr::from(a.heading(&events, n, raw_html)));
                    as_heading(&mut events, n, id);
                }
            }
            Place::Part2Banner => {
                parts.part2_heading = as_heading(&mut events, 2, Some("part-2".into()));
            }
            Place::NoticeHeading => {
                parts.notice_heading = as_heading(&mut events, 3, Some("exemption-notice".into()));
            }
            _ => {}
        }
        let is_table = matches!(events.first(), Some(Event::Start(Tag::Table(_))));
        let events = link_footnotes(events, &mut notes, footnote);
        let mut html = String::new();
        html::push_html(&mut html, events.into_iter());
        if raw_html {
            html = sanitiser().clean(&html).to_string();
            if !html.ends_with('\n') && !html.is_empty() {
                html.push('\n');
            }
        }
        if is_table {
            tables += 1;
            html = format!(
                "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table {tables}\" tabindex=\"0\">\n{html}</div>\n"
            );
        }
        let target = match place {
            Place::Cover if placer.before_title() => &mut parts.letterhead,
            Place::Cover => &mut parts.cover,
            Place::CoverTitle => parts.title.get_or_insert_with(String::new),
            Place::Body => &mut parts.body,
            Place::Part2Banner | Place::Part2 => &mut parts.part2,
            Place::NoticeHeading | Place::Notice => &mut parts.notice,
        };
        target.push_str(&html);
    }
    parts.contents = anchors.map(|a| a.entries).unwrap_or_default();
    parts
}

/// The body of the page: the public Markdown as HTML, without the page's frame.
pub fn body(public_markdown: &str, config: &Classifications) -> String {
    let layout = Layout::default();
    let p = parts(public_markdown, &layout, config, false);
    [
        p.letterhead,
        p.title.unwrap_or_default(),
        p.cover,
        p.body,
        p.part2,
        p.notice,
    ]
    .concat()
}

fn sanitiser() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        // Collapsed sections and image maps hide content; everything else in ammonia's
        // default set is plain structure.
        b.rm_tags(["details", "summary", "map", "area"]);
        b.url_schemes(SCHEMES.into_iter().collect());
        // Anchors and classes the renderer writes: headings' and footnotes' ids, footnote
        // links. A class changes presentation only through the tool's own stylesheet.
        b.add_generic_attributes(["id"]);
        b.add_tag_attributes("a", ["aria-label"]);
        b.add_allowed_classes("div", ["footnote-definition"]);
        b.add_allowed_classes("p", ["footnote"]);
        b.add_allowed_classes("sup", ["footnote-ref", "footnote-label"]);
        b.add_allowed_classes("a", ["footnote-ref", "footnote-back"]);
        // The only label kept is the renderer's own, on a footnote's back link: text that
        // only a screen reader reads is otherwise hidden text.
        b.attribute_filter(|element, attribute, value| {
            if attribute != "aria-label" {
                return Some(value.into());
            }
            static BACK: OnceLock<Regex> = OnceLock::new();
            let back = BACK.get_or_init(|| {
                Regex::new(r"^Back to reference \d+(?: \(\d+\))?$")
                    .expect("the back-link label pattern compiles")
            });
            (element == "a" && back.is_match(value)).then(|| value.into())
        });
        b
    })
}

// ---- the page ----

/// The top of a page or of the index: the marking, the skip link and the masthead.
fn masthead(config: &Classifications, index_href: Option<&str>) -> String {
    let page = &config.document.page;
    let nav = index_href.map_or_else(String::new, |h| {
        format!(
            "<nav aria-label=\"Release\"><p><a href=\"{h}\">{}</a></p></nav>\n",
            escape(&page.index.title)
        )
    });
    format!(
        "<a class=\"skip-link\" href=\"#main-content\">Skip to main content</a>\n\
         <header class=\"site-header\">\n\
         <p class=\"marking\">{marking}</p>\n\
         <div class=\"masthead\">\n<div class=\"container\">\n\
         <p class=\"issuer\">{issuer}</p>\n{nav}</div>\n</div>\n</header>\n",
        marking = escape(&page.marking),
        issuer = escape(&page.issuer),
    )
}

/// The bottom of a page or of the index: the issuing body, the licence line (the year of
/// `published` in it) and the marking.
fn footer(config: &Classifications, published: Date) -> String {
    let page = &config.document.page;
    let licence = if page.licence.trim().is_empty() {
        String::new()
    } else {
        let line = page
            .licence
            .replace("{year}", &published.year().to_string());
        format!("<p class=\"licence\">{}</p>\n", escape(&line))
    };
    format!(
        "<footer class=\"site-footer\">\n<div class=\"container\">\n<p>{issuer}</p>\n{licence}</div>\n\
         <p class=\"marking\">{marking}</p>\n</footer>\n",
        issuer = escape(&page.issuer),
        marking = escape(&page.marking),
    )
}

/// A date as a `<time>` element.
fn time(date: Date) -> String {
    format!("<time datetime=\"{date}\">{}</time>", show_date(date))
}

/// The published line of a page: its template with `{date}` as a `<time>` element.
fn published_line(config: &Classifications, published: Date) -> String {
    let template = &config.document.page.published;
    let text = match template.split_once("{date}") {
        Some((before, after)) => format!("{}{}{}", escape(before), time(published), escape(after)),
        None => escape(template),
    };
    format!("<p class=\"published\">{text}</p>\n")
}

fn document(title: &str, prefix: &str, body: &str) -> String {
    let (head, tail) = document_around(title, prefix);
    format!("{head}{body}{tail}")
}

/// What a document holds before its body and after it.
fn document_around(title: &str, prefix: &str) -> (String, &'static str) {
    (
        format!(
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n{}\n</head>\n<body>\n",
            escape(title),
            stylesheet_link(prefix)
        ),
        "</body>\n</html>\n",
    )
}

/// The facts of a report, each a label and its value as HTML: reference, meeting, date.
fn fact_items<'c>(d: &Details, config: &'c Classifications) -> [(&'c str, Option<String>); 3] {
    let labels = &config.document.page.facts;
    [
        (
            labels.reference.as_str(),
            d.reference.as_deref().map(escape),
        ),
        (labels.meeting.as_str(), d.meeting.as_deref().map(escape)),
        (labels.date.as_str(), d.date.map(time)),
    ]
}

/// The facts list of a report's header: those of reference, meeting and date it gives.
fn facts(d: &Details, config: &Classifications) -> String {
    let items: String = fact_items(d, config)
        .into_iter()
        .filter_map(|(label, value)| {
            value.map(|v| format!("<div><dt>{}</dt><dd>{v}</dd></div>\n", escape(label)))
        })
        .collect();
    if items.is_empty() {
        String::new()
    } else {
        format!("<dl class=\"report-facts\">\n{items}</dl>\n")
    }
}

/// The facts of a report in the index: all three, one it does not give said so.
fn listing_facts(d: &Details, config: &Classifications) -> String {
    let not_given = escape(&config.document.page.facts.not_given);
    let items: String = fact_items(d, config)
        .into_iter()
        .map(|(label, value)| {
            format!(
                "<div><dt>{}</dt> <dd>{}</dd></div>\n",
                escape(label),
                value.unwrap_or_else(|| not_given.clone())
            )
        })
        .collect();
    format!("<dl class=\"listing-facts\">\n{items}</dl>\n")
}

/// A report's `<title>`: its title and reference code, then the issuing body.
pub fn page_title(d: &Details, config: &Classifications) -> String {
    let mut t = d.title.clone();
    if let Some(r) = d
        .reference
        .as_ref()
        .filter(|r| !d.title.contains(r.as_str()))
    {
        t.push_str(" – ");
        t.push_str(r);
    }
    t.push_str(" – ");
    t.push_str(&config.document.page.issuer);
    t
}

/// A complete HTML page for a report released as `stem` ("a/b" for `a/b.html`), published
/// on `published` (the run's `--as-of` date).
pub fn page(
    details: &Details,
    public_markdown: &str,
    layout: &Layout,
    stem: &str,
    published: Date,
    config: &Classifications,
) -> String {
    let prefix = root_prefix(stem);
    let p = parts(public_markdown, layout, config, true);
    let mut main = String::new();
    main.push_str("<main id=\"main-content\" class=\"container\">\n<article class=\"report\">\n");
    main.push_str("<header class=\"report-header\">\n");
    if !p.letterhead.is_empty() {
        main.push_str(&format!(
            "<div class=\"letterhead\">\n{}</div>\n",
            p.letterhead
        ));
    }
    match &p.title {
        Some(t) => main.push_str(t),
        None => main.push_str(&format!("<h1>{}</h1>\n", escape(&details.title))),
    }
    if !p.cover.is_empty() {
        main.push_str(&format!("<div class=\"cover\">\n{}</div>\n", p.cover));
    }
    main.push_str(&facts(details, config));
    main.push_str(&published_line(config, published));
    main.push_str("</header>\n");
    main.push_str(&contents_list(&p, config));
    main.push_str(&p.body);
    if !p.part2.is_empty() || !p.notice.is_empty() {
        main.push_str("<div class=\"part-2\">\n");
        main.push_str(&p.part2);
        if !p.notice.is_empty() {
            main.push_str(&format!(
                "<section class=\"exemption-notice\" aria-labelledby=\"exemption-notice\">\n{}</section>\n",
                p.notice
            ));
        }
        main.push_str("</div>\n");
    }
    main.push_str("</article>\n</main>\n");
    let index = format!("{prefix}{INDEX_FILE}");
    document(
        &page_title(details, config),
        &prefix,
        &format!(
            "{}{main}{}",
            masthead(config, Some(&index)),
            footer(config, published)
        ),
    )
}

/// The contents list of a page: its body's headings of level 1 and 2, then Part 2 (its
/// banner, or the notice when the banner is not a heading); none for fewer than two entries.
fn contents_list(p: &Parts, config: &Classifications) -> String {
    let wording = &config.document.page.contents;
    let part2 = [
        (p.part2_heading, "part-2"),
        (p.notice_heading, "exemption-notice"),
    ]
    .into_iter()
    .find(|(is_heading, _)| *is_heading)
    .map(|(_, id)| Entry {
        id: id.to_string(),
        text: wording.part2.clone(),
    });
    let entries: Vec<Entry> = p.contents.iter().cloned().chain(part2).collect();
    if entries.len() < 2 {
        return String::new();
    }
    contents::list(&entries, &wording.title)
}

// ---- the release index ----

/// A published report as the index lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Listing {
    /// The page's release-relative path ("a/b.html").
    pub page: String,
    pub details: Details,
}

/// How many documents of a batch were not published, by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NotListed {
    pub withheld: usize,
    pub deferred: usize,
    pub quarantined: usize,
}

/// Splits a reference code into text and numbers, so "PCD 231" sorts before "PCD 1084".
fn natural(text: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
        } else {
            if !number.is_empty() {
                out.push((
                    std::mem::take(&mut word),
                    number.parse().unwrap_or(u64::MAX),
                ));
                number.clear();
            }
            word.extend(c.to_lowercase());
        }
    }
    out.push((word, number.parse().unwrap_or(0)));
    out
}

/// The index's order, newest first: by date, latest first (undated last), then reference,
/// highest first in natural order (none last), then title and page.
pub fn sort_listings(listings: &mut [Listing]) {
    listings.sort_by(listing_order);
}

/// How two listings compare in the index's order ([`sort_listings`]): a run too large to
/// hold its listings sorts them in parts and merges the parts by it.
pub fn listing_order(a: &Listing, b: &Listing) -> std::cmp::Ordering {
    let (da, db) = (&a.details, &b.details);
    (da.date.is_none(), std::cmp::Reverse(da.date))
        .cmp(&(db.date.is_none(), std::cmp::Reverse(db.date)))
        .then_with(|| {
            let key = |d: &Details| {
                (
                    d.reference.is_none(),
                    std::cmp::Reverse(d.reference.as_deref().map(natural)),
                )
            };
            key(da).cmp(&key(db))
        })
        .then_with(|| da.title.cmp(&db.title))
        .then_with(|| a.page.cmp(&b.page))
}

/// The release index: every published report, newest first, with its reference, meeting
/// and date, and the counts of those not published, never their titles.
pub fn index(
    listings: &[Listing],
    not_listed: NotListed,
    as_of: Date,
    config: &Classifications,
) -> String {
    let mut listings = listings.to_vec();
    sort_listings(&mut listings);
    let mut out = Vec::new();
    index_to(
        &mut out,
        listings.len(),
        listings.into_iter().map(Ok),
        not_listed,
        as_of,
        config,
    )
    .expect("writing to memory does not fail");
    String::from_utf8(out).expect("the index is UTF-8")
}

/// Writes the release index of `n` listings, given already in the index's order
/// ([`listing_order`]), one at a time: a release of many thousand reports never holds its
/// index, nor its listings, whole. The same bytes as [`index`].
pub fn index_to<W: std::io::Write>(
    w: &mut W,
    n: usize,
    listings: impl Iterator<Item = std::io::Result<Listing>>,
    not_listed: NotListed,
    as_of: Date,
    config: &Classifications,
) -> std::io::Result<()> {
    let wording = &config.document.page.index;
    let (head, tail) = document_around(
        &format!("{} – {}", wording.title, config.document.page.issuer),
        "",
    );
    w.write_all(head.as_bytes())?;
    w.write_all(masthead(config, None).as_bytes())?;
    let mut main = String::new();
    main.push_str("<main id=\"main-content\" class=\"container\">\n");
    main.push_str(&format!("<h1>{}</h1>\n", escape(&wording.title)));
    main.push_str(&format!(
        "<p class=\"lede\">{n} {} in this release of <time datetime=\"{as_of}\">{}</time>.</p>\n",
        if n == 1 { "report" } else { "reports" },
        show_date(as_of)
    ));
    let mut written = 0;
    if n > 0 {
        main.push_str("<ol class=\"report-list\">\n");
        w.write_all(main.as_bytes())?;
        main.clear();
        for l in listings {
            let l = l?;
            written += 1;
            w.write_all(
                format!(
                    "<li><a class=\"report-link\" href=\"{}\">{}</a>\n{}</li>\n",
                    href(&l.page),
                    escape(&l.details.title),
                    listing_facts(&l.details, config)
                )
                .as_bytes(),
            )?;
        }
        main.push_str("</ol>\n");
    }
    if written != n {
        return Err(std::io::Error::other(format!(
            "the index was to list {n} reports and was given {written}"
        )));
    }
    let counts = [
        (not_listed.withheld, &wording.withheld),
        (not_listed.deferred, &wording.deferred),
        (not_listed.quarantined, &wording.quarantined),
    ];
    if counts.iter().any(|(n, _)| *n > 0) {
        main.push_str(&format!(
            "<h2>{}</h2>\n<ul class=\"not-listed\">\n",
            escape(&wording.not_listed)
        ));
        for (n, template) in counts.into_iter().filter(|(n, _)| *n > 0) {
            main.push_str(&format!(
                "<li>{}</li>\n",
                escape(&template.replace("{n}", &n.to_string()))
            ));
        }
        main.push_str("</ul>\n");
    }
    main.push_str("</main>\n");
    w.write_all(main.as_bytes())?;
    w.write_all(footer(config, as_of).as_bytes())?;
    w.write_all(tail.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the checks read is what a reader sees: the stylesheet changes no letter of a
    /// report (no capitals drawn from lower case: "restricted" shown as RESTRICTED would pass
    /// every case-sensitive marking rule), and shows no attribute of the page but a link's
    /// own address.
    #[test]
    fn the_stylesheet_shows_text_as_written() {
        let css = STYLESHEET.to_ascii_lowercase();
        let declarations: Vec<(&str, &str)> = css
            .split(['{', '}', ';'])
            .filter_map(|d| d.split_once(':'))
            .map(|(property, value)| (property.trim(), value.trim()))
            .collect();
        assert!(declarations.iter().any(|(p, _)| *p == "color"));
        for (property, value) in declarations {
            assert!(
                !matches!(
                    property,
                    "text-transform" | "font-variant" | "font-variant-caps"
                ),
                "the stylesheet sets {property}"
            );
            // Text of its own: the contents list's dash, and a link's address in print.
            if property == "content" {
                let rest = value.replace("attr(href)", "");
                assert!(!rest.contains("attr("), "the stylesheet shows {value}");
            }
        }
    }

    fn config() -> Classifications {
        Classifications::defaults().unwrap()
    }

    const AS_OF: Date = jiff::civil::date(2026, 11, 25);

    #[test]
    fn raw_html_is_sanitised() {
        let html = body(
            "<script>alert(1)</script>\n\ntext <b onclick=x>bold</b> <a href=\"javascript:x\">j</a>\n\n\
             <div style=\"display:none\">shown</div>\n\n<iframe src=\"https://x.example\"></iframe>\n\n\
             <details><summary>more</summary>inside</details>\n\n<form action=\"/x\"><input></form>\n\n\
             <img src=\"data:image/png;base64,AAAA\" alt=\"pic\">\n\n<a aria-label=\"hidden words\" href=\"x\">y</a>\n",
            &config(),
        );
        for banned in [
            "<script",
            "alert(1)",
            "onclick",
            "javascript:",
            "style=",
            "<iframe",
            "<details",
            "<form",
            "<input",
            "data:",
            "hidden words",
        ] {
            assert!(!html.contains(banned), "{banned} in {html}");
        }
        assert!(html.contains("<b>bold</b>"), "{html}");
        assert!(html.contains("shown") && html.contains("inside"), "{html}");
    }

    #[test]
    fn unsafe_markdown_links_keep_their_text_only() {
        let html = body(
            "[click](javascript:alert(1)) ![alt text](data:image/png;base64,AAAA) [ok](https://example.org) [rel](a/b.html)\n",
            &config(),
        );
        assert!(
            !html.contains("javascript:") && !html.contains("data:"),
            "{html}"
        );
        assert!(
            html.contains("click") && html.contains("alt text"),
            "{html}"
        );
        assert!(
            html.contains("href=\"https://example.org\"") && html.contains("href=\"a/b.html\""),
            "{html}"
        );
    }

    #[test]
    fn only_listed_schemes_are_safe() {
        assert!(
            safe_url("https://x")
                && safe_url("MAILTO:a@b")
                && safe_url("../x.html")
                && safe_url("#f")
                && safe_url("a/b:c")
        );
        assert!(
            !safe_url("javascript:x")
                && !safe_url(" JavaScript:x")
                && !safe_url("data:x")
                && !safe_url("vbscript:x")
        );
    }

    fn details(title: &str) -> Details {
        Details {
            title: title.into(),
            reference: None,
            meeting: None,
            date: None,
        }
    }

    #[test]
    fn page_is_a_whole_document() {
        let html = page(
            &details("A & B"),
            "# Heading\n",
            &Layout::default(),
            "a/b",
            AS_OF,
            &config(),
        );
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
        assert!(
            html.contains("<title>A &amp; B – Mayor&#39;s Office for Policing and Crime</title>")
        );
        assert!(html.contains("<h1>A &amp; B</h1>"), "{html}");
        assert!(html.contains("<link rel=\"stylesheet\" href=\"../style.css\">"));
        assert!(html.contains("href=\"../index.html\""));
        assert_eq!(html.matches("OFFICIAL – PUBLIC").count(), 2, "{html}");
        assert!(html.contains("<main id=\"main-content\""));
    }

    #[test]
    fn front_matter_is_not_shown() {
        let html = page(
            &details("T"),
            "---\ntitle: T\n---\n\nBody\n",
            &Layout::default(),
            "t",
            AS_OF,
            &config(),
        );
        assert!(!html.contains("title:"), "{html}");
        assert!(html.contains("<p>Body</p>"));
    }

    /// The rule for headings presented from plain paragraphs, case by case.
    #[test]
    fn known_section_titles_become_headings_and_nothing_else_does() {
        let c = config();
        let level = |md: &str| {
            let (events, _) = events(md);
            let b = blocks(events);
            section_level(&b[0].events, &c)
        };
        assert_eq!(level("EXECUTIVE SUMMARY\n"), Some(2));
        assert_eq!(level("Recommendations\n"), Some(2));
        assert_eq!(level("**Legal Comments**\n"), Some(2));
        assert_eq!(level("Introduction and background\n"), Some(3));
        assert_eq!(
            level("Contributes to the MOPAC Police & Crime Plan 2022-25¹\n"),
            Some(2)
        );
        assert_eq!(
            level("Financial, Commercial and Procurement Comments\n"),
            Some(2)
        );
        assert_eq!(level("Background/supporting papers\n"), Some(2));
        // Running text, sentences, several lines and links are never headings.
        assert_eq!(level("Recommendations.\n"), None);
        assert_eq!(level("Recommendations:\n"), None);
        assert_eq!(level("Recommendations\nare below\n"), None);
        assert_eq!(level("[Recommendations](https://x.example)\n"), None);
        assert_eq!(
            level("Report author: Paul Taylor, Forensic Services\n"),
            None
        );
        assert_eq!(level("The recommendations follow\n"), None);
        assert_eq!(level("- Recommendations\n"), None);
    }

    #[test]
    fn the_markdown_is_untouched_and_headings_follow_configuration() {
        let md = "Cover\n\nPart 1 – This section of the report will be published by MOPAC.\n\nExecutive summary\n\nText.\n";
        let layout = Layout {
            cover_end: md.find("Part 1").unwrap(),
            ..Layout::default()
        };
        let mut c = config();
        let html = page(&details("Cover"), md, &layout, "x", AS_OF, &c);
        assert!(
            html.contains("<h2 id=\"executive-summary\">Executive summary</h2>"),
            "{html}"
        );
        c.document.page.section_titles.clear();
        let html = page(&details("Cover"), md, &layout, "x", AS_OF, &c);
        assert!(html.contains("<p>Executive summary</p>"), "{html}");
    }

    #[test]
    fn github_footnotes_link_both_ways() {
        let html = body(
            "Text[^a] and again[^a], and[^b].\n\n[^a]: First note.\n\n[^b]: Second.\n",
            &config(),
        );
        assert!(
            html.contains(
                "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fn-ref-1\">1</a></sup>"
            ),
            "{html}"
        );
        assert!(html.contains("id=\"fn-ref-1-2\""), "{html}");
        assert!(
            html.contains("<div class=\"footnote-definition\" id=\"fn-1\">"),
            "{html}"
        );
        assert!(html.contains("First note. <a class=\"footnote-back\" href=\"#fn-ref-1\" aria-label=\"Back to reference 1\">↩</a> <a class=\"footnote-back\" href=\"#fn-ref-1-2\""), "{html}");
        assert!(html.contains("href=\"#fn-ref-2\""), "{html}");
    }

    #[test]
    fn page_footer_footnotes_link_both_ways_when_unambiguous() {
        let html = body(
            "Plan 2022-25¹ and Strategy².\n\n¹ [The plan](#)\n\nMore text.\n",
            &config(),
        );
        assert!(
            html.contains(
                "2022-25<a class=\"footnote-ref\" href=\"#note-1\" id=\"note-ref-1\">¹</a>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<p class=\"footnote\" id=\"note-1\">¹ "),
            "{html}"
        );
        assert!(
            html.contains("<a class=\"footnote-back\" href=\"#note-ref-1\""),
            "{html}"
        );
        // No paragraph gives ², so it stays as written.
        assert!(
            html.contains("Strategy².") && !html.contains("#note-2"),
            "{html}"
        );
        // Two paragraphs giving ¹: which one is meant is unknown, so neither is linked.
        let html = body("Plan¹.\n\n¹ One.\n\n¹ Two.\n", &config());
        assert!(!html.contains("footnote-ref"), "{html}");
    }

    #[test]
    fn dates_are_read_from_the_cover() {
        assert_eq!(
            written_date("MOPAC meeting Tuesday 1 August 2023"),
            Some(jiff::civil::date(2023, 8, 1))
        );
        assert_eq!(
            written_date("by 31st August 2023."),
            Some(jiff::civil::date(2023, 8, 31))
        );
        assert_eq!(written_date("31 February 2023"), None);
        assert_eq!(show_date(jiff::civil::date(2023, 8, 1)), "1 August 2023");
    }

    #[test]
    fn the_index_lists_newest_first_and_never_names_the_unlisted() {
        let l = |page: &str, title: &str, r: Option<&str>, d: Option<Date>| Listing {
            page: page.into(),
            details: Details {
                title: title.into(),
                reference: r.map(String::from),
                meeting: None,
                date: d,
            },
        };
        let d = jiff::civil::date;
        let listings = [
            l("c.html", "Undated", None, None),
            l(
                "b.html",
                "Later code",
                Some("PCD 1084"),
                Some(d(2024, 1, 1)),
            ),
            l(
                "a b/#1.html",
                "Earlier code",
                Some("PCD 231"),
                Some(d(2024, 1, 1)),
            ),
            l("d.html", "Oldest", None, Some(d(2020, 5, 1))),
        ];
        let html = index(
            &listings,
            NotListed {
                withheld: 2,
                deferred: 0,
                quarantined: 1,
            },
            d(2026, 11, 25),
            &config(),
        );
        let order: Vec<usize> = ["Later code", "Earlier code", "Oldest", "Undated"]
            .iter()
            .map(|t| html.find(t).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{html}");
        assert!(html.contains("href=\"a%20b/%231.html\""), "{html}");
        assert!(html.contains("2 withheld in full"), "{html}");
        assert!(html.contains("1 held back for review"), "{html}");
        assert!(!html.contains("deferred until"), "{html}");
        assert!(html.contains("<link rel=\"stylesheet\" href=\"style.css\">"));
    }

    /// The ids and `#` links of a page, in order.
    fn anchors_of(html: &str) -> (Vec<String>, Vec<String>) {
        let attr = |name: &str| {
            Regex::new(&format!("{name}=\"([^\"]*)\""))
                .unwrap()
                .captures_iter(html)
                .map(|c| c[1].to_string())
                .collect::<Vec<_>>()
        };
        let links = attr("href")
            .into_iter()
            .filter_map(|h| h.strip_prefix('#').map(String::from))
            .collect();
        (attr("id"), links)
    }

    #[test]
    fn the_contents_list_links_to_every_section_heading() {
        let md = "Cover title\n\nPart 1 – This section of the report will be published by MOPAC.\n\n\
                  EXECUTIVE SUMMARY\n\nText[^1].\n\n## Legal Comments[^1]\n\nMore.\n\n## Legal Comments\n\n\
                  ### Detail\n\n# Contents\n\n## Fn 1\n\n## Über café\n\nBackground\n\nx\n\n[^1]: Note.\n\n\
                  Part 2 – Banner.\n\nThe marking is:\n\nPart 2 of T is exempt from publication:\n\n- reason\n";
        let layout = Layout {
            cover_end: md.find("Part 1").unwrap(),
            title: Some(0),
            part2: md.find("Part 2 –"),
            notice: md.find("Part 2 of"),
            blocks: Vec::new(),
            pdf_text: false,
        };
        let html = page(&details("Cover title"), md, &layout, "x", AS_OF, &config());
        let nav = &html[html.find("<nav class=\"contents-list\"").expect(&html)..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        assert!(nav.starts_with("<nav class=\"contents-list\" aria-labelledby=\"contents\">\n<h2 id=\"contents\">Contents</h2>\n<ol>\n"), "{nav}");
        let entries = [
            ("executive-summary", "EXECUTIVE SUMMARY"),
            ("legal-comments", "Legal Comments"),
            ("legal-comments-2", "Legal Comments"),
            ("section-contents", "Contents"),
            ("section-fn-1", "Fn 1"),
            ("uber-cafe", "Über café"),
            ("part-2", "Part 2 (not published)"),
        ];
        let listed: String = entries
            .iter()
            .map(|(id, text)| format!("<li><a href=\"#{id}\">{text}</a></li>\n"))
            .collect();
        assert!(nav.ends_with(&format!("{listed}</ol>\n")), "{nav}");
        // Level 3 headings and the background paragraph (level 3 title) have ids, unlisted.
        assert!(html.contains("<h3 id=\"detail\">Detail</h3>"), "{html}");
        assert!(
            html.contains("<h3 id=\"background\">Background</h3>"),
            "{html}"
        );
        assert!(!nav.contains("#detail") && !nav.contains("#background"));
        // Every id is unique, and every link of the page leads to one.
        let (ids, links) = anchors_of(&html);
        let unique: std::collections::BTreeSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        for link in &links {
            assert!(ids.contains(link), "#{link} leads nowhere");
        }
    }

    #[test]
    fn a_page_with_fewer_than_two_sections_has_no_contents_list() {
        let md = "Cover\n\nPart 1 – public.\n\nJust text.\n\nPart 2 – Banner.\n\nmarking\n\nNotice:\n\n- r\n";
        let layout = Layout {
            cover_end: md.find("Part 1").unwrap(),
            title: Some(0),
            part2: md.find("Part 2"),
            notice: md.find("Notice"),
            blocks: Vec::new(),
            pdf_text: false,
        };
        let html = page(&details("Cover"), md, &layout, "x", AS_OF, &config());
        assert!(!html.contains("<nav class=\"contents-list\""), "{html}");
    }

    #[test]
    fn ids_in_raw_html_are_never_given_to_a_heading() {
        let md = "<a id=\"recommendations\"></a>\n\n## Recommendations\n\n## Recommendations <script>x()</script>\n";
        let html = page(&details("T"), md, &Layout::default(), "x", AS_OF, &config());
        assert!(
            html.contains("<h2 id=\"recommendations-2\">Recommendations</h2>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"recommendations-3\">"), "{html}");
        // The contents entry is what the heading shows, not what the cleaner removed.
        assert!(
            html.contains("<a href=\"#recommendations-3\">Recommendations</a>"),
            "{html}"
        );
        assert!(!html.contains("x()"), "{html}");
    }

    #[test]
    fn pages_and_the_index_say_when_they_were_published_and_under_which_licence() {
        let mut c = config();
        let html = page(&details("T"), "Body\n", &Layout::default(), "x", AS_OF, &c);
        assert!(html.contains("<p class=\"published\">Published <time datetime=\"2026-11-25\">25 November 2026</time></p>\n</header>"), "{html}");
        assert!(html.contains("<p class=\"licence\">© Mayor of London 2026. This publication is licensed under the Open Government Licence v3.0 except where otherwise stated.</p>"), "{html}");
        let index = index(&[], NotListed::default(), AS_OF, &c);
        assert!(
            index.contains("<p class=\"licence\">© Mayor of London 2026."),
            "{index}"
        );
        c.document.page.licence = String::new();
        c.document.page.published = "First published: {date} & after".into();
        let html = page(&details("T"), "Body\n", &Layout::default(), "x", AS_OF, &c);
        assert!(!html.contains("class=\"licence\""), "{html}");
        assert!(
            html.contains(
                "First published: <time datetime=\"2026-11-25\">25 November 2026</time> &amp; after"
            ),
            "{html}"
        );
    }

    #[test]
    fn every_index_entry_gives_reference_meeting_and_date() {
        let listing = |page: &str, reference: Option<&str>, meeting: Option<&str>| Listing {
            page: page.into(),
            details: Details {
                title: "Same title".into(),
                reference: reference.map(String::from),
                meeting: meeting.map(String::from),
                date: Some(jiff::civil::date(2025, 10, 16)),
            },
        };
        let html = index(
            &[
                listing("a.html", None, None),
                listing("b.html", Some("PCD 231"), Some("IAM <board>")),
            ],
            NotListed::default(),
            AS_OF,
            &config(),
        );
        assert!(html.contains("<dl class=\"listing-facts\">\n<div><dt>Reference</dt> <dd>PCD 231</dd></div>\n<div><dt>Meeting</dt> <dd>IAM &lt;board&gt;</dd></div>\n<div><dt>Date</dt> <dd><time datetime=\"2025-10-16\">16 October 2025</time></dd></div>\n</dl>"), "{html}");
        assert!(html.contains("<dl class=\"listing-facts\">\n<div><dt>Reference</dt> <dd>not given</dd></div>\n<div><dt>Meeting</dt> <dd>not given</dd></div>\n"), "{html}");
        // Of one date, the report with a reference first.
        assert!(html.find("b.html").unwrap() < html.find("a.html").unwrap());
    }

    /// Ids and links come from the public Markdown only: a heading of the withheld part or a
    /// front matter key that is removed reaches neither.
    #[test]
    fn nothing_withheld_or_removed_reaches_an_id_or_a_link() {
        let source = "---\ntitle: Kiosks\nauthor: Quentin Vexmoor\ninternal_note: Zorblat review\n---\n\n\
                      MAYOR OF LONDON\n\nOFFICE FOR POLICING AND CRIME\n\nKiosks\n\n\
                      Part 1 – This section of the report will be published by MOPAC. It is classified as OFFICIAL – PUBLIC\n\n\
                      Executive summary\n\nPublic text.\n\nRecommendations\n\nApprove.\n\n\
                      Part 2 – This section refers to the details of the Part 2 business case which is NOT SUITABLE for MOPAC Publication.\n\n\
                      The Government Security Classification marking for Part 2 is:\n\nOFFICIAL-SENSITIVE [COMMERCIAL]\n\n\
                      ## Zorblat options appraisal\n\nLegal Comments\n\nQuentin Vexmoor priced it.\n";
        let c = config();
        let crate::Outcome::Redacted(a) = crate::analyse(source.as_bytes(), &c) else {
            panic!("the report is published");
        };
        let (md, layout) = (&a.redacted.markdown, &a.redacted.layout);
        let d = super::details("Kiosks", a.classified.front_matter.as_ref(), md, layout, &c);
        let html = page(&d, md, layout, "k", AS_OF, &c);
        let (ids, links) = anchors_of(&html);
        assert!(
            links.contains(&"executive-summary".to_string()),
            "{links:?}"
        );
        for anchor in ids.iter().chain(&links) {
            for word in [
                "zorblat", "quentin", "vexmoor", "options", "author", "internal",
            ] {
                assert!(!anchor.contains(word), "{anchor} in {html}");
            }
        }
        // One "Legal Comments" only could be listed, and it is withheld.
        assert!(!html.contains("legal-comments"), "{html}");
    }
}

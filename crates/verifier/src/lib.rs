//! Verify: an independent check of the finished outputs before anything is written.
//!
//! It does not trust the classifier or the redactor. From the source, the list of removed
//! spans and the finished outputs alone, it checks that:
//!
//! - the public Markdown is the source minus the removed spans, then the notice, and nothing
//!   else (so no public text was lost or rewritten and no withheld byte was kept);
//! - no sensitive marking stands in the Markdown or the HTML (text, attributes, comments)
//!   but the marking closing the kept part, where the Part 2 marking belongs;
//! - no fingerprint of the withheld text (runs of six words, amounts, long numbers, URLs,
//!   e-mail addresses, capitalised names) that the public part does not also carry appears
//!   in the Markdown or the HTML;
//! - nothing hidden or active is published: no HTML comment in the Markdown; no comment,
//!   script, frame, form, event handler, style other than table alignment, or `javascript:`
//!   / `data:` address in the HTML;
//! - the HTML is complete: the text of every block of the public Markdown is in the page.
//!
//! The page's one allowed link to a resource is the tool's own stylesheet link, exactly as
//! [`mopac_redactor::render::stylesheet_link`] writes it (a relative address of the release's
//! `style.css`): any other `<link>`, any `<style>` element and any style attribute but table
//! alignment is still refused. [`index`] checks the release index the same way, and proves
//! that no title of a report that was not published stands in it.
//!
//! Text is compared in its own flattened form (Unicode NFKC, entities decoded, everything
//! that is not a letter or digit as a space), not the classifier's.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;

use mopac_redactor::config::Classifications;
use mopac_redactor::normalize::{decode_entities, is_invisible, nfkc, skeleton};
use mopac_types::{Removal, RemovalKind};

/// A problem found in a finished output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// "markdown" or "html".
    pub output: &'static str,
    /// 1-based source line the finding points at (a withheld line, or 0).
    pub line: usize,
    pub message: String,
}

/// Everything the check looks at.
pub struct Evidence<'a> {
    /// The source, without its byte-order mark.
    pub source: &'a str,
    pub removals: &'a [Removal],
    /// The generated notice (empty without Part 2).
    pub notice: &'a str,
    pub markdown: &'a str,
    pub html: &'a str,
}

const SHINGLE: usize = 6;

/// Checks the outputs; every finding, or none.
pub fn verify(e: &Evidence<'_>, config: &Classifications) -> Vec<Finding> {
    let mut findings = Vec::new();

    // 1. The Markdown is the source minus the removed spans, then the notice.
    let mut kept = String::with_capacity(e.source.len());
    let mut at = 0;
    for r in e.removals {
        kept.push_str(&e.source[at..r.range.start]);
        at = r.range.end;
    }
    kept.push_str(&e.source[at..]);
    let faithful = match e.markdown.strip_prefix(kept.as_str()) {
        Some(rest) if e.notice.is_empty() => rest.is_empty(),
        Some(rest) => {
            let breaks = rest.len() - rest.trim_start_matches(['\r', '\n']).len();
            rest.trim_start_matches(['\r', '\n']) == e.notice && breaks <= 4
        }
        None => false,
    };
    if !faithful {
        findings.push(Finding {
            output: "markdown",
            line: 0,
            message:
                "the public Markdown is not the source minus the withheld lines plus the notice"
                    .into(),
        });
    }

    // 2. Sensitive markings, only where the Part 2 marking belongs.
    let allowed_block = if e.notice.is_empty() {
        ""
    } else {
        let trimmed = kept.trim_end();
        let start = [trimmed.rfind("\n\n"), trimmed.rfind("\n\r\n")]
            .into_iter()
            .flatten()
            .max()
            .map_or(0, |i| i + 1);
        &trimmed[start..]
    };
    // Markings are counted with case kept (SECRET counts in capitals only), and with tags
    // read both as spaces and as nothing, so that "OFFICIAL-SEN<span></span>SITIVE" counts.
    let allowed = Markings::of(&marking_text(allowed_block), config).max(&Markings::of(
        &marking_text(&without_tags(allowed_block)),
        config,
    ));
    // The page read block by block: each block's visible text (tags as spaces, character
    // references decoded), flattened with its case kept.
    let page_blocks: Vec<String> = html_blocks(e.html)
        .into_iter()
        .map(|b| marking_text(&b))
        .filter(|b| !b.is_empty())
        .collect();
    // The kept part and the notice, flattened once: for their markings and fingerprints. A
    // faithful Markdown is the two with line breaks between, so flattened it is the two
    // joined by a space.
    let kept_text = marking_text(&kept);
    let notice_text = marking_text(e.notice);
    let md_text = if faithful && e.notice.is_empty() {
        kept_text.clone()
    } else if faithful && e.markdown[kept.len()..].starts_with(['\r', '\n']) {
        [kept_text.as_str(), notice_text.as_str()]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        marking_text(e.markdown)
    };
    // The whole page with its tags and attributes as text (references decoded), and, where a
    // tag stands inside a word, the page with its tags read as nothing (elsewhere that reads
    // as the page block by block): for markings and for fingerprints alike.
    let whole_page = marking_text(&decode_entities(e.html));
    let untagged_page = tag_inside_a_word(e.html).then(|| marking_text(&without_tags(e.html)));
    let mut marking_texts = vec![
        ("html", page_blocks.join(" ")),
        ("html", whole_page.clone()),
    ];
    marking_texts.extend(untagged_page.clone().map(|t| ("html", t)));
    // Without a tag, the Markdown read without its tags is the Markdown.
    if e.markdown.contains('<') {
        marking_texts.push(("markdown", marking_text(&without_tags(e.markdown))));
    }
    marking_texts.push(("markdown", md_text));
    for (output, text) in marking_texts {
        if !Markings::of(&text, config).within(&allowed) {
            findings.push(Finding {
                output,
                line: 0,
                message: "a sensitive marking outside the Part 2 marking statement".into(),
            });
        }
    }

    // 3. Nothing hidden or active.
    let (md_blocks, comment_in_md) = block_texts(e.markdown);
    if comment_in_md {
        findings.push(Finding {
            output: "markdown",
            line: 0,
            message: "an HTML comment in the public Markdown".into(),
        });
    }
    if active_html(e.html).is_some() {
        findings.push(Finding {
            output: "html",
            line: 0,
            message: "hidden or active HTML in the page (a comment, script, frame, form, event handler, style or unsafe address)".into(),
        });
    }

    // 4. Every block of the public Markdown is in the page.
    let page_flats: Vec<String> = page_blocks.iter().map(|b| lower(b)).collect();
    let page: String = page_flats.iter().map(|b| without_spaces(b)).collect();
    // Blocks come in the page in their Markdown order: search on from the last one found,
    // and only then the whole page.
    let mut from = 0;
    for block in &md_blocks {
        let text = flatten_case(block, true, false);
        // Most often the block is the very next text of the page.
        let found = if page[from..].starts_with(&text) {
            Some(from)
        } else {
            page[from..]
                .find(&text)
                .map(|i| from + i)
                .or_else(|| page.find(&text))
        };
        if let Some(at) = found {
            from = at + text.len();
        }
        if !text.is_empty() && found.is_none() {
            findings.push(Finding {
                output: "html",
                line: 0,
                message: "a block of the public Markdown is missing from the page".into(),
            });
            break;
        }
    }

    // 5. Fingerprints of the withheld text. The public part's fingerprints are taken from
    // its source and from its text as a page shows it (link addresses and list numbers gone),
    // and the page is read block by block, so that words a page brings together across a
    // removed address or a block boundary are not mistaken for withheld text. They come from
    // the source minus the removals, never from the outputs being checked.
    let public_flats = [lower(&kept_text), lower(&notice_text)];
    let public: Vec<Words<'_>> = public_flats.iter().map(|f| Words::new(f)).collect();
    let public_shingles: U64Set = public.iter().flat_map(Words::shingles).collect();
    // The public blocks' own fingerprints are only needed to clear a candidate: they are read
    // when one is found. When the Markdown is faithful its blocks are the public part's;
    // otherwise they are taken from the source, never from an output that failed its check.
    let block_flats: std::cell::OnceCell<Vec<String>> = std::cell::OnceCell::new();
    let public_blocks = || {
        block_flats.get_or_init(|| {
            if faithful {
                md_blocks.iter().map(|b| flatten(b)).collect()
            } else {
                block_texts(&kept).0.iter().map(|b| flatten(b)).collect()
            }
        })
    };
    // A faithful Markdown is the public part and the notice, nothing else: only the page can
    // carry withheld text then. Otherwise the Markdown is read too.
    let md_flat = if faithful {
        String::new()
    } else {
        flatten(e.markdown)
    };
    // The page is read block by block, then whole with its attributes (a title or alt text
    // is shown too), then with its tags read as nothing ("Hal<span></span>berd").
    let page_wholes: Vec<String> = [Some(&whole_page), untagged_page.as_ref()]
        .into_iter()
        .flatten()
        .map(|t| lower(t))
        .collect();
    let outputs: [(&'static str, Vec<Words<'_>>); 2] = [
        ("markdown", vec![Words::new(&md_flat)]),
        (
            "html",
            page_flats
                .iter()
                .chain(&page_wholes)
                .map(|f| Words::new(f))
                .collect(),
        ),
    ];
    for r in e.removals.iter().filter(|r| r.kind == RemovalKind::Part2) {
        let withheld = &e.source[r.range.clone()];
        let withheld_flat = flatten(withheld);
        let mut secret: U64Set = Words::new(&withheld_flat)
            .shingles()
            .filter(|h| !public_shingles.contains(h))
            .collect();
        let token_flats: Vec<String> = distinctive(withheld)
            .iter()
            .map(|t| flatten(t))
            .filter(|t| t.len() > 2)
            .collect();
        let mut tokens = Tokens::new(token_flats.iter().map(|t| Words::new(t)).collect());
        tokens.remove_found_in(&public);
        let mut blocks_read = false;
        for (output, seqs) in &outputs {
            let mut leaked = holds(seqs, &secret, &tokens);
            if leaked && !blocks_read {
                // A candidate: clear what the public blocks also hold, and look again.
                blocks_read = true;
                let blocks: Vec<Words<'_>> =
                    public_blocks().iter().map(|f| Words::new(f)).collect();
                for h in blocks.iter().flat_map(Words::shingles) {
                    secret.remove(&h);
                }
                tokens.remove_found_in(&blocks);
                leaked = holds(seqs, &secret, &tokens);
            }
            if leaked {
                findings.push(Finding {
                    output,
                    line: r.lines.0,
                    message: format!(
                        "text withheld at lines {}-{} appears in the {output}",
                        r.lines.0, r.lines.1
                    ),
                });
            }
        }
    }
    findings
}

/// Checks the release index before it is written: nothing hidden or active, no sensitive
/// marking, a link to every published page and to nothing else (`published`: each page's
/// release-relative path and its report's title), and no title of two words or more that a
/// report that was not published goes by (`hidden_titles`), unless a published report's title
/// holds the same words (a Part 2 form named like its published report).
pub fn index(
    html: &str,
    published: &[(&str, &str)],
    hidden_titles: &[&str],
    config: &Classifications,
) -> Vec<Finding> {
    let finding = |message: String| Finding {
        output: "index",
        line: 0,
        message,
    };
    let mut findings = Vec::new();
    if let Some(active) = active_html(html) {
        findings.push(finding(format!(
            "hidden or active HTML in the index ({active})"
        )));
    }
    // The visible text, block by block (every tag read as a space, references decoded).
    let text = html_blocks(html).join(" ");
    if !config.sensitive_markings(&marking_text(&text)).is_empty()
        || !config
            .sensitive_markings(&marking_text(&decode_entities(html)))
            .is_empty()
    {
        findings.push(finding("a sensitive marking in the index".into()));
    }
    use std::sync::OnceLock;
    static HREF: OnceLock<Regex> = OnceLock::new();
    let href = HREF.get_or_init(|| {
        Regex::new(r#"(?i)\s(?:href|src)\s*=\s*"([^"]*)""#).expect("the address pattern compiles")
    });
    let allowed: HashSet<String> = published
        .iter()
        .map(|(p, _)| mopac_redactor::render::href(p))
        .chain([
            "#main-content".to_string(),
            mopac_redactor::render::STYLESHEET_FILE.to_string(),
        ])
        .collect();
    for c in href.captures_iter(html) {
        let target = &c[1];
        if !allowed.contains(target) {
            findings.push(finding(format!(
                "the index links to {target}, which is not a published page"
            )));
        }
    }
    for (page, _) in published {
        let target = mopac_redactor::render::href(page);
        if !html.contains(&format!("href=\"{target}\"")) {
            findings.push(finding(format!("the index does not link to {page}")));
        }
    }
    // Titles are compared as words, so that punctuation or markup cannot hide one. A
    // one-word title is not compared: the index's own wording ("Reference", "Date") would
    // refuse a whole release for a report whose first line is such a word.
    let listed: Vec<String> = published
        .iter()
        .map(|(_, title)| format!(" {} ", words(&flatten(title)).join(" ")))
        .collect();
    let page_words = format!(" {} ", words(&flatten(&text)).join(" "));
    for title in hidden_titles {
        let flat = flatten(title);
        let t = words(&flat);
        if t.len() < 2 {
            continue;
        }
        let t = t.join(" ");
        let needle = format!(" {t} ");
        if page_words.contains(&needle) && !listed.iter().any(|l| l.contains(&needle)) {
            findings.push(finding(
                "the title of a report that was not published stands in the index".into(),
            ));
        }
    }
    findings
}

/// The first piece of HTML that can hide content, run code or fetch: a comment, script,
/// frame, form, event handler, unsafe address scheme, or style other than the table
/// alignment the Markdown writer emits.
fn active_html(html: &str) -> Option<String> {
    use std::sync::OnceLock;
    static ACTIVE: OnceLock<Regex> = OnceLock::new();
    static STYLE: OnceLock<Regex> = OnceLock::new();
    let active = ACTIVE.get_or_init(|| {
        Regex::new(
            r#"(?xi)
              <!--
            | <\s*(?:script|style|iframe|frame|frameset|object|embed|form|input|button|textarea|select|details|template|link|base)(?-u:\b)
            | <\s*meta(?-u:\b)[^>]*(?-u:\b)http-equiv
            | \son[a-z]+\s*=
            | (?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(?:javascript|data|vbscript):
            "#,
        )
        .expect("the active-HTML pattern compiles")
    });
    let style = STYLE.get_or_init(|| {
        Regex::new(r#"(?i)\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))"#)
            .expect("the style pattern compiles")
    });
    // The tool's own stylesheet link, as the verifier states it: a relative address of the
    // release's stylesheet, nothing else. Any other link stays refused.
    static OWN_LINK: OnceLock<Regex> = OnceLock::new();
    let own_link = OWN_LINK.get_or_init(|| {
        Regex::new(&format!(
            r#"<link rel="stylesheet" href="(?:\.\./)*{}">"#,
            regex::escape(mopac_redactor::render::STYLESHEET_FILE)
        ))
        .expect("the stylesheet link pattern compiles")
    });
    let html = own_link.replace_all(html, "");
    let html = html.as_ref();
    if let Some(m) = active.find(html) {
        return Some(m.as_str().to_string());
    }
    style
        .captures_iter(html)
        .find(|c| {
            let value = c
                .get(1)
                .or(c.get(2))
                .or(c.get(3))
                .map_or("", |m| m.as_str());
            !matches!(
                value,
                "text-align: left" | "text-align: center" | "text-align: right"
            )
        })
        .map(|c| c[0].trim().to_string())
}

/// The text of each top-level block of `markdown` (link and image addresses, image alt text,
/// raw HTML and front matter aside), as the page must show it.
/// Also tells whether the Markdown holds an HTML comment (raw HTML, not code).
fn block_texts(markdown: &str) -> (Vec<String>, bool) {
    let mut blocks = Vec::new();
    let mut comment = false;
    let mut current = String::new();
    let (mut depth, mut image, mut metadata) = (0usize, 0usize, false);
    for ev in mopac_redactor::markdown::parser(markdown) {
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
                    blocks.push(std::mem::take(&mut current));
                }
            }
            Event::Text(t) | Event::Code(t) if image == 0 && !metadata => current.push_str(&t),
            Event::Html(t) | Event::InlineHtml(t) => comment |= t.contains("<!--"),
            _ => {}
        }
    }
    (blocks, comment)
}

/// The visible text of each block of the page, cut at its block-level tags so that text is
/// never joined across two blocks: every other tag read as a space, character references
/// decoded. Blocks with nothing but white space are left out.
fn html_blocks(html: &str) -> Vec<String> {
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
        "table",
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
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        current.push_str(&rest[..open]);
        let tag = &rest[open + 1..];
        let end = tag_end(tag).map_or(tag.len(), |i| i + 1);
        let name = tag.strip_prefix('/').unwrap_or(tag);
        let name = &name[..name
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(name.len())];
        if BLOCK_TAGS.iter().any(|b| b.eq_ignore_ascii_case(name)) {
            blocks.push(std::mem::take(&mut current));
        } else {
            current.push(' ');
        }
        rest = &tag[end..];
    }
    current.push_str(rest);
    blocks.push(current);
    blocks
        .into_iter()
        .filter(|b| !b.trim().is_empty())
        .map(|b| decode_entities(&b).into_owned())
        .collect()
}

/// A flattened text's letters and digits, its spaces left out: for presence checks that
/// ignore layout.
fn without_spaces(flat: &str) -> String {
    let mut out = String::with_capacity(flat.len());
    flat.split(' ').for_each(|w| out.push_str(w));
    out
}

/// A flattened text in lower case, as [`flatten`] gives it.
fn lower(flat: &str) -> String {
    if flat.is_ascii() {
        flat.to_ascii_lowercase()
    } else {
        flat.chars().flat_map(char::to_lowercase).collect()
    }
}

/// NFKC, entities decoded, letters and digits kept in lower case, everything else a single
/// space.
fn flatten(text: &str) -> String {
    flatten_case(text, true, true)
}

/// Text as markings are counted in: flattened with its case kept.
fn marking_text(text: &str) -> String {
    flatten_case(text, false, true)
}

/// True when a tag (or a run of tags) stands between two characters that can belong to a
/// word: letters, digits, anything not ASCII, and the `&`, `#` and `;` of a character
/// reference. Elsewhere a tag read as nothing and a tag read as a space flatten alike.
fn tag_inside_a_word(html: &str) -> bool {
    let wordish =
        |b: u8| b.is_ascii_alphanumeric() || !b.is_ascii() || matches!(b, b'&' | b'#' | b';');
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(open) = memchr_at(bytes, b'<', at) {
        // The run of tags that starts here.
        let mut end = open;
        while bytes.get(end) == Some(&b'<') {
            match tag_end(&html[end + 1..]) {
                Some(close) => end = end + 1 + close + 1,
                None => return open > 0 && wordish(bytes[open - 1]),
            }
        }
        if open > 0 && wordish(bytes[open - 1]) && bytes.get(end).is_some_and(|&b| wordish(b)) {
            return true;
        }
        at = end;
    }
    false
}

/// Where the tag whose text (after its `<`) is `tag` ends: its `>`, a `>` inside a quoted
/// attribute value aside (`<span title="a>b">`), as a browser reads it. A quote never closed
/// is not skipped: the first `>` ends the tag then, so no text is taken for a tag's.
fn tag_end(tag: &str) -> Option<usize> {
    let bytes = tag.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return Some(i),
            q @ (b'"' | b'\'') if tag[..i].trim_end().ends_with('=') => {
                match memchr_at(bytes, q, i + 1) {
                    Some(close) => i = close + 1,
                    None => return tag.find('>'),
                }
            }
            _ => i += 1,
        }
    }
    None
}

fn memchr_at(bytes: &[u8], needle: u8, from: usize) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| b == needle)
        .map(|i| from + i)
}

/// Text with every tag removed and nothing in its place.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = tag_end(&rest[open + 1..]).map_or("", |close| &rest[open + 1 + close + 1..]);
    }
    out.push_str(rest);
    out
}

/// Letters and digits (NFKC, entities decoded, look-alikes read as Latin), in lower case or
/// with their case kept, with one space between runs or none.
fn flatten_case(text: &str, lower: bool, spaces: bool) -> String {
    let text = nfkc(text);
    let mut out = Vec::with_capacity(text.len());
    let mut space = false;
    let mut utf8 = [0; 4];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // ASCII (nearly all text) has no look-alike and no invisible character: a run of
        // ASCII letters and digits is copied whole.
        let run = bytes[i..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bytes.len() - i);
        if run > 0 {
            if space && spaces && !out.is_empty() {
                out.push(b' ');
            }
            space = false;
            let word = &bytes[i..i + run];
            if lower {
                out.extend(word.iter().map(u8::to_ascii_lowercase));
            } else {
                out.extend_from_slice(word);
            }
            i += run;
            continue;
        }
        if bytes[i].is_ascii() {
            space = true;
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("a character starts here");
        i += c.len_utf8();
        let c = skeleton(c);
        if c.is_alphanumeric() {
            if space && spaces && !out.is_empty() {
                out.push(b' ');
            }
            space = false;
            if lower {
                for l in c.to_lowercase() {
                    out.extend_from_slice(l.encode_utf8(&mut utf8).as_bytes());
                }
            } else {
                out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
        } else if !is_invisible(c) {
            space = true;
        }
    }
    String::from_utf8(out).expect("flattening pushes whole characters")
}

/// The words of a flattened text.
fn words(flat: &str) -> Vec<&str> {
    flat.split(' ').filter(|w| !w.is_empty()).collect()
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// The words of a flattened text, each with its hash (FNV-1a, combined per run of words for
/// shingles). A collision between a withheld and a public shingle would clear the withheld
/// one: at 64 bits, not a chance to reckon with.
struct Words<'a> {
    words: Vec<&'a str>,
    hashes: Vec<u64>,
}

impl<'a> Words<'a> {
    fn new(flat: &'a str) -> Self {
        let mut words = Vec::with_capacity(flat.len() / 6);
        let mut hashes = Vec::with_capacity(flat.len() / 6);
        let mut start = 0;
        let mut hash = FNV_OFFSET;
        for (i, &b) in flat.as_bytes().iter().enumerate() {
            if b == b' ' {
                if i > start {
                    words.push(&flat[start..i]);
                    hashes.push(hash);
                }
                start = i + 1;
                hash = FNV_OFFSET;
            } else {
                hash = (hash ^ u64::from(b)).wrapping_mul(FNV_PRIME);
            }
        }
        if flat.len() > start {
            words.push(&flat[start..]);
            hashes.push(hash);
        }
        Words { words, hashes }
    }

    /// Hashes of every run of [`SHINGLE`] words (none in a shorter text: the distinctive
    /// tokens cover those).
    fn shingles(&self) -> impl Iterator<Item = u64> + '_ {
        self.hashes.windows(SHINGLE).map(|run| {
            run.iter().fold(0x9E37_79B9_7F4A_7C15_u64, |h, w| {
                (h.rotate_left(23) ^ w).wrapping_mul(0xBF58_476D_1CE4_E5B9)
            })
        })
    }
}

/// True when the texts `seqs` hold a shingle of `secret` or one of the `tokens`.
fn holds(seqs: &[Words<'_>], secret: &U64Set, tokens: &Tokens<'_>) -> bool {
    seqs.iter()
        .flat_map(Words::shingles)
        .any(|h| secret.contains(&h))
        || tokens.any_in(seqs)
}

/// Distinctive tokens of a withheld text, each a run of words, found by their first word.
struct Tokens<'a> {
    tokens: Vec<Words<'a>>,
    by_first: HashMap<u64, Vec<usize>, BuildHasherDefault<U64Hasher>>,
}

impl<'a> Tokens<'a> {
    fn new(tokens: Vec<Words<'a>>) -> Self {
        let mut by_first: HashMap<u64, Vec<usize>, BuildHasherDefault<U64Hasher>> =
            HashMap::default();
        for (i, t) in tokens.iter().enumerate() {
            if let Some(&first) = t.hashes.first() {
                by_first.entry(first).or_default().push(i);
            }
        }
        Tokens { tokens, by_first }
    }

    /// Each token that `seq` holds at `at`, compared word for word.
    fn at<'s>(&'s self, seq: &'s Words<'_>, at: usize) -> impl Iterator<Item = usize> + 's {
        self.by_first
            .get(&seq.hashes[at])
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&i| seq.words[at..].starts_with(&self.tokens[i].words))
    }

    /// Forgets the tokens that a public text also holds.
    fn remove_found_in(&mut self, public: &[Words<'_>]) {
        let mut found = vec![false; self.tokens.len()];
        for seq in public {
            for at in 0..seq.words.len() {
                self.at(seq, at).for_each(|i| found[i] = true);
            }
        }
        for list in self.by_first.values_mut() {
            list.retain(|&i| !found[i]);
        }
    }

    /// True when any text of `seqs` holds a token.
    fn any_in(&self, seqs: &[Words<'_>]) -> bool {
        seqs.iter()
            .any(|seq| (0..seq.words.len()).any(|at| self.at(seq, at).next().is_some()))
    }
}

/// Hashes values that are hashes already: a final mix, nothing more.
#[derive(Default)]
struct U64Hasher(u64);

impl Hasher for U64Hasher {
    fn finish(&self) -> u64 {
        let x = self.0;
        (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB) ^ (x >> 29)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type U64Set = HashSet<u64, BuildHasherDefault<U64Hasher>>;

/// How many sensitive markings a text holds, tier by tier. Flattened text has no dashes:
/// "OFFICIAL-SENSITIVE" reads "OFFICIAL SENSITIVE", which the tiers' patterns accept.
#[derive(Debug, Default)]
struct Markings(std::collections::BTreeMap<usize, usize>);

impl Markings {
    fn of(flat: &str, config: &Classifications) -> Self {
        let mut counts = std::collections::BTreeMap::new();
        for tier in config.sensitive_markings(flat) {
            *counts.entry(tier).or_insert(0) += 1;
        }
        Markings(counts)
    }

    /// The larger count of each tier.
    fn max(mut self, other: &Markings) -> Self {
        for (&tier, &n) in &other.0 {
            let mine = self.0.entry(tier).or_insert(0);
            *mine = (*mine).max(n);
        }
        self
    }

    /// True when no tier has more markings than `allowed` has of it: a marking of another
    /// tier beside the allowed one, or one more of the same, is too many.
    fn within(&self, allowed: &Markings) -> bool {
        self.0
            .iter()
            .all(|(tier, &n)| n <= allowed.0.get(tier).copied().unwrap_or(0))
    }
}

/// Amounts, long numbers, URLs, e-mail addresses and capitalised names.
fn distinctive(text: &str) -> Vec<String> {
    use std::sync::OnceLock;
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?x)
              [£$€]\s?\d[\d,.]*(?:\s?(?:k|m|bn|million|billion)(?-u:\b))?
            | (?-u:\b)\d{1,3}(?:,\d{3})+(?:\.\d+)?(?-u:\b)
            | (?-u:\b)\d{5,}(?-u:\b)
            | (?-u:\b)https?://[^\s)>\]]+
            | (?-u:\b)[\w.+-]+@[\w-]+\.[\w.-]+
            | (?-u:\b)\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,5}
            ",
        )
        .expect("the fingerprint pattern compiles")
    });
    re.find_iter(text).map(|m| m.as_str().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Classifications {
        Classifications::defaults().unwrap()
    }

    fn removal(source: &str, from: &str) -> Removal {
        let start = source.find(from).unwrap();
        Removal {
            kind: RemovalKind::Part2,
            range: start..source.len(),
            lines: (5, 6),
            sha256: String::new(),
        }
    }

    /// The evidence of a report without Part 2: `md` is its source and its Markdown.
    fn public_only<'a>(md: &'a str, html: &'a str) -> Evidence<'a> {
        Evidence {
            source: md,
            removals: &[],
            notice: "",
            markdown: md,
            html,
        }
    }

    fn finds_a_marking(e: &Evidence<'_>) -> bool {
        verify(e, &config())
            .iter()
            .any(|f| f.message.contains("sensitive marking"))
    }

    /// Removals withholding `source` from `from` on, and the faithful Markdown: the kept
    /// part, then the notice.
    fn faithful(source: &str, from: &str) -> ([Removal; 1], String) {
        let r = [removal(source, from)];
        let md = format!("{}\nNOTICE text\n", &source[..r[0].range.start]);
        (r, md)
    }

    const SOURCE: &str = "Title\n\nPublic text about the project.\n\nPart 2\n\nOFFICIAL-SENSITIVE [COMMERCIAL]\n\nThe preferred bidder Halberd Secure Systems offered £1,284,560 for the first year.\n";

    #[test]
    fn a_faithful_release_passes() {
        let (r, md) = faithful(SOURCE, "The preferred");
        let html = "<p>Title</p><p>Public text about the project.</p><p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL]</p><p>NOTICE text</p>";
        let e = Evidence {
            source: SOURCE,
            removals: &r,
            notice: "NOTICE text\n",
            markdown: &md,
            html,
        };
        assert_eq!(verify(&e, &config()), []);
    }

    #[test]
    fn withheld_text_in_the_html_is_caught() {
        let (r, md) = faithful(SOURCE, "The preferred");
        let html = "<p>Public</p><p>Halberd&#32;Secure Systems</p>";
        let e = Evidence {
            source: SOURCE,
            removals: &r,
            notice: "NOTICE text\n",
            markdown: &md,
            html,
        };
        let findings = verify(&e, &config());
        assert!(
            findings.iter().any(|f| f.output == "html" && f.line == 5),
            "{findings:?}"
        );
    }

    /// Words a page joins across a removed link address are public when a public block holds
    /// them: a Part 2 that repeats a public sentence is no leak.
    #[test]
    fn public_link_text_repeated_in_part_2_is_no_leak() {
        let source = "Title\n\n[The contract with Halberd Secure Systems](https://x.example/a) was signed in May.\n\n\
                      Part 2\n\nOFFICIAL-SENSITIVE [COMMERCIAL]\n\n\
                      The contract with Halberd Secure Systems was signed in May.\n";
        let (r, md) = faithful(source, "The contract with Halberd Secure Systems was");
        let page = "<p>Title</p><p><a href=\"https://x.example/a\">The contract with Halberd Secure Systems</a> was signed in May.</p>\
                    <p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL]</p><p>NOTICE text</p>";
        let e = Evidence {
            source,
            removals: &r,
            notice: "NOTICE text\n",
            markdown: &md,
            html: page,
        };
        assert_eq!(verify(&e, &config()), []);
        // The same words with a withheld detail added are still caught.
        let leaked = page.replace("in May.", "in May for £1,284,560.");
        let source = format!("{} for £1,284,560.\n", source.strip_suffix(".\n").unwrap());
        assert_eq!(source.matches("£1,284,560").count(), 1);
        let (r, md) = faithful(&source, "The contract with Halberd Secure Systems was");
        let e = Evidence {
            source: &source,
            removals: &r,
            notice: "NOTICE text\n",
            markdown: &md,
            html: &leaked,
        };
        assert!(!verify(&e, &config()).is_empty());
    }

    /// A marking of another tier beside the allowed Part 2 marking is one marking too many.
    #[test]
    fn a_second_marking_of_another_tier_is_caught() {
        let (r, md) = faithful(SOURCE, "The preferred");
        let clean = "<p>Title</p><p>Public text about the project.</p><p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL]</p><p>NOTICE text</p>";
        let e = Evidence {
            source: SOURCE,
            removals: &r,
            notice: "NOTICE text\n",
            markdown: &md,
            html: clean,
        };
        assert_eq!(verify(&e, &config()), []);
        for extra in ["TOP SECRET", "SECRET", "official sensitive"] {
            let html = clean.replace("NOTICE text", &format!("NOTICE text {extra}"));
            let e = Evidence { html: &html, ..e };
            assert!(
                verify(&e, &config())
                    .iter()
                    .any(|f| f.output == "html" && f.message.contains("sensitive marking")),
                "{extra}"
            );
        }
    }

    /// Withheld text in an attribute, split by an empty tag, or broken by an invisible
    /// character is still withheld text in the page.
    #[test]
    fn withheld_text_however_the_page_hides_it_is_caught() {
        let (r, md) = faithful(SOURCE, "The preferred");
        let base = "<p>Title</p><p>Public text about the project.</p><p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL]</p><p>NOTICE text</p>";
        let e = Evidence {
            source: SOURCE,
            removals: &r,
            notice: "NOTICE text\n",
            markdown: &md,
            html: base,
        };
        assert_eq!(verify(&e, &config()), []);
        for hidden in [
            "<abbr title=\"The preferred bidder Halberd Secure Systems offered\">NOTICE</abbr> text",
            "NOTICE text Hal<span></span>berd Se<b></b>cure Sys<i></i>tems",
            "NOTICE text \u{00A3}1,28\u{200E}4,560",
            "NOTICE text OFFICIAL-SEN\u{200E}SITIVE",
        ] {
            let html = base.replace("NOTICE text", hidden);
            let e = Evidence { html: &html, ..e };
            assert!(!verify(&e, &config()).is_empty(), "{hidden}");
        }
    }

    /// Markings are counted tier by tier: with two tiers in the Part 2 marking, a page may
    /// not trade one of them for another of the other tier.
    #[test]
    fn markings_are_counted_tier_by_tier() {
        let source = "Title\n\nPublic text.\n\nPart 2\n\nOFFICIAL-SENSITIVE [COMMERCIAL] SECRET\n\nWithheld words here.\n";
        let (r, md) = faithful(source, "Withheld");
        let good = "<p>Title</p><p>Public text.</p><p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL] SECRET</p><p>NOTICE text</p>";
        let e = Evidence {
            source,
            removals: &r,
            notice: "NOTICE text\n",
            markdown: &md,
            html: good,
        };
        assert_eq!(verify(&e, &config()), []);
        let traded = "<p>Title</p><p>Public text. OFFICIAL-SENSITIVE</p><p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL] Secret</p><p>NOTICE text</p>";
        let e = Evidence { html: traded, ..e };
        assert!(finds_a_marking(&e));
    }

    /// A `>` inside a quoted attribute value does not end the tag.
    #[test]
    fn a_tag_ends_where_a_browser_ends_it() {
        assert_eq!(tag_end(r#"span title="a>b">x"#), Some(16));
        assert_eq!(tag_end("span title='a>b' >x"), Some(17));
        assert_eq!(tag_end(r#"span title = "a>b">"#), Some(18));
        // An apostrophe in no value, or a quote never closed, is not skipped.
        assert_eq!(tag_end("p it's>x"), Some(6));
        assert_eq!(tag_end(r#"a title="x>y"#), Some(10));
        let html = r#"<p>Public OFFICIAL-SEN<span title="a>b"></span>SITIVE text</p>"#;
        let md = "Public text\n";
        let e = public_only(md, html);
        assert!(finds_a_marking(&e));
    }

    #[test]
    fn a_marking_in_an_attribute_is_caught() {
        let md = "Public\n";
        let html = "<p title=\"OFFICIAL&#8209;SENSITIVE\">Public</p>";
        let e = public_only(md, html);
        assert!(!verify(&e, &config()).is_empty());
    }

    #[test]
    fn active_html_is_caught_and_table_alignment_is_not() {
        for bad in [
            "<p>a<!-- x --></p>",
            "<SCRIPT>x</SCRIPT>",
            "<p onclick=\"x\">a</p>",
            "<a href=\" javascript:x\">a</a>",
            "<img src=data:image/png;base64,AA>",
            "<div style=\"display:none\">a</div>",
            "<td style=\"text-align: left; display: none\">a</td>",
            "<iframe src=x>",
            "<details>a</details>",
        ] {
            assert!(active_html(bad).is_some(), "{bad}");
        }
        assert_eq!(
            active_html("<th style=\"text-align: center\">a</th><p>onclick= is text</p>"),
            None
        );
    }

    #[test]
    fn a_marking_split_by_a_tag_or_in_capitals_is_caught() {
        for md in [
            "Public OFFICIAL-SEN<span></span>SITIVE text\n",
            "Public TOP SECRET text\n",
            "The SECRET annex\n",
        ] {
            let html = format!("<p>{md}</p>");
            let e = public_only(md, &html);
            let findings = verify(&e, &config());
            assert!(
                findings
                    .iter()
                    .any(|f| f.message.contains("sensitive marking")),
                "{md}: {findings:?}"
            );
        }
        let md = "the secret of good policing\n";
        let html = format!("<p>{md}</p>");
        let e = public_only(md, &html);
        assert_eq!(verify(&e, &config()), []);
    }

    #[test]
    fn a_block_missing_from_the_page_is_caught() {
        let md = "First paragraph.\n\n- item *one*\n\nLast paragraph.\n";
        let e = public_only(
            md,
            "<p>First paragraph.</p><ul><li>item <em>one</em></li></ul>",
        );
        let findings = verify(&e, &config());
        assert!(
            findings
                .iter()
                .any(|f| f.message.contains("missing from the page")),
            "{findings:?}"
        );
        let html =
            "<p>First paragraph.</p><ul><li>item <em>one</em></li></ul><p>Last paragraph.</p>";
        let e = Evidence { html, ..e };
        assert_eq!(verify(&e, &config()), []);
    }

    #[test]
    fn a_kept_withheld_byte_is_caught() {
        let r = [removal(SOURCE, "The preferred")];
        let md = format!("{SOURCE}\nNOTICE text\n");
        let e = Evidence {
            source: SOURCE,
            removals: &r,
            notice: "NOTICE text\n",
            markdown: &md,
            html: "",
        };
        let findings = verify(&e, &config());
        assert!(
            findings
                .iter()
                .any(|f| f.message.contains("not the source")),
            "{findings:?}"
        );
        assert!(
            findings
                .iter()
                .any(|f| f.message.contains("withheld at lines")),
            "{findings:?}"
        );
    }

    /// The page's own stylesheet link is the one exception; every other link, every style
    /// element and every script is still caught, with the link beside them or not.
    #[test]
    fn only_the_tools_own_stylesheet_link_is_allowed() {
        for own in [
            "<link rel=\"stylesheet\" href=\"style.css\">",
            "<link rel=\"stylesheet\" href=\"../../style.css\">",
        ] {
            assert_eq!(active_html(own), None, "{own}");
        }
        let own = "<head><link rel=\"stylesheet\" href=\"../style.css\"></head>";
        for bad in [
            "<link rel=\"stylesheet\" href=\"https://cdn.example/style.css\">",
            "<link rel=\"stylesheet\" href=\"//cdn.example/style.css\">",
            "<link rel=\"stylesheet\" href=\"/style.css\">",
            "<link rel=\"stylesheet\" href=\"other.css\">",
            "<link rel=\"stylesheet\" href=\"../style.css\" media=\"print\">",
            "<link rel=\"preload\" href=\"../style.css\">",
            "<style>.x{display:none}</style>",
            "<STYLE>p{}</STYLE>",
            "<script src=\"x.js\"></script>",
            "<p style=\"color:#fff\">white</p>",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://x.example\">",
            "<meta content=\"0;url=https://x.example\" http-equiv=\"refresh\">",
        ] {
            assert!(active_html(bad).is_some(), "{bad}");
            assert!(active_html(&format!("{own}{bad}")).is_some(), "{bad}");
        }
    }

    fn index_page(list: &str) -> String {
        format!(
            "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"style.css\"></head><body>\
             <a href=\"#main-content\">Skip</a><main id=\"main-content\"><ol class=\"report-list\">{list}</ol>\
             <ul><li>1 withheld in full</li></ul></main></body></html>"
        )
    }

    #[test]
    fn the_index_names_no_report_that_was_not_published() {
        let c = config();
        let listed = "<li><a href=\"a/b.html\">MPS Custody Telephony Replacement</a></li>";
        let published = [("a/b.html", "MPS Custody Telephony Replacement")];
        assert_eq!(
            index(
                &index_page(listed),
                &published,
                &["MPS Custody CCTV Upgrade"],
                &c
            ),
            []
        );
        // The title of a withheld report, in any markup or case, is caught.
        let leaked = format!("{listed}<li>mps custody <b>CCTV</b> upgrade</li>");
        let findings = index(
            &index_page(&leaked),
            &published,
            &["MPS Custody CCTV Upgrade"],
            &c,
        );
        assert!(
            findings.iter().any(|f| f.message.contains("not published")),
            "{findings:?}"
        );
        // A Part 2 form named like its published report is no leak.
        assert_eq!(
            index(
                &index_page(listed),
                &published,
                &["MPS Custody Telephony Replacement"],
                &c
            ),
            []
        );
    }

    #[test]
    fn the_index_links_to_every_published_page_and_nothing_else() {
        let c = config();
        let published = [("a/b.html", "Report B"), ("c d.html", "Report D")];
        let good = "<li><a href=\"a/b.html\">Report B</a></li><li><a href=\"c%20d.html\">Report D</a></li>";
        assert_eq!(index(&index_page(good), &published, &[], &c), []);
        let missing = "<li><a href=\"a/b.html\">Report B</a></li>";
        assert!(!index(&index_page(missing), &published, &[], &c).is_empty());
        let extra = format!("{good}<li><a href=\"withheld/x.html\">X</a></li>");
        assert!(!index(&index_page(&extra), &published, &[], &c).is_empty());
        let active = format!("{good}<li><script>x</script></li>");
        assert!(!index(&index_page(&active), &published, &[], &c).is_empty());
        let marking = format!("{good}<li>OFFICIAL-SENSITIVE</li>");
        assert!(!index(&index_page(&marking), &published, &[], &c).is_empty());
    }
}

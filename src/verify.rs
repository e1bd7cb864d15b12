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
//! [`crate::render::stylesheet_link`] writes it (a relative address of the release's
//! `style.css`): any other `<link>`, any `<style>` element and any style attribute but table
//! alignment is still refused. [`index`] checks the release index the same way, and proves
//! that no title of a report that was not published stands in it.
//!
//! Text is compared in its own flattened form (Unicode NFKC, entities decoded, everything
//! that is not a letter or digit as a space), not the classifier's.

use std::collections::HashSet;

use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;

use crate::config::Classifications;
use crate::normalize::{decode_entities, for_each_nfkc, skeleton};
use crate::redact::{Removal, RemovalKind};

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
    let allowed = count_markings(&marking_text(allowed_block), config).max(count_markings(
        &marking_text(&without_tags(allowed_block)),
        config,
    ));
    let page_text = html_text(e.html);
    let md_flat = flatten(e.markdown);
    let page_flat = flatten(&page_text);
    for (output, text) in [
        ("markdown", marking_text(e.markdown)),
        ("markdown", marking_text(&without_tags(e.markdown))),
        ("html", marking_text(&page_text)),
        ("html", marking_text(&without_tags(e.html))),
        ("html", marking_text(&decode_entities(e.html))),
    ] {
        if count_markings(&text, config) > allowed {
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
    let page: String = page_flat.chars().filter(|c| *c != ' ').collect();
    // Blocks come in the page in their Markdown order: search on from the last one found,
    // and only then the whole page.
    let mut from = 0;
    for block in &md_blocks {
        let text = alnum(block);
        let found = page[from..]
            .find(&text)
            .map(|i| from + i)
            .or_else(|| page.find(&text));
        if let Some(at) = found {
            from = at;
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
    let mut public_texts: Vec<String> = vec![flatten(&kept), flatten(e.notice)];
    // When the Markdown is faithful its blocks are the public part's; otherwise they are
    // taken from the source, never from an output that failed its check.
    let kept_blocks = if faithful {
        md_blocks
    } else {
        block_texts(&kept).0
    };
    public_texts.extend(kept_blocks.iter().map(|b| flatten(b)));
    let public_words: Vec<Vec<&str>> = public_texts.iter().map(|t| words(t)).collect();
    let public_shingles: HashSet<u64> = public_words.iter().flat_map(|w| shingles(w)).collect();
    let public_flat: String = public_words
        .iter()
        .map(|w| format!(" {} ", w.join(" ")))
        .collect();
    let md_words = words(&md_flat);
    let html_flats: Vec<String> = html_blocks(e.html)
        .iter()
        .map(|b| flatten(&html_text(b)))
        .collect();
    let html_blocks: Vec<Vec<&str>> = html_flats.iter().map(|b| words(b)).collect();
    let outputs: [(&'static str, HashSet<u64>, String); 2] = [
        (
            "markdown",
            shingles(&md_words).collect(),
            format!(" {} ", md_words.join(" ")),
        ),
        (
            "html",
            html_blocks.iter().flat_map(|w| shingles(w)).collect(),
            html_blocks
                .iter()
                .map(|w| format!(" {} ", w.join(" ")))
                .collect(),
        ),
    ];
    for r in e.removals.iter().filter(|r| r.kind == RemovalKind::Part2) {
        let withheld = &e.source[r.range.clone()];
        let withheld_flat = flatten(withheld);
        let withheld_words = words(&withheld_flat);
        let secret: HashSet<u64> = shingles(&withheld_words)
            .filter(|h| !public_shingles.contains(h))
            .collect();
        let tokens: Vec<String> = distinctive(withheld)
            .into_iter()
            .map(|t| format!(" {} ", words(&flatten(&t)).join(" ")))
            .filter(|t| t.trim().len() > 2 && !public_flat.contains(t.as_str()))
            .collect();
        for (output, found, flat) in &outputs {
            let shingle_hit = secret.iter().any(|h| found.contains(h));
            let token_hit = tokens.iter().any(|t| flat.contains(t.as_str()));
            if shingle_hit || token_hit {
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
    let text = html_text(html);
    if count_markings(&flatten(&text), config) > 0
        || count_markings(&flatten(&decode_entities(html)), config) > 0
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
        .map(|(p, _)| crate::render::href(p))
        .chain([
            "#main-content".to_string(),
            crate::render::STYLESHEET_FILE.to_string(),
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
        let target = crate::render::href(page);
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
            regex::escape(crate::render::STYLESHEET_FILE)
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
    for ev in crate::markdown::parser(markdown) {
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

/// The page cut at its block-level tags, so that text is never joined across two blocks.
fn html_blocks(html: &str) -> Vec<&str> {
    use std::sync::OnceLock;
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)</?(?:p|li|ol|ul|td|th|tr|thead|tbody|table|h[1-6]|div|pre|blockquote|section|header|footer|main|nav|aside|dl|dt|dd|hr|br|sup|title|body|head|html)(?-u:\b)[^>]*>")
            .expect("the block-tag pattern compiles")
    });
    re.split(html).filter(|b| !b.trim().is_empty()).collect()
}

/// Letters and digits only, lower case: for presence checks that ignore layout.
fn alnum(text: &str) -> String {
    flatten(text).chars().filter(|c| *c != ' ').collect()
}

/// NFKC, entities decoded, letters and digits kept in lower case, everything else a single
/// space.
fn flatten(text: &str) -> String {
    flatten_case(text, true)
}

/// Text as markings are counted in: flattened with its case kept.
fn marking_text(text: &str) -> String {
    flatten_case(text, false)
}

/// Text with every tag removed and nothing in its place.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn flatten_case(text: &str, lower: bool) -> String {
    let decoded = decode_entities(text);
    let mut out = String::with_capacity(decoded.len());
    let mut space = false;
    for_each_nfkc(&decoded, |c| {
        let c = skeleton(c);
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            if !lower {
                out.push(c);
            } else if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else if !matches!(
            c,
            '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
        ) {
            space = true;
        }
    });
    out
}

fn words(flat: &str) -> Vec<&str> {
    flat.split(' ').filter(|w| !w.is_empty()).collect()
}

/// Hashes of every run of [`SHINGLE`] words (none in a shorter text: the distinctive tokens
/// cover those). FNV-1a per word, combined per run: fast, and collisions only risk a refusal.
fn shingles<'a>(words: &'a [&str]) -> impl Iterator<Item = u64> + 'a {
    let hashes: Vec<u64> = words
        .iter()
        .map(|w| {
            w.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
        })
        .collect();
    (0..hashes.len().saturating_sub(SHINGLE - 1)).map(move |i| {
        hashes[i..i + SHINGLE]
            .iter()
            .fold(0x9E37_79B9_7F4A_7C15_u64, |h, w| {
                (h.rotate_left(23) ^ w).wrapping_mul(0xBF58_476D_1CE4_E5B9)
            })
    })
}

fn count_markings(flat: &str, config: &Classifications) -> usize {
    // Flattened text has no dashes: "OFFICIAL-SENSITIVE" reads "OFFICIAL SENSITIVE", which
    // the tiers' patterns accept.
    config
        .tiers
        .iter()
        .filter(|t| t.sensitive)
        .map(|t| t.anywhere.find_iter(flat).count())
        .max()
        .unwrap_or(0)
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

/// The visible text of an HTML page: tags removed, entities decoded.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
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

    const SOURCE: &str = "Title\n\nPublic text about the project.\n\nPart 2\n\nOFFICIAL-SENSITIVE [COMMERCIAL]\n\nThe preferred bidder Halberd Secure Systems offered £1,284,560 for the first year.\n";

    #[test]
    fn a_faithful_release_passes() {
        let r = [removal(SOURCE, "The preferred")];
        let kept = &SOURCE[..r[0].range.start];
        let md = format!("{kept}\nNOTICE text\n");
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
        let r = [removal(SOURCE, "The preferred")];
        let kept = &SOURCE[..r[0].range.start];
        let md = format!("{kept}\nNOTICE text\n");
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

    #[test]
    fn a_marking_in_an_attribute_is_caught() {
        let md = "Public\n";
        let html = "<p title=\"OFFICIAL&#8209;SENSITIVE\">Public</p>";
        let e = Evidence {
            source: md,
            removals: &[],
            notice: "",
            markdown: md,
            html,
        };
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
            let e = Evidence {
                source: md,
                removals: &[],
                notice: "",
                markdown: md,
                html: &html,
            };
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
        let e = Evidence {
            source: md,
            removals: &[],
            notice: "",
            markdown: md,
            html: &html,
        };
        assert_eq!(verify(&e, &config()), []);
    }

    #[test]
    fn a_block_missing_from_the_page_is_caught() {
        let md = "First paragraph.\n\n- item *one*\n\nLast paragraph.\n";
        let e = Evidence {
            source: md,
            removals: &[],
            notice: "",
            markdown: md,
            html: "<p>First paragraph.</p><ul><li>item <em>one</em></li></ul>",
        };
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

//! Verify: an independent check of the finished outputs before anything is written.
//!
//! It does not trust the classifier or the redactor, and shares no code with them: this
//! crate cannot name the redactor's (tests/architecture.rs proves it), so no change to the
//! redactor can blind both at once. From the source, the list of removed spans and the
//! finished outputs alone, each check, one function each with its own code, proves that:
//!
//! - [`check_faithful`]: the public Markdown is the source minus the removed spans, then the
//!   notice, and nothing else (so no public text was lost or rewritten and no withheld byte
//!   was kept) [`Code::MarkdownNotFaithful`];
//! - [`check_markings`]: no sensitive marking stands in the Markdown or the HTML (text,
//!   attributes, comments) but the marking closing the kept part, where the Part 2 marking
//!   belongs [`Code::MarkingInOutput`];
//! - [`check_hidden`]: nothing hidden or active is published: no HTML comment in the
//!   Markdown, and nothing in the page off the allow-list of [`allow`] [`Code::ActiveHtml`];
//! - [`check_complete`]: the text of every block of the public Markdown is in the page
//!   [`Code::PageIncomplete`];
//! - [`check_withheld`]: no fingerprint of the withheld text (runs of six words, amounts, long
//!   numbers, URLs, e-mail addresses, capitalised names) that the public part does not also
//!   carry appears in the Markdown or the HTML [`Code::WithheldTextInOutput`].
//!
//! For an audit, [`withheld()`] finds a source's withheld part by the verifier's own
//! recognition and looks for its fingerprints in any output ([`Withheld::leaks_into`]).
//!
//! [`index()`] checks the release index the same way, and proves that it links to every
//! published page and nothing else and that no title of a report that was not published
//! stands in it; [`titles`] reads the titles a report may go by from its source.
//!
//! Pages are read by html5ever's tokenizer ([`html`]), Markdown with the verifier's own
//! parser options ([`markdown`]), text compared in the verifier's own folded form ([`text`]),
//! markings found by its own detector ([`marking`]).

pub mod allow;
mod disguise;
mod fingerprint;
pub mod html;
mod index;
pub mod markdown;
pub mod marking;
#[cfg(test)]
mod samples;
pub mod text;
mod titles;
mod withheld;

use std::borrow::Cow;
use std::cell::OnceCell;

use mopac_types::reason::Code;
use mopac_types::{Removal, RemovalKind};

use fingerprint::{Tokens, U64Set, Words, distinctive, holds};
use html::{Page, decoded};
use marking::{Detector, Markings};
use text::{flat, flatten, lower, marking_text};

pub use index::{Published, index, index_read};
pub use titles::titles;
pub use withheld::{Output, Reach, Withheld, withheld};

/// A problem found in a finished output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// "markdown", "html", "index" or "name" (the release name, [`check_name`]).
    pub output: &'static str,
    /// 1-based source line the finding points at (a withheld line, or 0).
    pub line: usize,
    /// The check that failed.
    pub code: Code,
    /// What is wrong, without quoting the report.
    pub message: String,
}

/// What the verifier is told besides the outputs: plain data from the configuration, which
/// it compiles and applies itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// Patterns of the configuration's sensitive tiers, case-insensitive, matched on folded
    /// text where every run of dashes and spaces reads as one space. They are checked beside
    /// the verifier's built-in markings (OFFICIAL-SENSITIVE, TOP SECRET, SECRET).
    pub sensitive_patterns: Vec<String>,
    /// Patterns of sensitive markings that count only as a paragraph of their own (an older
    /// scheme's RESTRICTED or CONFIDENTIAL, words running text also uses), case-insensitive:
    /// such a paragraph marks where the withheld part starts ([`withheld()`]).
    pub line_patterns: Vec<String>,
}

/// Everything the check looks at.
pub struct Evidence<'a> {
    /// The source, without its byte-order mark.
    pub source: &'a str,
    pub removals: &'a [Removal],
    /// The generated notice (empty without Part 2); `None` when it is not known (an audit of
    /// a release on disk): the notice is then what follows the kept text in the Markdown,
    /// and is checked like any other published text, never taken for public text.
    pub notice: Option<&'a str>,
    pub markdown: &'a str,
    pub html: &'a str,
}

/// Checks the outputs; every finding, or none.
pub fn verify(e: &Evidence<'_>, policy: &Policy) -> Vec<Finding> {
    let detector = match Detector::of(policy) {
        Ok(d) => d,
        Err(message) => return vec![finding("markdown", Code::MarkingInOutput, message)],
    };
    let r = Reading::new(e);
    let mut findings = Vec::new();
    findings.extend(check_faithful(&r));
    findings.extend(check_markings(&r, &detector));
    findings.extend(check_page_edges(&r, &detector, policy));
    findings.extend(check_hidden(&r));
    findings.extend(check_complete(&r));
    findings.extend(check_withheld(&r));
    findings
}

/// Checks a report's release name: the path of its outputs without their extension, as the
/// release index links to them ("2025/pcd-1519-bids"). The name is published with the
/// report, so it may hold no sensitive marking (of the built-in ones or the policy's) and
/// no marking word in disguise, read as the report's text is read ("S.E.C.R.E.T-bids",
/// "C.L.A.S.S.I.F.I.E.D-bids" when a configuration adds CLASSIFIED); findings have the
/// output "name" and [`Code::MarkingInOutput`]. Checked before the report is written, it
/// keeps such a report out of the release alone, where the index check would fail the run.
pub fn check_name(stem: &str, policy: &Policy) -> Vec<Finding> {
    let detector = match Detector::of(policy) {
        Ok(d) => d,
        Err(message) => return vec![finding("name", Code::MarkingInOutput, message)],
    };
    let text = marking_text(&decoded(stem));
    if !detector.count_read(&text).is_empty() {
        vec![finding(
            "name",
            Code::MarkingInOutput,
            "a sensitive marking in the report's release name",
        )]
    } else if disguise::found(&text) || detector.disguised(&text) {
        vec![finding(
            "name",
            Code::MarkingInOutput,
            "a marking's word written in disguise in the report's release name (digits, look-alike letters or spaced letters)",
        )]
    } else {
        Vec::new()
    }
}

fn finding(output: &'static str, code: Code, message: impl Into<String>) -> Finding {
    Finding {
        output,
        line: 0,
        code,
        message: message.into(),
    }
}

/// The evidence read once for every check.
struct Reading<'a> {
    e: &'a Evidence<'a>,
    /// The source minus the removed spans.
    kept: String,
    /// The notice: generated, or taken from the Markdown.
    notice: &'a str,
    /// False when the notice was taken from the Markdown.
    notice_trusted: bool,
    /// The Markdown is the kept text and the notice.
    faithful: bool,
    page: Page,
    /// The page's blocks, flattened with their case kept; blank ones left out.
    page_blocks: Vec<String>,
    /// The same in lower case, made once for the checks that compare words.
    page_blocks_lower: Vec<String>,
    /// Everything the page carries as text, flattened with its case kept.
    whole_page: String,
    /// The page with its tags read as nothing, flattened, where a tag stands inside a word.
    untagged_page: Option<String>,
    md: markdown::Blocks,
    kept_text: String,
    notice_text: String,
}

impl<'a> Reading<'a> {
    fn new(e: &'a Evidence<'a>) -> Self {
        let kept = kept(e);
        let (notice, notice_trusted) = match e.notice {
            Some(n) => (n, true),
            None => (notice_in(e.markdown, &kept), false),
        };
        let faithful = faithful(e, &kept, notice, notice_trusted);
        let page = html::read(e.html);
        let page_blocks: Vec<String> = page
            .blocks
            .iter()
            .map(|b| marking_text(b))
            .filter(|b| !b.is_empty())
            .collect();
        let page_blocks_lower = page_blocks.iter().map(|b| lower(b)).collect();
        let whole_page = marking_text(&decoded(&page.whole));
        let untagged_page = page.tag_inside_a_word.then(|| marking_text(&page.untagged));
        Reading {
            e,
            kept_text: marking_text(&decoded(&kept)),
            notice_text: marking_text(&decoded(notice)),
            md: markdown::blocks(e.markdown),
            kept,
            notice,
            notice_trusted,
            faithful,
            page,
            page_blocks,
            page_blocks_lower,
            whole_page,
            untagged_page,
        }
    }
}

/// The source minus the removed spans.
fn kept(e: &Evidence<'_>) -> String {
    let mut kept = String::with_capacity(e.source.len());
    let mut at = 0;
    for r in e.removals {
        kept.push_str(&e.source[at..r.range.start]);
        at = r.range.end;
    }
    kept.push_str(&e.source[at..]);
    kept
}

/// The notice of a Markdown checked without one ([`Evidence::notice`] `None`): what follows
/// the source minus `removals` in `markdown`, its leading line breaks aside.
pub fn notice_of<'m>(source: &str, removals: &[Removal], markdown: &'m str) -> &'m str {
    let e = Evidence {
        source,
        removals,
        notice: None,
        markdown,
        html: "",
    };
    notice_in(markdown, &kept(&e))
}

/// True when every word of a notice read from a Markdown stands in the public part (the
/// source minus `removals`) or in `wording` (the configuration's notice texts and the
/// exemptions it cites): such a notice carries nothing of the withheld part that the public
/// part does not, so it may be read as the tool's own. A notice with any other word is not.
pub fn notice_is_known(source: &str, removals: &[Removal], notice: &str, wording: &[&str]) -> bool {
    let e = Evidence {
        source,
        removals,
        notice: None,
        markdown: "",
        html: "",
    };
    let public = flatten(&decoded(&kept(&e)));
    let config = flatten(&wording.join(" "));
    let known: std::collections::HashSet<&str> = text::words(&public)
        .into_iter()
        .chain(text::words(&config))
        .collect();
    text::words(&flatten(&decoded(notice)))
        .iter()
        .all(|w| known.contains(w))
}

/// What follows the kept text in `markdown`, its leading line breaks aside; empty when the
/// Markdown does not start with the kept text.
fn notice_in<'m>(markdown: &'m str, kept: &str) -> &'m str {
    markdown
        .strip_prefix(kept)
        .map_or("", |rest| rest.trim_start_matches(['\r', '\n']))
}

/// The Markdown is the kept text, then at most four line breaks, then the notice. A notice
/// taken from the Markdown must stand exactly where Part 2 was withheld, and have a notice's
/// shape: a first line, then bullets.
fn faithful(e: &Evidence<'_>, kept: &str, notice: &str, trusted: bool) -> bool {
    let Some(rest) = e.markdown.strip_prefix(kept) else {
        return false;
    };
    let after_breaks = rest.trim_start_matches(['\r', '\n']);
    let breaks = rest.len() - after_breaks.len();
    if !trusted {
        let part2 = e.removals.iter().any(|r| r.kind == RemovalKind::Part2);
        return if part2 {
            breaks <= 4 && notice_shaped(notice)
        } else {
            rest.is_empty()
        };
    }
    if notice.is_empty() {
        rest.is_empty()
    } else {
        after_breaks == notice && breaks <= 4
    }
}

/// A heading line, then nothing but bullets and blank lines.
fn notice_shaped(notice: &str) -> bool {
    let mut lines = notice.lines();
    lines.next().is_some_and(|first| !first.trim().is_empty())
        && lines.all(|l| l.trim().is_empty() || l.starts_with("- "))
        && notice.lines().any(|l| l.starts_with("- "))
}

/// The Markdown is the source minus the removed spans, then the notice.
fn check_faithful(r: &Reading<'_>) -> Option<Finding> {
    (!r.faithful).then(|| {
        finding(
            "markdown",
            Code::MarkdownNotFaithful,
            "the public Markdown is not the source minus the withheld lines plus the notice",
        )
    })
}

/// The markings the Part 2 marking statement may hold: those of the last block of the kept
/// text when a notice follows it, read with its tags as text and as nothing (so that
/// "OFFICIAL-SEN<span></span>SITIVE" counts), the larger count of each.
fn allowed_markings(r: &Reading<'_>, detector: &Detector) -> Markings {
    let block = if r.notice.is_empty() {
        ""
    } else {
        last_block(&r.kept)
    };
    detector
        .count_read(&marking_text(&decoded(block)))
        .max(&detector.count_read(&marking_text(&html::read(block).untagged)))
}

/// The last block of `kept`: what follows its last blank line ("\n\n" or "\n\r\n"), its
/// trailing white space aside.
fn last_block(kept: &str) -> &str {
    let trimmed = kept.trim_end();
    // The later of the last "\n\n" and the last "\n\r\n". The latter is looked for only
    // after the former's first byte: one that starts there is the last in the whole text,
    // and when none does, every one starts before the former, which is then the later. (The
    // two cannot start at the same byte.) A text without "\n\n" is searched whole.
    let blank = trimmed.rfind("\n\n");
    let from = blank.map_or(0, |i| i + 1);
    let crlf = trimmed[from..].rfind("\n\r\n").map(|i| from + i);
    let start = blank.into_iter().chain(crlf).max().map_or(0, |i| i + 1);
    &trimmed[start..]
}

/// The Markdown flattened: when faithful, the kept text and the notice joined by a space.
fn markdown_text<'r>(r: &'r Reading<'_>) -> Cow<'r, str> {
    let md = r.e.markdown;
    if r.faithful && r.notice.is_empty() {
        Cow::Borrowed(&r.kept_text)
    } else if r.faithful && md[r.kept.len()..].starts_with(['\r', '\n']) {
        Cow::Owned(
            [r.kept_text.as_str(), r.notice_text.as_str()]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        )
    } else {
        Cow::Owned(marking_text(&decoded(md)))
    }
}

/// Sensitive markings, only where the Part 2 marking belongs. Markings are counted with case
/// kept, pattern by pattern, in each reading of each output: the page block by block, whole
/// with its attributes and comments, with its tags read as nothing; the Markdown as written
/// and with its tags read as nothing.
fn check_markings(r: &Reading<'_>, detector: &Detector) -> Vec<Finding> {
    let allowed = allowed_markings(r, detector);
    let mut texts: Vec<(&str, Cow<'_, str>)> = vec![
        ("html", Cow::Owned(r.page_blocks.join(" "))),
        ("html", Cow::Borrowed(&r.whole_page)),
    ];
    texts.extend(
        r.untagged_page
            .as_deref()
            .map(|t| ("html", Cow::Borrowed(t))),
    );
    if r.e.markdown.contains('<') {
        let untagged = marking_text(&html::read(r.e.markdown).untagged);
        texts.push(("markdown", Cow::Owned(untagged)));
    }
    texts.push(("markdown", markdown_text(r)));
    let mut findings: Vec<Finding> = Vec::new();
    for (output, text) in texts {
        if findings.iter().any(|f| f.output == output) {
            continue;
        }
        if !detector.count_read(&text).within(&allowed) {
            findings.push(finding(
                output,
                Code::MarkingInOutput,
                "a sensitive marking outside the Part 2 marking statement",
            ));
        } else if disguise::found(&text) || detector.disguised(&text) {
            findings.push(finding(
                output,
                Code::MarkingInOutput,
                "a marking's word written in disguise (digits, look-alike letters or spaced letters)",
            ));
        }
    }
    findings
}

/// In text from a PDF (it holds form feeds), the first and last lines of each page of the
/// public part, up to the page a paragraph that reads like a Part 2 banner opens, are its
/// running headers and footers: a marking there marks the page, in whatever case the text
/// was extracted ("Secret") and beside a page number ("RESTRICTED      Page 2 of 3"). Each
/// column of such a line (parts set apart by two spaces or a tab) is read in capitals and
/// must hold no sensitive marking, of any pattern, the policy's paragraph-only ones included.
fn check_page_edges(r: &Reading<'_>, detector: &Detector, policy: &Policy) -> Option<Finding> {
    let kept = r.kept.as_str();
    if !kept.contains('\u{c}') {
        return None;
    }
    let lines = match withheld::line_markings(policy) {
        Ok(lines) => lines,
        Err(message) => return Some(finding("markdown", Code::MarkingInOutput, message)),
    };
    // Where the public part ends for this check: the page a banner-like paragraph opens, if
    // only its running header stands between the page's form feed and the banner.
    let banner = kept
        .split("\n\n")
        .scan(0, |at, p| {
            let here = *at;
            *at += p.len() + 2;
            Some((here, p))
        })
        .find(|(_, p)| withheld::banner_like(p))
        .map_or(kept.len(), |(at, p)| at + (p.len() - p.trim_start().len()));
    let limit = match kept[..banner].rfind('\u{c}') {
        Some(ff)
            if kept[ff + 1..banner]
                .lines()
                .filter(|l| !l.trim().is_empty())
                .count()
                <= 1 =>
        {
            ff
        }
        _ => banner,
    };
    for page in kept[..limit].split('\u{c}') {
        let texts: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        let edges = texts.first().into_iter().chain(texts.last());
        for line in edges {
            let marked = line
                .split("  ")
                .flat_map(|c| c.split('\t'))
                .filter(|c| !c.trim().is_empty())
                .any(|cell| {
                    let text = marking_text(&decoded(cell)).to_uppercase();
                    !detector.count_read(&text).is_empty()
                        || lines.iter().any(|re| re.is_match(&text))
                });
            if marked {
                return Some(finding(
                    "markdown",
                    Code::MarkingInOutput,
                    "a sensitive marking in a running header or footer of a public page",
                ));
            }
        }
    }
    None
}

/// Nothing hidden or active: no HTML comment in the Markdown, nothing in the page off the
/// allow-list.
fn check_hidden(r: &Reading<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    if r.md.comment {
        findings.push(finding(
            "markdown",
            Code::ActiveHtml,
            "an HTML comment in the public Markdown",
        ));
    }
    if let Some(problem) = allow::problem(&r.page) {
        findings.push(finding(
            "html",
            Code::ActiveHtml,
            format!("hidden or active HTML in the page: {problem}"),
        ));
    }
    findings
}

/// Every block of the public Markdown is in the page. Blocks come in the page in their
/// Markdown order: the search goes on from the last one found, and only then the whole page.
fn check_complete(r: &Reading<'_>) -> Option<Finding> {
    let mut page = String::with_capacity(r.whole_page.len());
    for block in &r.page_blocks_lower {
        page.extend(block.split(' '));
    }
    let mut from = 0;
    for block in &r.md.texts {
        // The parser has decoded the block's references: its text is what the page shows.
        let text = flat(block, true, false);
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
        // A paragraph of converted text whose lines the page shows as several blocks (a
        // cover's title and meeting line under the page's header, the Part 2 banner as a
        // heading): every line in the page, in order.
        let found = found.or_else(|| {
            let mut at = from;
            for line in block.lines() {
                let line = flat(line, true, false);
                at = page[at..].find(&line).map(|i| at + i + line.len())?;
            }
            from = at;
            Some(at)
        });
        if !text.is_empty() && found.is_none() {
            return Some(finding(
                "html",
                Code::PageIncomplete,
                "a block of the public Markdown is missing from the page",
            ));
        }
    }
    None
}

/// Fingerprints of the withheld text. The public part's fingerprints are taken from its
/// source and from its text as a page shows it (link addresses and list numbers gone), and
/// the page is read block by block, so that words a page brings together across a removed
/// address or a block boundary are not mistaken for withheld text. They come from the source
/// minus the removals (and a generated notice), never from the outputs being checked.
fn check_withheld(r: &Reading<'_>) -> Vec<Finding> {
    let mut public_flats = vec![lower(&r.kept_text)];
    if r.notice_trusted {
        public_flats.push(lower(&r.notice_text));
    }
    let public: Vec<Words<'_>> = public_flats.iter().map(|f| Words::new(f)).collect();
    // The public part's shingles are only taken away from the withheld part's: a list does,
    // where a set of them (several times the withheld part's) was built for every report.
    let public_shingles: Vec<u64> = public.iter().flat_map(Words::shingles).collect();
    // The public blocks' own fingerprints are only needed to clear a candidate: they are read
    // when one is found. When the Markdown is faithful its blocks are the public part's (and
    // the notice's, when it was generated); otherwise they are taken from the source.
    let block_flats: OnceCell<Vec<String>> = OnceCell::new();
    let public_blocks = || {
        block_flats.get_or_init(|| {
            let blocks = if r.faithful && r.notice_trusted {
                r.md.texts.clone()
            } else {
                markdown::blocks(&r.kept).texts
            };
            blocks.iter().map(|b| flatten(b)).collect()
        })
    };
    // A faithful Markdown with a generated notice is the public part and the notice, nothing
    // else: only the page can carry withheld text then. Otherwise the Markdown is read too
    // (a notice taken from the Markdown, at least).
    let md_flat = match (r.faithful, r.notice_trusted) {
        (true, true) => String::new(),
        (true, false) => flatten(&decoded(r.notice)),
        (false, _) => flatten(&decoded(r.e.markdown)),
    };
    // The page is read block by block, then whole with its attributes (a title or alt text
    // is shown too), then with its tags read as nothing ("Hal<span></span>berd").
    let page_flats: Vec<String> = [&r.whole_page]
        .into_iter()
        .chain(r.untagged_page.as_ref())
        .map(|t| lower(t))
        .collect();
    let outputs: [(&'static str, Vec<Words<'_>>); 2] = [
        ("markdown", vec![Words::new(&md_flat)]),
        (
            "html",
            r.page_blocks_lower
                .iter()
                .chain(&page_flats)
                .map(|f| Words::new(f))
                .collect(),
        ),
    ];
    let mut findings = Vec::new();
    for removal in r.e.removals.iter().filter(|r| r.kind == RemovalKind::Part2) {
        let withheld = &r.e.source[removal.range.clone()];
        let withheld_flat = flatten(&decoded(withheld));
        let mut secret: U64Set = Words::new(&withheld_flat).shingles().collect();
        for h in &public_shingles {
            secret.remove(h);
        }
        let token_flats: Vec<String> = distinctive(withheld)
            .iter()
            .map(|t| flatten(&decoded(t)))
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
                let (first, last) = removal.lines;
                findings.push(Finding {
                    output,
                    line: first,
                    code: Code::WithheldTextInOutput,
                    message: format!(
                        "text withheld at lines {first}-{last} appears in the {output}"
                    ),
                });
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests;

//! The check of the release index, before it is written.
//!
//! The index of a large release is larger than a run may hold (50,000 reports give some
//! 15 MB of HTML, and several times that read), so it is read in parts as it comes from its
//! file ([`index_read`]), through the same tokenizer as every page, and each check keeps
//! only what it needs: the first problem of the allow-list, a window of the text for the
//! marking detector (as long as its longest marking, repeated from one part to the next, so
//! that no marking is cut in two), a digest of each published page's address, and the last
//! few words for the titles of reports not published. [`index`] reads an index in memory
//! the same way.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Read};
use std::sync::Arc;

use mopac_types::names::{STYLESHEET_FILE, href};
use mopac_types::reason::Code;
use sha2::{Digest, Sha256};

use crate::html::{self, Page, decoded};
use crate::marking::Detector;
use crate::text::{flatten, marking_text, words};
use crate::{Finding, Policy, allow, finding};

/// The published pages an index must list: each page's release-relative path and its
/// report's title, given in the same order every time they are asked for.
pub trait Published {
    /// Calls `f` with every published page and its title.
    fn each(&self, f: &mut dyn FnMut(&str, &str)) -> io::Result<()>;
}

impl Published for &[(&str, &str)] {
    fn each(&self, f: &mut dyn FnMut(&str, &str)) -> io::Result<()> {
        for (path, title) in self.iter() {
            f(path, title);
        }
        Ok(())
    }
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
    policy: &Policy,
) -> Vec<Finding> {
    index_read(html.as_bytes(), &published, hidden_titles, policy)
        .expect("an index in memory reads")
}

/// [`index`] of the index `html` reads, in bounded memory whatever its size. An error when
/// it cannot be read, or is not UTF-8.
pub fn index_read(
    mut html: impl Read,
    published: &dyn Published,
    hidden_titles: &[&str],
    policy: &Policy,
) -> io::Result<Vec<Finding>> {
    let mut check = Check::new(published, hidden_titles, policy)?;
    let mut stream = html::Stream::default();
    let mut chunk = vec![0; 64 * 1024];
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let n = match html.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        pending.extend_from_slice(&chunk[..n]);
        // A character cut by the chunk waits for the rest of it.
        let valid = match std::str::from_utf8(&pending) {
            Ok(text) => text.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => return Err(not_utf8()),
        };
        let text = std::str::from_utf8(&pending[..valid]).map_err(|_| not_utf8())?;
        check.part(stream.feed(text));
        pending.drain(..valid);
    }
    if !pending.is_empty() {
        return Err(not_utf8());
    }
    check.part(stream.end());
    check.finish(published)
}

fn not_utf8() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "the index is not UTF-8")
}

/// A page address as the link check holds it: the first half of its SHA-256, so that a
/// release's every address is not held (a collision would take a forged second preimage).
type Target = [u8; 16];

fn target(address: &str) -> Target {
    let digest = Sha256::digest(address.as_bytes());
    let mut t = [0; 16];
    t.copy_from_slice(&digest[..16]);
    t
}

/// What the checks keep of the index read so far.
struct Check {
    comments: usize,
    /// The first element off the allow-list.
    element_problem: Option<&'static str>,
    detector: Option<Arc<Detector>>,
    /// The text of the blocks, and everything the page carries as text.
    blocks_text: Window,
    whole_text: Window,
    /// The published pages' addresses, sorted, each with whether an anchor links to it.
    published: Vec<(Target, bool)>,
    /// Links to what is not a published page, in the order they stand.
    not_allowed: Vec<Finding>,
    titles: Titles,
}

impl Check {
    fn new(published: &dyn Published, hidden: &[&str], policy: &Policy) -> io::Result<Self> {
        let mut targets = Vec::new();
        published.each(&mut |path, _| targets.push((target(&href(path)), false)))?;
        targets.sort_unstable();
        Ok(Check {
            comments: 0,
            element_problem: None,
            detector: Detector::of(policy).ok(),
            blocks_text: Window::default(),
            whole_text: Window::default(),
            published: targets,
            not_allowed: Vec::new(),
            titles: Titles::new(hidden),
        })
    }

    /// The published pages with the address `t`.
    fn published_at(&mut self, t: &Target) -> &mut [(Target, bool)] {
        let from = self.published.partition_point(|(p, _)| p < t);
        let to = self.published.partition_point(|(p, _)| p <= t);
        &mut self.published[from..to]
    }

    /// One part of the page, as [`html::Stream`] gives it.
    fn part(&mut self, part: Page) {
        self.comments += part.comments;
        for e in &part.elements {
            if self.element_problem.is_none() {
                self.element_problem = allow::element_problem(e);
            }
            for (name, value) in &e.attrs {
                if !matches!(name.as_str(), "href" | "src") {
                    continue;
                }
                let own = value == "#main-content" || value == STYLESHEET_FILE;
                if !own && self.published_at(&target(value)).is_empty() {
                    self.not_allowed.push(finding(
                        "index",
                        Code::IndexLinkNotAllowed,
                        format!("the index links to {value}, which is not a published page"),
                    ));
                }
            }
            if e.name == "a"
                && let Some(value) = e.attr("href")
            {
                for p in self.published_at(&target(value)) {
                    p.1 = true;
                }
            }
        }
        if let Some(d) = &self.detector {
            for block in &part.blocks {
                self.blocks_text.push(&marking_text(block), d);
            }
            self.whole_text
                .push(&marking_text(&decoded(&part.whole)), d);
        }
        for block in &part.blocks {
            for word in words(&flatten(&decoded(block))) {
                self.titles.word(word);
            }
        }
    }

    fn finish(mut self, published: &dyn Published) -> io::Result<Vec<Finding>> {
        let mut findings = Vec::new();
        let problem = if self.comments > 0 {
            Some("a comment")
        } else {
            self.element_problem
        };
        if let Some(problem) = problem {
            findings.push(finding(
                "index",
                Code::ActiveHtml,
                format!("hidden or active HTML in the index ({problem})"),
            ));
        }
        // A pattern that does not compile finds a marking everywhere: fail closed.
        let marked = match &self.detector {
            Some(d) => self.blocks_text.end(d) || self.whole_text.end(d),
            None => true,
        };
        if marked {
            findings.push(finding(
                "index",
                Code::MarkingInOutput,
                "a sensitive marking in the index",
            ));
        }
        findings.append(&mut self.not_allowed);
        let mut unlinked = Vec::new();
        let mut titles = self.titles;
        let leaked = titles.leaked();
        published.each(&mut |path, title| {
            let t = target(&href(path));
            let from = self.published.partition_point(|(p, _)| p < &t);
            if !self
                .published
                .get(from)
                .is_some_and(|(p, linked)| *p == t && *linked)
            {
                unlinked.push(finding(
                    "index",
                    Code::IndexPageNotLinked,
                    format!("the index does not link to {path}"),
                ));
            }
            if leaked {
                titles.clear_listed(title);
            }
        })?;
        findings.append(&mut unlinked);
        if titles.leaked() {
            findings.push(finding(
                "index",
                Code::UnpublishedTitleInIndex,
                "the title of a report that was not published stands in the index",
            ));
        }
        Ok(findings)
    }
}

/// Flattened text read in parts, searched for markings a window at a time: each window
/// repeats the end of the one before, long enough for the longest marking and the
/// characters either side of it, so that a marking is found exactly as in the whole text.
/// With a pattern of no bound the text is searched whole.
#[derive(Default)]
struct Window {
    text: String,
    /// Where in `text` the markings not yet searched for may start.
    from: usize,
    /// Any text was given (parts are joined by a space, as blocks are).
    started: bool,
    found: bool,
}

impl Window {
    /// Past this length a window is searched and cut.
    const SIZE: usize = 64 * 1024;

    fn push(&mut self, flat: &str, d: &Detector) {
        if flat.is_empty() || self.found {
            return;
        }
        if self.started {
            self.text.push(' ');
        }
        self.started = true;
        self.text.push_str(flat);
        let Some(longest) = d.longest() else {
            return;
        };
        // A marking starting before `before` ends, with the character after it, in the text.
        let margin = longest + 8;
        if self.text.len() < Self::SIZE + margin {
            return;
        }
        let before = floor_boundary(&self.text, self.text.len() - margin);
        if d.any_starting(&self.text, self.from, before) {
            self.found = true;
            return;
        }
        // The character before the next window's first start stays, as context.
        let keep = floor_boundary(&self.text, before.saturating_sub(8));
        self.text.drain(..keep);
        self.from = before - keep;
    }

    fn end(&self, d: &Detector) -> bool {
        self.found || d.any_starting(&self.text, self.from, usize::MAX)
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The titles of reports not published, as runs of words, looked for in the index's words as
/// they come.
struct Titles {
    /// Each title of two words or more.
    needles: Vec<Vec<String>>,
    /// The titles by their last word.
    by_last: HashMap<String, Vec<usize>>,
    /// The last words read, as many as the longest title has.
    recent: VecDeque<String>,
    longest: usize,
    /// The titles found, not yet cleared by a published title that holds the same words.
    found: Vec<bool>,
}

impl Titles {
    fn new(hidden: &[&str]) -> Self {
        let needles: Vec<Vec<String>> = hidden
            .iter()
            .map(|t| as_words(t))
            .filter(|w| w.len() >= 2)
            .collect();
        let mut by_last: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in needles.iter().enumerate() {
            by_last.entry(n[n.len() - 1].clone()).or_default().push(i);
        }
        Titles {
            longest: needles.iter().map(Vec::len).max().unwrap_or(0),
            found: vec![false; needles.len()],
            needles,
            by_last,
            recent: VecDeque::new(),
        }
    }

    fn word(&mut self, word: &str) {
        if self.needles.is_empty() {
            return;
        }
        if self.recent.len() == self.longest {
            self.recent.pop_front();
        }
        self.recent.push_back(word.to_string());
        let Some(ids) = self.by_last.get(word) else {
            return;
        };
        for &i in ids {
            let needle = &self.needles[i];
            let n = needle.len();
            if self.recent.len() >= n && self.recent.range(self.recent.len() - n..).eq(needle) {
                self.found[i] = true;
            }
        }
    }

    /// A published title that holds a found title's words clears it.
    fn clear_listed(&mut self, title: &str) {
        let listed = format!(" {} ", as_words(title).join(" "));
        for (i, needle) in self.needles.iter().enumerate() {
            if self.found[i] && listed.contains(&format!(" {} ", needle.join(" "))) {
                self.found[i] = false;
            }
        }
    }

    fn leaked(&self) -> bool {
        self.found.iter().any(|&f| f)
    }
}

/// A text's words as titles are compared: decoded, flattened, in lower case.
fn as_words(text: &str) -> Vec<String> {
    words(&flatten(&decoded(text)))
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives a few bytes at a time, cutting characters and tags anywhere.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// An index far larger than the windows the marking detector searches, with a marking at
    /// `at` (a listing), read in small pieces.
    fn large_index(marking_at: Option<usize>, listings: usize) -> (String, Vec<String>) {
        let mut html = String::from(
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<title>Reports</title>\n</head>\n<body>\n<main id=\"main-content\">\n<ol>\n",
        );
        let mut pages = Vec::new();
        for i in 0..listings {
            let page = format!("{:04}/report-{i:05}.html", 2014 + i % 10);
            let title = if Some(i) == marking_at {
                "Custody CCTV OFFICIAL-SENSITIVE Renewal".to_string()
            } else {
                format!("Custody CCTV renewal number {i} – £{i},000")
            };
            html.push_str(&format!(
                "<li><a class=\"report-link\" href=\"{}\">{title}</a>\n<dl><div><dt>Reference</dt> <dd>PCD {i}</dd></div></dl></li>\n",
                href(&page)
            ));
            pages.push(page);
        }
        html.push_str("</ol>\n</main>\n</body>\n</html>\n");
        (html, pages)
    }

    fn check(html: &str, pages: &[String], piece: usize) -> Vec<Finding> {
        let published: Vec<(&str, &str)> = pages.iter().map(|p| (p.as_str(), "")).collect();
        let published = published.as_slice();
        index_read(
            Trickle(html.as_bytes(), piece),
            &published,
            &[],
            &Policy::default(),
        )
        .unwrap()
    }

    /// Wherever a marking stands in a large index, read in pieces of any size, it is found,
    /// as it is in the index read whole; a clean index passes.
    #[test]
    fn a_marking_anywhere_in_a_large_index_read_in_pieces_is_found() {
        let listings = 3000;
        let (clean, pages) = large_index(None, listings);
        assert!(clean.len() > 4 * 64 * 1024);
        assert_eq!(check(&clean, &pages, 997), Vec::new());
        for at in [0, 1, 700, 1499, 2999] {
            let (html, pages) = large_index(Some(at), listings);
            for piece in [1 << 16, 997] {
                let findings = check(&html, &pages, piece);
                assert!(
                    findings.iter().any(|f| f.code == Code::MarkingInOutput),
                    "marking at listing {at}, pieces of {piece}: {findings:?}"
                );
            }
        }
    }

    /// A page left out of a large index, or a link to one not published, is found.
    #[test]
    fn a_large_index_links_to_every_published_page_and_nothing_else() {
        let (html, mut pages) = large_index(None, 2000);
        let left_out = pages.remove(1234);
        let findings = check(&html, &pages, 4096);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code, Code::IndexLinkNotAllowed);
        pages.push("2024/not-listed.html".into());
        let findings = check(&html, &pages, 4096);
        assert!(
            findings.iter().any(|f| f.code == Code::IndexPageNotLinked
                && f.message.contains("2024/not-listed.html"))
        );
        assert!(
            !findings
                .iter()
                .any(|f| f.message.contains(&left_out) && f.code == Code::IndexPageNotLinked)
        );
    }

    /// A title of a report not published is found across the index's blocks, unless a
    /// published title holds the same words.
    #[test]
    fn an_unpublished_title_in_a_large_index_is_found() {
        let (html, pages) = large_index(None, 2000);
        let published: Vec<(&str, &str)> = pages.iter().map(|p| (p.as_str(), "")).collect();
        let published = published.as_slice();
        let read = |hidden: &[&str], listed: &[(&str, &str)]| {
            index_read(
                Trickle(html.as_bytes(), 3000),
                &listed,
                hidden,
                &Policy::default(),
            )
            .unwrap()
        };
        let found = read(&["renewal number 1999"], published);
        assert!(
            found
                .iter()
                .any(|f| f.code == Code::UnpublishedTitleInIndex)
        );
        assert!(read(&["renewal number 20000"], published).is_empty());
        let mut cleared = published.to_vec();
        cleared[0].1 = "A renewal number 1999 form";
        assert!(read(&["renewal number 1999"], &cleared).is_empty());
    }

    /// Pushes `text` to a window in runs of `n` words, as parts come.
    fn searched(text: &str, n: usize) -> bool {
        let d = Detector::of(&Policy::default()).unwrap();
        let mut w = Window::default();
        let words: Vec<&str> = text.split(' ').collect();
        for run in words.chunks(n) {
            w.push(&run.join(" "), &d);
        }
        w.end(&d)
    }

    /// Wherever a window is cut, a marking across the cut is found, and a word that only
    /// holds a marking's letters ("XSECRET", "SECRETARY") is never taken for one.
    #[test]
    fn a_window_cut_anywhere_finds_what_the_whole_text_holds() {
        for at in Window::SIZE - 48..Window::SIZE + 48 {
            let filler = "a".repeat(at % 2 + 1) + &" ab".repeat(at / 3);
            let tail = " cd".repeat(8_000);
            let marked = format!("{filler} OFFICIAL SENSITIVE{tail}");
            let touched = format!("{filler} XSECRET SECRETARY{tail}");
            for n in [1, 7, 500] {
                assert!(searched(&marked, n), "marking at {at}, runs of {n}");
                assert!(!searched(&touched, n), "no marking at {at}, runs of {n}");
            }
        }
    }
}

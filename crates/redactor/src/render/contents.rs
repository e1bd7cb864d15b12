//! The contents list of a page and the anchors of its section headings.
//!
//! GOV.UK HTML publications open with a contents list that links to each section. A page
//! does the same: every heading of the body gets an id made from its text, and the headings
//! of level 1 and 2 are listed by that text, then Part 2 by the wording of `document.yaml`.
//!
//! An id is an ASCII slug of the heading's text ("Legal Comments" gives `legal-comments`),
//! unique within the page: a second "Background" is `background-2`, and a slug that is one of
//! the page's own anchors (`main-content`, `contents`, `part-2`, `exemption-notice`, a
//! footnote's `fn-1` or `note-ref-1`) becomes `section-…`. Ids that raw HTML in the report
//! carries are taken before any heading is named.
//!
//! Safety: a heading's text is taken from the heading as the page shows it, the same public
//! Markdown events rendered (and, in a report with raw HTML, cleaned) as the heading itself,
//! so an id or a contents entry carries nothing the heading does not show. The withheld part
//! is not in the public Markdown, and the front matter (only its published lines remain) is
//! never a heading.

use std::collections::HashSet;

use pulldown_cmark::{Event, html};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::{escape, superscript_digit};
use crate::html::{Kind, read};
use crate::normalize::is_invisible;

/// The page's own anchors, which no heading may take.
const OWN: [&str; 4] = ["main-content", "contents", "part-2", "exemption-notice"];

/// The longest slug made from a heading's text, before a number that makes it unique.
const MAX_SLUG: usize = 80;

/// A heading the contents list links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub id: String,
    pub text: String,
}

/// The ids given so far on a page, and the entries of its contents list.
#[derive(Debug, Default)]
pub(super) struct Anchors {
    taken: HashSet<String>,
    pub entries: Vec<Entry>,
}

impl Anchors {
    /// Anchors for a page whose public Markdown is `markdown`; `raw_html` when it holds raw
    /// HTML, whose ids and names are taken first (the cleaner keeps them).
    pub fn new(markdown: &str, raw_html: bool) -> Self {
        let mut taken = HashSet::new();
        if raw_html {
            // The whole Markdown read as HTML: text that only looks like a tag (in code) can
            // only take an id that no heading needed.
            for token in read(markdown) {
                if let Kind::Tag(tag) = token.kind {
                    taken.extend(
                        tag.attrs
                            .into_iter()
                            .filter(|(name, _)| name == "id" || name == "name")
                            .map(|(_, value)| value),
                    );
                }
            }
        }
        Anchors {
            taken,
            entries: Vec::new(),
        }
    }

    /// The id of a body heading of level `level` whose events (start to end) are `events`,
    /// listed in the contents when its level is 1 or 2 and it shows some text.
    pub fn heading(&mut self, events: &[Event<'_>], level: u8, raw_html: bool) -> String {
        let text = heading_text(events, raw_html);
        let id = self.unique(&slug(&text));
        if level <= 2 && !text.is_empty() {
            self.entries.push(Entry {
                id: id.clone(),
                text,
            });
        }
        id
    }

    /// `base`, or `base-2`, `base-3`, … : the first that is free; never one of the page's
    /// own anchors.
    fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else if OWN.contains(&base) || footnote_anchor(base) {
            format!("section-{base}")
        } else {
            base.to_string()
        };
        let mut id = base.clone();
        let mut n = 1;
        while self.taken.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.taken.insert(id.clone());
        id
    }
}

/// True for an id the footnotes of a page use: `fn-1`, `fn-ref-1`, `fn-ref-1-2`, `note-1`,
/// `note-ref-1`, `note-ref-1-2`.
fn footnote_anchor(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("fn-").or_else(|| id.strip_prefix("note-")) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match rest.strip_prefix("ref-") {
        Some(r) => match r.split_once('-') {
            Some((n, k)) => digits(n) && digits(k),
            None => digits(r),
        },
        None => digits(rest),
    }
}

/// The text a heading shows: its inline events rendered as the page renders them (cleaned
/// when the report holds raw HTML), read back as text; footnote references and trailing
/// superscript markers left out, white space collapsed.
fn heading_text(events: &[Event<'_>], raw_html: bool) -> String {
    let inner = events
        .get(1..events.len().saturating_sub(1))
        .unwrap_or_default();
    let inline = inner
        .iter()
        .filter(|e| !matches!(e, Event::FootnoteReference(_)))
        .cloned();
    let mut shown = String::new();
    html::push_html(&mut shown, inline);
    if raw_html {
        shown = super::sanitiser().clean(&shown).to_string();
    }
    let text: String = read(&shown)
        .into_iter()
        .filter_map(|t| match t.kind {
            Kind::Text(s) => Some(s),
            _ => None,
        })
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.trim_end_matches(|c| superscript_digit(c).is_some())
        .trim_end()
        .to_string()
}

/// An ASCII slug of `text`: letters and digits in lower case (accents dropped, compatibility
/// forms decomposed), every other run of characters one `-`; characters of other scripts,
/// invisible ones and superscript markers dropped. At most [`MAX_SLUG`] bytes, cut at a `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    let mut push = |d: char, out: &mut String| {
        if d.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(d.to_ascii_lowercase());
        } else if !(is_combining_mark(d) || is_invisible(d) || d.is_alphanumeric()) {
            // Letters of other scripts, accents and invisible characters join; anything else
            // (spaces, punctuation, dashes) separates.
            gap = true;
        }
    };
    for c in text.chars() {
        if superscript_digit(c).is_some() {
            continue;
        }
        decompose_compatible(c, |d| push(d, &mut out));
    }
    if out.len() > MAX_SLUG {
        let cut = out[..=MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
        out.truncate(cut);
    }
    out
}

/// The contents list: a navigation landmark named by its heading, a link to each entry.
pub(super) fn list(entries: &[Entry], title: &str) -> String {
    let items: String = entries
        .iter()
        .map(|e| format!("<li><a href=\"#{}\">{}</a></li>\n", e.id, escape(&e.text)))
        .collect();
    format!(
        "<nav class=\"contents-list\" aria-labelledby=\"contents\">\n\
         <h2 id=\"contents\">{}</h2>\n<ol>\n{items}</ol>\n</nav>\n",
        escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_follow_the_words() {
        assert_eq!(slug("Legal Comments"), "legal-comments");
        assert_eq!(slug("EXECUTIVE SUMMARY"), "executive-summary");
        assert_eq!(
            slug("Contributes to the MOPAC Police & Crime Plan 2022-25¹"),
            "contributes-to-the-mopac-police-crime-plan-2022-25"
        );
        assert_eq!(
            slug("Background/supporting papers"),
            "background-supporting-papers"
        );
        assert_eq!(slug("Équipe café – ﬁnance"), "equipe-cafe-finance");
        assert_eq!(slug("ca\u{200B}se 2022–25"), "case-2022-25");
        assert_eq!(slug("Рart"), "art");
        assert_eq!(slug("目录"), "");
        let long = slug(&"word ".repeat(30));
        assert!(long.len() <= MAX_SLUG && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn ids_are_unique_and_never_the_pages_own() {
        let mut a = Anchors::default();
        assert_eq!(a.unique("background"), "background");
        assert_eq!(a.unique("background"), "background-2");
        assert_eq!(a.unique("background"), "background-3");
        assert_eq!(a.unique("part-2"), "section-part-2");
        assert_eq!(a.unique("contents"), "section-contents");
        assert_eq!(a.unique("fn-1"), "section-fn-1");
        assert_eq!(a.unique("note-ref-1-2"), "section-note-ref-1-2");
        assert_eq!(a.unique("fn-1-2"), "fn-1-2");
        assert_eq!(a.unique(""), "section");
        assert_eq!(a.unique(""), "section-2");
        let raw = Anchors::new("<a id=\"recommendations\"></a>\n", true);
        let mut raw = raw;
        assert_eq!(raw.unique("recommendations"), "recommendations-2");
    }
}

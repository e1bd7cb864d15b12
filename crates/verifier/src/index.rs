//! The check of the release index, before it is written.

use std::collections::HashSet;

use mopac_types::names::{STYLESHEET_FILE, href};
use mopac_types::reason::Code;

use crate::html::{self, Page, decoded};
use crate::marking::Detector;
use crate::text::{flatten, marking_text, words};
use crate::{Finding, Policy, allow, finding};

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
    let page = html::read(html);
    let mut findings = Vec::new();
    if let Some(problem) = allow::problem(&page) {
        findings.push(finding(
            "index",
            Code::ActiveHtml,
            format!("hidden or active HTML in the index ({problem})"),
        ));
    }
    findings.extend(markings(&page, policy));
    findings.extend(links(&page, published));
    findings.extend(unpublished_titles(&page, published, hidden_titles));
    findings
}

/// No sensitive marking in the index's text, its attributes or its comments.
fn markings(page: &Page, policy: &Policy) -> Option<Finding> {
    let found = match Detector::of(policy) {
        Ok(d) => {
            !d.count(&marking_text(&page.blocks.join(" "))).is_empty()
                || !d.count(&marking_text(&decoded(&page.whole))).is_empty()
        }
        Err(_) => true,
    };
    found.then(|| {
        finding(
            "index",
            Code::MarkingInOutput,
            "a sensitive marking in the index",
        )
    })
}

/// A link to every published page, and to nothing else but the page's own anchor and the
/// stylesheet.
fn links(page: &Page, published: &[(&str, &str)]) -> Vec<Finding> {
    let allowed: HashSet<String> = published
        .iter()
        .map(|(p, _)| href(p))
        .chain(["#main-content".to_string(), STYLESHEET_FILE.to_string()])
        .collect();
    let targets: Vec<&str> = page
        .elements
        .iter()
        .flat_map(|e| &e.attrs)
        .filter(|(name, _)| matches!(name.as_str(), "href" | "src"))
        .map(|(_, value)| value.as_str())
        .collect();
    let mut findings = Vec::new();
    for target in &targets {
        if !allowed.contains(*target) {
            findings.push(finding(
                "index",
                Code::IndexLinkNotAllowed,
                format!("the index links to {target}, which is not a published page"),
            ));
        }
    }
    for (path, _) in published {
        let target = href(path);
        let linked = page
            .elements
            .iter()
            .any(|e| e.name == "a" && e.attr("href") == Some(target.as_str()));
        if !linked {
            findings.push(finding(
                "index",
                Code::IndexPageNotLinked,
                format!("the index does not link to {path}"),
            ));
        }
    }
    findings
}

/// No title of a report not published. Titles are compared as words, so that punctuation or
/// markup cannot hide one. A one-word title is not compared: the index's own wording
/// ("Reference", "Date") would refuse a whole release for a report whose first line is such
/// a word.
fn unpublished_titles(
    page: &Page,
    published: &[(&str, &str)],
    hidden_titles: &[&str],
) -> Option<Finding> {
    let as_words = |text: &str| format!(" {} ", words(&flatten(&decoded(text))).join(" "));
    let listed: Vec<String> = published.iter().map(|(_, title)| as_words(title)).collect();
    let page_words = as_words(&page.blocks.join(" "));
    let leaked = hidden_titles.iter().any(|title| {
        let needle = as_words(title);
        needle.split_whitespace().count() >= 2
            && page_words.contains(&needle)
            && !listed.iter().any(|l| l.contains(&needle))
    });
    leaked.then(|| {
        finding(
            "index",
            Code::UnpublishedTitleInIndex,
            "the title of a report that was not published stands in the index",
        )
    })
}

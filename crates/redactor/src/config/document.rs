//! `document.yaml`: how a report is read apart from its banners and markings (front matter,
//! page footnotes, jigsaw warnings) and how the web release presents it.

use std::collections::BTreeSet;

use regex::Regex;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::File;
use super::context::{Context, Text};
use super::diag::Code;

/// The keys the tool reads from a report's front matter.
pub const FRONT_MATTER_KEYS: [&str; 7] = [
    "title",
    "reference",
    "date",
    "meeting",
    "author",
    "classification",
    "publish_after",
];

/// Front matter keys that decide whether a report is published: they are never published
/// themselves.
const GOVERNING_KEYS: [&str; 2] = ["classification", "publish_after"];

/// `document.yaml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDocument {
    front_matter: RawFrontMatter,
    footnote: Text,
    jigsaw_ignore: Vec<String>,
    page: RawPage,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    publish: Vec<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    issuer: Text,
    marking: Text,
    reference: Text,
    section_titles: Vec<RawSectionTitle>,
    published: Text,
    licence: Text,
    contents: RawContents,
    facts: RawFacts,
    index: RawIndex,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContents {
    title: Text,
    part2: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFacts {
    reference: Text,
    meeting: Text,
    date: Text,
    not_given: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSectionTitle {
    pattern: Text,
    level: Option<Spanned<u8>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndex {
    title: Text,
    not_listed: Text,
    withheld: Text,
    deferred: Text,
    quarantined: Text,
}

/// How a report is read and presented, validated.
#[derive(Debug, Clone)]
pub struct Document {
    /// The front matter keys published, as their original lines.
    pub front_matter_publish: BTreeSet<String>,
    /// A page-footer footnote, matched on a block's text as written.
    pub footnote: Regex,
    /// Words that do not make a name identifying (compared case-insensitively).
    pub jigsaw_ignore: BTreeSet<String>,
    /// The web release's wording and presentation rules.
    pub page: Page,
}

/// A section title the page presents as a heading (see `document.yaml`, `page.section_titles`).
#[derive(Debug, Clone)]
pub struct SectionTitle {
    /// Matches the whole of a paragraph's folded text.
    pub regex: Regex,
    /// The heading level, 2 to 6.
    pub level: u8,
}

/// The wording of the release index.
#[derive(Debug, Clone)]
pub struct IndexWording {
    pub title: String,
    pub not_listed: String,
    /// Templates with the placeholder `{n}`.
    pub withheld: String,
    pub deferred: String,
    pub quarantined: String,
}

/// The wording of a page's contents list.
#[derive(Debug, Clone)]
pub struct ContentsWording {
    /// The list's heading, which names its `nav` landmark.
    pub title: String,
    /// The entry for Part 2 (its banner is a sentence, and may hold the marking statement).
    pub part2: String,
}

/// The labels of a report's facts, on its page and in the index.
#[derive(Debug, Clone)]
pub struct FactsWording {
    pub reference: String,
    pub meeting: String,
    pub date: String,
    /// The value of a fact a report does not give.
    pub not_given: String,
}

/// How the web release presents a report (`document.yaml`, `page`).
#[derive(Debug, Clone)]
pub struct Page {
    pub issuer: String,
    pub marking: String,
    /// A reference code, matched case-sensitively on the cover's text as written.
    pub reference: Regex,
    pub section_titles: Vec<SectionTitle>,
    /// The line saying when the release published a page, with the placeholder `{date}`.
    pub published: String,
    /// The licence line of every page and of the index, with the optional placeholder
    /// `{year}`; empty for none.
    pub licence: String,
    pub contents: ContentsWording,
    pub facts: FactsWording,
    pub index: IndexWording,
}

impl File for RawDocument {
    const NAME: &'static str = "document.yaml";
    const BUILT_IN: &'static str = include_str!("../../../../classifications/document.yaml");
    type Section = Document;

    fn validate(self, ctx: &mut Context) -> Document {
        Document {
            front_matter_publish: front_matter_publish(ctx, &self.front_matter.publish),
            footnote: ctx.regex(&self.footnote),
            jigsaw_ignore: self
                .jigsaw_ignore
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            page: page(ctx, self.page),
        }
    }
}

fn front_matter_publish(ctx: &mut Context, keys: &[Text]) -> BTreeSet<String> {
    let mut publish = BTreeSet::new();
    for key in keys {
        if !FRONT_MATTER_KEYS.contains(&key.value.as_str()) {
            ctx.error(
                key,
                Code::FrontMatterKey,
                format!(
                    "unknown front matter key '{}'; expected one of {}",
                    key.value,
                    FRONT_MATTER_KEYS.join(", ")
                ),
            );
        }
        if GOVERNING_KEYS.contains(&key.value.as_str()) {
            ctx.error(
                key,
                Code::FrontMatterKey,
                format!("'{}' governs publication and is never published", key.value),
            );
        }
        publish.insert(key.value.clone());
    }
    publish
}

fn page(ctx: &mut Context, page: RawPage) -> Page {
    for text in [
        &page.index.withheld,
        &page.index.deferred,
        &page.index.quarantined,
    ] {
        ctx.template(text, &["n"]);
    }
    ctx.template(&page.published, &["date"]);
    if !page.published.value.contains("{date}") {
        ctx.error(
            &page.published,
            Code::MissingPlaceholder,
            "the published line must hold the placeholder {date}",
        );
    }
    ctx.template(&page.licence, &["year"]);
    for text in [
        &page.issuer,
        &page.marking,
        &page.index.title,
        &page.contents.title,
        &page.contents.part2,
        &page.facts.reference,
        &page.facts.meeting,
        &page.facts.date,
        &page.facts.not_given,
    ] {
        if text.value.trim().is_empty() {
            ctx.error(text, Code::EmptyText, "this page wording may not be empty");
        }
    }
    Page {
        reference: ctx.pattern(&page.reference, &page.reference.value, false),
        section_titles: page
            .section_titles
            .iter()
            .map(|t| section_title(ctx, t))
            .collect(),
        issuer: page.issuer.value,
        marking: page.marking.value,
        published: page.published.value,
        licence: page.licence.value,
        contents: ContentsWording {
            title: page.contents.title.value,
            part2: page.contents.part2.value,
        },
        facts: FactsWording {
            reference: page.facts.reference.value,
            meeting: page.facts.meeting.value,
            date: page.facts.date.value,
            not_given: page.facts.not_given.value,
        },
        index: IndexWording {
            title: page.index.title.value,
            not_listed: page.index.not_listed.value,
            withheld: page.index.withheld.value,
            deferred: page.index.deferred.value,
            quarantined: page.index.quarantined.value,
        },
    }
}

fn section_title(ctx: &mut Context, t: &RawSectionTitle) -> SectionTitle {
    let regex = ctx.pattern(&t.pattern, &format!("^(?:{})$", t.pattern.value), true);
    let level = match &t.level {
        None => 2,
        Some(l) if (2..=6).contains(&l.value) => l.value,
        Some(l) => {
            ctx.error(
                l,
                Code::OutOfRange,
                format!(
                    "a section title's level must be 2 to 6 (1 is the report's title), not {}",
                    l.value
                ),
            );
            2
        }
    };
    SectionTitle { regex, level }
}

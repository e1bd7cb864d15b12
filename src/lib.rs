//! mopac-redact: publishes MOPAC reports without their restricted part.
//!
//! Every report goes one way through the stages, each a module:
//!
//! ```text
//! input -> (read) -> markdown::segment -> classify -> redact -> render -> verify -> release
//! ```
//!
//! [`process`] runs one report through them and never fails: whatever goes wrong, a panic
//! included, ends as a quarantined [`manifest::DocumentEntry`] with no output. [`run`]
//! processes a batch in parallel and in a deterministic order; [`release::write`] writes the
//! result. Nothing is written for a report unless the independent check in [`verify`] passed
//! on its finished outputs.

pub mod audit;
pub mod classify;
pub mod config;
pub mod front_matter;
pub mod input;
pub mod jigsaw;
pub mod manifest;
pub mod markdown;
pub mod marking;
pub mod normalize;
pub mod reason;
pub mod redact;
pub mod release;
pub mod render;
pub mod verify;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use jiff::civil::Date;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::classify::{Classified, Verdict};
use crate::config::Classifications;
use crate::input::Input;
use crate::manifest::{DocumentEntry, Manifest, Status, WithheldSpan};
use crate::markdown::Lines;
use crate::reason::{Code, Reason};
use crate::redact::RemovalKind;

/// The tool's name and version, as the manifest records it.
pub const GENERATOR: &str = concat!("mopac-redact ", env!("CARGO_PKG_VERSION"));

const BOM: &str = "\u{FEFF}";

/// A processed report: its manifest entry and, when published, its files.
#[derive(Debug, Clone)]
pub struct Processed {
    pub entry: DocumentEntry,
    /// Release-relative path and contents of each output.
    pub outputs: Vec<(String, Vec<u8>)>,
    /// How the release index lists it, when published.
    pub listing: Option<render::Listing>,
    /// The titles a report that is not published may go by (never written anywhere): the
    /// check of the release index proves none of them is in it.
    pub unpublished_titles: Vec<String>,
}

/// `sha256:` of some bytes.
pub fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

fn entry(source: &str, bytes: &[u8], status: Status, reasons: Vec<Reason>) -> DocumentEntry {
    DocumentEntry {
        source: source.to_string(),
        status,
        sha256: sha256(bytes),
        title: None,
        reference: None,
        marking: None,
        exemptions: Vec::new(),
        publish_after: None,
        reasons,
        warnings: Vec::new(),
        outputs: Vec::new(),
        withheld: Vec::new(),
    }
}

/// Runs `work` for the report `source`, turning a panic into a quarantine.
pub fn guarded(source: &str, bytes: &[u8], work: impl FnOnce() -> Processed) -> Processed {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| Processed {
        entry: entry(
            source,
            bytes,
            Status::Quarantined,
            vec![Reason::new(
                Code::Panic,
                0,
                "the tool failed while processing this report",
            )],
        ),
        outputs: Vec::new(),
        listing: None,
        unpublished_titles: Vec::new(),
    })
}

/// Processes one report. `source` names it in the manifest; `release_stem` is where its
/// outputs go ("a/b" gives "a/b.md" and "a/b.html").
pub fn process(
    source: &str,
    bytes: &[u8],
    release_stem: &str,
    config: &Classifications,
    as_of: Date,
) -> Processed {
    guarded(source, bytes, || {
        process_unguarded(source, bytes, release_stem, config, as_of)
    })
}

fn quarantined(source: &str, bytes: &[u8], reasons: Vec<Reason>) -> Processed {
    not_published(
        entry(source, bytes, Status::Quarantined, reasons),
        Vec::new(),
    )
}

fn not_published(entry: DocumentEntry, titles: Vec<String>) -> Processed {
    Processed {
        entry,
        outputs: Vec::new(),
        listing: None,
        unpublished_titles: titles,
    }
}

fn process_unguarded(
    source: &str,
    bytes: &[u8],
    release_stem: &str,
    config: &Classifications,
    as_of: Date,
) -> Processed {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            return quarantined(
                source,
                bytes,
                vec![Reason::new(
                    Code::NotUtf8,
                    line,
                    "the file is not valid UTF-8",
                )],
            );
        }
    };
    let (bom, body) = match text.strip_prefix(BOM) {
        Some(body) => (BOM, body),
        None => ("", text),
    };
    if body.trim().is_empty() {
        return quarantined(
            source,
            bytes,
            vec![Reason::new(Code::Empty, 0, "the file holds no report")],
        );
    }
    let lines = Lines::new(body);
    let segments = match markdown::segment(body) {
        Ok(segments) => segments,
        Err(s) => {
            return quarantined(
                source,
                bytes,
                vec![Reason::new(
                    Code::ParseSurprise,
                    lines.line(s.at),
                    s.message,
                )],
            );
        }
    };
    let classified = match classify::classify(body, &segments, &lines, config) {
        Verdict::Publish(c) => c,
        Verdict::Withhold(reason) => {
            return not_published(
                entry(source, bytes, Status::Withheld, vec![reason]),
                classify::title_hints(body, &segments, config),
            );
        }
        Verdict::Quarantine(reasons) => {
            return not_published(
                entry(source, bytes, Status::Quarantined, reasons),
                classify::title_hints(body, &segments, config),
            );
        }
    };
    let mut titles = classify::title_hints(body, &segments, config);
    titles.extend(classified.title.clone());

    let redacted = redact::redact(body, &classified, &lines, config);
    let page_title = classified.title.clone().unwrap_or_else(|| {
        release_stem
            .rsplit('/')
            .next()
            .unwrap_or(release_stem)
            .to_string()
    });
    let details = render::details(
        &page_title,
        classified.front_matter.as_ref(),
        &redacted.markdown,
        &redacted.layout,
        config,
    );
    let html = render::page(
        &details,
        &redacted.markdown,
        &redacted.layout,
        release_stem,
        config,
    );
    let findings = verify::verify(
        &verify::Evidence {
            source: body,
            removals: &redacted.removals,
            notice: &redacted.notice,
            markdown: &redacted.markdown,
            html: &html,
        },
        config,
    );
    if !findings.is_empty() {
        let reasons = findings
            .into_iter()
            .map(|f| {
                Reason::new(
                    Code::VerifyFailed,
                    f.line,
                    format!("check of the {} failed: {}", f.output, f.message),
                )
            })
            .collect();
        return not_published(entry(source, bytes, Status::Quarantined, reasons), titles);
    }

    if let Some(fm) = &classified.front_matter
        && let Some(due) = fm.publish_after.filter(|&due| due > as_of)
    {
        // Nothing about the report's content goes in the manifest before its date.
        let reason = Reason::new(
            Code::Deferred,
            fm.line_of("publish_after"),
            format!("publication deferred until {due}"),
        );
        let mut e = entry(source, bytes, Status::Deferred, vec![reason]);
        e.publish_after = Some(due.to_string());
        return not_published(e, titles);
    }
    let mut e = entry(source, bytes, Status::Published, Vec::new());
    describe(&mut e, &classified, &redacted);
    e.warnings = jigsaw::warnings(
        body,
        &redacted.removals,
        &lines,
        classified.title.as_deref(),
        config,
    );
    let md_path = format!("{release_stem}.md");
    let html_path = format!("{release_stem}.html");
    e.outputs = vec![md_path.clone(), html_path.clone()];
    Processed {
        entry: e,
        outputs: vec![
            (md_path, format!("{bom}{}", redacted.markdown).into_bytes()),
            (html_path.clone(), html.into_bytes()),
        ],
        listing: Some(render::Listing {
            page: html_path,
            details,
        }),
        unpublished_titles: Vec::new(),
    }
}

/// Fills an entry with what the redaction did.
fn describe(e: &mut DocumentEntry, classified: &Classified, redacted: &redact::Redacted) {
    e.title = classified.title.clone();
    e.reference = classified
        .front_matter
        .as_ref()
        .and_then(|f| f.reference.clone());
    if let Some(part2) = &classified.part2 {
        e.marking = Some(part2.marking.canonical());
        e.exemptions = part2.exemptions.iter().map(|x| x.id.clone()).collect();
    }
    e.withheld = redacted
        .removals
        .iter()
        .map(|r| WithheldSpan {
            kind: match r.kind {
                RemovalKind::Part2 => "part2",
                RemovalKind::FrontMatter => "front-matter",
            },
            lines: [r.lines.0, r.lines.1],
            marking: (r.kind == RemovalKind::Part2)
                .then(|| e.marking.clone())
                .flatten(),
            exemptions: if r.kind == RemovalKind::Part2 {
                e.exemptions.clone()
            } else {
                Vec::new()
            },
            sha256: r.sha256.clone(),
        })
        .collect();
}

/// The result of a batch.
#[derive(Debug, Clone)]
pub struct Batch {
    pub processed: Vec<Processed>,
}

impl Batch {
    /// How many documents ended with `status`.
    pub fn count(&self, status: Status) -> usize {
        self.processed
            .iter()
            .filter(|p| p.entry.status == status)
            .count()
    }

    /// The exit status: 1 when any document was quarantined, else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.count(Status::Quarantined) > 0)
    }

    /// The release this batch makes: every report's outputs, the release index and the
    /// stylesheet, and the manifest listing them all. The index is checked by
    /// [`verify::index`] first; if it fails, there is no release (fail closed: an index
    /// that could name a report not published is never written).
    pub fn release(&self, config: &Classifications, as_of: Date) -> Result<Release, String> {
        let listings: Vec<render::Listing> = self
            .processed
            .iter()
            .filter_map(|p| p.listing.clone())
            .collect();
        let not_listed = render::NotListed {
            withheld: self.count(Status::Withheld),
            deferred: self.count(Status::Deferred),
            quarantined: self.count(Status::Quarantined),
        };
        let index = render::index(&listings, not_listed, as_of, config);
        let hidden: Vec<&str> = self
            .processed
            .iter()
            .flat_map(|p| p.unpublished_titles.iter().map(String::as_str))
            .collect();
        let published: Vec<(&str, &str)> = listings
            .iter()
            .map(|l| (l.page.as_str(), l.details.title.as_str()))
            .collect();
        let findings = verify::index(&index, &published, &hidden, config);
        if !findings.is_empty() {
            let messages: Vec<String> = findings.into_iter().map(|f| f.message).collect();
            return Err(format!(
                "the release index failed its check: {}",
                messages.join("; ")
            ));
        }
        let mut files: Vec<(String, Vec<u8>)> = self
            .processed
            .iter()
            .flat_map(|p| p.outputs.iter().cloned())
            .collect();
        files.push((render::INDEX_FILE.to_string(), index.into_bytes()));
        files.push((
            render::STYLESHEET_FILE.to_string(),
            render::STYLESHEET.as_bytes().to_vec(),
        ));
        let manifest = Manifest {
            generator: GENERATOR.to_string(),
            as_of: as_of.to_string(),
            classifications: config.digest.clone(),
            documents: self.processed.iter().map(|p| p.entry.clone()).collect(),
            files: files
                .iter()
                .map(|(path, bytes)| (path.clone(), sha256(bytes)))
                .collect::<BTreeMap<String, String>>(),
        };
        Ok(Release { files, manifest })
    }
}

/// A whole release: its files (release-relative path, contents) and its manifest.
#[derive(Debug, Clone)]
pub struct Release {
    pub files: Vec<(String, Vec<u8>)>,
    pub manifest: Manifest,
}

/// Processes every input, in parallel; the result is in input order.
pub fn run(inputs: &[Input], config: &Classifications, as_of: Date) -> Batch {
    let mut processed: Vec<Processed> = inputs
        .par_iter()
        .map(|input| {
            let source = input.path.display().to_string();
            match std::fs::read(&input.path) {
                Ok(bytes) => process(&source, &bytes, &input.release_stem, config, as_of),
                Err(e) => quarantined(
                    &source,
                    &[],
                    vec![Reason::new(
                        Code::Unreadable,
                        0,
                        format!("cannot read the file: {}", e.kind()),
                    )],
                ),
            }
        })
        .collect();

    // Two reports released under one name: neither is published.
    let mut by_stem: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, input) in inputs.iter().enumerate() {
        by_stem
            .entry(input.release_stem.to_lowercase())
            .or_default()
            .push(i);
    }
    // A report at the root named `index` would be released over the release index.
    let index_stem = render::INDEX_FILE.trim_end_matches(".html");
    let clashes = by_stem
        .iter()
        .filter(|(stem, v)| v.len() > 1 || stem.as_str() == index_stem);
    for (stem, clash) in clashes {
        let message = if stem == index_stem {
            "its page would be released as index.html, over the release index: rename it"
        } else {
            "another report would be released under the same name"
        };
        for &i in clash {
            let p = &mut processed[i];
            p.outputs.clear();
            p.entry.outputs.clear();
            if let Some(title) = p.entry.title.take() {
                p.unpublished_titles.push(title);
            }
            p.listing = None;
            p.entry.status = Status::Quarantined;
            p.entry
                .reasons
                .push(Reason::new(Code::OutputCollision, 0, message));
        }
    }
    Batch { processed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_quarantines_the_report() {
        let p = guarded("r.md", b"text", || panic!("boom"));
        assert_eq!(p.entry.status, Status::Quarantined);
        assert_eq!(p.entry.reasons[0].code, Code::Panic);
        assert!(p.outputs.is_empty());
        assert!(!serde_json::to_string(&p.entry).unwrap().contains("boom"));
    }
}

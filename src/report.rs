//! One report through the stages: analyse, render, check independently, describe.
//!
//! [`process`] never fails: whatever goes wrong, a panic included, ends as a quarantined
//! [`DocumentEntry`] with no output. Nothing is returned to write unless the independent
//! check of [`verify`] passed on the finished outputs.

use std::panic::{AssertUnwindSafe, catch_unwind};

use jiff::civil::Date;
use mopac_redactor::config::Classifications;
use mopac_redactor::{Analysis, Outcome, analyse, jigsaw, render};
use mopac_types::manifest::{DocumentEntry, Status, WithheldSpan};
use mopac_types::names::{markdown_path, outputs, page_path};
use mopac_types::reason::{Code, Reason};
use mopac_types::{RemovalKind, sha256};
use mopac_verifier as verify;

use crate::review;

/// How the manifest names a report: its path relative to the input given (the file's name
/// for a file given alone), never an absolute path, which would publish the publisher's
/// folders.
pub fn source_name(input: &mopac_redactor::input::Input) -> String {
    match input.path.extension() {
        Some(ext) => format!("{}.{}", input.release_stem, ext.to_string_lossy()),
        None => input.release_stem.clone(),
    }
}

/// A processed report: its manifest entry and, when published, its files.
#[derive(Debug, Clone)]
pub struct Processed {
    pub entry: DocumentEntry,
    /// Release-relative path and contents of each output.
    pub outputs: Vec<(String, Vec<u8>)>,
    /// The withheld part as its own Markdown (see [`review::restricted_part`]), for
    /// `publish --restricted-out`: never part of the release.
    pub restricted: Option<String>,
    /// How the release index lists it, when published.
    pub listing: Option<render::Listing>,
    /// The titles a report that is not published may go by (never written anywhere): the
    /// check of the release index proves none of them is in it.
    pub unpublished_titles: Vec<String>,
}

impl Processed {
    /// A report not published: its entry and the titles the index must not show.
    pub fn not_published(entry: DocumentEntry, titles: Vec<String>) -> Self {
        Processed {
            entry,
            outputs: Vec::new(),
            restricted: None,
            listing: None,
            unpublished_titles: titles,
        }
    }

    /// A report quarantined before it could be read as a report.
    pub fn quarantined(source: &str, bytes: &[u8], reasons: Vec<Reason>) -> Self {
        Self::not_published(
            entry(source, bytes, Status::Quarantined, reasons),
            Vec::new(),
        )
    }
}

/// A bare entry: the report's name, status, digest and reasons.
fn entry(source: &str, bytes: &[u8], status: Status, reasons: Vec<Reason>) -> DocumentEntry {
    DocumentEntry {
        source: source.to_string(),
        status,
        sha256: sha256(bytes),
        markdown_sha256: String::new(),
        title: None,
        reference: None,
        marking: None,
        exemptions: Vec::new(),
        publish_after: None,
        reasons,
        warnings: Vec::new(),
        date: None,
        meeting: None,
        outputs: Vec::new(),
        withheld: Vec::new(),
    }
}

/// Runs `work` for the report `source`, turning a panic into a quarantine.
pub fn guarded(source: &str, bytes: &[u8], work: impl FnOnce() -> Processed) -> Processed {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| {
        let reason = Reason::new(
            Code::Panic,
            0,
            "the tool failed while processing this report",
        );
        Processed::quarantined(source, bytes, vec![reason])
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
    if crate::word::is_word(source) {
        return guarded(source, bytes, || {
            process_word(source, bytes, release_stem, config, as_of)
        });
    }
    let none = mopac_docx::Places::default();
    let report = Report {
        source,
        bytes,
        stem: release_stem,
        places: &none,
    };
    guarded(source, bytes, || report.process(config, as_of))
}

/// A Word report: read into its derived Markdown (refused with the reader's reasons), then
/// processed as that Markdown. Its entry gives the digest of the file given and that of
/// the derived Markdown its withheld lines refer to.
fn process_word(
    source: &str,
    bytes: &[u8],
    stem: &str,
    config: &Classifications,
    as_of: Date,
) -> Processed {
    let converted = match crate::word::convert(bytes, config) {
        Ok(c) => c,
        Err(reasons) => return Processed::quarantined(source, bytes, reasons),
    };
    let markdown = converted.markdown.as_bytes();
    let report = Report {
        source,
        bytes: markdown,
        stem,
        places: &converted.places,
    };
    let mut p = report.process(config, as_of);
    p.entry.sha256 = sha256(bytes);
    p.entry.markdown_sha256 = sha256(markdown);
    p
}

/// The report being processed: how the manifest names it, its bytes, where it is released.
struct Report<'a> {
    source: &'a str,
    bytes: &'a [u8],
    stem: &'a str,
    /// Where a Word report's restricted sections, bookmarks and copying fields stand (see
    /// [`crate::word`]).
    places: &'a mopac_docx::Places,
}

/// A redacted report's page and what it shows of the report.
struct Page {
    details: render::Details,
    html: String,
}

impl Report<'_> {
    fn entry(&self, status: Status, reasons: Vec<Reason>) -> DocumentEntry {
        entry(self.source, self.bytes, status, reasons)
    }

    /// The stages in order: analyse, render, check, then publish or defer.
    fn process(&self, config: &Classifications, as_of: Date) -> Processed {
        let a = match analyse(self.bytes, config) {
            Outcome::Redacted(a) => a,
            Outcome::Withheld(reason, titles) => {
                return Processed::not_published(
                    self.entry(Status::Withheld, vec![reason]),
                    titles,
                );
            }
            Outcome::Quarantined(reasons, titles) => {
                return Processed::not_published(self.entry(Status::Quarantined, reasons), titles);
            }
        };
        // The release name is published as the page's file name and address: it is read
        // as published text is before anything is rendered.
        if let Some(reason) = mopac_redactor::classify::refused_name(self.stem, config) {
            let entry = self.entry(Status::Quarantined, vec![reason]);
            return Processed::not_published(entry, a.titles);
        }
        if let Some(reason) = crate::word::refused(&a, self.places) {
            let entry = self.entry(Status::Quarantined, vec![reason]);
            return Processed::not_published(entry, a.titles);
        }
        let restricted = review::restricted_part(&a, &markdown_path(self.stem), config);
        let page = self.page(&a, as_of, config);
        let findings = check(&a, &page.html, self.stem, config);
        if !findings.is_empty() {
            let entry = self.entry(Status::Quarantined, findings);
            return Processed::not_published(entry, a.titles);
        }
        if let Some(entry) = self.deferral(&a, as_of) {
            return Processed {
                restricted,
                ..Processed::not_published(entry, a.titles)
            };
        }
        Processed {
            restricted,
            ..self.published(&a, page, config)
        }
    }

    /// The page of the redacted report, rendered from its public Markdown, published on
    /// `as_of`.
    fn page(&self, a: &Analysis<'_>, as_of: Date, config: &Classifications) -> Page {
        let page_title = a.classified.title.clone().unwrap_or_else(|| {
            let name = self.stem.rsplit('/').next();
            name.unwrap_or(self.stem).to_string()
        });
        let (markdown, layout) = (&a.redacted.markdown, &a.redacted.layout);
        let front_matter = a.classified.front_matter.as_ref();
        let details = render::details(&page_title, front_matter, markdown, layout, config);
        let html = render::page(&details, markdown, layout, self.stem, as_of, config);
        Page { details, html }
    }

    /// The entry of a report whose `publish_after` is later than `as_of`, if it is one.
    fn deferral(&self, a: &Analysis<'_>, as_of: Date) -> Option<DocumentEntry> {
        let fm = a.classified.front_matter.as_ref()?;
        let due = fm.publish_after.filter(|&due| due > as_of)?;
        // Nothing about the report's content goes in the manifest before its date.
        let reason = Reason::new(
            Code::Deferred,
            fm.line_of("publish_after"),
            format!("publication deferred until {due}"),
        );
        let mut e = self.entry(Status::Deferred, vec![reason]);
        e.publish_after = Some(due);
        Some(e)
    }

    /// The published report: its entry, its Markdown and page, its listing in the index.
    fn published(&self, a: &Analysis<'_>, page: Page, config: &Classifications) -> Processed {
        let mut e = self.entry(Status::Published, Vec::new());
        describe(&mut e, a);
        // What the page and the index show of the report, so that a report carried over to
        // the next release can be listed without being read again.
        e.title = Some(page.details.title.clone());
        e.reference = page.details.reference.clone();
        e.meeting = page.details.meeting.clone();
        e.date = page.details.date;
        e.publish_after = a
            .classified
            .front_matter
            .as_ref()
            .and_then(|f| f.publish_after);
        e.warnings = jigsaw::warnings(
            a.body,
            &a.redacted.removals,
            &a.lines,
            a.classified.title.as_deref(),
            config,
        );
        e.warnings.extend(a.classified.warnings.iter().cloned());
        e.outputs = outputs(self.stem).to_vec();
        let markdown = format!("{}{}", a.bom, a.redacted.markdown);
        Processed {
            entry: e,
            outputs: vec![
                (markdown_path(self.stem), markdown.into_bytes()),
                (page_path(self.stem), page.html.into_bytes()),
            ],
            restricted: None,
            listing: Some(render::Listing {
                page: page_path(self.stem),
                details: page.details,
            }),
            unpublished_titles: Vec::new(),
        }
    }
}

/// The independent check of the finished outputs and of the name they are released under
/// (`stem`): a reason for each finding.
fn check(a: &Analysis<'_>, html: &str, stem: &str, config: &Classifications) -> Vec<Reason> {
    let evidence = verify::Evidence {
        source: a.body,
        removals: &a.redacted.removals,
        notice: Some(&a.redacted.notice),
        markdown: &a.redacted.markdown,
        html,
    };
    let policy = crate::audit::verifier_policy(config);
    let mut findings = verify::check_name(stem, &policy);
    findings.extend(verify::verify(&evidence, &policy));
    findings
        .into_iter()
        .map(|f| {
            Reason::new(
                f.code,
                f.line,
                format!("check of the {} failed: {}", f.output, f.message),
            )
        })
        .collect()
}

/// Fills an entry with what the redaction did.
fn describe(e: &mut DocumentEntry, a: &Analysis<'_>) {
    if let Some(part2) = &a.classified.part2 {
        e.marking = Some(part2.marking.canonical());
        e.exemptions = part2.exemptions.iter().map(|x| x.id.clone()).collect();
    }
    e.withheld = a
        .redacted
        .removals
        .iter()
        .map(|r| {
            let part2 = r.kind == RemovalKind::Part2;
            // Markup is cut out of a line: the manifest says where in it.
            let column = |at: usize| at - a.body[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
            WithheldSpan {
                kind: r.kind,
                lines: [r.lines.0, r.lines.1],
                columns: (r.kind == RemovalKind::Markup)
                    .then(|| [column(r.range.start), column(r.range.end)]),
                marking: part2.then(|| e.marking.clone()).flatten(),
                exemptions: if part2 {
                    e.exemptions.clone()
                } else {
                    Vec::new()
                },
                sha256: r.sha256.clone(),
            }
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The manifest names a report by its path inside the input given.
    #[test]
    fn a_report_is_named_relative_to_its_input() {
        let input = mopac_redactor::input::Input {
            path: "/home/clerk/reports/2025/pcd-1084.md".into(),
            release_stem: "2025/pcd-1084".into(),
        };
        assert_eq!(source_name(&input), "2025/pcd-1084.md");
    }

    #[test]
    fn a_panic_quarantines_the_report() {
        let p = guarded("r.md", b"text", || panic!("boom"));
        assert_eq!(p.entry.status, Status::Quarantined);
        assert_eq!(p.entry.reasons[0].code, Code::Panic);
        assert!(p.outputs.is_empty());
        assert!(!serde_json::to_string(&p.entry).unwrap().contains("boom"));
    }
}

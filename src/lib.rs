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
pub mod release;
pub mod review;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use jiff::civil::Date;
use mopac_redactor::classify::Classified;
use mopac_redactor::config::Classifications;
use mopac_redactor::input::Input;
use mopac_redactor::{Analysis, Outcome, analyse, jigsaw, redact, render};
use mopac_types::manifest::{
    DocumentEntry, ManifestView, PackedDocuments, PackedEntry, Status, WithheldSpan,
};
use mopac_types::reason::{Code, Reason};
use mopac_types::{RemovalKind, sha256};
use mopac_verifier as verify;
use rayon::prelude::*;

/// The tool's name, version and the digest of the sources it was built from (build.rs), as
/// the manifest records it. A release whose manifest names another build is not carried
/// over from: its reports are made and checked afresh.
pub const GENERATOR: &str = concat!(
    "mopac-redact ",
    env!("CARGO_PKG_VERSION"),
    " (source ",
    env!("MOPAC_SOURCE_DIGEST"),
    ")"
);

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
        date: None,
        meeting: None,
        outputs: Vec::new(),
        withheld: Vec::new(),
    }
}

/// Runs `work` for the report `source`, turning a panic into a quarantine.
pub fn guarded(source: &str, bytes: &[u8], work: impl FnOnce() -> Processed) -> Processed {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| Processed {
        listing: None,
        unpublished_titles: Vec::new(),
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
        restricted: None,
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
        restricted: None,
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
    let a = match analyse(bytes, config) {
        Outcome::Redacted(a) => a,
        Outcome::Withheld(reason, titles) => {
            return not_published(entry(source, bytes, Status::Withheld, vec![reason]), titles);
        }
        Outcome::Quarantined(reasons, titles) => {
            return not_published(entry(source, bytes, Status::Quarantined, reasons), titles);
        }
    };
    let md_path = format!("{release_stem}.md");
    let restricted = review::restricted_part(&a, &md_path, config);
    let Analysis {
        bom,
        body,
        lines,
        classified,
        redacted,
        titles,
    } = *a;
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
            notice: Some(&redacted.notice),
            markdown: &redacted.markdown,
            html: &html,
        },
        &audit::verifier_policy(config),
    );
    if !findings.is_empty() {
        let reasons = findings
            .into_iter()
            .map(|f| {
                Reason::new(
                    f.code,
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
        return Processed {
            restricted,
            ..not_published(e, titles)
        };
    }
    let mut e = entry(source, bytes, Status::Published, Vec::new());
    describe(&mut e, &classified, &redacted);
    // What the page and the index show of the report, so that a report carried over to the
    // next release can be listed without being read again.
    e.title = Some(details.title.clone());
    e.reference = details.reference.clone();
    e.meeting = details.meeting.clone();
    e.date = details.date.map(|d| d.to_string());
    e.publish_after = classified
        .front_matter
        .as_ref()
        .and_then(|f| f.publish_after)
        .map(|d| d.to_string());
    e.warnings = jigsaw::warnings(
        body,
        &redacted.removals,
        &lines,
        classified.title.as_deref(),
        config,
    );
    let html_path = format!("{release_stem}.html");
    e.outputs = vec![md_path.clone(), html_path.clone()];
    Processed {
        entry: e,
        outputs: vec![
            (md_path, format!("{bom}{}", redacted.markdown).into_bytes()),
            (html_path.clone(), html.into_bytes()),
        ],
        restricted,
        listing: Some(render::Listing {
            page: html_path,
            details,
        }),
        unpublished_titles: Vec::new(),
    }
}

/// Fills an entry with what the redaction did.
fn describe(e: &mut DocumentEntry, classified: &Classified, redacted: &redact::Redacted) {
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
                RemovalKind::OrphanedDefinition => "orphaned-definition",
            }
            .to_string(),
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

/// A report carried over from the previous release: its entry and its files (path,
/// `sha256:`).
pub type Carried = (DocumentEntry, Vec<(String, String)>);

/// Where a batch's outputs go as each report is finished, so that no more than a few reports
/// are held in memory at once.
pub trait Destination: Sync {
    /// Writes one release file.
    fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Writes one restricted part (`publish --restricted-out`); never part of the release.
    fn put_restricted(&self, rel: &str, text: &str) -> std::io::Result<()>;
    /// The previous release's entry for an unchanged report (`bytes`, released under
    /// `stem`), its files carried into the new release; `None` when the report must be
    /// processed. The bytes are hashed only when there is an entry to compare them with.
    fn reuse(&self, source: &str, bytes: &[u8], stem: &str) -> std::io::Result<Option<Carried>>;
}

/// A destination that keeps nothing: `check`.
pub struct Discard;

impl Destination for Discard {
    fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    fn put_restricted(&self, _: &str, _: &str) -> std::io::Result<()> {
        Ok(())
    }
    fn reuse(&self, _: &str, _: &[u8], _: &str) -> std::io::Result<Option<Carried>> {
        Ok(None)
    }
}

/// The result of a batch.
#[derive(Debug, Clone)]
pub struct Batch {
    /// One entry per input, in input order, packed (see [`Batch::entries`]).
    pub packed: Vec<PackedEntry>,
    /// Every release file written or carried over, with its `sha256:`.
    pub files: BTreeMap<String, String>,
    /// How many reports were carried over unchanged from the previous release.
    pub reused: usize,
    /// How the release index lists each published report.
    pub listings: Vec<render::Listing>,
    /// Titles of the reports not published, which the index must not show.
    pub hidden_titles: Vec<String>,
}

impl Batch {
    /// How many documents ended with `status`.
    pub fn count(&self, status: Status) -> usize {
        self.packed.iter().filter(|e| e.status == status).count()
    }

    /// Each input's entry, in input order.
    pub fn entries(&self) -> impl Iterator<Item = DocumentEntry> + '_ {
        self.packed.iter().map(PackedEntry::unpack)
    }

    /// The entries of the documents that ended with `status`, in input order.
    pub fn entries_with(&self, status: Status) -> impl Iterator<Item = DocumentEntry> + '_ {
        self.packed
            .iter()
            .filter(move |e| e.status == status)
            .map(PackedEntry::unpack)
    }

    /// The exit status: 1 when any document was quarantined, else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.count(Status::Quarantined) > 0)
    }

    /// The release index and the stylesheet, after the index passed [`verify::index`]; an
    /// error when it did not (fail closed: an index that could name a report not published
    /// is never written).
    pub fn index(
        &self,
        config: &Classifications,
        as_of: Date,
    ) -> Result<Vec<(String, Vec<u8>)>, String> {
        let not_listed = render::NotListed {
            withheld: self.count(Status::Withheld),
            deferred: self.count(Status::Deferred),
            quarantined: self.count(Status::Quarantined),
        };
        let index = render::index(&self.listings, not_listed, as_of, config);
        let hidden: Vec<&str> = self.hidden_titles.iter().map(String::as_str).collect();
        let published: Vec<(&str, &str)> = self
            .listings
            .iter()
            .map(|l| (l.page.as_str(), l.details.title.as_str()))
            .collect();
        let findings = verify::index(&index, &published, &hidden, &audit::verifier_policy(config));
        if !findings.is_empty() {
            let messages: Vec<String> = findings.into_iter().map(|f| f.message).collect();
            return Err(format!(
                "the release index failed its check: {}",
                messages.join("; ")
            ));
        }
        Ok(vec![
            (render::INDEX_FILE.to_string(), index.into_bytes()),
            (
                render::STYLESHEET_FILE.to_string(),
                render::STYLESHEET.as_bytes().to_vec(),
            ),
        ])
    }

    /// Records files written beside the reports' own (the index and the stylesheet).
    pub fn add_files(&mut self, files: &[(String, Vec<u8>)]) {
        for (path, bytes) in files {
            self.files.insert(path.clone(), sha256(bytes));
        }
    }

    /// The manifest of the release this batch makes, borrowing the batch.
    pub fn manifest<'a>(&'a self, config: &'a Classifications, as_of: Date) -> ManifestView<'a> {
        ManifestView {
            generator: GENERATOR,
            as_of: as_of.to_string(),
            classifications: &config.digest,
            documents: PackedDocuments(&self.packed),
            files: &self.files,
        }
    }
}

/// Processes every input in parallel, handing each report's outputs to `dest` as soon as it
/// is finished; `done` is called once per report. The result is in input order. A write
/// error stops the batch: nothing may be released half-written.
pub fn run(
    inputs: &[Input],
    config: &Classifications,
    as_of: Date,
    dest: &dyn Destination,
    done: &(dyn Fn(&DocumentEntry) + Sync),
) -> std::io::Result<Batch> {
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
    let clashing: std::collections::BTreeMap<usize, &str> = by_stem
        .iter()
        .filter(|(stem, v)| v.len() > 1 || stem.as_str() == index_stem)
        .flat_map(|(stem, v)| {
            let why = if stem == index_stem {
                "its page would be released as index.html, over the release index: rename it"
            } else {
                "another report would be released under the same name"
            };
            v.iter().map(move |&i| (i, why))
        })
        .collect();

    let results: Vec<Finished<PackedEntry>> = inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| {
            let source = input.path.display().to_string();
            let bytes = match std::fs::read(&input.path) {
                Ok(bytes) => bytes,
                Err(e) => {
                    let reason = Reason::new(
                        Code::Unreadable,
                        0,
                        format!("cannot read the file: {}", e.kind()),
                    );
                    return Ok(Finished::from(quarantined(&source, &[], vec![reason])).done(done));
                }
            };
            if let Some(why) = clashing.get(&i) {
                let reason = Reason::new(Code::OutputCollision, 0, *why);
                return Ok(Finished::from(quarantined(&source, &bytes, vec![reason])).done(done));
            }
            // The reuse check and the processing run under one guard: a panic in either
            // quarantines this report and the batch goes on. Writing is outside it: a failure
            // to write stops the batch, since a release may not be half-written.
            let mut carried = None;
            let p = guarded(&source, &bytes, || {
                match dest.reuse(&source, &bytes, &input.release_stem) {
                    Ok(Some(c)) => {
                        let entry = c.0.clone();
                        carried = Some(Ok(c));
                        not_published(entry, Vec::new())
                    }
                    Ok(None) => process(&source, &bytes, &input.release_stem, config, as_of),
                    Err(e) => {
                        carried = Some(Err(e));
                        quarantined(&source, &bytes, Vec::new())
                    }
                }
            });
            match carried {
                Some(Ok((entry, files))) if p.entry.status == Status::Published => {
                    let listing = listing_of(&entry);
                    return Ok(Finished {
                        entry,
                        files,
                        listing,
                        hidden: Vec::new(),
                        reused: true,
                    }
                    .done(done));
                }
                Some(Err(e)) => return Err(e),
                _ => {}
            }
            for (rel, out) in &p.outputs {
                dest.put(rel, out)?;
            }
            if let Some(text) = &p.restricted {
                dest.put_restricted(&format!("{}.md", input.release_stem), text)?;
            }
            Ok(Finished::from(p).done(done))
        })
        .collect::<std::io::Result<_>>()?;

    let mut batch = Batch {
        packed: Vec::with_capacity(results.len()),
        files: BTreeMap::new(),
        reused: 0,
        listings: Vec::new(),
        hidden_titles: Vec::new(),
    };
    for f in results {
        batch.packed.push(f.entry);
        batch.files.extend(f.files);
        batch.reused += usize::from(f.reused);
        batch.listings.extend(f.listing);
        batch.hidden_titles.extend(f.hidden);
    }
    Ok(batch)
}

/// One report of a batch, finished: what the batch keeps of it once its files are written.
/// Its entry as made (`DocumentEntry`), then as the batch keeps it (packed) until the
/// manifest and the index are written.
struct Finished<E = DocumentEntry> {
    entry: E,
    /// Release-relative path and `sha256:` of each of its files.
    files: Vec<(String, String)>,
    listing: Option<render::Listing>,
    hidden: Vec<String>,
    /// Carried over from the previous release.
    reused: bool,
}

impl From<Processed> for Finished {
    fn from(p: Processed) -> Self {
        Finished {
            files: p
                .outputs
                .iter()
                .map(|(rel, bytes)| (rel.clone(), sha256(bytes)))
                .collect(),
            entry: p.entry,
            listing: p.listing,
            hidden: p.unpublished_titles,
            reused: false,
        }
    }
}

impl Finished {
    /// Reports the report done and packs its entry: what the batch keeps of it.
    fn done(self, done: &(dyn Fn(&DocumentEntry) + Sync)) -> Finished<PackedEntry> {
        done(&self.entry);
        Finished {
            entry: PackedEntry::pack(&self.entry),
            files: self.files,
            listing: self.listing,
            hidden: self.hidden,
            reused: self.reused,
        }
    }
}

/// How the index lists a report carried over from the previous release, from its entry.
fn listing_of(entry: &DocumentEntry) -> Option<render::Listing> {
    let page = entry.outputs.iter().find(|o| o.ends_with(".html"))?;
    Some(render::Listing {
        page: page.clone(),
        details: render::Details {
            title: entry.title.clone().unwrap_or_default(),
            reference: entry.reference.clone(),
            meeting: entry.meeting.clone(),
            date: entry.date.as_deref().and_then(|d| d.parse().ok()),
        },
    })
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

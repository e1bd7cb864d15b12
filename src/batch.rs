//! A batch: every report of a run processed in parallel, its outputs handed to a
//! [`Destination`] as each is finished, the result in input order.
//!
//! One bad report never stops the others: it is quarantined. A write error stops the batch,
//! since nothing may be released half-written.

use std::collections::BTreeMap;

use jiff::civil::Date;
use mopac_redactor::config::Classifications;
use mopac_redactor::input::Input;
use mopac_redactor::render;
use mopac_types::manifest::{DocumentEntry, ManifestView, PackedDocuments, PackedEntry, Status};
use mopac_types::names::{INDEX_FILE, STYLESHEET_FILE, markdown_path, page_path};
use mopac_types::reason::{Code, Reason};
use mopac_types::sha256;
use mopac_verifier as verify;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::generator::GENERATOR;
use crate::report::{Processed, guarded, process};

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

/// A destination borrowed is the destination.
impl<D: Destination + ?Sized> Destination for &D {
    fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        (**self).put(rel, bytes)
    }
    fn put_restricted(&self, rel: &str, text: &str) -> std::io::Result<()> {
        (**self).put_restricted(rel, text)
    }
    fn reuse(&self, source: &str, bytes: &[u8], stem: &str) -> std::io::Result<Option<Carried>> {
        (**self).reuse(source, bytes, stem)
    }
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

/// A report's jigsaw warnings: the approver's, kept with the run's private state and never
/// in the release (see [`crate::release`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warned {
    /// The report, as its entry names it.
    pub source: String,
    /// `sha256:` of the report's bytes: the warnings hold while they are unchanged.
    pub sha256: String,
    pub warnings: Vec<Reason>,
}

/// What a run takes out of the previous release: the reports it published that the new
/// release no longer does (removed from the input, moved, or now withheld, deferred or
/// quarantined).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unpublished {
    /// How many reports the previous release published.
    pub of: usize,
    /// The sources of those the new release leaves out, in the previous release's order.
    pub sources: Vec<String>,
}

impl Unpublished {
    /// Whether more than `max_percent` of the previous release's reports would go.
    pub fn exceeds(&self, max_percent: u8) -> bool {
        self.sources.len() * 100 > self.of * usize::from(max_percent)
    }

    /// The share of the previous release's reports that would go, in whole percent (rounded
    /// up, so that a share over a limit never reads as the limit itself).
    pub fn percent(&self) -> usize {
        (self.sources.len() * 100).div_ceil(self.of.max(1))
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
    /// Every report's jigsaw warnings, in input order (reports with none are left out).
    pub warned: Vec<Warned>,
    /// What the release made of this batch takes out of the previous one (`publish` sets it).
    pub unpublished: Unpublished,
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
    pub fn exit_code(&self) -> u8 {
        u8::from(self.count(Status::Quarantined) > 0)
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
        let hidden = telling_titles(&self.hidden_titles, as_of, config);
        let published: Vec<(&str, &str)> = self
            .listings
            .iter()
            .map(|l| (l.page.as_str(), l.details.title.as_str()))
            .collect();
        let findings = verify::index(
            &index,
            &published,
            &hidden,
            &crate::audit::verifier_policy(config),
        );
        if !findings.is_empty() {
            let messages: Vec<String> = findings.into_iter().map(|f| f.message).collect();
            return Err(format!(
                "the release index failed its check: {}",
                messages.join("; ")
            ));
        }
        Ok(vec![
            (INDEX_FILE.to_string(), index.into_bytes()),
            (
                STYLESHEET_FILE.to_string(),
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
            as_of,
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
    let clashing = clashing(inputs);
    let results: Vec<Finished<PackedEntry>> = inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| {
            let finished = one(input, clashing.get(&i).copied(), config, as_of, dest)?;
            Ok(finished.done(done))
        })
        .collect::<std::io::Result<_>>()?;

    let mut batch = Batch {
        packed: Vec::with_capacity(results.len()),
        files: BTreeMap::new(),
        reused: 0,
        listings: Vec::new(),
        hidden_titles: Vec::new(),
        warned: Vec::new(),
        unpublished: Unpublished::default(),
    };
    for f in results {
        batch.warned.extend(f.warned);
        batch.packed.push(f.entry);
        batch.files.extend(f.files);
        batch.reused += usize::from(f.reused);
        batch.listings.extend(f.listing);
        batch.hidden_titles.extend(f.hidden);
    }
    Ok(batch)
}

/// The inputs that may not be released under their names, by index, each with the reason.
fn clashing(inputs: &[Input]) -> BTreeMap<usize, &'static str> {
    // Two reports released under one name: neither is published.
    let mut by_stem: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, input) in inputs.iter().enumerate() {
        by_stem
            .entry(input.release_stem.to_lowercase())
            .or_default()
            .push(i);
    }
    by_stem
        .iter()
        .flat_map(|(stem, v)| {
            // A report at the root named `index` would be released over the release index.
            let why = if page_path(stem) == INDEX_FILE {
                Some("its page would be released as index.html, over the release index: rename it")
            } else if v.len() > 1 {
                Some("another report would be released under the same name")
            } else {
                None
            };
            why.into_iter()
                .flat_map(move |why| v.iter().map(move |&i| (i, why)))
        })
        .collect()
}

/// One input of the batch: read, carried over or processed, its files handed to `dest`.
fn one(
    input: &Input,
    clash: Option<&'static str>,
    config: &Classifications,
    as_of: Date,
    dest: &dyn Destination,
) -> std::io::Result<Finished> {
    let source = crate::report::source_name(input);
    let bytes = match std::fs::read(&input.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let message = format!("cannot read the file: {}", e.kind());
            let reason = Reason::new(Code::Unreadable, 0, message);
            return Ok(Processed::quarantined(&source, &[], vec![reason]).into());
        }
    };
    if let Some(why) = clash {
        let reason = Reason::new(Code::OutputCollision, 0, why);
        return Ok(Processed::quarantined(&source, &bytes, vec![reason]).into());
    }
    let stem = &input.release_stem;
    // The reuse check and the processing run under one guard: a panic in either quarantines
    // this report and the batch goes on. Writing is outside it: a failure to write stops the
    // batch, since a release may not be half-written.
    let mut carried = None;
    let p = guarded(&source, &bytes, || {
        match dest.reuse(&source, &bytes, stem) {
            Ok(Some(c)) => {
                let entry = c.0.clone();
                carried = Some(Ok(c));
                Processed::not_published(entry, Vec::new())
            }
            Ok(None) => process(&source, &bytes, stem, config, as_of),
            Err(e) => {
                carried = Some(Err(e));
                Processed::quarantined(&source, &bytes, Vec::new())
            }
        }
    });
    match carried {
        Some(Ok((entry, files))) if p.entry.status == Status::Published => {
            return Ok(Finished {
                listing: listing_of(&entry, stem),
                entry,
                files,
                hidden: Vec::new(),
                reused: true,
                warned: None,
            });
        }
        Some(Err(e)) => return Err(e),
        _ => {}
    }
    for (rel, out) in &p.outputs {
        dest.put(rel, out)?;
    }
    if let Some(text) = &p.restricted {
        dest.put_restricted(&markdown_path(stem), text)?;
    }
    Ok(p.into())
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
    /// Its warnings, once its entry is packed.
    warned: Option<Warned>,
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
            warned: None,
        }
    }
}

impl Finished {
    /// Reports the report done and packs its entry: what the batch keeps of it.
    fn done(self, done: &(dyn Fn(&DocumentEntry) + Sync)) -> Finished<PackedEntry> {
        done(&self.entry);
        let warned = (!self.entry.warnings.is_empty()).then(|| Warned {
            source: self.entry.source.clone(),
            sha256: self.entry.sha256.clone(),
            warnings: self.entry.warnings.clone(),
        });
        Finished {
            entry: PackedEntry::pack(&self.entry),
            files: self.files,
            listing: self.listing,
            hidden: self.hidden,
            reused: self.reused,
            warned,
        }
    }
}

/// How the index lists a report carried over from the previous release (released under
/// `stem`), from its entry.
fn listing_of(entry: &DocumentEntry, stem: &str) -> Option<render::Listing> {
    let page = page_path(stem);
    entry.outputs.contains(&page).then(|| render::Listing {
        page,
        details: render::Details {
            title: entry.title.clone().unwrap_or_default(),
            reference: entry.reference.clone(),
            meeting: entry.meeting.clone(),
            date: entry.date,
        },
    })
}

/// The titles of reports not published that the check of the index looks for: a title made
/// only of the index's own wording ("Reference not given") tells nothing, and stands in
/// every index.
pub fn telling_titles<'t>(
    titles: &'t [String],
    as_of: jiff::civil::Date,
    config: &Classifications,
) -> Vec<&'t str> {
    let blank = render::Listing {
        page: String::new(),
        details: render::Details {
            title: String::new(),
            reference: None,
            meeting: None,
            date: None,
        },
    };
    let all = render::NotListed {
        withheld: 2,
        deferred: 2,
        quarantined: 2,
    };
    let furniture = render::index(&[blank], all, as_of, config);
    let flat = verify::text::flatten(&verify::html::read(&furniture).whole);
    let words: std::collections::HashSet<&str> = flat.split(' ').collect();
    titles
        .iter()
        .map(String::as_str)
        .filter(|t| {
            !verify::text::flatten(t)
                .split(' ')
                .filter(|w| !w.is_empty())
                .all(|w| words.contains(w))
        })
        .collect()
}

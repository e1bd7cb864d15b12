//! A batch: every report of a run processed in parallel, its outputs handed to a
//! [`Destination`] as each is finished, the result in input order.
//!
//! One bad report never stops the others: it is quarantined. A write error stops the batch,
//! since nothing may be released half-written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use mopac_redactor::config::Classifications;
use mopac_redactor::input::Input;
use mopac_redactor::render;
use mopac_types::digest::DigestWriter;
use mopac_types::manifest::{DocumentEntry, ManifestView, MapOf, SeqOf, Status};
use mopac_types::names::{INDEX_FILE, markdown_path, page_path};
use mopac_types::reason::{Code, Reason};
use mopac_types::sha256;
use mopac_verifier as verify;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::generator::GENERATOR;
use crate::inputs::Reports;
use crate::report::{Processed, guarded, process};
use crate::spool::{Lines, Sorted, Spool};

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
    /// Writes one release file from a file of the run's spool (the index, too large to
    /// hold): by default read and [`Destination::put`].
    fn put_file(&self, rel: &str, from: &Path) -> std::io::Result<()> {
        self.put(rel, &std::fs::read(from)?)
    }
    /// The folder the batch's spool goes in and the prefix of its name; `None` for the
    /// temporary folder.
    fn spool_in(&self) -> Option<(PathBuf, String)> {
        None
    }
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
    fn put_file(&self, rel: &str, from: &Path) -> std::io::Result<()> {
        (**self).put_file(rel, from)
    }
    fn spool_in(&self) -> Option<(PathBuf, String)> {
        (**self).spool_in()
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

/// The result of a batch. What it keeps of each report (its entry, its files, its listing)
/// is spooled to disk as the report is finished ([`crate::spool`]), so that the memory a run
/// takes does not grow with its number of reports.
pub struct Batch {
    spool: Spool,
    /// One entry per input, in input order, as the run made it (digests and warnings in).
    entries: Lines<DocumentEntry>,
    /// How many documents ended with each status, in [`STATUSES`] order.
    counts: [usize; 4],
    /// Every release file written or carried over, with its `sha256:`, by path.
    files: Sorted<(String, String)>,
    /// How many reports were carried over unchanged from the previous release.
    pub reused: usize,
    /// How the release index lists each published report, in the index's order.
    listings: Sorted<render::Listing>,
    /// Titles of the reports not published, which the index must not show.
    hidden_titles: Lines<String>,
    /// What the release made of this batch takes out of the previous one (`publish` sets it).
    pub unpublished: Unpublished,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("spool", &self.spool)
            .field("counts", &self.counts)
            .field("reused", &self.reused)
            .field("unpublished", &self.unpublished)
            .finish_non_exhaustive()
    }
}

const STATUSES: [Status; 4] = [
    Status::Published,
    Status::Withheld,
    Status::Deferred,
    Status::Quarantined,
];

/// The release index, written to the spool and checked there: its file and its `sha256:`.
pub struct Index {
    pub path: std::path::PathBuf,
    pub sha256: String,
}

/// Why the release index was not made.
#[derive(Debug)]
pub enum IndexError {
    /// It failed its check: nothing of it may be written.
    Check(String),
    /// It could not be written to the spool or read back.
    Io(std::io::Error),
}

impl Batch {
    fn new(spool: Spool) -> std::io::Result<Batch> {
        Ok(Batch {
            entries: Lines::create(spool.path("entries"))?,
            counts: [0; 4],
            files: Sorted::new(&spool, "files", |a, b| a.0.cmp(&b.0)),
            reused: 0,
            listings: Sorted::new(&spool, "listings", render::listing_order),
            hidden_titles: Lines::create(spool.path("hidden"))?,
            unpublished: Unpublished::default(),
            spool,
        })
    }

    /// Spools what the batch keeps of one finished report.
    fn add(&mut self, f: Finished) -> std::io::Result<()> {
        let at = STATUSES
            .iter()
            .position(|s| *s == f.entry.status)
            .unwrap_or(3);
        self.counts[at] += 1;
        self.entries.push(&f.entry)?;
        for (path, digest) in f.files {
            let size = path.len() + digest.len();
            self.files.push((path, digest), size)?;
        }
        self.reused += usize::from(f.reused);
        if let Some(l) = f.listing {
            let size = l.page.len() + l.details.title.len() + 64;
            self.listings.push(l, size)?;
        }
        for title in &f.hidden {
            self.hidden_titles.push(title)?;
        }
        Ok(())
    }

    /// Ends the spooling of the reports: what was spooled can be read.
    fn close(&mut self) -> std::io::Result<()> {
        self.entries.close()?;
        self.files.close()?;
        self.listings.close()?;
        self.hidden_titles.close()
    }

    /// How many documents ended with `status`.
    pub fn count(&self, status: Status) -> usize {
        STATUSES
            .iter()
            .position(|s| *s == status)
            .map_or(0, |at| self.counts[at])
    }

    /// Each input's entry, in input order, read back from the spool.
    ///
    /// # Panics
    /// When the run's own spool cannot be read back (a fault of the machine: the run's
    /// release and its state are written by then).
    pub fn entries(&self) -> impl Iterator<Item = DocumentEntry> + '_ {
        self.entries
            .read()
            .expect("the run's spool reads back")
            .map(|e| e.expect("the run's spool reads back"))
    }

    /// The entries of the documents that ended with `status`, in input order.
    pub fn entries_with(&self, status: Status) -> impl Iterator<Item = DocumentEntry> + '_ {
        self.entries().filter(move |e| e.status == status)
    }

    /// Every report's jigsaw warnings, in input order (reports with none are left out).
    pub fn warned(&self) -> std::io::Result<impl Iterator<Item = std::io::Result<Warned>> + use<>> {
        Ok(self.entries.read()?.filter_map(|e| match e {
            Ok(e) if e.warnings.is_empty() => None,
            Ok(e) => Some(Ok(Warned {
                source: e.source,
                sha256: e.sha256,
                warnings: e.warnings,
            })),
            Err(e) => Some(Err(e)),
        }))
    }

    /// Each published report's source and `sha256:` of its bytes, in input order.
    pub fn published_sources(
        &self,
    ) -> std::io::Result<impl Iterator<Item = std::io::Result<(String, String)>> + use<>> {
        Ok(self.entries.read()?.filter_map(|e| match e {
            Ok(e) if e.status != Status::Published => None,
            Ok(e) => Some(Ok((e.source, e.sha256))),
            Err(e) => Some(Err(e)),
        }))
    }

    /// Every release file written or carried over, with its `sha256:`, by path.
    pub fn files(
        &self,
    ) -> std::io::Result<impl Iterator<Item = std::io::Result<(String, String)>> + use<>> {
        self.files.read()
    }

    /// The titles of the reports not published, which the index must not show.
    pub fn hidden_titles(&self) -> std::io::Result<Vec<String>> {
        self.hidden_titles.read()?.collect()
    }

    /// The exit status: 1 when any document was quarantined, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.count(Status::Quarantined) > 0)
    }

    /// The release index, written to the spool, after it passed [`verify::index_read`],
    /// which reads it back from there; an error when it did not (fail closed: an index that
    /// could name a report not published is never written). Neither the index nor the
    /// listings are held whole.
    pub fn index(&self, config: &Classifications, as_of: Date) -> Result<Index, IndexError> {
        let not_listed = render::NotListed {
            withheld: self.count(Status::Withheld),
            deferred: self.count(Status::Deferred),
            quarantined: self.count(Status::Quarantined),
        };
        let path = self.spool.path(INDEX_FILE);
        let io = IndexError::Io;
        let file = std::fs::File::create(&path).map_err(io)?;
        let mut out = DigestWriter::new(std::io::BufWriter::new(file));
        let listings = self.listings.read().map_err(io)?;
        render::index_to(
            &mut out,
            self.listings.len(),
            listings,
            not_listed,
            as_of,
            config,
        )
        .map_err(io)?;
        let (out, sha256) = out.finish();
        out.into_inner()
            .map_err(|e| IndexError::Io(e.into_error()))?;
        let hidden = self.hidden_titles().map_err(io)?;
        let hidden = telling_titles(&hidden, as_of, config);
        let file = std::fs::File::open(&path).map_err(io)?;
        let findings = verify::index_read(
            std::io::BufReader::new(file),
            &Listed(&self.listings),
            &hidden,
            &crate::audit::verifier_policy(config),
        )
        .map_err(io)?;
        if !findings.is_empty() {
            let messages: Vec<String> = findings.into_iter().map(|f| f.message).collect();
            return Err(IndexError::Check(format!(
                "the release index failed its check: {}",
                messages.join("; ")
            )));
        }
        Ok(Index { path, sha256 })
    }

    /// Records a file written beside the reports' own (the index, the stylesheet).
    pub fn add_file(&mut self, path: &str, sha256: String) -> std::io::Result<()> {
        self.files.push((path.to_string(), sha256), 128)?;
        self.files.close()
    }

    /// Writes the manifest of the release this batch makes, reading the spool as it goes.
    pub fn write_manifest(
        &self,
        w: &mut dyn std::io::Write,
        config: &Classifications,
        as_of: Date,
    ) -> std::io::Result<()> {
        let entries = self.entries.read()?;
        ManifestView {
            generator: GENERATOR,
            as_of,
            classifications: &config.digest,
            documents: SeqOf::new(entries.map(|e| e.map(DocumentEntry::for_release))),
            files: MapOf::new(LastOfEach::new(self.files.read()?)),
        }
        .write_to(w)
    }
}

/// The published pages, for the index check, read from the spooled listings.
struct Listed<'a>(&'a Sorted<render::Listing>);

impl verify::Published for Listed<'_> {
    fn each(&self, f: &mut dyn FnMut(&str, &str)) -> std::io::Result<()> {
        for l in self.0.read()? {
            let l = l?;
            f(&l.page, &l.details.title);
        }
        Ok(())
    }
}

/// Of several values for one key in a sorted list, the last: what a map they were inserted
/// into one by one would hold.
struct LastOfEach<I: Iterator> {
    inner: std::iter::Peekable<I>,
}

impl<I: Iterator> LastOfEach<I> {
    fn new(inner: I) -> Self {
        LastOfEach {
            inner: inner.peekable(),
        }
    }
}

impl<I> Iterator for LastOfEach<I>
where
    I: Iterator<Item = std::io::Result<(String, String)>>,
{
    type Item = std::io::Result<(String, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut current = match self.inner.next()? {
            Ok(kv) => kv,
            Err(e) => return Some(Err(e)),
        };
        while let Some(Ok((k, _))) = self.inner.peek() {
            if *k != current.0 {
                break;
            }
            current = self.inner.next()?.ok()?;
        }
        Some(Ok(current))
    }
}

/// How many reports are processed before what the batch keeps of them is spooled: enough to
/// keep both cores busy, few enough that their entries take little memory.
const CHUNK: usize = 256;

/// Processes every input in parallel, handing each report's outputs to `dest` as soon as it
/// is finished; `done` is called once per report. The result is in input order. A write
/// error stops the batch: nothing may be released half-written.
pub fn run(
    inputs: &dyn Reports,
    config: &Classifications,
    as_of: Date,
    dest: &dyn Destination,
    done: &(dyn Fn(&DocumentEntry) + Sync),
) -> std::io::Result<Batch> {
    let clashing = clashing(inputs);
    let beside = dest.spool_in();
    let spool = Spool::new(
        beside
            .as_ref()
            .map(|(dir, prefix)| (dir.as_path(), prefix.as_str())),
    )?;
    let mut batch = Batch::new(spool)?;
    for from in (0..inputs.len()).step_by(CHUNK) {
        let results: Vec<Finished> = (from..inputs.len().min(from + CHUNK))
            .into_par_iter()
            .map(|i| {
                let input = inputs.get(i);
                let finished = one(&input, clashing.get(&i).copied(), config, as_of, dest)?;
                done(&finished.entry);
                Ok(finished)
            })
            .collect::<std::io::Result<_>>()?;
        for f in results {
            batch.add(f)?;
        }
    }
    batch.close()?;
    Ok(batch)
}

/// The inputs that may not be released under their names, by index, each with the reason.
/// Two reports released under one name (compared in lower case) are neither published; a
/// report at the root named `index` would be released over the release index. The names are
/// grouped by a hash of each, sorted, and compared whole within a group: a large run holds a
/// number per input here, not a second copy of every name.
fn clashing(inputs: &dyn Reports) -> BTreeMap<usize, &'static str> {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let hasher = BuildHasherDefault::<DefaultHasher>::default();
    let mut keys: Vec<(u64, u32)> = (0..inputs.len())
        .map(|i| {
            (
                hasher.hash_one(inputs.get(i).release_stem.to_lowercase()),
                i as u32,
            )
        })
        .collect();
    keys.sort_unstable();
    let mut clashing = BTreeMap::new();
    for same_hash in keys.chunk_by(|a, b| a.0 == b.0) {
        let mut left: Vec<(String, usize)> = same_hash
            .iter()
            .map(|&(_, i)| {
                (
                    inputs.get(i as usize).release_stem.to_lowercase(),
                    i as usize,
                )
            })
            .collect();
        left.sort();
        for group in left.chunk_by(|a, b| a.0 == b.0) {
            // A report at the root named `index` would be released over the release index.
            let why = if page_path(&group[0].0) == INDEX_FILE {
                "its page would be released as index.html, over the release index: rename it"
            } else if group.len() > 1 {
                "another report would be released under the same name"
            } else {
                continue;
            };
            clashing.extend(group.iter().map(|&(_, i)| (i, why)));
        }
    }
    clashing
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
struct Finished {
    entry: DocumentEntry,
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

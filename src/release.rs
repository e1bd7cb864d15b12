//! Release: write the outputs and the manifest, whole or not at all.
//!
//! A run takes a lock beside `--out`, so two runs never write one release at once; the lock
//! is the operating system's (`flock`), so a run killed with `kill -9` leaves no lock behind.
//! It builds the new release in a staging folder beside `--out`, each report's files written
//! as soon as the report is finished, then writes the manifest and swaps the staging folder
//! with `--out` in one atomic step (Linux `renameat2(RENAME_EXCHANGE)`), so a reader, or a run
//! killed at any moment, only ever sees the previous release whole or the new one whole.
//! Outputs of reports no longer published do not linger: the release is rebuilt each time.
//!
//! Before the swap every staged file and folder is synced to the disk, and the folder that
//! holds the release after it: a power cut at any moment leaves the previous release or the
//! new one, whole, never a new manifest over files still in the page cache.
//!
//! An unchanged report (same bytes, classifications, tool version and deferral state) is
//! not processed again: its files are carried over from the previous release by hard link,
//! after their digests are checked against the previous manifest.
//!
//! The run's private state lives beside the lock (`.<name>.state.json`, readable by its owner
//! only), never in the release: the jigsaw warnings of every report, which the published
//! manifest may not hold, so that a report carried over is reported with its warnings as on
//! the run that made it. The state names the digest of the manifest it goes with; a release
//! without its state (lost, or from an older build) carries nothing over, and every report
//! is made, and warned about, afresh.
//!
//! A folder that exists, is not empty and holds no `manifest.json` is not a release and is
//! never replaced.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use jiff::civil::Date;
#[cfg(not(target_os = "linux"))]
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tempfile::TempDir;

use mopac_types::digest::DigestWriter;
use mopac_types::manifest::{MapOf, SeqOf, Status};
use mopac_types::names::outputs;
use mopac_types::reason::Reason;
use mopac_types::sha256;

use crate::batch::{Carried, Destination, Unpublished, Warned};
use crate::generator::GENERATOR;
use crate::previous::{Digests, Entries, key};

/// The manifest's file name inside a release.
pub use mopac_types::names::MANIFEST;

/// Why a release could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error(
        "{0}: exists and is not a release folder (no {MANIFEST}); choose an empty or new folder"
    )]
    NotARelease(PathBuf),
    #[error(
        "{out}: another mopac-redact run is writing this release (it holds {lock}); try again when it ends"
    )]
    Locked { out: PathBuf, lock: PathBuf },
    #[error(
        "{out}: cannot take the release's lock ({lock}: {source}); the folder that holds --out must be writable by this user: fix its permissions or choose another --out"
    )]
    Unlockable {
        out: PathBuf,
        lock: PathBuf,
        source: io::Error,
    },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> ReleaseError + '_ {
    move |source| ReleaseError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses an `--out` that exists and is not a release: checked before any work is done.
pub fn check_target(out: &Path) -> Result<(), ReleaseError> {
    match fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_none() || out.join(MANIFEST).is_file() {
                Ok(())
            } else {
                Err(ReleaseError::NotARelease(out.to_path_buf()))
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) if out.exists() && !out.is_dir() => Err(ReleaseError::Io {
            path: out.to_path_buf(),
            source: io::Error::new(e.kind(), "exists and is not a folder"),
        }),
        Err(e) => Err(io_at(out)(e)),
    }
}

/// The previous release, for carrying unchanged reports over.
struct Previous {
    dir: PathBuf,
    /// Its entries, on disk; each taken out as it is carried over.
    entries: Entries,
    /// The digest of every file its manifest lists.
    files: Digests,
    /// Each report's warnings, from the private state; taken out as they are carried over.
    warnings: Mutex<HashMap<String, Warned>>,
    /// Each published report's source digest, from the private state.
    sources: Digests,
}

/// The previous manifest as a rerun reads it (see [`crate::previous`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviousManifest {
    generator: String,
    #[allow(dead_code)]
    as_of: Date,
    classifications: String,
    documents: Entries,
    files: Digests,
}

/// The run's private state, as `.<name>.state.json` holds it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct State<S, W> {
    /// `sha256:` of the manifest of the release it goes with.
    manifest: String,
    /// Each published report's `sha256:` of its source, by its manifest source: the release
    /// gives none for a report with anything withheld, since a digest of withheld text can
    /// be confirmed by guessing.
    sources: S,
    /// The reports with jigsaw warnings, in input order.
    warnings: W,
}

#[derive(Deserialize)]
struct PublishedEntry {
    #[serde(default)]
    source: String,
    status: Status,
    #[serde(default)]
    outputs: Vec<String>,
}

/// A release being built: the lock, the staging folder and the previous release.
pub struct Staging {
    out: PathBuf,
    /// The folder that holds `out`, its lock and its private state.
    parent: PathBuf,
    /// `out`'s file name.
    name: String,
    staging: TempDir,
    restricted: Option<PathBuf>,
    previous: Option<Previous>,
    /// The previous release's manifest, read again for what a new release would unpublish.
    previous_manifest: Option<PathBuf>,
    as_of: Date,
    _lock: fs::File,
}

impl Staging {
    /// Locks `out`, clears what killed runs left beside it and opens a staging folder.
    /// `reuse` allows carrying over unchanged reports of a previous release made with the
    /// classifications of digest `classifications`.
    pub fn open(
        out: &Path,
        restricted: Option<&Path>,
        classifications: &str,
        as_of: Date,
        reuse: bool,
    ) -> Result<Self, ReleaseError> {
        check_target(out)?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io_at(&parent))?;
        let name = out
            .file_name()
            .map_or_else(|| "release".into(), |n| n.to_string_lossy().into_owned());
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| ReleaseError::Unlockable {
                out: out.to_path_buf(),
                lock: lock_path.clone(),
                source,
            })?;
        if lock.try_lock().is_err() {
            return Err(ReleaseError::Locked {
                out: out.to_path_buf(),
                lock: lock_path,
            });
        }
        // Under the lock, anything staged beside the release is left from a killed run.
        for entry in fs::read_dir(&parent).map_err(io_at(&parent))?.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if file_name.starts_with(&format!(".{name}.staging-")) {
                fs::remove_dir_all(entry.path()).map_err(io_at(&entry.path()))?;
            } else if file_name.starts_with(&format!(".{name}.state-")) {
                fs::remove_file(entry.path()).map_err(io_at(&entry.path()))?;
            }
        }
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-"))
            .tempdir_in(&parent)
            .map_err(io_at(&parent))?;
        // The previous manifest is read from its file as it is parsed, never held whole: a
        // release of many thousand reports has a manifest of tens of megabytes.
        let manifest = out.join(MANIFEST);
        let digest = file_digest(&manifest).ok();
        let previous = digest.as_deref().filter(|_| reuse).and_then(|digest| {
            let state = state_path(&parent, &name);
            Previous::read(out, &manifest, digest, classifications, &state)
        });
        let previous_manifest = digest.map(|_| manifest);
        Ok(Staging {
            out: out.to_path_buf(),
            parent,
            name,
            staging,
            restricted: restricted.map(Path::to_path_buf),
            previous,
            previous_manifest,
            as_of,
            _lock: lock,
        })
    }

    /// What a release of `files` (every path it holds) would take out of the previous one.
    /// The new release's paths are held as 128-bit keys; the previous manifest is read
    /// again, an entry at a time, and only the sources of the reports it would lose are kept.
    pub fn unpublished(
        &self,
        files: impl Iterator<Item = io::Result<String>>,
    ) -> io::Result<Unpublished> {
        let Some(manifest) = &self.previous_manifest else {
            return Ok(Unpublished {
                of: 0,
                sources: Vec::new(),
            });
        };
        let released = files
            .map(|rel| rel.map(|rel| key(&rel)))
            .collect::<io::Result<HashSet<u128>>>()?;
        Ok(left_out(manifest, &released).unwrap_or(Unpublished {
            of: 0,
            sources: Vec::new(),
        }))
    }

    /// Syncs every staged file and folder to the disk. On Linux one `syncfs` does it for the
    /// file system the release is on: on 10,000 reports it took 0.07 s to 1.5 s where an
    /// fsync per file and folder took 2.6 s to 19 s (each waits for a journal commit of its
    /// own). Elsewhere each file and folder is synced, in parallel.
    pub fn sync(&self) -> Result<(), ReleaseError> {
        let root = self.staging.path();
        #[cfg(target_os = "linux")]
        {
            let dir = fs::File::open(root).map_err(io_at(root))?;
            rustix::fs::syncfs(&dir).map_err(|e| io_at(root)(e.into()))
        }
        #[cfg(not(target_os = "linux"))]
        {
            let mut paths = Vec::new();
            for entry in walkdir::WalkDir::new(root) {
                let entry = entry.map_err(|e| io_at(root)(e.into()))?;
                paths.push(entry.into_path());
            }
            paths.par_iter().try_for_each(|path| {
                fs::File::open(path)
                    .and_then(|f| f.sync_all())
                    .map_err(io_at(path))
            })
        }
    }

    /// Writes the manifest (with `manifest`), puts the staged release in place of the
    /// previous one, then the private state that goes with it: the published reports' source
    /// digests (`sources`) and the reports' warnings (`warned`). Each is written as it is read,
    /// never held whole. The staged files must have been synced ([`Staging::sync`]).
    pub fn commit(
        self,
        manifest: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
        sources: impl Iterator<Item = io::Result<(String, String)>>,
        warned: impl Iterator<Item = io::Result<Warned>>,
    ) -> Result<(), ReleaseError> {
        let manifest_path = self.staging.path().join(MANIFEST);
        let file = fs::File::create(&manifest_path).map_err(io_at(&manifest_path))?;
        let mut writer = DigestWriter::new(io::BufWriter::new(file));
        manifest(&mut writer).map_err(io_at(&manifest_path))?;
        let (writer, digest) = writer.finish();
        let file = writer
            .into_inner()
            .map_err(|e| io_at(&manifest_path)(e.into_error()))?;
        file.sync_all().map_err(io_at(&manifest_path))?;
        sync_folder(self.staging.path())?;
        let state = self.stage_state(&digest, sources, warned)?;
        let staged = self.staging.keep();
        let result = swap(&staged, &self.out);
        // After an exchange the staging folder holds the previous release; after a failure,
        // the new one. Either way it goes.
        let _ = fs::remove_dir_all(&staged);
        result.map_err(io_at(&self.out))?;
        // The state follows the release it goes with: were the run to stop here, the state
        // left would name the previous manifest, and the next run would carry nothing over.
        let path = state_path(&self.parent, &self.name);
        state.persist(&path).map_err(|e| io_at(&path)(e.error))?;
        sync_folder(&self.parent)
    }

    /// The private state for the release whose manifest has `digest`, written and synced
    /// beside the lock under a temporary name, readable by its owner only.
    fn stage_state(
        &self,
        digest: &str,
        sources: impl Iterator<Item = io::Result<(String, String)>>,
        warned: impl Iterator<Item = io::Result<Warned>>,
    ) -> Result<tempfile::NamedTempFile, ReleaseError> {
        let at = |e| io_at(&self.parent)(e);
        let mut file = tempfile::Builder::new()
            .prefix(&format!(".{}.state-", self.name))
            .tempfile_in(&self.parent)
            .map_err(at)?;
        let state = State {
            manifest: digest.to_string(),
            sources: MapOf::new(sources),
            warnings: SeqOf::new(warned),
        };
        let mut out = io::BufWriter::new(&mut file);
        serde_json::to_writer(&mut out, &state).map_err(|e| at(e.into()))?;
        out.into_inner().map_err(|e| at(e.into_error()))?;
        file.as_file().sync_all().map_err(at)?;
        Ok(file)
    }
}

/// Where the private state of the release `name` in `parent` is kept.
fn state_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.state.json"))
}

/// Syncs a folder, so that the names it holds survive a power cut.
fn sync_folder(dir: &Path) -> Result<(), ReleaseError> {
    fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(io_at(dir))
}

/// Of the reports the manifest at `manifest` says its release published, how many, and
/// the sources of those with a file that is not in `released` (the keys of a new release's
/// paths), in the manifest's order; `None` when the manifest cannot be read.
fn left_out(manifest: &Path, released: &HashSet<u128>) -> Option<Unpublished> {
    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
    struct Whole<'a>(&'a HashSet<u128>);
    struct Documents<'a>(&'a HashSet<u128>);
    impl<'de> DeserializeSeed<'de> for Whole<'_> {
        type Value = Unpublished;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Unpublished, D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de> Visitor<'de> for Whole<'_> {
        type Value = Unpublished;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a manifest")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unpublished, A::Error> {
            let mut found = None;
            while let Some(k) = map.next_key::<String>()? {
                if k == "documents" {
                    found = Some(map.next_value_seed(Documents(self.0))?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            found.ok_or_else(|| serde::de::Error::missing_field("documents"))
        }
    }
    impl<'de> DeserializeSeed<'de> for Documents<'_> {
        type Value = Unpublished;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Unpublished, D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for Documents<'_> {
        type Value = Unpublished;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of document entries")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unpublished, A::Error> {
            let mut of = 0;
            let mut sources = Vec::new();
            while let Some(e) = seq.next_element::<PublishedEntry>()? {
                if e.status != Status::Published {
                    continue;
                }
                of += 1;
                if !e.outputs.iter().all(|rel| self.0.contains(&key(rel))) {
                    sources.push(e.source);
                }
            }
            Ok(Unpublished { of, sources })
        }
    }
    let file = io::BufReader::new(fs::File::open(manifest).ok()?);
    let mut json = serde_json::Deserializer::from_reader(file);
    let unpublished = Whole(released).deserialize(&mut json).ok()?;
    json.end().ok()?;
    Some(unpublished)
}

/// The `sha256:` of a file, read a part at a time.
fn file_digest(path: &Path) -> io::Result<String> {
    let mut digest = DigestWriter::new(io::sink());
    io::copy(&mut fs::File::open(path)?, &mut digest)?;
    Ok(digest.finish().1)
}

/// A JSON file read as it is parsed.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> io::Result<T> {
    let file = io::BufReader::new(fs::File::open(path)?);
    Ok(serde_json::from_reader(file)?)
}

/// Puts `staged` at `out`: exchanged atomically with an existing release, or renamed.
fn swap(staged: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return fs::rename(staged, out);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        renameat_with(CWD, staged, CWD, out, RenameFlags::EXCHANGE).map_err(io::Error::from)
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Without an atomic exchange, a brief moment with no release at `out` is unavoidable.
        let aside = out.with_extension("previous");
        fs::rename(out, &aside)?;
        fs::rename(staged, out).inspect_err(|_| {
            let _ = fs::rename(&aside, out);
        })?;
        fs::rename(&aside, staged)
    }
}

impl Previous {
    /// The previous release at `out` (its manifest at `manifest`, of digest `digest`), if it
    /// was made by this build of the tool with the same classifications and its private state
    /// (at `state`) goes with it; anything else is processed afresh.
    fn read(
        out: &Path,
        manifest: &Path,
        digest: &str,
        classifications: &str,
        state: &Path,
    ) -> Option<Previous> {
        let manifest: PreviousManifest = read_json(manifest).ok()?;
        if manifest.generator != GENERATOR || manifest.classifications != classifications {
            return None;
        }
        let state: State<Digests, Vec<Warned>> = read_json(state).ok()?;
        if state.manifest != digest {
            return None;
        }
        let warnings = state
            .warnings
            .into_iter()
            .map(|w| (w.source.clone(), w))
            .collect();
        let sources = state.sources;
        Some(Previous {
            dir: out.to_path_buf(),
            entries: manifest.documents,
            files: manifest.files,
            warnings: Mutex::new(warnings),
            sources,
        })
    }

    /// The warnings of the report `source` with the digest `sha256`, or `None` when the state
    /// does not know it so.
    fn warnings(&self, source: &str, sha256: &str) -> Option<Vec<Reason>> {
        let warned = self
            .warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(source);
        match warned {
            None => Some(Vec::new()),
            Some(w) if w.sha256 == sha256 => Some(w.warnings),
            Some(_) => None,
        }
    }
}

/// Writes a file that must not exist yet: a file carried over is a hard link into the
/// previous release, which is never written through.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut file = fs::File::create_new(path)?;
    io::Write::write_all(&mut file, bytes)
}

/// Writes a file whole: a temporary file beside it, renamed into place, so that a reader
/// never sees half of it and an existing file (or a link to another) is replaced, never
/// written through.
pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    io::Write::write_all(&mut tmp, bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

impl Destination for Staging {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        write_new(&self.staging.path().join(rel), bytes)
    }

    fn put_file(&self, rel: &str, from: &Path) -> io::Result<()> {
        let to = self.staging.path().join(rel);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir)?;
        }
        // Never over a file already staged: `copy` would write through it.
        if to.symlink_metadata().is_ok() {
            return Err(io::Error::from(io::ErrorKind::AlreadyExists));
        }
        fs::copy(from, &to).map(drop)
    }

    fn spool_in(&self) -> Option<(PathBuf, String)> {
        // Named as staging is, so that a killed run's spool is cleared with its staging.
        Some((
            self.parent.clone(),
            format!(".{}.staging-spool-", self.name),
        ))
    }

    fn put_restricted(&self, rel: &str, text: &str) -> io::Result<()> {
        match &self.restricted {
            // The restricted folder is the operator's, not a release: a rerun replaces what
            // an earlier one wrote there.
            Some(dir) => write_whole(&dir.join(rel), text.as_bytes()),
            None => Ok(()),
        }
    }

    fn reuse(&self, source: &str, bytes: &[u8], stem: &str) -> io::Result<Option<Carried>> {
        let Some(prev) = &self.previous else {
            return Ok(None);
        };
        // Each source is looked up once per run: the entry is taken, not copied.
        let Some(mut entry) = prev.entries.take(source)? else {
            return Ok(None);
        };
        // Only into the same place in the release: a report given from another folder is
        // released elsewhere and made afresh.
        if entry.outputs != outputs(stem) {
            return Ok(None);
        }
        // The source's digest is the private state's: the release gives none for a report
        // with anything withheld.
        let digest = sha256(bytes);
        if !prev.sources.holds(source, &digest)
            || entry.status != Status::Published
            || entry.publish_after.is_some_and(|d| d > self.as_of)
        {
            return Ok(None);
        }
        entry.sha256 = digest;
        // Its warnings are reported on every run while they hold.
        let Some(warnings) = prev.warnings(source, &entry.sha256) else {
            return Ok(None);
        };
        entry.warnings = warnings;
        // The previous files must be what its manifest says, or the report is made afresh.
        let mut files = Vec::with_capacity(entry.outputs.len());
        for rel in &entry.outputs {
            let from = prev.dir.join(rel);
            match fs::read(&from).map(|file| sha256(&file)) {
                Ok(digest) if prev.files.holds(rel, &digest) => files.push((rel.clone(), digest)),
                _ => return Ok(None),
            }
        }
        for (rel, _) in &files {
            let to = self.staging.path().join(rel);
            if let Some(dir) = to.parent() {
                fs::create_dir_all(dir)?;
            }
            if fs::hard_link(prev.dir.join(rel), &to).is_err() {
                fs::copy(prev.dir.join(rel), &to)?;
            }
        }
        Ok(Some((entry, files)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use std::collections::BTreeMap;

    fn release(out: &Path, files: &[(&str, &[u8])]) {
        let staging = Staging::open(out, None, "sha256:x", date(2026, 11, 25), false).unwrap();
        for (rel, bytes) in files {
            staging.put(rel, bytes).unwrap();
        }
        let listed: BTreeMap<String, String> = files
            .iter()
            .map(|(p, b)| (p.to_string(), sha256(b)))
            .collect();
        let view = mopac_types::manifest::ManifestView {
            generator: GENERATOR,
            as_of: date(2026, 11, 25),
            classifications: "sha256:x",
            documents: mopac_types::manifest::PackedDocuments(&[]),
            files: &listed,
        };
        staging
            .commit(|w| view.write_to(w), std::iter::empty(), std::iter::empty())
            .unwrap();
    }

    #[test]
    fn a_release_replaces_the_previous_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("release");
        release(&out, &[("a/old.md", b"old")]);
        release(&out, &[("new.md", b"new")]);
        assert!(!out.join("a/old.md").exists());
        assert_eq!(fs::read(out.join("new.md")).unwrap(), b"new");
        let mut left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        // The lock and the private state beside the release, nothing else.
        assert_eq!(left, [".release.lock", ".release.state.json", "release"]);
    }

    #[test]
    fn a_folder_that_is_not_a_release_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("thesis.docx"), b"mine").unwrap();
        let err = Staging::open(dir.path(), None, "sha256:x", date(2026, 11, 25), false)
            .err()
            .unwrap();
        assert!(matches!(err, ReleaseError::NotARelease(_)));
        assert_eq!(fs::read(dir.path().join("thesis.docx")).unwrap(), b"mine");
    }

    #[test]
    fn a_second_run_is_refused_while_the_first_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("release");
        let first = Staging::open(&out, None, "sha256:x", date(2026, 11, 25), false).unwrap();
        let second = Staging::open(&out, None, "sha256:x", date(2026, 11, 25), false)
            .err()
            .unwrap();
        assert!(matches!(second, ReleaseError::Locked { .. }), "{second}");
        drop(first);
        assert!(Staging::open(&out, None, "sha256:x", date(2026, 11, 25), false).is_ok());
    }

    #[test]
    fn a_failed_run_leaves_the_previous_release_and_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("release");
        release(&out, &[("kept.md", b"kept")]);
        let staging = Staging::open(&out, None, "sha256:x", date(2026, 11, 25), false).unwrap();
        staging.put("half.md", b"half").unwrap();
        drop(staging); // the run fails before commit
        assert_eq!(fs::read(out.join("kept.md")).unwrap(), b"kept");
        assert!(!out.join("half.md").exists());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(names.iter().all(|n| !n.contains("staging")), "{names:?}");
    }

    /// Only the manifest was synced before the swap: a power cut could leave a new manifest
    /// over files still in the page cache. (That a sync reaches the disk cannot be seen from
    /// here; this proves it runs on a staged release and reports what it cannot sync.)
    #[test]
    fn a_staged_release_is_synced_before_the_swap() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("release");
        let staging = Staging::open(&out, None, "sha256:x", date(2026, 11, 25), false).unwrap();
        staging.put("a/b.md", b"b").unwrap();
        staging.sync().unwrap();
        let root = staging.staging.path().to_path_buf();
        fs::remove_dir_all(&root).unwrap();
        assert!(matches!(staging.sync(), Err(ReleaseError::Io { path, .. }) if path == root));
    }

    #[test]
    fn staging_left_by_a_killed_run_is_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("release");
        fs::create_dir_all(dir.path().join(".release.staging-killed/a")).unwrap();
        release(&out, &[("x.md", b"x")]);
        assert!(!dir.path().join(".release.staging-killed").exists());
    }
}

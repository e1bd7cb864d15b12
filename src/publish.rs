//! Publish and check: the whole sequence of a run and every rule that keeps it safe.
//!
//! A [`Plan`] is made from the command's arguments and refuses, before anything is read or
//! written, an `--out` or `--restricted-out` that would mix releases, inputs and restricted
//! text; folders are compared where they really lead ([`paths::resolve`]), so neither `..`
//! nor a symbolic link gets restricted text into a release. [`publish`] takes only a plan:
//! it locks and stages the release, runs the batch, writes the checked index and commits
//! the manifest, or leaves the previous release as it was. [`check`] does the same without
//! writing.
//!
//! A scheduled run must not take a site down because its input was not there: an input that
//! holds no report is refused unless the plan allows an empty release
//! ([`Plan::allow_empty`]), and a release that would leave out more than a share of the
//! reports the previous one published ([`Plan::max_unpublish`], half by default) is not put
//! in place. Both end the run as a usage error: the previous release stays, and the operator
//! who meant it says so on the command line.
//!
//! A [`Stop`] asked for (SIGINT, SIGTERM) ends the run at the next report, or before the
//! swap, as a write error would: nothing of the new release is left.

use std::io;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use mopac_redactor::config::Classifications;
use mopac_redactor::input::{self, InputError};
use mopac_types::manifest::DocumentEntry;

use mopac_redactor::render;
use mopac_types::names::{INDEX_FILE, STYLESHEET_FILE};
use mopac_types::sha256;

use crate::batch::{self, Batch, Carried, Destination, Discard, IndexError, Unpublished};
use crate::inputs::{Inputs, Reports};
use crate::paths;
use crate::release::{self, ReleaseError, Staging};
use crate::stop::{Signal, Stop};

/// The share of the previous release's reports a run may take out, in percent, unless the
/// plan says otherwise.
pub const MAX_UNPUBLISH: u8 = 50;

/// Why a plan is refused: nothing has been written.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error(transparent)]
    Inputs(#[from] InputError),
    #[error("{}: {source}", .path.display())]
    Unresolvable { path: PathBuf, source: io::Error },
    #[error(
        "the input {} is inside --out {}: the release is replaced whole by each run",
        .input.display(), .out.display()
    )]
    InputInsideOut { input: PathBuf, out: PathBuf },
    #[error(
        "the input {} is inside --restricted-out {}: it would be written over",
        .input.display(), .restricted.display()
    )]
    InputInsideRestricted { input: PathBuf, restricted: PathBuf },
    #[error(
        "--out {} is inside the input folder {}: the release would be read as input next time",
        .out.display(), .input.display()
    )]
    OutInsideInput { out: PathBuf, input: PathBuf },
    #[error(
        "--restricted-out {} is inside the input folder {}: restricted parts would be read as reports",
        .restricted.display(), .input.display()
    )]
    RestrictedInsideInput { restricted: PathBuf, input: PathBuf },
    #[error(
        "--restricted-out {} and --out {} must be apart: restricted text may never be in or around a release",
        .restricted.display(), .out.display()
    )]
    RestrictedNearOut { restricted: PathBuf, out: PathBuf },
    #[error(transparent)]
    Target(#[from] ReleaseError),
}

/// Why a publish run failed; the previous release is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Another run holds the release's lock.
    #[error(transparent)]
    Locked(ReleaseError),
    /// The release could not be locked or staged.
    #[error(transparent)]
    Open(ReleaseError),
    #[error("cannot write the release: {0}; the previous release is unchanged")]
    Write(#[source] io::Error),
    #[error("{0}; nothing was written and the previous release is unchanged")]
    Index(String),
    #[error("cannot write the release: {rel}: {source}; the previous release is unchanged")]
    WriteIndex { rel: String, source: io::Error },
    #[error("cannot write the release: {0}; the previous release is unchanged")]
    Commit(ReleaseError),
    /// The input holds no report, and the plan does not allow an empty release.
    #[error(
        "no report found in {}: nothing to publish, and the release is left as it was \
         (is the archive mounted? --allow-empty publishes an empty release)",
        .0
    )]
    NoReports(String),
    /// The new release would leave out too many of the reports the previous one published.
    #[error(
        "this run would unpublish {} of the {} reports of the previous release ({}%, more than \
         --max-unpublish {max}%){}; nothing was written and the previous release is unchanged. \
         If the input is complete and this is meant, run again with --max-unpublish 100",
        .unpublished.sources.len(), .unpublished.of, .unpublished.percent(),
        examples(&.unpublished.sources)
    )]
    Unpublish { unpublished: Unpublished, max: u8 },
    /// A signal stopped the run.
    #[error(
        "stopped by {}: the staging folder was removed and the lock released; the previous \
         release is unchanged",
        .0.name()
    )]
    Stopped(Signal),
}

/// A few of `sources`, for a message: `: a, b, c and 7 more`.
fn examples(sources: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = format!(": {}", sources[..sources.len().min(SHOWN)].join(", "));
    if sources.len() > SHOWN {
        text.push_str(&format!(" and {} more", sources.len() - SHOWN));
    }
    text
}

/// Why a check run failed.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The release index would not pass its check.
    #[error("{0}")]
    Index(String),
    /// A signal stopped the run.
    #[error("stopped by {}; nothing was written", .0.name())]
    Stopped(Signal),
}

/// A publish run, checked: its reports, where the release and the restricted parts go.
#[derive(Debug)]
pub struct Plan {
    inputs: Inputs,
    /// The inputs as given, for messages.
    given: String,
    out: PathBuf,
    restricted_out: Option<PathBuf>,
    reuse: bool,
    allow_empty: bool,
    max_unpublish: u8,
}

impl Plan {
    /// The plan for publishing `given` (files or folders) to `out`, the withheld parts to
    /// `restricted_out`; `full` processes even unchanged reports. Refused when the release
    /// or the restricted parts could land in or around each other or an input, or when
    /// `out` exists and is not a release. Paths in messages are as the user gave them.
    pub fn new(
        given: &[PathBuf],
        out: &Path,
        restricted_out: Option<&Path>,
        full: bool,
    ) -> Result<Plan, Refusal> {
        let mut inputs = Inputs::default();
        input::discover_each(given, |i| inputs.push(i))?;
        inputs.shrink_to_fit();
        apart(given, out, restricted_out)?;
        release::check_target(out)?;
        let given = given
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Plan {
            inputs,
            given,
            out: out.to_path_buf(),
            restricted_out: restricted_out.map(Path::to_path_buf),
            // Restricted parts are written only for reports processed in this run.
            reuse: !full && restricted_out.is_none(),
            allow_empty: false,
            max_unpublish: MAX_UNPUBLISH,
        })
    }

    /// Allows an input that holds no report: the release is then emptied, whatever share of
    /// the previous one that takes out.
    pub fn allow_empty(mut self, allow: bool) -> Plan {
        self.allow_empty = allow;
        self
    }

    /// The share of the previous release's reports, in percent (at most 100), the new
    /// release may leave out; a run that would leave out more is refused.
    pub fn max_unpublish(mut self, percent: u8) -> Plan {
        self.max_unpublish = percent.min(100);
        self
    }

    /// The reports to publish, in release order.
    pub fn inputs(&self) -> &Inputs {
        &self.inputs
    }

    /// The release folder, as given.
    pub fn out(&self) -> &Path {
        &self.out
    }
}

fn resolved(path: &Path) -> Result<PathBuf, Refusal> {
    paths::resolve(path).map_err(|source| Refusal::Unresolvable {
        path: path.to_path_buf(),
        source,
    })
}

/// Refuses an `out` or `restricted_out` that would mix releases, inputs and restricted text.
fn apart(given: &[PathBuf], out: &Path, restricted_out: Option<&Path>) -> Result<(), Refusal> {
    let out_at = resolved(out)?;
    let restricted_at = restricted_out.map(resolved).transpose()?;
    let restricted = |r: &Path| r.to_path_buf();
    for input in given {
        let input_at = resolved(input)?;
        // The release is replaced whole and restricted parts are written over: neither may
        // hold an input.
        if input_at.starts_with(&out_at) {
            return Err(Refusal::InputInsideOut {
                input: input.clone(),
                out: out.to_path_buf(),
            });
        }
        if let (Some(r), Some(r_at)) = (restricted_out, &restricted_at)
            && input_at.starts_with(r_at)
        {
            return Err(Refusal::InputInsideRestricted {
                input: input.clone(),
                restricted: restricted(r),
            });
        }
        if !input.is_dir() {
            continue;
        }
        if out_at.starts_with(&input_at) {
            return Err(Refusal::OutInsideInput {
                out: out.to_path_buf(),
                input: input.clone(),
            });
        }
        if let (Some(r), Some(r_at)) = (restricted_out, &restricted_at)
            && r_at.starts_with(&input_at)
        {
            return Err(Refusal::RestrictedInsideInput {
                restricted: restricted(r),
                input: input.clone(),
            });
        }
    }
    if let (Some(r), Some(r_at)) = (restricted_out, &restricted_at)
        && (r_at.starts_with(&out_at) || out_at.starts_with(r_at))
    {
        return Err(Refusal::RestrictedNearOut {
            restricted: restricted(r),
            out: out.to_path_buf(),
        });
    }
    Ok(())
}

/// Publishes the plan's reports: the release at `--out` is replaced whole by the new one,
/// or left as it was. `done` is called once per report as it is finished; `stop`, asked for,
/// ends the run with nothing written.
pub fn publish(
    plan: &Plan,
    config: &Classifications,
    as_of: Date,
    done: &(dyn Fn(&DocumentEntry) + Sync),
    stop: &Stop,
) -> Result<Batch, PublishError> {
    publish_through(plan, config, as_of, done, stop, |staging| Box::new(staging))
}

/// [`publish`], every file of the release handed to the destination `through` makes of the
/// staging folder: a test's disk that fills up, say.
pub fn publish_through(
    plan: &Plan,
    config: &Classifications,
    as_of: Date,
    done: &(dyn Fn(&DocumentEntry) + Sync),
    stop: &Stop,
    through: impl for<'s> FnOnce(&'s Staging) -> Box<dyn Destination + 's>,
) -> Result<Batch, PublishError> {
    if plan.inputs.is_empty() && !plan.allow_empty {
        return Err(PublishError::NoReports(plan.given.clone()));
    }
    stopped(stop).map_err(PublishError::Stopped)?;
    let staging = Staging::open(
        &plan.out,
        plan.restricted_out.as_deref(),
        &config.digest,
        as_of,
        plan.reuse,
    )
    .map_err(|e| match e {
        ReleaseError::Locked { .. } => PublishError::Locked(e),
        e => PublishError::Open(e),
    })?;
    let dest = Stopping {
        inner: through(&staging),
        stop,
    };
    let stopped_or = |e| stopped(stop).map_or_else(PublishError::Stopped, |()| e);
    let mut batch = batch::run(&plan.inputs, config, as_of, &dest, done)
        .map_err(|e| stopped_or(PublishError::Write(e)))?;
    let index = batch.index(config, as_of).map_err(|e| match e {
        IndexError::Check(message) => PublishError::Index(message),
        IndexError::Io(e) => stopped_or(PublishError::Write(e)),
    })?;
    let write_index = |rel: &str, put: &dyn Fn() -> io::Result<()>| {
        put().map_err(|source| {
            stopped_or(PublishError::WriteIndex {
                rel: rel.to_string(),
                source,
            })
        })
    };
    write_index(INDEX_FILE, &|| dest.put_file(INDEX_FILE, &index.path))?;
    let stylesheet = render::STYLESHEET.as_bytes();
    write_index(STYLESHEET_FILE, &|| dest.put(STYLESHEET_FILE, stylesheet))?;
    drop(dest);
    let recorded = batch
        .add_file(INDEX_FILE, index.sha256)
        .and_then(|()| batch.add_file(STYLESHEET_FILE, sha256(stylesheet)));
    recorded.map_err(PublishError::Write)?;
    let released = batch.files().map_err(PublishError::Write)?;
    batch.unpublished = staging
        .unpublished(released.map(|f| f.map(|(path, _)| path)))
        .map_err(PublishError::Write)?;
    let emptied = plan.inputs.is_empty() && plan.allow_empty;
    if !emptied && batch.unpublished.exceeds(plan.max_unpublish) {
        return Err(PublishError::Unpublish {
            unpublished: batch.unpublished,
            max: plan.max_unpublish,
        });
    }
    stopped(stop).map_err(PublishError::Stopped)?;
    staging.sync().map_err(PublishError::Commit)?;
    stopped(stop).map_err(PublishError::Stopped)?;
    let sources = batch.published_sources().map_err(PublishError::Write)?;
    let warned = batch.warned().map_err(PublishError::Write)?;
    staging
        .commit(|w| batch.write_manifest(w, config, as_of), sources, warned)
        .map_err(PublishError::Commit)?;
    Ok(batch)
}

/// Does everything [`publish`] does except write: the batch, its index checked.
pub fn check(
    inputs: &dyn Reports,
    config: &Classifications,
    as_of: Date,
    done: &(dyn Fn(&DocumentEntry) + Sync),
    stop: &Stop,
) -> Result<Batch, CheckError> {
    let dest = Stopping {
        inner: Box::new(Discard),
        stop,
    };
    let batch = batch::run(inputs, config, as_of, &dest, done)
        .map_err(|e| stopped(stop).map_or_else(CheckError::Stopped, |()| CheckError::Io(e)))?;
    batch.index(config, as_of).map_err(|e| match e {
        IndexError::Check(message) => CheckError::Index(message),
        IndexError::Io(e) => CheckError::Io(e),
    })?;
    Ok(batch)
}

/// `Err` with the signal when a stop has been asked for.
fn stopped(stop: &Stop) -> Result<(), Signal> {
    stop.requested().map_or(Ok(()), Err)
}

/// A destination that takes no further report once a stop is asked for: the batch's workers
/// end at their next report with an `Interrupted` error, as on a write error.
struct Stopping<'a> {
    inner: Box<dyn Destination + 'a>,
    stop: &'a Stop,
}

impl Stopping<'_> {
    fn go_on(&self) -> io::Result<()> {
        match self.stop.requested() {
            Some(signal) => Err(io::Error::new(io::ErrorKind::Interrupted, signal.name())),
            None => Ok(()),
        }
    }
}

impl Destination for Stopping<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.go_on()?;
        self.inner.put(rel, bytes)
    }
    fn put_restricted(&self, rel: &str, text: &str) -> io::Result<()> {
        self.go_on()?;
        self.inner.put_restricted(rel, text)
    }
    fn reuse(&self, source: &str, bytes: &[u8], stem: &str) -> io::Result<Option<Carried>> {
        // Asked of every report before it is processed: the check that stops the workers.
        self.go_on()?;
        self.inner.reuse(source, bytes, stem)
    }
    fn put_file(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.go_on()?;
        self.inner.put_file(rel, from)
    }
    fn spool_in(&self) -> Option<(PathBuf, String)> {
        self.inner.spool_in()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder with one report in `reports/`: the place every plan below is made in.
    fn place() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let reports = dir.path().join("reports");
        std::fs::create_dir(&reports).unwrap();
        std::fs::write(reports.join("a.md"), "report").unwrap();
        (dir, reports)
    }

    fn plan(given: &Path, out: &Path, restricted: &Path) -> Result<Plan, Refusal> {
        Plan::new(&[given.to_path_buf()], out, Some(restricted), false)
    }

    /// `x/../out/restricted` is inside the release though it is not spelled so: a lexical
    /// check let restricted parts into the live release.
    #[test]
    fn a_restricted_folder_reached_through_dot_dot_is_refused() {
        let (dir, reports) = place();
        let out = dir.path().join("out");
        let sneaky = dir.path().join("x/../out/restricted");
        let err = plan(&reports, &out, &sneaky).unwrap_err();
        assert!(matches!(err, Refusal::RestrictedNearOut { .. }), "{err}");
        assert!(err.to_string().contains("x/../out/restricted"), "{err}");
        assert!(!out.exists() && !dir.path().join("x").exists());
    }

    /// A symbolic link to the release is the release.
    #[test]
    fn a_restricted_folder_reached_through_a_link_is_refused() {
        let (dir, reports) = place();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::os::unix::fs::symlink(&out, dir.path().join("link")).unwrap();
        let err = plan(&reports, &out, &dir.path().join("link/restricted")).unwrap_err();
        assert!(matches!(err, Refusal::RestrictedNearOut { .. }), "{err}");
        // And a link to an input folder is that folder.
        std::os::unix::fs::symlink(&reports, dir.path().join("to-reports")).unwrap();
        let inside = dir.path().join("to-reports/restricted");
        let err = plan(&reports, &dir.path().join("elsewhere"), &inside).unwrap_err();
        assert!(
            matches!(err, Refusal::RestrictedInsideInput { .. }),
            "{err}"
        );
    }

    #[test]
    fn restricted_parts_around_the_release_or_an_input_are_refused() {
        let (dir, reports) = place();
        let out = dir.path().join("out");
        let site = dir.path().join("site");
        let err = plan(&reports, &site.join("out"), &site).unwrap_err();
        assert!(matches!(err, Refusal::RestrictedNearOut { .. }), "{err}");
        let err = plan(&reports, &out, &out).unwrap_err();
        assert!(matches!(err, Refusal::RestrictedNearOut { .. }), "{err}");
        let file = reports.join("a.md");
        let err = plan(&file, &dir.path().join("o"), &reports).unwrap_err();
        assert!(
            matches!(err, Refusal::InputInsideRestricted { .. }),
            "{err}"
        );
        let err = plan(&reports, &reports.join("out"), &dir.path().join("r")).unwrap_err();
        assert!(matches!(err, Refusal::OutInsideInput { .. }), "{err}");
        assert!(plan(&reports, &out, &dir.path().join("restricted")).is_ok());
    }

    /// A relative path is echoed as the user wrote it, not made absolute.
    #[test]
    fn a_refusal_names_the_paths_as_given() {
        let (_dir, reports) = place();
        // Relative to the working folder; neither exists and nothing is made.
        let out = Path::new("target/plan-test/out");
        let restricted = Path::new("target/plan-test/x/../out/r");
        let err = Plan::new(&[reports], out, Some(restricted), false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--restricted-out target/plan-test/x/../out/r and --out target/plan-test/out must be apart: \
             restricted text may never be in or around a release"
        );
        assert!(!Path::new("target/plan-test").exists());
    }
}

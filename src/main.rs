//! The `mopac-redact` command: turns flags into calls to the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use mopac_redact::review::{self, Explanation};
use mopac_redact::{Batch, Destination, Discard, release};
use mopac_redactor::config::{self, Classifications};
use mopac_redactor::{Outcome, analyse, input};
use mopac_types::manifest::{DocumentEntry, Status};

/// Exit status for a usage or configuration error.
const USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "mopac-redact",
    version,
    about = "Publish MOPAC reports: keep the public Part 1, delete the restricted Part 2, cite the exemption.",
    long_about = "Publish MOPAC reports: keep the public Part 1, delete the restricted Part 2, cite the exemption.\n\n\
        For every report (.md, .markdown or .txt) it keeps the cover and Part 1 byte for byte, keeps the \
        Part 2 banner and the marking under it, deletes everything else of Part 2 and writes the exemption \
        notice for the marking's descriptors. A report that does not have the expected shape is \
        quarantined: nothing of it is published, and the reason names its line.",
    after_help = "Exit status: 0 every report was published, withheld or deferred; 1 a report was quarantined \
        (or, for verify, a finding); 2 usage or configuration error (nothing written).\n\n\
        Examples:\n  mopac-redact check reports/\n  mopac-redact publish reports/ --out release/\n  \
        mopac-redact publish reports/ --out release/ --as-of 2026-12-01 --classifications my-classifications/\n  \
        mopac-redact verify release/ --source reports/\n  mopac-redact explain reports/pcd-1084.md\n  \
        mopac-redact redline reports/pcd-1084.md --out review/pcd-1084.html\n  mopac-redact config check --classifications my-classifications/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Redact reports and write the release: Markdown, HTML and manifest.json.
    Publish {
        #[command(flatten)]
        common: Common,
        /// Release folder. It is replaced whole when the run ends; an existing folder must be a
        /// previous release (it holds manifest.json) or empty.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Also write each report's withheld part as its own Markdown under DIR (same relative
        /// path), marked at top and bottom. DIR may not be, contain or lie inside --out.
        #[arg(long, value_name = "DIR")]
        restricted_out: Option<PathBuf>,
        /// Process every report, even those unchanged since the previous release (by default
        /// their files are carried over).
        #[arg(long)]
        full: bool,
    },
    /// Do everything publish does except write: one verdict line per report.
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Audit a release against its sources, as an auditor would: exit 0 clean, 1 on any finding.
    ///
    /// Checks that the release holds exactly the files its manifest lists, with their digests;
    /// that each published Markdown is its source minus the withheld lines the manifest names
    /// (their digests checked) plus the exemption notice; that no sensitive marking, withheld
    /// text, hidden or active HTML is in any output; and that nothing of a report that was not
    /// published is in the release.
    Verify {
        /// The release folder (it holds manifest.json).
        #[arg(value_name = "RELEASE")]
        release: PathBuf,
        /// The reports the release was made from, files or folders as given to publish.
        #[arg(long = "source", value_name = "INPUT", required = true, num_args = 1..)]
        sources: Vec<PathBuf>,
        #[command(flatten)]
        classifications: ClassificationsArg,
    },
    /// Show, block by block, what publishing a report would do and why.
    ///
    /// Every block with its line range and verdict (public, part2-banner, preamble, marking,
    /// withheld, front-matter-removed, notice), the marking, each exemption and the descriptors
    /// that cite it; for a report that would be refused, each reason with its line and remedy.
    /// Exit 0 when it would be published or withheld, 1 when it would be quarantined.
    Explain {
        /// The report.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        classifications: ClassificationsArg,
    },
    /// Write a private HTML review copy: withheld text struck through beside its exemption.
    ///
    /// Stamped "NOT FOR PUBLICATION – REVIEW COPY" at top and bottom. Refuses to write inside
    /// a release folder (one that holds manifest.json).
    Redline {
        /// The report.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Where to write the review copy (an .html file).
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        #[command(flatten)]
        classifications: ClassificationsArg,
    },
    /// Check or show the classifications.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `mopac-redact man > mopac-redact.1`.
    Man,
}

#[derive(Subcommand)]
enum ConfigAction {
    /// Validate every classification file; report all problems with file:line:column.
    /// Exit 0 when valid, 2 otherwise.
    Check {
        #[command(flatten)]
        classifications: ClassificationsArg,
    },
    /// Print the classification files in effect, with their digest.
    Show {
        #[command(flatten)]
        classifications: ClassificationsArg,
    },
}

#[derive(Args)]
struct ClassificationsArg {
    /// Folder of classification YAML files replacing the built-in ones.
    #[arg(long = "classifications", value_name = "DIR")]
    dir: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Args)]
struct Common {
    /// Reports, or folders walked recursively (sorted; hidden files skipped).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    classifications: ClassificationsArg,
    /// Date the run acts on (YYYY-MM-DD): reports with a later publish_after are deferred.
    /// Default: today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<Date>,
    /// Print only errors and quarantined reports; no progress bar.
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print a line for every report, on standard error.
    #[arg(long, short)]
    verbose: bool,
    /// Print the run's summary (counts per status, quarantined reports and their reasons,
    /// duration) as JSON on standard output, for schedulers.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Writes to standard output. A reader that stops early (`| head`) is not an error: the
/// command's exit status still reports the run.
fn emit(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// A failure that ends the command with exit status 2.
struct Usage(String);

impl<E: std::fmt::Display> From<E> for Usage {
    fn from(e: E) -> Self {
        Usage(e.to_string())
    }
}

/// Exit status when another run holds the release's lock.
const LOCKED: u8 = 3;

fn classifications(arg: &ClassificationsArg) -> Result<Classifications, Usage> {
    match &arg.dir {
        Some(dir) => Classifications::load(dir),
        None => Classifications::defaults(),
    }
    .map_err(|e| Usage(format!("invalid classifications:\n{e}")))
}

fn absolute(path: &Path) -> Result<PathBuf, Usage> {
    std::path::absolute(path).map_err(|e| Usage(format!("{}: {e}", path.display())))
}

/// One line per report: `path: status[: file:line: message [code]; ...]`.
fn verdict_line(entry: &DocumentEntry) -> String {
    let mut line = format!("{}: {}", entry.source, entry.status.as_str());
    // Jigsaw warnings are the approver's, not the release's: they are given here.
    for w in &entry.warnings {
        line.push_str(&format!(
            "\n{}:{}: warning: {} [{}]",
            entry.source, w.line, w.message, w.code
        ));
    }
    if entry.status == Status::Published {
        return line;
    }
    let reasons: Vec<String> = entry
        .reasons
        .iter()
        .map(|r| {
            if r.line > 0 {
                format!("{}:{}: {} [{}]", entry.source, r.line, r.message, r.code)
            } else {
                format!("{}: {} [{}]", entry.source, r.message, r.code)
            }
        })
        .collect();
    if !reasons.is_empty() {
        line.push_str(": ");
        line.push_str(&reasons.join("; "));
    }
    line
}

fn summary(batch: &Batch) -> String {
    format!(
        "{} published, {} withheld, {} deferred, {} quarantined",
        batch.count(Status::Published),
        batch.count(Status::Withheld),
        batch.count(Status::Deferred),
        batch.count(Status::Quarantined)
    )
}

fn exit(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(USAGE))
}

/// `publish` (with `out`) or `check` (without).
fn run(
    common: &Common,
    out: Option<&Path>,
    restricted_out: Option<&Path>,
    full: bool,
) -> Result<ExitCode, Usage> {
    let started = std::time::Instant::now();
    let config = classifications(&common.classifications)?;
    let inputs = input::discover(&common.inputs)?;
    if let Some(out) = out {
        check_apart(common, out, restricted_out)?;
    }
    let as_of = common.as_of.unwrap_or_else(|| jiff::Zoned::now().date());

    let progress = progress_bar(common, inputs.len());
    let done = |entry: &DocumentEntry| {
        let warned = !entry.warnings.is_empty() && !common.quiet;
        if common.verbose || (out.is_some() && (entry.status == Status::Quarantined || warned)) {
            progress.suspend(|| eprintln!("{}", verdict_line(entry)));
        }
        progress.inc(1);
    };
    let batch = match out {
        None => {
            let batch = mopac_redact::run(&inputs, &config, as_of, &Discard, &done)?;
            batch.index(&config, as_of).map_err(Usage)?;
            batch
        }
        Some(out) => {
            // Restricted parts are written only for reports processed in this run.
            let reuse = !full && restricted_out.is_none();
            let staging =
                match release::Staging::open(out, restricted_out, &config.digest, as_of, reuse) {
                    Ok(staging) => staging,
                    Err(e @ release::ReleaseError::Locked { .. }) => {
                        eprintln!("mopac-redact: {e}");
                        return Ok(ExitCode::from(LOCKED));
                    }
                    Err(e) => return Err(e.into()),
                };
            let mut batch =
                mopac_redact::run(&inputs, &config, as_of, &staging, &done).map_err(|e| {
                    Usage(format!(
                        "cannot write the release: {e}; the previous release is unchanged"
                    ))
                })?;
            let index = batch.index(&config, as_of).map_err(|m| {
                Usage(format!(
                    "{m}; nothing was written and the previous release is unchanged"
                ))
            })?;
            for (rel, bytes) in &index {
                staging.put(rel, bytes).map_err(|e| {
                    Usage(format!(
                        "cannot write the release: {rel}: {e}; the previous release is unchanged"
                    ))
                })?;
            }
            batch.add_files(&index);
            staging
                .commit(&batch.manifest(&config, as_of))
                .map_err(|e| {
                    Usage(format!(
                        "cannot write the release: {e}; the previous release is unchanged"
                    ))
                })?;
            batch
        }
    };
    progress.finish_and_clear();

    match common.format {
        Format::Json => emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&run_summary(&batch, started))?
        )),
        Format::Text => {
            if out.is_none() {
                for e in batch
                    .entries()
                    .filter(|e| !common.quiet || e.status == Status::Quarantined)
                {
                    emit(&format!("{}\n", verdict_line(&e)));
                }
            }
            if !common.quiet {
                let target = out.map_or_else(String::new, |o| format!(" -> {}", o.display()));
                let reused = if batch.reused > 0 {
                    format!(" ({} unchanged, carried over)", batch.reused)
                } else {
                    String::new()
                };
                eprintln!(
                    "{}{reused}{target} in {:.1}s",
                    summary(&batch),
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }
    Ok(exit(batch.exit_code()))
}

/// Refuses an `--out` or `--restricted-out` that would mix releases, inputs and restricted
/// text.
fn check_apart(common: &Common, out: &Path, restricted_out: Option<&Path>) -> Result<(), Usage> {
    let out_abs = absolute(out)?;
    let restricted_abs = restricted_out.map(absolute).transpose()?;
    for given in &common.inputs {
        let given_abs = absolute(given)?;
        // The release is replaced whole and restricted parts are written over: neither may
        // hold an input.
        if given_abs.starts_with(&out_abs) {
            return Err(Usage(format!(
                "the input {} is inside --out {}: the release is replaced whole by each run",
                given.display(),
                out.display()
            )));
        }
        if let Some(r) = &restricted_abs
            && given_abs.starts_with(r)
        {
            return Err(Usage(format!(
                "the input {} is inside --restricted-out {}: it would be written over",
                given.display(),
                r.display()
            )));
        }
        if !given.is_dir() {
            continue;
        }
        if out_abs.starts_with(&given_abs) {
            return Err(Usage(format!(
                "--out {} is inside the input folder {}: the release would be read as input next time",
                out.display(),
                given.display()
            )));
        }
        if let Some(r) = &restricted_abs
            && r.starts_with(&given_abs)
        {
            return Err(Usage(format!(
                "--restricted-out {} is inside the input folder {}: restricted parts would be read as reports",
                r.display(),
                given.display()
            )));
        }
    }
    if let (Some(restricted), Some(r)) = (restricted_out, &restricted_abs)
        && (r.starts_with(&out_abs) || out_abs.starts_with(r))
    {
        return Err(Usage(format!(
            "--restricted-out {} and --out {} must be apart: restricted text may never be in or around a release",
            restricted.display(),
            out.display()
        )));
    }
    Ok(())
}

/// A progress bar on a terminal, nothing otherwise.
fn progress_bar(common: &Common, total: usize) -> indicatif::ProgressBar {
    if common.quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} reports, {per_sec}, {eta} left",
        )
        .expect("the progress template is valid"),
    );
    bar
}

/// The machine-readable summary of a run.
fn run_summary(batch: &Batch, started: std::time::Instant) -> serde_json::Value {
    let quarantined: Vec<serde_json::Value> = batch
        .entries_with(Status::Quarantined)
        .map(|e| serde_json::json!({ "source": e.source, "reasons": e.reasons }))
        .collect();
    // Details Part 1 shares with the withheld part: for the approver, never in the release.
    let warnings: Vec<serde_json::Value> = batch
        .entries()
        .filter(|e| !e.warnings.is_empty())
        .map(|e| serde_json::json!({ "source": e.source, "warnings": e.warnings }))
        .collect();
    serde_json::json!({
        "counts": {
            "published": batch.count(Status::Published),
            "withheld": batch.count(Status::Withheld),
            "deferred": batch.count(Status::Deferred),
            "quarantined": batch.count(Status::Quarantined),
        },
        "reused": batch.reused,
        "quarantined": quarantined,
        "warnings": warnings,
        "duration_seconds": (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        "exit_status": batch.exit_code(),
    })
}

/// Writes a file whole (a temporary file renamed into place), creating its folder.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Usage> {
    mopac_redact::release::write_whole(path, bytes)
        .map_err(|e| Usage(format!("{}: {e}", path.display())))
}

fn verify(
    release: &Path,
    sources: &[PathBuf],
    arg: &ClassificationsArg,
) -> Result<ExitCode, Usage> {
    let config = classifications(arg)?;
    let inputs = input::discover(sources)?;
    let findings = mopac_redact::audit::audit(release, &inputs, &config)
        .map_err(|e| Usage(format!("cannot audit the release: {e}")))?;
    if findings.is_empty() {
        eprintln!(
            "{}: the release agrees with its sources and manifest",
            release.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for f in &findings {
        emit(&format!("{f}\n"));
    }
    eprintln!("{}: {} finding(s)", release.display(), findings.len());
    Ok(ExitCode::from(1))
}

/// ANSI colours, on a terminal that has not asked for none.
struct Paint(bool);

impl Paint {
    fn detect() -> Self {
        Paint(
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        )
    }

    fn paint(&self, colour: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{colour}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn explain_text(e: &Explanation, paint: &Paint) -> String {
    let mut out = format!("{}: would be {}\n", e.source, e.status.as_str());
    if let Some(title) = &e.title {
        out.push_str(&format!("  title:    {title}\n"));
    }
    if let Some(marking) = &e.marking {
        out.push_str(&format!("  marking:  {marking}\n"));
    }
    for x in &e.exemptions {
        out.push_str(&format!(
            "  exempt:   {} ({}, FOI Act section {}), because the marking's descriptor is {}\n",
            x.reason,
            x.id,
            x.section,
            x.descriptors.join(", ")
        ));
    }
    if let Some(due) = &e.publish_after {
        out.push_str(&format!("  deferred: until {due} (publish_after)\n"));
    }
    for b in &e.blocks {
        let lines = b.lines.map_or_else(
            || "generated".to_string(),
            |[a, z]| {
                if a == z {
                    format!("line {a}")
                } else {
                    format!("lines {a}-{z}")
                }
            },
        );
        let colour = match b.verdict {
            "public" => "32",
            "withheld" | "front-matter-removed" => "31",
            "notice" => "36",
            _ => "33",
        };
        let verdict = format!("{:<20}", b.verdict);
        out.push_str(&format!(
            "  {lines:<14} {} {}\n",
            paint.paint(colour, &verdict),
            b.excerpt
        ));
    }
    for r in &e.reasons {
        let at = if r.line > 0 {
            format!("{}:{}", e.source, r.line)
        } else {
            e.source.clone()
        };
        out.push_str(&format!(
            "  {}: {at}: {} [{}]\n      remedy: {}\n",
            paint.paint(
                if e.status == Status::Quarantined {
                    "31;1"
                } else {
                    "33"
                },
                e.status.as_str()
            ),
            r.message,
            r.code,
            r.remedy
        ));
    }
    for w in &e.warnings {
        out.push_str(&format!(
            "  {}: {}:{}: {}\n",
            paint.paint("33", "warning"),
            e.source,
            w.line,
            w.message
        ));
    }
    out
}

fn explain(file: &Path, format: Format, arg: &ClassificationsArg) -> Result<ExitCode, Usage> {
    let config = classifications(arg)?;
    let bytes = std::fs::read(file).map_err(|e| Usage(format!("{}: {e}", file.display())))?;
    let e = review::explain(&file.display().to_string(), &bytes, &config);
    match format {
        Format::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&e)?)),
        Format::Text => emit(&explain_text(&e, &Paint::detect())),
    }
    Ok(ExitCode::from(u8::from(e.status == Status::Quarantined)))
}

fn redline(file: &Path, out: &Path, arg: &ClassificationsArg) -> Result<ExitCode, Usage> {
    if let Some(release) = review::release_around(out) {
        return Err(Usage(format!(
            "{} is inside the release {}: a review copy carries restricted text and may never be written into a release",
            out.display(),
            release.display()
        )));
    }
    let config = classifications(arg)?;
    let bytes = std::fs::read(file).map_err(|e| Usage(format!("{}: {e}", file.display())))?;
    let source = file.display().to_string();
    match analyse(&bytes, &config) {
        Outcome::Redacted(a) => {
            write_file(out, review::redline(&source, &a, &config).as_bytes())?;
            eprintln!(
                "review copy of {source} -> {} (NOT FOR PUBLICATION)",
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            eprint!(
                "{}",
                explain_text(&review::explain(&source, &bytes, &config), &Paint(false))
            );
            eprintln!("no review copy: the report would not be published, as explained above");
            Ok(ExitCode::from(1))
        }
    }
}

fn config_command(action: &ConfigAction) -> Result<ExitCode, Usage> {
    match action {
        ConfigAction::Check {
            classifications: arg,
        } => {
            classifications(arg)?;
            eprintln!(
                "classifications are valid ({})",
                arg.dir
                    .as_ref()
                    .map_or("built in".into(), |d| d.display().to_string())
            );
            Ok(ExitCode::SUCCESS)
        }
        ConfigAction::Show {
            classifications: arg,
        } => {
            let config = classifications(arg)?;
            let mut out = format!(
                "# classifications: {}\n# digest: {}\n",
                arg.dir
                    .as_ref()
                    .map_or("built in".into(), |d| d.display().to_string()),
                config.digest
            );
            for (name, text) in config::sources(arg.dir.as_deref())? {
                out.push_str(&format!("\n# ---- {name} ----\n{}\n", text.trim_end()));
            }
            emit(&out);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode, Usage> {
    match &cli.command {
        Command::Publish {
            common,
            out,
            restricted_out,
            full,
        } => run(common, Some(out), restricted_out.as_deref(), *full),
        Command::Check { common } => run(common, None, None, false),
        Command::Verify {
            release,
            sources,
            classifications,
        } => verify(release, sources, classifications),
        Command::Explain {
            file,
            format,
            classifications,
        } => explain(file, *format, classifications),
        Command::Redline {
            file,
            out,
            classifications,
        } => redline(file, out, classifications),
        Command::Config { action } => config_command(action),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "mopac-redact", &mut script);
            emit(&String::from_utf8_lossy(&script));
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            emit(&String::from_utf8_lossy(&page));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    // A panic's message can quote the text being processed: report where, never what.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!(
            "mopac-redact: internal error{at} (details are not shown: they could quote a report)"
        );
    }));
    dispatch(Cli::parse()).unwrap_or_else(|Usage(message)| {
        eprintln!("mopac-redact: {message}");
        ExitCode::from(USAGE)
    })
}

//! The `mopac-redact` command: turns flags into calls to the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use jiff::civil::Date;

use mopac_redact::config::Classifications;
use mopac_redact::manifest::Status;
use mopac_redact::{Batch, input, release};

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
    after_help = "Exit status: 0 every report was published, withheld or deferred; 1 a report was quarantined; \
        2 usage or configuration error (nothing written).\n\n\
        Examples:\n  mopac-redact check reports/\n  mopac-redact publish reports/ --out release/\n  \
        mopac-redact publish reports/ --out release/ --as-of 2026-12-01 --classifications my-classifications/\n  \
        mopac-redact verify release/ --source reports/"
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
        /// Folder of classification YAML files replacing the built-in ones (as given to
        /// publish).
        #[arg(long, value_name = "DIR")]
        classifications: Option<PathBuf>,
    },
}

#[derive(Args)]
struct Common {
    /// Reports, or folders walked recursively (sorted; hidden files skipped).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Folder of classification YAML files replacing the built-in ones.
    #[arg(long, value_name = "DIR")]
    classifications: Option<PathBuf>,
    /// Date the run acts on (YYYY-MM-DD): reports with a later publish_after are deferred.
    /// Default: today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<Date>,
    /// Print only errors and quarantined reports.
    #[arg(long, short)]
    quiet: bool,
}

struct Prepared {
    config: Classifications,
    inputs: Vec<input::Input>,
    as_of: Date,
}

fn classifications(dir: Option<&Path>) -> Result<Classifications, String> {
    match dir {
        Some(dir) => Classifications::load(dir),
        None => Classifications::defaults(),
    }
    .map_err(|e| format!("invalid classifications:\n{e}"))
}

fn prepare(common: &Common, out: Option<&Path>) -> Result<Prepared, String> {
    let config = classifications(common.classifications.as_deref())?;
    let inputs = input::discover(&common.inputs).map_err(|e| e.to_string())?;
    if let Some(out) = out {
        let out_abs = std::path::absolute(out).map_err(|e| format!("{}: {e}", out.display()))?;
        for given in &common.inputs {
            let given_abs =
                std::path::absolute(given).map_err(|e| format!("{}: {e}", given.display()))?;
            if given.is_dir() && out_abs.starts_with(&given_abs) {
                return Err(format!(
                    "--out {} is inside the input folder {}: the release would be read as input next time",
                    out.display(),
                    given.display()
                ));
            }
        }
        release::check_target(out).map_err(|e| e.to_string())?;
    }
    let as_of = match common.as_of {
        Some(date) => date,
        None => jiff::Zoned::now().date(),
    };
    Ok(Prepared {
        config,
        inputs,
        as_of,
    })
}

/// One line per report: `path: status[: file:line: message [code]; ...]`.
fn verdict_line(entry: &mopac_redact::manifest::DocumentEntry) -> String {
    let mut line = format!("{}: {}", entry.source, entry.status.as_str());
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

fn verify(release: &Path, sources: &[PathBuf], dir: Option<&Path>) -> ExitCode {
    let prepared = classifications(dir).and_then(|config| {
        let inputs = input::discover(sources).map_err(|e| e.to_string())?;
        Ok((config, inputs))
    });
    let (config, inputs) = match prepared {
        Ok(p) => p,
        Err(message) => {
            eprintln!("mopac-redact: {message}");
            return ExitCode::from(USAGE);
        }
    };
    match mopac_redact::audit::audit(release, &inputs, &config) {
        Err(e) => {
            eprintln!("mopac-redact: cannot audit the release: {e}");
            ExitCode::from(USAGE)
        }
        Ok(findings) if findings.is_empty() => {
            eprintln!(
                "{}: the release agrees with its sources and manifest",
                release.display()
            );
            ExitCode::SUCCESS
        }
        Ok(findings) => {
            for f in &findings {
                println!("{}", f);
            }
            eprintln!("{}: {} finding(s)", release.display(), findings.len());
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    // A panic's message can quote the text being processed: report where, never what.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!("mopac-redact: internal error{at}; the report being processed is quarantined");
    }));

    let cli = Cli::parse();
    let (common, out) = match &cli.command {
        Command::Publish { common, out } => (common, Some(out.as_path())),
        Command::Check { common } => (common, None),
        Command::Verify {
            release,
            sources,
            classifications: dir,
        } => return verify(release, sources, dir.as_deref()),
    };
    let prepared = match prepare(common, out) {
        Ok(p) => p,
        Err(message) => {
            eprintln!("mopac-redact: {message}");
            return ExitCode::from(USAGE);
        }
    };
    let batch = mopac_redact::run(&prepared.inputs, &prepared.config, prepared.as_of);

    match out {
        None => {
            for p in &batch.processed {
                if !common.quiet || p.entry.status == Status::Quarantined {
                    println!("{}", verdict_line(&p.entry));
                }
            }
        }
        Some(out) => {
            for p in batch
                .processed
                .iter()
                .filter(|p| p.entry.status == Status::Quarantined)
            {
                eprintln!("{}", verdict_line(&p.entry));
            }
            let made = match batch.release(&prepared.config, prepared.as_of) {
                Ok(made) => made,
                Err(message) => {
                    eprintln!(
                        "mopac-redact: {message}; nothing was written and the previous release is unchanged"
                    );
                    return ExitCode::from(USAGE);
                }
            };
            if let Err(e) = release::write(out, &made.files, &made.manifest.to_json()) {
                eprintln!(
                    "mopac-redact: cannot write the release: {e}; the previous release is unchanged"
                );
                return ExitCode::from(USAGE);
            }
            if !common.quiet {
                eprintln!("{} -> {}", summary(&batch), out.display());
            }
        }
    }
    if out.is_none() && !common.quiet {
        eprintln!("{}", summary(&batch));
    }
    ExitCode::from(batch.exit_code() as u8)
}

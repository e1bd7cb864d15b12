//! The `mopac-redact` command: turns flags into calls to the library, results into printing
//! and exit statuses (0 ok, 1 quarantined or a finding, 2 usage or configuration, 3 locked,
//! 130 and 143 stopped by SIGINT and SIGTERM).

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use jiff::civil::Date;
use mopac_redact::batch::{Batch, Unpublished};
use mopac_redact::cli::{self, Cli, Command, Common, ConfigAction, Format};
use mopac_redact::cli::{
    Color, ConvertArgs, ExplainArgs, ManArgs, PublishArgs, RedlineArgs, VerifyArgs,
};
use mopac_redact::inputs::Reports;
use mopac_redact::publish::{self, CheckError, Plan, PublishError};
use mopac_redact::review::{self, Redlined, ReviewTarget};
use mopac_redact::show::{self, Lines, Paint, Progress};
use mopac_redact::stop::Stop;
use mopac_redactor::input;
use mopac_types::manifest::{DocumentEntry, Status};

/// Exit status for a usage or configuration error.
const USAGE: u8 = 2;
/// Exit status when another run holds the release's lock.
const LOCKED: u8 = 3;

/// Writes to standard output and ends well. A reader that stops early (`| head`) is not an
/// error: the command's exit status still reports the run.
fn emit(text: &str) -> ExitCode {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

/// A failure that ends the command: its message and exit status (2 unless said otherwise).
struct Usage(String, u8);

impl<E: std::fmt::Display> From<E> for Usage {
    fn from(e: E) -> Self {
        Usage(e.to_string(), USAGE)
    }
}

/// A `publish` or `check` run that failed: why, with its exit status, and what the run would
/// have unpublished when that is why it was refused.
struct Failure {
    usage: Usage,
    unpublished: Option<Unpublished>,
}

impl<E: Into<Usage>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure {
            usage: e.into(),
            unpublished: None,
        }
    }
}

impl Failure {
    /// A failed `publish`: exit 3 when locked, 128 plus the signal when stopped, else 2.
    fn of_publish(e: PublishError) -> Self {
        let code = match &e {
            PublishError::Locked(_) => LOCKED,
            PublishError::Stopped(signal) => signal.exit_status(),
            _ => USAGE,
        };
        let unpublished = match &e {
            PublishError::Unpublish { unpublished, .. } => Some(unpublished.clone()),
            _ => None,
        };
        Failure {
            usage: Usage(e.to_string(), code),
            unpublished,
        }
    }

    /// A failed `check`: 128 plus the signal when stopped, else 2.
    fn of_check(e: CheckError) -> Self {
        let code = match &e {
            CheckError::Stopped(signal) => signal.exit_status(),
            _ => USAGE,
        };
        Usage(e.to_string(), code).into()
    }
}

/// `publish` (with `args`) or `check`. With `--format json`, one JSON document on standard
/// output whatever happens: the run's summary, or its error.
fn run(common: &Common, args: Option<&PublishArgs>) -> Result<ExitCode, Usage> {
    let started = Instant::now();
    let as_of = common.as_of();
    let head = show::RunHead {
        command: if args.is_some() { "publish" } else { "check" },
        as_of,
        out: args.map(|a| a.out.as_path()),
    };
    let outcome = batch(common, args, as_of);
    match (common.format, outcome) {
        (Format::Json, Ok(batch)) => {
            emit(&show::run_summary(&head, &batch, started));
            Ok(ExitCode::from(batch.exit_code()))
        }
        (Format::Json, Err(Failure { usage, unpublished })) => {
            let Usage(message, code) = usage;
            eprintln!("mopac-redact: {message}");
            emit(&show::run_failure(
                &head,
                &message,
                code,
                unpublished.as_ref(),
            ));
            Ok(ExitCode::from(code))
        }
        (Format::Text, Ok(batch)) => {
            if args.is_none() {
                emit(&show::verdicts(&batch, common.quiet));
            }
            if !common.quiet {
                if let Some(warning) = show::unpublished_warning(&batch) {
                    eprintln!("{warning}");
                }
                let out = args.map(|a| a.out.as_path());
                eprintln!("{}", show::run_line(&batch, out, started));
            }
            Ok(ExitCode::from(batch.exit_code()))
        }
        (Format::Text, Err(failure)) => Err(failure.usage),
    }
}

/// The batch of a `publish` (with `args`) or `check` run, its reports' lines given on
/// standard error as they are finished. SIGINT and SIGTERM stop it cleanly.
fn batch(common: &Common, args: Option<&PublishArgs>, as_of: Date) -> Result<Batch, Failure> {
    let stop = Stop::on_signals().map_err(|e| format!("cannot handle signals: {e}"))?;
    let config = common.classifications.load()?;
    let plan = match args {
        Some(a) => Some(
            Plan::new(&common.inputs, &a.out, a.restricted_out.as_deref(), a.full)?
                .allow_empty(a.allow_empty)
                .max_unpublish(a.max_unpublish),
        ),
        None => None,
    };
    // The plan's inputs are borrowed, not copied: a large run holds them once.
    let discovered;
    let inputs: &dyn Reports = match &plan {
        Some(plan) => plan.inputs(),
        None => {
            discovered = input::discover(&common.inputs)?;
            &discovered
        }
    };
    let lines = match (common.format, &plan) {
        (Format::Json, _) => Lines::None,
        _ if common.verbose => Lines::Every,
        (Format::Text, Some(_)) if common.quiet => Lines::Quarantined,
        (Format::Text, Some(_)) => Lines::Notable,
        (Format::Text, None) => Lines::None,
    };
    let progress = Progress::new(inputs, !common.quiet, lines);
    let done = |e: &DocumentEntry| progress.done(e);
    let batch = match &plan {
        None => publish::check(inputs, &config, as_of, &done, &stop).map_err(Failure::of_check),
        Some(plan) => {
            publish::publish(plan, &config, as_of, &done, &stop).map_err(Failure::of_publish)
        }
    };
    progress.finish();
    batch
}

fn verify(a: &VerifyArgs) -> Result<ExitCode, Usage> {
    let config = a.classifications.load()?;
    let inputs = input::discover(&a.sources)?;
    let findings = mopac_redact::audit::audit(&a.release, &inputs, &config)
        .map_err(|e| format!("cannot audit the release: {e}"))?;
    let release = a.release.display();
    if findings.is_empty() {
        eprintln!("{release}: the release agrees with its sources and manifest");
        return Ok(ExitCode::SUCCESS);
    }
    for f in &findings {
        emit(&format!("{f}\n"));
    }
    eprintln!("{release}: {} finding(s)", findings.len());
    Ok(ExitCode::from(1))
}

fn explain(a: &ExplainArgs, color: Color) -> Result<ExitCode, Usage> {
    let config = a.classifications.load()?;
    let (source, bytes) = review::read(&a.file)?;
    let e = review::explain_on(&source, &bytes, &config, a.as_of());
    match a.format {
        Format::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&e)?)),
        Format::Text => emit(&show::explanation(&e, &Paint::stdout(color))),
    };
    Ok(ExitCode::from(u8::from(e.status == Status::Quarantined)))
}

fn redline(a: &RedlineArgs) -> Result<ExitCode, Usage> {
    let target = ReviewTarget::new(&a.out)?;
    let config = a.classifications.load()?;
    let (source, bytes) = review::read(&a.file)?;
    match review::write_redline(&target, &source, &bytes, &config)? {
        Redlined::Written => {
            let out = a.out.display();
            eprintln!("review copy of {source} -> {out} (NOT FOR PUBLICATION)");
            Ok(ExitCode::SUCCESS)
        }
        Redlined::NotPublishable(why) => {
            eprint!("{}", show::explanation(&why, &Paint(false)));
            eprintln!("no review copy: the report would not be published, as explained above");
            Ok(ExitCode::from(1))
        }
    }
}

fn convert(a: &ConvertArgs) -> Result<ExitCode, Usage> {
    if !mopac_redact::word::is_word_path(&a.file) {
        return Err(Usage(
            format!(
                "{}: not a Word report (expected a file ending .docx)",
                a.file.display()
            ),
            USAGE,
        ));
    }
    let config = a.classifications.load()?;
    let (source, bytes) = review::read(&a.file)?;
    match mopac_redact::word::convert(&bytes, &config) {
        Ok(c) => Ok(emit(&c.markdown)),
        Err(reasons) => {
            for r in &reasons {
                eprintln!("refused: {source}: {} [{}]", r.message, r.code);
                eprintln!("  remedy: {}", r.code.remedy());
            }
            Ok(ExitCode::from(1))
        }
    }
}

fn configuration(action: &ConfigAction) -> Result<ExitCode, Usage> {
    match action {
        ConfigAction::Check(arg) => {
            arg.load()?;
            eprintln!("classifications are valid ({})", arg.origin());
            Ok(ExitCode::SUCCESS)
        }
        ConfigAction::Show(arg) => Ok(emit(&show::classifications(arg)?)),
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode, Usage> {
    match &cli.command {
        Command::Publish(a) => run(&a.common, Some(a)),
        Command::Check(common) => run(common, None),
        Command::Verify(a) => verify(a),
        Command::Explain(a) => explain(a, cli.color),
        Command::Redline(a) => redline(a),
        Command::Convert(a) => convert(a),
        Command::Config { action } => configuration(action),
        Command::Completions { shell } => Ok(emit(&cli::completions(*shell))),
        Command::Man(ManArgs { dir }) => Ok(emit(&mopac_redact::manual::man(dir.as_deref())?)),
    }
}

fn main() -> ExitCode {
    show::hide_panic_details();
    dispatch(Cli::parse()).unwrap_or_else(|Usage(message, code)| {
        eprintln!("mopac-redact: {message}");
        ExitCode::from(code)
    })
}

//! The `mopac-redact` command: turns flags into calls to the library, results into printing
//! and exit statuses (0 ok, 1 quarantined or a finding, 2 usage or configuration, 3 locked).

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use mopac_redact::cli::{self, Cli, Command, Common, ConfigAction, Format};
use mopac_redact::cli::{Color, ExplainArgs, ManArgs, PublishArgs, RedlineArgs, VerifyArgs};
use mopac_redact::publish::{self, Plan, PublishError};
use mopac_redact::review::{self, Redlined, ReviewTarget};
use mopac_redact::show::{self, Paint, Progress};
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

/// `publish` (with `args`) or `check`.
fn run(common: &Common, args: Option<&PublishArgs>) -> Result<ExitCode, Usage> {
    let started = Instant::now();
    let config = common.classifications.load()?;
    let plan = args
        .map(|a| Plan::new(&common.inputs, &a.out, a.restricted_out.as_deref(), a.full))
        .transpose()?;
    let inputs = match &plan {
        Some(plan) => plan.inputs().to_vec(),
        None => input::discover(&common.inputs)?,
    };
    let progress = Progress::new(inputs.len(), common.quiet, common.verbose, plan.is_some());
    let (done, as_of) = (|e: &DocumentEntry| progress.done(e), common.as_of());
    let batch = match &plan {
        None => publish::check(&inputs, &config, as_of, &done)?,
        Some(plan) => publish::publish(plan, &config, as_of, &done).map_err(|e| {
            let locked = matches!(e, PublishError::Locked(_));
            Usage(e.to_string(), if locked { LOCKED } else { USAGE })
        })?,
    };
    progress.finish();
    match common.format {
        Format::Json => _ = emit(&show::run_summary(&batch, started)?),
        Format::Text => {
            if plan.is_none() {
                emit(&show::verdicts(&batch, common.quiet));
            }
            if !common.quiet {
                let out = plan.as_ref().map(Plan::out);
                eprintln!("{}", show::run_line(&batch, out, started));
            }
        }
    }
    Ok(ExitCode::from(batch.exit_code()))
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

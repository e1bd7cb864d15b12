//! The command line: every subcommand and flag, as clap reads them.
//!
//! The binary turns these into calls to the library; the help text here is the manual's
//! (`mopac-redact man`, rendered by [`crate::manual`]).

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use mopac_redactor::config::Classifications;

/// The command line.
#[derive(Parser)]
#[command(
    name = "mopac-redact",
    // The build's identity, as the manifest records it: an operator can match a binary to a
    // release.
    version = VERSION,
    about = "Publish MOPAC reports: keep the public Part 1, delete the restricted Part 2, cite the exemption.",
    long_about = "Publish MOPAC reports: keep the public Part 1, delete the restricted Part 2, cite the exemption.\n\n\
        For every report (.md, .markdown or .txt) it keeps the cover and Part 1 byte for byte, keeps the \
        Part 2 banner and the marking under it, deletes everything else of Part 2 and writes the exemption \
        notice for the marking's descriptors. A report that does not have the expected shape is \
        quarantined: nothing of it is published, and the reason names its line.",
    after_help = after_help()
)]
pub struct Cli {
    /// When to colour the output: auto colours on a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = Color::Auto)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

/// The version `--version` prints after the name: the manifest's `generator` is
/// `mopac-redact VERSION` ([`crate::generator::GENERATOR`]).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (source ",
    env!("MOPAC_SOURCE_DIGEST"),
    ")"
);

/// What each exit status means, for `--help` and the manual pages.
pub const EXIT_STATUS: [(u8, &str); 6] = [
    (
        0,
        "every report was published, withheld or deferred (verify: no finding)",
    ),
    (
        1,
        "a report was quarantined, the others were processed (verify: a finding)",
    ),
    (
        2,
        "usage or configuration error, or the release could not be written: nothing was written and the previous release is unchanged",
    ),
    (
        3,
        "another publish run holds the release's lock: nothing was done",
    ),
    (
        130,
        "stopped by SIGINT (Ctrl-C): the staging folder removed, the lock released, the previous release unchanged",
    ),
    (
        143,
        "stopped by SIGTERM: the staging folder removed, the lock released, the previous release unchanged",
    ),
];

/// Examples, for `--help` and the manual pages.
pub const EXAMPLES: [&str; 7] = [
    "mopac-redact check reports/",
    "mopac-redact publish reports/ --out release/",
    "mopac-redact publish reports/ --out release/ --as-of 2026-12-01 --classifications my-classifications/",
    "mopac-redact verify release/ --source reports/",
    "mopac-redact explain reports/pcd-1084.md",
    "mopac-redact redline reports/pcd-1084.md --out review/pcd-1084.html",
    "mopac-redact config check --classifications my-classifications/",
];

/// The text after the options in `--help`: exit statuses and examples.
fn after_help() -> String {
    let mut text = String::from("Exit status:\n");
    for (status, meaning) in EXIT_STATUS {
        text.push_str(&format!("  {status:>3}  {meaning}\n"));
    }
    text.push_str("\nExamples:");
    for example in EXAMPLES {
        text.push_str(&format!("\n  {example}"));
    }
    text
}

/// When output is coloured.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
pub enum Color {
    /// On a terminal, unless the NO_COLOR environment variable is set (and not empty).
    Auto,
    Always,
    Never,
}

/// The subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Redact reports and write the release: Markdown, HTML and manifest.json.
    Publish(PublishArgs),
    /// Do everything publish does except write: one verdict line per report.
    Check(Common),
    /// Audit a release against its sources, as an auditor would: exit 0 clean, 1 on any finding.
    ///
    /// Checks that the release holds exactly the files its manifest lists, with their digests;
    /// that each published Markdown is its source minus the withheld lines the manifest names
    /// (their digests checked) plus the exemption notice; that no sensitive marking, withheld
    /// text, hidden or active HTML is in any output; and that nothing of a report that was not
    /// published is in the release.
    Verify(VerifyArgs),
    /// Show, block by block, what publishing a report would do and why.
    ///
    /// Every block with its line range and verdict (public, part2-banner, preamble, marking,
    /// withheld, front-matter-removed, notice), the marking, each exemption and the descriptors
    /// that cite it; for a report that would be refused, each reason with its line and remedy.
    /// Exit 0 when it would be published, withheld or deferred, 1 when it would be
    /// quarantined.
    Explain(ExplainArgs),
    /// Write a private HTML review copy: withheld text struck through beside its exemption.
    ///
    /// Stamped "NOT FOR PUBLICATION – REVIEW COPY" at top and bottom. Refuses to write inside
    /// a release folder (one that holds manifest.json).
    Redline(RedlineArgs),
    /// Print the Markdown a Word report (.docx) is read as: the source of record.
    ///
    /// What every other command reads for a .docx, so a reviewer sees exactly what was read;
    /// the published Markdown is it minus Part 2 plus the notice, and the manifest's line
    /// numbers refer to it. A document the reader refuses prints each reason with its
    /// remedy and exits 1.
    Convert(ConvertArgs),
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
    /// Print the manual page (roff), e.g. `mopac-redact man > mopac-redact.1`, or write one
    /// page per command into a folder.
    Man(ManArgs),
}

/// `man`: print the main page, or write them all.
#[derive(Args)]
pub struct ManArgs {
    /// Write every page (mopac-redact.1, mopac-redact-publish.1, ...) into DIR, creating it,
    /// instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `config` subcommands.
#[derive(Subcommand)]
pub enum ConfigAction {
    /// Validate every classification file; report all problems with file:line:column.
    /// Exit 0 when valid, 2 otherwise.
    Check(ClassificationsArg),
    /// Print the classification files in effect, with their digest.
    Show(ClassificationsArg),
}

/// `publish`: the reports, the release and the restricted parts.
#[derive(Args)]
pub struct PublishArgs {
    #[command(flatten)]
    pub common: Common,
    /// Release folder. It is replaced whole when the run ends; an existing folder must be a
    /// previous release (it holds manifest.json) or empty.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Also write each report's withheld part as its own Markdown under DIR (same relative
    /// path), marked at top and bottom. DIR may not be, contain or lie inside --out.
    #[arg(long, value_name = "DIR")]
    pub restricted_out: Option<PathBuf>,
    /// Process every report, even those unchanged since the previous release (by default
    /// their files are carried over).
    #[arg(long)]
    pub full: bool,
    /// Publish even when the inputs hold no report at all: the release is emptied. Without it
    /// such a run is refused (exit 2) and the release left as it was, since an unmounted or
    /// empty archive folder looks the same.
    #[arg(long)]
    pub allow_empty: bool,
    /// Refuse (exit 2, the release left as it was) a run that would take out more than
    /// PERCENT of the reports the previous release published: removed from the input, moved,
    /// or no longer published. 100 allows any share.
    #[arg(
        long,
        value_name = "PERCENT",
        default_value_t = crate::publish::MAX_UNPUBLISH,
        value_parser = clap::value_parser!(u8).range(0..=100)
    )]
    pub max_unpublish: u8,
}

/// `verify`: the release and its sources.
#[derive(Args)]
pub struct VerifyArgs {
    /// The release folder (it holds manifest.json).
    #[arg(value_name = "RELEASE")]
    pub release: PathBuf,
    /// The reports the release was made from, files or folders as given to publish.
    #[arg(long = "source", value_name = "INPUT", required = true, num_args = 1..)]
    pub sources: Vec<PathBuf>,
    #[command(flatten)]
    pub classifications: ClassificationsArg,
}

/// `explain`: the report and the output format.
#[derive(Args)]
pub struct ExplainArgs {
    /// The report.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub classifications: ClassificationsArg,
    /// Date to explain the report on (YYYY-MM-DD): a later publish_after defers it.
    /// Default: today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub as_of: Option<Date>,
}

/// `convert`: the Word report.
#[derive(Args)]
pub struct ConvertArgs {
    /// The Word report (.docx).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub classifications: ClassificationsArg,
}

/// `redline`: the report and where its review copy goes.
#[derive(Args)]
pub struct RedlineArgs {
    /// The report.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the review copy (an .html file).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    #[command(flatten)]
    pub classifications: ClassificationsArg,
}

/// `--classifications`: the folder replacing the built-in classifications.
#[derive(Args)]
pub struct ClassificationsArg {
    /// Folder of classification YAML files replacing the built-in ones.
    #[arg(long = "classifications", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// How a command prints its result.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// What `publish` and `check` share: the reports, the date, what is printed.
#[derive(Args)]
pub struct Common {
    /// Reports, or folders walked recursively (sorted; hidden files skipped).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub classifications: ClassificationsArg,
    /// Date the run acts on (YYYY-MM-DD): reports with a later publish_after are deferred.
    /// Default: today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub as_of: Option<Date>,
    /// Print only errors and quarantined reports; no progress bar.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print a line for every report, on standard error.
    #[arg(long, short)]
    pub verbose: bool,
    /// Print the run's summary (counts per status, quarantined reports and their reasons,
    /// duration) as JSON on standard output, for schedulers.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// A date as `--as-of` takes it; the parser's own words would name its internals.
fn date(text: &str) -> Result<Date, String> {
    text.parse()
        .map_err(|_| "expected a date as YYYY-MM-DD, e.g. 2026-11-25".to_string())
}

/// Today, for a command given no `--as-of`.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

impl ClassificationsArg {
    /// The classifications in effect: the folder's, or the built-in ones. On failure, every
    /// problem on its own line (`file:line:column: error[code]: message`) under a line that
    /// counts them.
    pub fn load(&self) -> Result<Classifications, String> {
        match &self.dir {
            Some(dir) => Classifications::load(dir),
            None => Classifications::defaults(),
        }
        .map_err(|e| {
            let n = e.0.len();
            let problems = if n == 1 { "problem" } else { "problems" };
            format!(
                "the classifications ({}) have {n} {problems}:\n{e}",
                self.origin()
            )
        })
    }

    /// Where the classifications come from, as messages name it.
    pub fn origin(&self) -> String {
        self.dir
            .as_ref()
            .map_or("built in".into(), |d| d.display().to_string())
    }
}

impl ExplainArgs {
    /// The date the report is explained on: `--as-of`, or today.
    pub fn as_of(&self) -> Date {
        self.as_of.unwrap_or_else(today)
    }
}

impl Common {
    /// The date the run acts on: `--as-of`, or today.
    pub fn as_of(&self) -> Date {
        self.as_of.unwrap_or_else(today)
    }
}

/// The shell completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "mopac-redact", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--version` and the manifest name the same build.
    #[test]
    fn the_version_is_the_generator_s() {
        assert_eq!(crate::GENERATOR, format!("mopac-redact {VERSION}"));
    }

    #[test]
    fn a_date_that_is_not_one_says_what_is_expected() {
        assert_eq!(date("2026-11-25").unwrap().to_string(), "2026-11-25");
        for wrong in ["tomorrow", "25/11/2026", "2026-02-30", ""] {
            assert_eq!(
                date(wrong).unwrap_err(),
                "expected a date as YYYY-MM-DD, e.g. 2026-11-25"
            );
        }
    }
}

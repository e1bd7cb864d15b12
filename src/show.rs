//! What the commands print: verdict lines, run summaries, explanations, progress.
//!
//! Messages name files and lines, codes and remedies; they never quote a report.

use std::collections::{HashMap, VecDeque};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use jiff::civil::Date;
use mopac_redactor::config;
use mopac_types::manifest::{DocumentEntry, Status};
use mopac_types::reason::Reason;
use serde::Serialize;

use crate::batch::{Batch, Unpublished};
use crate::cli::{ClassificationsArg, Color};
use crate::generator::GENERATOR;
use crate::inputs::Reports;
use crate::report::source_name;
use crate::review::{Explanation, Verdict};

/// One line per report: `path: status[: file:line: message [code]; ...]`.
pub fn verdict_line(entry: &DocumentEntry) -> String {
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

/// The closing line of a run: counts, reports carried over, the release, the time taken.
pub fn run_line(batch: &Batch, out: Option<&Path>, started: Instant) -> String {
    let target = out.map_or_else(String::new, |o| format!(" -> {}", o.display()));
    let reused = if batch.reused > 0 {
        format!(" ({} unchanged, carried over)", batch.reused)
    } else {
        String::new()
    };
    format!(
        "{} published, {} withheld, {} deferred, {} quarantined{reused}{target} in {:.1}s",
        batch.count(Status::Published),
        batch.count(Status::Withheld),
        batch.count(Status::Deferred),
        batch.count(Status::Quarantined),
        started.elapsed().as_secs_f64()
    )
}

/// What every JSON document of a `publish` or `check` run opens with: the tool and its
/// build, the command, the date it acted on and the release it wrote.
#[derive(Debug, Clone, Copy)]
pub struct RunHead<'a> {
    /// `publish` or `check`.
    pub command: &'a str,
    pub as_of: Date,
    /// The release (`publish --out`), as given.
    pub out: Option<&'a Path>,
}

/// The head as JSON, in this order.
#[derive(Serialize)]
struct Head<'a> {
    tool: &'static str,
    version: &'static str,
    /// The digest of the sources the binary was built from.
    source: &'static str,
    /// As the manifest records it.
    generator: &'static str,
    command: &'a str,
    as_of: String,
    out: Option<String>,
}

impl RunHead<'_> {
    fn json(&self) -> Head<'_> {
        Head {
            tool: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
            source: env!("MOPAC_SOURCE_DIGEST"),
            generator: GENERATOR,
            command: self.command,
            as_of: self.as_of.to_string(),
            out: self.out.map(|o| o.display().to_string()),
        }
    }
}

/// A reason as the JSON summary gives it: its line only when it has one (a reason about the
/// report as a whole has none), and its remedy.
#[derive(Serialize)]
struct JsonReason<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    code: &'static str,
    message: &'a str,
    remedy: &'static str,
}

fn reasons(rs: &[Reason]) -> Vec<JsonReason<'_>> {
    rs.iter()
        .map(|r| JsonReason {
            line: (r.line > 0).then_some(r.line),
            code: r.code.as_str(),
            message: &r.message,
            remedy: r.code.remedy(),
        })
        .collect()
}

/// A report's verdict in the JSON summary.
#[derive(Serialize)]
struct JsonReport<'a> {
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasons: Option<Vec<JsonReason<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warnings: Option<Vec<JsonReason<'a>>>,
}

/// What a release takes out of the previous one, in JSON.
#[derive(Serialize)]
struct JsonUnpublished<'a> {
    count: usize,
    of: usize,
    percent: usize,
    sources: &'a [String],
}

impl<'a> From<&'a Unpublished> for JsonUnpublished<'a> {
    fn from(u: &'a Unpublished) -> Self {
        JsonUnpublished {
            count: u.sources.len(),
            of: u.of,
            percent: u.percent(),
            sources: &u.sources,
        }
    }
}

#[derive(Serialize)]
struct Counts {
    published: usize,
    withheld: usize,
    deferred: usize,
    quarantined: usize,
}

/// The summary of a run that finished.
#[derive(Serialize)]
struct Summary<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    counts: Counts,
    reused: usize,
    /// `null` for `check`, which has no release to compare with.
    unpublished: Option<JsonUnpublished<'a>>,
    reports: Vec<JsonReport<'a>>,
    quarantined: Vec<JsonReport<'a>>,
    warnings: Vec<JsonReport<'a>>,
    duration_seconds: f64,
    exit_status: u8,
}

/// The document of a run that failed.
#[derive(Serialize)]
struct Failed<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    unpublished: Option<JsonUnpublished<'a>>,
    exit_status: u8,
}

/// A report's entry in the summary: with its status and warnings in `reports`, its source and
/// reasons alone in `quarantined`.
fn json_report(e: &DocumentEntry, whole: bool) -> JsonReport<'_> {
    JsonReport {
        source: &e.source,
        status: whole.then(|| e.status.as_str()),
        reasons: Some(reasons(&e.reasons)),
        warnings: whole.then(|| reasons(&e.warnings)),
    }
}

/// The machine-readable summary of a run, as pretty JSON with a final newline: the one
/// document `--format json` prints.
pub fn run_summary(head: &RunHead<'_>, batch: &Batch, started: Instant) -> String {
    let entries: Vec<DocumentEntry> = batch.entries().collect();
    // Reports with warnings, from the entries: the approver's, never in the release.
    let warned: Vec<&DocumentEntry> = entries.iter().filter(|e| !e.warnings.is_empty()).collect();
    let summary = Summary {
        head: head.json(),
        counts: Counts {
            published: batch.count(Status::Published),
            withheld: batch.count(Status::Withheld),
            deferred: batch.count(Status::Deferred),
            quarantined: batch.count(Status::Quarantined),
        },
        reused: batch.reused,
        unpublished: head.out.map(|_| (&batch.unpublished).into()),
        reports: entries.iter().map(|e| json_report(e, true)).collect(),
        quarantined: entries
            .iter()
            .filter(|e| e.status == Status::Quarantined)
            .map(|e| json_report(e, false))
            .collect(),
        // Details Part 1 shares with the withheld part: for the approver, never in the
        // release.
        warnings: warned
            .iter()
            .map(|w| JsonReport {
                source: &w.source,
                status: None,
                reasons: None,
                warnings: Some(reasons(&w.warnings)),
            })
            .collect(),
        duration_seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        exit_status: batch.exit_code(),
    };
    pretty(&summary)
}

/// The JSON document of a run that failed: its head, the error and the exit status, and what
/// the run would have unpublished when that is why it was refused.
pub fn run_failure(
    head: &RunHead<'_>,
    error: &str,
    exit_status: u8,
    refused: Option<&Unpublished>,
) -> String {
    pretty(&Failed {
        head: head.json(),
        error,
        unpublished: refused.map(JsonUnpublished::from),
        exit_status,
    })
}

fn pretty(doc: &impl Serialize) -> String {
    let text = serde_json::to_string_pretty(doc).expect("a run's summary serialises");
    format!("{text}\n")
}

/// The warning a run gives when its release leaves out reports the previous one published.
pub fn unpublished_warning(batch: &Batch) -> Option<String> {
    let u = &batch.unpublished;
    if u.sources.is_empty() {
        return None;
    }
    const SHOWN: usize = 10;
    let mut line = format!(
        "warning: {} of the {} reports of the previous release are no longer published ({}%): {}",
        u.sources.len(),
        u.of,
        u.percent(),
        u.sources[..u.sources.len().min(SHOWN)].join(", ")
    );
    if u.sources.len() > SHOWN {
        line.push_str(&format!(" and {} more", u.sources.len() - SHOWN));
    }
    Some(line)
}

/// The verdict lines `check` prints: every report's, or with `quiet` only the quarantined.
pub fn verdicts(batch: &Batch, quiet: bool) -> String {
    batch
        .entries()
        .filter(|e| !quiet || e.status == Status::Quarantined)
        .map(|e| format!("{}\n", verdict_line(&e)))
        .collect()
}

/// Which reports a run gives a line for on standard error as they are finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// None (`--format json`: the summary has them all; `check`, whose lines go to standard
    /// output).
    None,
    /// The quarantined (`publish --quiet`).
    Quarantined,
    /// The quarantined and those with warnings (`publish`).
    Notable,
    /// Every report (`--verbose`).
    Every,
}

/// A run's progress: a bar on a terminal, and the lines given as reports are finished, in
/// input order whatever order the workers finish them in, so that two runs over the same
/// input give the same log.
pub struct Progress<'a> {
    bar: indicatif::ProgressBar,
    lines: Lines,
    order: Mutex<InOrder<'a>>,
    /// Where the lines go: standard error (a list, in tests).
    to: Box<Say<'a>>,
}

/// What lines are said with.
type Say<'a> = dyn Fn(&[String]) + Send + Sync + 'a;

/// Lines written to standard error, whole, one after another.
fn to_stderr(lines: &[String]) {
    let mut err = std::io::stderr().lock();
    for line in lines {
        let _ = writeln!(err, "{line}");
    }
}

/// Lines of finished reports, held until every report before them is finished.
struct InOrder<'a> {
    /// Every report, in input order (borrowed: a large run holds its inputs once).
    inputs: &'a dyn Reports,
    /// The first report not yet finished.
    next: usize,
    /// Reports finished ahead of `next`, by source (a source given twice is there twice):
    /// the line to give for each, if any.
    waiting: HashMap<String, VecDeque<Option<String>>>,
}

impl InOrder<'_> {
    /// Notes a report finished, and gives every line now due, in input order. Reports are
    /// known by the name their entries give them ([`source_name`]): by the path they were
    /// found at, none would be due before the end and every one would be held till then.
    fn finished(&mut self, source: &str, line: Option<String>) -> Vec<String> {
        self.waiting
            .entry(source.to_string())
            .or_default()
            .push_back(line);
        let mut due = Vec::new();
        while self.next < self.inputs.len() {
            let source = source_name(&self.inputs.get(self.next));
            let Some(queue) = self.waiting.get_mut(&source) else {
                break;
            };
            let Some(line) = queue.pop_front() else {
                break;
            };
            if queue.is_empty() {
                self.waiting.remove(&source);
            }
            due.extend(line);
            self.next += 1;
        }
        due
    }

    /// Every line still held: none, unless a report was finished under a name it was not
    /// given by.
    fn rest(&mut self) -> Vec<String> {
        let mut rest = Vec::new();
        for i in self.next..self.inputs.len() {
            if let Some(queue) = self.waiting.remove(&source_name(&self.inputs.get(i))) {
                rest.extend(queue.into_iter().flatten());
            }
        }
        let mut strays: Vec<_> = self.waiting.drain().collect();
        strays.sort_by(|a, b| a.0.cmp(&b.0));
        rest.extend(
            strays
                .into_iter()
                .flat_map(|(_, q)| q.into_iter().flatten()),
        );
        rest
    }
}

impl<'a> Progress<'a> {
    /// Progress over `inputs`; `bar` shows a bar on a terminal, `lines` says which reports
    /// are given a line.
    pub fn new(inputs: &'a dyn Reports, bar: bool, lines: Lines) -> Self {
        let bar = if !bar || !std::io::stderr().is_terminal() {
            indicatif::ProgressBar::hidden()
        } else {
            let bar = indicatif::ProgressBar::new(inputs.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} reports, {rate}, {eta} left",
                )
                .expect("the progress template is valid")
                .with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&rate(state.per_sec()));
                    },
                ),
            );
            bar
        };
        let order = InOrder {
            inputs,
            next: 0,
            waiting: HashMap::new(),
        };
        Progress {
            bar,
            lines,
            order: Mutex::new(order),
            to: Box::new(to_stderr),
        }
    }

    /// One report finished.
    pub fn done(&self, entry: &DocumentEntry) {
        let refused = entry.status == Status::Quarantined;
        let warned = !entry.warnings.is_empty();
        let line = match self.lines {
            Lines::None => false,
            Lines::Quarantined => refused,
            Lines::Notable => refused || warned,
            Lines::Every => true,
        }
        .then(|| verdict_line(entry));
        // The lines are said while the order is held: two threads that each take the lines
        // now due would otherwise say them in whichever order they reach the terminal.
        let mut order = self.lock();
        let due = order.finished(&entry.source, line);
        self.say(&due);
        drop(order);
        self.bar.inc(1);
    }

    /// The run is over: any line still held is given, and the bar goes.
    pub fn finish(&self) {
        let order = &mut *self.lock();
        self.say(&order.rest());
        self.bar.finish_and_clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, InOrder<'a>> {
        self.order.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn say(&self, lines: &[String]) {
        if !lines.is_empty() {
            self.bar.suspend(|| (self.to)(lines));
        }
    }
}

/// Reports per second as a person reads it: whole, with thousands separated (`1,629/s`).
pub fn rate(per_sec: f64) -> String {
    // Saturates: a rate past u64 or below zero is no rate a run has.
    let whole = per_sec.round() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out + "/s"
}

/// `config show`: the classification files in effect, with where they come from and their
/// digest.
pub fn classifications(arg: &ClassificationsArg) -> Result<String, String> {
    let digest = arg.load()?.digest;
    let sources = config::sources(arg.dir.as_deref()).map_err(|e| e.to_string())?;
    let mut out = format!("# classifications: {}\n# digest: {digest}\n", arg.origin());
    for (name, text) in sources {
        out.push_str(&format!("\n# ---- {name} ----\n{}\n", text.trim_end()));
    }
    Ok(out)
}

/// ANSI colours, on a terminal that has not asked for none.
pub struct Paint(pub bool);

impl Paint {
    /// Colours for standard output as `--color` asks: `auto` when it is a terminal and
    /// `NO_COLOR` is not set.
    pub fn stdout(color: Color) -> Self {
        Paint::new(
            color,
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR"),
        )
    }

    /// Colours as `color` asks, on a `terminal` or not, with `no_color` the value of
    /// `NO_COLOR` (which counts only when it is not empty, as no-color.org has it).
    pub fn new(color: Color, terminal: bool, no_color: Option<std::ffi::OsString>) -> Self {
        Paint(match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
        })
    }

    fn paint(&self, colour: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{colour}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// The colour of a verdict: green published as written, red deleted, cyan written by the
/// tool, yellow the banner and marking kept.
fn colour(verdict: Verdict) -> &'static str {
    // Every verdict named: a new one is given its colour on purpose.
    match verdict {
        Verdict::Public => "32",
        Verdict::Withheld
        | Verdict::FrontMatterRemoved
        | Verdict::OrphanedDefinition
        | Verdict::MarkupRemoved => "31",
        Verdict::Notice => "36",
        Verdict::Part2Banner | Verdict::Preamble | Verdict::Marking => "33",
    }
}

/// A block's lines as `explain` shows them.
fn lines(lines: Option<[usize; 2]>) -> String {
    match lines {
        None => "generated".to_string(),
        Some([a, z]) if a == z => format!("line {a}"),
        Some([a, z]) => format!("lines {a}-{z}"),
    }
}

/// `explain`'s text: the report's facts, its blocks with their verdicts, reasons, warnings.
pub fn explanation(e: &Explanation, paint: &Paint) -> String {
    let mut out = match (e.status, e.publish_after) {
        // Deferral first: what an approver must know before the blocks.
        (Status::Deferred, Some(due)) => format!(
            "{}: deferred until {due} (publish_after); would be published on that date\n",
            e.source
        ),
        (status, _) => format!("{}: would be {}\n", e.source, status.as_str()),
    };
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
        out.push_str(&format!("  publish_after: {due}\n"));
    }
    for b in &e.blocks {
        let verdict = format!("{:<20}", b.verdict);
        out.push_str(&format!(
            "  {:<14} {} {}\n",
            lines(b.lines),
            paint.paint(colour(b.verdict), &verdict),
            b.excerpt
        ));
    }
    let status_colour = if e.status == Status::Quarantined {
        "31;1"
    } else {
        "33"
    };
    for r in &e.reasons {
        let at = if r.line > 0 {
            format!("{}:{}", e.source, r.line)
        } else {
            e.source.clone()
        };
        out.push_str(&format!(
            "  {}: {at}: {} [{}]\n      remedy: {}\n",
            paint.paint(status_colour, e.status.as_str()),
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

/// Makes a panic report where it happened, never its message: the message can quote the
/// text being processed.
pub fn hide_panic_details() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!(
            "mopac-redact: internal error{at} (details are not shown: they could quote a report)"
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::Block;

    /// Lines come in input order however the reports' threads finish: the lines due are
    /// said while the order is held, so a thread cannot say later lines before another has
    /// said the earlier ones it took (it could, when they were said after the order was let
    /// go: one log in two of a large batch came out of order).
    #[test]
    fn lines_are_said_in_input_order_by_threads_finishing_at_once() {
        use mopac_redactor::input::Input;
        let inputs: Vec<Input> = (0..2000)
            .map(|i| Input {
                path: format!("in/r{i:04}.md").into(),
                release_stem: format!("r{i:04}"),
            })
            .collect();
        let said = std::sync::Arc::new(Mutex::new(Vec::new()));
        let mut progress = Progress::new(&inputs, false, Lines::Quarantined);
        let to = said.clone();
        progress.to = Box::new(move |lines: &[String]| {
            // A thread let go between taking its lines and saying them loses the race.
            std::thread::yield_now();
            to.lock().unwrap().extend(lines.iter().cloned());
        });
        let entries: Vec<DocumentEntry> = inputs
            .iter()
            .map(|input| {
                crate::report::Processed::quarantined(
                    &crate::report::source_name(input),
                    b"",
                    vec![],
                )
                .entry
            })
            .collect();
        let threads = 4;
        std::thread::scope(|s| {
            for t in 0..threads {
                let (progress, entries) = (&progress, &entries);
                s.spawn(move || {
                    for e in entries.iter().skip(t).step_by(threads) {
                        progress.done(e);
                    }
                });
            }
        });
        progress.finish();
        let expected: Vec<String> = entries.iter().map(verdict_line).collect();
        assert_eq!(*said.lock().unwrap(), expected);
    }

    /// An orphaned definition is deleted like withheld text: it used to be coloured as a
    /// kept block, since its verdict fell through a match on strings.
    #[test]
    fn an_orphaned_definition_is_shown_as_removed() {
        let block = |verdict| Block {
            lines: Some([3, 3]),
            verdict,
            excerpt: String::new(),
        };
        let e = Explanation {
            source: "r.md".into(),
            status: Status::Published,
            title: None,
            marking: None,
            exemptions: Vec::new(),
            publish_after: None,
            blocks: vec![block(Verdict::OrphanedDefinition), block(Verdict::Marking)],
            reasons: Vec::new(),
            warnings: Vec::new(),
        };
        let text = explanation(&e, &Paint(true));
        assert!(text.contains("\x1b[31morphaned-definition "), "{text:?}");
        assert!(text.contains("\x1b[33mmarking "), "{text:?}");
    }

    /// The bar showed `1,629.2699/s`: four decimals of a rate that changes every moment.
    #[test]
    fn the_rate_is_whole_with_thousands_separated() {
        assert_eq!(rate(1629.2699), "1,629/s");
        assert_eq!(rate(0.4), "0/s");
        assert_eq!(rate(999.5), "1,000/s");
        assert_eq!(rate(1_234_567.0), "1,234,567/s");
        assert_eq!(rate(f64::NAN), "0/s");
    }

    #[test]
    fn colour_follows_the_flag_the_terminal_and_no_color() {
        let set = || Some(std::ffi::OsString::from("1"));
        let empty = || Some(std::ffi::OsString::new());
        assert!(Paint::new(Color::Auto, true, None).0);
        assert!(Paint::new(Color::Auto, true, empty()).0);
        assert!(!Paint::new(Color::Auto, true, set()).0);
        assert!(!Paint::new(Color::Auto, false, None).0);
        assert!(Paint::new(Color::Always, false, set()).0);
        assert!(!Paint::new(Color::Never, true, None).0);
    }
}

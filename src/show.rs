//! What the commands print: verdict lines, run summaries, explanations, progress.
//!
//! Messages name files and lines, codes and remedies; they never quote a report.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use mopac_redactor::config;
use mopac_types::manifest::{DocumentEntry, Status};

use crate::batch::Batch;
use crate::cli::{ClassificationsArg, Color};
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

/// The machine-readable summary of a run, as pretty JSON with a final newline.
pub fn run_summary(batch: &Batch, started: Instant) -> serde_json::Result<String> {
    let summary = run_summary_value(batch, started);
    Ok(format!("{}\n", serde_json::to_string_pretty(&summary)?))
}

fn run_summary_value(batch: &Batch, started: Instant) -> serde_json::Value {
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

/// The verdict lines `check` prints: every report's, or with `quiet` only the quarantined.
pub fn verdicts(batch: &Batch, quiet: bool) -> String {
    batch
        .entries()
        .filter(|e| !quiet || e.status == Status::Quarantined)
        .map(|e| format!("{}\n", verdict_line(&e)))
        .collect()
}

/// A run's progress: a bar on a terminal, and the lines given as reports are finished.
pub struct Progress {
    bar: indicatif::ProgressBar,
    quiet: bool,
    verbose: bool,
    publishing: bool,
}

impl Progress {
    /// Progress over `total` reports. `publishing` gives the quarantined reports and the
    /// warnings as they come; `verbose` every report; `quiet` no bar and no warnings.
    pub fn new(total: usize, quiet: bool, verbose: bool, publishing: bool) -> Self {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            indicatif::ProgressBar::hidden()
        } else {
            let bar = indicatif::ProgressBar::new(total as u64);
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
        Progress {
            bar,
            quiet,
            verbose,
            publishing,
        }
    }

    /// One report finished.
    pub fn done(&self, entry: &DocumentEntry) {
        let warned = !entry.warnings.is_empty() && !self.quiet;
        let refused = entry.status == Status::Quarantined;
        if self.verbose || (self.publishing && (refused || warned)) {
            self.bar.suspend(|| eprintln!("{}", verdict_line(entry)));
        }
        self.bar.inc(1);
    }

    /// The run is over: the bar goes.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
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
        Verdict::Withheld | Verdict::FrontMatterRemoved | Verdict::OrphanedDefinition => "31",
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

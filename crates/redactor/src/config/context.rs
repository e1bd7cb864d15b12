//! The validation context: collects every problem of every file, each with its location and
//! code, and holds the checks that several files share (regular expressions, placeholders).
//!
//! A YAML error does not end the reading of its file: the key or value at fault is blanked
//! out (with spaces, so every other line and column stays where it was) or given a stand-in,
//! and the file is read again, so that one run lists every problem. A key the file does not
//! know that turns out to be a misspelling of one it misses is read under the right name.

use regex::{Regex, RegexBuilder};
use serde::de::DeserializeOwned;
use serde_saphyr::{Location, Spanned};

use super::diag::{Code, ConfigError, ConfigErrors, Recovery, yaml_problem};

/// A string as written in a file, with its line and column.
pub(super) type Text = Spanned<String>;

/// Where validation stands (the file being read) and what it has found so far.
#[derive(Default)]
pub(super) struct Context {
    /// The display name of the file being validated.
    file: String,
    /// Every file entered, in order: problems are reported file by file.
    files: Vec<String>,
    errors: Vec<ConfigError>,
    /// Where a stand-in value was put in the current file: a problem found with it there is
    /// the stand-in's, not the file's.
    stand_ins: Vec<(u64, u64)>,
}

/// How many problems the reader reads on past in one file before giving up on the rest.
const MAX_RECOVERIES: usize = 64;

/// Stand-ins for a value of the wrong kind, tried in turn until one is of the right kind.
const STAND_INS: [&str; 5] = ["true", "2", "x", "[]", "{}"];

impl Context {
    /// Reports the following problems against `file`.
    pub(super) fn enter(&mut self, file: &str) {
        if !self.files.iter().any(|f| f == file) {
            self.files.push(file.to_string());
        }
        self.file = file.to_string();
    }

    /// Parses `text`, the whole of the current file, reporting every problem; `None` when
    /// it cannot be read as a whole even past them.
    pub(super) fn parse<T: DeserializeOwned>(&mut self, text: &str) -> Option<T> {
        self.stand_ins.clear();
        let mut lines = Lines::new(text);
        let mut typos: Vec<Typo> = Vec::new();
        let mut seen = Vec::new();
        for _ in 0..MAX_RECOVERIES {
            let e = match read::<T>(&lines.text()) {
                Ok(value) => return Some(value),
                Err(e) => e,
            };
            let at = e.location().map(|l| (l.line(), l.column()));
            let (code, message, recovery) = yaml_problem(&e);
            if seen.contains(&(at, code)) {
                return None;
            }
            seen.push((at, code));
            if let Recovery::Missing(field) = recovery
                && let Some(typo) = typos.iter_mut().find(|t| t.could_be(field))
            {
                lines.restore(&typo.removed, &typo.key, field);
                self.errors[typo.error].message =
                    format!("unknown key '{}'; did you mean '{field}'?", typo.key);
                typo.key.clear();
                continue;
            }
            self.report(e.location(), code, message);
            let (line, column) = at.filter(|&(line, _)| line > 0)?;
            match recovery {
                Recovery::DropKey { unknown } => {
                    let removed = lines.blank(line, column, "")?;
                    if let Some((key, expected)) = unknown {
                        let error = self.errors.len() - 1;
                        typos.push(Typo {
                            key,
                            expected,
                            removed,
                            error,
                        });
                    }
                }
                Recovery::StandIn => {
                    let value = STAND_INS
                        .iter()
                        .find_map(|s| lines.stand_in::<T>(line, column, s));
                    lines = value?;
                    self.stand_ins.push((line, column));
                }
                Recovery::Missing(_) | Recovery::Stop => return None,
            }
        }
        None
    }

    /// Reports a problem of kind `code` with the value `at`.
    pub(super) fn error<T>(&mut self, at: &Spanned<T>, code: Code, message: impl Into<String>) {
        let (line, column) = (at.referenced.line(), at.referenced.column());
        if !self.stand_ins.contains(&(line, column)) {
            self.report(Some(at.referenced), code, message.into());
        }
    }

    fn report(&mut self, at: Option<Location>, code: Code, message: String) {
        let (line, column) = at.map_or((0, 0), |l| (l.line(), l.column()));
        self.errors.push(ConfigError {
            file: self.file.clone(),
            line,
            column,
            code,
            message,
        });
    }

    /// Whether a problem has been found.
    pub(super) fn failed(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Every problem found, file by file in the order read, each file's by line.
    pub(super) fn into_errors(self) -> ConfigErrors {
        let mut errors = self.errors;
        let order = |file: &str| self.files.iter().position(|f| f == file);
        errors.sort_by_key(|e| (order(&e.file), e.line, e.column));
        ConfigErrors(errors)
    }

    /// The case-insensitive pattern `text`.
    pub(super) fn regex(&mut self, text: &Text) -> Regex {
        self.pattern(text, &text.value, true)
    }

    /// `pattern`, built from the value `at`; a pattern that does not compile is reported at
    /// `at` and stands as one that never matches.
    pub(super) fn pattern<T>(
        &mut self,
        at: &Spanned<T>,
        pattern: &str,
        case_insensitive: bool,
    ) -> Regex {
        match RegexBuilder::new(pattern)
            .case_insensitive(case_insensitive)
            .build()
        {
            Ok(re) => re,
            Err(e) => {
                self.error(
                    at,
                    Code::BadPattern,
                    format!("invalid regular expression: {}", last_line(&e.to_string())),
                );
                never_matching()
            }
        }
    }

    /// Checks that the template `text` uses only the placeholders `allowed`.
    pub(super) fn template(&mut self, text: &Text, allowed: &[&str]) {
        let placeholder = Regex::new(r"\{([^{}]*)\}").expect("the placeholder pattern compiles");
        for cap in placeholder.captures_iter(&text.value) {
            let name = &cap[1];
            if !allowed.contains(&name) {
                let expected: Vec<String> = allowed.iter().map(|a| format!("{{{a}}}")).collect();
                self.error(
                    text,
                    Code::UnknownPlaceholder,
                    format!(
                        "unknown placeholder {{{name}}}; expected one of {}",
                        expected.join(", ")
                    ),
                );
            }
        }
    }
}

fn read<T: DeserializeOwned>(text: &str) -> Result<T, serde_saphyr::Error> {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options::<T>(text, options)
}

/// A key the file does not know, blanked out: if the file then misses a key it expected,
/// it was that key misspelt.
struct Typo {
    /// The key as written; empty once it has been read under the right name.
    key: String,
    expected: Vec<&'static str>,
    /// The lines blanked out, to be put back under the right name.
    removed: Removed,
    /// The index of its problem among the context's.
    error: usize,
}

impl Typo {
    fn could_be(&self, field: &str) -> bool {
        !self.key.is_empty() && self.expected.contains(&field)
    }
}

/// Lines blanked out: the first line's index and the lines as they were.
struct Removed(usize, Vec<String>);

/// A file's text as the reader changes it to read on past its problems.
#[derive(Clone)]
struct Lines(Vec<String>);

impl Lines {
    fn new(text: &str) -> Self {
        Lines(text.lines().map(str::to_string).collect())
    }

    fn text(&self) -> String {
        let mut text = self.0.join("\n");
        text.push('\n');
        text
    }

    /// Blanks out the node at `line` and `column` (1-based, in characters): the rest of its
    /// line and the lines under it, indented further, with `put` at its place. Gives the
    /// lines as they were; `None` when the place is not in the file.
    fn blank(&mut self, line: u64, column: u64, put: &str) -> Option<Removed> {
        let first = usize::try_from(line).ok()?.checked_sub(1)?;
        let at = usize::try_from(column).ok()?.checked_sub(1)?;
        let chars: Vec<char> = self.0.get(first)?.chars().collect();
        if at > chars.len() {
            return None;
        }
        let value_follows = chars[at..]
            .iter()
            .collect::<String>()
            .trim_end()
            .ends_with(':');
        let mut end = first + 1;
        while let Some(next) = self.0.get(end) {
            let trimmed = next.trim_start();
            let indent = next.len() - trimmed.len();
            let under = indent > at
                || trimmed.is_empty()
                || trimmed.starts_with('#')
                || (value_follows && indent == at && (trimmed == "-" || trimmed.starts_with("- ")));
            if !under {
                break;
            }
            end += 1;
        }
        let removed = Removed(first, self.0[first..end].to_vec());
        let kept: String = chars[..at].iter().collect();
        let width = (chars.len() - at).saturating_sub(put.chars().count());
        self.0[first] = format!("{kept}{put}{}", " ".repeat(width));
        for l in &mut self.0[first + 1..end] {
            l.clear();
        }
        Some(removed)
    }

    /// Puts `removed` back, with `key` written as `field`.
    fn restore(&mut self, removed: &Removed, key: &str, field: &str) {
        let Removed(first, lines) = removed;
        for (i, l) in lines.iter().enumerate() {
            self.0[first + i] = if i == 0 {
                l.replacen(key, field, 1)
            } else {
                l.clone()
            };
        }
    }

    /// These lines with `value` in place of the value at `line` and `column`, if the file
    /// then reads past that place.
    fn stand_in<T: DeserializeOwned>(&self, line: u64, column: u64, value: &str) -> Option<Self> {
        let mut lines = self.clone();
        lines.blank(line, column, value)?;
        match read::<T>(&lines.text()) {
            Err(e)
                if e.location()
                    .is_some_and(|l| (l.line(), l.column()) == (line, column)) =>
            {
                None
            }
            _ => Some(lines),
        }
    }
}

/// Stands in for a pattern that did not compile, in a configuration that is then refused.
pub(super) fn never_matching() -> Regex {
    Regex::new("$^").expect("the never-matching pattern compiles")
}

/// The regex crate's message is a drawing of the pattern with the reason on its last line.
fn last_line(s: &str) -> String {
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}

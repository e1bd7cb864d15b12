//! The validation context: collects every problem of every file, each with its location, and
//! holds the checks that several files share (regular expressions, placeholders).

use regex::{Regex, RegexBuilder};
use serde::de::DeserializeOwned;
use serde_saphyr::{Location, Spanned};

use super::diag::{ConfigError, ConfigErrors, yaml_message};

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
}

impl Context {
    /// Reports the following problems against `file`.
    pub(super) fn enter(&mut self, file: &str) {
        if !self.files.iter().any(|f| f == file) {
            self.files.push(file.to_string());
        }
        self.file = file.to_string();
    }

    /// Parses `text`, the whole of the current file; `None` (and a problem) when it does not.
    pub(super) fn parse<T: DeserializeOwned>(&mut self, text: &str) -> Option<T> {
        let options = serde_saphyr::options! { strict_booleans: true };
        match serde_saphyr::from_str_with_options::<T>(text, options) {
            Ok(value) => Some(value),
            Err(e) => {
                self.report(e.location(), yaml_message(&e));
                None
            }
        }
    }

    /// Reports a problem with the value `at`.
    pub(super) fn error<T>(&mut self, at: &Spanned<T>, message: impl Into<String>) {
        self.report(Some(at.referenced), message.into());
    }

    fn report(&mut self, at: Option<Location>, message: String) {
        let (line, column) = at.map_or((0, 0), |l| (l.line(), l.column()));
        self.errors.push(ConfigError {
            file: self.file.clone(),
            line,
            column,
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
                    format!(
                        "unknown placeholder {{{name}}}; expected one of {}",
                        expected.join(", ")
                    ),
                );
            }
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

//! Diagnostics: one problem in the configuration, with the file, line and column it stands
//! at, and the whole list a load reports.
//!
//! Every diagnostic reads `file:line:column: error: message`, whether the YAML did not parse
//! or a value in it is wrong, so that editors and terminals can jump to it. Messages from the
//! YAML library are put in plain words: they name neither its options nor its types.

use std::fmt;

use serde_saphyr::{Error, MessageFormatter, UserMessageFormatter};

/// One problem in the configuration, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    /// 1-based; 0 when the problem is with the file as a whole (it cannot be read).
    pub line: u64,
    pub column: u64,
    /// What is wrong, without the location.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        } else {
            write!(f, "{}: ", self.file)?;
        }
        write!(f, "error: {}", self.message)
    }
}

/// Every problem found in a configuration.
#[derive(Debug, Clone)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// What a YAML error means, in plain words and without its location.
pub(super) fn yaml_message(e: &Error) -> String {
    let message = match e.without_snippet() {
        Error::DuplicateMappingKey { key: Some(key), .. } => {
            format!("the key '{key}' is given twice")
        }
        Error::DuplicateMappingKey { key: None, .. } => "a key is given twice".to_string(),
        Error::InvalidBooleanStrict { .. } => "expected true or false".to_string(),
        // The library's wording, for users rather than for programmers.
        other => UserMessageFormatter.format_message(other).into_owned(),
    };
    plain(&message)
}

/// The library's words for YAML's parts, as a user of these files would say them.
const PLAIN: [(&str, &str); 7] = [
    ("unknown field", "unknown key"),
    ("missing field", "missing key"),
    ("expected string scalar", "expected a single text value"),
    ("expected scalar", "expected a single value"),
    ("expected mapping start", "expected `key: value` lines"),
    ("expected sequence start", "expected a list"),
    (
        "expected mapping end",
        "expected the end of the `key: value` lines",
    ),
];

fn plain(message: &str) -> String {
    // The message may quote the file: keep a control character from moving the terminal's
    // cursor.
    let message: String = message
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    for (library, plain) in PLAIN {
        if let Some(rest) = message.strip_prefix(library) {
            return format!("{plain}{rest}");
        }
    }
    // The integer parsers name their Rust type ("invalid u8").
    match message.strip_prefix("invalid ") {
        Some(ty) if ty.starts_with(['u', 'i']) && ty[1..].parse::<u8>().is_ok() => {
            "expected a whole number".to_string()
        }
        _ => message,
    }
}

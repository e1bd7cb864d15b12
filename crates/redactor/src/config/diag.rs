//! Diagnostics: one problem in the configuration, with the file, line and column it stands
//! at, a stable code for its kind, and the whole list a load reports.
//!
//! Every diagnostic reads `file:line:column: error[code]: message`, whether the YAML did not
//! parse or a value in it is wrong, so that editors and terminals can jump to it and scripts
//! can match the code. Messages from the YAML library are put in plain words: they name
//! neither its options nor its types.

use std::fmt;

use serde_saphyr::{Error, MessageFormatter, UserMessageFormatter};

/// The kind of a configuration problem: a short code that stays the same from release to
/// release, whatever the message's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A file that cannot be read.
    Unreadable,
    /// Text that is not YAML.
    Syntax,
    /// A key the file does not know (often a misspelling).
    UnknownKey,
    /// A key the file needs is not there.
    MissingKey,
    /// A key given twice in one mapping.
    DuplicateKey,
    /// A value of the wrong kind (`yes` for a boolean, text for a number, one value for a list).
    WrongType,
    /// An id given twice in one list.
    DuplicateId,
    /// A regular expression that does not compile.
    BadPattern,
    /// A pattern that matches empty text, so would match everywhere.
    EmptyMatch,
    /// A pattern without a named group that the tool needs.
    MissingGroup,
    /// A citation of an exemption that exemptions.yaml does not define.
    UnknownExemption,
    /// A template placeholder the template cannot fill.
    UnknownPlaceholder,
    /// A template without a placeholder it must hold.
    MissingPlaceholder,
    /// A list that must hold at least one entry (or one sensitive classification).
    EmptyList,
    /// Wording that may not be empty.
    EmptyText,
    /// A number outside its range.
    OutOfRange,
    /// A front matter key the tool does not know, or one that may never be published.
    FrontMatterKey,
    /// A default marking that does not read as a sensitive marking with known descriptors.
    BadMarking,
}

impl Code {
    /// Every code, in the order of the table in the README.
    pub const ALL: [Code; 18] = [
        Code::Unreadable,
        Code::Syntax,
        Code::UnknownKey,
        Code::MissingKey,
        Code::DuplicateKey,
        Code::WrongType,
        Code::DuplicateId,
        Code::BadPattern,
        Code::EmptyMatch,
        Code::MissingGroup,
        Code::UnknownExemption,
        Code::UnknownPlaceholder,
        Code::MissingPlaceholder,
        Code::EmptyList,
        Code::EmptyText,
        Code::OutOfRange,
        Code::FrontMatterKey,
        Code::BadMarking,
    ];

    /// The code as messages write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unreadable => "unreadable",
            Code::Syntax => "yaml-syntax",
            Code::UnknownKey => "unknown-key",
            Code::MissingKey => "missing-key",
            Code::DuplicateKey => "duplicate-key",
            Code::WrongType => "wrong-type",
            Code::DuplicateId => "duplicate-id",
            Code::BadPattern => "bad-pattern",
            Code::EmptyMatch => "empty-match",
            Code::MissingGroup => "missing-group",
            Code::UnknownExemption => "unknown-exemption",
            Code::UnknownPlaceholder => "unknown-placeholder",
            Code::MissingPlaceholder => "missing-placeholder",
            Code::EmptyList => "empty-list",
            Code::EmptyText => "empty-text",
            Code::OutOfRange => "out-of-range",
            Code::FrontMatterKey => "front-matter-key",
            Code::BadMarking => "bad-marking",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in the configuration, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    /// 1-based; 0 when the problem is with the file as a whole (it cannot be read).
    pub line: u64,
    pub column: u64,
    /// The kind of problem.
    pub code: Code,
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
        write!(f, "error[{}]: {}", self.code, self.message)
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

/// What the reader can do after a YAML error to go on and find the file's other problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Recovery {
    /// Drop the key at the error's location with its value: a key given twice, or one the
    /// file does not know (with the keys it expected, in case it is a misspelling of one).
    DropKey {
        unknown: Option<(String, Vec<&'static str>)>,
    },
    /// Put a stand-in in place of the value at the error's location.
    StandIn,
    /// A key the file needs is not there.
    Missing(&'static str),
    /// Nothing: the rest of the file cannot be read.
    Stop,
}

/// What a YAML error means: its code, its message in plain words and without its location,
/// and how to read on past it.
pub(super) fn yaml_problem(e: &Error) -> (Code, String, Recovery) {
    let (code, message, recovery) = match e.without_snippet() {
        Error::DuplicateMappingKey { key, .. } => (
            Code::DuplicateKey,
            key.as_ref()
                .map_or("a key is given twice".to_string(), |k| {
                    format!("the key '{k}' is given twice")
                }),
            Recovery::DropKey { unknown: None },
        ),
        Error::SerdeUnknownField {
            field, expected, ..
        } => (
            Code::UnknownKey,
            format!(
                "unknown key '{field}'; expected one of {}",
                expected.join(", ")
            ),
            Recovery::DropKey {
                unknown: Some((field.clone(), expected.clone())),
            },
        ),
        Error::SerdeMissingField { field, .. } => (
            Code::MissingKey,
            format!("missing key '{field}'"),
            Recovery::Missing(field),
        ),
        Error::InvalidBooleanStrict { .. } => (
            Code::WrongType,
            "expected true or false".to_string(),
            Recovery::StandIn,
        ),
        wrong @ (Error::SerdeInvalidType { .. }
        | Error::SerdeInvalidValue { .. }
        | Error::SerdeInvalidLength { .. }
        | Error::InvalidScalar { .. }
        | Error::Unexpected { .. }
        | Error::NullIntoString { .. }) => (
            Code::WrongType,
            UserMessageFormatter.format_message(wrong).into_owned(),
            Recovery::StandIn,
        ),
        // The library's wording, for users rather than for programmers.
        other => {
            let message = UserMessageFormatter.format_message(other).into_owned();
            if whole_number(&message) {
                (Code::WrongType, message, Recovery::StandIn)
            } else {
                (Code::Syntax, message, Recovery::Stop)
            }
        }
    };
    (code, plain(&message), recovery)
}

/// Whether the message is an integer parser's, which names its Rust type ("invalid u8").
fn whole_number(message: &str) -> bool {
    match message.strip_prefix("invalid ") {
        Some(ty) => ty.starts_with(['u', 'i']) && ty[1..].parse::<u8>().is_ok(),
        None => false,
    }
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
    if whole_number(&message) {
        return "expected a whole number".to_string();
    }
    message
}

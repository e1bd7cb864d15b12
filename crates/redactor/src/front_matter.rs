//! Front matter: the YAML block at the top of a Markdown report.
//!
//! It can carry fields that govern publication (`classification`, `publish_after`) and
//! fields nobody meant to publish (an author's e-mail, internal notes, comments). Only the
//! keys listed in `document.yaml` reach the release, as their original lines; every other
//! line is removed.

use std::collections::BTreeMap;
use std::ops::Range;

use jiff::civil::Date;

use crate::config::{Classifications, FRONT_MATTER_KEYS};

/// What the front matter says, and which of its lines are published.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub reference: Option<String>,
    pub date: Option<String>,
    pub meeting: Option<String>,
    pub classification: Option<String>,
    pub publish_after: Option<Date>,
    /// Byte ranges of the source, in order, with whether each is published.
    pub pieces: Vec<(Range<usize>, bool)>,
    /// The 1-based line on which each top-level key stands.
    pub key_lines: BTreeMap<String, usize>,
}

impl FrontMatter {
    /// The line of `key`, or 1 (the front matter's first line).
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines.get(key).copied().unwrap_or(1)
    }
}

/// Why the front matter could not be read: a message and a 1-based line within the document.
#[derive(Debug, Clone)]
pub struct Invalid {
    pub line: usize,
    pub message: String,
}

/// Reads the front matter occupying `range` of `src` (delimiter lines included).
pub fn read(
    src: &str,
    range: Range<usize>,
    first_line: usize,
    config: &Classifications,
) -> Result<FrontMatter, Invalid> {
    let block = &src[range.clone()];
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut at = range.start;
    for line in block.split_inclusive('\n') {
        lines.push(at..at + line.len());
        at += line.len();
    }
    // The block as segmented may end with blank lines; the closing delimiter is the last
    // line that is "---" or "...".
    let is_delimiter = |r: &Range<usize>| matches!(src[r.clone()].trim_end(), "---" | "...");
    let close = lines
        .iter()
        .rposition(is_delimiter)
        .filter(|&i| i > 0)
        .ok_or(Invalid {
            line: first_line,
            message: "front matter has no closing --- line".into(),
        })?;
    let body_range = lines[0].end..lines[close].start;
    let body = &src[body_range];

    let options = serde_saphyr::options! { strict_booleans: true };
    let map: BTreeMap<String, serde_json::Value> = if body.trim().is_empty() {
        BTreeMap::new()
    } else {
        serde_saphyr::from_str_with_options(body, options).map_err(|e| Invalid {
            line: first_line + e.location().map_or(1, |l| l.line() as usize),
            message: "front matter is not a YAML mapping of keys to values".into(),
        })?
    };
    let text = |key: &str| -> Result<Option<String>, Invalid> {
        match map.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(Invalid {
                line: first_line,
                message: format!("front matter key '{key}' must be a single value"),
            }),
        }
    };
    let publish_after = match text("publish_after")? {
        None => None,
        Some(s) => Some(s.trim().parse::<Date>().map_err(|_| Invalid {
            line: first_line,
            message: "front matter publish_after must be a date written YYYY-MM-DD".into(),
        })?),
    };

    // One `key: value` per line. What is published is the line itself, so the line must be
    // all of its value: no value over several lines, no comment, no anchor or alias (an
    // alias would give a published key the value of a removed one).
    let known = FRONT_MATTER_KEYS;
    let mut groups: Vec<(Option<String>, Range<usize>)> = Vec::new();
    for (n, line) in lines[1..close].iter().enumerate() {
        let text = src[line.clone()].trim_end_matches(['\n', '\r']);
        let at = first_line + 1 + n;
        if text.trim().is_empty() {
            groups.push((None, line.clone()));
            continue;
        }
        let Some(key) = simple_line(text) else {
            return Err(Invalid {
                line: at,
                message: "front matter must be one `key: value` per line, without comments, anchors, aliases, tags or values over several lines".into(),
            });
        };
        if !known.contains(&key) && known.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            return Err(Invalid {
                line: at,
                message: "front matter keys are written in lower case".into(),
            });
        }
        groups.push((Some(key.to_string()), line.clone()));
    }
    let key_lines = groups
        .iter()
        .filter_map(|(key, r)| {
            key.clone()
                .map(|k| (k, src[..r.start].matches('\n').count() + 1))
        })
        .collect();
    let published = |key: &Option<String>| {
        key.as_ref()
            .is_some_and(|k| config.document.front_matter_publish.contains(k))
    };
    let mut pieces = Vec::new();
    if groups.iter().any(|(k, _)| published(k)) {
        pieces.push((lines[0].clone(), true));
        for (key, r) in &groups {
            pieces.push((r.clone(), published(key)));
        }
        pieces.push((lines[close].start..range.end, true));
    } else {
        pieces.push((range, false));
    }

    Ok(FrontMatter {
        title: text("title")?,
        reference: text("reference")?,
        date: text("date")?,
        meeting: text("meeting")?,
        classification: text("classification")?,
        publish_after,
        pieces,
        key_lines,
    })
}

/// The key of a front matter line that is `key: value` on its own, or `None`.
fn simple_line(line: &str) -> Option<&str> {
    let (key, value) = line.split_once(':')?;
    let key_ok = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !key_ok || !(value.is_empty() || value.starts_with([' ', '\t'])) {
        return None;
    }
    let v = value.trim();
    let quoted = |q: char| {
        v.len() >= 2 && v.starts_with(q) && v.ends_with(q) && !v[1..v.len() - 1].contains(q)
    };
    let ok = if v.starts_with(['"', '\'']) {
        quoted('"') || quoted('\'')
    } else {
        !v.starts_with(['&', '*', '!', '|', '>', '[', '{', '@', '`', '%', '#'])
            && !v.contains(" #")
            && !v.contains("\t#")
            && !v.contains(": ")
    };
    ok.then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_simple_lines_are_front_matter() {
        assert_eq!(simple_line("title: MPS Custody Telephony"), Some("title"));
        assert_eq!(simple_line("date: 2025-04-10"), Some("date"));
        assert_eq!(simple_line("title: \"A: quoted title\""), Some("title"));
        assert_eq!(simple_line("author:"), Some("author"));
        for bad in [
            "title: *a",
            "author: &a \"Jane Doe\"",
            "title: Custody  # do not publish",
            "notes: \"internal: do not publish.",
            "  # indented comment",
            "# comment",
            "- item",
            "title: |",
            "title: {a: b}",
            "title: !tag x",
        ] {
            assert_eq!(simple_line(bad), None, "{bad}");
        }
    }
}

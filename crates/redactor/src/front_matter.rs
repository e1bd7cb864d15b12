//! Front matter: the YAML block at the top of a Markdown report.
//!
//! It can carry fields that govern publication (`classification`, `publish_after`) and
//! fields nobody meant to publish (an author's e-mail, internal notes, comments). Only the
//! keys listed in `document.yaml` reach the release, as their original lines; every other
//! line is removed. Keys are read whatever their case and with `-` for `_`, and a key the
//! tool does not read but that looks as if it governs publication is reported, so that a
//! misspelt deferral or classification is never removed unread.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use jiff::civil::Date;
use regex::Regex;

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
    /// The 1-based line on which each top-level key stands, by normalised key.
    pub key_lines: BTreeMap<String, usize>,
    /// Keys the tool does not read that look as if they govern publication, with their
    /// lines (see [`looks_governing`]).
    pub unknown: Vec<(String, usize)>,
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

/// Reads the front matter occupying `range` of `src` (leading blank lines, then the
/// delimiter lines and what stands between them; see [`crate::markdown::front_matter`]).
///
/// Keys are read as [`key`] normalises them (`Publish-After:` is `publish_after`); two lines
/// with one key, a `date` that is not a plain date, or anything but one `key: value` per line
/// make the front matter invalid.
pub fn read(
    src: &str,
    range: Range<usize>,
    config: &Classifications,
) -> Result<FrontMatter, Invalid> {
    let line_at = |at: usize| src[..at].matches('\n').count() + 1;
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut at = range.start;
    for line in src[range.clone()].split_inclusive('\n') {
        lines.push(at..at + line.len());
        at += line.len();
    }
    let open = lines
        .iter()
        .position(|r| !src[r.clone()].trim().is_empty())
        .unwrap_or(0);
    let is_delimiter = |r: &Range<usize>| matches!(src[r.clone()].trim_end(), "---" | "...");
    let close = lines
        .iter()
        .rposition(is_delimiter)
        .filter(|&i| i > open)
        .ok_or(Invalid {
            line: line_at(range.start),
            message: "front matter has no closing --- line".into(),
        })?;
    let first_line = line_at(lines[open].start);
    let body = &src[lines[open].end..lines[close].start];

    let options = serde_saphyr::options! { strict_booleans: true };
    let raw: BTreeMap<String, serde_json::Value> = if body.trim().is_empty() {
        BTreeMap::new()
    } else {
        serde_saphyr::from_str_with_options(body, options).map_err(|e| Invalid {
            line: first_line + e.location().map_or(1, |l| l.line() as usize),
            message: "front matter is not a YAML mapping of keys to values".into(),
        })?
    };
    let groups = key_lines(src, &lines[open + 1..close])?;
    let mut map = BTreeMap::new();
    let mut key_lines = BTreeMap::new();
    for (k, v) in raw {
        let normal = key(&k);
        let line = groups
            .iter()
            .find(|(g, _)| g.as_deref() == Some(k.as_str()))
            .map_or(first_line, |(_, r)| line_at(r.start));
        if map.insert(normal.clone(), v).is_some() {
            return Err(Invalid {
                line,
                message: format!("front matter gives the key '{normal}' twice"),
            });
        }
        key_lines.insert(normal, line);
    }
    let fm = values(&map, &key_lines)?;

    let published = |k: &Option<String>| {
        k.as_deref()
            .is_some_and(|k| config.document.front_matter_publish.contains(&key(k)))
    };
    let mut pieces = Vec::new();
    if groups.iter().any(|(k, _)| published(k)) {
        pieces.push((range.start..lines[open].end, true));
        for (k, r) in &groups {
            pieces.push((r.clone(), published(k)));
        }
        pieces.push((lines[close].start..range.end, true));
    } else {
        pieces.push((range, false));
    }
    Ok(FrontMatter {
        pieces,
        unknown: map
            .keys()
            .filter(|k| !FRONT_MATTER_KEYS.contains(&k.as_str()))
            .map(|k| (k.clone(), key_lines[k], map[k].clone()))
            .filter(|(k, _, v)| looks_governing(k, v))
            .map(|(k, line, _)| (k, line))
            .collect(),
        key_lines,
        ..fm
    })
}

/// Where a text opens with a line that reads like a front matter delimiter but is not one
/// that [`crate::markdown::front_matter`] accepts: a run of three or more `-` or `+`
/// (TOML's `+++`, a `----`), or a `---` that opens no front matter. The offset of that line.
pub fn delimiter_like(text: &str) -> Option<usize> {
    let line = text.split_inclusive('\n').find(|l| !l.trim().is_empty())?;
    let t = line.trim();
    let run = t.len() >= 3 && (t.bytes().all(|b| b == b'-') || t.bytes().all(|b| b == b'+'));
    run.then(|| text.find(line).unwrap_or(0))
}

/// A front matter key as the tool reads it: lower case, `-` read as `_`.
pub fn key(written: &str) -> String {
    written.to_ascii_lowercase().replace('-', "_")
}

/// True for a key the tool does not read that looks as if it governs publication: a
/// deferral, an embargo, a date, a classification or a handling instruction by its name, or
/// any key whose value is a date. Removed unread, it would let a report out early or
/// unmarked.
fn looks_governing(key: &str, value: &serde_json::Value) -> bool {
    static NAME: OnceLock<Regex> = OnceLock::new();
    let name = NAME.get_or_init(|| {
        Regex::new(
            r"publish|publication|release|defer|embargo|until|after|before|expir|withh|redact|date|classif|marking|security|sensitiv|protect|restrict|confiden|secret|official|gpms|caveat|handling|descriptor|exempt|foi",
        )
        .expect("the governing key pattern compiles")
    });
    let dated = match value {
        serde_json::Value::String(s) => plain_date(s),
        _ => false,
    };
    name.is_match(key) || dated
}

/// True for a date written plainly, and nothing else: `2025-04-10`, `10 April 2025`,
/// `Thursday 10th April 2025`.
fn plain_date(text: &str) -> bool {
    static WRITTEN: OnceLock<Regex> = OnceLock::new();
    let written = WRITTEN.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,? )?\d{1,2}(?:st|nd|rd|th)? (?:january|february|march|april|may|june|july|august|september|october|november|december),? \d{4}$",
        )
        .expect("the written date pattern compiles")
    });
    let text = text.trim();
    text.parse::<Date>().is_ok() || written.is_match(text)
}

/// True when `text` holds what Markdown or HTML reads as markup: `<`, `>`, `[`, `]`, a
/// backtick, a backslash or a character reference (`&amp;`, `&#62;`). A plain `&` is text.
pub fn has_markup(text: &str) -> bool {
    static REFERENCE: OnceLock<Regex> = OnceLock::new();
    let reference = REFERENCE.get_or_init(|| {
        Regex::new(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
            .expect("the character reference pattern compiles")
    });
    text.contains(['<', '>', '[', ']', '`', '\\']) || reference.is_match(text)
}

/// The values the tool reads, by normalised key.
fn values(
    map: &BTreeMap<String, serde_json::Value>,
    lines: &BTreeMap<String, usize>,
) -> Result<FrontMatter, Invalid> {
    let line = |key: &str| lines.get(key).copied().unwrap_or(1);
    let text = |key: &str| -> Result<Option<String>, Invalid> {
        match map.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(Invalid {
                line: line(key),
                message: format!("front matter key '{key}' must be a single value"),
            }),
        }
    };
    let publish_after = match text("publish_after")? {
        None => None,
        Some(s) => Some(s.trim().parse::<Date>().map_err(|_| Invalid {
            line: line("publish_after"),
            message: "front matter publish_after must be a date written YYYY-MM-DD".into(),
        })?),
    };
    let date = text("date")?;
    if date.as_deref().is_some_and(|d| !plain_date(d)) {
        return Err(Invalid {
            line: line("date"),
            message:
                "front matter date must be a date and nothing else (YYYY-MM-DD or 10 April 2025)"
                    .into(),
        });
    }
    // The page shows these as the report's facts, and the Markdown release keeps their lines:
    // markup in them would be published as markup by a reader that renders front matter.
    for key in ["reference", "meeting"] {
        if text(key)?.is_some_and(|v| has_markup(&v)) {
            return Err(Invalid {
                line: line(key),
                message: format!(
                    "front matter {key} holds characters read as markup (< > [ ] ` \\ or a character reference)"
                ),
            });
        }
    }
    Ok(FrontMatter {
        title: text("title")?,
        reference: text("reference")?,
        date,
        meeting: text("meeting")?,
        classification: text("classification")?,
        publish_after,
        ..FrontMatter::default()
    })
}

/// A line of front matter with its key as written (`None` for a blank line).
type KeyLine = (Option<String>, Range<usize>);

/// Each line between the delimiters with its key as written (`None` for a blank line).
///
/// One `key: value` per line. What is published is the line itself, so the line must be
/// all of its value: no value over several lines, no comment, no anchor or alias (an alias
/// would give a published key the value of a removed one).
fn key_lines(src: &str, lines: &[Range<usize>]) -> Result<Vec<KeyLine>, Invalid> {
    let mut groups = Vec::new();
    for line in lines {
        let text = src[line.clone()].trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            groups.push((None, line.clone()));
            continue;
        }
        let Some(key) = simple_line(text) else {
            return Err(Invalid {
                line: src[..line.start].matches('\n').count() + 1,
                message: "front matter must be one `key: value` per line, without comments, anchors, aliases, tags or values over several lines".into(),
            });
        };
        groups.push((Some(key.to_string()), line.clone()));
    }
    Ok(groups)
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
    // A double-quoted value reads its escapes ("\u0041" is "A"), a single-quoted one its
    // doubled quotes: the Markdown would show what the page does not. Quotes hold plain text.
    let ok = if v.starts_with(['"', '\'']) {
        (quoted('"') || quoted('\'')) && !v.contains('\\')
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
            "meeting: \"Board \\u0041 meeting\"",
            "meeting: 'Board \\ meeting'",
        ] {
            assert_eq!(simple_line(bad), None, "{bad}");
        }
    }

    #[test]
    fn keys_are_read_whatever_their_case_and_dashes() {
        assert_eq!(key("Publish-After"), "publish_after");
        assert_eq!(key("CLASSIFICATION"), "classification");
    }

    #[test]
    fn only_plain_dates_are_dates() {
        for date in ["2025-04-10", "10 April 2025", "Thursday 10th April 2025"] {
            assert!(plain_date(date), "{date}");
        }
        for not in [
            "2025-04-10 draft for the Commander",
            "April 2025",
            "2025-13-01",
            "soon",
        ] {
            assert!(!plain_date(not), "{not}");
        }
    }

    #[test]
    fn unknown_keys_that_govern_publication_are_found() {
        let s = |v: &str| serde_json::Value::String(v.into());
        assert!(looks_governing("embargo", &s("until the board has met")));
        assert!(looks_governing("release_on", &s("next year")));
        assert!(looks_governing("security_level", &s("high")));
        assert!(looks_governing("go_live", &s("2027-03-31")));
        assert!(!looks_governing(
            "internal_contact",
            &s("ruth@mopac.example")
        ));
        assert!(!looks_governing("notes", &s("check the figures")));
    }

    #[test]
    fn delimiters_the_tool_does_not_read_are_found() {
        assert_eq!(delimiter_like("+++\ntitle = \"x\"\n+++\n"), Some(0));
        assert_eq!(delimiter_like("\n----\ntitle: x\n----\n"), Some(1));
        assert_eq!(delimiter_like("MAYOR OF LONDON\n---\n"), None);
        assert_eq!(delimiter_like("- item\n"), None);
    }
}

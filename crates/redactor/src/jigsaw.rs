//! Jigsaw identification: details that stand in both what is published and what is withheld.
//!
//! An amount, a reference code, an e-mail address or a name that Part 1 and Part 2 share can
//! let a reader piece restricted facts together. Such overlaps are reported in the manifest
//! as warnings for the approver, not refused: the detail is already public.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::config::Classifications;
use mopac_types::Lines;
use mopac_types::reason::{Code, Reason};
use mopac_types::{Removal, RemovalKind};

/// The details sought. Never across a line break: a detail is quoted in the warning, and a
/// line break could join the end of a published line to the start of a withheld one.
fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)
              (?P<amount>£[\x20\t]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:[\x20\t]?(?:k|m|bn|million|billion)(?-u:\b))? | (?-u:\b)\d{1,3}(?:,\d{3})+(?-u:\b))
            | (?P<reference>(?-u:\b)(?:PCD|DMPCD|CEOD)[\x20\t]?\d[\d\x20\t-]{0,10}\d(?-u:\b) | (?-u:\b)(?:PCD|DMPCD|CEOD)[\x20\t]?\d(?-u:\b))
            | (?P<email>(?-u:\b)[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
            | (?P<name>(?-u:\b)\p{Lu}[\p{Ll}'’]+(?:[\x20\t]+\p{Lu}[\p{Ll}'’]+)+)
            ",
        )
        .expect("the jigsaw pattern compiles")
    })
}

/// Which alternative of [`pattern`] matched `text`: an e-mail address holds an `@`; otherwise
/// an amount starts with `£` or a digit (of any script, as the pattern's `\d`), a reference code with its capitals, a name with a
/// capital then a small letter.
fn kind_of(text: &str) -> &'static str {
    if text.contains('@') {
        "email"
    } else if text.starts_with(|c: char| c == '£' || c.is_numeric()) {
        "amount"
    } else if ["PCD", "DMPCD", "CEOD"].iter().any(|p| text.starts_with(p)) {
        "reference"
    } else {
        "name"
    }
}

/// The key two mentions share, and what kind of detail it is; `None` for a name made only of
/// the report's furniture words.
fn key(kind: &str, text: &str, config: &Classifications) -> Option<String> {
    match kind {
        "name" => {
            let words: Vec<&str> = text.split_whitespace().collect();
            let first = words
                .iter()
                .position(|w| !config.document.jigsaw_ignore.contains(&w.to_lowercase()))?;
            let last = words
                .iter()
                .rposition(|w| !config.document.jigsaw_ignore.contains(&w.to_lowercase()))?;
            (last > first).then(|| words[first..=last].join(" "))
        }
        "amount" | "reference" => Some(text.split_whitespace().collect::<String>().to_uppercase()),
        _ => Some(text.to_lowercase()),
    }
}

/// Warnings for details shared by the kept text and the Part 2 removals of `src`. Names
/// within the report's `title` are its subject, not an identifying detail.
pub fn warnings(
    src: &str,
    removals: &[Removal],
    lines: &Lines,
    title: Option<&str>,
    config: &Classifications,
) -> Vec<Reason> {
    let title = title.unwrap_or_default().to_lowercase();
    let withheld = |at: usize| {
        removals
            .iter()
            .any(|r| r.kind == RemovalKind::Part2 && r.range.contains(&at))
    };
    let removed = |at: usize| removals.iter().any(|r| r.range.contains(&at));
    let mut public: BTreeMap<(String, &'static str), (usize, String)> = BTreeMap::new();
    let mut restricted: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    // Matches are found without their groups (much faster than captures) and told apart by
    // their first characters: the kinds start differently.
    for m in pattern().find_iter(src) {
        let kind = kind_of(m.as_str());
        let Some(k) = key(kind, m.as_str(), config) else {
            continue;
        };
        if kind == "name" && title.contains(&k.to_lowercase()) {
            continue;
        }
        let line = lines.line(m.start());
        if withheld(m.start()) {
            restricted.entry((k, kind)).or_insert(line);
        } else if !removed(m.start()) {
            public
                .entry((k, kind))
                .or_insert((line, m.as_str().to_string()));
        }
    }
    let mut out: Vec<Reason> = public
        .iter()
        .filter_map(|(key, (line, shown))| {
            let withheld_line = restricted.get(key)?;
            let what = match key.1 {
                "amount" => "amount",
                "reference" => "reference code",
                "email" => "e-mail address",
                _ => "name",
            };
            Some(Reason::new(
                Code::Jigsaw,
                *line,
                format!("the {what} \"{shown}\" stands here and in the withheld part (line {withheld_line})"),
            ))
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Telling a match's kind by its first characters agrees with the pattern's groups.
    #[test]
    fn kinds_told_by_their_start_agree_with_the_groups() {
        let text = "£4,720k and 12,500 under PCD 1084 and DMPCD2023-11, CEOD7; PCD1@x.org, \
                    ann.lee@mopac.example, 3@x.org, Paul O’Kestrel Smith and Halberd Secure, \
                    a\u{661},\u{662}\u{663}\u{664}b";
        let mut seen = 0;
        for caps in pattern().captures_iter(text) {
            let group = ["amount", "reference", "email", "name"]
                .into_iter()
                .find(|k| caps.name(k).is_some())
                .unwrap();
            assert_eq!(kind_of(&caps[0]), group, "{}", &caps[0]);
            seen += 1;
        }
        assert_eq!(seen, 12);
    }

    #[test]
    fn shared_details_are_reported_and_furniture_is_not() {
        let config = Classifications::defaults().unwrap();
        let src = "Paul Kestrel asks the Deputy Mayor to approve £4,720k under PCD 1084.\n\nPart 2\n\n\
                   Paul Kestrel negotiated £4,720k (PCD1084) with the Deputy Mayor; £9,999 is new.\n";
        let start = src.find("Paul Kestrel negotiated").unwrap();
        let removals = [Removal {
            kind: RemovalKind::Part2,
            range: start..src.len(),
            lines: (5, 5),
            sha256: String::new(),
        }];
        let w = warnings(
            src,
            &removals,
            &Lines::new(src),
            Some("Kestrel Review"),
            &config,
        );
        let messages: Vec<&str> = w.iter().map(|r| r.message.as_str()).collect();
        assert_eq!(w.len(), 3, "{messages:?}");
        // A name that is the report's subject is not a warning.
        let titled = warnings(
            src,
            &removals,
            &Lines::new(src),
            Some("Paul Kestrel Review"),
            &config,
        );
        assert_eq!(titled.len(), 2);
        assert!(
            messages.iter().any(|m| m.contains("name \"Paul Kestrel\"")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("amount \"£4,720k\"")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains(
                "reference code \"PCD 1084\" stands here and in the withheld part (line 5)"
            )),
            "{messages:?}"
        );
    }
}

//! `markings.yaml`: the vocabulary of Government Security Classification markings (tiers,
//! handling instructions, descriptors) and how a marking is read against it.
//!
//! The reading lives with the vocabulary because validation needs it too: a configured
//! `default_marking` must read as a sensitive marking the way a report's marking does.

use std::collections::BTreeSet;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::File;
use super::context::{Context, Text, never_matching};
use super::diag::Code;
use crate::normalize::{fold, one_line};
use crate::tier_words::TierWords;

/// `markings.yaml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMarkings {
    #[serde(default)]
    labels: Vec<Text>,
    classifications: Spanned<Vec<RawClassification>>,
    handling_instructions: Vec<RawHandling>,
    descriptors: Vec<RawDescriptor>,
    default_marking: Option<Text>,
    no_descriptor_exemption: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClassification {
    id: Text,
    pattern: Text,
    sensitive: bool,
    #[serde(default = "yes")]
    anywhere: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHandling {
    id: Text,
    pattern: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDescriptor {
    id: Text,
    #[serde(default)]
    aliases: Vec<Text>,
    exemption: Text,
}

/// A classification tier.
#[derive(Debug, Clone)]
pub struct Tier {
    pub id: String,
    /// Matches the tier at the start of a normalised marking.
    pub at_start: Regex,
    /// The tier's pattern as markings.yaml writes it (matched without regard to case): what
    /// the verifier is told, to compile its own way.
    pub pattern: String,
    pub sensitive: bool,
    /// Whether the tier counts wherever it stands in text, or only where a whole line
    /// reads as a marking.
    pub anywhere: bool,
}

/// A handling instruction or descriptor, with every spelling it may take.
#[derive(Debug, Clone)]
pub struct Term {
    pub id: String,
    /// Spellings in marking-token form (see [`tokens`]), longest first.
    pub spellings: Vec<String>,
    /// A pattern for open families such as "<ORGANISATION> USE ONLY".
    pub pattern: Option<Regex>,
    /// The exemption a descriptor cites; `None` for handling instructions.
    pub exemption: Option<String>,
}

/// The marking vocabulary, validated.
#[derive(Debug, Clone)]
pub struct Markings {
    /// Labels read before a marking ("Protective marking:"), as one pattern.
    labels: Option<Regex>,
    /// Tiers in the order they are tried.
    pub tiers: Vec<Tier>,
    /// Every sensitive tier, in tier order (longer forms first, so "TOP SECRET" is one
    /// marking): see [`Markings::sensitive_markings`].
    sensitive_anywhere: Regex,
    /// Every sensitive tier's pattern at the start of a text, in one pattern: see
    /// [`Markings::reads_as_sensitive`]. `None` when it could not be built faithfully (see
    /// [`sensitive_at_start`]); the tiers are then tried one by one.
    sensitive_at_start: Option<Regex>,
    pub handling: Vec<Term>,
    pub descriptors: Vec<Term>,
    /// The marking assumed for a Part 2 that carries none.
    pub default_marking: Option<String>,
    /// The exemption cited for a sensitive marking with no descriptor.
    pub no_descriptor_exemption: Option<String>,
    /// Every exemption id this file cites, where it is cited: checked against
    /// `exemptions.yaml` once both files are validated.
    citations: Vec<Citation>,
    /// The words of the sensitive tiers that the built-in words to guard do not hold, read
    /// from their patterns once: found in disguise as those are.
    pub tier_words: TierWords,
}

/// An exemption id cited in `markings.yaml`.
#[derive(Debug, Clone)]
pub(super) struct Citation {
    /// What cites it, as the message names it.
    pub(super) by: String,
    pub(super) id: Text,
}

/// A marking as the vocabulary reads it: its tier, then the words after it.
#[derive(Debug)]
pub struct Reading<'a> {
    pub tier: &'a Tier,
    /// The folded text after the tier, as written.
    pub after_tier: &'a str,
    /// Handling instruction ids, each once, in the order written.
    pub handling: Vec<String>,
    /// Descriptor ids, each once, in the order written.
    pub descriptors: Vec<String>,
    /// Whether words follow that are neither handling instruction nor descriptor.
    pub unknown: bool,
}

impl Markings {
    /// Reads `folded` (text already passed through [`fold`]) as a marking: `None` when it
    /// does not start with a tier, or has more after it than a marking can.
    pub fn read<'a>(&'a self, folded: &'a str) -> Option<Reading<'a>> {
        let folded = self.after_label(folded);
        let (tier, end) = self
            .tiers
            .iter()
            .find_map(|t| t.at_start.find(folded).map(|m| (t, m.end())))?;
        let rest = tokens(&folded[end..]);
        let mut rest = rest.trim_start_matches([' ', '-', ':', '/']).trim();
        if rest.ends_with('.') {
            rest = rest[..rest.len() - 1].trim_end();
        }
        // Running text ("Official figures show ...") starts with a tier too; a marking is short.
        if rest.split_whitespace().count() > 12 || rest.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut reading = Reading {
            tier,
            after_tier: &folded[end..],
            handling: Vec::new(),
            descriptors: Vec::new(),
            unknown: false,
        };
        while !rest.is_empty() {
            if let Some((id, len)) = longest(&self.handling, rest) {
                push_unique(&mut reading.handling, id);
                rest = rest[len..].trim_start_matches([' ', '-', '/']);
            } else if let Some((id, len)) = longest(&self.descriptors, rest) {
                push_unique(&mut reading.descriptors, id);
                rest = rest[len..].trim_start_matches([' ', '-', '/']);
            } else {
                reading.unknown = true;
                break;
            }
        }
        Some(reading)
    }

    /// True when `folded` reads as a marking ([`Self::read`]) of a sensitive tier.
    pub fn reads_as_sensitive(&self, folded: &str) -> bool {
        // Fast path, exact: `read` gives the first tier whose `at_start` matches the text
        // after the label, and the answer is true only if that tier is sensitive. Then that
        // tier's pattern matches at the start of that same text, and so does the union of
        // every sensitive tier's pattern, compiled with the same case rule and the same `^`
        // (an alternation matches wherever one of its branches does). Where the union does
        // not match, no sensitive tier can be the one `read` gives: the answer is false.
        if let Some(any) = &self.sensitive_at_start
            && !any.is_match(self.after_label(folded))
        {
            return false;
        }
        self.read(folded).is_some_and(|m| m.tier.sensitive)
    }

    /// `folded` after the label that may stand before a marking, as [`Self::read`] cuts it.
    fn after_label<'a>(&self, folded: &'a str) -> &'a str {
        match self.labels.as_ref().and_then(|l| l.find(folded)) {
            Some(m) => &folded[m.end()..],
            None => folded,
        }
    }

    /// The sensitive markings in `folded` text, each given as the index in [`Self::tiers`]
    /// of its tier. A marking counts wherever no ASCII letter touches it: a digit or a
    /// footnote marker beside it does not hide it ("OFFICIAL-SENSITIVE¹" folds to
    /// "OFFICIAL-SENSITIVE1"), while "SECRETARY" holds no marking.
    pub fn sensitive_markings(&self, folded: &str) -> Vec<usize> {
        let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(m) = self.sensitive_anywhere.find_at(folded, at) {
            let before = folded[..m.start()].chars().next_back();
            if letter(before) {
                // Not a marking here; one may still start inside it ("STOP SECRET").
                at = m.start() + folded[m.start()..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            // The tier whose pattern matched: the first that matches here. None would be a
            // tier of its own, allowed nowhere.
            found.push(
                self.tiers
                    .iter()
                    .position(|t| t.sensitive && t.at_start.is_match(m.as_str()))
                    .unwrap_or(usize::MAX),
            );
            at = m.end();
        }
        found
    }

    /// The exemption ids this file cites, with where.
    pub(super) fn citations(&self) -> &[Citation] {
        &self.citations
    }
}

/// Puts marking words in a comparable form: capitals, brackets (square or round), commas
/// and semicolons as spaces, slashes without spaces around them, single spaces.
pub fn tokens(folded: &str) -> String {
    let spaced: String = folded
        .to_uppercase()
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | '(' | ')' | ',' | ';' | '|') {
                ' '
            } else {
                c
            }
        })
        .collect();
    one_line(&spaced).replace(" /", "/").replace("/ ", "/")
}

fn push_unique(list: &mut Vec<String>, id: &str) {
    if !list.iter().any(|x| x == id) {
        list.push(id.to_string());
    }
}

/// The term whose longest spelling opens `rest` at a word boundary, with that length.
fn longest<'a>(terms: &'a [Term], rest: &str) -> Option<(&'a str, usize)> {
    let mut best: Option<(&str, usize)> = None;
    for term in terms {
        let mut lengths: Vec<usize> = term
            .spellings
            .iter()
            .filter(|s| rest.starts_with(s.as_str()) && at_boundary(rest, s.len()))
            .map(String::len)
            .collect();
        if let Some(re) = &term.pattern
            && let Some(m) = re.find(rest)
            && m.start() == 0
            && at_boundary(rest, m.end())
        {
            lengths.push(m.end());
        }
        if let Some(len) = lengths.into_iter().max()
            && best.is_none_or(|(_, b)| len > b)
        {
            best = Some((term.id.as_str(), len));
        }
    }
    best
}

fn at_boundary(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

impl File for RawMarkings {
    const NAME: &'static str = "markings.yaml";
    const BUILT_IN: &'static str = include_str!("../../../../classifications/markings.yaml");
    type Section = Markings;

    fn validate(self, ctx: &mut Context) -> Markings {
        // Handling instructions and descriptors share one id space: a marking's words must
        // read one way only.
        let mut seen = BTreeSet::new();
        let handling = self
            .handling_instructions
            .iter()
            .map(|h| handling_instruction(ctx, &mut seen, h))
            .collect();
        let descriptors = self
            .descriptors
            .iter()
            .map(|d| descriptor(ctx, &mut seen, d))
            .collect();
        let tiers = tiers(ctx, &self.classifications);
        let markings = Markings {
            tier_words: TierWords::of_tiers(&tiers),
            labels: labels(ctx, &self.labels),
            sensitive_at_start: sensitive_at_start(&tiers),
            tiers,
            sensitive_anywhere: sensitive_anywhere(ctx, &self.classifications),
            handling,
            descriptors,
            default_marking: self.default_marking.as_ref().map(|m| m.value.clone()),
            no_descriptor_exemption: self
                .no_descriptor_exemption
                .as_ref()
                .map(|m| m.value.clone()),
            citations: citations(&self),
        };
        if let Some(default) = &self.default_marking {
            check_default_marking(ctx, &markings, default);
        }
        markings
    }
}

fn tiers(ctx: &mut Context, list: &Spanned<Vec<RawClassification>>) -> Vec<Tier> {
    let mut tiers = Vec::new();
    let mut seen = BTreeSet::new();
    for c in &list.value {
        if !seen.insert(c.id.value.as_str()) {
            ctx.error(
                &c.id,
                Code::DuplicateId,
                format!("duplicate classification id '{}'", c.id.value),
            );
        }
        // Checked once as written; the form built from it then compiles as well.
        ctx.regex(&c.pattern);
        let at_start = RegexBuilder::new(&format!("^(?:{})", c.pattern.value))
            .case_insensitive(true)
            .build()
            .unwrap_or_else(|_| never_matching());
        if Regex::new(&c.pattern.value).is_ok() && at_start.is_match("") {
            // An empty match would be a marking everywhere, or hide real ones.
            ctx.error(
                &c.pattern,
                Code::EmptyMatch,
                format!("the pattern of '{}' matches empty text", c.id.value),
            );
        }
        tiers.push(Tier {
            id: c.id.value.clone(),
            at_start,
            pattern: c.pattern.value.clone(),
            sensitive: c.sensitive,
            anywhere: c.anywhere,
        });
    }
    if !tiers.iter().any(|t| t.sensitive) {
        ctx.error(
            list,
            Code::EmptyList,
            "at least one classification must be sensitive",
        );
    }
    tiers
}

/// Every sensitive tier in one pattern, in tier order. Its boundaries are checked by
/// [`Markings::sensitive_markings`], not by the pattern.
fn sensitive_anywhere(ctx: &mut Context, list: &Spanned<Vec<RawClassification>>) -> Regex {
    let sensitive: Vec<String> = list
        .value
        .iter()
        .filter(|c| c.sensitive && c.anywhere)
        .map(|c| format!("(?:{})", c.pattern.value))
        .collect();
    // A marking ends where no ASCII letter follows: that is in the pattern, so that every
    // tier is tried at a place ("SECRET UKRAINE" is no "SECRET UK" marking, but may be a
    // "SECRET" one); the letter before is checked by `sensitive_markings`.
    RegexBuilder::new(&format!("(?:{})(?:[^A-Za-z]|$)", sensitive.join("|")))
        .case_insensitive(true)
        .build()
        .unwrap_or_else(|e| {
            // A pattern that fails alone is reported already, with its line. Patterns that
            // only fail together (two groups of one name) must be reported too: a pattern
            // that never matches would find no marking at all.
            if sensitive.iter().all(|p| Regex::new(p).is_ok()) {
                ctx.error(
                    list,
                    Code::BadPattern,
                    format!("the sensitive classifications' patterns do not compile together: {e}"),
                );
            }
            never_matching()
        })
}

/// Every sensitive tier's pattern in one, at the start of a text, built as each tier's
/// `at_start` is (`^(?:pattern)`, case-insensitive) with each pattern in a group of its own:
/// it matches a text wherever some sensitive tier's `at_start` does.
///
/// `None` (each tier is then tried on its own) when it does not compile, or when a pattern
/// holds a line break: only a line break ends a comment of the verbose mode (`(?x)… # …`),
/// so without one a comment that would run past a pattern's own group runs to the end of the
/// union, leaves its groups open and the union does not compile. A pattern is thus read
/// within its group in the union as it is in its own `at_start`.
fn sensitive_at_start(tiers: &[Tier]) -> Option<Regex> {
    let sensitive: Vec<&Tier> = tiers.iter().filter(|t| t.sensitive).collect();
    if sensitive.is_empty() || sensitive.iter().any(|t| t.pattern.contains(['\n', '\r'])) {
        return None;
    }
    let branches: Vec<String> = sensitive
        .iter()
        .map(|t| format!("(?:{})", t.pattern))
        .collect();
    RegexBuilder::new(&format!("^(?:{})", branches.join("|")))
        .case_insensitive(true)
        .build()
        .ok()
}

/// The labels as one pattern read at the start of a marking, with the colon after them.
fn labels(ctx: &mut Context, labels: &[Text]) -> Option<Regex> {
    let first = labels.first()?;
    let alternatives: Vec<String> = labels.iter().map(|l| regex::escape(&l.value)).collect();
    let pattern = format!("^(?:{}) ?: ?", alternatives.join("|"));
    Some(ctx.pattern(first, &pattern, true))
}

fn handling_instruction<'a>(
    ctx: &mut Context,
    seen: &mut BTreeSet<&'a str>,
    h: &'a RawHandling,
) -> Term {
    unique_term(ctx, seen, &h.id);
    Term {
        id: h.id.value.clone(),
        spellings: spellings(&h.id, &[]),
        pattern: h.pattern.as_ref().map(|p| ctx.regex(p)),
        exemption: None,
    }
}

fn descriptor<'a>(ctx: &mut Context, seen: &mut BTreeSet<&'a str>, d: &'a RawDescriptor) -> Term {
    unique_term(ctx, seen, &d.id);
    Term {
        id: d.id.value.clone(),
        spellings: spellings(&d.id, &d.aliases),
        pattern: None,
        exemption: Some(d.exemption.value.clone()),
    }
}

/// `seen` holds the handling instruction and descriptor ids so far.
fn unique_term<'a>(ctx: &mut Context, seen: &mut BTreeSet<&'a str>, id: &'a Text) {
    if !seen.insert(id.value.as_str()) {
        ctx.error(
            id,
            Code::DuplicateId,
            format!(
                "duplicate handling instruction or descriptor '{}'",
                id.value
            ),
        );
    }
}

/// A term's id and aliases in marking-token form, longest first.
fn spellings(id: &Text, aliases: &[Text]) -> Vec<String> {
    let mut spellings: Vec<String> = std::iter::once(id)
        .chain(aliases)
        .map(|s| tokens(&fold(&s.value)))
        .collect();
    spellings.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    spellings.dedup();
    spellings
}

fn citations(raw: &RawMarkings) -> Vec<Citation> {
    let by_descriptors = raw.descriptors.iter().map(|d| Citation {
        by: format!("descriptor '{}'", d.id.value),
        id: d.exemption.clone(),
    });
    let by_default = raw.no_descriptor_exemption.iter().map(|id| Citation {
        by: "no_descriptor_exemption".into(),
        id: id.clone(),
    });
    by_descriptors.chain(by_default).collect()
}

/// The default marking stands for a Part 2's own: it must read as a sensitive marking with
/// known descriptors.
fn check_default_marking(ctx: &mut Context, markings: &Markings, default: &Text) {
    let folded = fold(&default.value);
    match markings.read(&folded) {
        None => ctx.error(
            default,
            Code::BadMarking,
            "default_marking is not a marking",
        ),
        Some(r) if !r.tier.sensitive => ctx.error(
            default,
            Code::BadMarking,
            "default_marking must be a sensitive marking",
        ),
        Some(r) if r.unknown => ctx.error(
            default,
            Code::BadMarking,
            "default_marking: a descriptor that markings.yaml does not list",
        ),
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Classifications;

    /// A tier as `tiers` builds it from `pattern`.
    fn tier(pattern: &str, sensitive: bool) -> Tier {
        Tier {
            id: pattern.to_string(),
            at_start: RegexBuilder::new(&format!("^(?:{pattern})"))
                .case_insensitive(true)
                .build()
                .expect("the test's pattern compiles"),
            pattern: pattern.to_string(),
            sensitive,
            anywhere: true,
        }
    }

    /// [`Markings::reads_as_sensitive`] as it was first written: each tier tried in turn.
    fn reads_as_sensitive_plainly(markings: &Markings, folded: &str) -> bool {
        markings.read(folded).is_some_and(|m| m.tier.sensitive)
    }

    /// The union of the sensitive tiers answers as the tiers tried one by one do: for the
    /// built-in vocabulary, and for one with anchored, bounded and case-sensitive patterns,
    /// a non-sensitive tier tried first and a tier that reads like a label; on varied text
    /// with and without a label before it, folded as the classifier folds a line.
    #[test]
    fn the_sensitive_tiers_union_reads_as_the_tiers_one_by_one() {
        let config = Classifications::defaults().expect("the built-in classifications load");
        let built_in = config.markings.clone();
        assert!(built_in.sensitive_at_start.is_some());
        let mut other = built_in.clone();
        other.tiers.insert(0, tier("secret squirrel", false));
        other.tiers.extend([
            tier("^PRIVATE", true),
            tier(r"\bIN CONFIDENCE\b", true),
            tier("(?-i:Internal)", true),
            tier("marking", true),
            tier(r"(?x) c l a s s i f i e d", true),
        ]);
        other.sensitive_at_start = sensitive_at_start(&other.tiers);
        assert!(other.sensitive_at_start.is_some());
        let labels = [
            "",
            "Protective marking: ",
            "MARKING:",
            "classification : ",
            "Security Marking:",
            "marking",
        ];
        let extra = [
            "",
            "secret squirrel",
            "PRIVATE",
            "private",
            "in confidence",
            "Internal",
            "INTERNAL",
            "classified",
            "Marking: marking",
            "OFFICIAL-SENSITIVE [COMMERCIAL]",
            "RESTRICTED",
            "Top Secret",
        ];
        let mut texts = crate::samples::Texts::new(31);
        let mut hits = [0; 2];
        for i in 0..20_000 {
            let text = texts.text(8);
            let label = labels[i % labels.len()];
            let word = extra[i % extra.len()];
            for raw in [
                text.clone(),
                format!("{label}{text}"),
                format!("{label}{word} {text}"),
            ] {
                let folded = fold(&raw);
                for (n, m) in [&built_in, &other].into_iter().enumerate() {
                    let plain = reads_as_sensitive_plainly(m, &folded);
                    assert_eq!(m.reads_as_sensitive(&folded), plain, "{folded:?}");
                    hits[n] += usize::from(plain);
                }
            }
        }
        assert!(
            hits.iter().all(|&h| h > 500),
            "the texts hold markings: {hits:?}"
        );
    }

    /// A pattern with a line break is read tier by tier: a comment of the verbose mode could
    /// end inside the union.
    #[test]
    fn a_pattern_with_a_line_break_is_read_tier_by_tier() {
        assert!(sensitive_at_start(&[tier("SECRET", true)]).is_some());
        assert!(
            sensitive_at_start(&[tier("SECRET", true), tier("(?x)A # note\n", true)]).is_none()
        );
        assert!(sensitive_at_start(&[tier("OFFICIAL", false)]).is_none());
    }
}

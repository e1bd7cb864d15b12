//! `banners.yaml`: the sentences that open the public part and the restricted part of a
//! report, and the statement that introduces the Part 2 marking.

use std::collections::BTreeSet;

use regex::Regex;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::File;
use super::context::{Context, Text};
use super::diag::Code;

/// `banners.yaml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBanners {
    public: Spanned<Vec<RawPattern>>,
    restricted: RawRestricted,
    marking_statement: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    id: Text,
    pattern: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRestricted {
    starts: Text,
    whole: Spanned<Vec<RawPattern>>,
    #[serde(default)]
    tells: Vec<Text>,
    without_part2: RawWithoutPart2,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWithoutPart2 {
    #[serde(default)]
    public: Vec<Text>,
    tells: Spanned<Vec<RawPattern>>,
}

/// A named pattern.
#[derive(Debug, Clone)]
pub struct Named {
    pub id: String,
    pub regex: Regex,
}

/// The banners, validated.
#[derive(Debug, Clone)]
pub struct Banners {
    /// Public-part banners, each tried at the start of every line.
    pub public: Vec<Named>,
    /// Finds a line that opens a Part 2 banner.
    pub restricted_starts: Regex,
    /// The Part 2 banners, each matched against a whole block.
    pub restricted_whole: Vec<Named>,
    /// Wording only a Part 2 banner uses: in Part 1, outside a recognised banner, it
    /// quarantines the report.
    pub restricted_tells: Vec<Regex>,
    /// Words that say a report has a restricted part: in a report with no recognised Part 2
    /// banner, any of them quarantines it.
    pub without_part2: Vec<Named>,
    /// All of `without_part2` as one pattern, each as a group of its own, matched as they
    /// are (case-insensitively): a text it does not match holds none of them, so one pass
    /// over a block clears it of every tell. `None` when the union does not compile (then
    /// each tell is tried).
    pub without_part2_any: Option<Regex>,
    /// Phrases taken out of the text before `without_part2` is tried: public wording that
    /// holds a tell ("Non-confidential facts and advice", "NOT PROTECTIVELY MARKED").
    pub public_phrases: Vec<Regex>,
    /// The sentence that introduces the Part 2 marking, with a `marking` group.
    pub marking_statement: Regex,
}

impl File for RawBanners {
    const NAME: &'static str = "banners.yaml";
    const BUILT_IN: &'static str = include_str!("../../../../classifications/banners.yaml");
    type Section = Banners;

    fn validate(self, ctx: &mut Context) -> Banners {
        Banners {
            public: named(ctx, &self.public, "public banner"),
            restricted_starts: ctx.regex(&self.restricted.starts),
            restricted_whole: named(ctx, &self.restricted.whole, "restricted banner"),
            restricted_tells: self.restricted.tells.iter().map(|t| ctx.regex(t)).collect(),
            without_part2: named(ctx, &self.restricted.without_part2.tells, "restricted tell"),
            without_part2_any: union(&self.restricted.without_part2.tells.value),
            public_phrases: self
                .restricted
                .without_part2
                .public
                .iter()
                .map(|t| ctx.regex(t))
                .collect(),
            marking_statement: marking_statement(ctx, &self.marking_statement),
        }
    }
}

/// A list of named patterns: at least one, each id once.
fn named(ctx: &mut Context, list: &Spanned<Vec<RawPattern>>, what: &str) -> Vec<Named> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for p in &list.value {
        if !seen.insert(p.id.value.as_str()) {
            ctx.error(
                &p.id,
                Code::DuplicateId,
                format!("duplicate {what} id '{}'", p.id.value),
            );
        }
        out.push(Named {
            id: p.id.value.clone(),
            regex: ctx.regex(&p.pattern),
        });
    }
    if out.is_empty() {
        ctx.error(
            list,
            Code::EmptyList,
            format!("at least one {what} is required"),
        );
    }
    out
}

/// The union of `patterns` as [`Context::regex`] compiles each (case-insensitively): each
/// is wrapped in a group of its own, so its alternatives and inline flags stay its own.
/// `None` when it does not compile (a pattern in error, or the union too large).
fn union(patterns: &[RawPattern]) -> Option<Regex> {
    let union = patterns
        .iter()
        .map(|p| format!("(?:{})", p.pattern.value))
        .collect::<Vec<_>>()
        .join("|");
    regex::RegexBuilder::new(&union)
        .case_insensitive(true)
        .build()
        .ok()
}

fn marking_statement(ctx: &mut Context, text: &Text) -> Regex {
    let regex = ctx.regex(text);
    if regex.capture_names().all(|n| n != Some("marking")) {
        ctx.error(
            text,
            Code::MissingGroup,
            "marking_statement needs a named group (?P<marking>...) for a marking on the same line",
        );
    }
    regex
}

//! Classifications: the wording the tool recognises and writes, read from `classifications/`.
//!
//! Each of the five YAML files has its module here, which reads it into raw structs that keep
//! each value's line and column and validates them into the typed section the pipeline uses
//! ([`Banners`], [`Markings`], [`Exemptions`], [`Notice`], [`Document`]). Validation collects
//! every problem of every file with its location instead of stopping at the first (a file
//! that does not parse hides none of the others' problems); checks between files run once
//! every section is validated; and nothing runs on a half-valid configuration. The shipped
//! files are compiled into the binary, so the tool runs with no folder;
//! `--classifications DIR` replaces them as a whole.

use std::path::Path;

use serde::de::DeserializeOwned;

mod banners;
mod context;
mod diag;
mod document;
mod exemptions;
pub mod markings;
mod notice;

pub use banners::{Banners, Named};
pub use diag::{Code, ConfigError, ConfigErrors};
pub use document::{Document, FRONT_MATTER_KEYS, IndexWording, Page, SectionTitle};
pub use exemptions::{Exemption, Exemptions};
pub use markings::{Markings, Reading, Term, Tier};
pub use notice::Notice;

use banners::RawBanners;
use context::Context;
use document::RawDocument;
use exemptions::RawExemptions;
use markings::RawMarkings;
use notice::RawNotice;

/// One classification file: its name, the text shipped with the tool, and how its raw form
/// becomes the typed section.
trait File: DeserializeOwned {
    /// The file's name in a classifications folder.
    const NAME: &'static str;
    /// The shipped file, compiled in.
    const BUILT_IN: &'static str;
    /// What the file is validated into.
    type Section;
    /// Turns the raw values into typed ones, reporting every problem to `ctx`.
    fn validate(self, ctx: &mut Context) -> Self::Section;
}

/// The text of one classification file.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file's name in a classifications folder, as hashed in the digest.
    pub file: &'static str,
    /// The name problems are reported under: its path, or `classifications/<file>`.
    pub name: String,
    pub text: String,
}

impl Source {
    fn built_in<F: File>() -> Self {
        Source {
            file: F::NAME,
            name: format!("classifications/{}", F::NAME),
            text: F::BUILT_IN.to_string(),
        }
    }

    fn read<F: File>(dir: &Path) -> Result<Self, ConfigError> {
        let path = dir.join(F::NAME);
        let name = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Source {
                file: F::NAME,
                name,
                text,
            }),
            Err(e) => Err(ConfigError {
                file: name,
                line: 0,
                column: 0,
                code: Code::Unreadable,
                message: format!("cannot read: {e}"),
            }),
        }
    }
}

/// The five classification files.
#[derive(Debug, Clone)]
pub struct Sources {
    pub banners: Source,
    pub markings: Source,
    pub exemptions: Source,
    pub notice: Source,
    pub document: Source,
}

impl Sources {
    /// The files shipped with the tool.
    pub fn built_in() -> Self {
        Sources {
            banners: Source::built_in::<RawBanners>(),
            markings: Source::built_in::<RawMarkings>(),
            exemptions: Source::built_in::<RawExemptions>(),
            notice: Source::built_in::<RawNotice>(),
            document: Source::built_in::<RawDocument>(),
        }
    }

    /// The files in `dir`; every one that cannot be read is reported.
    pub fn read(dir: &Path) -> Result<Self, ConfigErrors> {
        let banners = Source::read::<RawBanners>(dir);
        let markings = Source::read::<RawMarkings>(dir);
        let exemptions = Source::read::<RawExemptions>(dir);
        let notice = Source::read::<RawNotice>(dir);
        let document = Source::read::<RawDocument>(dir);
        match (banners, markings, exemptions, notice, document) {
            (Ok(banners), Ok(markings), Ok(exemptions), Ok(notice), Ok(document)) => Ok(Sources {
                banners,
                markings,
                exemptions,
                notice,
                document,
            }),
            (banners, markings, exemptions, notice, document) => Err(ConfigErrors(
                [
                    banners.err(),
                    markings.err(),
                    exemptions.err(),
                    notice.err(),
                    document.err(),
                ]
                .into_iter()
                .flatten()
                .collect(),
            )),
        }
    }

    /// Every file, in the order they are read and hashed.
    pub fn all(&self) -> [&Source; 5] {
        [
            &self.banners,
            &self.markings,
            &self.exemptions,
            &self.notice,
            &self.document,
        ]
    }

    /// `sha256:` of the files, each as its name then its text: recorded in the manifest.
    fn digest(&self) -> String {
        mopac_types::digest::sha256_parts(
            self.all()
                .into_iter()
                .flat_map(|s| [s.file.as_bytes(), s.text.as_bytes()]),
        )
    }
}

/// The classification files as (display name, text), in the order they are read: from
/// `dir`, or the built-in ones.
pub fn sources(dir: Option<&Path>) -> Result<Vec<(String, String)>, ConfigErrors> {
    let sources = match dir {
        Some(dir) => Sources::read(dir)?,
        None => Sources::built_in(),
    };
    Ok(sources
        .all()
        .into_iter()
        .map(|s| (s.name.clone(), s.text.clone()))
        .collect())
}

/// The validated configuration the pipeline runs on: one section per file.
#[derive(Debug, Clone)]
pub struct Classifications {
    pub banners: Banners,
    pub markings: Markings,
    pub exemptions: Exemptions,
    pub notice: Notice,
    pub document: Document,
    /// `sha256:` of the configuration files, recorded in the manifest.
    pub digest: String,
}

impl Classifications {
    /// The classifications shipped with the tool.
    pub fn defaults() -> Result<Self, ConfigErrors> {
        Self::from_sources(&Sources::built_in())
    }

    /// Reads every classification file from `dir`.
    pub fn load(dir: &Path) -> Result<Self, ConfigErrors> {
        Self::from_sources(&Sources::read(dir)?)
    }

    /// Validates the five files, reporting every problem of every file.
    pub fn from_sources(sources: &Sources) -> Result<Self, ConfigErrors> {
        let mut ctx = Context::default();
        let banners = section::<RawBanners>(&mut ctx, &sources.banners);
        let markings = section::<RawMarkings>(&mut ctx, &sources.markings);
        let exemptions = section::<RawExemptions>(&mut ctx, &sources.exemptions);
        let notice = section::<RawNotice>(&mut ctx, &sources.notice);
        let document = section::<RawDocument>(&mut ctx, &sources.document);
        // Checks between files need both files; one that did not parse is reported already.
        if let (Some(m), Some(e)) = (&markings, &exemptions) {
            ctx.enter(&sources.markings.name);
            check_citations(&mut ctx, m, e);
        }
        match (banners, markings, exemptions, notice, document) {
            (Some(banners), Some(markings), Some(exemptions), Some(notice), Some(document))
                if !ctx.failed() =>
            {
                Ok(Classifications {
                    banners,
                    markings,
                    exemptions,
                    notice,
                    document,
                    digest: sources.digest(),
                })
            }
            _ => Err(ctx.into_errors()),
        }
    }

    /// The sensitive markings in `folded` text: see [`Markings::sensitive_markings`].
    pub fn sensitive_markings(&self, folded: &str) -> Vec<usize> {
        self.markings.sensitive_markings(folded)
    }
}

/// Parses and validates one file; `None` when it does not parse.
fn section<F: File>(ctx: &mut Context, source: &Source) -> Option<F::Section> {
    ctx.enter(&source.name);
    let raw: F = ctx.parse(&source.text)?;
    Some(raw.validate(ctx))
}

/// Every exemption `markings.yaml` cites is one `exemptions.yaml` defines.
fn check_citations(ctx: &mut Context, markings: &Markings, exemptions: &Exemptions) {
    for c in markings.citations() {
        if exemptions.get(&c.id.value).is_none() {
            ctx.error(
                &c.id,
                Code::UnknownExemption,
                format!(
                    "{} cites exemption '{}', which exemptions.yaml does not define; expected one of: {}",
                    c.by,
                    c.id.value,
                    exemptions.ids().collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The built-in files, named as in a folder, with `edit` applied to one of them.
    fn edited(pick: fn(&mut Sources) -> &mut Source, from: &str, to: &str) -> Sources {
        let mut sources = Sources::built_in();
        for s in [
            &mut sources.banners,
            &mut sources.markings,
            &mut sources.exemptions,
            &mut sources.notice,
            &mut sources.document,
        ] {
            s.name = s.file.to_string();
        }
        let source = pick(&mut sources);
        assert!(source.text.contains(from), "{from}");
        source.text = source.text.replace(from, to);
        sources
    }

    fn with(
        pick: fn(&mut Sources) -> &mut Source,
        from: &str,
        to: &str,
    ) -> Result<Classifications, ConfigErrors> {
        Classifications::from_sources(&edited(pick, from, to))
    }

    fn markings(s: &mut Sources) -> &mut Source {
        &mut s.markings
    }

    fn notice(s: &mut Sources) -> &mut Source {
        &mut s.notice
    }

    fn exemptions(s: &mut Sources) -> &mut Source {
        &mut s.exemptions
    }

    fn document(s: &mut Sources) -> &mut Source {
        &mut s.document
    }

    #[test]
    fn defaults_are_valid() {
        let c = Classifications::defaults().expect("shipped classifications validate");
        assert!(c.markings.tiers.iter().any(|t| t.sensitive));
        assert!(c.digest.starts_with("sha256:"));
    }

    /// The manifest records this digest: the shipped files, read and hashed as they always
    /// were, must give the same one.
    #[test]
    fn the_digest_of_the_shipped_files_is_unchanged() {
        let c = Classifications::defaults().unwrap();
        assert_eq!(
            c.digest,
            "sha256:09735e72ccdd9ff0ab16cb99d75bd9c6c56dab179421a860997f55c99a3b412b"
        );
    }

    #[test]
    fn markings_are_bounded_by_letters_only() {
        let c = Classifications::defaults().unwrap();
        let tier = |id: &str| c.markings.tiers.iter().position(|t| t.id == id).unwrap();
        let found = |text: &str| c.sensitive_markings(text);
        // A digit or footnote marker beside a marking does not hide it.
        assert_eq!(
            found("OFFICIAL-SENSITIVE1 and"),
            [tier("OFFICIAL-SENSITIVE")]
        );
        assert_eq!(found("3OFFICIAL SENSITIVE"), [tier("OFFICIAL-SENSITIVE")]);
        assert_eq!(found("Graded SECRET2 here"), [tier("SECRET")]);
        // A letter does, and a rejected match does not hide one inside it.
        assert!(found("the SECRETARY and the unofficial sensitive").is_empty());
        assert_eq!(found("STOP SECRET"), [tier("SECRET")]);
        assert_eq!(
            found("TOP SECRET and SECRET"),
            [tier("TOP SECRET"), tier("SECRET")]
        );
        assert!(found("the secret of good policing").is_empty());
    }

    /// OFFICIAL-SENSITIVE's informal abbreviations are the marking; the words they are
    /// made of, running on into a longer word, are not.
    #[test]
    fn official_sensitive_abbreviated_is_the_marking() {
        let c = Classifications::defaults().unwrap();
        let tier = |id: &str| c.markings.tiers.iter().position(|t| t.id == id).unwrap();
        let found = |text: &str| c.sensitive_markings(text);
        for text in [
            "The OFFSENS annex",
            "OFFICIAL SENS",
            "Off-Sens costs",
            "offsens",
            "OFFIC. SENSITIVE",
            "O-SENS",
            "SENSITIVE - OFFICIAL",
            "SENSITIVE OFFICIAL",
        ] {
            assert_eq!(found(text), [tier("OFFICIAL-SENSITIVE")], "{text}");
        }
        for text in [
            "in the official sense of the term",
            "an official sensitivity review",
            "offsense",
            "sensitive official papers",
            "O-SENSOR",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    /// The tells of a restricted part in a report with no recognised Part 2 banner: what
    /// says a text is not for the public, and the running text beside it that is public.
    #[test]
    fn not_for_the_public_is_a_tell_and_public_wording_is_not() {
        let c = Classifications::defaults().unwrap();
        let told = |text: &str| {
            c.banners
                .without_part2
                .iter()
                .find(|t| t.regex.is_match(text))
                .map(|t| t.id.clone())
        };
        for text in [
            "this section is not suitable for the public",
            "unsuitable for the general public",
            "not official public",
            "unpublished annex commercial terms",
            "to be redacted before publication",
            "redact before release",
        ] {
            assert_eq!(told(text).as_deref(), Some("not for publication"), "{text}");
        }
        for text in [
            "not only public services but their partners",
            "an unpublished report by the college of policing",
            "a redacted version of the contract will be published",
            "official public health figures",
        ] {
            assert_eq!(told(text), None, "{text}");
        }
    }

    /// Every tier is tried where a marking may stand: a longer tier that does not fit
    /// ("SECRET UKRAINE" is no "SECRET UK") leaves the shorter one to match.
    #[test]
    fn a_longer_tier_that_does_not_fit_leaves_the_shorter_one() {
        let c = with(
            markings,
            "  - id: SECRET\n",
            "  - id: SECRET UK EYES ONLY\n    pattern: '(?-i:SECRET ?- ?UK|SECRET UK)'\n    sensitive: true\n  - id: SECRET\n",
        )
        .unwrap();
        let tier = |id: &str| c.markings.tiers.iter().position(|t| t.id == id).unwrap();
        assert_eq!(
            c.sensitive_markings("SECRET UKRAINE desk"),
            [tier("SECRET")]
        );
        assert_eq!(
            c.sensitive_markings("SECRET UK only"),
            [tier("SECRET UK EYES ONLY")]
        );
    }

    #[test]
    fn a_pattern_that_matches_empty_text_is_refused() {
        let err = with(
            markings,
            "'top ?- ?secret|top secret'",
            "'top ?- ?secret|top secret|'",
        )
        .unwrap_err();
        assert!(err.to_string().contains("matches empty text"), "{err}");
    }

    #[test]
    fn sensitive_patterns_that_only_fail_together_are_reported() {
        let mut sources = edited(
            markings,
            r"'o[ \\]?f[ \\]?f[ \\]?i[ \\]?c[ \\]?i[ \\]?a[ \\]?l ?-? ?s[ \\]?e[ \\]?n[ \\]?s[ \\]?i[ \\]?t[ \\]?i[ \\]?v[ \\]?e|(?-i:O ?- ?S)|(?-i:\bOS ?\[)|\bo[ \\]?f[ \\]?f(?:[ \\]?i[ \\]?c[ \\]?i[ \\]?a[ \\]?l)? ?-? ?s[ \\]?e[ \\]?n[ \\]?s\b|(?-i:\bO ?F ?F ?I ?C\.? ?-? ?S ?E ?N ?S(?: ?I ?T ?I ?V ?E)?|\bO ?- ?S ?E ?N ?S\b|\bS ?E ?N ?S ?I ?T ?I ?V ?E ?-? ?O ?F ?F ?I ?C ?I ?A ?L\b)'",
            "'(?P<w>official sensitive)'",
        );
        sources.markings.text = sources
            .markings
            .text
            .replace("'top ?- ?secret|top secret'", "'(?P<w>top secret)'");
        let err = Classifications::from_sources(&sources).unwrap_err();
        assert!(err.to_string().contains("do not compile together"), "{err}");
        assert!(err.0.iter().all(|e| e.line > 0), "{err}");
    }

    #[test]
    fn unknown_key_is_reported_with_its_line() {
        let err = with(notice, "bullet:", "bulet:").unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert!(err.0[0].message.contains("bulet"), "{err}");
        assert!(err.0[0].line > 1, "{err}");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut sources = edited(markings, "exemption: s43", "exemption: s99");
        sources.markings.text = sources
            .markings
            .text
            .replace("pattern: 'official'", "pattern: 'official('");
        let err = Classifications::from_sources(&sources).unwrap_err();
        let messages = err.to_string();
        assert!(messages.contains("s99"), "{messages}");
        assert!(
            messages.contains("invalid regular expression"),
            "{messages}"
        );
        assert!(err.0.iter().all(|e| e.line > 0), "{messages}");
    }

    /// Three faults of different kinds in one file (a duplicate id, a pattern that does not
    /// compile, a citation of an exemption that does not exist) come out of one load.
    #[test]
    fn three_faults_in_one_file_are_all_reported() {
        let mut sources = edited(
            markings,
            "  - id: COMMERCIAL\n    exemption: s43",
            "  - id: COMMERCIAL\n    exemption: s99",
        );
        sources.markings.text = sources
            .markings
            .text
            .replace("pattern: 'official'", "pattern: 'official('")
            .replace("  - id: LOCSEN\n", "  - id: LEGAL\n");
        let err = Classifications::from_sources(&sources).unwrap_err();
        let messages = err.to_string();
        assert_eq!(err.0.len(), 3, "{messages}");
        assert!(
            err.0
                .iter()
                .all(|e| e.file == "markings.yaml" && e.line > 0),
            "{messages}"
        );
        assert!(
            messages.contains("duplicate handling instruction or descriptor 'LEGAL'"),
            "{messages}"
        );
        assert!(
            messages.contains("invalid regular expression"),
            "{messages}"
        );
        assert!(
            messages.contains("descriptor 'COMMERCIAL' cites exemption 's99'"),
            "{messages}"
        );
        // Reported in the order of the file.
        assert!(
            err.0.windows(2).all(|w| w[0].line <= w[1].line),
            "{messages}"
        );
    }

    #[test]
    fn a_file_that_does_not_parse_does_not_hide_the_others_problems() {
        let mut sources = edited(notice, "bullet:", "bulet:");
        sources.markings.text = sources
            .markings
            .text
            .replace("pattern: 'official'", "pattern: 'official('");
        let err = Classifications::from_sources(&sources).unwrap_err();
        assert_eq!(err.0.len(), 2, "{err}");
        assert!(
            err.0
                .iter()
                .any(|e| e.file == "notice.yaml" && e.message.contains("bulet")),
            "{err}"
        );
        assert!(
            err.0
                .iter()
                .any(|e| e.file == "markings.yaml" && e.line > 0),
            "{err}"
        );
    }

    /// A markings file that cannot be read leaves its citations unchecked, rather than
    /// checking the built-in ones against the folder's exemptions.
    #[test]
    fn exemptions_are_checked_only_against_markings_that_parse() {
        let mut sources = edited(markings, "sensitive: true", "sensitive: 'true");
        sources.exemptions.text = sources.exemptions.text.replace("  s31:", "  s32:");
        let err = Classifications::from_sources(&sources).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert_eq!(err.0[0].file, "markings.yaml", "{err}");
        assert_eq!(err.0[0].code, Code::Syntax, "{err}");
    }

    /// A YAML error used to end the reading of its file: five planted faults took five runs
    /// to find. Parse errors (a key given twice, a key misspelt, `yes` for a boolean) and
    /// validation errors (a pattern, a citation) now come out of one load, each with its code.
    #[test]
    fn parse_and_validation_faults_of_one_file_come_out_of_one_load() {
        let mut sources = edited(
            markings,
            "  - id: COMMERCIAL\n    exemption: s43",
            "  - id: COMMERCIAL\n    exemption: s99",
        );
        let text = sources.markings.text.clone();
        let first_sensitive = text.find("sensitive: true").unwrap();
        sources.markings.text = format!(
            "{}sensitive: yes{}",
            &text[..first_sensitive],
            &text[first_sensitive + "sensitive: true".len()..]
        )
        .replace("pattern: 'official'", "pattern: 'official('")
        .replace(
            "  - id: PERSONAL\n    exemption: s40",
            "  - id: PERSONAL\n    exemption: s40\n    exemption: s40",
        )
        .replace("handling_instructions:", "handling_instructoins:");
        let err = Classifications::from_sources(&sources).unwrap_err();
        let codes: Vec<&str> = err.0.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "wrong-type",
                "bad-pattern",
                "unknown-key",
                "unknown-exemption",
                "duplicate-key"
            ],
            "{err}"
        );
        assert!(err.0.iter().all(|e| e.line > 0), "{err}");
        assert!(
            err.to_string().contains(
                "unknown key 'handling_instructoins'; did you mean 'handling_instructions'?"
            ),
            "{err}"
        );
    }

    /// A misspelt key is read under the name it misses: nothing it holds is reported twice,
    /// and its own values are still checked.
    #[test]
    fn a_misspelt_key_is_still_checked_under_its_right_name() {
        let mut sources = edited(notice, "bullet:", "bulet:");
        sources.notice.text = sources.notice.text.replace("{citation}", "{citaton}");
        let err = Classifications::from_sources(&sources).unwrap_err();
        let codes: Vec<Code> = err.0.iter().map(|e| e.code).collect();
        assert_eq!(codes, [Code::UnknownKey, Code::UnknownPlaceholder], "{err}");
    }

    /// A stand-in value is not itself reported: `[]` put for a list written as one value
    /// makes no "at least one" problem of its own.
    #[test]
    fn a_stand_in_value_makes_no_problem_of_its_own() {
        let mut sources = Sources::built_in();
        let start = sources.banners.text.find("public:\n").unwrap();
        let end = start + sources.banners.text[start..].find("\n\n").unwrap();
        sources
            .banners
            .text
            .replace_range(start..end, "public: one banner");
        let err = Classifications::from_sources(&sources).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert_eq!(err.0[0].code, Code::WrongType, "{err}");
    }

    #[test]
    fn every_code_is_its_own() {
        let names: BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Code::ALL.len());
    }

    #[test]
    fn unknown_placeholder_is_refused() {
        let err = with(notice, "{title} is exempt", "{titel} is exempt").unwrap_err();
        assert!(err.to_string().contains("{titel}"), "{err}");
    }

    #[test]
    fn yes_is_not_a_boolean() {
        assert!(with(markings, "sensitive: true", "sensitive: yes").is_err());
    }

    #[test]
    fn a_section_title_level_out_of_range_is_refused() {
        let err = with(document, "      level: 3", "      level: 1").unwrap_err();
        assert!(err.to_string().contains("level must be 2 to 6"), "{err}");
        assert!(err.0[0].line > 1, "{err}");
    }

    /// Every problem reads `file:line:column: error[code]: message`: the location once, in
    /// front, and the YAML library's wording put in plain words.
    #[test]
    fn every_message_is_file_line_column_error_message() {
        let mut sources = edited(exemptions, "citation:", "citation: x\ncitation:");
        let booleans = sources.markings.text.matches("sensitive: true").count();
        sources.markings.text = sources
            .markings
            .text
            .replace("sensitive: true", "sensitive: yes");
        sources.notice.text = sources.notice.text.replace("bullet:", "bulet:");
        sources.document.text = sources
            .document
            .text
            .replace("      level: 3", "      level: x");
        let err = Classifications::from_sources(&sources).unwrap_err();
        // Every boolean in markings.yaml, one problem in each other file.
        assert_eq!(err.0.len(), booleans + 3, "{err}");
        let text = err.to_string();
        let shape =
            regex::Regex::new(r"^[a-z]+\.yaml:[1-9][0-9]*:[1-9][0-9]*: error\[[a-z-]+\]: [^:]")
                .unwrap();
        for line in text.lines() {
            assert!(shape.is_match(line), "{line}");
            assert!(!line.contains("line "), "location repeated: {line}");
            assert!(!line.contains("Options"), "library internals: {line}");
            assert_eq!(line.matches("error[").count(), 1, "{line}");
        }
        assert!(text.contains("the key 'citation' is given twice"), "{text}");
        assert!(text.contains("expected true or false"), "{text}");
        assert!(text.contains("expected a whole number"), "{text}");
    }
}

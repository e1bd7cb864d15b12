//! Classifications: the wording the tool recognises and writes, read from `classifications/`.
//!
//! The YAML files are read into raw structs that keep each value's line and column, then
//! validated into [`Classifications`], the one type the pipeline uses. Validation collects
//! every problem with its location instead of stopping at the first, and nothing runs on a
//! half-valid configuration. The shipped files are compiled into the binary, so the tool
//! runs with no folder; `--classifications DIR` replaces them as a whole.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::normalize::fold;

/// The configuration files, in the order they are read and hashed.
pub const FILES: [&str; 5] = [
    "banners.yaml",
    "markings.yaml",
    "exemptions.yaml",
    "notice.yaml",
    "document.yaml",
];

/// The shipped classifications, compiled in.
const DEFAULTS: [(&str, &str); 5] = [
    (
        "banners.yaml",
        include_str!("../../../classifications/banners.yaml"),
    ),
    (
        "markings.yaml",
        include_str!("../../../classifications/markings.yaml"),
    ),
    (
        "exemptions.yaml",
        include_str!("../../../classifications/exemptions.yaml"),
    ),
    (
        "notice.yaml",
        include_str!("../../../classifications/notice.yaml"),
    ),
    (
        "document.yaml",
        include_str!("../../../classifications/document.yaml"),
    ),
];

/// The five classification files as (display name, text): read from `dir`, or the built-in
/// ones.
pub fn sources(dir: Option<&Path>) -> Result<Vec<(String, String)>, ConfigErrors> {
    let Some(dir) = dir else {
        return Ok(DEFAULTS
            .iter()
            .map(|(name, text)| (format!("classifications/{name}"), text.to_string()))
            .collect());
    };
    let mut errors = Vec::new();
    let mut found = Vec::new();
    for name in FILES {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => found.push((path.display().to_string(), text)),
            Err(e) => errors.push(ConfigError {
                file: path.display().to_string(),
                line: 0,
                column: 0,
                message: format!("cannot read: {e}"),
            }),
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(ConfigErrors(errors))
    }
}

/// One problem in the configuration, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
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

// ---- raw files, as written ----

type Text = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBanners {
    public: Vec<RawPattern>,
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
    whole: Vec<RawPattern>,
    #[serde(default)]
    tells: Vec<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkings {
    classifications: Vec<RawClassification>,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExemptions {
    citation: Text,
    exemptions: BTreeMap<String, RawExemption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExemption {
    section: Text,
    reason: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotice {
    heading: Text,
    bullet: Text,
    restricted_header: Text,
    title: RawTitle,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    skip: Vec<Text>,
    drop_prefixes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    front_matter: RawFrontMatter,
    footnote: Text,
    jigsaw_ignore: Vec<String>,
    page: RawPage,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    issuer: Text,
    marking: Text,
    reference: Text,
    section_titles: Vec<RawSectionTitle>,
    index: RawIndex,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSectionTitle {
    pattern: Text,
    level: Option<Spanned<u8>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndex {
    title: Text,
    not_listed: Text,
    withheld: Text,
    deferred: Text,
    quarantined: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    publish: Vec<Text>,
}

// ---- validated configuration ----

/// A named pattern.
#[derive(Debug, Clone)]
pub struct Named {
    pub id: String,
    pub regex: Regex,
}

/// A classification tier.
#[derive(Debug, Clone)]
pub struct Tier {
    pub id: String,
    /// Matches the tier at the start of a normalised marking.
    pub at_start: Regex,
    pub sensitive: bool,
}

/// A handling instruction or descriptor, with every spelling it may take.
#[derive(Debug, Clone)]
pub struct Term {
    pub id: String,
    /// Spellings in marking-token form (see [`crate::marking::tokens`]), longest first.
    pub spellings: Vec<String>,
    /// A pattern for open families such as "<ORGANISATION> USE ONLY".
    pub pattern: Option<Regex>,
    /// The exemption a descriptor cites; `None` for handling instructions.
    pub exemption: Option<String>,
}

/// An exemption from publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exemption {
    pub id: String,
    pub section: String,
    pub reason: String,
}

/// A section title the page presents as a heading (see `document.yaml`, `page.section_titles`).
#[derive(Debug, Clone)]
pub struct SectionTitle {
    /// Matches the whole of a paragraph's folded text.
    pub regex: Regex,
    /// The heading level, 2 to 6.
    pub level: u8,
}

/// The wording of the release index.
#[derive(Debug, Clone)]
pub struct IndexWording {
    pub title: String,
    pub not_listed: String,
    /// Templates with the placeholder `{n}`.
    pub withheld: String,
    pub deferred: String,
    pub quarantined: String,
}

/// How the web release presents a report (`document.yaml`, `page`).
#[derive(Debug, Clone)]
pub struct PageConfig {
    pub issuer: String,
    pub marking: String,
    /// A reference code, matched case-sensitively on the cover's text as written.
    pub reference: Regex,
    pub section_titles: Vec<SectionTitle>,
    pub index: IndexWording,
}

/// The validated configuration the pipeline runs on.
#[derive(Debug, Clone)]
pub struct Classifications {
    pub public_banners: Vec<Named>,
    pub restricted_starts: Regex,
    pub restricted_whole: Vec<Named>,
    /// Wording only a Part 2 banner uses: in Part 1, outside a recognised banner, it
    /// quarantines the report.
    pub restricted_tells: Vec<Regex>,
    pub marking_statement: Regex,
    pub tiers: Vec<Tier>,
    /// Every sensitive tier, in tier order (longer forms first, so "TOP SECRET" is one
    /// marking): see [`Classifications::sensitive_markings`].
    sensitive_anywhere: Regex,
    pub handling: Vec<Term>,
    pub descriptors: Vec<Term>,
    pub default_marking: Option<String>,
    pub no_descriptor_exemption: Option<String>,
    pub citation: String,
    pub exemptions: BTreeMap<String, Exemption>,
    pub notice_heading: String,
    pub notice_bullet: String,
    /// The pointer under the marking of a restricted part (`{title}`, `{public}`).
    pub restricted_header: String,
    pub title_skip: Vec<Regex>,
    pub title_drop_prefixes: Vec<String>,
    pub front_matter_publish: BTreeSet<String>,
    pub footnote: Regex,
    /// Words that do not make a name identifying (compared case-insensitively).
    pub jigsaw_ignore: BTreeSet<String>,
    /// The web release's wording and presentation rules.
    pub page: PageConfig,
    /// `sha256:` of the configuration files, recorded in the manifest.
    pub digest: String,
}

impl Classifications {
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

    /// The classifications shipped with the tool.
    pub fn defaults() -> Result<Self, ConfigErrors> {
        Self::from_sources(
            DEFAULTS.map(|(name, text)| (format!("classifications/{name}"), text.to_string())),
        )
    }

    /// Reads every file of [`FILES`] from `dir`.
    pub fn load(dir: &Path) -> Result<Self, ConfigErrors> {
        let sources: [(String, String); 5] = sources(Some(dir))?
            .try_into()
            .expect("one source is read for each configuration file");
        Self::from_sources(sources)
    }

    /// Validates the five files given as (display name, text), in the order of [`FILES`].
    pub fn from_sources(sources: [(String, String); 5]) -> Result<Self, ConfigErrors> {
        let mut v = Validator::default();
        let [banners, markings, exemptions, notice, document] = &sources;
        // A file that does not parse is replaced by the built-in one, so that the others are
        // still validated and every problem is reported at once; the result is discarded.
        let banners: RawBanners = v.parse(banners).unwrap_or_else(|| builtin(0));
        let markings: RawMarkings = v.parse(markings).unwrap_or_else(|| builtin(1));
        let parsed_exemptions: Option<RawExemptions> = v.parse(exemptions);
        v.exemptions_known = parsed_exemptions.is_some();
        let exemptions = parsed_exemptions.unwrap_or_else(|| builtin(2));
        let notice: RawNotice = v.parse(notice).unwrap_or_else(|| builtin(3));
        let document: RawDocument = v.parse(document).unwrap_or_else(|| builtin(4));
        let files: Vec<&str> = sources.iter().map(|(name, _)| name.as_str()).collect();
        let digest = mopac_types::digest::sha256_parts(sources.iter().flat_map(|(name, text)| {
            let base = Path::new(name)
                .file_name()
                .map_or(name.as_str(), |n| n.to_str().unwrap_or(name.as_str()));
            [base.as_bytes(), text.as_bytes()]
        }));
        let config = v.build(
            &files, banners, markings, exemptions, notice, document, digest,
        );
        if v.errors.is_empty() {
            Ok(config)
        } else {
            Err(ConfigErrors(v.errors))
        }
    }

    /// The exemption a descriptor id cites.
    pub fn exemption(&self, id: &str) -> Option<&Exemption> {
        self.exemptions.get(id)
    }
}

#[derive(Default)]
struct Validator {
    errors: Vec<ConfigError>,
    /// False when exemptions.yaml did not parse: references to it cannot be checked.
    exemptions_known: bool,
}

/// The built-in file `i` of [`FILES`], parsed.
fn builtin<T: for<'de> Deserialize<'de>>(i: usize) -> T {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(DEFAULTS[i].1, options)
        .expect("the built-in classifications parse")
}

impl Validator {
    fn parse<T: for<'de> Deserialize<'de>>(
        &mut self,
        (file, text): &(String, String),
    ) -> Option<T> {
        let options = serde_saphyr::options! { strict_booleans: true };
        match serde_saphyr::from_str_with_options::<T>(text, options) {
            Ok(value) => Some(value),
            Err(e) => {
                let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
                self.errors.push(ConfigError {
                    file: file.clone(),
                    line,
                    column,
                    message: first_line(&e.to_string()),
                });
                None
            }
        }
    }

    fn error(&mut self, file: &str, at: &Text, message: String) {
        self.errors.push(ConfigError {
            file: file.to_string(),
            line: at.referenced.line(),
            column: at.referenced.column(),
            message,
        });
    }

    fn regex(&mut self, file: &str, text: &Text) -> Regex {
        self.regex_case(file, text, true)
    }

    fn regex_case(&mut self, file: &str, text: &Text, case_insensitive: bool) -> Regex {
        match RegexBuilder::new(&text.value)
            .case_insensitive(case_insensitive)
            .build()
        {
            Ok(re) => re,
            Err(e) => {
                self.error(
                    file,
                    text,
                    format!("invalid regular expression: {}", last_line(&e.to_string())),
                );
                never_matching()
            }
        }
    }

    fn named(&mut self, file: &str, list: &[RawPattern], what: &str) -> Vec<Named> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for p in list {
            if !seen.insert(p.id.value.clone()) {
                self.error(file, &p.id, format!("duplicate {what} id '{}'", p.id.value));
            }
            out.push(Named {
                id: p.id.value.clone(),
                regex: self.regex(file, &p.pattern),
            });
        }
        if out.is_empty() {
            self.errors.push(ConfigError {
                file: file.to_string(),
                line: 0,
                column: 0,
                message: format!("at least one {what} is required"),
            });
        }
        out
    }

    fn template(&mut self, file: &str, text: &Text, allowed: &[&str]) {
        let placeholder = Regex::new(r"\{([^{}]*)\}").expect("the placeholder pattern compiles");
        for cap in placeholder.captures_iter(&text.value) {
            let name = &cap[1];
            if !allowed.contains(&name) {
                self.error(
                    file,
                    text,
                    format!(
                        "unknown placeholder {{{name}}}; expected one of {}",
                        allowed
                            .iter()
                            .map(|a| format!("{{{a}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &mut self,
        files: &[&str],
        banners: RawBanners,
        markings: RawMarkings,
        exemptions: RawExemptions,
        notice: RawNotice,
        document: RawDocument,
        digest: String,
    ) -> Classifications {
        let [f_banners, f_markings, f_exemptions, f_notice, f_document] =
            [files[0], files[1], files[2], files[3], files[4]];

        let public_banners = self.named(f_banners, &banners.public, "public banner");
        let restricted_starts = self.regex(f_banners, &banners.restricted.starts);
        let restricted_whole =
            self.named(f_banners, &banners.restricted.whole, "restricted banner");
        let restricted_tells = banners
            .restricted
            .tells
            .iter()
            .map(|t| self.regex(f_banners, t))
            .collect();
        let marking_statement = self.regex(f_banners, &banners.marking_statement);
        if marking_statement
            .capture_names()
            .all(|n| n != Some("marking"))
        {
            self.error(
                f_banners,
                &banners.marking_statement,
                "marking_statement needs a named group (?P<marking>...) for a marking on the same line".into(),
            );
        }

        let exemption_table: BTreeMap<String, Exemption> = exemptions
            .exemptions
            .iter()
            .map(|(id, e)| {
                (
                    id.clone(),
                    Exemption {
                        id: id.clone(),
                        section: e.section.value.clone(),
                        reason: e.reason.value.clone(),
                    },
                )
            })
            .collect();
        for e in exemptions.exemptions.values() {
            if e.reason.value.trim().is_empty() {
                self.error(
                    f_exemptions,
                    &e.reason,
                    "an exemption needs a reason".into(),
                );
            }
        }

        let mut tiers = Vec::new();
        let mut seen = BTreeSet::new();
        for c in &markings.classifications {
            if !seen.insert(c.id.value.clone()) {
                self.error(
                    f_markings,
                    &c.id,
                    format!("duplicate classification id '{}'", c.id.value),
                );
            }
            // Checked once as written; the two forms built from it then compile as well.
            self.regex(f_markings, &c.pattern);
            let wrapped = |form: String| {
                RegexBuilder::new(&form)
                    .case_insensitive(true)
                    .build()
                    .unwrap_or_else(|_| never_matching())
            };
            let at_start = wrapped(format!("^(?:{})", c.pattern.value));
            if Regex::new(&c.pattern.value).is_ok() && at_start.is_match("") {
                // An empty match would be a marking everywhere, or hide real ones.
                self.error(
                    f_markings,
                    &c.pattern,
                    format!("the pattern of '{}' matches empty text", c.id.value),
                );
            }
            tiers.push(Tier {
                id: c.id.value.clone(),
                at_start,
                sensitive: c.sensitive,
            });
        }
        if !tiers.iter().any(|t| t.sensitive) {
            self.errors.push(ConfigError {
                file: f_markings.to_string(),
                line: 0,
                column: 0,
                message: "at least one classification must be sensitive".into(),
            });
        }

        let mut terms_seen = BTreeSet::new();
        let mut handling = Vec::new();
        for h in &markings.handling_instructions {
            if !terms_seen.insert(h.id.value.clone()) {
                self.error(
                    f_markings,
                    &h.id,
                    format!(
                        "duplicate handling instruction or descriptor '{}'",
                        h.id.value
                    ),
                );
            }
            let pattern = h.pattern.as_ref().map(|p| self.regex(f_markings, p));
            handling.push(term(&h.id.value, &[], pattern, None));
        }
        let mut descriptors = Vec::new();
        for d in &markings.descriptors {
            if !terms_seen.insert(d.id.value.clone()) {
                self.error(
                    f_markings,
                    &d.id,
                    format!(
                        "duplicate handling instruction or descriptor '{}'",
                        d.id.value
                    ),
                );
            }
            if self.exemptions_known && !exemption_table.contains_key(&d.exemption.value) {
                self.error(
                    f_markings,
                    &d.exemption,
                    format!(
                        "descriptor '{}' cites exemption '{}', which exemptions.yaml does not define; expected one of: {}",
                        d.id.value,
                        d.exemption.value,
                        exemption_table.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            let aliases: Vec<&str> = d.aliases.iter().map(|a| a.value.as_str()).collect();
            descriptors.push(term(
                &d.id.value,
                &aliases,
                None,
                Some(d.exemption.value.clone()),
            ));
        }
        if let Some(id) = &markings.no_descriptor_exemption
            && self.exemptions_known
            && !exemption_table.contains_key(&id.value)
        {
            self.error(
                f_markings,
                id,
                format!(
                    "no_descriptor_exemption '{}' is not defined in exemptions.yaml",
                    id.value
                ),
            );
        }

        self.template(f_notice, &notice.heading, &["title"]);
        self.template(f_notice, &notice.restricted_header, &["title", "public"]);
        self.template(
            f_notice,
            &notice.bullet,
            &["citation", "reason", "section", "id"],
        );
        let title_skip = notice
            .title
            .skip
            .iter()
            .map(|s| self.regex(f_notice, s))
            .collect();

        let known_keys = crate::front_matter::KEYS;
        let mut front_matter_publish = BTreeSet::new();
        for key in &document.front_matter.publish {
            if !known_keys.contains(&key.value.as_str()) {
                self.error(
                    f_document,
                    key,
                    format!(
                        "unknown front matter key '{}'; expected one of {}",
                        key.value,
                        known_keys.join(", ")
                    ),
                );
            }
            if matches!(key.value.as_str(), "classification" | "publish_after") {
                self.error(
                    f_document,
                    key,
                    format!("'{}' governs publication and is never published", key.value),
                );
            }
            front_matter_publish.insert(key.value.clone());
        }
        let footnote = self.regex(f_document, &document.footnote);
        let page = self.page(f_document, document.page);

        // Every sensitive tier in one pattern, in tier order. Its boundaries are checked by
        // [`Classifications::sensitive_markings`], not by the pattern.
        let sensitive: Vec<String> = markings
            .classifications
            .iter()
            .filter(|c| c.sensitive)
            .map(|c| format!("(?:{})", c.pattern.value))
            .collect();
        // A marking ends where no ASCII letter follows: that is in the pattern, so that every
        // tier is tried at a place ("SECRET UKRAINE" is no "SECRET UK" marking, but may be a
        // "SECRET" one); the letter before is checked by `sensitive_markings`.
        let sensitive_anywhere =
            RegexBuilder::new(&format!("(?:{})(?:[^A-Za-z]|$)", sensitive.join("|")))
                .case_insensitive(true)
                .build()
                .unwrap_or_else(|e| {
                    // A pattern that fails alone is reported already, with its line. Patterns
                    // that only fail together (two groups of one name) must be reported too:
                    // a pattern that never matches would find no marking at all.
                    if sensitive.iter().all(|p| Regex::new(p).is_ok()) {
                        self.errors.push(ConfigError {
                        file: f_markings.to_string(),
                        line: 0,
                        column: 0,
                        message: format!(
                            "the sensitive classifications' patterns do not compile together: {e}"
                        ),
                    });
                    }
                    never_matching()
                });
        let config = Classifications {
            public_banners,
            restricted_starts,
            restricted_whole,
            restricted_tells,
            marking_statement,
            tiers,
            sensitive_anywhere,
            handling,
            descriptors,
            default_marking: markings.default_marking.as_ref().map(|m| m.value.clone()),
            no_descriptor_exemption: markings.no_descriptor_exemption.map(|m| m.value),
            citation: exemptions.citation.value,
            exemptions: exemption_table,
            notice_heading: notice.heading.value,
            notice_bullet: notice.bullet.value,
            restricted_header: notice.restricted_header.value,
            title_skip,
            title_drop_prefixes: notice.title.drop_prefixes,
            front_matter_publish,
            footnote,
            jigsaw_ignore: document
                .jigsaw_ignore
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            page,
            digest,
        };
        if let Some(default) = &markings.default_marking {
            match crate::marking::parse(&fold(&default.value), &config) {
                Some(Ok(m)) if m.sensitive => {}
                Some(Ok(_)) => self.error(
                    f_markings,
                    default,
                    "default_marking must be a sensitive marking".into(),
                ),
                Some(Err(e)) => self.error(f_markings, default, format!("default_marking: {e}")),
                None => self.error(
                    f_markings,
                    default,
                    "default_marking is not a marking".into(),
                ),
            }
        }
        config
    }
}

impl Validator {
    fn page(&mut self, file: &str, page: RawPage) -> PageConfig {
        let reference = self.regex_case(file, &page.reference, false);
        let mut section_titles = Vec::new();
        for t in &page.section_titles {
            let regex = self.regex(
                file,
                &Spanned::new(
                    format!("^(?:{})$", t.pattern.value),
                    t.pattern.referenced,
                    t.pattern.defined,
                ),
            );
            let level = match &t.level {
                None => 2,
                Some(l) if (2..=6).contains(&l.value) => l.value,
                Some(l) => {
                    self.errors.push(ConfigError {
                        file: file.to_string(),
                        line: l.referenced.line(),
                        column: l.referenced.column(),
                        message: format!(
                            "a section title's level must be 2 to 6 (1 is the report's title), not {}",
                            l.value
                        ),
                    });
                    2
                }
            };
            section_titles.push(SectionTitle { regex, level });
        }
        for text in [
            &page.index.withheld,
            &page.index.deferred,
            &page.index.quarantined,
        ] {
            self.template(file, text, &["n"]);
        }
        for text in [&page.issuer, &page.marking, &page.index.title] {
            if text.value.trim().is_empty() {
                self.error(file, text, "this page wording may not be empty".into());
            }
        }
        PageConfig {
            issuer: page.issuer.value,
            marking: page.marking.value,
            reference,
            section_titles,
            index: IndexWording {
                title: page.index.title.value,
                not_listed: page.index.not_listed.value,
                withheld: page.index.withheld.value,
                deferred: page.index.deferred.value,
                quarantined: page.index.quarantined.value,
            },
        }
    }
}

fn term(id: &str, aliases: &[&str], pattern: Option<Regex>, exemption: Option<String>) -> Term {
    let mut spellings: Vec<String> = std::iter::once(id)
        .chain(aliases.iter().copied())
        .map(|s| crate::marking::tokens(&fold(s)))
        .collect();
    spellings.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    spellings.dedup();
    Term {
        id: id.to_string(),
        spellings,
        pattern,
        exemption,
    }
}

/// Stands in for a pattern that did not compile, in a configuration that is then refused.
fn never_matching() -> Regex {
    Regex::new("$^").expect("the never-matching pattern compiles")
}

fn last_line(s: &str) -> String {
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(file: &str, text: &str) -> Result<Classifications, ConfigErrors> {
        Classifications::from_sources(DEFAULTS.map(|(name, default)| {
            let body = if name == file { text } else { default };
            (name.to_string(), body.to_string())
        }))
    }

    #[test]
    fn defaults_are_valid() {
        let c = Classifications::defaults().expect("shipped classifications validate");
        assert!(c.tiers.iter().any(|t| t.sensitive));
        assert!(c.digest.starts_with("sha256:"));
    }

    #[test]
    fn markings_are_bounded_by_letters_only() {
        let c = Classifications::defaults().unwrap();
        let tier = |id: &str| c.tiers.iter().position(|t| t.id == id).unwrap();
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

    /// Every tier is tried where a marking may stand: a longer tier that does not fit
    /// ("SECRET UKRAINE" is no "SECRET UK") leaves the shorter one to match.
    #[test]
    fn a_longer_tier_that_does_not_fit_leaves_the_shorter_one() {
        let text = DEFAULTS[1].1.replace(
            "  - id: SECRET\n",
            "  - id: SECRET UK EYES ONLY\n    pattern: '(?-i:SECRET ?- ?UK|SECRET UK)'\n    sensitive: true\n  - id: SECRET\n",
        );
        assert_ne!(text, DEFAULTS[1].1);
        let c = with(DEFAULTS[1].0, &text).unwrap();
        let tier = |id: &str| c.tiers.iter().position(|t| t.id == id).unwrap();
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
        let text = DEFAULTS[1].1.replace(
            "'top ?- ?secret|top secret'",
            "'top ?- ?secret|top secret|'",
        );
        assert_ne!(text, DEFAULTS[1].1);
        let err = with(DEFAULTS[1].0, &text).unwrap_err();
        assert!(err.to_string().contains("matches empty text"), "{err}");
    }

    #[test]
    fn sensitive_patterns_that_only_fail_together_are_reported() {
        let text = DEFAULTS[1]
            .1
            .replace(
                "'official ?- ?sensitive|official sensitive'",
                "'(?P<w>official sensitive)'",
            )
            .replace("'top ?- ?secret|top secret'", "'(?P<w>top secret)'");
        assert_ne!(text, DEFAULTS[1].1);
        let err = with(DEFAULTS[1].0, &text).unwrap_err();
        assert!(err.to_string().contains("do not compile together"), "{err}");
    }

    #[test]
    fn unknown_key_is_reported_with_its_line() {
        let text = DEFAULTS[3].1.replace("bullet:", "bulet:");
        let err = with("notice.yaml", &text).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert!(err.0[0].message.contains("bulet"), "{err}");
        assert!(err.0[0].line > 1, "{err}");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = DEFAULTS[1]
            .1
            .replace("exemption: s43", "exemption: s99")
            .replace("pattern: 'official'", "pattern: 'official('");
        let err = with("markings.yaml", &text).unwrap_err();
        let messages = err.to_string();
        assert!(messages.contains("s99"), "{messages}");
        assert!(
            messages.contains("invalid regular expression"),
            "{messages}"
        );
        assert!(err.0.iter().all(|e| e.line > 0), "{messages}");
    }

    #[test]
    fn a_file_that_does_not_parse_does_not_hide_the_others_problems() {
        let mut sources = DEFAULTS.map(|(name, text)| (name.to_string(), text.to_string()));
        sources[3].1 = sources[3].1.replace("bullet:", "bulet:");
        sources[1].1 = sources[1]
            .1
            .replace("pattern: 'official'", "pattern: 'official('");
        let err = Classifications::from_sources(sources).unwrap_err();
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

    #[test]
    fn unknown_placeholder_is_refused() {
        let text = DEFAULTS[3]
            .1
            .replace("{title} is exempt", "{titel} is exempt");
        let err = with("notice.yaml", &text).unwrap_err();
        assert!(err.to_string().contains("{titel}"), "{err}");
    }

    #[test]
    fn yes_is_not_a_boolean() {
        let text = DEFAULTS[1].1.replace("sensitive: true", "sensitive: yes");
        assert!(with("markings.yaml", &text).is_err());
    }

    #[test]
    fn a_section_title_level_out_of_range_is_refused() {
        let text = DEFAULTS[4].1.replace("      level: 3", "      level: 1");
        let err = with("document.yaml", &text).unwrap_err();
        assert!(err.to_string().contains("level must be 2 to 6"), "{err}");
        assert!(err.0[0].line > 1, "{err}");
    }
}

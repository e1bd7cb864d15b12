//! Audit: check an existing release against its sources, as an auditor would.
//!
//! It trusts neither the classifier nor the redactor, nor the release itself, and is built
//! on the independent verifier alone. The manifest is read strictly (a key its schema does
//! not name is refused) and holds no digest of withheld text: what must be withheld is
//! re-derived from each source by the verifier's own recognition ([`verify::withheld`]),
//! and its fingerprints (runs of words, amounts, numbers, codes, names, e-mail addresses,
//! URLs, and in a report's own Markdown every word Part 1 never uses) are looked for in
//! every file of the release, the index, the stylesheet and the manifest's own strings
//! included, attributes and all. For each published report the removed spans the manifest
//! gives (lines) are checked against the source and the outputs as they stand on disk run
//! through [`verify::verify`]; the notice is read from the Markdown, checked like any
//! published text, and must cite every exemption the manifest names. The release must hold
//! exactly the files its manifest lists, with their digests, each a regular file (a link or
//! a pipe is refused, never read), each a published report's output, the index or the
//! stylesheet, and nothing of a report that was not published. The release index must pass
//! [`verify::index`]; the stylesheet must be the tool's own, byte for byte.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use mopac_redactor::config::Classifications;
use mopac_redactor::input::Input;
use mopac_redactor::render;
use mopac_types::Lines;
use mopac_types::manifest::{DocumentEntry, Manifest, Status};
use mopac_types::names::{self, INDEX_FILE, MANIFEST, STYLESHEET_FILE};
use mopac_types::{Removal, RemovalKind, sha256};
use mopac_verifier as verify;

use crate::report;

/// A problem found in a release.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The release file (or source) concerned.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The release cannot be audited at all.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct AuditError {
    pub path: PathBuf,
    pub message: String,
}

/// What the verifier is told of the configuration: its sensitive tiers' patterns, as plain
/// data (the verifier compiles them itself, beside its built-in markings).
pub fn verifier_policy(config: &Classifications) -> verify::Policy {
    verify::Policy {
        sensitive_patterns: config
            .markings
            .tiers
            .iter()
            .filter(|t| t.sensitive && t.anywhere)
            .map(|t| t.pattern.clone())
            .collect(),
        line_patterns: config
            .markings
            .tiers
            .iter()
            .filter(|t| t.sensitive && !t.anywhere)
            .map(|t| t.pattern.clone())
            .collect(),
    }
}

/// The findings of an audit, as they are made.
struct Findings {
    /// The release folder, as given.
    release: PathBuf,
    list: Vec<Finding>,
}

impl Findings {
    fn new(release: &Path) -> Self {
        Findings {
            release: release.to_path_buf(),
            list: Vec::new(),
        }
    }

    /// A finding about the release file `rel` (release-relative, as the manifest names it),
    /// named under the release folder as given.
    fn add(&mut self, rel: &str, message: impl Into<String>) {
        let path = self.release.join(rel).to_string_lossy().replace('\\', "/");
        self.at(path, message);
    }

    /// A finding about the source `path`, as given.
    fn source(&mut self, path: &Path, message: impl Into<String>) {
        self.at(path.to_string_lossy().into_owned(), message);
    }

    /// A finding about the manifest's entry for `name`.
    fn entry(&mut self, name: &str, message: impl std::fmt::Display) {
        self.add(MANIFEST, format!("{name}: {message}"));
    }

    fn at(&mut self, path: String, message: impl Into<String>) {
        self.list.push(Finding {
            path,
            message: message.into(),
        });
    }
}

/// What the reports' part of an audit learns for the rest of it.
#[derive(Default)]
struct Reports {
    /// The release stems of the sources accounted for.
    audited: BTreeSet<String>,
    /// Each published page and its report's title.
    published_pages: Vec<(String, String)>,
    /// Every file a published report may have in the release.
    outputs: BTreeSet<String>,
    /// The titles the reports not published go by.
    hidden_titles: Vec<String>,
    /// Each source's withheld part as the verifier reads it, with the source's name.
    withheld: Vec<(String, verify::Withheld)>,
    /// How the index lists each published report, as this build makes it from its source,
    /// in the manifest's order.
    listings: Vec<render::Listing>,
}

/// Audits `release` against `sources`; every finding, sorted, or none.
pub fn audit(
    release: &Path,
    sources: &[Input],
    config: &Classifications,
) -> Result<Vec<Finding>, AuditError> {
    let (manifest, manifest_strings, as_written) = read_manifest(release)?;
    let mut findings = Findings::new(release);
    // The tool writes the manifest one way: anything else in the file (a key given twice,
    // whose first value a reader of the parsed manifest never sees; spacing; order) is not
    // its writing.
    if !as_written {
        findings.add(
            MANIFEST,
            "not written as the tool writes a manifest (a key given twice, or edited by hand)",
        );
    }
    if manifest.classifications != config.digest {
        findings.add(
            MANIFEST,
            "the manifest names other classifications than the ones the audit was given",
        );
    }
    // The audit makes every output again from its source and compares byte for byte: only
    // the build that made a release can.
    if manifest.generator != crate::generator::GENERATOR {
        findings.add(
            MANIFEST,
            format!(
                "made by another build ({}), not this one ({}): audit it with the build that made it",
                manifest.generator,
                crate::generator::GENERATOR
            ),
        );
    }
    let on_disk = audit_files(release, &manifest, &mut findings)?;
    let public = public_wording(release, &manifest, &on_disk, config, &mut findings);
    let reports = audit_reports(
        release,
        &manifest,
        sources,
        &on_disk,
        config,
        &public,
        &mut findings,
    );
    for rel in manifest.files.keys() {
        if !reports.outputs.contains(rel) && rel != INDEX_FILE && rel != STYLESHEET_FILE {
            findings.add(
                rel,
                "neither a published report's output nor the index or the stylesheet",
            );
        }
    }
    audit_stylesheet(release, &mut findings);
    audit_index(release, &reports, manifest.as_of, config, &mut findings);
    reproduce_index(release, &manifest, &reports, config, &mut findings);
    audit_leaks(
        release,
        &on_disk,
        &manifest_strings,
        &reports,
        &mut findings,
    );
    let mut findings = findings.list;
    findings.sort();
    findings.dedup();
    Ok(findings)
}

/// The manifest, read strictly, and every string it holds (keys included), for the search
/// for withheld text. A manifest that is not a regular file is not read.
/// Also whether the file is written as the tool writes a manifest.
fn read_manifest(release: &Path) -> Result<(Manifest, Vec<String>, bool), AuditError> {
    let path = release.join(MANIFEST);
    let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
    if !regular {
        return Err(AuditError {
            path,
            message: "missing, or not a regular file".into(),
        });
    }
    let bytes = std::fs::read(&path).map_err(|e| AuditError {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let parse = || -> Result<(Manifest, Vec<String>), serde_json::Error> {
        let value: serde_json::Value = serde_json::from_slice(&bytes)?;
        let mut strings = Vec::new();
        strings_of(&value, &mut strings);
        // A well-formed digest is no text: its hex digits would match a withheld number by
        // chance. Any other string is searched, a digest field holding words included.
        strings.retain(|s| !is_digest(s));
        Ok((serde_json::from_value(value)?, strings))
    };
    let (manifest, strings) = parse().map_err(|e| AuditError {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let written = serde_json::to_string_pretty(&manifest).map(|t| format!("{t}\n"));
    let as_written = written.ok().as_deref().map(str::as_bytes) == Some(&bytes[..]);
    Ok((manifest, strings, as_written))
}

/// `sha256:` and 64 lower-case hexadecimal digits.
fn is_digest(s: &str) -> bool {
    s.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Every string of a JSON value, keys included, each on its own: read together, the end of
/// one and the start of the next would make runs of words no text holds.
fn strings_of(value: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings_of(v, out)),
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                strings_of(v, out);
            }
        }
        _ => {}
    }
}

/// Wording a release publishes besides each source's public part: the notice's, the
/// exemptions', the pages' frame (taken from an index with nothing listed), and what the
/// manifest says each published report is called (its title, reference and meeting), each
/// only when its own page shows it: the index lists them all. A detail its page does not
/// show is a finding, and not taken for public.
fn public_wording(
    release: &Path,
    manifest: &Manifest,
    on_disk: &BTreeSet<String>,
    config: &Classifications,
    findings: &mut Findings,
) -> String {
    let mut wording = Vec::new();
    for doc in manifest
        .documents
        .iter()
        .filter(|d| d.status == Status::Published)
    {
        let page = doc
            .outputs
            .iter()
            .find(|o| o.ends_with(".html") && on_disk.contains(*o))
            .and_then(|rel| std::fs::read_to_string(release.join(rel)).ok())
            .map(|html| verify::text::flatten(&verify::html::read(&html).whole))
            .unwrap_or_default();
        for detail in [&doc.title, &doc.reference, &doc.meeting]
            .into_iter()
            .flatten()
        {
            if page.contains(&verify::text::flatten(detail)) {
                wording.push(detail.clone());
            } else {
                let name = doc.outputs.first().unwrap_or(&doc.source);
                findings.entry(
                    name,
                    "the manifest gives a title, reference or meeting its page does not show",
                );
            }
        }
    }
    wording.extend([
        config.notice.heading.clone(),
        config.notice.bullet.clone(),
        config.exemptions.citation.clone(),
    ]);
    // The markings the manifest and the marking statements name.
    let markings = &config.markings;
    wording.extend(markings.tiers.iter().map(|t| t.id.clone()));
    for term in markings.handling.iter().chain(&markings.descriptors) {
        wording.push(term.id.clone());
        wording.extend(term.spellings.iter().cloned());
    }
    for id in config.exemptions.ids() {
        if let Some(e) = config.exemptions.get(id) {
            wording.extend([e.section.clone(), e.reason.clone()]);
        }
    }
    let none = render::NotListed {
        withheld: 0,
        deferred: 0,
        quarantined: 0,
    };
    wording.push(render::index(&[], none, manifest.as_of, config));
    wording.join("\n")
}

/// The files: each a regular file, exactly those listed, with their digests. Gives the
/// regular files on disk (the manifest aside), by release-relative path.
fn audit_files(
    release: &Path,
    manifest: &Manifest,
    findings: &mut Findings,
) -> Result<BTreeSet<String>, AuditError> {
    let mut on_disk = BTreeSet::new();
    for entry in walkdir::WalkDir::new(release).sort_by_file_name() {
        let entry = entry.map_err(|e| AuditError {
            path: release.to_path_buf(),
            message: e.to_string(),
        })?;
        let rel = entry.path().strip_prefix(release).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        let kind = entry.file_type();
        if kind.is_file() {
            if rel != MANIFEST {
                on_disk.insert(rel);
            }
        } else if kind.is_dir() {
            // A folder's name is published too (a web server may list it): each must hold a
            // file of the release.
            let inside = format!("{rel}/");
            if !rel.is_empty() && !manifest.files.keys().any(|f| f.starts_with(&inside)) {
                findings.add(&rel, "a folder that holds no file of the release");
            }
        } else {
            // A link could lead to the sources; a pipe or a device could hang the reader.
            findings.add(&rel, "not a regular file (a link, a pipe or a device)");
        }
    }
    for rel in on_disk.iter().filter(|r| !manifest.files.contains_key(*r)) {
        findings.add(rel, "in the release but not in its manifest");
    }
    for (rel, digest) in &manifest.files {
        if !on_disk.contains(rel) {
            findings.add(rel, "listed in the manifest but missing from the release");
            continue;
        }
        match std::fs::read(release.join(rel)) {
            Ok(bytes) if &sha256(&bytes) == digest => {}
            Ok(_) => findings.add(
                rel,
                "its digest does not match the manifest: changed since release",
            ),
            Err(_) => findings.add(rel, "listed in the manifest but unreadable"),
        }
    }
    Ok(on_disk)
}

/// Every document of the manifest, published or not, and every source.
fn audit_reports(
    release: &Path,
    manifest: &Manifest,
    sources: &[Input],
    on_disk: &BTreeSet<String>,
    config: &Classifications,
    public: &str,
    findings: &mut Findings,
) -> Reports {
    let by_stem: BTreeMap<&str, &Input> = sources
        .iter()
        .map(|i| (i.release_stem.as_str(), i))
        .collect();
    let mut reports = Reports::default();
    let mut unpublished = 0;
    for doc in &manifest.documents {
        if doc.status == Status::Published {
            let report = Report {
                release,
                doc,
                config,
                public,
                as_of: manifest.as_of,
            };
            report.audit(&by_stem, &mut reports, findings);
        } else {
            unpublished += 1;
            let name = format!("a report {}", doc.status.as_str());
            if !doc.outputs.is_empty() {
                findings.entry(
                    &name,
                    "not published, yet the manifest lists outputs for it",
                );
            }
            if !doc.source.is_empty() || !doc.sha256.is_empty() {
                findings.entry(
                    &name,
                    "not published, yet the manifest names it (a source or a digest)",
                );
            }
        }
    }
    // A report not published is a status and reasons in the manifest, nothing that names
    // it: each source no published entry accounts for is one of them.
    let rest: Vec<&Input> = sources
        .iter()
        .filter(|i| !reports.audited.contains(&i.release_stem))
        .collect();
    if rest.len() != unpublished {
        findings.add(
            MANIFEST,
            format!(
                "accounts for {unpublished} reports not published, but {} sources are not published",
                rest.len()
            ),
        );
    }
    for input in rest {
        audit_unpublished(input, on_disk, config, public, &mut reports, findings);
    }
    reports
}

/// A source not published: no file of it in the release; its titles kept for the check of
/// the index, its withheld part for the search of every file.
fn audit_unpublished(
    input: &Input,
    on_disk: &BTreeSet<String>,
    config: &Classifications,
    public: &str,
    reports: &mut Reports,
    findings: &mut Findings,
) {
    reports.audited.insert(input.release_stem.clone());
    if let Some(text) = std::fs::read(&input.path)
        .ok()
        .and_then(|b| crate::word::markdown_of(&input.path, b, config).ok())
        .and_then(|b| String::from_utf8(b).ok())
    {
        let body = strip_bom(&text);
        reports.hidden_titles.extend(verify::titles(body));
        if let Ok(Some(w)) = verify::withheld(body, &verifier_policy(config), &[public]) {
            reports.withheld.push((input.path.display().to_string(), w));
        }
    }
    for ext in ["md", "html"] {
        let rel = format!("{}.{ext}", input.release_stem);
        if on_disk.contains(&rel) {
            findings.add(
                &rel,
                format!(
                    "{} was not published, yet the release holds this file",
                    input.path.display()
                ),
            );
        }
    }
}

/// A published report's entry, with what its audit needs.
struct Report<'a> {
    release: &'a Path,
    doc: &'a DocumentEntry,
    config: &'a Classifications,
    public: &'a str,
    /// The release's date.
    as_of: jiff::civil::Date,
}

impl Report<'_> {
    /// Its source found, its entry as the release's manifest may give it, and its outputs as
    /// the verifier would have them.
    fn audit(
        &self,
        by_stem: &BTreeMap<&str, &Input>,
        reports: &mut Reports,
        findings: &mut Findings,
    ) {
        let doc = self.doc;
        let (Some(md_rel), Some(html_rel)) = (
            doc.outputs.iter().find(|o| o.ends_with(".md")),
            doc.outputs.iter().find(|o| o.ends_with(".html")),
        ) else {
            findings.entry(
                &doc.source,
                "published, but the manifest lists no Markdown and HTML for it",
            );
            return;
        };
        let stem = md_rel.trim_end_matches(".md");
        reports.audited.insert(stem.to_string());
        reports.outputs.extend(doc.outputs.iter().cloned());
        reports
            .published_pages
            .push((html_rel.clone(), doc.title.clone().unwrap_or_default()));
        let Some(input) = by_stem.get(stem) else {
            findings.add(
                md_rel,
                format!("its source {} is not among the sources given", doc.source),
            );
            return;
        };
        for problem in self.entry_problems(input) {
            findings.add(md_rel, problem);
        }
        let source = match std::fs::read(&input.path) {
            Ok(b) => b,
            Err(e) => {
                findings.source(&input.path, format!("cannot read: {}", e.kind()));
                return;
            }
        };
        if !doc.sha256.is_empty() && doc.sha256 != sha256(&source) {
            findings.add(
                md_rel,
                format!(
                    "its source {} has changed since the release",
                    input.path.display()
                ),
            );
            return;
        }
        // The file given, as a run reads it (a Word report is converted again there).
        let given = source.clone();
        let source = match crate::word::markdown_of(&input.path, source, self.config) {
            Ok(markdown) => markdown,
            Err(why) => {
                findings.add(md_rel, why);
                return;
            }
        };
        if !doc.markdown_sha256.is_empty() && doc.markdown_sha256 != sha256(&source) {
            findings.add(
                md_rel,
                "the Markdown its Word source reads as is not the one released",
            );
            return;
        }
        let (Ok(md), Ok(html)) = (
            std::fs::read_to_string(self.release.join(md_rel)),
            std::fs::read_to_string(self.release.join(html_rel)),
        ) else {
            findings.add(
                md_rel,
                "cannot read the released Markdown and HTML as UTF-8",
            );
            return;
        };
        let Ok(text) = std::str::from_utf8(&source) else {
            findings.add(
                md_rel,
                "its source is not UTF-8, so it cannot have been published",
            );
            return;
        };
        self.reproduce(stem, &given, &md, &html, reports, findings);
        let body = strip_bom(text);
        let (problems, notice) = audit_document(doc, body, &md, &html, self.config);
        for problem in problems {
            findings.add(md_rel, problem);
        }
        // The report's own notice, once proved to hold only public and configured words, is
        // published wording too: a report published again withholds its old notice and
        // writes the same words anew.
        let policy = verifier_policy(self.config);
        let public = [self.public, notice.as_deref().unwrap_or("")];
        if let Ok(Some(w)) = verify::withheld(body, &policy, &public) {
            let first = w.first_line;
            let own = [
                (md_rel, &md, verify::Reach::Prose),
                (html_rel, &html, verify::Reach::Own),
            ];
            for (rel, text, reach) in own {
                if w.leaks_into(text, reach) {
                    findings.add(
                        rel,
                        format!("text of {} from line {first}, which the verifier reads as withheld, appears here", input.path.display()),
                    );
                }
            }
            reports.withheld.push((input.path.display().to_string(), w));
        }
    }

    /// The report made again from its source by this build: its entry must be the
    /// manifest's, its Markdown and page the release's, byte for byte. A page carried over
    /// from an earlier run shows the date it was first published: the dates the page gives
    /// are tried after the release's own (a date is all they can change).
    fn reproduce(
        &self,
        stem: &str,
        source: &[u8],
        md: &str,
        html: &str,
        reports: &mut Reports,
        findings: &mut Findings,
    ) {
        let md_rel = names::markdown_path(stem);
        let dates = std::iter::once(self.as_of).chain(page_dates(html));
        let mut made = None;
        for as_of in dates {
            let p = report::process(&self.doc.source, source, stem, self.config, as_of);
            let same = p.outputs.iter().all(|(rel, bytes)| {
                let on_disk: &[u8] = if rel.ends_with(".md") {
                    md.as_bytes()
                } else {
                    html.as_bytes()
                };
                bytes.as_slice() == on_disk
            });
            let first = made.is_none();
            if same || first {
                made = Some(p);
            }
            if same {
                break;
            }
        }
        let Some(made) = made else { return };
        if made.entry.clone().for_release() != *self.doc {
            findings.add(
                &md_rel,
                "the manifest's entry is not what this build makes of its source",
            );
        }
        for (rel, bytes) in &made.outputs {
            let on_disk: &[u8] = if rel.ends_with(".md") {
                md.as_bytes()
            } else {
                html.as_bytes()
            };
            if bytes.as_slice() != on_disk {
                findings.add(rel, "not what this build makes of its source");
            }
        }
        reports.listings.extend(made.listing);
    }

    /// What the entry may say of a published report: its source by its path inside the
    /// input, a source digest only when nothing is withheld, no digest of a withheld span.
    fn entry_problems(&self, input: &Input) -> Vec<String> {
        let doc = self.doc;
        let mut problems = Vec::new();
        if doc.source != crate::report::source_name(input) {
            problems.push(format!(
                "the manifest names its source {:?}, not its path inside the input",
                doc.source
            ));
        }
        if !doc.withheld.is_empty() && !doc.sha256.is_empty() {
            problems.push("the manifest gives a digest of a source with withheld text".into());
        }
        if doc.withheld.iter().any(|w| !w.sha256.is_empty()) {
            problems.push("the manifest gives a digest of withheld text".into());
        }
        problems
    }
}

/// Every file of the release and the manifest's strings, searched for the withheld part of
/// every source, as the verifier reads it: a report's own outputs were searched with its
/// report; the index, the stylesheet and the manifest are searched for every report's.
fn audit_leaks(
    release: &Path,
    on_disk: &BTreeSet<String>,
    manifest_strings: &[String],
    reports: &Reports,
    findings: &mut Findings,
) {
    let strings: Vec<&str> = manifest_strings.iter().map(String::as_str).collect();
    let mut shared = vec![(
        MANIFEST.to_string(),
        verify::Output::read(&strings),
        verify::Reach::Label,
    )];
    for rel in on_disk.iter().filter(|r| !reports.outputs.contains(*r)) {
        if let Ok(bytes) = std::fs::read(release.join(rel)) {
            // The tool's own stylesheet, byte for byte, is the build's and no report's: its
            // words ("mopac-redact" in its first comment) are not a report's withheld text.
            // Any other stylesheet is a finding of its own, and searched like any file.
            if rel == STYLESHEET_FILE && bytes == render::STYLESHEET.as_bytes() {
                continue;
            }
            let text = String::from_utf8_lossy(&bytes);
            shared.push((
                rel.clone(),
                verify::Output::read(&[&text]),
                verify::Reach::Shared,
            ));
        }
    }
    for (rel, output, reach) in &shared {
        for (source, w) in &reports.withheld {
            if w.leaks(output, *reach) {
                findings.add(
                    rel,
                    format!(
                        "text of {source} from line {}, which the verifier reads as withheld, appears here",
                        w.first_line
                    ),
                );
            }
        }
    }
}

/// The dates a page gives (`datetime="YYYY-MM-DD"`), each once, in order.
fn page_dates(html: &str) -> Vec<jiff::civil::Date> {
    let mut dates = Vec::new();
    for (i, _) in html.match_indices("datetime=\"") {
        let at = i + "datetime=\"".len();
        if let Some(date) = html
            .get(at..at + 10)
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
            && !dates.contains(&date)
        {
            dates.push(date);
        }
    }
    dates
}

/// The index made again from the published reports' listings, as this build makes them
/// from their sources, and the manifest's counts: it must be the release's, byte for byte.
fn reproduce_index(
    release: &Path,
    manifest: &Manifest,
    reports: &Reports,
    config: &Classifications,
    findings: &mut Findings,
) {
    let Ok(html) = std::fs::read_to_string(release.join(INDEX_FILE)) else {
        return;
    };
    let count = |status: Status| {
        manifest
            .documents
            .iter()
            .filter(|d| d.status == status)
            .count()
    };
    let not_listed = render::NotListed {
        withheld: count(Status::Withheld),
        deferred: count(Status::Deferred),
        quarantined: count(Status::Quarantined),
    };
    if render::index(&reports.listings, not_listed, manifest.as_of, config) != html {
        findings.add(
            INDEX_FILE,
            "not what this build makes of the published reports",
        );
    }
}

/// The stylesheet: the tool's own, byte for byte.
fn audit_stylesheet(release: &Path, findings: &mut Findings) {
    match std::fs::read(release.join(STYLESHEET_FILE)) {
        Ok(bytes) if bytes == render::STYLESHEET.as_bytes() => {}
        Ok(_) => findings.add(STYLESHEET_FILE, "the stylesheet is not the tool's own"),
        Err(_) => findings.add(STYLESHEET_FILE, "the release has no stylesheet"),
    }
}

/// The index, through [`verify::index`].
fn audit_index(
    release: &Path,
    reports: &Reports,
    as_of: jiff::civil::Date,
    config: &Classifications,
    findings: &mut Findings,
) {
    let Ok(html) = std::fs::read_to_string(release.join(INDEX_FILE)) else {
        findings.add(INDEX_FILE, "the release has no readable index");
        return;
    };
    let published: Vec<(&str, &str)> = reports
        .published_pages
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let hidden = crate::batch::telling_titles(&reports.hidden_titles, as_of, config);
    for f in verify::index(&html, &published, &hidden, &verifier_policy(config)) {
        findings.add(INDEX_FILE, f.message);
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// The removed spans the manifest gives, each checked to lie in the source. What they
/// claim is not trusted: the verifier reads the withheld part again from the source.
fn removals(doc: &DocumentEntry, body: &str, problems: &mut Vec<String>) -> Vec<Removal> {
    let lines = Lines::new(body);
    let mut removals = Vec::new();
    for span in &doc.withheld {
        let [first, last] = span.lines;
        let Some(mut range) = lines.range(first, last) else {
            problems.push(format!(
                "withheld lines {first}-{last} are not in the source"
            ));
            continue;
        };
        // Markup cut out of a line: from its first column on the first line to the column
        // after it on the last.
        if let Some([from, to]) = span.columns {
            let last_start = lines.range(last, last).map_or(range.start, |r| r.start);
            let cut = (range.start + from.saturating_sub(1))..(last_start + to.saturating_sub(1));
            if from == 0 || to == 0 || cut.start > cut.end || cut.end > range.end {
                problems.push(format!(
                    "withheld columns {from}-{to} of lines {first}-{last} are not in the source"
                ));
                continue;
            }
            range = cut;
        }
        removals.push(Removal {
            kind: span.kind,
            range,
            lines: (first, last),
            sha256: String::new(),
        });
    }
    removals
}

/// Checks one published report's outputs against its source and manifest entry.
fn audit_document(
    doc: &DocumentEntry,
    body: &str,
    md: &str,
    html: &str,
    config: &Classifications,
) -> (Vec<String>, Option<String>) {
    let md = strip_bom(md);
    let mut problems = Vec::new();
    let removals = removals(doc, body, &mut problems);
    if removals.iter().any(|r| r.kind == RemovalKind::Part2) != doc.marking.is_some() {
        problems.push("the manifest's marking and its withheld Part 2 disagree".into());
    }
    // The notice is read from the Markdown: the configuration's wording of each exemption
    // the manifest names must stand in it, and it may hold no word that is neither in the
    // public part nor in that wording. Only then is it read as the tool's own.
    let notice = verify::notice_of(body, &removals, md);
    let mut wording = vec![
        config.notice.heading.as_str(),
        config.notice.bullet.as_str(),
        config.exemptions.citation.as_str(),
    ];
    for id in &doc.exemptions {
        match config.exemptions.get(id) {
            Some(e) if notice.contains(&e.reason) => {
                wording.extend([e.reason.as_str(), e.section.as_str()]);
            }
            Some(_) => problems.push(format!("the notice does not cite the exemption {id}")),
            None => problems.push(format!("the manifest names an unknown exemption {id}")),
        }
    }
    let known = verify::notice_is_known(body, &removals, notice, &wording);
    if !known {
        problems.push(
            "the notice holds words that are neither the public part's nor the configured wording's"
                .into(),
        );
    }
    for f in verify::verify(
        &verify::Evidence {
            source: body,
            removals: &removals,
            notice: known.then_some(notice),
            markdown: md,
            html,
        },
        &verifier_policy(config),
    ) {
        problems.push(format!("{} check: {}", f.output, f.message));
    }
    (problems, known.then(|| notice.to_string()))
}

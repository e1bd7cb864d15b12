//! Audit: check an existing release against its sources, as an auditor would.
//!
//! It trusts neither the classifier nor the redactor, nor the release itself, and is built
//! on the independent verifier alone. For each published report it takes the removed spans
//! from the manifest (lines and SHA-256, both checked against the source) and runs the check
//! of [`verify::verify`] over the Markdown and HTML as they stand on disk; the notice is read
//! from the Markdown (what follows the kept text), checked like any published text, and must
//! cite every exemption the manifest names. It also checks that the release holds exactly the
//! files its manifest lists, with their digests, and nothing of a report that was not
//! published. The release index must pass [`verify::index`]: links to every published page
//! and nothing else, and no title of a report that was not published (read again from its
//! source by [`verify::titles`]); the stylesheet must be the tool's own, byte for byte.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use mopac_redactor::config::Classifications;
use mopac_redactor::input::Input;
use mopac_redactor::render;
use mopac_types::Lines;
use mopac_types::manifest::{DocumentEntry, Manifest, Status};
use mopac_types::names::{INDEX_FILE, MANIFEST, STYLESHEET_FILE};
use mopac_types::{Removal, sha256};
use mopac_verifier as verify;

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
    }
}

/// The findings of an audit, as they are made.
#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn add(&mut self, path: &str, message: impl Into<String>) {
        self.0.push(Finding {
            path: path.to_string(),
            message: message.into(),
        });
    }
}

/// What the reports' part of an audit learns for the index's.
#[derive(Default)]
struct Reports {
    /// The release stems of the sources the manifest accounts for.
    audited: BTreeSet<String>,
    /// Each published page and its report's title.
    published_pages: Vec<(String, String)>,
    /// The titles the reports not published go by.
    hidden_titles: Vec<String>,
}

/// Audits `release` against `sources`; every finding, sorted, or none.
pub fn audit(
    release: &Path,
    sources: &[Input],
    config: &Classifications,
) -> Result<Vec<Finding>, AuditError> {
    let manifest = read_manifest(release)?;
    let mut findings = Findings::default();
    let on_disk = audit_files(release, &manifest, &mut findings)?;
    let reports = audit_reports(release, &manifest, sources, &on_disk, config, &mut findings);
    audit_stylesheet(release, &mut findings);
    audit_index(release, &reports, config, &mut findings);
    for input in sources
        .iter()
        .filter(|i| !reports.audited.contains(&i.release_stem))
    {
        findings.add(
            &input.path.to_string_lossy(),
            "a source the release's manifest does not account for",
        );
    }
    let mut findings = findings.0;
    findings.sort();
    findings.dedup();
    Ok(findings)
}

fn read_manifest(release: &Path) -> Result<Manifest, AuditError> {
    let path = release.join(MANIFEST);
    std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| e.to_string()))
        .map_err(|message| AuditError { path, message })
}

/// The files: exactly those listed, with their digests. Gives the files on disk (the
/// manifest aside), by release-relative path.
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
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(release).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel != MANIFEST {
                on_disk.insert(rel);
            }
        }
    }
    for rel in on_disk.iter().filter(|r| !manifest.files.contains_key(*r)) {
        findings.add(rel, "in the release but not in its manifest");
    }
    for (rel, digest) in &manifest.files {
        match std::fs::read(release.join(rel)) {
            Ok(bytes) if &sha256(&bytes) == digest => {}
            Ok(_) => findings.add(
                rel,
                "its digest does not match the manifest: changed since release",
            ),
            Err(_) => findings.add(rel, "listed in the manifest but missing from the release"),
        }
    }
    Ok(on_disk)
}

/// Every document of the manifest, published or not.
fn audit_reports(
    release: &Path,
    manifest: &Manifest,
    sources: &[Input],
    on_disk: &BTreeSet<String>,
    config: &Classifications,
    findings: &mut Findings,
) -> Reports {
    let by_stem: BTreeMap<&str, &Input> = sources
        .iter()
        .map(|i| (i.release_stem.as_str(), i))
        .collect();
    // A report not published is known by its content's digest alone (see
    // [`DocumentEntry::for_release`]).
    let by_content: BTreeMap<String, &Input> = sources
        .iter()
        .filter_map(|i| Some((sha256(&std::fs::read(&i.path).ok()?), i)))
        .collect();
    let mut reports = Reports::default();
    for doc in &manifest.documents {
        if doc.status == Status::Published {
            audit_published(release, doc, &by_stem, config, &mut reports, findings);
        } else {
            audit_unpublished(doc, &by_content, on_disk, &mut reports, findings);
        }
    }
    reports
}

/// A report not published: no outputs, no file of it in the release, and its titles kept
/// for the check of the index.
fn audit_unpublished(
    doc: &DocumentEntry,
    by_content: &BTreeMap<String, &Input>,
    on_disk: &BTreeSet<String>,
    reports: &mut Reports,
    findings: &mut Findings,
) {
    // A report not published has no source in the manifest: its digest names it.
    let name = if doc.source.is_empty() {
        &doc.sha256
    } else {
        &doc.source
    };
    if !doc.outputs.is_empty() {
        findings.add(name, "not published, yet the manifest lists outputs for it");
    }
    let Some(input) = by_content.get(&doc.sha256) else {
        return;
    };
    reports.audited.insert(input.release_stem.clone());
    if let Some(text) = std::fs::read(&input.path)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
    {
        reports
            .hidden_titles
            .extend(verify::titles(strip_bom(&text)));
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

/// A published report: its source unchanged, and its outputs as the verifier would have
/// them.
fn audit_published(
    release: &Path,
    doc: &DocumentEntry,
    by_stem: &BTreeMap<&str, &Input>,
    config: &Classifications,
    reports: &mut Reports,
    findings: &mut Findings,
) {
    let (Some(md_rel), Some(html_rel)) = (
        doc.outputs.iter().find(|o| o.ends_with(".md")),
        doc.outputs.iter().find(|o| o.ends_with(".html")),
    ) else {
        findings.add(
            &doc.source,
            "published, but the manifest lists no Markdown and HTML for it",
        );
        return;
    };
    let stem = md_rel.trim_end_matches(".md");
    reports.audited.insert(stem.to_string());
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
    let source = match std::fs::read(&input.path) {
        Ok(b) => b,
        Err(e) => {
            findings.add(
                &input.path.to_string_lossy(),
                format!("cannot read: {}", e.kind()),
            );
            return;
        }
    };
    if doc.sha256 != sha256(&source) {
        findings.add(
            md_rel,
            format!(
                "its source {} has changed since the release",
                input.path.display()
            ),
        );
        return;
    }
    let (Ok(md), Ok(html)) = (
        std::fs::read_to_string(release.join(md_rel)),
        std::fs::read_to_string(release.join(html_rel)),
    ) else {
        findings.add(
            md_rel,
            "cannot read the released Markdown and HTML as UTF-8",
        );
        return;
    };
    for problem in audit_document(doc, &source, &md, &html, config) {
        findings.add(md_rel, problem);
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
    let hidden: Vec<&str> = reports.hidden_titles.iter().map(String::as_str).collect();
    for f in verify::index(&html, &published, &hidden, &verifier_policy(config)) {
        findings.add(INDEX_FILE, f.message);
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// The removed spans the manifest gives, each checked against the source: its lines there,
/// its digest theirs. Problems are pushed to `problems`.
fn removals(doc: &DocumentEntry, body: &str, problems: &mut Vec<String>) -> Vec<Removal> {
    let lines = Lines::new(body);
    let mut removals = Vec::new();
    for span in &doc.withheld {
        let kind = span.kind;
        let [first, last] = span.lines;
        let Some(range) = lines.range(first, last) else {
            problems.push(format!(
                "withheld lines {first}-{last} are not in the source"
            ));
            continue;
        };
        if span.sha256 != sha256(&body.as_bytes()[range.clone()]) {
            problems.push(format!(
                "withheld lines {first}-{last} do not match the digest in the manifest"
            ));
            continue;
        }
        removals.push(Removal {
            kind,
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
    source: &[u8],
    md: &str,
    html: &str,
    config: &Classifications,
) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(source) else {
        return vec!["its source is not UTF-8, so it cannot have been published".into()];
    };
    let body = strip_bom(text);
    let md = strip_bom(md);
    let mut problems = Vec::new();
    let removals = removals(doc, body, &mut problems);
    // The notice is read from the Markdown: the configuration's wording of each exemption
    // the manifest names must stand in it.
    let notice = verify::notice_of(body, &removals, md);
    for id in &doc.exemptions {
        match config.exemptions.get(id) {
            Some(e) if notice.contains(&e.reason) => {}
            Some(_) => problems.push(format!("the notice does not cite the exemption {id}")),
            None => problems.push(format!("the manifest names an unknown exemption {id}")),
        }
    }
    for f in verify::verify(
        &verify::Evidence {
            source: body,
            removals: &removals,
            notice: None,
            markdown: md,
            html,
        },
        &verifier_policy(config),
    ) {
        problems.push(format!("{} check: {}", f.output, f.message));
    }
    problems
}

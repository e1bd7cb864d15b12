//! Audit: check an existing release against its sources, as an auditor would.
//!
//! It trusts neither the classifier nor the redactor, nor the release itself. For each
//! published report it takes the removed spans from the manifest (lines and SHA-256, both
//! checked against the source), regenerates the notice from the configuration, and runs the
//! independent check of [`crate::verify`] over the Markdown and HTML as they stand on disk.
//! It also checks that the release holds exactly the files its manifest lists, with their
//! digests, and nothing of a report that was not published. The release index must pass
//! [`verify::index`]: links to every published page and nothing else, and no title of a
//! report that was not published (read again from its source); the stylesheet must be the
//! tool's own, byte for byte.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use mopac_redactor::config::{Classifications, Exemption};
use mopac_redactor::input::Input;
use mopac_redactor::redact::{line_ending, notice};
use mopac_redactor::render;
use mopac_types::Lines;
use mopac_types::names::MANIFEST;
use mopac_types::{Removal, RemovalKind, sha256};
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

/// Audits `release` against `sources`; every finding, sorted, or none.
pub fn audit(
    release: &Path,
    sources: &[Input],
    config: &Classifications,
) -> Result<Vec<Finding>, AuditError> {
    let manifest_path = release.join(MANIFEST);
    let manifest: Value = std::fs::read(&manifest_path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| e.to_string()))
        .map_err(|message| AuditError {
            path: manifest_path.clone(),
            message,
        })?;
    let mut findings = Vec::new();
    let mut found = |path: &str, message: String| {
        findings.push(Finding {
            path: path.to_string(),
            message,
        })
    };

    // The files: exactly those listed, with their digests.
    let listed: BTreeMap<String, String> = manifest["files"]
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
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
    for rel in on_disk.difference(&listed.keys().cloned().collect()) {
        found(rel, "in the release but not in its manifest".into());
    }
    for (rel, digest) in &listed {
        match std::fs::read(release.join(rel)) {
            Ok(bytes) if &sha256(&bytes) == digest => {}
            Ok(_) => found(
                rel,
                "its digest does not match the manifest: changed since release".into(),
            ),
            Err(_) => found(
                rel,
                "listed in the manifest but missing from the release".into(),
            ),
        }
    }

    // The reports.
    let by_stem: BTreeMap<&str, &Input> = sources
        .iter()
        .map(|i| (i.release_stem.as_str(), i))
        .collect();
    // A report not published is known by its content's digest alone (see
    // [`mopac_types::manifest::DocumentEntry::for_release`]).
    let by_content: BTreeMap<String, &Input> = sources
        .iter()
        .filter_map(|i| Some((sha256(&std::fs::read(&i.path).ok()?), i)))
        .collect();
    let mut audited = BTreeSet::new();
    let mut published_pages: Vec<(String, String)> = Vec::new();
    let mut hidden_titles: Vec<String> = Vec::new();
    for doc in manifest["documents"].as_array().into_iter().flatten() {
        // A report not published has no source in the manifest: its digest names it.
        let source = doc["source"]
            .as_str()
            .or(doc["sha256"].as_str())
            .unwrap_or_default();
        let outputs: Vec<&str> = doc["outputs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if doc["status"] != "published" {
            if !outputs.is_empty() {
                found(
                    source,
                    "not published, yet the manifest lists outputs for it".into(),
                );
            }
            if let Some(input) = doc["sha256"].as_str().and_then(|d| by_content.get(d)) {
                audited.insert(input.release_stem.clone());
                if let Ok(bytes) = std::fs::read(&input.path) {
                    hidden_titles.extend(title_hints(&bytes, config));
                }
                for ext in ["md", "html"] {
                    let rel = format!("{}.{ext}", input.release_stem);
                    if on_disk.contains(&rel) {
                        found(
                            &rel,
                            format!(
                                "{} was not published, yet the release holds this file",
                                input.path.display()
                            ),
                        );
                    }
                }
            }
            continue;
        }
        let (Some(md_rel), Some(html_rel)) = (
            outputs.iter().find(|o| o.ends_with(".md")),
            outputs.iter().find(|o| o.ends_with(".html")),
        ) else {
            found(
                source,
                "published, but the manifest lists no Markdown and HTML for it".into(),
            );
            continue;
        };
        let stem = md_rel.trim_end_matches(".md");
        audited.insert(stem.to_string());
        published_pages.push((
            html_rel.to_string(),
            doc["title"].as_str().unwrap_or_default().to_string(),
        ));
        let Some(input) = by_stem.get(stem) else {
            found(
                md_rel,
                format!("its source {source} is not among the sources given"),
            );
            continue;
        };
        let source_bytes = match std::fs::read(&input.path) {
            Ok(b) => b,
            Err(e) => {
                found(
                    &input.path.to_string_lossy(),
                    format!("cannot read: {}", e.kind()),
                );
                continue;
            }
        };
        if doc["sha256"].as_str() != Some(sha256(&source_bytes).as_str()) {
            found(
                md_rel,
                format!(
                    "its source {} has changed since the release",
                    input.path.display()
                ),
            );
            continue;
        }
        let (Ok(md), Ok(html)) = (
            std::fs::read_to_string(release.join(md_rel)),
            std::fs::read_to_string(release.join(html_rel)),
        ) else {
            found(
                md_rel,
                "cannot read the released Markdown and HTML as UTF-8".into(),
            );
            continue;
        };
        for problem in audit_document(doc, &source_bytes, &md, &html, config) {
            found(md_rel, problem);
        }
    }
    // The stylesheet and the index.
    match std::fs::read(release.join(render::STYLESHEET_FILE)) {
        Ok(bytes) if bytes == render::STYLESHEET.as_bytes() => {}
        Ok(_) => found(
            render::STYLESHEET_FILE,
            "the stylesheet is not the tool's own".into(),
        ),
        Err(_) => found(
            render::STYLESHEET_FILE,
            "the release has no stylesheet".into(),
        ),
    }
    match std::fs::read_to_string(release.join(render::INDEX_FILE)) {
        Ok(html) => {
            let published: Vec<(&str, &str)> = published_pages
                .iter()
                .map(|(p, t)| (p.as_str(), t.as_str()))
                .collect();
            let hidden: Vec<&str> = hidden_titles.iter().map(String::as_str).collect();
            for f in verify::index(&html, &published, &hidden, config) {
                found(render::INDEX_FILE, f.message);
            }
        }
        Err(_) => found(
            render::INDEX_FILE,
            "the release has no readable index".into(),
        ),
    }
    for input in sources
        .iter()
        .filter(|i| !audited.contains(&i.release_stem))
    {
        found(
            &input.path.to_string_lossy(),
            "a source the release's manifest does not account for".into(),
        );
    }
    findings.sort();
    findings.dedup();
    Ok(findings)
}

/// The titles a source may go by, read from it again (see [`crate::classify::title_hints`]).
fn title_hints(bytes: &[u8], config: &Classifications) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let body = strip_bom(text);
    match mopac_redactor::markdown::segment(body) {
        Ok(segments) => mopac_redactor::classify::title_hints(body, &segments, config),
        Err(_) => Vec::new(),
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// Checks one published report's outputs against its source and manifest entry.
fn audit_document(
    doc: &Value,
    source: &[u8],
    md: &str,
    html: &str,
    config: &Classifications,
) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(source) else {
        return vec!["its source is not UTF-8, so it cannot have been published".into()];
    };
    let body = strip_bom(text);
    let lines = Lines::new(body);
    let mut problems = Vec::new();
    let mut removals = Vec::new();
    for span in doc["withheld"].as_array().into_iter().flatten() {
        let kind = match span["kind"].as_str() {
            Some("part2") => RemovalKind::Part2,
            Some("front-matter") => RemovalKind::FrontMatter,
            Some("orphaned-definition") => RemovalKind::OrphanedDefinition,
            _ => {
                problems.push("the manifest names a withheld span of unknown kind".into());
                continue;
            }
        };
        let (Some(first), Some(last)) = (span["lines"][0].as_u64(), span["lines"][1].as_u64())
        else {
            problems.push("the manifest gives a withheld span without its lines".into());
            continue;
        };
        let (first, last) = (first as usize, last as usize);
        let Some(range) = lines.range(first, last) else {
            problems.push(format!(
                "withheld lines {first}-{last} are not in the source"
            ));
            continue;
        };
        if span["sha256"].as_str() != Some(sha256(&body.as_bytes()[range.clone()]).as_str()) {
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
    let exemptions: Vec<Exemption> = doc["exemptions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|id| config.exemptions.get(id.as_str()?).cloned())
        .collect();
    let has_part2 = removals.iter().any(|r| r.kind == RemovalKind::Part2);
    let notice_text = if has_part2 {
        notice(
            doc["title"].as_str().unwrap_or_default(),
            &exemptions,
            config,
            line_ending(body),
        )
    } else {
        String::new()
    };
    for f in verify::verify(
        &verify::Evidence {
            source: body,
            removals: &removals,
            notice: &notice_text,
            markdown: strip_bom(md),
            html,
        },
        config,
    ) {
        problems.push(format!("{} check: {}", f.output, f.message));
    }
    problems
}

//! The boundaries between the crates, proved from cargo's own resolution of the workspace.
//!
//! The verifier is independent by construction: it cannot name the redactor's crate, so no
//! change to the redactor's recognition can blind both at once. The vocabulary crate holds
//! no logic of either side. These tests fail the build the day a dependency creeps in.

use std::collections::{BTreeSet, HashMap};
use std::process::Command;

use serde_json::Value;

/// The workspace's resolved dependency graph: each package's name by id, and each id's
/// normal and build dependencies (dev-dependencies left out: they are never in the build).
struct Graph {
    names: HashMap<String, String>,
    deps: HashMap<String, Vec<String>>,
}

impl Graph {
    fn load() -> Graph {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--locked"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo metadata runs");
        assert!(
            out.status.success(),
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata is JSON");
        let names = meta["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .map(|p| {
                (
                    p["id"].as_str().unwrap().to_string(),
                    p["name"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let deps = meta["resolve"]["nodes"]
            .as_array()
            .expect("a resolved graph")
            .iter()
            .map(|node| {
                let deps = node["deps"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|d| {
                        d["dep_kinds"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .any(|k| k["kind"].is_null() || k["kind"] == "build")
                    })
                    .map(|d| d["pkg"].as_str().unwrap().to_string())
                    .collect();
                (node["id"].as_str().unwrap().to_string(), deps)
            })
            .collect();
        Graph { names, deps }
    }

    /// The names of every package `name` depends on, directly or not.
    fn reached_from(&self, name: &str) -> BTreeSet<String> {
        let start = self
            .names
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| panic!("{name} is in the workspace"));
        let mut seen = BTreeSet::new();
        let mut todo = vec![start];
        while let Some(id) = todo.pop() {
            for dep in self.deps.get(&id).into_iter().flatten() {
                if seen.insert(dep.clone()) {
                    todo.push(dep.clone());
                }
            }
        }
        seen.iter().map(|id| self.names[id].clone()).collect()
    }
}

/// The verifier shares no code with the redactor: not even through another crate.
#[test]
fn the_verifier_cannot_name_the_redactor() {
    let graph = Graph::load();
    // The walk finds what is there: the tool itself reaches both sides.
    let tool = graph.reached_from("mopac-redact");
    assert!(tool.contains("mopac-redactor") && tool.contains("mopac-verifier"));
    let reached = graph.reached_from("mopac-verifier");
    assert!(reached.contains("mopac-types"), "{reached:?}");
    assert!(!reached.contains("mopac-redactor"), "{reached:?}");
}

/// The Word reader knows Word, not reports: it names neither side, and neither side nor
/// the vocabulary names it; only the application puts it before the pipeline.
#[test]
fn the_word_reader_stands_apart() {
    let graph = Graph::load();
    let reached = graph.reached_from("mopac-docx");
    assert!(reached.contains("mopac-types"), "{reached:?}");
    for side in ["mopac-redactor", "mopac-verifier"] {
        assert!(!reached.contains(side), "mopac-docx depends on {side}");
        let other = graph.reached_from(side);
        assert!(
            !other.contains("mopac-docx"),
            "{side} depends on mopac-docx"
        );
    }
    assert!(graph.reached_from("mopac-redact").contains("mopac-docx"));
    assert!(!graph.reached_from("mopac-types").contains("mopac-docx"));
}

/// The vocabulary crate holds no logic of either side.
#[test]
fn the_vocabulary_depends_on_neither_side() {
    let reached = Graph::load().reached_from("mopac-types");
    for side in ["mopac-redactor", "mopac-verifier"] {
        assert!(!reached.contains(side), "mopac-types depends on {side}");
    }
}

/// The verifier builds its own parser options: they must be the redactor's, or the two would
/// see different blocks in the same Markdown.
#[test]
fn the_verifier_reads_markdown_in_the_redactors_dialect() {
    assert_eq!(
        mopac_verifier::markdown::options(),
        mopac_redactor::markdown::options()
    );
}

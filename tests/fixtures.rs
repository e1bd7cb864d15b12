//! Every fixture behaves as its folder and name say, and its outputs are snapshotted.
//!
//! `fixtures/<status>/<name>` must end with that status; a quarantined fixture is named for
//! its reason code (`<code>.md` or `<code>--<variant>.md`). Published fixtures snapshot
//! their Markdown, HTML and manifest entry; the others their manifest entry.

use std::path::Path;

use jiff::civil::date;
use mopac_redact::config::Classifications;
use mopac_redact::process;

fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    path.strip_prefix(&root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn fixtures_behave_as_named() {
    let config = Classifications::defaults().unwrap();
    insta::glob!("../fixtures", "**/*.{md,txt,markdown}", |path| {
        let rel = relative(path);
        let bytes = std::fs::read(path).unwrap();
        let stem = rel.rsplit_once('.').unwrap().0;
        let p = process(&rel, &bytes, stem, &config, date(2026, 11, 25));

        let expected = rel.split('/').next().unwrap();
        assert_eq!(
            p.entry.status.as_str(),
            expected,
            "{rel}: {:#?}",
            p.entry.reasons
        );
        if expected == "quarantined" {
            let name = Path::new(&rel).file_stem().unwrap().to_str().unwrap();
            let code = name.split("--").next().unwrap();
            assert!(
                p.entry.reasons.iter().any(|r| r.code.as_str() == code),
                "{rel}: expected a [{code}] reason, got {:#?}",
                p.entry.reasons
            );
        }

        insta::assert_json_snapshot!("manifest-entry", p.entry);
        for (name, contents) in &p.outputs {
            let text = String::from_utf8(contents.clone()).unwrap();
            if name.ends_with(".md") {
                insta::assert_snapshot!("markdown", text);
            } else {
                insta::assert_snapshot!("html", text);
            }
        }
    });
}

/// The seed-shaped report and its full version (restricted content after the marking)
/// publish to the same bytes: the published form, as MOPAC released it.
#[test]
fn seed_shape_full_version_publishes_as_the_published_form() {
    let config = Classifications::defaults().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/published");
    let full = std::fs::read(dir.join("seed-shape-full.txt")).unwrap();
    let published = std::fs::read(dir.join("seed-shape.txt")).unwrap();
    assert_ne!(full, published);
    for (name, input) in [("full", &full), ("published", &published)] {
        let p = process(name, input, name, &config, date(2026, 11, 25));
        assert_eq!(p.outputs[0].0, format!("{name}.md"));
        assert_eq!(
            String::from_utf8_lossy(&p.outputs[0].1),
            String::from_utf8_lossy(&published),
            "{name}"
        );
    }
}

/// Restricted content of the full version appears in no output and not in the manifest.
#[test]
fn seed_shape_restricted_content_appears_nowhere() {
    let config = Classifications::defaults().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/published/seed-shape-full.txt");
    let full = std::fs::read_to_string(path).unwrap();
    let marking_end = full.find("OFFICIAL-SENSITIVE [COMMERCIAL]\n").unwrap() + 32;
    let restricted = &full[marking_end..];
    let p = process("full", full.as_bytes(), "full", &config, date(2026, 11, 25));
    let manifest = serde_json::to_string(&p.entry).unwrap();
    let mut outputs: Vec<String> = p
        .outputs
        .iter()
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .collect();
    outputs.push(manifest);
    for line in restricted.lines().filter(|l| l.len() > 20) {
        for output in &outputs {
            assert!(!output.contains(line), "restricted line leaked: {line}");
        }
    }
}

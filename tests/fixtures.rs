//! Every fixture behaves as its folder and name say, and its outputs are snapshotted.
//!
//! `fixtures/<status>/<name>` must end with that status; a quarantined fixture is named for
//! its reason code (`<code>.md` or `<code>--<variant>.md`). Published fixtures snapshot
//! their Markdown, HTML and manifest entry; the others their manifest entry. A Word
//! fixture (`.docx`, made by `scripts/make-word-fixtures`) also snapshots the Markdown it is
//! read as, when it can be read. Every page, and
//! the index of the release of all fixtures, parses as HTML without a single parse error.

use std::path::Path;

use html5ever::tendril::TendrilSink;
use jiff::civil::date;
use markup5ever_rcdom::RcDom;
use mopac_redact::process;
use mopac_redactor::config::Classifications;
use mopac_types::manifest::Status;

/// The parse errors of an HTML document, as the WHATWG parsing algorithm reports them.
fn parse_errors(html: &str) -> Vec<String> {
    let opts = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            exact_errors: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let dom = html5ever::parse_document(RcDom::default(), opts)
        .from_utf8()
        .read_from(&mut html.as_bytes())
        .unwrap();
    dom.errors.borrow().iter().map(|e| e.to_string()).collect()
}

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
    insta::glob!("../fixtures", "**/*.{md,txt,markdown,docx}", |path| {
        let rel = relative(path);
        let bytes = std::fs::read(path).unwrap();
        if mopac_redact::word::is_word(&rel) {
            // What the Word report is read as: the source of record, when it can be read.
            if let Ok(c) = mopac_redact::word::convert(&bytes, &config) {
                insta::assert_snapshot!("derived-markdown", c.markdown);
            }
        }
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
                assert_eq!(parse_errors(&text), Vec::<String>::new(), "{name}");
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

/// The release of every fixture: its index lists each published report and counts the
/// others, parses without error, and the manifest lists the index and the stylesheet.
#[test]
fn the_release_index_of_the_fixtures() {
    let config = Classifications::defaults().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let inputs = mopac_redactor::input::discover(&[root]).unwrap();
    let mut batch = mopac_redact::run(
        &inputs,
        &config,
        date(2026, 11, 25),
        &mopac_redact::Discard,
        &|_| {},
    )
    .unwrap();
    let extra = batch.index(&config, date(2026, 11, 25)).unwrap();
    let index = std::fs::read_to_string(&extra.path).unwrap();
    let stylesheet = mopac_redactor::render::STYLESHEET;
    batch.add_file("index.html", extra.sha256).unwrap();
    batch
        .add_file("style.css", mopac_types::sha256(stylesheet.as_bytes()))
        .unwrap();
    let file = |name: &str| match name {
        "style.css" => stylesheet.to_string(),
        _ => index.clone(),
    };
    // The check can fail: a stray end tag is a parse error.
    assert!(!parse_errors("<!DOCTYPE html><title>t</title><p>a</div>").is_empty());
    assert_eq!(parse_errors(&index), Vec::<String>::new());
    assert_eq!(file("style.css"), mopac_redactor::render::STYLESHEET);
    let files: std::collections::BTreeMap<String, String> =
        batch.files().unwrap().map(Result::unwrap).collect();
    for name in ["index.html", "style.css"] {
        assert!(files.contains_key(name), "{name}");
    }
    let published = batch.count(Status::Published);
    assert_eq!(files.len(), 2 * published + 2);
    assert_eq!(index.matches("<a class=\"report-link\"").count(), published);
    for (status, wording) in [
        (Status::Withheld, "withheld in full"),
        (Status::Deferred, "deferred until"),
        (Status::Quarantined, "held back for review"),
    ] {
        assert!(
            index.contains(&format!("{} {wording}", batch.count(status))),
            "{status:?}"
        );
    }
    // No title of a report that was not published, though the tool knows them.
    for title in &batch.hidden_titles().unwrap() {
        // A title that a published report's title also holds is public already.
        let published_too = batch.entries_with(Status::Published).any(|e| {
            e.title
                .as_deref()
                .is_some_and(|t| t.contains(title.as_str()))
        });
        assert!(published_too || !index.contains(title.as_str()), "{title}");
    }
    assert!(
        batch
            .hidden_titles()
            .unwrap()
            .iter()
            .any(|t| t.contains("Custody CCTV")),
        "the Part 2 decision form's title is known to the check"
    );
    insta::assert_snapshot!("release-index", index);
}

/// Presentation never changes the Markdown release: with no section titles configured the
/// page changes, the Markdown does not.
#[test]
fn the_markdown_release_does_not_depend_on_the_page() {
    let config = Classifications::defaults().unwrap();
    let mut plain = config.clone();
    plain.document.page.section_titles.clear();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/published/seed-shape.txt");
    let bytes = std::fs::read(path).unwrap();
    let a = process("s", &bytes, "s", &config, date(2026, 11, 25));
    let b = process("s", &bytes, "s", &plain, date(2026, 11, 25));
    assert_eq!(a.outputs[0], b.outputs[0]);
    assert_ne!(a.outputs[1], b.outputs[1]);
    let page = String::from_utf8(a.outputs[1].1.clone()).unwrap();
    assert!(page.contains("<h2 id=\"legal-comments\">Legal Comments</h2>"));
    let page = String::from_utf8(b.outputs[1].1.clone()).unwrap();
    assert!(page.contains("<p>Legal Comments</p>"));
}

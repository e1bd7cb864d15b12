//! The command as a user runs it: exit codes, release layout, manifest, determinism.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn tool() -> Command {
    Command::cargo_bin("mopac-redact").unwrap()
}

fn manifest(out: &Path) -> Value {
    serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

fn copy_fixture(rel: &str, to: &Path) -> PathBuf {
    let dest = to.join(Path::new(rel).file_name().unwrap());
    fs::copy(fixtures().join(rel), &dest).unwrap();
    dest
}

#[test]
fn publish_on_the_fixtures_writes_the_release_and_exits_1_for_the_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("release");
    tool()
        .args(["publish", "--as-of", "2026-11-25", "--out"])
        .arg(&out)
        .arg(fixtures())
        .assert()
        .code(1)
        .stderr(contains("quarantined/unknown-descriptor.md:46:"))
        .stderr(contains("[unknown-descriptor]"));

    let m = manifest(&out);
    let docs = m["documents"].as_array().unwrap();
    assert_eq!(docs.len(), walk(&fixtures()).len());
    // Every file listed exists with its digest, and every file written is listed.
    let files = m["files"].as_object().unwrap();
    for (rel, digest) in files {
        let bytes = fs::read(out.join(rel)).unwrap();
        assert_eq!(
            digest.as_str().unwrap(),
            format!("sha256:{:x}", Sha256::digest(&bytes))
        );
    }
    let written = walk(&out)
        .into_iter()
        .filter(|p| p != "manifest.json")
        .count();
    assert_eq!(written, files.len());
    assert!(out.join("published/seed-shape-full.md").is_file());
    assert!(out.join("published/seed-shape-full.html").is_file());
    assert!(
        !out.join("quarantined").exists(),
        "nothing of a quarantined report is written"
    );
    assert!(!out.join("withheld").exists());
    assert!(!out.join("deferred").exists());
    // Titles, file names and digests of reports not published stay out of the manifest.
    for d in docs.iter().filter(|d| d["status"] != "published") {
        assert!(d.get("title").is_none(), "{d}");
        assert!(d.get("source").is_none(), "{d}");
        assert!(d.get("sha256").is_none(), "{d}");
    }
    // No digest of anything that holds withheld text: a short one is guessed.
    for d in docs {
        let withheld = d["withheld"].as_array().unwrap();
        assert!(withheld.iter().all(|w| w.get("sha256").is_none()), "{d}");
        assert_eq!(
            d.get("sha256").is_some(),
            withheld.is_empty() && d["status"] == "published",
            "{d}"
        );
        if let Some(source) = d.get("source") {
            assert!(!Path::new(source.as_str().unwrap()).is_absolute(), "{d}");
        }
    }
    let text = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(!text.contains("withheld/"), "a withheld report's file name");
    // Details shared with Part 2 are the approver's: in the log, never in the release.
    assert!(!text.contains("\"warnings\""));
    assert!(!text.contains("stands here and in the withheld part"));
}

#[test]
fn jigsaw_warnings_go_to_the_approver_not_the_release() {
    let dir = tempfile::tempdir().unwrap();
    let input = copy_fixture("published/jigsaw-shared-details.md", dir.path());
    let out = dir.path().join("release");
    let run = tool()
        .args([
            "publish",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
            "--out",
        ])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(0);
    // In JSON the summary has them: standard error is not given them a second time.
    assert_eq!(String::from_utf8_lossy(&run.get_output().stderr), "");
    let summary: Value = serde_json::from_slice(&run.get_output().stdout).unwrap();
    let warnings = summary["warnings"][0]["warnings"].as_array().unwrap();
    assert!(!warnings.is_empty(), "{summary}");
    let text = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(!text.contains("withheld part"), "{text}");
}

fn walk(root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn publish_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        tool()
            .args(["publish", "--as-of", "2026-11-25", "--out"])
            .arg(out)
            .arg(fixtures())
            .assert()
            .code(1);
    }
    let files = walk(&a);
    assert_eq!(files.len(), walk(&b).len());
    for rel in files {
        assert_eq!(
            fs::read(a.join(&rel)).unwrap(),
            fs::read(b.join(&rel)).unwrap(),
            "{rel}"
        );
    }
}

#[test]
fn check_prints_one_verdict_per_report_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    copy_fixture("published/part2-banner-in-bold.md", &input);
    copy_fixture("quarantined/sensitive-marking-in-public.md", &input);
    let assert = tool()
        .current_dir(dir.path())
        .args(["check", "in", "--as-of", "2026-11-25"])
        .assert()
        .code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(lines[0], "part2-banner-in-bold.md: published");
    assert!(
        lines[1].starts_with(
            "sensitive-marking-in-public.md: quarantined: sensitive-marking-in-public.md:26: "
        ) && lines[1].ends_with("[sensitive-marking-in-public]"),
        "{}",
        lines[1]
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "check wrote something"
    );
}

#[test]
fn a_clean_batch_exits_0_and_crlf_and_bom_survive() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    for rel in [
        "published/crlf-line-endings.md",
        "published/utf8-bom.md",
        "withheld/part2-decision-form.md",
    ] {
        copy_fixture(rel, &input);
    }
    let out = dir.path().join("out");
    tool()
        .args(["publish", "--as-of", "2026-11-25", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(0);
    let crlf = fs::read(out.join("crlf-line-endings.md")).unwrap();
    assert!(crlf.windows(2).filter(|w| w == b"\r\n").count() > 20);
    assert!(
        !crlf
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'\n' && (i == 0 || crlf[i - 1] != b'\r')),
        "a bare LF in a CRLF release"
    );
    let bom = fs::read(out.join("utf8-bom.md")).unwrap();
    assert!(bom.starts_with("\u{FEFF}".as_bytes()));
    assert!(!out.join("part2-decision-form.md").exists());
}

#[test]
fn a_deferred_report_is_published_on_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let report = copy_fixture("deferred/publish-after-future-date.md", dir.path());
    let out = dir.path().join("out");
    for (as_of, published) in [("2027-03-30", false), ("2027-03-31", true)] {
        tool()
            .args(["publish", "--as-of", as_of, "--out"])
            .arg(&out)
            .arg(&report)
            .assert()
            .code(0);
        assert_eq!(
            out.join("publish-after-future-date.md").exists(),
            published,
            "{as_of}"
        );
        let m = manifest(&out);
        let status = m["documents"][0]["status"].as_str().unwrap();
        assert_eq!(status, if published { "published" } else { "deferred" });
        if !published {
            assert_eq!(m["documents"][0]["publish_after"], "2027-03-31");
        }
    }
}

/// A copy of the shipped classification files in `dir`/classifications.
fn copy_classifications(dir: &Path) -> PathBuf {
    let config = dir.join("classifications");
    fs::create_dir(&config).unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("classifications");
    for entry in fs::read_dir(shipped).unwrap() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            fs::copy(entry.path(), config.join(entry.file_name())).unwrap();
        }
    }
    config
}

#[test]
fn a_broken_configuration_exits_2_naming_the_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = copy_classifications(dir.path());
    let markings = config.join("markings.yaml");
    let text = fs::read_to_string(&markings)
        .unwrap()
        .replace("exemption: s31", "exemption: s311");
    fs::write(&markings, text).unwrap();
    let out = dir.path().join("out");
    tool()
        .args(["publish", "--out"])
        .arg(&out)
        .arg("--classifications")
        .arg(&config)
        .arg(fixtures())
        .assert()
        .code(2)
        .stderr(contains("markings.yaml:"))
        .stderr(contains("s311"));
    assert!(!out.exists());
}

#[test]
fn the_classifications_folder_replaces_the_wording() {
    let dir = tempfile::tempdir().unwrap();
    let config = copy_classifications(dir.path());
    let exemptions = config.join("exemptions.yaml");
    let text = fs::read_to_string(&exemptions).unwrap().replace(
        "Data Protection Section 43 – Commercial Interests",
        "Freedom of Information Act 2000, section 43 – Commercial Interests",
    );
    fs::write(&exemptions, text).unwrap();
    let report = copy_fixture("published/seed-shape-full.txt", dir.path());
    let out = dir.path().join("out");
    tool()
        .args(["publish", "--out"])
        .arg(&out)
        .arg("--classifications")
        .arg(&config)
        .arg(&report)
        .assert()
        .code(0);
    let md = fs::read_to_string(out.join("seed-shape-full.md")).unwrap();
    assert!(
        md.contains("(Freedom of Information Act 2000, section 43 – Commercial Interests)."),
        "{md}"
    );
}

/// The shipped classifications copied into `dir`, with a sensitive tier of the
/// configuration's own, CLASSIFIED (in capitals only), listed before SECRET.
fn classifications_with_a_classified_tier(dir: &Path) -> PathBuf {
    let config = copy_classifications(dir);
    let markings = config.join("markings.yaml");
    let text = fs::read_to_string(&markings).unwrap().replacen(
        "  - id: SECRET\n",
        "  - id: CLASSIFIED\n    pattern: '(?-i:CLASSIFIED)'\n    sensitive: true\n  - id: SECRET\n",
        1,
    );
    assert!(text.contains("id: CLASSIFIED"), "the tier is added");
    fs::write(&markings, text).unwrap();
    config
}

/// A tier the configuration adds is a marking like any other: split by a footnote marker
/// ("CLASSI¹FIED", "CLASSI[1]FIED", "CLASSI^1^FIED") in Part 1, it is refused, however the
/// marker is written. No list of the words markings are made of may decide which lines are
/// read without their markers: the words are the configuration's.
#[test]
fn a_configured_tier_split_by_a_footnote_marker_is_refused_in_part_1() {
    let dir = tempfile::tempdir().unwrap();
    let config = classifications_with_a_classified_tier(dir.path());
    let seed = fs::read_to_string(fixtures().join("published/seed-shape-full.txt")).unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let forms = [
        "CLASSI\u{b9}FIED",
        "CLASSI[1]FIED",
        "CLASSI^1^FIED",
        "CLASSIFIED",
    ];
    for (i, form) in forms.iter().enumerate() {
        let report = seed.replacen(
            "EXECUTIVE SUMMARY\n",
            &format!("EXECUTIVE SUMMARY\n\nThis paper is {form} and is not to be circulated.\n"),
            1,
        );
        assert_ne!(report, seed);
        fs::write(input.join(format!("report-{i}.txt")), report).unwrap();
    }
    let out = dir.path().join("out");
    tool()
        .args(["publish", "--out"])
        .arg(&out)
        .arg("--classifications")
        .arg(&config)
        .arg(&input)
        .assert()
        .code(1);
    let m = manifest(&out);
    let documents = m["documents"].as_array().unwrap();
    assert_eq!(documents.len(), forms.len());
    for d in documents {
        assert_eq!(d["status"], "quarantined", "{d}");
        assert_eq!(
            d["reasons"][0]["code"], "sensitive-marking-in-public",
            "{d}"
        );
    }
}

/// A report's file name is published as its pages' names, addresses and index links: a
/// name holding a sensitive marking, or a marking's word in disguise, keeps that report out
/// of the release, and the others are released. It must not fail the whole run at the index
/// check, as it once did.
#[test]
fn a_file_name_with_a_marking_keeps_only_that_report_out() {
    let dir = tempfile::tempdir().unwrap();
    let config = classifications_with_a_classified_tier(dir.path());
    let report = fs::read(fixtures().join("published/part1-only.md")).unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(input.join("2025")).unwrap();
    let refused = [
        "S.E.C.R.E.T-bids.md",
        "2025/SECRET-annex.md",
        "s3cr3t-bids.md",
        "official_sensitive_costs.md",
        "C.L.A.S.S.I.F.I.E.D-bids.md",
    ];
    for name in refused.iter().chain(&["2025/pcd-1519-small-grants.md"]) {
        fs::write(input.join(name), &report).unwrap();
    }
    let out = dir.path().join("out");
    tool()
        .args(["publish", "--out"])
        .arg(&out)
        .arg("--classifications")
        .arg(&config)
        .arg(&input)
        .assert()
        .code(1);
    let m = manifest(&out);
    let documents = m["documents"].as_array().unwrap();
    let published: Vec<_> = documents
        .iter()
        .filter(|d| d["status"] == "published")
        .map(|d| d["source"].as_str().unwrap())
        .collect();
    assert_eq!(published, ["2025/pcd-1519-small-grants.md"]);
    let quarantined = documents
        .iter()
        .filter(|d| d["status"] == "quarantined")
        .count();
    assert_eq!(quarantined, refused.len());
    assert!(out.join("2025/pcd-1519-small-grants.html").is_file());
    // The names are in no output: pages, index or manifest.
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    let manifest_text = fs::read_to_string(out.join("manifest.json")).unwrap();
    for name in refused {
        let stem = name.trim_end_matches(".md");
        assert!(!out.join(format!("{stem}.html")).exists(), "{name}");
        assert!(!index.contains(stem), "{name}");
        assert!(!manifest_text.contains(stem), "{name}");
    }
}

#[test]
fn a_folder_that_is_not_a_release_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let report = fixtures().join("published/part1-only.md");
    tool()
        .args(["publish", "--out"])
        .arg(dir.path())
        .arg(&report)
        .assert()
        .code(2)
        .stderr(contains("not a release folder"));
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn out_inside_an_input_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("published/part1-only.md", dir.path());
    tool()
        .current_dir(dir.path())
        .args(["publish", ".", "--out", "release"])
        .assert()
        .code(2)
        .stderr(contains("inside the input folder"));
}

#[test]
fn usage_errors_exit_2() {
    tool()
        .args(["publish", "nowhere.md", "--out", "x"])
        .assert()
        .code(2);
    tool().args(["check"]).assert().code(2);
    tool()
        .args(["check", "--as-of", "25/11/2026", "fixtures"])
        .assert()
        .code(2);
}

#[test]
fn two_reports_released_under_one_name_are_both_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let md = copy_fixture("published/part1-only.md", &input);
    fs::copy(&md, input.join("part1-only.txt")).unwrap();
    tool()
        .args(["check", "--as-of", "2026-11-25"])
        .arg(&input)
        .assert()
        .code(1)
        .stdout(contains("[output-collision]"));
}

/// Publishes two fixtures into a fresh release; returns (temp dir, input folder, release).
fn small_release() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    copy_fixture("published/seed-shape-full.txt", &input);
    // A published report published again: its old notice is withheld and written anew, so
    // the withheld text and the new notice are the same words.
    copy_fixture("published/seed-shape.txt", &input);
    // Older eras: a Part II banner, and a marking of the older scheme that counts only as a
    // paragraph of its own.
    copy_fixture("published/older-era-banners.md", &input);
    copy_fixture("published/older-era-gpms-marking.md", &input);
    copy_fixture("published/front-matter-allow-list.md", &input);
    copy_fixture("withheld/part2-decision-form.md", &input);
    let out = dir.path().join("release");
    tool()
        .args(["publish", "--as-of", "2026-11-25", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(0);
    (dir, input, out)
}

/// Rewrites a release file and its digest in the manifest, as a careful tamperer would.
fn tamper(out: &Path, rel: &str, edit: impl FnOnce(String) -> String) {
    let path = out.join(rel);
    let text = edit(fs::read_to_string(&path).unwrap());
    fs::write(&path, &text).unwrap();
    let mut m = manifest(out);
    m["files"][rel] = Value::String(format!("sha256:{:x}", Sha256::digest(text.as_bytes())));
    fs::write(
        out.join("manifest.json"),
        serde_json::to_string_pretty(&m).unwrap(),
    )
    .unwrap();
}

fn verify_release(out: &Path, input: &Path) -> assert_cmd::assert::Assert {
    tool()
        .arg("verify")
        .arg(out)
        .arg("--source")
        .arg(input)
        .assert()
}

#[test]
fn verify_passes_an_untouched_release() {
    let (_dir, input, out) = small_release();
    verify_release(&out, &input)
        .code(0)
        .stderr(contains("agrees with its sources"));
}

#[test]
fn verify_catches_withheld_text_put_back_into_the_page() {
    let (_dir, input, out) = small_release();
    let source = fs::read_to_string(input.join("seed-shape-full.txt")).unwrap();
    let restricted = source
        .lines()
        .rev()
        .find(|l| l.split_whitespace().count() > 12)
        .unwrap()
        .to_string();
    tamper(&out, "seed-shape-full.html", |html| {
        html.replace("</main>", &format!("<p>{restricted}</p></main>"))
    });
    verify_release(&out, &input).code(1).stdout(contains(
        "seed-shape-full.md: html check: text withheld at lines",
    ));
}

#[test]
fn verify_catches_withheld_words_added_to_the_notice() {
    let (_dir, input, out) = small_release();
    let source = fs::read_to_string(input.join("seed-shape-full.txt")).unwrap();
    let restricted = source
        .lines()
        .rev()
        .find(|l| l.split_whitespace().count() > 12)
        .unwrap()
        .to_string();
    // A bullet shaped like the notice's own, carrying the withheld part's words.
    tamper(&out, "seed-shape-full.md", |md| {
        format!("{md}\n- {restricted}\n")
    });
    verify_release(&out, &input)
        .code(1)
        .stdout(contains("the notice holds words"));
}

#[test]
fn verify_catches_an_edited_markdown_and_a_marking_in_the_page() {
    let (_dir, input, out) = small_release();
    tamper(&out, "seed-shape-full.md", |md| {
        md.replacen("MAYOR OF LONDON", "MAYOR OF LONDON (draft)", 1)
    });
    tamper(&out, "front-matter-allow-list.html", |html| {
        html.replace(
            "</main>",
            "<p title=\"OFFICIAL&#8209;SENSITIVE\">x</p></main>",
        )
    });
    let assert = verify_release(&out, &input).code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout
            .contains("seed-shape-full.md: markdown check: the public Markdown is not the source"),
        "{stdout}"
    );
    assert!(
        stdout.contains("front-matter-allow-list.md: html check: a sensitive marking"),
        "{stdout}"
    );
}

#[test]
fn verify_catches_files_added_changed_or_left_from_unpublished_reports() {
    let (_dir, input, out) = small_release();
    fs::write(out.join("part2-decision-form.md"), "restricted").unwrap();
    fs::write(out.join("seed-shape-full.html"), "<p>replaced</p>").unwrap();
    let assert = verify_release(&out, &input).code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("part2-decision-form.md: in the release but not in its manifest"),
        "{stdout}"
    );
    assert!(
        stdout.contains("was not published, yet the release holds this file"),
        "{stdout}"
    );
    assert!(
        stdout.contains("seed-shape-full.html: its digest does not match"),
        "{stdout}"
    );
}

#[test]
fn verify_catches_a_withheld_title_in_the_index_and_a_changed_stylesheet() {
    let (_dir, input, out) = small_release();
    verify_release(&out, &input).code(0);
    tamper(&out, "index.html", |html| {
        html.replace(
            "</ol>",
            "<li><a class=\"report-link\" href=\"seed-shape-full.html\">Part 2 Decision Form – MPS Custody CCTV Upgrade</a></li></ol>",
        )
    });
    tamper(&out, "style.css", |css| {
        format!("{css}\n.report-body {{ display: none }}\n")
    });
    let assert = verify_release(&out, &input).code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains(
            "index.html: the title of a report that was not published stands in the index"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("style.css: the stylesheet is not the tool's own"),
        "{stdout}"
    );
}

/// The tool's own stylesheet is the build's, not a report's: a report withheld as a whole
/// that happens to share its words ("mopac-redact: the stylesheet of the web release") is
/// no finding there, while a stylesheet that is not the tool's own still is.
#[test]
fn verify_reads_the_tools_own_stylesheet_as_no_reports() {
    let (dir, input, out) = small_release();
    let report = "---\nclassification: OFFICIAL-SENSITIVE COMMERCIAL\n---\n\n\
         # Release tooling\n\nOn mopac-redact: the stylesheet of the web release is \
         self-contained, with system fonts only.\n";
    fs::write(input.join("tooling-note.md"), report).unwrap();
    tool()
        .args(["publish", "--as-of", "2026-11-25", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(0);
    verify_release(&out, &input).code(0);
    tamper(&out, "style.css", |css| format!("{css}\n/* a note */\n"));
    let assert = verify_release(&out, &input).code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("style.css: the stylesheet is not the tool's own"),
        "{stdout}"
    );
    drop(dir);
}

#[test]
fn a_release_holds_an_index_and_a_stylesheet_linked_relatively() {
    let (_dir, _input, out) = small_release();
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("href=\"seed-shape-full.html\""), "{index}");
    assert!(
        index.contains("href=\"front-matter-allow-list.html\""),
        "{index}"
    );
    assert!(index.contains("1 withheld in full"), "{index}");
    assert!(
        !index.contains("CCTV"),
        "a withheld report's title is in the index"
    );
    let page = fs::read_to_string(out.join("seed-shape-full.html")).unwrap();
    assert!(page.contains("<link rel=\"stylesheet\" href=\"style.css\">"));
    assert!(page.contains("href=\"index.html\""));
    let m = manifest(&out);
    for name in ["index.html", "style.css"] {
        assert!(
            m["files"][name].as_str().unwrap().starts_with("sha256:"),
            "{name}"
        );
    }
}

#[test]
fn a_report_named_index_at_the_root_is_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::copy(
        fixtures().join("published/part1-only.md"),
        input.join("index.md"),
    )
    .unwrap();
    tool()
        .args(["check", "--as-of", "2026-11-25"])
        .arg(&input)
        .assert()
        .code(1)
        .stdout(contains("over the release index"))
        .stdout(contains("[output-collision]"));
}

/// `--version` printed `mopac-redact 0.1.0` while the manifest recorded the source digest
/// too: an operator could not match a binary to a release.
#[test]
fn the_version_is_the_generator_the_manifest_records() {
    let (_dir, _input, out) = small_release();
    let a = tool().arg("--version").assert().code(0);
    let version = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    let generator = manifest(&out)["generator"].as_str().unwrap().to_string();
    assert!(generator.contains(" (source "), "{generator}");
    assert_eq!(version.trim_end(), generator);
}

/// A lock that could not be opened read `./.ro.lock: Permission denied`: it did not say
/// that it was the release's lock, nor what to do.
#[test]
fn a_lock_that_cannot_be_taken_says_it_is_the_release_s_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let report = copy_fixture("published/seed-shape-full.txt", dir.path());
    // A folder where the lock file goes: it cannot be opened, whoever runs the test.
    fs::create_dir(dir.path().join(".release.lock")).unwrap();
    tool()
        .args(["publish", "--out", "release"])
        .arg(&report)
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(contains(
            "release: cannot take the release's lock (./.release.lock: ",
        ))
        .stderr(contains("the folder that holds --out must be writable"));
    assert!(!dir.path().join("release").exists());
}

/// `--as-of tomorrow` answered with the date parser's own words about four-digit years.
#[test]
fn a_date_that_is_not_one_says_what_form_is_expected() {
    for command in ["check", "explain"] {
        tool()
            .args([command, "--as-of", "tomorrow"])
            .arg(fixtures().join("published/seed-shape-full.txt"))
            .assert()
            .code(2)
            .stderr(contains(
                "invalid value 'tomorrow' for '--as-of <YYYY-MM-DD>': expected a date as YYYY-MM-DD, e.g. 2026-11-25",
            ))
            .stderr(contains("four digit").not());
    }
}

/// A relative `--restricted-out` was echoed as an absolute path.
#[test]
fn a_relative_restricted_out_is_named_as_given() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("in")).unwrap();
    copy_fixture("published/seed-shape-full.txt", &dir.path().join("in"));
    tool()
        .args([
            "publish",
            "in",
            "--out",
            "release",
            "--restricted-out",
            "in/parts",
        ])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(contains(
            "--restricted-out in/parts is inside the input folder in:",
        ));
}

/// `verify` named release files relative to the release and sources as given: a reader
/// could not tell one from the other. Release files now come under the release folder as
/// given, sources as given.
#[test]
fn verify_names_release_files_under_the_release_folder_as_given() {
    let (dir, input, out) = small_release();
    tamper(&out, "seed-shape-full.md", |md| {
        md.replacen("MAYOR", "MAYOUR", 1)
    });
    fs::write(out.join("stray.html"), "<p>x</p>").unwrap();
    fs::write(input.join("new.md"), "# New\n").unwrap();
    let a = tool()
        .args(["verify", "release/", "--source", "in"])
        .current_dir(dir.path())
        .assert()
        .code(1);
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("release/seed-shape-full.md: markdown check:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("release/stray.html: in the release but not in its manifest"),
        "{stdout}"
    );
    // Reports not published are accounted for by count: the manifest names none of them.
    assert!(
        stdout.contains("release/manifest.json: accounts for 1 reports not published"),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .all(|l| l.starts_with("release/") || l.starts_with("in/")),
        "{stdout}"
    );
}

/// A publish run with `args` after the release and the date: exit status, stdout, stderr.
fn publish_run(out: &Path, input: &Path, args: &[&str]) -> (i32, String, String) {
    let output = tool()
        .args(["publish", "--as-of", "2026-11-25", "--out"])
        .arg(out)
        .arg(input)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// An unchanged rerun carried the report over without its warnings: 3 on the first run, none
/// on the next.
#[test]
fn jigsaw_warnings_are_reported_on_every_run_while_they_hold() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    copy_fixture("published/jigsaw-shared-details.md", &input);
    copy_fixture("published/part1-only.md", &input);
    let out = dir.path().join("release");
    let warning_lines = |stderr: &str| -> Vec<String> {
        stderr
            .lines()
            .filter(|l| l.contains(": warning: ") && l.ends_with("[jigsaw]"))
            .map(str::to_string)
            .collect()
    };
    let (code, _, first) = publish_run(&out, &input, &[]);
    assert_eq!(code, 0, "{first}");
    let first = warning_lines(&first);
    assert_eq!(first.len(), 3, "{first:?}");
    let (code, _, second) = publish_run(&out, &input, &[]);
    assert_eq!(code, 0);
    assert!(second.contains("(2 unchanged, carried over)"), "{second}");
    assert_eq!(warning_lines(&second), first);
    let (code, stdout, _) = publish_run(&out, &input, &["--format", "json"]);
    assert_eq!(code, 0);
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["reused"], 2);
    assert_eq!(
        summary["warnings"][0]["warnings"].as_array().unwrap().len(),
        3
    );
    let report = &summary["reports"][0];
    assert!(
        report["source"]
            .as_str()
            .unwrap()
            .ends_with("jigsaw-shared-details.md")
    );
    assert_eq!(report["warnings"].as_array().unwrap().len(), 3);

    // Kept beside the lock, readable by its owner only; nothing of them in the release.
    let state = dir.path().join(".release.state.json");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&fs::metadata(&state).unwrap().permissions());
    assert_eq!(mode & 0o077, 0, "{mode:o}");
    assert!(
        fs::read_to_string(&state)
            .unwrap()
            .contains("withheld part")
    );
    for rel in walk(&out) {
        let text = String::from_utf8_lossy(&fs::read(out.join(&rel)).unwrap()).into_owned();
        assert!(
            !text.contains("withheld part") && !text.contains("\"warnings\""),
            "{rel}"
        );
    }
    // Without its state the release carries nothing over: the reports, and their warnings,
    // are made afresh.
    fs::remove_file(&state).unwrap();
    let (code, stdout, _) = publish_run(&out, &input, &["--format", "json"]);
    assert_eq!(code, 0);
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["reused"], 0);
    assert_eq!(
        summary["reports"][0]["warnings"].as_array().unwrap().len(),
        3
    );
    assert!(state.exists());
}

/// `--format json` lacked the build, the date and the release, left out the published
/// reports' verdicts, and gave whole-file reasons `"line": 0`.
#[test]
fn the_json_summary_names_the_build_and_every_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("release");
    let (code, stdout, stderr) = publish_run(&out, &fixtures(), &["--format", "json"]);
    assert_eq!(code, 1);
    // The quarantined reports are in the summary, not also on standard error.
    assert_eq!(stderr, "");
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["tool"], "mopac-redact");
    assert_eq!(summary["version"], env!("CARGO_PKG_VERSION"));
    let generator = manifest(&out)["generator"].clone();
    assert_eq!(summary["generator"], generator);
    let source = summary["source"].as_str().unwrap();
    assert!(generator.as_str().unwrap().contains(source), "{source}");
    assert_eq!(summary["command"], "publish");
    assert_eq!(summary["as_of"], "2026-11-25");
    assert_eq!(summary["out"], out.display().to_string());
    assert_eq!(summary["exit_status"], 1);
    let reports = summary["reports"].as_array().unwrap();
    assert_eq!(reports.len(), walk(&fixtures()).len());
    let published = reports
        .iter()
        .filter(|r| r["status"] == "published")
        .count();
    assert_eq!(summary["counts"]["published"], published);
    assert!(!stdout.contains("\"line\": 0"), "{stdout}");
    let empty = reports
        .iter()
        .find(|r| {
            r["source"]
                .as_str()
                .unwrap()
                .ends_with("quarantined/empty.md")
        })
        .unwrap();
    assert_eq!(empty["reasons"][0]["code"], "empty");
    assert!(empty["reasons"][0].get("line").is_none(), "{empty}");
    assert!(empty["reasons"][0]["remedy"].is_string(), "{empty}");

    // check gives every verdict too, and no release.
    let check = tool()
        .args(["check", "--as-of", "2026-11-25", "--format", "json"])
        .arg(fixtures())
        .assert()
        .code(1);
    let summary: Value = serde_json::from_slice(&check.get_output().stdout).unwrap();
    assert_eq!(summary["command"], "check");
    assert_eq!(summary["out"], Value::Null);
    assert_eq!(summary["unpublished"], Value::Null);
    assert_eq!(summary["reports"].as_array().unwrap().len(), reports.len());
    assert!(
        summary["reports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["status"] == "published")
    );
}

/// A failed run printed nothing on standard output in JSON: a scheduler had nothing to read.
#[test]
fn a_failed_run_still_prints_one_json_document() {
    let dir = tempfile::tempdir().unwrap();
    let report = fixtures().join("published/part1-only.md");
    let failure = |code: i32, stdout: &str| -> Value {
        let doc: Value = serde_json::from_str(stdout).unwrap();
        assert_eq!(doc["exit_status"], code, "{doc}");
        assert!(doc["error"].is_string(), "{doc}");
        assert_eq!(doc["version"], env!("CARGO_PKG_VERSION"));
        doc
    };
    // Exit 2: not a release folder.
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let (code, stdout, _) = publish_run(dir.path(), &report, &["--format", "json"]);
    assert_eq!(code, 2);
    let doc = failure(2, &stdout);
    assert!(
        doc["error"]
            .as_str()
            .unwrap()
            .contains("not a release folder")
    );
    // Exit 2: broken classifications.
    let config = dir.path().join("classifications");
    fs::create_dir(&config).unwrap();
    let out = dir.path().join("site/release");
    let (code, stdout, _) = publish_run(
        &out,
        &report,
        &[
            "--format",
            "json",
            "--classifications",
            config.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    failure(2, &stdout);
    // Exit 3: another run holds the lock.
    publish_run(&out, &report, &[]);
    let lock = fs::File::open(dir.path().join("site/.release.lock")).unwrap();
    lock.try_lock().unwrap();
    let (code, stdout, stderr) = publish_run(&out, &report, &["--format", "json"]);
    assert_eq!(code, 3, "{stderr}");
    let doc = failure(3, &stdout);
    assert_eq!(doc["out"], out.display().to_string());
    assert!(
        doc["error"]
            .as_str()
            .unwrap()
            .contains("another mopac-redact run")
    );
}

/// Edits the manifest as a careful tamperer would, its file digests left as they are.
fn tamper_manifest(out: &Path, edit: impl FnOnce(&mut Value)) {
    let mut m = manifest(out);
    edit(&mut m);
    fs::write(
        out.join("manifest.json"),
        serde_json::to_string_pretty(&m).unwrap(),
    )
    .unwrap();
}

/// What `verify` prints of a release that fails its audit.
fn findings(out: &Path, input: &Path) -> String {
    let assert = verify_release(out, input).code(1);
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

/// Withheld tokens shorter than six words (a name, an amount, a code) put into any file of
/// the release, attributes included, are found: the audit reads the withheld part from the
/// source itself, not from the manifest.
#[test]
fn verify_catches_withheld_tokens_anywhere_in_the_release() {
    let cases: [(&str, &str, &str); 4] = [
        ("index.html", "</body>", "<p>Pellworth Holdings</p></body>"),
        (
            "seed-shape-full.html",
            "</main>",
            "<p>The walk-away position is £3,520,000.</p></main>",
        ),
        (
            "seed-shape-full.html",
            "<p>",
            "<p id=\"ct-2291-pellworth\">",
        ),
        (
            "seed-shape-full.html",
            "</main>",
            "<img src=\"https://x.example/Pellworth3520000.png\" alt=\"\"></main>",
        ),
    ];
    for (rel, at, with) in cases {
        let (_dir, input, out) = small_release();
        tamper(&out, rel, |text| text.replacen(at, with, 1));
        let stdout = findings(&out, &input);
        assert!(
            stdout.contains(&format!("{rel}: text of "))
                && stdout.contains("which the verifier reads as withheld"),
            "{rel} {with}: {stdout}"
        );
    }
}

/// A word of Part 2 that Part 1 never uses is found in the report's own Markdown, even with
/// the manifest's withheld lines rewritten to claim less.
#[test]
fn verify_catches_part2_kept_by_a_manifest_that_claims_less() {
    let (_dir, input, out) = small_release();
    let source = fs::read_to_string(input.join("seed-shape-full.txt")).unwrap();
    let kept_to = source.find("Commercial options").unwrap();
    tamper(&out, "seed-shape-full.md", |md| {
        let notice = &md[md.rfind("\n\n").unwrap()..];
        format!("{}\n{notice}", &source[..kept_to])
    });
    tamper_manifest(&out, |m| {
        for d in m["documents"].as_array_mut().unwrap() {
            if d["source"] == "seed-shape-full.txt" {
                d["withheld"][0]["lines"][0] = 95.into();
            }
        }
    });
    let stdout = findings(&out, &input);
    assert!(stdout.contains("seed-shape-full.md: text of "), "{stdout}");
}

/// The manifest is read strictly: a key its schema does not name cannot be audited.
#[test]
fn verify_refuses_a_manifest_with_an_unknown_key() {
    let (_dir, input, out) = small_release();
    tamper_manifest(&out, |m| {
        m["note"] = "The walk-away position is a total contract value of £3,520,000.".into();
    });
    verify_release(&out, &input)
        .code(2)
        .stderr(contains("unknown field"));
}

/// A title the manifest gives that the page does not show, holding withheld text.
#[test]
fn verify_catches_withheld_text_as_a_manifest_title() {
    let (_dir, input, out) = small_release();
    tamper_manifest(&out, |m| {
        m["documents"][0]["title"] =
            "The walk-away position is a total contract value of £3,520,000.".into();
    });
    let stdout = findings(&out, &input);
    assert!(stdout.contains("manifest.json: text of "), "{stdout}");
    assert!(stdout.contains("its page does not show"), "{stdout}");
}

/// A link (here to the source itself) or a pipe in the release is refused, never read.
#[cfg(unix)]
#[test]
fn verify_refuses_links_and_pipes_in_the_release() {
    let (_dir, input, out) = small_release();
    std::os::unix::fs::symlink(input.join("seed-shape-full.txt"), out.join("leak.md")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(out.join("pipe"))
        .status()
        .unwrap();
    assert!(status.success());
    let stdout = findings(&out, &input);
    for name in ["leak.md", "pipe"] {
        assert!(
            stdout.contains(&format!("{name}: not a regular file")),
            "{stdout}"
        );
    }
}

/// A release edited by hand, its digests recomputed, carries nothing over: the next run
/// makes every report afresh.
#[test]
fn a_tampered_release_is_not_carried_over() {
    let (_dir, input, out) = small_release();
    let leak = "The walk-away position is a total contract value of £3,520,000.";
    tamper(&out, "seed-shape-full.md", |md| {
        md.replacen("MAYOR OF LONDON", &format!("MAYOR OF LONDON\n\n{leak}"), 1)
    });
    tamper(&out, "seed-shape-full.html", |html| {
        html.replacen("</main>", &format!("<p>{leak}</p></main>"), 1)
    });
    tool()
        .args(["publish", "--as-of", "2026-11-25", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(0);
    for rel in ["seed-shape-full.md", "seed-shape-full.html"] {
        let text = fs::read_to_string(out.join(rel)).unwrap();
        assert!(!text.contains("3,520,000"), "{rel} carried over");
    }
    verify_release(&out, &input).code(0);
}

/// The manifest's `classifications` rewritten: a digest field holding anything but the
/// digest of the classifications the audit was given is a finding.
#[test]
fn verify_catches_rewritten_classifications() {
    let (_dir, input, out) = small_release();
    tamper_manifest(&out, |m| {
        m["classifications"] = Value::String("sha256:zanzibarquux".into());
    });
    verify_release(&out, &input)
        .code(1)
        .stdout(contains("other classifications"));
}

/// A careful tamperer who recomputes every digest still cannot add a word the build would not
/// write, however common: the audit makes each report's page and Markdown, and the index,
/// again from the sources and compares them byte for byte.
#[test]
fn verify_catches_any_change_the_build_would_not_make() {
    for (rel, from, to) in [
        (
            "seed-shape-full.html",
            "</main>",
            "<p>the offer was made at</p></main>",
        ),
        ("seed-shape-full.html", "<title>", "<title>Quote "),
        ("index.html", "</main>", "<p>Pellworth</p></main>"),
    ] {
        let (_dir, input, out) = small_release();
        tamper(&out, rel, |t| t.replacen(from, to, 1));
        let stdout = findings(&out, &input);
        assert!(
            stdout.contains("not what this build makes"),
            "{rel}: {stdout}"
        );
    }
}

/// The manifest's account of a withheld part is the build's own: a marking rewritten to
/// claim less is a finding; so is a folder holding no file of the release (its name is
/// published), and a manifest with a key given twice (a reader sees only the last value).
#[test]
fn verify_catches_a_rewritten_marking_an_empty_folder_and_a_key_given_twice() {
    let (_dir, input, out) = small_release();
    tamper_manifest(&out, |m| {
        let docs = m["documents"].as_array_mut().unwrap();
        let doc = docs
            .iter_mut()
            .find(|d| d.get("marking").is_some())
            .unwrap();
        doc["marking"] = Value::String("OFFICIAL".into());
    });
    assert!(findings(&out, &input).contains("the manifest's entry is not what this build makes"));

    let (_dir, input, out) = small_release();
    fs::create_dir(out.join("Pellworth-Holdings")).unwrap();
    assert!(findings(&out, &input).contains("a folder that holds no file of the release"));

    let (_dir, input, out) = small_release();
    let path = out.join("manifest.json");
    let text = fs::read_to_string(&path).unwrap();
    let twice = text.replacen(
        "  \"generator\":",
        "  \"generator\": \"Pellworth Holdings\",\n  \"generator\":",
        1,
    );
    assert_ne!(twice, text);
    fs::write(&path, twice).unwrap();
    assert!(findings(&out, &input).contains("not written as the tool writes a manifest"));
}

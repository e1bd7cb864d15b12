//! The approver's and the configuration maintainer's commands: explain, redline,
//! --restricted-out, config check and show, completions, man, and the example configuration.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

fn tool() -> Command {
    Command::cargo_bin("mopac-redact").unwrap()
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

#[test]
fn explain_lists_every_block_with_its_verdict() {
    let a = tool()
        .arg("explain")
        .arg(fixture("published/seed-shape-full.txt"))
        .env_remove("NO_COLOR")
        .assert()
        .code(0);
    let out = stdout(&a);
    assert!(out.contains("would be published"), "{out}");
    assert!(
        out.contains("marking:  OFFICIAL-SENSITIVE COMMERCIAL"),
        "{out}"
    );
    assert!(
        out.contains("because the marking's descriptor is COMMERCIAL"),
        "{out}"
    );
    assert!(out.contains("line 86        part2-banner"), "{out}");
    assert!(out.contains("line 92        marking"), "{out}");
    assert!(out.contains("generated      notice"), "{out}");
    assert!(
        !out.contains('\x1b'),
        "no colour when not on a terminal: {out}"
    );
}

#[test]
fn explain_json_gives_reasons_and_remedies_for_a_refused_report() {
    let a = tool()
        .args(["explain", "--format", "json"])
        .arg(fixture("quarantined/sensitive-marking-in-public.md"))
        .assert()
        .code(1);
    let e: Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(e["status"], "quarantined");
    assert_eq!(e["reasons"][0]["code"], "sensitive-marking-in-public");
    assert_eq!(e["reasons"][0]["line"], 26);
    assert!(
        e["reasons"][0]["remedy"]
            .as_str()
            .unwrap()
            .contains("remove the marking")
    );
}

#[test]
fn explain_json_blocks_cover_the_report() {
    let a = tool()
        .args(["explain", "--format", "json"])
        .arg(fixture("published/front-matter-allow-list.md"))
        .assert()
        .code(0);
    let e: Value = serde_json::from_str(&stdout(&a)).unwrap();
    let verdicts: Vec<&str> = e["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["verdict"].as_str().unwrap())
        .collect();
    assert!(verdicts.contains(&"front-matter-removed"), "{verdicts:?}");
    assert_eq!(verdicts.last(), Some(&"notice"));
    assert_eq!(e["exemptions"][0]["id"], "s43");
}

#[test]
fn redline_writes_a_stamped_review_copy_and_never_into_a_release() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("review/seed.html");
    tool()
        .arg("redline")
        .arg(fixture("published/seed-shape-full.txt"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.matches("NOT FOR PUBLICATION – REVIEW COPY").count() >= 2);
    assert!(html.contains("class=\"withheld\""));
    assert!(html.contains("Data Protection Section 43 – Commercial Interests (s43)"));

    let release = dir.path().join("release");
    fs::create_dir(&release).unwrap();
    fs::write(release.join("manifest.json"), "{}").unwrap();
    tool()
        .arg("redline")
        .arg(fixture("published/seed-shape-full.txt"))
        .arg("--out")
        .arg(release.join("sub/seed.html"))
        .assert()
        .code(2)
        .stderr(contains("may never be written into a release"));
    assert!(!release.join("sub").exists());
}

#[test]
fn redline_of_a_refused_report_explains_instead() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.html");
    tool()
        .arg("redline")
        .arg(fixture("quarantined/unknown-descriptor.md"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("[unknown-descriptor]"));
    assert!(!out.exists());
}

#[test]
fn restricted_out_holds_the_withheld_parts_and_the_release_none_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(input.join("2025")).unwrap();
    fs::copy(
        fixture("published/seed-shape-full.txt"),
        input.join("2025/telephony.txt"),
    )
    .unwrap();
    fs::copy(
        fixture("published/part1-only.md"),
        input.join("part1-only.md"),
    )
    .unwrap();
    let (out, restricted) = (dir.path().join("release"), dir.path().join("restricted"));
    // Twice: a second run replaces what the first wrote there.
    for _ in 0..2 {
        tool()
            .args(["publish", "--as-of", "2026-11-25"])
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .arg("--restricted-out")
            .arg(&restricted)
            .assert()
            .code(0);
    }
    let part2 = fs::read_to_string(restricted.join("2025/telephony.md")).unwrap();
    assert!(part2.starts_with("OFFICIAL-SENSITIVE COMMERCIAL\n\nPart 2 of MPS Custody Telephony Replacement: NOT FOR PUBLICATION."), "{part2}");
    assert!(part2.contains("released as 2025/telephony.md"));
    assert!(part2.trim_end().ends_with("OFFICIAL-SENSITIVE COMMERCIAL"));
    assert!(
        !restricted.join("part1-only.md").exists(),
        "a report without Part 2 has no restricted part"
    );
    // Every restricted line of some length is absent from every release file.
    let lines: Vec<&str> = part2
        .lines()
        .filter(|l| l.len() > 30 && !l.contains("NOT FOR PUBLICATION"))
        .collect();
    assert!(lines.len() > 5);
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
    {
        let text = fs::read_to_string(entry.path()).unwrap();
        for line in &lines {
            assert!(
                !text.contains(line),
                "{} holds restricted text: {line}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn restricted_out_must_stay_apart_from_the_release_and_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let report = fixture("published/seed-shape-full.txt");
    let out = dir.path().join("release");
    // Inside the release however spelled: through `..` or a symbolic link to it.
    std::os::unix::fs::symlink(&out, dir.path().join("link")).unwrap();
    for restricted in [
        out.join("restricted"),
        out.clone(),
        dir.path().to_path_buf(),
        dir.path().join("x/../release/restricted"),
        dir.path().join("link/restricted"),
    ] {
        tool()
            .arg("publish")
            .arg(&report)
            .arg("--out")
            .arg(&out)
            .arg("--restricted-out")
            .arg(&restricted)
            .assert()
            .code(2)
            .stderr(contains("must be apart"));
    }
    // A restricted folder holding an input file would write over the report.
    let inputs = dir.path().join("reports");
    fs::create_dir(&inputs).unwrap();
    fs::copy(&report, inputs.join("a.txt")).unwrap();
    let before = fs::read(inputs.join("a.txt")).unwrap();
    tool()
        .arg("publish")
        .arg(inputs.join("a.txt"))
        .arg("--out")
        .arg(dir.path().join("elsewhere"))
        .arg("--restricted-out")
        .arg(&inputs)
        .assert()
        .code(2)
        .stderr(contains("would be written over"));
    assert_eq!(fs::read(inputs.join("a.txt")).unwrap(), before);
    tool()
        .arg("publish")
        .arg(root().join("fixtures/published"))
        .arg("--out")
        .arg(&out)
        .arg("--restricted-out")
        .arg(root().join("fixtures/published/restricted"))
        .assert()
        .code(2)
        .stderr(contains("inside the input folder"));
    assert!(!out.exists());
}

fn copy_classifications(to: &Path) {
    fs::create_dir_all(to).unwrap();
    for name in [
        "banners.yaml",
        "markings.yaml",
        "exemptions.yaml",
        "notice.yaml",
        "document.yaml",
    ] {
        fs::copy(root().join("classifications").join(name), to.join(name)).unwrap();
    }
}

#[test]
fn config_check_reports_every_problem_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c");
    copy_classifications(&config);
    let edit = |name: &str, from: &str, to: &str| {
        let path = config.join(name);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit("notice.yaml", "{title} is exempt", "{titel} is exempt");
    edit(
        "markings.yaml",
        "pattern: 'official'",
        "pattern: 'official('",
    );
    edit("markings.yaml", "exemption: s31", "exemption: s311");
    edit(
        "banners.yaml",
        "id: part1-non-confidential",
        "id: part1-published",
    );
    let a = tool()
        .args(["config", "check", "--classifications"])
        .arg(&config)
        .assert()
        .code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    for expected in [
        "notice.yaml:",
        "{titel}",
        "markings.yaml:",
        "unclosed group",
        "s311",
        "banners.yaml:",
        "duplicate public banner id",
    ] {
        assert!(err.contains(expected), "{expected} missing from:\n{err}");
    }
    assert!(
        err.lines().filter(|l| l.contains(".yaml:")).all(|l| l
            .split(':')
            .nth(1)
            .is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n > 0))),
        "{err}"
    );
    tool().args(["config", "check"]).assert().code(0);
}

#[test]
fn config_show_prints_the_files_in_effect() {
    let a = tool().args(["config", "show"]).assert().code(0);
    let out = stdout(&a);
    assert!(out.contains("# digest: sha256:"));
    assert!(out.contains("# ---- classifications/markings.yaml ----"));
    assert!(out.contains("exemption: s43"));
}

#[test]
fn completions_and_man_page_come_from_the_command_definitions() {
    let a = tool().args(["completions", "bash"]).assert().code(0);
    assert!(stdout(&a).contains("redline"));
    let a = tool().arg("man").assert().code(0);
    assert!(stdout(&a).contains(".TH mopac-redact 1"));
}

#[test]
fn the_example_configuration_publishes_its_report() {
    let example = root().join("classifications/examples/northshire-pcc");
    tool()
        .args(["config", "check", "--classifications"])
        .arg(&example)
        .assert()
        .code(0);
    // The shipped classifications do not know this body's banners: refused, not guessed.
    tool()
        .args(["check", "--as-of", "2026-11-25"])
        .arg(example.join("report.md"))
        .assert()
        .code(1);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("release");
    tool()
        .args(["publish", "--as-of", "2026-11-25", "--classifications"])
        .arg(&example)
        .arg(example.join("report.md"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("Security classification of Part B: OFFICIAL-SENSITIVE SUPPLIER CONFIDENTIAL\n\nPart B of Fleet Telematics Contract is not published, for the following reasons:\n\n- Exempt under Article 2(2)(a) of the Elected Local Policing Bodies (Specified Information) Order 2011: Freedom of Information Act 2000, section 41 (information provided in confidence).\n"), "{md}");
    for secret in ["Carrowmere", "1,126,880", "Pellworth"] {
        assert!(!md.contains(secret));
    }
}

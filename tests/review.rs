//! The approver's and the configuration maintainer's commands: explain, redline,
//! --restricted-out, config check and show, completions, man, and the example configuration.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
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

/// Planted faults of every kind took one run each: a YAML error ended the reading of its
/// file. Now every problem of every file comes out of one run, each once, in one format.
#[test]
fn config_check_lists_every_problem_of_every_file_in_one_run_in_one_format() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c");
    copy_classifications(&config);
    let edit = |name: &str, from: &str, to: &str| {
        let path = config.join(name);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    // Five faults in markings.yaml, of five kinds, parse errors among them.
    edit("markings.yaml", "sensitive: true", "sensitive: yes");
    edit(
        "markings.yaml",
        "pattern: 'official'",
        "pattern: 'official('",
    );
    edit("markings.yaml", "exemption: s31", "exemption: s311");
    edit(
        "markings.yaml",
        "exemption: s40",
        "exemption: s40\n    exemption: s40",
    );
    edit(
        "markings.yaml",
        "descriptors:",
        "descriptorz:\n  []\ndescriptors:",
    );
    // And faults in two other files.
    edit("notice.yaml", "{title} is exempt", "{titel} is exempt");
    edit("notice.yaml", "bullet:", "bulet:");
    edit("banners.yaml", "public:", "publik:");
    let a = tool()
        .args(["config", "check", "--classifications"])
        .arg(&config)
        .assert()
        .code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    let mut lines = err.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("mopac-redact: the classifications ("),
        "{err}"
    );
    let shape =
        regex::Regex::new(r"^\S+\.yaml:[1-9][0-9]*:[1-9][0-9]*: error\[[a-z-]+\]: \S").unwrap();
    let mut codes = Vec::new();
    for line in lines {
        assert!(
            shape.is_match(line),
            "not file:line:column: error[code]: message: {line}"
        );
        assert!(!line.contains("line "), "location repeated: {line}");
        assert!(!line.contains("Options"), "library internals: {line}");
        let file = line.split(':').next().unwrap().rsplit('/').next().unwrap();
        let code = line
            .split("error[")
            .nth(1)
            .unwrap()
            .split(']')
            .next()
            .unwrap();
        codes.push(format!("{file} {code}"));
    }
    assert_eq!(
        codes,
        [
            "banners.yaml unknown-key",
            "markings.yaml wrong-type",
            "markings.yaml bad-pattern",
            "markings.yaml unknown-key",
            "markings.yaml duplicate-key",
            "markings.yaml unknown-exemption",
            "notice.yaml unknown-placeholder",
            "notice.yaml unknown-key",
        ],
        "{err}"
    );
    assert!(err.contains("have 8 problems:"), "{err}");
    assert!(
        err.contains("unknown key 'publik'; did you mean 'public'?"),
        "{err}"
    );
}

/// The man page documented no option of any subcommand and referred to pages that were
/// never written. Every command's page now lists each of its options in its OPTIONS
/// section, gives the exit statuses 0 to 3, and every page it refers to is written.
#[test]
fn man_writes_a_page_per_command_with_every_option_and_the_exit_statuses() {
    use clap::CommandFactory;
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man");
    tool().arg("man").arg("--dir").arg(&pages).assert().code(0);
    let mut cmd = mopac_redact::cli::Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut checked = 0;
    let mut stack = vec![cmd];
    while let Some(cmd) = stack.pop() {
        let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
        let page = fs::read_to_string(pages.join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("{name}.1: {e}"));
        let section = |title: &str| {
            let start = page
                .find(&format!(".SH {title}\n"))
                .unwrap_or_else(|| panic!("{name}.1 has no {title} section:\n{page}"));
            let rest = &page[start + 1..];
            rest[..rest.find("\n.SH ").unwrap_or(rest.len())].to_string()
        };
        let options = section("OPTIONS");
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            let shown = match (arg.get_long(), arg.get_short()) {
                (Some(long), _) => format!("\\-\\-{}", long.replace('-', "\\-")),
                (None, Some(short)) => format!("\\-{short}"),
                (None, None) => arg.get_value_names().unwrap()[0].to_string(),
            };
            assert!(
                options.contains(&shown),
                "{name}.1 lacks {shown}:\n{options}"
            );
        }
        let exit = section("\"EXIT STATUS\"");
        for status in ["0", "1", "2", "3", "130", "143"] {
            assert!(
                exit.contains(&format!("\\fB{status}\\fR")),
                "{name}.1: {exit}"
            );
        }
        assert!(!page.contains(".SH EXTRA"), "{name}.1");
        for reference in page.split(|c: char| c.is_whitespace() || c == ',') {
            if let Some(other) = reference.strip_suffix("(1)") {
                let other = other.replace("\\-", "-");
                assert!(
                    pages.join(format!("{other}.1")).is_file(),
                    "{name}.1 refers to {other}"
                );
            }
        }
        checked += 1;
        stack.extend(cmd.get_subcommands().cloned());
    }
    assert_eq!(checked, fs::read_dir(&pages).unwrap().count());
    assert!(checked >= 11, "{checked}");
}

#[test]
fn help_gives_every_exit_status_including_the_lock() {
    let a = tool().arg("--help").assert().code(0);
    let out = stdout(&a);
    for status in ["0", "1", "2", "3", "130", "143"] {
        assert!(out.contains(&format!("\n  {status:>3}  ")), "{out}");
    }
    assert!(out.contains("holds the release's lock"), "{out}");
    assert!(out.contains("SIGINT") && out.contains("SIGTERM"), "{out}");
}

/// `explain` of a deferred report opened "would be published"; its deferral was four lines
/// down. It now says so first, and `--as-of` explains it on another day.
#[test]
fn explain_says_first_that_a_report_is_deferred_and_takes_as_of() {
    let report = fixture("deferred/publish-after-future-date.md");
    let a = tool()
        .args(["explain", "--as-of", "2026-11-25"])
        .arg(&report)
        .assert()
        .code(0);
    let out = stdout(&a);
    let first = out.lines().next().unwrap();
    assert!(
        first.ends_with(
            ": deferred until 2027-03-31 (publish_after); would be published on that date"
        ),
        "{out}"
    );
    let a = tool()
        .args(["explain", "--format", "json", "--as-of", "2026-11-25"])
        .arg(&report)
        .assert()
        .code(0);
    let json: Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(json["status"], "deferred");
    let a = tool()
        .args(["explain", "--as-of", "2027-03-31"])
        .arg(&report)
        .assert()
        .code(0);
    assert!(
        stdout(&a)
            .lines()
            .next()
            .unwrap()
            .ends_with(": would be published")
    );
}

#[test]
fn explain_given_a_folder_says_it_takes_one_report_file() {
    tool()
        .arg("explain")
        .arg(fixture("published"))
        .assert()
        .code(2)
        .stderr(contains(
            "a folder, not a report: explain and redline take one report file",
        ))
        .stderr(contains("os error").not());
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let report = fixture("published/seed-shape-full.txt");
    let run = |args: &[&str], no_color: Option<&str>| {
        let mut cmd = tool();
        cmd.args(args).arg(&report).env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        stdout(&cmd.assert().code(0)).contains('\x1b')
    };
    assert!(run(&["--color", "always", "explain"], None));
    assert!(run(&["explain", "--color", "always"], Some("1")));
    assert!(!run(&["explain", "--color", "never"], None));
    // auto: not a terminal here, so no colour whatever NO_COLOR says.
    assert!(!run(&["explain"], None));
    assert!(!run(&["explain", "--color", "auto"], Some("1")));
}

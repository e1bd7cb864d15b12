//! Unattended runs over many reports: killed runs, concurrent runs, removed inputs, unchanged
//! reruns, write failures, panics, permissions.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin;
use jiff::civil::date;
use mopac_corpus as corpus;
use mopac_redact::batch::{Carried, Destination, run};
use mopac_redact::generator::GENERATOR;
use mopac_redact::publish::{self, Plan, PublishError};
use mopac_redact::release::Staging;
use mopac_redact::stop::Stop;
use mopac_redactor::config::Classifications;
use mopac_redactor::input;
use mopac_types::manifest::{DocumentEntry, Status};
use predicates::str::contains;
use serde_json::Value;

/// Writes reports 0..n of the benchmark corpus under `dir`.
fn corpus_in(dir: &Path, n: usize) {
    for i in 0..n {
        let folder = dir.join(format!("{:02}", i / 50));
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join(format!("{i:04}.md")), corpus::report(i)).unwrap();
    }
}

fn tool() -> Command {
    Command::cargo_bin("mopac-redact").unwrap()
}

fn publish_args(input: &Path, out: &Path) -> Vec<String> {
    vec![
        "publish".into(),
        input.display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--as-of".into(),
        "2026-11-25".into(),
        "--quiet".into(),
    ]
}

/// The release agrees with its manifest and its sources (the `verify` command).
/// A publish run that must exit 0: its JSON run summary.
fn publish_json(input: &Path, out: &Path) -> Value {
    let run = tool()
        .args(publish_args(input, out))
        .args(["--format", "json"])
        .assert()
        .code(0);
    serde_json::from_slice(&run.get_output().stdout).unwrap()
}

fn assert_whole(out: &Path, input: &Path) {
    let output = tool()
        .arg("verify")
        .arg(out)
        .arg("--source")
        .arg(input)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "release not whole:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("staging"))
        .collect()
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_previous_release_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("release"));
    corpus_in(&input, 80);
    tool().args(publish_args(&input, &out)).assert().code(0);
    assert_whole(&out, &input);

    let started = Instant::now();
    let full = tool()
        .args(publish_args(&input, &out))
        .arg("--full")
        .assert()
        .code(0);
    let run_time = started.elapsed();
    drop(full);
    for fraction in [0.1, 0.4, 0.7, 0.9, 1.05] {
        let mut child = Process::new(cargo_bin("mopac-redact"))
            .args(publish_args(&input, &out))
            .arg("--full")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(run_time.mul_f64(fraction));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_whole(&out, &input);
    }
    // The next run completes normally and clears what the killed ones left.
    tool().args(publish_args(&input, &out)).assert().code(0);
    assert_whole(&out, &input);
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn a_second_run_on_the_same_release_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("release"));
    corpus_in(&input, 150);
    let mut first = Process::new(cargo_bin("mopac-redact"))
        .args(publish_args(&input, &out))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the first run holds the lock: its staging folder exists.
    let deadline = Instant::now() + Duration::from_secs(20);
    while leftovers(dir.path()).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the first run never started staging"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let started = Instant::now();
    tool()
        .args(publish_args(&input, &out))
        .assert()
        .code(3)
        .stderr(contains("another mopac-redact run is writing this release"));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the refusal was not immediate"
    );
    assert!(first.wait().unwrap().success());
    assert_whole(&out, &input);
}

#[test]
fn the_release_mirrors_the_inputs_and_an_unchanged_rerun_rewrites_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("release"));
    corpus_in(&input, 6);
    tool().args(publish_args(&input, &out)).assert().code(0);
    let page = out.join("00/0003.html");
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&fs::metadata(p).unwrap());
    let before = inode(&page);

    // Unchanged: carried over (the same file, hard-linked), not written again.
    assert_eq!(publish_json(&input, &out)["reused"], 6);
    assert_eq!(inode(&page), before);

    // One report removed, one changed: the release follows.
    fs::remove_file(input.join("00/0001.md")).unwrap();
    let changed = input.join("00/0002.md");
    fs::write(
        &changed,
        fs::read_to_string(&changed)
            .unwrap()
            .replace("Executive summary", "Summary"),
    )
    .unwrap();
    let summary = publish_json(&input, &out);
    assert_eq!(summary["reused"], 4);
    assert_eq!(summary["counts"]["published"], 5);
    assert!(!out.join("00/0001.md").exists() && !out.join("00/0001.html").exists());
    assert!(
        fs::read_to_string(out.join("00/0002.md"))
            .unwrap()
            .contains("## Summary")
    );
    let manifest: Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert!(!manifest.to_string().contains("0001"));
    assert_whole(&out, &input);
}

/// A release made by another build of the tool (an older verifier, say) is not trusted:
/// every report is made afresh.
#[test]
fn a_release_made_by_another_build_is_not_carried_over() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("release"));
    corpus_in(&input, 3);
    tool().args(publish_args(&input, &out)).assert().code(0);
    let path = out.join("manifest.json");
    let text = fs::read_to_string(&path).unwrap();
    let generator = format!("\"generator\": \"{}\"", GENERATOR);
    assert!(text.contains(&generator), "{text}");
    let older = text.replace(&generator, "\"generator\": \"mopac-redact 0.1.0\"");
    fs::write(&path, older).unwrap();
    let summary = publish_json(&input, &out);
    assert_eq!(summary["reused"], 0);
    assert_whole(&out, &input);
}

/// The same sources given from another folder are released under other paths: nothing is
/// carried over to the wrong place, and the previous release is never written through.
#[test]
fn reports_given_from_another_folder_are_made_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("release"));
    corpus_in(&input, 3);
    tool().args(publish_args(&input, &out)).assert().code(0);
    let old_md = fs::read(out.join("00/0001.md")).unwrap();
    // Every page would move: refused by default, as a run that would unpublish them all.
    tool()
        .args(publish_args(&input.join("00"), &out))
        .assert()
        .code(2)
        .stderr(contains("would unpublish 3 of the 3 reports"));
    assert_eq!(fs::read(out.join("00/0001.md")).unwrap(), old_md);
    let run = tool()
        .args(publish_args(&input.join("00"), &out))
        .args(["--format", "json", "--max-unpublish", "100"])
        .assert()
        .code(0);
    let summary: Value = serde_json::from_slice(&run.get_output().stdout).unwrap();
    assert_eq!(summary["reused"], 0);
    assert_eq!(summary["unpublished"]["count"], 3);
    assert!(out.join("0001.html").exists() && !out.join("00").exists());
    // Made afresh for its new place (its page links ../ no more), the same public text.
    assert_eq!(fs::read(out.join("0001.md")).unwrap(), old_md);
    assert_whole(&out, &input.join("00"));
}

#[test]
fn a_report_now_quarantined_leaves_the_release() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("release"));
    corpus_in(&input, 2);
    tool().args(publish_args(&input, &out)).assert().code(0);
    let report = input.join("00/0000.md");
    let text = fs::read_to_string(&report).unwrap();
    fs::write(
        &report,
        text.replacen(
            "## Executive summary",
            "## Executive summary (OFFICIAL-SENSITIVE)",
            1,
        ),
    )
    .unwrap();
    tool().args(publish_args(&input, &out)).assert().code(1);
    assert!(!out.join("00/0000.md").exists());
    assert!(out.join("00/0001.md").exists());
}

/// A destination that fails to write after a few files, as a full disk would.
struct FullDisk<'a> {
    inner: &'a Staging,
    left: AtomicUsize,
}

impl Destination for FullDisk<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if self.left.fetch_sub(1, Ordering::SeqCst) == 0 {
            return Err(io::Error::from_raw_os_error(28)); // ENOSPC
        }
        self.inner.put(rel, bytes)
    }
    fn put_restricted(&self, rel: &str, text: &str) -> io::Result<()> {
        self.inner.put_restricted(rel, text)
    }
    fn reuse(&self, source: &str, bytes: &[u8], stem: &str) -> io::Result<Option<Carried>> {
        self.inner.reuse(source, bytes, stem)
    }
}

#[test]
fn a_write_failure_stops_the_run_and_leaves_the_previous_release() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("release"));
    corpus_in(&input, 8);
    tool().args(publish_args(&input, &out)).assert().code(0);
    let before = fs::read(out.join("manifest.json")).unwrap();

    let config = Classifications::defaults().unwrap();
    // Every report processed afresh (`--full`), so that each is written.
    let plan = Plan::new(std::slice::from_ref(&input), &out, None, true).unwrap();
    let stop = Stop::never();
    let err = publish::publish_through(
        &plan,
        &config,
        date(2026, 11, 25),
        &|_| {},
        &stop,
        |staging| {
            Box::new(FullDisk {
                inner: staging,
                left: AtomicUsize::new(5),
            })
        },
    )
    .unwrap_err();
    let PublishError::Write(err) = err else {
        panic!("not a write failure: {err}");
    };
    assert_eq!(err.raw_os_error(), Some(28));
    assert_eq!(fs::read(out.join("manifest.json")).unwrap(), before);
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    assert_whole(&out, &input);
}

/// A destination whose reuse check panics for one report.
struct Panicky;

impl Destination for Panicky {
    fn put(&self, _: &str, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
    fn put_restricted(&self, _: &str, _: &str) -> io::Result<()> {
        Ok(())
    }
    fn reuse(&self, source: &str, _: &[u8], _: &str) -> io::Result<Option<Carried>> {
        assert!(!source.ends_with("0002.md"), "injected failure");
        Ok(None)
    }
}

#[test]
fn a_panic_in_one_report_quarantines_it_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    corpus_in(dir.path(), 5);
    let config = Classifications::defaults().unwrap();
    let inputs = input::discover(&[dir.path().to_path_buf()]).unwrap();
    let batch = run(
        &inputs,
        &config,
        date(2026, 11, 25),
        &Panicky,
        &|_: &DocumentEntry| {},
    )
    .unwrap();
    let entries: Vec<DocumentEntry> = batch.entries().collect();
    let statuses: Vec<Status> = entries.iter().map(|e| e.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == Status::Published).count(),
        4
    );
    let failed = &entries[2];
    assert_eq!(failed.status, Status::Quarantined);
    assert_eq!(failed.reasons[0].code.as_str(), "panic");
    assert!(!serde_json::to_string(failed).unwrap().contains("injected"));
}

#[test]
fn an_unreadable_input_is_quarantined_and_the_others_published() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    corpus_in(&input, 3);
    // A folder named like a report cannot be read as one.
    fs::create_dir(input.join("00/zz-folder.md")).unwrap();
    let config = Classifications::defaults().unwrap();
    let mut inputs = input::discover(std::slice::from_ref(&input)).unwrap();
    inputs.push(input::Input {
        path: input.join("00/zz-folder.md"),
        release_stem: "00/zz-folder".into(),
    });
    let batch = publish::check(
        &inputs,
        &config,
        date(2026, 11, 25),
        &|_| {},
        &Stop::never(),
    )
    .unwrap();
    assert_eq!(batch.count(Status::Published), 3);
    let unreadable = batch.entries().nth(3).unwrap();
    assert_eq!(unreadable.reasons[0].code.as_str(), "unreadable");
}

/// Runs the tool as an unprivileged user, where the tests run as root (as CI does).
fn as_nobody() -> Option<Process> {
    let root = Process::new("id")
        .arg("-u")
        .output()
        .ok()
        .is_some_and(|o| o.stdout.starts_with(b"0"));
    let setpriv = Path::new("/usr/bin/setpriv");
    if !root || !setpriv.exists() {
        eprintln!("SKIPPED: needs root and setpriv to drop privileges");
        return None;
    }
    let mut p = Process::new(setpriv);
    p.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(cargo_bin("mopac-redact"));
    Some(p)
}

#[test]
fn permission_denied_on_out_is_a_clear_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (input, parent) = (dir.path().join("in"), dir.path().join("www"));
    corpus_in(&input, 2);
    let out = parent.join("release");
    tool().args(publish_args(&input, &out)).assert().code(0);
    let before = fs::read(out.join("manifest.json")).unwrap();
    // Readable by all, writable by its owner (root) only.
    for path in [dir.path(), &input, &input.join("00"), &parent] {
        let mut perms = fs::metadata(path).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        fs::set_permissions(path, perms).unwrap();
    }
    for f in fs::read_dir(input.join("00")).unwrap() {
        let path: PathBuf = f.unwrap().path();
        let mut perms = fs::metadata(&path).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o644);
        fs::set_permissions(&path, perms).unwrap();
    }
    let Some(mut nobody) = as_nobody() else {
        return;
    };
    let output = nobody.args(publish_args(&input, &out)).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Permission denied"), "{stderr}");
    assert_eq!(fs::read(out.join("manifest.json")).unwrap(), before);
    assert_whole(&out, &input);
}

#[test]
fn reports_are_deterministic_about_18_kb_and_publishable() {
    let config = Classifications::defaults().unwrap();
    assert_eq!(mopac_corpus::report(7), mopac_corpus::report(7));
    assert_ne!(mopac_corpus::report(7), mopac_corpus::report(8));
    for i in 0..20 {
        let text = mopac_corpus::report(i);
        assert!(
            (12_000..24_000).contains(&text.len()),
            "report {i}: {} bytes",
            text.len()
        );
        let p =
            mopac_redact::report::process("r", text.as_bytes(), "r", &config, date(2026, 11, 25));
        assert_eq!(
            p.entry.status,
            Status::Published,
            "report {i}: {:?}",
            p.entry.reasons
        );
    }
}

/// A publish run over `input` into `out`, not quiet: its exit status, standard output and
/// standard error.
fn publish_loud(input: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let output = tool()
        .args(["publish", "--as-of", "2026-11-25", "--out"])
        .arg(out)
        .arg(input)
        .args(extra)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// An unmounted archive is an empty folder: publishing it wiped the release and exited 0.
#[test]
fn an_input_with_no_report_is_refused_and_the_release_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out, empty) = (
        dir.path().join("in"),
        dir.path().join("release"),
        dir.path().join("empty"),
    );
    corpus_in(&input, 3);
    fs::create_dir(&empty).unwrap();
    // No release yet: refused all the same, and nothing is made.
    let fresh = dir.path().join("fresh");
    let (code, _, stderr) = publish_loud(&empty, &fresh, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(!fresh.exists());

    tool().args(publish_args(&input, &out)).assert().code(0);
    let before = fs::read(out.join("manifest.json")).unwrap();
    let (code, stdout, stderr) = publish_loud(&empty, &out, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("no report found in") && stderr.contains("--allow-empty"),
        "{stderr}"
    );
    assert_eq!(fs::read(out.join("manifest.json")).unwrap(), before);
    assert_whole(&out, &input);
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());

    // Meant: the release is emptied.
    let (code, stdout, _) = publish_loud(&empty, &out, &["--allow-empty", "--format", "json"]);
    assert_eq!(code, 0);
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["counts"]["published"], 0);
    assert_eq!(summary["unpublished"]["count"], 3);
    assert!(!out.join("00").exists());
}

/// A half-mounted archive takes most reports out of the release: refused unless the share
/// is allowed, and said loudly when allowed.
#[test]
fn a_run_that_would_unpublish_most_of_the_release_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("release"));
    corpus_in(&input, 6);
    tool().args(publish_args(&input, &out)).assert().code(0);
    let before = fs::read(out.join("manifest.json")).unwrap();
    for i in [0, 2, 3, 5] {
        fs::remove_file(input.join(format!("00/{i:04}.md"))).unwrap();
    }
    let (code, stdout, stderr) = publish_loud(&input, &out, &["--format", "json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("would unpublish 4 of the 6 reports of the previous release (67%"),
        "{stderr}"
    );
    let refusal: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(refusal["exit_status"], 2);
    assert!(
        refusal["error"]
            .as_str()
            .unwrap()
            .contains("--max-unpublish")
    );
    assert_eq!(refusal["unpublished"]["count"], 4);
    assert_eq!(refusal["unpublished"]["of"], 6);
    assert!(
        refusal["unpublished"]["sources"][0]
            .as_str()
            .unwrap()
            .ends_with("00/0000.md")
    );
    assert_eq!(fs::read(out.join("manifest.json")).unwrap(), before);
    assert!(out.join("00/0000.html").exists());
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());

    // Allowed: published, and the log says what left the release.
    let (code, _, stderr) = publish_loud(&input, &out, &["--max-unpublish", "70"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "warning: 4 of the 6 reports of the previous release are no longer published"
        ),
        "{stderr}"
    );
    assert!(!out.join("00/0000.html").exists());
    assert_whole(&out, &input);
}

/// Writes `n` corpus reports with every fifth one quarantined (a marking in its public part).
fn mixed_corpus_in(dir: &Path, n: usize) {
    corpus_in(dir, n);
    for i in (0..n).step_by(5) {
        let path = dir.join(format!("{:02}/{i:04}.md", i / 50));
        let text = fs::read_to_string(&path).unwrap().replacen(
            "## Executive summary",
            "## Executive summary (OFFICIAL-SENSITIVE)",
            1,
        );
        fs::write(path, text).unwrap();
    }
}

/// The log came out in the order the workers finished: nightly logs differed when nothing
/// had changed.
#[test]
fn the_log_is_in_input_order_on_every_run() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("release"));
    mixed_corpus_in(&input, 60);
    let mut logs = Vec::new();
    for extra in [
        &["--full", "--verbose"][..],
        &["--full", "--verbose"],
        &["--verbose"],
        &["--full"],
    ] {
        let (code, _, stderr) = publish_loud(&input, &out, extra);
        assert_eq!(code, 1, "{stderr}");
        // The closing line gives the time taken.
        let lines: Vec<String> = stderr.lines().map(str::to_string).collect();
        logs.push(lines[..lines.len() - 1].to_vec());
    }
    // A report's own line, not one of its warnings (`file:line: warning: …`).
    let reports: Vec<&String> = logs[0]
        .iter()
        .filter(|l| l.contains(".md: published") || l.contains(".md: quarantined"))
        .collect();
    let expected: Vec<String> = (0..60)
        .map(|i| format!("{:02}/{i:04}.md", i / 50))
        .collect();
    assert_eq!(reports.len(), 60);
    // Each report is named by its path inside the input folder.
    for (line, name) in reports.iter().zip(&expected) {
        assert!(line.starts_with(&format!("{name}: ")), "{line}");
    }
    assert_eq!(logs[0], logs[1]);
    // The unchanged rerun carries reports over: the same lines, in the same order.
    assert_eq!(logs[0], logs[2]);
    // Without --verbose: the quarantined reports only, in the same order.
    let quarantined: Vec<&String> = logs[0]
        .iter()
        .filter(|l| l.contains("quarantined"))
        .collect();
    assert_eq!(quarantined.len(), 12);
    assert_eq!(logs[3].iter().collect::<Vec<_>>(), quarantined);

    let verdicts = |run: &Value| -> Vec<(String, String)> {
        run["reports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["source"].to_string(), r["status"].to_string()))
            .collect()
    };
    let first = publish_loud(&input, &out, &["--full", "--format", "json"]).1;
    let second = publish_loud(&input, &out, &["--full", "--format", "json"]).1;
    let (first, second): (Value, Value) = (
        serde_json::from_str(&first).unwrap(),
        serde_json::from_str(&second).unwrap(),
    );
    assert_eq!(verdicts(&first), verdicts(&second));
    assert_eq!(verdicts(&first).len(), 60);
    assert_eq!(first["quarantined"], second["quarantined"]);
}

/// Sends `signal` (`INT`, `TERM`) to a process.
fn send(signal: &str, pid: u32) {
    let sent = Process::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Ctrl-C or SIGTERM left a staging folder of the whole run beside the release until the next
/// run, and said nothing.
#[test]
fn a_signal_stops_the_run_cleanly_and_leaves_the_previous_release_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("release"));
    corpus_in(&input, 300);
    tool().args(publish_args(&input, &out)).assert().code(0);
    let before = fs::read(out.join("manifest.json")).unwrap();
    for (signal, status) in [("INT", 130), ("TERM", 143)] {
        let child = Process::new(cargo_bin("mopac-redact"))
            .args(publish_args(&input, &out))
            .arg("--full")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Mid-run: the staging folder holds the first reports' files.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let staging = leftovers(dir.path());
            let started = staging.first().is_some_and(|s| {
                fs::read_dir(dir.path().join(s)).is_ok_and(|mut d| d.next().is_some())
            });
            if started {
                break;
            }
            assert!(Instant::now() < deadline, "the run never started writing");
            std::thread::sleep(Duration::from_millis(2));
        }
        send(signal, child.id());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(status), "SIG{signal}: {stderr}");
        assert!(
            stderr.contains(&format!("stopped by SIG{signal}"))
                && stderr.contains("the previous release is unchanged"),
            "{stderr}"
        );
        assert_eq!(leftovers(dir.path()), Vec::<String>::new(), "SIG{signal}");
        assert_eq!(fs::read(out.join("manifest.json")).unwrap(), before);
        assert_whole(&out, &input);
        // The lock is free.
        let lock = fs::File::open(dir.path().join(".release.lock")).unwrap();
        assert!(
            lock.try_lock().is_ok(),
            "SIG{signal}: the lock is still held"
        );
    }
}

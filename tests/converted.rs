//! Reports converted by the routes teams use (pandoc, LibreOffice, pdftotext), as
//! `scripts/convert-word-fixtures` wrote them under `tests/converted/<route>/`, from our own
//! Word fixtures. For each route and report the outcome is the one in [`OUTCOMES`] (the
//! README's table of routes), and every outcome is one a team can act on: published with
//! every Part 1 paragraph in the Markdown and in the page (compared as text), the notice
//! present and nothing of Part 2 anywhere; or refused with a reason.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::date;
use mopac_redact::process;
use mopac_redactor::config::Classifications;
use mopac_types::manifest::Status;

/// What a route makes of a report: `published`, or the first reason code of a refusal.
/// Kept in step with the README's table of routes.
#[rustfmt::skip]
const OUTCOMES: &[(&str, &str, &str)] = &[
    ("libreoffice-html-pandoc", "word-report-bold-banner-2024-marking", "quarantined html-not-allowed"),
    ("libreoffice-html-pandoc", "word-report-heading-banner", "quarantined html-not-allowed"),
    ("libreoffice-html-pandoc", "word-report-long-part1", "quarantined html-not-allowed"),
    ("libreoffice-html-pandoc", "word-report-medium-equality", "quarantined html-not-allowed"),
    ("libreoffice-html-pandoc", "word-report-short-normal-run", "quarantined html-not-allowed"),
    ("libreoffice-html-pandoc", "word-report-table-banner", "quarantined html-not-allowed"),
    ("libreoffice-html-pandoc", "word-restricted-section", "quarantined html-not-allowed"),
    ("libreoffice-odt-pandoc", "word-report-bold-banner-2024-marking", "quarantined footnote-after-marking"),
    ("libreoffice-odt-pandoc", "word-report-heading-banner", "quarantined footnote-after-marking"),
    ("libreoffice-odt-pandoc", "word-report-long-part1", "quarantined footnote-after-marking"),
    ("libreoffice-odt-pandoc", "word-report-medium-equality", "quarantined footnote-after-marking"),
    ("libreoffice-odt-pandoc", "word-report-short-normal-run", "quarantined footnote-after-marking"),
    ("libreoffice-odt-pandoc", "word-report-table-banner", "quarantined footnote-after-marking"),
    ("libreoffice-odt-pandoc", "word-restricted-section", "quarantined footnote-after-marking"),
    ("libreoffice-text", "word-report-bold-banner-2024-marking", "quarantined footnote-text-missing"),
    ("libreoffice-text", "word-report-heading-banner", "quarantined footnote-text-missing"),
    ("libreoffice-text", "word-report-long-part1", "quarantined footnote-text-missing"),
    ("libreoffice-text", "word-report-medium-equality", "quarantined footnote-text-missing"),
    ("libreoffice-text", "word-report-short-normal-run", "quarantined footnote-text-missing"),
    ("libreoffice-text", "word-report-table-banner", "quarantined footnote-text-missing"),
    ("libreoffice-text", "word-restricted-section", "quarantined footnote-text-missing"),
    ("pandoc-commonmark", "word-report-bold-banner-2024-marking", "quarantined footnote-after-marking"),
    ("pandoc-commonmark", "word-report-heading-banner", "quarantined footnote-after-marking"),
    ("pandoc-commonmark", "word-report-long-part1", "quarantined footnote-after-marking"),
    ("pandoc-commonmark", "word-report-medium-equality", "quarantined html-not-allowed"),
    ("pandoc-commonmark", "word-report-short-normal-run", "quarantined footnote-after-marking"),
    ("pandoc-commonmark", "word-report-table-banner", "quarantined html-not-allowed"),
    ("pandoc-commonmark", "word-restricted-section", "quarantined footnote-after-marking"),
    ("pandoc-commonmark-nowrap", "word-report-bold-banner-2024-marking", "quarantined footnote-after-marking"),
    ("pandoc-commonmark-nowrap", "word-report-heading-banner", "quarantined footnote-after-marking"),
    ("pandoc-commonmark-nowrap", "word-report-long-part1", "quarantined footnote-after-marking"),
    ("pandoc-commonmark-nowrap", "word-report-medium-equality", "quarantined html-not-allowed"),
    ("pandoc-commonmark-nowrap", "word-report-short-normal-run", "quarantined footnote-after-marking"),
    ("pandoc-commonmark-nowrap", "word-report-table-banner", "quarantined html-not-allowed"),
    ("pandoc-commonmark-nowrap", "word-restricted-section", "quarantined footnote-after-marking"),
    ("pandoc-gfm", "word-report-bold-banner-2024-marking", "quarantined footnote-after-marking"),
    ("pandoc-gfm", "word-report-heading-banner", "quarantined footnote-after-marking"),
    ("pandoc-gfm", "word-report-long-part1", "quarantined footnote-after-marking"),
    ("pandoc-gfm", "word-report-medium-equality", "quarantined footnote-after-marking"),
    ("pandoc-gfm", "word-report-short-normal-run", "quarantined footnote-after-marking"),
    ("pandoc-gfm", "word-report-table-banner", "quarantined footnote-after-marking"),
    ("pandoc-gfm", "word-restricted-section", "quarantined footnote-after-marking"),
    ("pandoc-gfm-nowrap", "word-report-bold-banner-2024-marking", "quarantined footnote-after-marking"),
    ("pandoc-gfm-nowrap", "word-report-heading-banner", "quarantined footnote-after-marking"),
    ("pandoc-gfm-nowrap", "word-report-long-part1", "quarantined footnote-after-marking"),
    ("pandoc-gfm-nowrap", "word-report-medium-equality", "quarantined footnote-after-marking"),
    ("pandoc-gfm-nowrap", "word-report-short-normal-run", "quarantined footnote-after-marking"),
    ("pandoc-gfm-nowrap", "word-report-table-banner", "quarantined footnote-after-marking"),
    ("pandoc-gfm-nowrap", "word-restricted-section", "quarantined footnote-after-marking"),
    ("pandoc-markdown", "word-report-bold-banner-2024-marking", "quarantined footnote-after-marking"),
    ("pandoc-markdown", "word-report-heading-banner", "quarantined footnote-after-marking"),
    ("pandoc-markdown", "word-report-long-part1", "quarantined footnote-after-marking"),
    ("pandoc-markdown", "word-report-medium-equality", "quarantined footnote-after-marking"),
    ("pandoc-markdown", "word-report-short-normal-run", "quarantined footnote-after-marking"),
    ("pandoc-markdown", "word-report-table-banner", "quarantined footnote-after-marking"),
    ("pandoc-markdown", "word-restricted-section", "quarantined footnote-after-marking"),
    ("pandoc-markdown-block-notes", "word-report-bold-banner-2024-marking", "published"),
    ("pandoc-markdown-block-notes", "word-report-heading-banner", "published"),
    ("pandoc-markdown-block-notes", "word-report-long-part1", "published"),
    ("pandoc-markdown-block-notes", "word-report-medium-equality", "published"),
    ("pandoc-markdown-block-notes", "word-report-short-normal-run", "published"),
    ("pandoc-markdown-block-notes", "word-report-table-banner", "published"),
    ("pandoc-markdown-block-notes", "word-restricted-section", "published"),
    ("pandoc-markdown-nowrap", "word-report-bold-banner-2024-marking", "quarantined footnote-after-marking"),
    ("pandoc-markdown-nowrap", "word-report-heading-banner", "quarantined footnote-after-marking"),
    ("pandoc-markdown-nowrap", "word-report-long-part1", "quarantined footnote-after-marking"),
    ("pandoc-markdown-nowrap", "word-report-medium-equality", "quarantined footnote-after-marking"),
    ("pandoc-markdown-nowrap", "word-report-short-normal-run", "quarantined footnote-after-marking"),
    ("pandoc-markdown-nowrap", "word-report-table-banner", "quarantined footnote-after-marking"),
    ("pandoc-markdown-nowrap", "word-restricted-section", "quarantined footnote-after-marking"),
    ("pandoc-plain", "word-report-bold-banner-2024-marking", "quarantined footnote-after-marking"),
    ("pandoc-plain", "word-report-heading-banner", "quarantined footnote-after-marking"),
    ("pandoc-plain", "word-report-long-part1", "quarantined footnote-after-marking"),
    ("pandoc-plain", "word-report-medium-equality", "quarantined footnote-after-marking"),
    ("pandoc-plain", "word-report-short-normal-run", "quarantined footnote-after-marking"),
    ("pandoc-plain", "word-report-table-banner", "quarantined footnote-after-marking"),
    ("pandoc-plain", "word-restricted-section", "quarantined footnote-after-marking"),
    ("pandoc-plain-nowrap", "word-report-bold-banner-2024-marking", "quarantined footnote-after-marking"),
    ("pandoc-plain-nowrap", "word-report-heading-banner", "quarantined footnote-after-marking"),
    ("pandoc-plain-nowrap", "word-report-long-part1", "quarantined footnote-after-marking"),
    ("pandoc-plain-nowrap", "word-report-medium-equality", "quarantined footnote-after-marking"),
    ("pandoc-plain-nowrap", "word-report-short-normal-run", "quarantined footnote-after-marking"),
    ("pandoc-plain-nowrap", "word-report-table-banner", "quarantined footnote-after-marking"),
    ("pandoc-plain-nowrap", "word-restricted-section", "quarantined footnote-after-marking"),
    ("pdftotext", "word-report-bold-banner-2024-marking", "published"),
    ("pdftotext", "word-report-heading-banner", "published"),
    ("pdftotext", "word-report-long-part1", "published"),
    ("pdftotext", "word-report-medium-equality", "published"),
    ("pdftotext", "word-report-short-normal-run", "published"),
    ("pdftotext", "word-report-table-banner", "published"),
    ("pdftotext", "word-restricted-section", "quarantined sensitive-marking-in-public"),
    ("pdftotext-layout", "word-report-bold-banner-2024-marking", "published"),
    ("pdftotext-layout", "word-report-heading-banner", "published"),
    ("pdftotext-layout", "word-report-long-part1", "published"),
    ("pdftotext-layout", "word-report-medium-equality", "published"),
    ("pdftotext-layout", "word-report-short-normal-run", "published"),
    ("pdftotext-layout", "word-report-table-banner", "published"),
    ("pdftotext-layout", "word-restricted-section", "quarantined sensitive-marking-in-public"),
    ("pdftotext-raw", "word-report-bold-banner-2024-marking", "published"),
    ("pdftotext-raw", "word-report-heading-banner", "published"),
    ("pdftotext-raw", "word-report-long-part1", "published"),
    ("pdftotext-raw", "word-report-medium-equality", "published"),
    ("pdftotext-raw", "word-report-short-normal-run", "published"),
    ("pdftotext-raw", "word-report-table-banner", "published"),
    ("pdftotext-raw", "word-restricted-section", "quarantined sensitive-marking-in-public"),
];

/// The Part 1 text every standard report carries (each paragraph, list item, heading and
/// table cell), besides its title: the Word fixtures' own words.
const PART1: &[&str] = &[
    "MAYOR OF LONDON",
    "OFFICE FOR POLICING AND CRIME",
    "MOPAC Investment Advisory & Monitoring meeting Thursday 6 March 2025",
    "Report by Priya Okonkwo on behalf of the Chief Digital Officer",
    "Part 1 – This section of the report will be published by MOPAC. It is classified as OFFICIAL – PUBLIC",
    "Executive summary",
    "Officers in the 26 custody suites dock their body-worn video cameras at the end of each \
     shift. The docking stations, bought in 2018, are failing at a rate of four a month, and \
     the supplier stopped making spares in 2024.",
    "Recommendations",
    "The Deputy Mayor for Policing and Crime, via the Investment Advisory and Monitoring \
     meeting (IAM), is asked to:",
    "Approve the replacement of 410 docking stations at a cost of up to £236,000.",
    "Note that the stations will be installed over ten weeks, suite by suite.",
    "in suites with the oldest stations first;",
    "outside the hours of the weekend peak.",
    "Non-confidential facts and advice to the Deputy Mayor for Policing and Crime",
    "Footage uploads only while a camera is docked, so a failed station delays evidence \
     reaching the Crown Prosecution Service.",
    "The new stations charge twelve cameras each, against eight today.",
    "1. This paragraph starts with a number but is not a Word list; items marked * are \
     optional, file_names keep their underscores, 2 < 3, [brackets] stay, and #7 is a suite \
     number.",
    "The guidance is on the MOPAC website.",
    "Officers call it the “dock” — not the ‘cradle’.",
    "Financial Comments",
    "The costs by year are:",
    "2025/26",
    "£196,000",
    "£12,000",
    "£14,000",
    "£26,000",
    "Italic note: figures exclude VAT.",
    "Legal Comments",
    "The call-off is made under a national framework that MOPAC may use.",
    "Line two of the same paragraph, after a line break.",
    "Background/supporting papers",
    "Report author: Priya Okonkwo, Digital Policing, MPS",
    // Part 1's footnote.
    "Failure log of the custody estate team, January 2025.",
];

/// Part 1 text of the one report with the optional lists.
const EXTRAS: &[&str] = &[
    "Options considered:",
    "Repair the existing stations.",
    "Replace them like for like.",
    "Move to wireless upload.",
    "Benefits:",
    "Faster evidence upload.",
    "Fewer cameras out of use.",
];

/// Part 1 text of the long report: its sections over several pages.
const ISSUES: &[&str] = &[
    "Issues for consideration",
    "The docking stations sit in the custody office of each suite, beside the charging lockers. When a station fails, officers carry their cameras to the next suite or leave them undocked until the next shift, and the footage waits on the camera.",
    "Each failed station is reported to the service desk, which raises a call with the supplier. Since the supplier stopped making spares, the desk closes most calls by moving a working station from a quieter suite.",
    "The custody estate team counted 47 failures between April and December 2024. Most were power supplies; the rest were the contact pins that wear each time a camera is pushed into its slot.",
    "A camera left undocked overnight starts the next shift with a part-charged battery. Response officers have reported cameras that stop recording before the end of a late turn, which leaves gaps in the record of an arrest.",
    "The new stations are the model already fitted in the response bases of two boroughs, where they have run for eighteen months with three failures, all repaired under warranty within a week.",
    "The stations report their own faults to the device management service, so the desk will see a failing station before officers do and can send an engineer with a spare.",
    "Installation needs no building work: each station fits the existing wall brackets and uses the existing network points. An engineer can change the stations of one suite in a single day without closing the custody office.",
    "The order of the suites follows the failure log, the oldest stations first. Suites that hold the most detainees at the weekend will be done midweek.",
    "Officers will be told of each change a week ahead through the borough briefing, with a one-page guide to the new slots and the lights that show a camera is uploading.",
    "The old stations will be collected by the supplier for recycling under the waste electrical equipment regulations, and their storage wiped before they leave the estate.",
    "The programme board of the digital policing portfolio will track the roll-out each month, with the failure count and the upload delay as its two measures.",
    "If the stations are not replaced, the estate team expects the failure rate to rise as the remaining spares are used, and the delay to evidence to grow with it.",
];

/// Part 1 text of the reports with a delivery plan (a second table).
const PLAN: &[&str] = &[
    "Delivery plan",
    "The suites will be done in three waves:",
    "Wave",
    "North",
    "1 to 4",
    "Central",
    "9 and 10",
];

/// Part 1 text of the reports with equality comments (a bullet list, a second footnote).
const EQUALITY: &[&str] = &[
    "Equality Comments",
    "The change affects officers and staff in every custody suite alike. No group of \
     detainees is treated differently.",
    "The equality screening found:",
    "no effect on detainees with a protected characteristic;",
    "a small benefit to officers with limited grip strength.",
    "Equality screening of the custody estate programme, November 2024.",
];

/// Words of Part 2 (its text, its table, its footnote) that no output may hold.
const PART2: &[&str] = &[
    "Bid evaluation",
    "Three suppliers bid",
    "Harrowgate",
    "Quillon",
    "229,400",
    "241,900",
    "service credit",
    "Evaluation panel minutes",
];

/// Each report's title, by file stem; `None` for a report that is not of the standard
/// shape (its Part 1 stands in a section marked OFFICIAL-SENSITIVE).
fn title(report: &str) -> Option<&'static str> {
    match report {
        "word-report-heading-banner" => Some("Custody Suite Video Docking Replacement"),
        "word-report-bold-banner-2024-marking" => Some("Response Vehicle Camera Docking"),
        "word-report-table-banner" => Some("Station Front Counter Camera Docking"),
        "word-report-long-part1" => Some("Custody Suite Camera Docking Programme"),
        "word-report-short-normal-run" => Some("Court Cells Camera Docking"),
        "word-report-medium-equality" => Some("Dedicated Detention Officer Docking Stations"),
        _ => None,
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/converted")
}

/// Every converted file, as (route, report stem, path), sorted.
fn converted() -> Vec<(String, String, PathBuf)> {
    let mut found = Vec::new();
    for route in std::fs::read_dir(root()).unwrap() {
        let route = route.unwrap().path();
        if !route.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&route).unwrap() {
            let path = file.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let name = route.file_name().unwrap().to_string_lossy().into_owned();
            found.push((name, stem, path));
        }
    }
    found.sort();
    found
}

/// Text as a reader compares it: Markdown's punctuation and escapes, link addresses and
/// attributes, tags and the spellings of dashes, quotes and white space set aside.
fn as_text(s: &str) -> String {
    let s = s
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'");
    let tags = regex::Regex::new(r"</?[A-Za-z][^<>]*>|\]\([^)]*\)|\{[^}]*\}").unwrap();
    let s = tags.replace_all(&s, " ");
    let s = s
        .replace("---", "-")
        .replace("--", "-")
        .replace(['–', '—'], "-")
        .replace(['“', '”'], "\"")
        .replace(['‘', '’'], "'");
    let kept: String = s
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '\\' | '[' | ']' | '#' | '|'))
        .collect();
    // Punctuation sits against the word before it in every original.
    let spaced = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    spaced
        .replace(" .", ".")
        .replace(" ,", ",")
        .replace(" ;", ";")
        .replace(" :", ":")
}

/// The outcome of one converted report, after checking that nothing of Part 2 reaches any
/// output or the manifest entry, and that a published report is whole.
fn outcome(route: &str, report: &str, path: &Path, config: &Classifications) -> String {
    let bytes = std::fs::read(path).unwrap();
    let source = format!("{route}/{}", path.file_name().unwrap().to_string_lossy());
    let p = process(&source, &bytes, report, config, date(2026, 11, 25));
    let entry = serde_json::to_string(&p.entry).unwrap();
    for word in PART2 {
        assert!(
            !entry.contains(word),
            "{source}: {word:?} in the manifest entry"
        );
        for (name, out) in &p.outputs {
            let text = String::from_utf8_lossy(out);
            assert!(!text.contains(word), "{source}: {word:?} in {name}");
        }
    }
    match p.entry.status {
        Status::Published => {
            let Some(title) = title(report) else {
                return "published".into();
            };
            let mut expected: Vec<&str> = PART1.to_vec();
            expected.push(title);
            match report {
                "word-report-heading-banner" => expected.extend(EXTRAS),
                "word-report-long-part1" => {
                    expected.extend(EXTRAS);
                    expected.extend(ISSUES);
                    expected.extend(PLAN);
                    expected.extend(EQUALITY);
                }
                "word-report-medium-equality" => {
                    expected.extend(EXTRAS);
                    expected.extend(PLAN);
                    expected.extend(EQUALITY);
                }
                _ => {}
            }
            let mut missing = Vec::new();
            for (name, out) in &p.outputs {
                let text = as_text(&String::from_utf8_lossy(out));
                for want in &expected {
                    // A page shows a paragraph that opens "1. " as a numbered list: the
                    // number is the list's, not the text's.
                    let unnumbered = want.strip_prefix("1. ").unwrap_or(want);
                    if !text.contains(&as_text(want)) && !text.contains(&as_text(unnumbered)) {
                        missing.push(format!("{name}: {want}"));
                    }
                }
                if !text.contains("is exempt from publication") {
                    missing.push(format!("{name}: the notice"));
                }
            }
            if missing.is_empty() {
                "published".into()
            } else {
                eprintln!("{source}: missing {missing:#?}");
                format!("published-incomplete ({})", missing.len())
            }
        }
        Status::Quarantined => {
            let code = p.entry.reasons[0].code.as_str();
            format!("quarantined {code}")
        }
        status => status.as_str().into(),
    }
}

#[test]
fn every_route_has_the_outcome_the_readme_gives() {
    let config = Classifications::defaults().unwrap();
    let mut actual = BTreeMap::new();
    for (route, report, path) in converted() {
        let got = outcome(&route, &report, &path, &config);
        actual.insert((route, report), got);
    }
    let expected: BTreeMap<(String, String), String> = OUTCOMES
        .iter()
        .map(|(r, s, o)| ((r.to_string(), s.to_string()), o.to_string()))
        .collect();
    let table: String = actual
        .iter()
        .map(|((r, s), o)| format!("    ({r:?}, {s:?}, {o:?}),\n"))
        .collect();
    assert!(actual == expected, "the outcomes are now:\n{table}");
    // A standard report is published whole or refused: never published without some of its
    // Part 1, never withheld as a whole.
    for ((route, report), got) in &actual {
        if title(report).is_some() {
            assert!(
                got == "published" || got.starts_with("quarantined "),
                "{route}/{report}: {got}"
            );
        }
    }
}

/// The recommended route's reports publish (exit 0) and the release passes its audit
/// against them: the audit's own reading agrees with the new ones.
#[test]
fn the_recommended_route_publishes_and_passes_its_audit() {
    publishes_and_passes_its_audit("pandoc-markdown-block-notes");
}

/// So do the standard reports of every PDF-text route: the audit reads the running header of
/// the page the Part 2 banner opens as that page's, as the redactor does.
#[test]
fn the_pdf_text_routes_publish_and_pass_their_audit() {
    for route in ["pdftotext", "pdftotext-layout", "pdftotext-raw"] {
        publishes_and_passes_its_audit(route);
    }
}

/// Publishes the reports a route publishes (by [`OUTCOMES`]) and audits the release against
/// them.
fn publishes_and_passes_its_audit(route: &str) {
    let dir = tempfile::tempdir().unwrap();
    let release = dir.path().join("release");
    let input = dir.path().join(route);
    std::fs::create_dir(&input).unwrap();
    for (r, report, path) in converted() {
        let published = OUTCOMES
            .iter()
            .any(|&(o, s, out)| o == r && s == report && out == "published");
        if r == route && published {
            std::fs::copy(&path, input.join(path.file_name().unwrap())).unwrap();
        }
    }
    let tool = || assert_cmd::Command::cargo_bin("mopac-redact").unwrap();
    tool()
        .arg("publish")
        .arg(&input)
        .arg("--out")
        .arg(&release)
        .args(["--as-of", "2026-11-25", "--quiet"])
        .assert()
        .success();
    tool()
        .arg("verify")
        .arg(&release)
        .arg("--source")
        .arg(&input)
        .assert()
        .success();
}

//! Fuzzes the whole pipeline of one report, `mopac_redact::report::process`.
//!
//! Two properties:
//!
//! 1. No panic. `process` catches panics and quarantines the report with the reason code
//!    "panic", so that code is treated as a crash here. (libfuzzer-sys's panic hook also
//!    aborts on any panic, caught or not.)
//! 2. No leak. The fuzz data, if UTF-8, becomes the Part 1 and Part 2 bodies of a report
//!    whose Part 2 names the canary "Vexillographic". No output (Markdown, HTML, manifest
//!    entry) may contain the canary unless Part 1 itself contains it.

#![no_main]

use std::sync::OnceLock;

use jiff::civil::{Date, date};
use libfuzzer_sys::fuzz_target;
use mopac_redactor::config::Classifications;
use mopac_redactor::normalize::fold;
use mopac_redact::report::{Processed, process};

const CANARY: &str = "Vexillographic";
/// Same length, letters only: a report that differs from the canary's only in this word.
const CONTROL: &str = "Qwzjxbmkvyphtf";

fn config() -> &'static Classifications {
    static CONFIG: OnceLock<Classifications> = OnceLock::new();
    CONFIG.get_or_init(|| Classifications::defaults().expect("built-in classifications load"))
}

fn as_of() -> Date {
    date(2026, 11, 25)
}

fn run(bytes: &[u8]) -> Processed {
    process("fuzz.md", bytes, "fuzz", config(), as_of())
}

fn assert_no_panic(p: &Processed, what: &str, input: &[u8]) {
    if p.entry.reasons.iter().any(|r| r.code.as_str() == "panic") {
        panic!(
            "process() panicked on the {what} input: {:?}",
            String::from_utf8_lossy(input)
        );
    }
}

fn report(part1: &str, part2: &str, bidder: &str) -> String {
    format!(
        "MAYOR OF LONDON\n\nMPS Fuzz Report\n\n\
         Part 1 \u{2013} This section of the report will be published by MOPAC. It is classified as OFFICIAL \u{2013} PUBLIC\n\n\
         {part1}\n\n\
         Part 2 \u{2013} This section refers to the details of the Part 2 business case which is NOT SUITABLE for MOPAC Publication.\n\n\
         The Government Security Classification marking for Part 2 is:\n\n\
         OFFICIAL-SENSITIVE [COMMERCIAL]\n\n\
         The preferred bidder is {bidder} Quorum Holdings.\n\n\
         {part2}\n"
    )
}

/// Every published byte: each output and the serialized manifest entry.
fn published(p: &Processed) -> Vec<(String, Vec<u8>)> {
    let mut all = p.outputs.clone();
    all.push((
        "manifest entry".to_string(),
        serde_json::to_vec(&p.entry).expect("the entry serializes"),
    ));
    all
}

fn count_ci(haystack: &[u8], needle: &str) -> usize {
    let needle = needle.as_bytes();
    haystack
        .windows(needle.len())
        .filter(|w| w.eq_ignore_ascii_case(needle))
        .count()
}

fn mentions_canary(text: &str) -> bool {
    let canary = CANARY.to_lowercase();
    text.to_lowercase().contains(&canary) || fold(text).to_lowercase().contains(&canary)
}

/// Splits at the first NUL, else at the char boundary nearest the middle.
fn split(text: &str) -> (&str, &str) {
    if let Some(i) = text.find('\u{0}') {
        return (&text[..i], &text[i + 1..]);
    }
    let mut mid = text.len() / 2;
    while !text.is_char_boundary(mid) {
        mid += 1;
    }
    text.split_at(mid)
}

fuzz_target!(|data: &[u8]| {
    // 1. The raw bytes as a report.
    let p = run(data);
    assert_no_panic(&p, "raw", data);

    // 2. The bytes as the two bodies of a report with a secret in Part 2.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (part1, part2) = split(text);
    let source = report(part1, part2, CANARY);
    let p = run(source.as_bytes());
    assert_no_panic(&p, "assembled", source.as_bytes());
    if mentions_canary(part1) {
        return;
    }
    let hits: Vec<(String, Vec<u8>)> = published(&p)
        .into_iter()
        .filter(|(_, bytes)| count_ci(bytes, CANARY) > 0)
        .collect();
    if hits.is_empty() {
        return;
    }
    // Part 1 can still spell the canary in a way the output decodes (an HTML entity, say).
    // Then the same report with another bidder publishes the canary just as often.
    let control = run(report(part1, part2, CONTROL).as_bytes());
    let control_out = published(&control);
    for (name, bytes) in &hits {
        let base = control_out
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, b)| count_ci(b, CANARY));
        if count_ci(bytes, CANARY) > base {
            panic!(
                "Part 2 leaked into {name} (status {:?}).\n--- source ---\n{source}\n--- {name} ---\n{}",
                p.entry.status,
                String::from_utf8_lossy(bytes)
            );
        }
    }
});

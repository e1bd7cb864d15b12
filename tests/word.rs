//! Word reports end to end: nothing Word hides reaches any output, the derived Markdown is
//! what every command reads, and a release of Word reports passes its audit.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use jiff::civil::date;
use mopac_redact::process;
use mopac_redactor::config::Classifications;
use mopac_types::manifest::Status;
use mopac_types::reason::Code;
use proptest::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn tool() -> Command {
    Command::cargo_bin("mopac-redact").unwrap()
}

/// Every Word fixture of `status`, by path.
fn word_fixtures(status: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(fixtures().join(status))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    found.sort();
    found
}

fn copy_all(paths: &[PathBuf], to: &Path) {
    fs::create_dir_all(to).unwrap();
    for p in paths {
        fs::copy(p, to.join(p.file_name().unwrap())).unwrap();
    }
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// Each hidden-data fixture hides a CANARY- token: none reaches the release (every file),
/// the run's log or its JSON summary, whether the run prints text or JSON.
#[test]
fn no_canary_reaches_the_release_the_log_or_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let mut all = word_fixtures("quarantined");
    all.extend(word_fixtures("published"));
    copy_all(&all, &input);
    // The test can fail: the canaries are in the sources (the one plain-text one as is).
    let plain = fs::read(input.join("word-not-a-package.docx")).unwrap();
    assert!(String::from_utf8_lossy(&plain).contains("CANARY-"));
    for format in ["text", "json"] {
        let out = dir.path().join(format!("release-{format}"));
        let run = tool()
            .args([
                "publish",
                "--as-of",
                "2026-11-25",
                "--format",
                format,
                "--out",
            ])
            .arg(&out)
            .arg(&input)
            .assert()
            .code(1);
        let output = run.get_output();
        for stream in [&output.stdout, &output.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(!text.contains("CANARY"), "{format}: {text}");
        }
        let files = files_under(&out);
        assert!(files.len() > 3, "{files:?}");
        for f in files {
            let bytes = fs::read(&f).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("CANARY"), "{}", f.display());
        }
    }
}

/// Each refused fixture is refused for its own reason, by `convert` too, which prints its
/// remedy and nothing of the document.
#[test]
fn convert_refuses_hidden_data_with_its_code_and_remedy() {
    for path in word_fixtures("quarantined") {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let code = name.split("--").next().unwrap().to_string();
        let run = tool().arg("convert").arg(&path).assert();
        let output = run.get_output();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if code == Code::WordRestrictedSection.as_str() {
            // Read as Markdown, refused only once it is classified.
            assert_eq!(output.status.code(), Some(0), "{name}");
            continue;
        }
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(output.stdout.is_empty(), "{name}");
        assert!(stderr.contains(&format!("[{code}]")), "{name}: {stderr}");
        assert!(stderr.contains("remedy: "), "{name}: {stderr}");
        assert!(!stderr.contains("CANARY"), "{name}: {stderr}");
    }
}

/// `convert` prints the source of record; the released Markdown is it up to the Part 2
/// marking, then the notice; the manifest records both digests.
#[test]
fn the_release_is_the_derived_markdown_minus_part2() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = fixtures().join("published/word-report-heading-banner.docx");
    let run = tool().arg("convert").arg(&fixture).assert().code(0);
    let derived = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    let out = dir.path().join("release");
    tool()
        .args(["publish", "--as-of", "2026-11-25", "--quiet", "--out"])
        .arg(&out)
        .arg(&fixture)
        .assert()
        .code(0);
    let released = fs::read_to_string(out.join("word-report-heading-banner.md")).unwrap();
    let kept_end = derived
        .find("OFFICIAL-SENSITIVE \\[COMMERCIAL\\]\n")
        .unwrap()
        + 34;
    assert!(released.starts_with(&derived[..kept_end]), "{released}");
    assert!(!released.contains("Harrowgate"), "{released}");
    assert!(derived.contains("Harrowgate"));
    // Part 1's footnote is defined before the banner, so it is published with Part 1.
    let footnote = derived.find("[^1]: ").unwrap();
    assert!(footnote < derived.find("## Part 2").unwrap());
    assert!(released.contains("[^1]: Failure log"));
    assert!(!released.contains("[^2]"));
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    // Something is withheld: neither digest is in the release's manifest.
    assert!(!manifest.contains("markdown_sha256"), "{manifest}");
    let bytes = fs::read(&fixture).unwrap();
    let config = Classifications::defaults().unwrap();
    let p = process("r.docx", &bytes, "r", &config, date(2026, 11, 25));
    assert_eq!(p.entry.sha256, mopac_types::sha256(&bytes));
    assert_eq!(
        p.entry.markdown_sha256,
        mopac_types::sha256(derived.as_bytes())
    );
}

/// The auditor's check of a release of Word reports against the .docx sources passes, and
/// fails when a source no longer reads as what was released.
#[test]
fn verify_source_reads_word_sources() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    copy_all(&word_fixtures("published"), &input);
    let out = dir.path().join("release");
    tool()
        .args(["publish", "--as-of", "2026-11-25", "--quiet", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(0);
    tool()
        .arg("verify")
        .arg(&out)
        .arg("--source")
        .arg(&input)
        .assert()
        .code(0);
    // A published Markdown edited after the release: the audit against the .docx sees it.
    let md = out.join("word-report-table-banner.md");
    let text = fs::read_to_string(&md).unwrap();
    fs::write(&md, text.replace("four a month", "five a month")).unwrap();
    tool()
        .arg("verify")
        .arg(&out)
        .arg("--source")
        .arg(&input)
        .assert()
        .code(1);
}

/// `explain` reads a Word report through its derived Markdown and refuses a hidden run.
#[test]
fn explain_reads_word_reports() {
    let ok = fixtures().join("published/word-report-bold-banner-2024-marking.docx");
    let run = tool()
        .args(["explain", "--as-of", "2026-11-25"])
        .arg(&ok)
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    assert!(text.contains("would be published"), "{text}");
    let hidden = fixtures().join("quarantined/word-hidden-text.docx");
    let run = tool().arg("explain").arg(&hidden).assert().code(1);
    let text = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    assert!(text.contains("word-hidden-text"), "{text}");
    assert!(!text.contains("CANARY"), "{text}");
}

// ---- documents made here, for properties ----

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A minimal Word package around `body` (the children of w:body).
fn docx(body: &str) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string(),
        ),
        (
            "word/document.xml",
            format!("<?xml version=\"1.0\"?><w:document xmlns:w=\"{W}\"><w:body>{body}</w:body></w:document>"),
        ),
    ];
    for (name, text) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

fn paragraph(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// The paragraphs of a short report that would be published whole.
fn report(words: &[String]) -> Vec<String> {
    let mut paras = vec![
        paragraph("Custody Suite Kettles"),
        paragraph(
            "Part 1 \u{2013} This section of the report will be published by MOPAC. It is classified as OFFICIAL \u{2013} PUBLIC",
        ),
    ];
    paras.extend(words.iter().map(|w| paragraph(w)));
    paras
}

/// The ways a run can be hidden.
const HIDERS: [&str; 5] = [
    "<w:vanish/>",
    "<w:specVanish/>",
    "<w:webHidden/>",
    "<w:color w:val=\"FFFFFF\"/>",
    "<w:sz w:val=\"3\"/>",
];

#[test]
fn a_made_document_without_hidden_runs_is_published() {
    // The property below could fail: the same document, unhidden, is published.
    let config = Classifications::defaults().unwrap();
    let body = report(&["The kettles are replaced.".into()]).join("");
    let p = process("k.docx", &docx(&body), "k", &config, date(2026, 11, 25));
    assert_eq!(p.entry.status, Status::Published, "{:#?}", p.entry.reasons);
}

/// A report with a Part 2: `part1` and `part2` are the paragraphs after each banner.
fn two_part_report(part1: &[String], part2: &[String]) -> Vec<u8> {
    let mut paras = report(&[]);
    paras.extend(part1.iter().cloned());
    paras.push(paragraph(
        "Part 2 \u{2013} This section refers to the details of the Part 2 business case which is NOT SUITABLE for MOPAC Publication.",
    ));
    paras.push(paragraph(
        "The Government Security Classification marking for Part 2 is:",
    ));
    paras.push(paragraph("OFFICIAL-SENSITIVE [COMMERCIAL]"));
    paras.extend(part2.iter().cloned());
    docx(&paras.join(""))
}

/// A field of `instr` showing `result`, as Word writes it in runs.
fn field(instr: &str, result: &str) -> String {
    format!(
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> {instr} </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t xml:space=\"preserve\">{result}</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    )
}

fn bookmarked(name: &str, text: &str) -> String {
    format!(
        "<w:p><w:bookmarkStart w:id=\"{name}\" w:name=\"{name}\"/><w:r><w:t>{text}</w:t></w:r><w:bookmarkEnd w:id=\"{name}\"/></w:p>"
    )
}

fn outcome(bytes: &[u8]) -> (Status, Vec<Code>) {
    let config = Classifications::defaults().unwrap();
    let p = process("k.docx", bytes, "k", &config, date(2026, 11, 25));
    let codes = p.entry.reasons.iter().map(|r| r.code).collect();
    (p.entry.status, codes)
}

/// A cross-reference, a link to a bookmark or a table of contents in Part 1 shows text
/// copied from its bookmark: published only when the bookmark exists and ends before the
/// Part 2 banner.
#[test]
fn a_field_that_copies_text_is_published_only_from_part1() {
    let reference = |target: &str| {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">See </w:t></w:r>{}</w:p>",
            field(&format!("REF {target} \\h"), "the kettle plan")
        )
    };
    let public = bookmarked("_Ref1", "The kettle plan is public.");
    let withheld = bookmarked("_Ref2", "Zorblax Ltd offered 612,450 pounds.");
    let ok = two_part_report(
        &[public.clone(), reference("_Ref1")],
        std::slice::from_ref(&withheld),
    );
    assert_eq!(outcome(&ok), (Status::Published, vec![]));
    for bytes in [
        two_part_report(
            &[public.clone(), reference("_Ref2")],
            std::slice::from_ref(&withheld),
        ),
        two_part_report(
            &[public.clone(), reference("_Ref3")],
            std::slice::from_ref(&withheld),
        ),
        two_part_report(
            &[public.clone(), reference("_REF2")],
            std::slice::from_ref(&withheld),
        ),
    ] {
        let (status, codes) = outcome(&bytes);
        assert_eq!(status, Status::Quarantined);
        assert_eq!(codes, [Code::WordReferenceNotPublic]);
    }
    // A cross-reference within Part 2 is withheld with it.
    let inside = two_part_report(
        std::slice::from_ref(&public),
        &[withheld.clone(), reference("_Ref2")],
    );
    assert_eq!(outcome(&inside).0, Status::Published);

    let toc_start = "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> TOC \\o \"1-3\" \\h \\z </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r></w:p>";
    let toc_end = "<w:p><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>";
    let entry = |target: &str, text: &str| {
        format!(
            "<w:p><w:hyperlink w:anchor=\"{target}\"><w:r><w:t>{text}</w:t></w:r><w:r><w:tab/></w:r>{}</w:hyperlink></w:p>",
            field(&format!("PAGEREF {target} \\h"), "2")
        )
    };
    let toc = |entries: &[String]| {
        let mut out = vec![toc_start.to_string()];
        out.extend(entries.iter().cloned());
        out.push(toc_end.to_string());
        out
    };
    let heading1 = bookmarked("_Toc1", "Kettles");
    let heading2 = bookmarked("_Toc2", "Bid evaluation for Zorblax Ltd");
    let mut part1 = toc(&[entry("_Toc1", "Kettles")]);
    part1.push(heading1.clone());
    assert_eq!(
        outcome(&two_part_report(&part1, std::slice::from_ref(&heading2))),
        (Status::Published, vec![])
    );
    let mut part1 = toc(&[
        entry("_Toc1", "Kettles"),
        entry("_Toc2", "Bid evaluation for Zorblax Ltd"),
    ]);
    part1.push(heading1.clone());
    assert_eq!(
        outcome(&two_part_report(&part1, std::slice::from_ref(&heading2))),
        (Status::Quarantined, vec![Code::WordReferenceNotPublic])
    );
    // An entry that names no bookmark copies text from a place unknown.
    let mut part1 = toc(&[paragraph("Bid evaluation for Zorblax Ltd")]);
    part1.push(heading1);
    assert_eq!(
        outcome(&two_part_report(&part1, &[heading2])),
        (Status::Quarantined, vec![Code::WordReferenceNotPublic])
    );
}

/// Text under capitals is read in capitals: a marking Word shows in capitals is refused as
/// the same marking typed in capitals is.
#[test]
fn a_marking_shown_in_capitals_is_read_in_capitals() {
    let caps = |rpr: &str| {
        two_part_report(
            &[format!(
                "<w:p><w:r><w:rPr>{rpr}</w:rPr><w:t>restricted \u{2013} personal</w:t></w:r></w:p>"
            )],
            &[],
        )
    };
    let typed = two_part_report(&[paragraph("RESTRICTED \u{2013} PERSONAL")], &[]);
    let (typed_status, typed_codes) = outcome(&typed);
    assert_ne!(typed_status, Status::Published);
    for rpr in ["<w:caps/>", "<w:smallCaps/>", "<w:caps w:val=\"1\"/>"] {
        assert_eq!(
            outcome(&caps(rpr)),
            (typed_status, typed_codes.clone()),
            "{rpr}"
        );
    }
    let config = Classifications::defaults().unwrap();
    let derived = mopac_redact::word::convert(&caps("<w:caps/>"), &config).unwrap();
    assert!(derived.markdown.contains("RESTRICTED \u{2013} PERSONAL"));
}

/// Text one shade off what it is shown on is as invisible as text of its colour.
#[test]
fn text_one_shade_off_its_background_is_not_published() {
    for (ppr, rpr) in [
        (
            "<w:shd w:val=\"clear\" w:fill=\"FFFFFF\"/>",
            "<w:color w:val=\"FEFEFE\"/>",
        ),
        (
            "<w:shd w:val=\"clear\" w:fill=\"000000\"/>",
            "<w:color w:val=\"010101\"/>",
        ),
        (
            "",
            "<w:color w:val=\"FEFEFE\"/><w:shd w:val=\"clear\" w:fill=\"FFFFFF\"/>",
        ),
    ] {
        let hidden = format!(
            "<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr>{rpr}</w:rPr><w:t>CANARY-SHADE</w:t></w:r></w:p>"
        );
        let (status, codes) = outcome(&two_part_report(&[hidden], &[]));
        assert_eq!(status, Status::Quarantined, "{rpr}");
        assert!(codes.contains(&Code::WordInvisibleText), "{rpr}: {codes:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A document with a hidden run anywhere is not published, and its hidden text is in
    /// no output or manifest entry.
    #[test]
    fn a_document_with_a_hidden_run_is_not_published(
        words in prop::collection::vec("[A-Za-z]{3,9}( [a-z]{2,8}){0,6}\\.", 1..6),
        at in 0usize..8,
        hider in 0usize..HIDERS.len(),
    ) {
        let config = Classifications::defaults().unwrap();
        let mut paras = report(&words);
        let hidden = format!(
            "<w:p><w:r><w:t>shown </w:t></w:r><w:r><w:rPr>{}</w:rPr><w:t>CANARY-PROP-4242</w:t></w:r></w:p>",
            HIDERS[hider]
        );
        let at = at.min(paras.len());
        paras.insert(at, hidden);
        let bytes = docx(&paras.join(""));
        let p = process("k.docx", &bytes, "k", &config, date(2026, 11, 25));
        prop_assert_ne!(p.entry.status, Status::Published);
        prop_assert!(p.outputs.is_empty());
        let entry = serde_json::to_string(&p.entry).unwrap();
        prop_assert!(!entry.contains("CANARY"), "{}", entry);
    }

    /// Arbitrary bytes, and arbitrary bytes in a zip where the body should be, never make
    /// the reader panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let config = Classifications::defaults().unwrap();
        let _ = mopac_redact::word::convert(&bytes, &config);
        let body = String::from_utf8_lossy(&bytes).into_owned();
        let _ = mopac_redact::word::convert(&docx(&body), &config);
    }
}

//! Fuzzes the Word reader, `mopac_redact::word::convert`, and a Word report's way through
//! the pipeline.
//!
//! Two properties:
//!
//! 1. No panic. The fuzz data is read as a .docx as it is, and again as the body of a
//!    well-formed package (so the fuzzer reaches the XML and the body, not only the zip);
//!    the reader is called directly, outside the pipeline's panic guard, so any panic is a
//!    crash.
//! 2. No leak. The fuzz data, escaped, is the visible text of a report that also holds a
//!    hidden run naming the canary: the report is never published, and nothing it returns
//!    (outputs, manifest entry) holds the canary.

#![no_main]

use std::io::Write;
use std::sync::OnceLock;

use jiff::civil::date;
use libfuzzer_sys::fuzz_target;
use mopac_redact::report::process;
use mopac_redactor::config::Classifications;

const CANARY: &str = "CANARY-FUZZ-5150";
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn config() -> &'static Classifications {
    static CONFIG: OnceLock<Classifications> = OnceLock::new();
    CONFIG.get_or_init(|| Classifications::defaults().expect("built-in classifications load"))
}

/// A minimal Word package around `body` (the children of w:body).
fn docx(body: &str) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    let parts = [
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string()),
        ("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string()),
        ("word/document.xml", format!("<?xml version=\"1.0\"?><w:document xmlns:w=\"{W}\"><w:body>{body}</w:body></w:document>")),
    ];
    for (name, text) in parts {
        z.start_file(name, opts).expect("a zip entry starts");
        z.write_all(text.as_bytes()).expect("a zip entry is written");
    }
    z.finish().expect("the zip is finished");
    out.into_inner()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fuzz_target!(|data: &[u8]| {
    let config = config();
    let _ = mopac_redact::word::convert(data, config);
    let text = String::from_utf8_lossy(data);
    let _ = mopac_redact::word::convert(&docx(&text), config);

    let report = format!(
        "<w:p><w:r><w:t>Custody Suite Kettles</w:t></w:r></w:p>\
         <w:p><w:r><w:t>Part 1 \u{2013} This section of the report will be published by MOPAC. It is classified as OFFICIAL \u{2013} PUBLIC</w:t></w:r></w:p>\
         <w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>{CANARY}</w:t></w:r></w:p>",
        escape(&text)
    );
    let p = process("fuzz.docx", &docx(&report), "fuzz", config, date(2026, 11, 25));
    assert_ne!(p.entry.status.as_str(), "published", "a hidden run was published");
    assert!(p.outputs.is_empty());
    let entry = serde_json::to_string(&p.entry).expect("an entry serialises");
    assert!(!entry.contains(CANARY), "the canary reached the manifest entry");
});

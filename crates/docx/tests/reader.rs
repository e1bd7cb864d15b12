//! The reader on small packages made here: what it writes, and what it refuses.

use std::io::Write;

use mopac_docx::{Converted, Limits, Policy, convert};
use mopac_types::reason::{Code, Reason};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A package of `parts` (name, text) beside the content types and the package
/// relationships; `word/document.xml` holds `body` unless `parts` gives it.
fn package(body: &str, parts: &[(&str, String)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut all = vec![
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string()),
        ("_rels/.rels", format!("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"word/document.xml\"/></Relationships>")),
    ];
    if !parts.iter().any(|(n, _)| *n == "word/document.xml") {
        all.push((
            "word/document.xml",
            format!("<?xml version=\"1.0\"?><w:document xmlns:w=\"{W}\" xmlns:r=\"{REL}\"><w:body>{body}</w:body></w:document>"),
        ));
    }
    all.extend(parts.iter().cloned());
    for (name, text) in all {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

fn rels(entries: &str) -> (&'static str, String) {
    (
        "word/_rels/document.xml.rels",
        format!(
            "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{entries}</Relationships>"
        ),
    )
}

fn part2(text: &str) -> bool {
    text.starts_with("Part 2")
}

fn sensitive(text: &str) -> bool {
    text.contains("OFFICIAL-SENSITIVE")
}

fn read(bytes: &[u8]) -> Result<Converted, Vec<Reason>> {
    let policy = Policy {
        starts_part2: &part2,
        restricted_marking: &sensitive,
        limits: Limits::default(),
    };
    convert(bytes, &policy)
}

fn markdown(body: &str, parts: &[(&str, String)]) -> String {
    read(&package(body, parts)).unwrap().markdown
}

fn codes(body: &str, parts: &[(&str, String)]) -> Vec<Code> {
    read(&package(body, parts))
        .unwrap_err()
        .iter()
        .map(|r| r.code)
        .collect()
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn cell(text: &str) -> String {
    format!("<w:tc>{}</w:tc>", p(text))
}

#[test]
fn paragraphs_are_blocks_and_markdown_syntax_is_escaped() {
    let body = [
        p("Plain words."),
        p("1. Not a list"),
        p("# not a heading"),
        p("a &lt;b&gt; [c] *d* _e_ | f \\ g"),
    ]
    .join("");
    assert_eq!(
        markdown(&body, &[]),
        "Plain words.\n\n1\\. Not a list\n\n\\# not a heading\n\na \\<b\\> \\[c\\] \\*d\\* \\_e\\_ \\| f \\\\ g\n"
    );
}

#[test]
fn a_one_cell_table_reads_as_its_paragraphs_and_others_as_pipe_tables() {
    let one = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", cell("Part 2 banner"));
    assert_eq!(markdown(&one, &[]), "Part 2 banner\n");
    let two = format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        cell("Item"),
        cell("Cost"),
        cell("A | B"),
        cell("£5")
    );
    assert_eq!(
        markdown(&two, &[]),
        "| Item | Cost |\n| --- | --- |\n| A \\| B | £5 |\n"
    );
}

#[test]
fn merged_or_nested_cells_are_refused() {
    let span = format!(
        "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>{}</w:tc></w:tr><w:tr>{}{}</w:tr></w:tbl>",
        p("x"),
        cell("a"),
        cell("b")
    );
    assert!(codes(&span, &[]).contains(&Code::WordTableNotFaithful));
    let merge = format!(
        "<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>{}</w:tc>{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        p("x"),
        cell("y"),
        cell("a"),
        cell("b")
    );
    assert!(codes(&merge, &[]).contains(&Code::WordTableNotFaithful));
    let nested = format!(
        "<w:tbl><w:tr><w:tc><w:tbl><w:tr>{}</w:tr></w:tbl>{}</w:tc>{}</w:tr></w:tbl>",
        cell("inner"),
        p("x"),
        cell("y")
    );
    assert!(codes(&nested, &[]).contains(&Code::WordTableNotFaithful));
}

#[test]
fn word_numbering_becomes_markdown_lists() {
    let numbering = format!(
        "<w:numbering xmlns:w=\"{W}\"><w:abstractNum w:abstractNumId=\"1\">\
         <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl>\
         <w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"o\"/></w:lvl>\
         </w:abstractNum><w:num w:numId=\"5\"><w:abstractNumId w:val=\"1\"/></w:num>\
         <w:num w:numId=\"6\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"7\"/></w:lvlOverride></w:num></w:numbering>"
    );
    let item = |num: u32, lvl: u32, text: &str| {
        format!(
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
        )
    };
    let body = [
        item(5, 0, "One"),
        item(5, 1, "Sub"),
        item(5, 0, "Two"),
        p("Between."),
        item(6, 0, "Seven"),
    ]
    .join("");
    let parts = [
        rels(&format!(
            "<Relationship Id=\"rId9\" Type=\"{REL}/numbering\" Target=\"numbering.xml\"/>"
        )),
        ("word/numbering.xml", numbering),
    ];
    assert_eq!(
        markdown(&body, &parts),
        "1. One\n   - Sub\n2. Two\n\nBetween.\n\n7. Seven\n"
    );
}

#[test]
fn footnotes_are_defined_at_the_end_of_the_part_that_refers_to_them() {
    let reference = |id: u32| format!("<w:r><w:footnoteReference w:id=\"{id}\"/></w:r>");
    let body = format!(
        "<w:p><w:r><w:t>Public.</w:t></w:r>{}</w:p>{}<w:p><w:r><w:t>Secret.</w:t></w:r>{}</w:p>",
        reference(2),
        p("Part 2 banner"),
        reference(3)
    );
    let notes = format!(
        "<w:footnotes xmlns:w=\"{W}\"><w:footnote w:type=\"separator\" w:id=\"0\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
         <w:footnote w:id=\"2\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> Public note.</w:t></w:r></w:p></w:footnote>\
         <w:footnote w:id=\"3\"><w:p><w:r><w:t>Secret note.</w:t></w:r></w:p></w:footnote></w:footnotes>"
    );
    let parts = [
        rels(&format!(
            "<Relationship Id=\"rId9\" Type=\"{REL}/footnotes\" Target=\"footnotes.xml\"/>"
        )),
        ("word/footnotes.xml", notes),
    ];
    assert_eq!(
        markdown(&body, &parts),
        "Public.[^1]\n\n[^1]: Public note.\n\nPart 2 banner\n\nSecret.[^2]\n\n[^2]: Secret note.\n"
    );
}

#[test]
fn hiding_through_a_style_or_the_page_colour_is_refused() {
    let styles = format!(
        "<w:styles xmlns:w=\"{W}\"><w:style w:type=\"character\" w:styleId=\"Quiet\"><w:name w:val=\"Quiet\"/><w:rPr><w:vanish/></w:rPr></w:style></w:styles>"
    );
    let parts = [
        rels(&format!(
            "<Relationship Id=\"rId9\" Type=\"{REL}/styles\" Target=\"styles.xml\"/>"
        )),
        ("word/styles.xml", styles),
    ];
    let body = "<w:p><w:r><w:rPr><w:rStyle w:val=\"Quiet\"/></w:rPr><w:t>CANARY</w:t></w:r></w:p>";
    assert_eq!(codes(body, &parts), [Code::WordHiddenText]);
    let page = format!(
        "<w:document xmlns:w=\"{W}\"><w:background w:color=\"FFFF00\"/><w:body><w:p><w:r><w:rPr><w:color w:val=\"ffff00\"/></w:rPr><w:t>CANARY</w:t></w:r></w:p></w:body></w:document>"
    );
    assert_eq!(
        codes("", &[("word/document.xml", page)]),
        [Code::WordInvisibleText]
    );
    // A run that says it is shown is shown, whatever its style says.
    let shown = "<w:p><w:r><w:rPr><w:rStyle w:val=\"Quiet\"/><w:vanish w:val=\"0\"/></w:rPr><w:t>Seen</w:t></w:r></w:p>";
    assert_eq!(markdown(shown, &parts), "Seen\n");
}

#[test]
fn an_unknown_element_refuses_and_reasons_never_quote_the_text() {
    let body = "<w:p><w:r><w:t>x</w:t></w:r><w:future><w:t>CANARY-1</w:t></w:future></w:p>";
    let reasons = read(&package(body, &[])).unwrap_err();
    assert_eq!(reasons[0].code, Code::WordUnknownElement);
    assert!(reasons[0].message.contains("paragraph 1"), "{reasons:?}");
    assert!(!format!("{reasons:?}").contains("CANARY"));
}

#[test]
fn a_section_with_a_sensitive_header_is_restricted_and_later_sections_inherit_it() {
    let header = |text: &str| format!("<w:hdr xmlns:w=\"{W}\">{}</w:hdr>", p(text));
    let sect = |id: &str| {
        format!("<w:sectPr><w:headerReference w:type=\"default\" r:id=\"{id}\"/></w:sectPr>")
    };
    let body = format!(
        "{}<w:p><w:pPr>{}</w:pPr><w:r><w:t>End of Part 1</w:t></w:r></w:p>{}<w:p><w:pPr>{}</w:pPr><w:r><w:t>Restricted</w:t></w:r></w:p>{}<w:sectPr/>",
        p("Public"),
        sect("rIdH1"),
        p("Part 2 banner"),
        sect("rIdH2"),
        p("Last section"),
    );
    let parts = [
        rels(&format!(
            "<Relationship Id=\"rIdH1\" Type=\"{REL}/header\" Target=\"header1.xml\"/><Relationship Id=\"rIdH2\" Type=\"{REL}/header\" Target=\"header2.xml\"/>"
        )),
        ("word/header1.xml", header("OFFICIAL")),
        ("word/header2.xml", header("OFFICIAL-SENSITIVE")),
    ];
    let c = read(&package(&body, &parts)).unwrap();
    assert_eq!(
        c.markdown,
        "Public\n\nEnd of Part 1\n\nPart 2 banner\n\nRestricted\n\nLast section\n"
    );
    // Sections: (Public, End of Part 1) under header 1; (banner, Restricted) under header
    // 2; the last, with no header of its own, under header 2 still.
    assert_eq!(c.places.restricted, [(5, 5), (7, 7), (9, 9)]);
}

#[test]
fn bad_packages_are_refused_by_kind() {
    let external = rels(&format!(
        "<Relationship Id=\"rId9\" Type=\"{REL}/image\" Target=\"file:///C:/logo.png\" TargetMode=\"External\"/>"
    ));
    assert_eq!(
        codes(&p("x"), &[external]),
        [Code::WordExternalRelationship]
    );
    let hyperlink = rels(&format!(
        "<Relationship Id=\"rId9\" Type=\"{REL}/hyperlink\" Target=\"https://www.london.gov.uk/\" TargetMode=\"External\"/>"
    ));
    let link = "<w:p><w:hyperlink r:id=\"rId9\"><w:r><w:t>MOPAC</w:t></w:r></w:hyperlink></w:p>";
    assert_eq!(
        markdown(link, &[hyperlink]),
        "[MOPAC](<https://www.london.gov.uk/>)\n"
    );
    let macros = ("word/vbaProject.bin", "x".to_string());
    assert_eq!(codes(&p("x"), &[macros]), [Code::WordMacroOrCustomPart]);
    let policy = Policy {
        starts_part2: &part2,
        restricted_marking: &sensitive,
        limits: Limits {
            entries: 2,
            ..Limits::default()
        },
    };
    let r = convert(&package(&p("x"), &[]), &policy).unwrap_err();
    assert_eq!(r[0].code, Code::WordTooLarge);
}

fn styles_part(styles: &str) -> (&'static str, String) {
    (
        "word/styles.xml",
        format!("<?xml version=\"1.0\"?><w:styles xmlns:w=\"{W}\">{styles}</w:styles>"),
    )
}

fn run(rpr: &str, text: &str) -> String {
    format!("<w:p><w:r><w:rPr>{rpr}</w:rPr><w:t>{text}</w:t></w:r></w:p>")
}

/// What Word draws so that no one reads it, beyond hidden runs and white text: a light theme
/// colour, a dark or white highlight, patterned shading, text squeezed, fitted or lifted off
/// its line, lines squeezed, a paragraph pushed off the page, a table style that formats its
/// text, a row of no height. Each is refused; a yellow marker pen is not.
#[test]
fn text_drawn_so_that_no_one_reads_it_is_refused() {
    for rpr in [
        "<w:color w:val=\"000000\" w:themeColor=\"background1\"/>",
        "<w:color w:val=\"000000\" w:themeColor=\"text1\" w:themeTint=\"00\"/>",
        "<w:color w:val=\"FEFEFE\"/>",
        "<w:highlight w:val=\"black\"/>",
        "<w:shd w:val=\"solid\" w:color=\"000000\" w:fill=\"FFFFFF\"/>",
        "<w:w w:val=\"1\"/>",
        "<w:fitText w:val=\"1\" w:id=\"7\"/>",
        "<w:position w:val=\"-3000\"/>",
        "<w:spacing w:val=\"-200\"/>",
    ] {
        assert!(
            codes(&run(rpr, "CANARY"), &[]).contains(&Code::WordInvisibleText),
            "{rpr}"
        );
    }
    for ppr in [
        "<w:ind w:left=\"-30000\"/>",
        "<w:spacing w:line=\"1\" w:lineRule=\"exact\"/>",
        "<w:shd w:val=\"pct90\" w:color=\"000000\" w:fill=\"FFFFFF\"/>",
    ] {
        let body = format!("<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t>CANARY</w:t></w:r></w:p>");
        assert!(
            codes(&body, &[]).contains(&Code::WordInvisibleText),
            "{ppr}"
        );
    }
    let styled = format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TH\"/></w:tblPr><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        cell("a"),
        cell("b"),
        cell("c"),
        cell("CANARY")
    );
    let table_style = styles_part(
        "<w:style w:type=\"table\" w:styleId=\"TH\"><w:rPr><w:vanish/></w:rPr></w:style>",
    );
    let rels = rels(&format!(
        "<Relationship Id=\"rId9\" Type=\"{REL}/styles\" Target=\"styles.xml\"/>"
    ));
    assert!(codes(&styled, &[table_style, rels.clone()]).contains(&Code::WordInvisibleText));
    assert!(markdown(&run("<w:highlight w:val=\"yellow\"/>", "Marked"), &[]).contains("Marked"));
}

/// Two of anything that readers take differently (styles, notes, relationships, zip
/// entries) are refused: what a reviewer sees in Word must be what is published.
#[test]
fn two_of_a_thing_readers_take_differently_are_refused() {
    let twice = styles_part(
        "<w:style w:type=\"character\" w:styleId=\"Hid\"><w:rPr><w:vanish/></w:rPr></w:style><w:style w:type=\"character\" w:styleId=\"Hid\"/>",
    );
    let rels_styles = rels(&format!(
        "<Relationship Id=\"rId9\" Type=\"{REL}/styles\" Target=\"styles.xml\"/>"
    ));
    let body = "<w:p><w:r><w:rPr><w:rStyle w:val=\"Hid\"/></w:rPr><w:t>CANARY</w:t></w:r></w:p>";
    assert!(codes(body, &[twice, rels_styles]).contains(&Code::WordNotAPackage));
    let dup_rels = rels(&format!(
        "<Relationship Id=\"rId9\" Type=\"{REL}/hyperlink\" Target=\"https://a.example/\" TargetMode=\"External\"/><Relationship Id=\"rId9\" Type=\"{REL}/hyperlink\" Target=\"https://b.example/\" TargetMode=\"External\"/>"
    ));
    assert!(codes(&p("x"), &[dup_rels]).contains(&Code::WordNotAPackage));
}

/// A theme whose "dark" text colour is white hides every run written in "text 1".
#[test]
fn a_theme_with_a_light_text_colour_is_refused() {
    let theme = (
        "word/theme/theme1.xml",
        "<?xml version=\"1.0\"?><a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:themeElements><a:clrScheme name=\"x\"><a:dk1><a:srgbClr val=\"FFFFFF\"/></a:dk1><a:lt1><a:srgbClr val=\"FFFFFF\"/></a:lt1></a:clrScheme></a:themeElements></a:theme>".to_string(),
    );
    let rels = rels(&format!(
        "<Relationship Id=\"rId8\" Type=\"{REL}/theme\" Target=\"theme/theme1.xml\"/>"
    ));
    assert!(codes(&p("CANARY"), &[theme, rels]).contains(&Code::WordInvisibleText));
}

/// A page-number field shows its last result until Word updates it: text there is refused.
#[test]
fn a_page_number_field_whose_result_is_not_a_number_is_refused() {
    let simple =
        "<w:p><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>CANARY</w:t></w:r></w:fldSimple></w:p>";
    assert!(codes(simple, &[]).contains(&Code::WordField));
    let chars = "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>CANARY</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>";
    assert!(codes(chars, &[]).contains(&Code::WordField));
    let number = "<w:p><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>4</w:t></w:r></w:fldSimple></w:p>";
    assert!(markdown(number, &[]).contains('4'));
}

/// Capitals and small capitals, on the run or through a character or paragraph style, show
/// the letters in capitals: the text is read in capitals, as a reader of the document sees
/// it, so that every later rule reads what is shown. `w:val="0"` or `"false"` turns it off.
#[test]
fn text_shown_in_capitals_is_read_in_capitals() {
    assert_eq!(
        markdown(&run("<w:caps/>", "classified"), &[]),
        "CLASSIFIED\n"
    );
    assert_eq!(
        markdown(&run("<w:smallCaps/>", "restricted"), &[]),
        "RESTRICTED\n"
    );
    assert_eq!(
        markdown(&run("<w:caps w:val=\"0\"/>", "quiet"), &[]),
        "quiet\n"
    );
    let styles = styles_part(
        "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:rPr><w:caps/></w:rPr></w:style>\
         <w:style w:type=\"character\" w:styleId=\"Loud\"><w:name w:val=\"Loud\"/><w:rPr><w:smallCaps/></w:rPr></w:style>",
    );
    let parts = [
        styles,
        rels(&format!(
            "<Relationship Id=\"rId9\" Type=\"{REL}/styles\" Target=\"styles.xml\"/>"
        )),
    ];
    let title = "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t>Camera docking classified</w:t></w:r></w:p>";
    assert_eq!(markdown(title, &parts), "# CAMERA DOCKING CLASSIFIED\n");
    let loud = "<w:p><w:r><w:t xml:space=\"preserve\">Handling: </w:t></w:r><w:r><w:rPr><w:rStyle w:val=\"Loud\"/></w:rPr><w:t>restricted</w:t></w:r></w:p>";
    assert_eq!(markdown(loud, &parts), "Handling: RESTRICTED\n");
    // The run turns its style's capitals off.
    let off = "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:rPr><w:caps w:val=\"false\"/></w:rPr><w:t>Quiet title</w:t></w:r></w:p>";
    assert_eq!(markdown(off, &parts), "# Quiet title\n");
}

/// Text whose colour does not stand out from what it is shown on (its highlight, its run's
/// shading, its paragraph's or cell's, the page) is refused, by contrast ratio: one shade
/// off is as invisible as the same colour. Grey that a reader still reads is published.
#[test]
fn text_one_shade_off_its_background_is_refused() {
    let para = |ppr: &str, rpr: &str| {
        format!("<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr>{rpr}</w:rPr><w:t>CANARY</w:t></w:r></w:p>")
    };
    for body in [
        para(
            "<w:shd w:val=\"clear\" w:fill=\"FFFFFF\"/>",
            "<w:color w:val=\"FEFEFE\"/>",
        ),
        para(
            "<w:shd w:val=\"clear\" w:fill=\"000000\"/>",
            "<w:color w:val=\"010101\"/>",
        ),
        para(
            "",
            "<w:color w:val=\"FEFEFE\"/><w:shd w:val=\"clear\" w:fill=\"FFFFFF\"/>",
        ),
        para(
            "",
            "<w:color w:val=\"0A0A0A\"/><w:shd w:val=\"clear\" w:fill=\"000000\"/>",
        ),
        para("", "<w:color w:val=\"FFFF00\"/>"),
        para("", "<w:color w:val=\"C0C0C0\"/>"),
        para(
            "",
            "<w:color w:val=\"FE00FE\"/><w:highlight w:val=\"magenta\"/>",
        ),
        para("", "<w:color w:val=\"zz0000\"/>"),
        format!(
            "<w:tbl><w:tr><w:tc><w:tcPr><w:shd w:val=\"clear\" w:fill=\"1F1F1F\"/></w:tcPr>{}</w:tc></w:tr></w:tbl>",
            run("<w:color w:val=\"202020\"/>", "CANARY")
        ),
    ] {
        let reasons = read(&package(&body, &[])).unwrap_err();
        assert!(
            reasons.iter().any(|r| r.code == Code::WordInvisibleText),
            "{body}: {reasons:?}"
        );
        assert!(!format!("{reasons:?}").contains("CANARY"));
    }
    for (body, shown) in [
        (para("", "<w:color w:val=\"A6A6A6\"/>"), "CANARY"),
        (
            para(
                "<w:shd w:val=\"clear\" w:fill=\"000000\"/>",
                "<w:color w:val=\"FFFFFF\"/>",
            ),
            "CANARY",
        ),
        (
            para(
                "",
                "<w:color w:val=\"000000\"/><w:highlight w:val=\"yellow\"/>",
            ),
            "CANARY",
        ),
        (
            para(
                "",
                "<w:color w:val=\"FFFFFF\"/><w:shd w:val=\"clear\" w:fill=\"1F3864\"/>",
            ),
            "CANARY",
        ),
    ] {
        assert!(markdown(&body, &[]).contains(shown), "{body}");
    }
}

/// Fields and links that copy text from elsewhere in the document are placed on their
/// lines with the bookmark they name, and every bookmark with the lines it spans, for the
/// caller to rule on; a contents entry that names no bookmark is placed with none.
#[test]
fn copying_fields_and_bookmarks_are_placed_on_their_lines() {
    let field = |instr: &str, result: &str| {
        format!(
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\">{instr}</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t xml:space=\"preserve\">{result}</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        )
    };
    let body = [
        // 1: a contents field whose entries link to their headings' bookmarks.
        "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> TOC \\o \"1-3\" \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r></w:p>".to_string(),
        format!(
            "<w:p><w:hyperlink w:anchor=\"_Toc1\"><w:r><w:t>Summary</w:t></w:r>{}</w:hyperlink></w:p>",
            field(" PAGEREF _Toc1 \\h ", "1")
        ),
        // 3: an entry without a link or page number names no bookmark.
        "<w:p><w:r><w:t>Unlinked entry</w:t></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>".to_string(),
        // 5: the heading, bookmarked.
        "<w:p><w:bookmarkStart w:id=\"1\" w:name=\"_Toc1\"/><w:r><w:t>Summary</w:t></w:r><w:bookmarkEnd w:id=\"1\"/></w:p>".to_string(),
        // 7 and 9: a cross-reference, and a simple one.
        format!("<w:p><w:r><w:t xml:space=\"preserve\">See </w:t></w:r>{}</w:p>", field(" REF _Ref9 \\h ", "the figure")),
        "<w:p><w:fldSimple w:instr=\" NOTEREF _Ref8 \"><w:r><w:t>2</w:t></w:r></w:fldSimple></w:p>".to_string(),
        // 11 to 15: a bookmark over two paragraphs; one never ended; a page number copies nothing.
        "<w:bookmarkStart w:id=\"2\" w:name=\"_Ref9\"/>".to_string(),
        p("First"),
        "<w:p><w:r><w:t>Second</w:t></w:r><w:bookmarkEnd w:id=\"2\"/></w:p>".to_string(),
        "<w:p><w:bookmarkStart w:id=\"3\" w:name=\"Open\"/><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>3</w:t></w:r></w:fldSimple></w:p>".to_string(),
    ]
    .join("");
    let c = read(&package(&body, &[])).unwrap();
    assert_eq!(
        c.markdown,
        "Summary1\n\nUnlinked entry\n\nSummary\n\nSee the figure\n\n2\n\nFirst\n\nSecond\n\n3\n"
    );
    let copies: Vec<_> = c
        .places
        .copies
        .iter()
        .map(|c| (c.kind, c.target.as_deref(), c.line))
        .collect();
    assert_eq!(
        copies,
        [
            ("link to a bookmark (w:anchor)", Some("_Toc1"), 1),
            ("page reference (PAGEREF)", Some("_Toc1"), 1),
            ("table of contents entry (TOC)", None, 3),
            ("cross-reference (REF)", Some("_Ref9"), 7),
            ("note reference (NOTEREF)", Some("_Ref8"), 9),
        ]
    );
    let marks: Vec<_> = c
        .places
        .bookmarks
        .iter()
        .map(|b| (b.name.as_str(), b.first, b.last))
        .collect();
    assert_eq!(
        marks,
        [
            ("_Toc1", 5, Some(5)),
            ("_Ref9", 11, Some(13)),
            ("Open", 15, None)
        ]
    );
}

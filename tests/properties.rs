//! Properties stated as promises, checked on generated reports.

use jiff::civil::date;
use mopac_redact::process;
use mopac_redactor::config::Classifications;
use mopac_redactor::markdown::{parser, segment};
use mopac_types::manifest::Status;
use proptest::prelude::*;
use pulldown_cmark::Event;

/// Markdown fragments that stress block boundaries: lazy continuations, containers,
/// unclosed constructs, definitions, raw HTML, tables, footnotes.
const FRAGMENTS: &[&str] = &[
    "A plain paragraph about the contract.",
    "# A heading",
    "Setext heading\n---",
    "> quoted text\ncontinued lazily",
    "- item one\n- item two\n\n  continued item",
    "1. first\n2. second",
    "```\ncode that is never closed",
    "```rust\nfn main() {}\n```",
    "    indented code",
    "<div>\nraw html block",
    "<!-- a comment that is never closed",
    "<!-- closed comment -->",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Text with a footnote[^n].",
    "[^n]: The footnote text.",
    "[ref]: https://example.org/ref \"Title\"",
    "A [reference link][ref] and ![an image](pic.png \"alt title\").",
    "***",
    "**Bold line**\ndirectly under",
    "Text with <span>inline html</span> and `code`.",
    "  \t  ",
    "- 1. Approve the award.**",
    "Contributes to the plan¹",
    "¹ [A footnote link](#)",
];

fn body(parts: Vec<usize>) -> String {
    parts
        .into_iter()
        .map(|i| FRAGMENTS[i])
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn fragments() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..FRAGMENTS.len(), 0..8)
}

const SECRET: &str = "Vexillographic Holdings Quorum";

/// Raw HTML elements, allowed and not: phrasing, blocks, metadata, frames, a made-up name.
const TAGS: &[&str] = &[
    "b",
    "span",
    "a",
    "sup",
    "em",
    "code",
    "div",
    "img",
    "font",
    "meta",
    "style",
    "iframe",
    "details",
    "p",
    "table",
    "noscript",
    "template",
    "quillwort-note",
];

/// Attributes, allowed and not: only an `a`'s safe `href` is allowed, and it alone carries
/// no secret.
const ATTRS: &[(&str, &str)] = &[
    ("href", "https://www.london.gov.uk/programmes"),
    ("href", "javascript:alert('Quillwort')"),
    ("id", "quillwort-612900"),
    ("name", "Quillwort"),
    ("class", "Quillwort"),
    ("style", "color:white /* Quillwort */"),
    ("title", "Quillwort"),
    ("alt", "Quillwort"),
    ("data-bid", "Quillwort"),
    ("aria-label", "Quillwort"),
    ("quillwort", ""),
];

/// A piece of raw HTML: an element with attributes around shown words, inline in a
/// paragraph or as a block of its own.
fn raw_html(tag: usize, attrs: &[usize], block: bool) -> String {
    let name = TAGS[tag];
    let attrs: String = attrs
        .iter()
        .map(|&i| match ATTRS[i] {
            (n, "") => format!(" {n}"),
            (n, v) => format!(" {n}=\"{v}\""),
        })
        .collect();
    if block {
        format!("<{name}{attrs}>\n\nThe kiosks are replaced suite by suite.\n\n</{name}>")
    } else {
        format!("The kiosks are <{name}{attrs}>replaced</{name}> suite by suite.")
    }
}

fn html_pieces() -> impl Strategy<Value = Vec<(usize, Vec<usize>, bool)>> {
    prop::collection::vec(
        (
            0..TAGS.len(),
            prop::collection::vec(0..ATTRS.len(), 0..3),
            any::<bool>(),
        ),
        1..4,
    )
}

/// Words that say a part of a report is restricted, in the dress of other eras and of
/// careless conversion: none is a banner this tool recognises with a marking under it.
const TELLS: &[&str] = &[
    "PART II CONFIDENTIAL FACTS AND ADVICE TO THE DMPC",
    "Part Two confidential facts and advice",
    "12. Part 2 Confidential facts and advice to the DMPC",
    "Confidential facts and advice to the Deputy Mayor for Policing and Crime",
    "CONFIDENTIAL APPENDIX – EXEMPT INFORMATION",
    "Appendix 1 – Exempt information (not for publication)",
    "Section 2 – Restricted",
    "Protective marking: RESTRICTED",
    "Protect – Personal",
    "SECRET",
    "Secret",
    "This annex is not for publication.",
    "Provided in confidence by the supplier.",
    "The Government Security Classification marking for Part 2 is:",
    "- Part 2",
    "**PART II**",
    "Commercially sensitive figures follow.",
    "Protective marking: RESTRIC-\nTED",
    "CONFI-\nDENTIAL annex",
    "## **Confi**dential annex",
    "## Part 2A",
    "## Pt. II",
    "Commercial-in-confidence",
    "Annex – unsuitable for publication",
    "Not-for-publication",
    "## Part \u{0662}",
    "P A R T  2",
    "S E C R E T",
    "OS [COMMERCIAL]",
];

/// The words of a marking, to be written in disguise.
const GUARDED: &[&str] = &[
    "OFFICIAL",
    "SENSITIVE",
    "SECRET",
    "RESTRICTED",
    "CONFIDENTIAL",
];

/// `word` in disguise: `how` picks the kind, `at` the letter it falls on.
fn disguise(word: &str, how: usize, at: usize) -> String {
    let letters: Vec<char> = word.chars().collect();
    let at = at % letters.len();
    let stand_in = |c: char| match c {
        'O' => '0',
        'I' => ['1', 'l', '|'][at % 3],
        'S' => '5',
        'E' => '3',
        'T' => '\u{0166}',
        'A' => '4',
        'C' => '\u{023B}',
        'R' => '\u{024C}',
        'D' => '\u{0110}',
        'L' => '\u{0141}',
        'N' => '\u{019E}',
        'F' => '\u{0191}',
        'V' => '\u{01B2}',
        other => other,
    };
    match how {
        // Letters spaced out.
        0 => letters
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(" "),
        // One letter stood in for.
        _ => letters
            .iter()
            .enumerate()
            .map(|(i, &c)| if i == at { stand_in(c) } else { c })
            .collect(),
    }
}

/// Markup that carries a value of its own, put on the banner, the statement or the marking.
const DRESSES: &[&str] = &[
    "<a id=\"CANARYvalue\"></a>{}",
    "<a name=CANARYvalue></a>{}",
    "{}<span id=\"&#67;ANARYvalue\"></span>",
    "{}<canaryvalue-tag></canaryvalue-tag>",
    "<span title=\"CANARYvalue\">{}</span>",
    "[{}](https://example.org/CANARYvalue)",
    "[{}][canaryvalue]",
    "```CANARYvalue\n{}\n```",
    "| {} |\n|---|\n| <b id=CANARYvalue></b> |",
    "{} ![x](CANARYvalue.png)",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// For any input, the segments are in order, do not overlap, and rebuild it exactly.
    #[test]
    fn segments_rebuild_any_input(src in "(?s).{0,200}") {
        if let Ok(segments) = segment(&src) {
            let rebuilt: String = segments.iter().map(|s| &src[s.range.clone()]).collect();
            prop_assert_eq!(rebuilt, src);
        }
    }

    /// Whatever Part 1 and Part 2 hold, nothing of Part 2 is published: the report is
    /// published without it, or quarantined.
    #[test]
    fn nothing_from_part2_is_published(part1 in fragments(), part2 in fragments(), secret_at in 0usize..8) {
        let mut restricted: Vec<String> = body(part2).split("\n\n").map(String::from).collect();
        let at = secret_at.min(restricted.len());
        restricted.insert(at, format!("The preferred bidder is {SECRET}, [at](https://vexillographic.example/bid) £9,871,234."));
        let public = format!(
            "MAYOR OF LONDON\n\nMPS Property Test\n\n\
             Part 1 – This section of the report will be published by MOPAC. It is classified as OFFICIAL – PUBLIC\n\n{}\n\n",
            body(part1)
        );
        let doc = format!(
            "{public}Part 2 – This section refers to the details of the Part 2 business case which is NOT SUITABLE for MOPAC Publication.\n\n\
             The Government Security Classification marking for Part 2 is:\n\nOFFICIAL-SENSITIVE [COMMERCIAL]\n\n{}\n",
            restricted.join("\n\n")
        );
        let config = Classifications::defaults().unwrap();
        let p = process("prop", doc.as_bytes(), "prop", &config, date(2026, 11, 25));
        let manifest = serde_json::to_string(&p.entry).unwrap();
        prop_assert!(!manifest.contains("Vexillographic"));
        for (_, bytes) in &p.outputs {
            let text = String::from_utf8_lossy(bytes);
            prop_assert!(!text.contains("Vexillographic") && !text.contains("vexillographic"), "leak in {}", text);
            prop_assert!(!text.contains("9,871,234"));
        }
        if p.entry.status == Status::Published {
            let md = String::from_utf8(p.outputs[0].1.clone()).unwrap();
            // Byte for byte, but for definitions only Part 2 referred to, which go with it.
            let orphaned: Vec<[usize; 2]> = p.entry.withheld.iter().filter(|w| w.kind == mopac_types::RemovalKind::OrphanedDefinition).map(|w| w.lines).collect();
            let expected: String = public
                .split_inclusive('\n')
                .enumerate()
                .filter(|(i, _)| !orphaned.iter().any(|[a, b]| (*a..=*b).contains(&(i + 1))))
                .map(|(_, l)| l)
                .collect();
            prop_assert!(md.starts_with(&expected), "public part not kept byte for byte");
            // Hidden text is never published ("<!--" in code is shown text, not a comment).
            let comment = parser(&md).any(|e| matches!(e, Event::Html(t) | Event::InlineHtml(t) if t.contains("<!--")));
            prop_assert!(!comment, "an HTML comment was published: {}", md);
            prop_assert!(!String::from_utf8_lossy(&p.outputs[1].1).contains("<!--"));
        } else {
            prop_assert_eq!(p.entry.status, Status::Quarantined);
            prop_assert!(!p.entry.reasons.is_empty());
        }
    }

    /// Any raw HTML outside the allow-list in Part 1 is never published: a report whose
    /// cover or Part 1 holds an element or an attribute the allow-list does not name is
    /// quarantined, and what is published holds only allowed tags, with no attribute value
    /// but a safe link's address.
    #[test]
    fn raw_html_outside_the_allow_list_is_never_published(pieces in html_pieces(), in_cover in any::<bool>()) {
        let html: Vec<String> = pieces.iter().map(|(t, a, b)| raw_html(*t, a, *b)).collect();
        let (cover, part1) = if in_cover { (html.join("\n\n"), String::new()) } else { (String::new(), html.join("\n\n")) };
        let doc = format!(
            "MAYOR OF LONDON\n\nMPS Property Test\n\n{cover}\n\n\
             Part 1 – This section of the report will be published by MOPAC. It is classified as OFFICIAL – PUBLIC\n\n\
             Executive summary\n\n{part1}\n\n\
             Part 2 – This section refers to the details of the Part 2 business case which is NOT SUITABLE for MOPAC Publication.\n\n\
             The Government Security Classification marking for Part 2 is:\n\nOFFICIAL-SENSITIVE [COMMERCIAL]\n\n\
             Three bids were received.\n"
        );
        let config = Classifications::defaults().unwrap();
        let p = process("html", doc.as_bytes(), "html", &config, date(2026, 11, 25));
        let manifest = serde_json::to_string(&p.entry).unwrap().to_lowercase();
        prop_assert!(!manifest.contains("quillwort"));
        for (_, bytes) in &p.outputs {
            prop_assert!(!String::from_utf8_lossy(bytes).to_lowercase().contains("quillwort"));
        }
        if p.entry.status == Status::Published {
            let md = String::from_utf8(p.outputs[0].1.clone()).unwrap();
            for event in parser(&md) {
                if let Event::Html(t) | Event::InlineHtml(t) = event {
                    for token in mopac_redactor::html::read(&t) {
                        prop_assert_eq!(token.not_allowed(), None, "{}", md);
                    }
                }
            }
        } else {
            prop_assert_eq!(p.entry.status, Status::Quarantined);
        }
    }

    /// Arbitrary bytes never panic the pipeline and never publish without the checks.
    #[test]
    fn any_bytes_end_in_a_verdict(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let config = Classifications::defaults().unwrap();
        let p = process("bytes", &bytes, "bytes", &config, date(2026, 11, 25));
        prop_assert!(p.entry.reasons.iter().all(|r| r.code.as_str() != "panic"));
    }

    /// A report with no recognised Part 2 that still carries a restricted tell is never
    /// published with what follows the tell: it is quarantined, or the tell is a recognised
    /// banner and what follows is withheld.
    #[test]
    fn no_restricted_tell_without_part2_is_published(part1 in fragments(), tell in 0..TELLS.len(), at in 0usize..8) {
        let mut blocks: Vec<String> = body(part1).split("\n\n").map(String::from).collect();
        let at = at.min(blocks.len());
        blocks.insert(at, format!("{}\n\nThe preferred bidder is {SECRET} at £9,871,234.", TELLS[tell]));
        let doc = format!(
            "MAYOR OF LONDON\n\nMPS Property Test\n\n\
             Part 1 – This section of the report will be published by MOPAC. It is classified as OFFICIAL – PUBLIC\n\n{}\n",
            blocks.join("\n\n")
        );
        let config = Classifications::defaults().unwrap();
        let p = process("prop", doc.as_bytes(), "prop", &config, date(2026, 11, 25));
        for (_, bytes) in &p.outputs {
            let text = String::from_utf8_lossy(bytes);
            prop_assert!(!text.contains("Vexillographic") && !text.contains("9,871,234"), "leak in {}", text);
        }
    }

    /// No output holds an attribute value, link target, info string or tag name put on the
    /// Part 2 banner, the marking statement or the marking.
    #[test]
    fn no_value_of_the_banner_statement_or_marking_is_published(dress in 0..DRESSES.len(), on in 0usize..3) {
        let mut parts = [
            "Part 2 – This section refers to the details of the Part 2 business case which is NOT SUITABLE for MOPAC Publication.".to_string(),
            "The Government Security Classification marking for Part 2 is:".to_string(),
            "OFFICIAL-SENSITIVE [COMMERCIAL]".to_string(),
        ];
        parts[on] = DRESSES[dress].replace("{}", &parts[on]);
        let doc = format!(
            "MAYOR OF LONDON\n\nMPS Property Test\n\n\
             Part 1 – This section of the report will be published by MOPAC. It is classified as OFFICIAL – PUBLIC\n\n\
             A plain paragraph about the contract.\n\n{}\n\n{}\n\n{}\n\nThe bid was £9,871,234.\n\n[canaryvalue]: https://example.org/CANARYvalue\n",
            parts[0], parts[1], parts[2]
        );
        let config = Classifications::defaults().unwrap();
        let p = process("prop", doc.as_bytes(), "prop", &config, date(2026, 11, 25));
        for (_, bytes) in &p.outputs {
            let text = String::from_utf8_lossy(bytes).to_lowercase();
            prop_assert!(!text.contains("canaryvalue") && !text.contains("&#67;anary"), "leak in {}", text);
        }
    }

    /// A marking's word written in disguise in Part 1 (a digit, a look-alike or stroked
    /// letter for one of its letters, or its letters spaced out) is never published: a reader
    /// takes it for the marking.
    #[test]
    fn no_disguised_marking_is_published(word in 0..GUARDED.len(), how in 0usize..2, at in 0usize..12, part1 in fragments()) {
        let disguised = disguise(GUARDED[word], how, at);
        prop_assume!(disguised != GUARDED[word]);
        let doc = format!(
            "MAYOR OF LONDON\n\nMPS Property Test\n\n\
             Part 1 – This section of the report will be published by MOPAC. It is classified as OFFICIAL – PUBLIC\n\n{}\n\n{disguised}\n\nThe preferred bidder is {SECRET}.\n\n\
             Part 2 – This section refers to the details of the Part 2 business case which is NOT SUITABLE for MOPAC Publication.\n\n\
             The Government Security Classification marking for Part 2 is:\n\nOFFICIAL-SENSITIVE [COMMERCIAL]\n\nThe bid was £9,871,234.\n",
            body(part1)
        );
        let config = Classifications::defaults().unwrap();
        let p = process("prop", doc.as_bytes(), "prop", &config, date(2026, 11, 25));
        prop_assert_ne!(p.entry.status, Status::Published, "published with {}", disguised);
    }
}

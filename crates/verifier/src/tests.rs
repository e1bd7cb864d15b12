use super::*;

/// The policy the shipped configuration gives: its sensitive tiers' patterns.
fn config() -> Policy {
    Policy {
        sensitive_patterns: vec![
            "official ?- ?sensitive|official sensitive".into(),
            "top ?- ?secret|top secret".into(),
            "(?-i:SECRET)".into(),
        ],
        line_patterns: Vec::new(),
    }
}

/// The page read and checked against the allow-list alone.
fn active_html(html: &str) -> Option<&'static str> {
    allow::problem(&html::read(html))
}

fn removal(source: &str, from: &str) -> Removal {
    let start = source.find(from).unwrap();
    Removal {
        kind: RemovalKind::Part2,
        range: start..source.len(),
        lines: (5, 6),
        sha256: String::new(),
    }
}

/// The evidence of a report without Part 2: `md` is its source and its Markdown.
fn public_only<'a>(md: &'a str, html: &'a str) -> Evidence<'a> {
    Evidence {
        source: md,
        removals: &[],
        notice: Some(""),
        markdown: md,
        html,
    }
}

fn finds_a_marking(e: &Evidence<'_>) -> bool {
    verify(e, &config())
        .iter()
        .any(|f| f.code == Code::MarkingInOutput)
}

/// Removals withholding `source` from `from` on, and the faithful Markdown: the kept
/// part, then the notice.
fn faithful(source: &str, from: &str) -> ([Removal; 1], String) {
    let r = [removal(source, from)];
    let md = format!("{}\nNOTICE text\n", &source[..r[0].range.start]);
    (r, md)
}

const SOURCE: &str = "Title\n\nPublic text about the project.\n\nPart 2\n\nOFFICIAL-SENSITIVE [COMMERCIAL]\n\nThe preferred bidder Halberd Secure Systems offered £1,284,560 for the first year.\n";

#[test]
fn a_faithful_release_passes() {
    let (r, md) = faithful(SOURCE, "The preferred");
    let html = "<p>Title</p><p>Public text about the project.</p><p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL]</p><p>NOTICE text</p>";
    let e = Evidence {
        source: SOURCE,
        removals: &r,
        notice: Some("NOTICE text\n"),
        markdown: &md,
        html,
    };
    assert_eq!(verify(&e, &config()), []);
}

#[test]
fn withheld_text_in_the_html_is_caught() {
    let (r, md) = faithful(SOURCE, "The preferred");
    let html = "<p>Public</p><p>Halberd&#32;Secure Systems</p>";
    let e = Evidence {
        source: SOURCE,
        removals: &r,
        notice: Some("NOTICE text\n"),
        markdown: &md,
        html,
    };
    let findings = verify(&e, &config());
    assert!(
        findings.iter().any(|f| f.output == "html" && f.line == 5),
        "{findings:?}"
    );
}

/// Words a page joins across a removed link address are public when a public block holds
/// them: a Part 2 that repeats a public sentence is no leak.
#[test]
fn public_link_text_repeated_in_part_2_is_no_leak() {
    let source = "Title\n\n[The contract with Halberd Secure Systems](https://x.example/a) was signed in May.\n\n\
                  Part 2\n\nOFFICIAL-SENSITIVE [COMMERCIAL]\n\n\
                  The contract with Halberd Secure Systems was signed in May.\n";
    let (r, md) = faithful(source, "The contract with Halberd Secure Systems was");
    let page = "<p>Title</p><p><a href=\"https://x.example/a\">The contract with Halberd Secure Systems</a> was signed in May.</p>\
                <p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL]</p><p>NOTICE text</p>";
    let e = Evidence {
        source,
        removals: &r,
        notice: Some("NOTICE text\n"),
        markdown: &md,
        html: page,
    };
    assert_eq!(verify(&e, &config()), []);
    // The same words with a withheld detail added are still caught.
    let leaked = page.replace("in May.", "in May for £1,284,560.");
    let source = format!("{} for £1,284,560.\n", source.strip_suffix(".\n").unwrap());
    assert_eq!(source.matches("£1,284,560").count(), 1);
    let (r, md) = faithful(&source, "The contract with Halberd Secure Systems was");
    let e = Evidence {
        source: &source,
        removals: &r,
        notice: Some("NOTICE text\n"),
        markdown: &md,
        html: &leaked,
    };
    assert!(!verify(&e, &config()).is_empty());
}

/// A marking of another tier beside the allowed Part 2 marking is one marking too many.
#[test]
fn a_second_marking_of_another_tier_is_caught() {
    let (r, md) = faithful(SOURCE, "The preferred");
    let clean = "<p>Title</p><p>Public text about the project.</p><p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL]</p><p>NOTICE text</p>";
    let e = Evidence {
        source: SOURCE,
        removals: &r,
        notice: Some("NOTICE text\n"),
        markdown: &md,
        html: clean,
    };
    assert_eq!(verify(&e, &config()), []);
    for extra in ["TOP SECRET", "SECRET", "official sensitive"] {
        let html = clean.replace("NOTICE text", &format!("NOTICE text {extra}"));
        let e = Evidence { html: &html, ..e };
        assert!(
            verify(&e, &config())
                .iter()
                .any(|f| f.output == "html" && f.code == Code::MarkingInOutput),
            "{extra}"
        );
    }
}

/// Withheld text in an attribute, split by an empty tag, or broken by an invisible
/// character is still withheld text in the page.
#[test]
fn withheld_text_however_the_page_hides_it_is_caught() {
    let (r, md) = faithful(SOURCE, "The preferred");
    let base = "<p>Title</p><p>Public text about the project.</p><p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL]</p><p>NOTICE text</p>";
    let e = Evidence {
        source: SOURCE,
        removals: &r,
        notice: Some("NOTICE text\n"),
        markdown: &md,
        html: base,
    };
    assert_eq!(verify(&e, &config()), []);
    for hidden in [
        "<abbr title=\"The preferred bidder Halberd Secure Systems offered\">NOTICE</abbr> text",
        "NOTICE text Hal<span></span>berd Se<b></b>cure Sys<i></i>tems",
        "NOTICE text \u{00A3}1,28\u{200E}4,560",
        "NOTICE text OFFICIAL-SEN\u{200E}SITIVE",
    ] {
        let html = base.replace("NOTICE text", hidden);
        let e = Evidence { html: &html, ..e };
        assert!(!verify(&e, &config()).is_empty(), "{hidden}");
    }
}

/// Markings are counted tier by tier: with two tiers in the Part 2 marking, a page may
/// not trade one of them for another of the other tier.
#[test]
fn markings_are_counted_tier_by_tier() {
    let source = "Title\n\nPublic text.\n\nPart 2\n\nOFFICIAL-SENSITIVE [COMMERCIAL] SECRET\n\nWithheld words here.\n";
    let (r, md) = faithful(source, "Withheld");
    let good = "<p>Title</p><p>Public text.</p><p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL] SECRET</p><p>NOTICE text</p>";
    let e = Evidence {
        source,
        removals: &r,
        notice: Some("NOTICE text\n"),
        markdown: &md,
        html: good,
    };
    assert_eq!(verify(&e, &config()), []);
    let traded = "<p>Title</p><p>Public text. OFFICIAL-SENSITIVE</p><p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL] Secret</p><p>NOTICE text</p>";
    let e = Evidence { html: traded, ..e };
    assert!(finds_a_marking(&e));
}

/// A `>` inside a quoted attribute value does not end the tag: what follows it is the
/// attribute's, not the page's text, and the tag read as nothing still joins the words.
#[test]
fn a_tag_ends_where_a_browser_ends_it() {
    let html = r#"<p>Public OFFICIAL-SEN<span title="a>b"></span>SITIVE text</p>"#;
    let md = "Public text\n";
    let e = public_only(md, html);
    assert!(finds_a_marking(&e));
    // Withheld text behind a quoted `>` is read as the attribute it is: a finding.
    let (r, md) = faithful(SOURCE, "The preferred");
    let base = "<p>Title</p><p>Public text about the project.</p><p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL]</p><p>NOTICE text</p>";
    let html = base.replace(
        "NOTICE text",
        "NOTICE text<a id=\"p>2\" title=\"Lindqvist offered 612,900\"></a>",
    );
    let e = Evidence {
        source: SOURCE,
        removals: &r,
        notice: Some("NOTICE text\n"),
        markdown: &md,
        html: &html,
    };
    let findings = verify(&e, &config());
    assert!(
        findings.iter().any(|f| f.code == Code::ActiveHtml),
        "{findings:?}"
    );
}

/// An attribute outside the allow-list is a finding, whatever it holds: an anchor name that
/// is not a name, a title on an anchor that links nowhere.
#[test]
fn an_attribute_outside_the_allow_list_is_caught() {
    let md = "Public\n";
    let html = r#"<p>Public<a id="p>2" title="Lindqvist offered 612,900"></a></p>"#;
    let findings = verify(&public_only(md, html), &config());
    assert_eq!(
        findings.iter().map(|f| f.code).collect::<Vec<_>>(),
        [Code::ActiveHtml],
        "{findings:?}"
    );
    for bad in [
        r#"<a id="p>2"></a>"#,
        r#"<a title="Lindqvist offered 612,900"></a>"#,
        r#"<p data-bid="612900">x</p>"#,
        r#"<span aria-label="hidden words">x</span>"#,
        r#"<p class="visually-hidden">x</p>"#,
    ] {
        assert!(active_html(bad).is_some(), "{bad}");
    }
    for good in [
        r#"<a id="part-2"></a>"#,
        r#"<a href="https://x.example" title="Custody estate">x</a>"#,
        r#"<div class="table-scroll" role="region" aria-label="Table 1" tabindex="0"></div>"#,
        r##"<a class="footnote-back" href="#fn-ref-1" aria-label="Back to reference 1">x</a>"##,
    ] {
        assert_eq!(active_html(good), None, "{good}");
    }
}

/// A notice not known to the check (an audit) is read from the Markdown: it must follow the
/// kept text in a notice's shape, and is never taken for public text.
#[test]
fn a_notice_read_from_the_markdown_is_checked_like_any_published_text() {
    let (r, md) = faithful(SOURCE, "The preferred");
    let md = md.replace(
        "NOTICE text\n",
        "Part 2 of Title is exempt:\n\n- Exempt under a reason.\n",
    );
    let html = "<p>Title</p><p>Public text about the project.</p><p>Part 2</p><p>OFFICIAL-SENSITIVE [COMMERCIAL]</p>\
                <p>Part 2 of Title is exempt:</p><ul><li>Exempt under a reason.</li></ul>";
    let e = Evidence {
        source: SOURCE,
        removals: &r,
        notice: None,
        markdown: &md,
        html,
    };
    assert_eq!(verify(&e, &config()), []);
    let leaked = md.replace(
        "a reason.",
        "a reason: Halberd Secure Systems offered £1,284,560.",
    );
    let e = Evidence {
        markdown: &leaked,
        ..e
    };
    let findings = verify(&e, &config());
    assert!(
        findings
            .iter()
            .any(|f| f.output == "markdown" && f.code == Code::WithheldTextInOutput),
        "{findings:?}"
    );
    let missing = md[..md.find("Part 2 of Title").unwrap()].to_string();
    let e = Evidence {
        markdown: &missing,
        ..e
    };
    assert!(
        verify(&e, &config())
            .iter()
            .any(|f| f.code == Code::MarkdownNotFaithful)
    );
}

#[test]
fn a_marking_in_an_attribute_is_caught() {
    let md = "Public\n";
    let html = "<p title=\"OFFICIAL&#8209;SENSITIVE\">Public</p>";
    let e = public_only(md, html);
    assert!(!verify(&e, &config()).is_empty());
}

#[test]
fn active_html_is_caught_and_table_alignment_is_not() {
    for bad in [
        "<p>a<!-- x --></p>",
        "<SCRIPT>x</SCRIPT>",
        "<p onclick=\"x\">a</p>",
        "<a href=\" javascript:x\">a</a>",
        "<img src=data:image/png;base64,AA>",
        "<div style=\"display:none\">a</div>",
        "<td style=\"text-align: left; display: none\">a</td>",
        "<iframe src=x>",
        "<details>a</details>",
    ] {
        assert!(active_html(bad).is_some(), "{bad}");
    }
    assert_eq!(
        active_html("<th style=\"text-align: center\">a</th><p>onclick= is text</p>"),
        None
    );
}

#[test]
fn a_marking_split_by_a_tag_or_in_capitals_is_caught() {
    for md in [
        "Public OFFICIAL-SEN<span></span>SITIVE text\n",
        "Public TOP SECRET text\n",
        "The SECRET annex\n",
    ] {
        let html = format!("<p>{md}</p>");
        let e = public_only(md, &html);
        let findings = verify(&e, &config());
        assert!(
            findings.iter().any(|f| f.code == Code::MarkingInOutput),
            "{md}: {findings:?}"
        );
    }
    let md = "the secret of good policing\n";
    let html = format!("<p>{md}</p>");
    let e = public_only(md, &html);
    assert_eq!(verify(&e, &config()), []);
}

#[test]
fn a_block_missing_from_the_page_is_caught() {
    let md = "First paragraph.\n\n- item *one*\n\nLast paragraph.\n";
    let e = public_only(
        md,
        "<p>First paragraph.</p><ul><li>item <em>one</em></li></ul>",
    );
    let findings = verify(&e, &config());
    assert!(
        findings.iter().any(|f| f.code == Code::PageIncomplete),
        "{findings:?}"
    );
    let html = "<p>First paragraph.</p><ul><li>item <em>one</em></li></ul><p>Last paragraph.</p>";
    let e = Evidence { html, ..e };
    assert_eq!(verify(&e, &config()), []);
}

#[test]
fn a_kept_withheld_byte_is_caught() {
    let r = [removal(SOURCE, "The preferred")];
    let md = format!("{SOURCE}\nNOTICE text\n");
    let e = Evidence {
        source: SOURCE,
        removals: &r,
        notice: Some("NOTICE text\n"),
        markdown: &md,
        html: "",
    };
    let findings = verify(&e, &config());
    assert!(
        findings.iter().any(|f| f.code == Code::MarkdownNotFaithful),
        "{findings:?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.code == Code::WithheldTextInOutput),
        "{findings:?}"
    );
}

/// The page's own stylesheet link is the one exception; every other link, every style
/// element and every script is still caught, with the link beside them or not.
#[test]
fn only_the_tools_own_stylesheet_link_is_allowed() {
    for own in [
        "<link rel=\"stylesheet\" href=\"style.css\">",
        "<link rel=\"stylesheet\" href=\"../../style.css\">",
    ] {
        assert_eq!(active_html(own), None, "{own}");
    }
    let own = "<head><link rel=\"stylesheet\" href=\"../style.css\"></head>";
    for bad in [
        "<link rel=\"stylesheet\" href=\"https://cdn.example/style.css\">",
        "<link rel=\"stylesheet\" href=\"//cdn.example/style.css\">",
        "<link rel=\"stylesheet\" href=\"/style.css\">",
        "<link rel=\"stylesheet\" href=\"other.css\">",
        "<link rel=\"stylesheet\" href=\"../style.css\" media=\"print\">",
        "<link rel=\"preload\" href=\"../style.css\">",
        "<style>.x{display:none}</style>",
        "<STYLE>p{}</STYLE>",
        "<script src=\"x.js\"></script>",
        "<p style=\"color:#fff\">white</p>",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://x.example\">",
        "<meta content=\"0;url=https://x.example\" http-equiv=\"refresh\">",
    ] {
        assert!(active_html(bad).is_some(), "{bad}");
        assert!(active_html(&format!("{own}{bad}")).is_some(), "{bad}");
    }
}

fn index_page(list: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"style.css\"></head><body>\
         <a href=\"#main-content\">Skip</a><main id=\"main-content\"><ol class=\"report-list\">{list}</ol>\
         <ul><li>1 withheld in full</li></ul></main></body></html>"
    )
}

#[test]
fn the_index_names_no_report_that_was_not_published() {
    let c = config();
    let listed = "<li><a href=\"a/b.html\">MPS Custody Telephony Replacement</a></li>";
    let published = [("a/b.html", "MPS Custody Telephony Replacement")];
    assert_eq!(
        index(
            &index_page(listed),
            &published,
            &["MPS Custody CCTV Upgrade"],
            &c
        ),
        []
    );
    // The title of a withheld report, in any markup or case, is caught.
    let leaked = format!("{listed}<li>mps custody <b>CCTV</b> upgrade</li>");
    let findings = index(
        &index_page(&leaked),
        &published,
        &["MPS Custody CCTV Upgrade"],
        &c,
    );
    assert!(
        findings
            .iter()
            .any(|f| f.code == Code::UnpublishedTitleInIndex),
        "{findings:?}"
    );
    // A Part 2 form named like its published report is no leak.
    assert_eq!(
        index(
            &index_page(listed),
            &published,
            &["MPS Custody Telephony Replacement"],
            &c
        ),
        []
    );
}

#[test]
fn the_index_links_to_every_published_page_and_nothing_else() {
    let c = config();
    let published = [("a/b.html", "Report B"), ("c d.html", "Report D")];
    let good =
        "<li><a href=\"a/b.html\">Report B</a></li><li><a href=\"c%20d.html\">Report D</a></li>";
    assert_eq!(index(&index_page(good), &published, &[], &c), []);
    let missing = "<li><a href=\"a/b.html\">Report B</a></li>";
    assert!(!index(&index_page(missing), &published, &[], &c).is_empty());
    let extra = format!("{good}<li><a href=\"withheld/x.html\">X</a></li>");
    assert!(!index(&index_page(&extra), &published, &[], &c).is_empty());
    let active = format!("{good}<li><script>x</script></li>");
    assert!(!index(&index_page(&active), &published, &[], &c).is_empty());
    let marking = format!("{good}<li>OFFICIAL-SENSITIVE</li>");
    assert!(!index(&index_page(&marking), &published, &[], &c).is_empty());
}

/// A marking written in disguise in Part 1 is found in the outputs however the redactor
/// read it: the verifier does not trust the redactor to have refused it.
#[test]
fn a_disguised_marking_in_the_public_part_is_caught() {
    for disguise in [
        "0FFICIAL-5EN5ITIVE",
        "OFFICIAL-SENSlTIVE",
        "S E C R E T",
        "SENS|TIVE",
    ] {
        let md = format!("Title\n\n{disguise}\n\nPublic text about the project.\n");
        let html = format!("<p>Title</p><p>{disguise}</p><p>Public text about the project.</p>");
        assert!(finds_a_marking(&public_only(&md, &html)), "{disguise}");
    }
    let md = "Title\n\nOfficial figures show sensitive matters are kept secret.\n";
    let html = "<p>Title</p><p>Official figures show sensitive matters are kept secret.</p>";
    assert!(!finds_a_marking(&public_only(md, html)));
}

/// A tier the configuration adds is found through a footnote marker inside it, however the
/// marker is written, in the page and in the Markdown, as the built-in markings are.
#[test]
fn a_configured_marking_split_by_a_footnote_marker_is_caught() {
    let mut policy = config();
    policy.sensitive_patterns.push("(?-i:CLASSIFIED)".into());
    let marked = |md: &str, html: &str| {
        verify(&public_only(md, html), &policy)
            .iter()
            .any(|f| f.code == Code::MarkingInOutput)
    };
    for (md, html) in [
        (
            "This is CLASSI\u{b9}FIED.\n",
            "<p>This is CLASSI\u{b9}FIED.</p>",
        ),
        ("This is CLASSI[1]FIED.\n", "<p>This is CLASSI[1]FIED.</p>"),
        (
            "This is CLASSI^1^FIED.\n",
            "<p>This is CLASSI<sup>1</sup>FIED.</p>",
        ),
        (
            "This is CLASSIFIED.\n",
            "<p>This is CLASSI<sup>1</sup>FIED.</p>",
        ),
        ("This is CLASSI\u{b9}FIED.\n", "<p>This is nothing.</p>"),
    ] {
        assert!(marked(md, html), "{md} {html}");
    }
    assert!(!marked(
        "Classified ads, 12 classes of 2024.\n",
        "<p>Classified ads, 12 classes of 2024.</p>"
    ));
}

/// Text from a PDF: a marking in a public page's running header or footer, in any case and
/// beside a page number, is caught; the header of the page the Part 2 banner opens is that
/// part's, and ordinary headers are not markings.
#[test]
fn a_marking_at_the_edge_of_a_public_page_is_caught() {
    let policy = Policy {
        line_patterns: vec!["(?-i:RESTRICTED)\\b".into()],
        ..config()
    };
    let marked = |md: &str| {
        let e = public_only(md, "<p>x</p>");
        verify(&e, &policy)
            .iter()
            .any(|f| f.code == Code::MarkingInOutput)
    };
    let page = |header: &str| format!("Intro.\n\n2\n\u{c}{header}\nMore of Part 1.\n\nEnd.\n");
    assert!(marked(&page("Secret")));
    assert!(marked(&page("RESTRICTED        Page 2 of 3")));
    assert!(marked(&page("Restricted")));
    assert!(!marked(&page(
        "OFFICIAL \u{2013} PUBLIC        Page 2 of 3"
    )));
    assert!(!marked(&page("Custody Heating Plant Renewal")));
    let banner_page = "Intro.\n\n2\n\u{c}Secret\n\nPart 2 \u{2013} This section is NOT SUITABLE for \
                       MOPAC Publication.\n";
    assert!(!marked(banner_page));
}

/// [`last_block`] is the block the two searches of the whole text give.
#[test]
fn the_last_block_is_found_as_by_both_searches_of_the_whole_text() {
    fn plain(kept: &str) -> &str {
        let trimmed = kept.trim_end();
        let start = [trimmed.rfind("\n\n"), trimmed.rfind("\n\r\n")]
            .into_iter()
            .flatten()
            .max()
            .map_or(0, |i| i + 1);
        &trimmed[start..]
    }
    let mut texts = crate::samples::texts(500, 40);
    // Texts of up to eight of these pieces, drawn at random.
    let pieces = ["\n", "\r", "\n\r\n", "a", "\u{e9}", " ", "\n\n"];
    let mut draw = crate::samples::Draw::new(7);
    for _ in 0..5_000 {
        let n = draw.below(9);
        texts.push((0..n).map(|_| pieces[draw.below(pieces.len())]).collect());
    }
    for kept in &texts {
        assert_eq!(last_block(kept), plain(kept), "{kept:?}");
    }
}

/// The policy of a configuration that adds tiers: CLASSIFIED in capitals only, LIMITED
/// CIRCULATION and RESTRICTED-COMMERCIAL in any case.
fn with_tiers() -> Policy {
    let mut policy = config();
    policy.sensitive_patterns.extend([
        "(?-i:CLASSIFIED)".into(),
        "limited ?-? ?circulation".into(),
        "restricted ?-? ?commercial".into(),
    ]);
    policy
}

/// A word of a tier the configuration adds is guarded as the built-in words are: in every
/// disguise the verifier reads for them, in the page and in the Markdown, and in mixed case.
#[test]
fn a_configured_tiers_words_in_disguise_are_caught() {
    let policy = with_tiers();
    let marked = |md: &str, html: &str| {
        verify(&public_only(md, html), &policy)
            .iter()
            .any(|f| f.code == Code::MarkingInOutput)
    };
    for disguise in [
        // Letters spaced out or separated.
        "C L A S S I F I E D",
        "C.L.A.S.S.I.F.I.E.D.",
        "C-L-A-S-S-I-F-I-E-D",
        "C_L_A_S_S_I_F_I_E_D",
        "C\u{2022}L\u{2022}A\u{2022}S\u{2022}S\u{2022}I\u{2022}F\u{2022}I\u{2022}E\u{2022}D",
        "L I M I T E D   C I R C U L A T I O N",
        // A split inside the word: a space, a symbol, a marker, an entity, a line break.
        "CLASS IFIED",
        "CLASS/IFIED",
        "CLASS\u{b7}IFIED",
        "CLASS\\IFIED",
        "C\\LASSIFIED",
        "CLASS\u{a0}IFIED",
        "CLASS\u{2009}IFIED",
        "CLASS&nbsp;IFIED",
        "CLASS&ensp;IFIED",
        "CLASS\nIFIED",
        "CLASS\\\nIFIED",
        "CLASS\u{2020}IFIED",
        "CLASS*IFIED",
        "LIMITED CIRCUL ATION",
        // Digits and look-alikes.
        "CLASS1FIED",
        "CL4551F13D",
        "CLA55IFIED",
        "CLASSlFIED",
        "CIASSIFIED",
        "CLASS\u{131}FIED",
        "CLASSI\u{fb01}ED",
        "CLASSI\u{1da0}IED",
        "L1MITED C1RCULATION",
        "C0MMERCIAL",
        "\u{421}LASSIFIED",
        // Mixed case, where the tier's pattern matches the word only in capitals.
        "CLASSIFiED",
        "ClAsSiFiEd",
        "lImItEd circulation",
        // A symbol where the first letter was.
        "$IRCULATION",
    ] {
        let md = format!("Title\n\nThis contract is {disguise} in part.\n");
        let html = format!("<p>Title</p><p>This contract is {disguise} in part.</p>");
        assert!(marked(&md, &html), "{disguise:?}");
        // The page alone is enough.
        let plain = "Title\n\nThis contract is public in part.\n";
        let e = Evidence {
            source: plain,
            removals: &[],
            notice: Some(""),
            markdown: plain,
            html: &html,
        };
        assert!(
            verify(&e, &policy)
                .iter()
                .any(|f| f.code == Code::MarkingInOutput && f.output == "html"),
            "{disguise:?}"
        );
    }
    // The tier's words in running text, plainly written, are not disguises.
    for text in [
        "Classified documents are limited to the circulation list.",
        "the classified documents",
        "limited",
        "LIMITED",
        "Limited companies and commercial terms; the Commercial Director",
        "MOPAC Ltd, Acme Limited and 1,200 circulars",
    ] {
        let md = format!("Title\n\n{text}\n");
        let html = format!("<p>Title</p><p>{text}</p>");
        assert!(!marked(&md, &html), "{text:?}");
    }
}

/// With the shipped configuration, the tiers' words a configuration could add are ordinary
/// words, in any dress: nothing changes for them.
#[test]
fn without_added_tiers_their_words_are_ordinary() {
    for text in [
        "classified documents",
        "limited",
        "CLASS1FIED",
        "C L A S S I F I E D",
        "CLASSIFiED",
    ] {
        let md = format!("Title\n\nThis contract is {text} in part.\n");
        let html = format!("<p>Title</p><p>This contract is {text} in part.</p>");
        assert!(!finds_a_marking(&public_only(&md, &html)), "{text:?}");
    }
}

/// A release name is read as the report's text is: a marking or a marking's word in
/// disguise, built in or added by the configuration, is a finding of the output "name".
#[test]
fn a_release_name_with_a_marking_is_found() {
    let named = |stem: &str, policy: &Policy| {
        let findings = check_name(stem, policy);
        assert!(
            findings
                .iter()
                .all(|f| f.output == "name" && f.code == Code::MarkingInOutput)
        );
        !findings.is_empty()
    };
    for stem in [
        "S.E.C.R.E.T-bids",
        "2025/SECRET-bids",
        "2025/official-sensitive-annex",
        "s3cr3t-bids",
        "S_E_C_R_E_T",
    ] {
        assert!(named(stem, &config()), "{stem:?}");
        assert!(named(stem, &with_tiers()), "{stem:?}");
    }
    for stem in [
        "2025/C.L.A.S.S.I.F.I.E.D-bids",
        "CLASSIFIED-bids",
        "CLASS1FIED",
        "reports/limited-circulation",
        "L1MITED_C1RCULATION",
    ] {
        assert!(named(stem, &with_tiers()), "{stem:?}");
        assert!(!named(stem, &config()), "{stem:?}");
    }
    for stem in [
        "2025/pcd-1519-bids",
        "reports/classified-ads-review",
        "limited-company",
        "secretary-report",
    ] {
        assert!(!named(stem, &config()), "{stem:?}");
        assert!(!named(stem, &with_tiers()), "{stem:?}");
    }
}

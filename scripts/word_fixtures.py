"""Writes the Word fixtures: reports shaped like MOPAC's, and one refused file per kind of
hidden data or bad package. Run through scripts/make-word-fixtures.

Every report here is our own invented text. Each hidden-data fixture hides a canary token
(CANARY-...) that must appear in no output of the tool.
"""

import datetime
import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FIXED = (2025, 1, 1, 0, 0, 0)

PART1_BANNER = (
    "Part 1 \u2013 This section of the report will be published by MOPAC. "
    "It is classified as OFFICIAL \u2013 PUBLIC"
)
PART2_BANNER = (
    "Part 2 \u2013 This section refers to the details of the Part 2 business case which "
    "is NOT SUITABLE for MOPAC Publication."
)
STATEMENT = "The Government Security Classification marking for Part 2 is:"


# ---- building blocks over python-docx ----


def numbered(paragraph, num_id, level=0):
    """Gives a paragraph Word numbering: list `num_id`, level `level`."""
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    num_pr.append(ilvl)
    num_pr.append(num)
    ppr.append(num_pr)
    return paragraph


def shade(cell, fill):
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def marker(paragraph, token):
    """A run holding `{{token}}`, replaced by raw XML when the package is written."""
    paragraph.add_run("{{" + token + "}}")


def set_header(section, text, linked=False):
    section.header.is_linked_to_previous = linked
    section.footer.is_linked_to_previous = linked
    if not linked:
        section.header.paragraphs[0].text = text
        section.footer.paragraphs[0].text = text


def costs_table(doc, rows):
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


def new_document():
    doc = Document()
    props = doc.core_properties
    props.author = "MOPAC Governance"
    props.last_modified_by = "MOPAC Governance"
    props.created = datetime.datetime(2025, 1, 1)
    props.modified = datetime.datetime(2025, 1, 1)
    props.revision = 1
    props.title = ""
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    return doc


def title_page(doc, title, meeting, author):
    doc.add_paragraph("MAYOR OF LONDON")
    doc.add_paragraph("OFFICE FOR POLICING AND CRIME")
    doc.add_paragraph(title, style="Title")
    doc.add_paragraph(meeting)
    doc.add_paragraph(author)


# ---- the reports ----


# Part 1 sections of the longer reports: our own invented text, enough to run Part 1 over
# several pages, so that a PDF's running headers and page numbers fall inside it.
ISSUES = [
    "The docking stations sit in the custody office of each suite, beside the charging "
    "lockers. When a station fails, officers carry their cameras to the next suite or leave "
    "them undocked until the next shift, and the footage waits on the camera.",
    "Each failed station is reported to the service desk, which raises a call with the "
    "supplier. Since the supplier stopped making spares, the desk closes most calls by "
    "moving a working station from a quieter suite.",
    "The custody estate team counted 47 failures between April and December 2024. Most "
    "were power supplies; the rest were the contact pins that wear each time a camera is "
    "pushed into its slot.",
    "A camera left undocked overnight starts the next shift with a part-charged battery. "
    "Response officers have reported cameras that stop recording before the end of a late "
    "turn, which leaves gaps in the record of an arrest.",
    "The new stations are the model already fitted in the response bases of two boroughs, "
    "where they have run for eighteen months with three failures, all repaired under "
    "warranty within a week.",
    "The stations report their own faults to the device management service, so the desk "
    "will see a failing station before officers do and can send an engineer with a spare.",
    "Installation needs no building work: each station fits the existing wall brackets and "
    "uses the existing network points. An engineer can change the stations of one suite in "
    "a single day without closing the custody office.",
    "The order of the suites follows the failure log, the oldest stations first. Suites "
    "that hold the most detainees at the weekend will be done midweek.",
    "Officers will be told of each change a week ahead through the borough briefing, with "
    "a one-page guide to the new slots and the lights that show a camera is uploading.",
    "The old stations will be collected by the supplier for recycling under the waste "
    "electrical equipment regulations, and their storage wiped before they leave the estate.",
    "The programme board of the digital policing portfolio will track the roll-out each "
    "month, with the failure count and the upload delay as its two measures.",
    "If the stations are not replaced, the estate team expects the failure rate to rise as "
    "the remaining spares are used, and the delay to evidence to grow with it.",
]


def more_part1(doc, more):
    """The sections a longer report adds to Part 1: prose over pages, a table, a list, a
    second footnote."""
    if "issues" in more:
        doc.add_heading("Issues for consideration", level=1)
        for text in ISSUES:
            doc.add_paragraph(text)
    if "plan" in more:
        doc.add_heading("Delivery plan", level=1)
        doc.add_paragraph("The suites will be done in three waves:")
        costs_table(doc, [
            ["Wave", "Suites", "Weeks"],
            ["North", "9", "1 to 4"],
            ["South", "10", "5 to 8"],
            ["Central", "7", "9 and 10"],
        ])
    if "equality" in more:
        doc.add_heading("Equality Comments", level=1)
        p = doc.add_paragraph(
            "The change affects officers and staff in every custody suite alike. No group of "
            "detainees is treated differently."
        )
        marker(p, "FN:3")
        doc.add_paragraph("The equality screening found:")
        numbered(doc.add_paragraph("no effect on detainees with a protected characteristic;"), 93)
        numbered(doc.add_paragraph("a small benefit to officers with limited grip strength."), 93)


def bookmark(paragraph):
    """An empty bookmark at the start of the paragraph, as Word leaves one (`_Hlk…`) where a
    paragraph was copied or linked to."""
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "{{BOOKMARK}}"
    run.append(text)
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, run)
    return paragraph


def report_body(doc, banner_as, marking, title, extras=True, more=()):
    """A report: title page, Part 1, then Part 2 in its own section."""
    first = doc.sections[0]
    set_header(first, "OFFICIAL \u2013 PUBLIC")
    title_page(
        doc,
        title,
        "MOPAC Investment Advisory & Monitoring meeting Thursday 6 March 2025",
        "Report by Priya Okonkwo on behalf of the Chief Digital Officer",
    )
    doc.add_paragraph(PART1_BANNER)
    doc.add_heading("Executive summary", level=1)
    p = doc.add_paragraph(
        "Officers in the 26 custody suites dock their body-worn video cameras at the end of "
        "each shift. The docking stations, bought in 2018, are failing at a rate of "
    )
    p.add_run("four a month").bold = True
    p.add_run(", and the supplier stopped making spares in 2024.")
    marker(p, "FN:2")
    doc.add_heading("Recommendations", level=1)
    doc.add_paragraph(
        "The Deputy Mayor for Policing and Crime, via the Investment Advisory and "
        "Monitoring meeting (IAM), is asked to:"
    )
    numbered(doc.add_paragraph(
        "Approve the replacement of 410 docking stations at a cost of up to \u00a3236,000."
    ), 90)
    numbered(doc.add_paragraph(
        "Note that the stations will be installed over ten weeks, suite by suite."
    ), 90)
    numbered(doc.add_paragraph("in suites with the oldest stations first;"), 90, 1)
    numbered(doc.add_paragraph("outside the hours of the weekend peak."), 90, 1)
    doc.add_heading("Non-confidential facts and advice to the Deputy Mayor for Policing and Crime", level=1)
    numbered(doc.add_paragraph(
        "Footage uploads only while a camera is docked, so a failed station delays evidence "
        "reaching the Crown Prosecution Service."
    ), 91)
    numbered(doc.add_paragraph(
        "The new stations charge twelve cameras each, against eight today."
    ), 91)
    doc.add_paragraph(
        "1. This paragraph starts with a number but is not a Word list; items marked * are "
        "optional, file_names keep their underscores, 2 < 3, [brackets] stay, and #7 is a "
        "suite number."
    )
    p = doc.add_paragraph("The guidance is on the ")
    marker(p, "LINK:MOPAC website")
    p.add_run(". Officers call it the \u201cdock\u201d \u2014 not the \u2018cradle\u2019.")
    if extras:
        doc.add_paragraph("Options considered:")
        numbered(doc.add_paragraph("Repair the existing stations."), 92)
        numbered(doc.add_paragraph("Replace them like for like."), 92)
        numbered(doc.add_paragraph("Move to wireless upload."), 92)
        doc.add_paragraph("Benefits:")
        numbered(doc.add_paragraph("Faster evidence upload."), 93)
        numbered(doc.add_paragraph("Fewer cameras out of use."), 93)
    doc.add_heading("Financial Comments", level=1)
    doc.add_paragraph("The costs by year are:")
    costs_table(doc, [
        ["Year", "Capital", "Revenue"],
        ["2025/26", "\u00a3196,000", "\u00a312,000"],
        ["2026/27", "\u00a30", "\u00a314,000"],
        ["Total", "\u00a3196,000", "\u00a326,000"],
    ])
    p = doc.add_paragraph("Italic note: ")
    p.add_run("figures exclude VAT").italic = True
    p.add_run(".")
    doc.add_heading("Legal Comments", level=1)
    p = doc.add_paragraph(
        "The call-off is made under a national framework that MOPAC may use."
    )
    p.add_run().add_break()
    p.add_run("Line two of the same paragraph, after a line break.")
    more_part1(doc, more)
    doc.add_heading("Background/supporting papers", level=1)
    p = doc.add_paragraph("Report author: Priya Okonkwo, Digital Policing, MPS")
    p.add_run().add_break(WD_BREAK.PAGE)

    part2 = doc.add_section(WD_SECTION.NEW_PAGE)
    set_header(part2, marking)
    if banner_as == "heading":
        banner = doc.add_heading(PART2_BANNER, level=1)
    elif banner_as == "heading-normal-run":
        # A heading whose last words are set in normal weight, as a pasted banner often is.
        banner = doc.add_heading("", level=1)
        head, tail = PART2_BANNER.split(" which ", 1)
        banner.add_run(head + " which ")
        banner.add_run(tail).bold = False
    elif banner_as == "bold":
        banner = doc.add_paragraph()
        banner.add_run(PART2_BANNER).bold = True
    else:
        table = doc.add_table(rows=1, cols=1)
        table.cell(0, 0).text = PART2_BANNER
        shade(table.cell(0, 0), "D9D9D9")
        banner = table.cell(0, 0).paragraphs[0]
    statement = doc.add_paragraph(STATEMENT)
    if "bookmarks" in more:
        bookmark(banner)
        bookmark(statement)
    doc.add_paragraph(marking)
    doc.add_heading("Bid evaluation", level=1)
    p = doc.add_paragraph(
        "Three suppliers bid. Harrowgate Systems Ltd scored highest on quality and price."
    )
    # Notes are numbered in the order the text refers to them, as Word numbers them.
    marker(p, "FN:4" if "equality" in more else "FN:3")
    costs_table(doc, [
        ["Bidder", "Price", "Quality"],
        ["Harrowgate Systems Ltd", "\u00a3229,400", "81%"],
        ["Quillon Devices plc", "\u00a3241,900", "74%"],
    ])
    doc.add_paragraph(
        "Harrowgate has agreed a service credit of \u00a31,750 for each week of delay."
    )


FOOTNOTES = {
    2: "Failure log of the custody estate team, January 2025.",
    3: "Evaluation panel minutes of 14 February 2025, restricted.",
}
# The second Part 1 footnote of the longer reports.
MORE_FOOTNOTE = "Equality screening of the custody estate programme, November 2024."
# The reports that refer to it.
WITH_MORE_FOOTNOTES = {"word-report-long-part1", "word-report-medium-equality"}


def footnotes_of(name):
    """A report's notes, their ids in the order its text refers to them, as Word numbers
    them (LibreOffice reads a reference by that order): Part 1's before Part 2's."""
    if name in WITH_MORE_FOOTNOTES:
        notes = {2: FOOTNOTES[2], 3: MORE_FOOTNOTE, 4: FOOTNOTES[3]}
    else:
        notes = FOOTNOTES
    return notes.items()


# ---- the hidden-data and bad-package fixtures ----


def plain_report(doc, hidden_xml=None):
    """A short report whose Part 1 holds `{{HIDDEN}}`, replaced by `hidden_xml`."""
    set_header(doc.sections[0], "OFFICIAL \u2013 PUBLIC")
    title_page(
        doc,
        "Custody Suite Water Coolers",
        "MOPAC Investment Advisory & Monitoring meeting Thursday 6 March 2025",
        "Report by Sam Adeyemi",
    )
    doc.add_paragraph(PART1_BANNER)
    doc.add_heading("Executive summary", level=1)
    p = doc.add_paragraph("The coolers in 12 suites will be replaced. ")
    if hidden_xml is not None:
        marker(p, "HIDDEN")
    doc.add_paragraph("No further decision is needed.")


HIDDEN = {
    "word-hidden-text": '<w:r><w:rPr><w:vanish/></w:rPr><w:t>CANARY-VANISH-7731 the preferred bidder</w:t></w:r>',
    "word-hidden-text--spec-vanish": '<w:r><w:rPr><w:specVanish/></w:rPr><w:t>CANARY-SPECVANISH-2208</w:t></w:r>',
    "word-tracked-change": '<w:del w:id="1" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r><w:delText>CANARY-DEL-4410</w:delText></w:r></w:del>',
    "word-tracked-change--insertion": '<w:ins w:id="1" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r><w:t>CANARY-INS-5521</w:t></w:r></w:ins>',
    "word-tracked-change--move": '<w:moveFrom w:id="1" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r><w:t>CANARY-MOVE-6632</w:t></w:r></w:moveFrom>',
    "word-tracked-change--formatting": '<w:r><w:rPr><w:b/><w:rPrChange w:id="1" w:author="A" w:date="2025-01-01T00:00:00Z"><w:rPr/></w:rPrChange></w:rPr><w:t>CANARY-FORMAT-7743</w:t></w:r>',
    "word-comment": '<w:commentRangeStart w:id="0"/><w:r><w:t>shown</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>',
    "word-text-box": '<w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/><wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>CANARY-TXBX-8854</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>',
    "word-text-box--vml": '<w:r><w:pict><v:shape id="s1"><v:textbox><w:txbxContent><w:p><w:r><w:t>CANARY-VML-9965</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>',
    "word-embedded-object": '<w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/><wp:docPr id="1" name="Picture 1" descr="CANARY-ALT-1076"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"/></a:graphic></wp:inline></w:drawing></w:r>',
    "word-field": '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> QUOTE "CANARY-FIELD-2187" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
    "word-field--screen-tip": '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://www.london.gov.uk/" \\o "CANARY-TIP-3298" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>link</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
    "word-content-control": '<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>CANARY-SDT-4309</w:t></w:r></w:sdtContent></w:sdt>',
    "word-invisible-text": '<w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>CANARY-WHITE-5410</w:t></w:r>',
    "word-invisible-text--tiny": '<w:r><w:rPr><w:sz w:val="2"/></w:rPr><w:t>CANARY-TINY-6521</w:t></w:r>',
    "word-unknown-element": '<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>CANARY-RUBY-7632</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>x</w:t></w:r></w:rubyBase></w:ruby></w:r>',
}


# ---- packing ----


def extra_parts(name, parts):
    """Parts a fixture adds or replaces besides its body."""
    if name.startswith("word-report") or name == "word-restricted-section":
        notes = "".join(
            f'<w:footnote w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {t}</w:t></w:r></w:p></w:footnote>'
            for i, t in footnotes_of(name)
        )
        parts["word/footnotes.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">'
            '<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="1"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            f"{notes}</w:footnotes>"
        ).encode()
        add_rel(parts, "rId90", "footnotes", "footnotes.xml")
        add_override(parts, "/word/footnotes.xml",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml")
    if name == "word-comment--package":
        parts["word/comments.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments xmlns:w="{W}">'
            '<w:comment w:id="0" w:author="A"><w:p><w:r><w:t>CANARY-COMMENT-3198</w:t></w:r></w:p></w:comment></w:comments>'
        ).encode()
        add_rel(parts, "rId91", "comments", "comments.xml")
    if name == "word-macro-or-custom-part":
        parts["customXml/item1.xml"] = b'<?xml version="1.0"?><b:Sources xmlns:b="urn:x">CANARY-CUSTOM-8097</b:Sources>'
        add_rel(parts, "rId92", "customXml", "../customXml/item1.xml")
    if name == "word-external-relationship":
        parts["word/_rels/settings.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/attachedTemplate" Target="file:///S:/Templates/CANARY-TEMPLATE-1108.dotm" TargetMode="External"/>'
            "</Relationships>"
        ).encode()
    if name == "word-dtd":
        doc = parts["word/document.xml"].decode()
        doc = doc.replace(
            "<w:document",
            '<!DOCTYPE w:document [<!ENTITY canary "CANARY-DTD-2219">]>\n<w:document', 1)
        doc = doc.replace("No further decision is needed.", "&canary;")
        parts["word/document.xml"] = doc.encode()
    if name == "word-strict-ooxml":
        doc = parts["word/document.xml"].decode()
        doc = doc.replace(W, "http://purl.oclc.org/ooxml/wordprocessingml/main")
        parts["word/document.xml"] = doc.encode()
    if name == "word-missing-part":
        del parts["word/document.xml"]


def add_rel(parts, rid, kind, target):
    rels = parts["word/_rels/document.xml.rels"].decode()
    rel = f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"/>'
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", rel + "</Relationships>").encode()


def add_override(parts, part, content_type):
    types = parts["[Content_Types].xml"].decode()
    o = f'<Override PartName="{part}" ContentType="{content_type}"/>'
    parts["[Content_Types].xml"] = types.replace("</Types>", o + "</Types>").encode()


NUMBERING = f"""
<w:abstractNum xmlns:w="{W}" w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>
<w:abstractNum xmlns:w="{W}" w:abstractNumId="91"><w:multiLevelType w:val="singleLevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>
"""
NUMS = f"""
<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>
<w:num xmlns:w="{W}" w:numId="91"><w:abstractNumId w:val="90"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
<w:num xmlns:w="{W}" w:numId="92"><w:abstractNumId w:val="90"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num xmlns:w="{W}" w:numId="93"><w:abstractNumId w:val="91"/></w:num>
"""


def with_numbering(parts):
    xml = parts["word/numbering.xml"].decode()
    first_num = xml.index("<w:num ")
    xml = xml[:first_num] + NUMBERING + xml[first_num:]
    xml = xml.replace("</w:numbering>", NUMS + "</w:numbering>")
    parts["word/numbering.xml"] = xml.encode()


NAMESPACES = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
)


def fill_markers(xml, hidden_xml):
    """Replaces each `{{token}}` run with its XML."""

    def run_of(match):
        token = match.group(1)
        if token.startswith("FN:"):
            return (
                '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{token[3:]}"/></w:r>'
            )
        if token == "BOOKMARK":
            # Word numbers its bookmarks; one id per bookmark in the document.
            run_of.bookmarks += 1
            n = run_of.bookmarks
            return (
                f'<w:bookmarkStart w:id="{n}" w:name="_Hlk19{n:07d}"/>'
                f'<w:bookmarkEnd w:id="{n}"/>'
            )
        if token.startswith("LINK:"):
            return (
                '<w:hyperlink r:id="rId95"><w:r><w:rPr><w:u w:val="single"/></w:rPr>'
                f"<w:t>{token[5:]}</w:t></w:r></w:hyperlink>"
            )
        return hidden_xml

    run_of.bookmarks = 0
    return re.sub(r"<w:r>(?:<w:rPr>.*?</w:rPr>)?<w:t>\{\{([^}]*)\}\}</w:t></w:r>", run_of, xml)


def pack(doc, name, hidden_xml=None):
    buf = io.BytesIO()
    doc.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    parts = {}
    for info in src.infolist():
        n = info.filename
        # A report holds no custom XML; python-docx's template does.
        if n.startswith("customXml/") or n == "word/stylesWithEffects.xml":
            continue
        parts[n] = src.read(n)
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels = re.sub(r'<Relationship Id="rId1" Type="[^"]*customXml"[^>]*/>', "", rels)
    rels = re.sub(r'<Relationship Id="rId4" Type="[^"]*stylesWithEffects"[^>]*/>', "", rels)
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rId95" Type="{REL}/hyperlink" Target="https://www.london.gov.uk/mopac" TargetMode="External"/></Relationships>',
    )
    parts["word/_rels/document.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode()
    types = re.sub(r'<Override PartName="/customXml/[^>]*/>', "", types)
    types = re.sub(r'<Override PartName="/word/stylesWithEffects.xml"[^>]*/>', "", types)
    parts["[Content_Types].xml"] = types.encode()
    with_numbering(parts)
    document = parts["word/document.xml"].decode()
    document = document.replace("<w:document ", "<w:document " + NAMESPACES, 1)
    parts["word/document.xml"] = fill_markers(document, hidden_xml or "").encode()
    extra_parts(name, parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in sorted(parts, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(n, FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, parts[n])
    return out.getvalue()


def ole(encrypted):
    """An OLE compound file's first bytes: an encrypted package or a binary .doc."""
    head = bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504)
    if encrypted:
        head += "EncryptedPackage".encode("utf-16-le")
    return head + bytes(512)


def zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("word/document.xml", FIXED)
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, b" " * (16 << 20))
    return out.getvalue()


def main(root):
    root = Path(root)
    published = root / "published"
    quarantined = root / "quarantined"
    files = {}

    doc = new_document()
    report_body(doc, "heading", "OFFICIAL-SENSITIVE [COMMERCIAL]",
                "Custody Suite Video Docking Replacement")
    files[published / "word-report-heading-banner.docx"] = pack(doc, "word-report-heading-banner")

    doc = new_document()
    report_body(doc, "bold", "OFFICIAL-SENSITIVE COMMERCIAL",
                "Response Vehicle Camera Docking", extras=False)
    files[published / "word-report-bold-banner-2024-marking.docx"] = pack(doc, "word-report-bold-banner")

    doc = new_document()
    report_body(doc, "table", "OFFICIAL-SENSITIVE [COMMERCIAL]",
                "Station Front Counter Camera Docking", extras=False)
    files[published / "word-report-table-banner.docx"] = pack(doc, "word-report-table-banner")

    # Longer and shorter reports of the same shape, for the converted routes.
    doc = new_document()
    report_body(doc, "bold", "OFFICIAL-SENSITIVE [COMMERCIAL]",
                "Custody Suite Camera Docking Programme", extras=True,
                more=("issues", "plan", "equality", "bookmarks"))
    files[published / "word-report-long-part1.docx"] = pack(doc, "word-report-long-part1")

    doc = new_document()
    report_body(doc, "heading-normal-run", "OFFICIAL-SENSITIVE [COMMERCIAL]",
                "Court Cells Camera Docking", extras=False)
    files[published / "word-report-short-normal-run.docx"] = pack(doc, "word-report-short-normal-run")

    doc = new_document()
    report_body(doc, "table", "OFFICIAL-SENSITIVE COMMERCIAL",
                "Dedicated Detention Officer Docking Stations", extras=True,
                more=("plan", "equality"))
    files[published / "word-report-medium-equality.docx"] = pack(doc, "word-report-medium-equality")

    # Part 1 itself in a section whose header is OFFICIAL-SENSITIVE.
    doc = new_document()
    report_body(doc, "heading", "OFFICIAL-SENSITIVE [COMMERCIAL]",
                "Detention Officer Camera Docking", extras=False)
    set_header(doc.sections[0], "OFFICIAL-SENSITIVE [COMMERCIAL]")
    files[quarantined / "word-restricted-section.docx"] = pack(doc, "word-restricted-section")

    for name, xml in HIDDEN.items():
        doc = new_document()
        plain_report(doc, xml)
        files[quarantined / f"{name}.docx"] = pack(doc, name, xml)

    for name in [
        "word-comment--package",
        "word-macro-or-custom-part",
        "word-external-relationship",
        "word-dtd",
        "word-strict-ooxml",
        "word-missing-part",
    ]:
        doc = new_document()
        plain_report(doc)
        files[quarantined / f"{name}.docx"] = pack(doc, name)

    files[quarantined / "word-not-a-package.docx"] = b"CANARY-NOTZIP-4521 is not a Word file\n"
    files[quarantined / "word-encrypted.docx"] = ole(True)
    files[quarantined / "word-binary-doc.docx"] = ole(False)
    files[quarantined / "word-too-large.docx"] = zip_bomb()

    for path, data in sorted(files.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{path} ({len(data)} bytes)")


def bench(path, pages=30):
    """A long report for timing (README, "From Word"): about `pages` A4 pages of Part 1
    (sections of prose, numbered lists and a costs table each), then Part 2."""
    doc = new_document()
    set_header(doc.sections[0], "OFFICIAL \u2013 PUBLIC")
    title_page(doc, "Estate-wide Custody Modernisation Programme",
               "MOPAC Investment Advisory & Monitoring meeting Thursday 6 March 2025",
               "Report by Priya Okonkwo on behalf of the Chief Digital Officer")
    doc.add_paragraph(PART1_BANNER)
    sentence = ("Suite {n} will be refitted in phase {p}, with new cell call points, "
                "wider corridors for escorted detainees and a second booking-in desk. ")
    for n in range(1, pages + 1):
        doc.add_heading(f"Custody suite {n}", level=1)
        for k in range(4):
            p = doc.add_paragraph((sentence.format(n=n, p=k + 1)) * 4)
            p.add_run("The works are planned outside peak hours.").italic = True
        for k in range(3):
            numbered(doc.add_paragraph(f"Milestone {k + 1} for suite {n} is agreed."), 90)
        costs_table(doc, [["Item", "Cost"], [f"Suite {n} works", "\u00a3120,000"],
                          ["Contingency", "\u00a312,000"]])
    part2 = doc.add_section(WD_SECTION.NEW_PAGE)
    set_header(part2, "OFFICIAL-SENSITIVE [COMMERCIAL]")
    doc.add_heading(PART2_BANNER, level=1)
    doc.add_paragraph(STATEMENT)
    doc.add_paragraph("OFFICIAL-SENSITIVE [COMMERCIAL]")
    doc.add_paragraph("The preferred contractor's rates are set out below.")
    Path(path).write_bytes(pack(doc, "bench"))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--bench":
        bench(sys.argv[2])
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else "fixtures")

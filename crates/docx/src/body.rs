//! The body: paragraphs, runs, tables, fields and notes read into Markdown blocks.
//!
//! Every element is read against an allow-list of the elements this module understands, in
//! the place it stands (a body child, a paragraph child, a run child, a property). Anything
//! else refuses the document: a known kind of hidden data with its own code (a tracked
//! change, a comment, a text box, an object, a content control), any other element as
//! unknown. A run is refused when its text is hidden (w:vanish, w:specVanish, w:webHidden,
//! set on it or through its styles) or cannot be seen (white or the background's colour, a
//! colour that does not stand out from what it is shown on, 2 pt or smaller). Text under
//! capitals is read in capitals, as Word shows it. Bookmarks and the fields and links that
//! copy text from them are placed on their blocks, for the caller to rule on where they
//! stand. Reasons name the paragraph and the element, never the text.

use std::collections::{BTreeMap, HashMap};

use mopac_types::reason::{Code, Reason};

use crate::escape;
use crate::package::{Package, Rel};
use crate::styles::{Numbering, RunProps, Styles};
use crate::xml::Element;

/// Paragraph properties read or harmless to layout.
const PPR: &[&str] = &[
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
];

/// Run properties read or harmless to what the text says.
const RPR: &[&str] = &[
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:specVanish",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:oMath",
    "w14:ligatures",
    "w14:numForm",
    "w14:numSpacing",
    "w14:cntxtAlts",
];

/// Section properties.
const SECT: &[&str] = &[
    "w:headerReference",
    "w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
];

const TBLPR: &[&str] = &[
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
];

const TRPR: &[&str] = &[
    "w:cnfStyle",
    "w:divId",
    "w:wBefore",
    "w:wAfter",
    "w:cantSplit",
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
];

const TCPR: &[&str] = &[
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
];

/// Elements that only mark a place and hold nothing shown.
const MARKS: &[&str] = &[
    "w:bookmarkStart",
    "w:bookmarkEnd",
    "w:proofErr",
    "w:lastRenderedPageBreak",
];

/// Grandchildren allowed under property elements that have children of their own.
fn property_children(parent: &str) -> &'static [&'static str] {
    match parent {
        "w:numPr" => &["w:ilvl", "w:numId"],
        "w:tabs" => &["w:tab"],
        "w:pBdr" => &[
            "w:top",
            "w:left",
            "w:bottom",
            "w:right",
            "w:between",
            "w:bar",
        ],
        "w:tblBorders" | "w:tcBorders" | "w:tblCellMar" | "w:tcMar" | "w:pgBorders" => &[
            "w:top",
            "w:left",
            "w:bottom",
            "w:right",
            "w:start",
            "w:end",
            "w:insideH",
            "w:insideV",
            "w:tl2br",
            "w:tr2bl",
        ],
        "w:cols" => &["w:col"],
        "w:footnotePr" | "w:endnotePr" => &["w:pos", "w:numFmt", "w:numStart", "w:numRestart"],
        "w:rFonts" | "w:lang" => &[],
        _ => &[],
    }
}

/// The code for an element that is not allowed where it stands.
fn foreign(e: &Element) -> (Code, String) {
    let n = e.name.as_str();
    let holds_text = || {
        e.descendants().iter().any(|d| {
            matches!(
                d.name.as_str(),
                "w:txbxContent" | "v:textbox" | "wps:txbx" | "v:textpath"
            )
        })
    };
    let code = match n {
        "w:ins"
        | "w:del"
        | "w:moveFrom"
        | "w:moveTo"
        | "w:moveFromRangeStart"
        | "w:moveFromRangeEnd"
        | "w:moveToRangeStart"
        | "w:moveToRangeEnd"
        | "w:rPrChange"
        | "w:pPrChange"
        | "w:sectPrChange"
        | "w:tblPrChange"
        | "w:tblPrExChange"
        | "w:tblGridChange"
        | "w:trPrChange"
        | "w:tcPrChange"
        | "w:numberingChange"
        | "w:cellIns"
        | "w:cellDel"
        | "w:cellMerge"
        | "w:delText"
        | "w:delInstrText" => Code::WordTrackedChange,
        n if n.starts_with("w:customXmlIns")
            || n.starts_with("w:customXmlDel")
            || n.starts_with("w:customXmlMove") =>
        {
            Code::WordTrackedChange
        }
        "w:commentRangeStart" | "w:commentRangeEnd" | "w:commentReference" | "w:annotationRef" => {
            Code::WordComment
        }
        "w:txbxContent" | "v:textbox" | "wps:txbx" => Code::WordTextBox,
        "w:drawing"
        | "w:pict"
        | "w:object"
        | "mc:AlternateContent"
        | "v:shape"
        | "v:group"
        | "v:rect"
        | "v:roundrect"
        | "v:oval" => {
            if holds_text() {
                Code::WordTextBox
            } else {
                Code::WordEmbeddedObject
            }
        }
        "w:altChunk" | "w:subDoc" | "w:control" | "w:embedTrueTypeFonts" => {
            Code::WordEmbeddedObject
        }
        "w:sdt" | "w:sdtContent" | "w:sdtPr" | "w:sdtEndPr" => Code::WordContentControl,
        "w:customXml" | "w:smartTag" => Code::WordMacroOrCustomPart,
        "w:vanish" | "w:specVanish" | "w:webHidden" | "w:hidden" => Code::WordHiddenText,
        "w:fldSimple" | "w:fldChar" | "w:instrText" | "w:fldData" => Code::WordField,
        _ => Code::WordUnknownElement,
    };
    let what = match code {
        Code::WordUnknownElement => format!("an element the tool does not read ({n})"),
        _ => n.to_string(),
    };
    (code, what)
}

/// A piece of a paragraph's inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Text {
        text: String,
        bold: bool,
        italic: bool,
        link: Option<String>,
    },
    Break,
    ParagraphBreak,
    Note(String),
}

/// A note (footnote or endnote) a paragraph refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NoteRef {
    kind: &'static str,
    id: String,
    label: String,
    /// The block that first refers to it.
    block: usize,
}

/// How a block stands in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub level: u32,
    /// "- " or "7. ".
    pub marker: String,
}

/// One Markdown block of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The block's Markdown, without its list marker; lines separated by "\n".
    pub text: String,
    pub list: Option<ListItem>,
    /// The section it stands in (its index in [`Body::sections`]).
    pub section: usize,
}

/// A field being read: its instruction so far, and whether its result has begun.
#[derive(Debug, Clone, Default)]
struct Field {
    instr: String,
    separated: bool,
}

/// A block or a note definition: where a paragraph stands among what is assembled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    /// The block of that index in [`Body::blocks`] (one past the last: after them all).
    Block(usize),
    /// The note of that index in [`Body::notes`].
    Note(usize),
}

/// The first and last item a paragraph's Markdown stands in.
pub type Span = (Item, Item);

/// A bookmark: its name, where it starts and where it ends (`None`: it never ends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookmarkRead {
    pub name: String,
    id: String,
    pub start: Span,
    pub end: Option<Span>,
}

/// A field or link whose result copies text from elsewhere in the document, and the
/// bookmark it copies (`None` for a table of contents entry that names none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyRead {
    /// What copies it, for messages ("cross-reference (REF)"): never document text.
    pub kind: &'static str,
    pub target: Option<String>,
    pub at: Span,
}

/// What a paragraph holds that is placed once the paragraph's blocks are known.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mark {
    Start { id: String, name: String },
    End { id: String },
    Copy(&'static str, Option<String>),
}

/// The body read.
#[derive(Debug, Default)]
pub struct Body {
    pub blocks: Vec<Block>,
    /// Each section's properties, in order.
    pub sections: Vec<Element>,
    /// Footnote and endnote definitions, each with the block that refers to it first.
    pub notes: Vec<(String, usize)>,
    /// The first block the caller recognised as opening Part 2.
    pub part2: Option<usize>,
    /// Every bookmark of the body and the notes, in the order they start.
    pub bookmarks: Vec<BookmarkRead>,
    /// Every field or link that shows text copied from elsewhere in the document.
    pub copies: Vec<CopyRead>,
}

/// What reading the body needs.
pub struct Reader<'a> {
    pub package: &'a Package,
    pub styles: Styles,
    pub numbering: Option<Numbering>,
    /// The main part's relationships.
    pub rels: BTreeMap<String, Rel>,
    pub background: Option<String>,
    pub starts_part2: &'a dyn Fn(&str) -> bool,
    reasons: Vec<Reason>,
    fields: Vec<Field>,
    /// The bookmarks named by the links to a bookmark (w:hyperlink w:anchor) and the simple
    /// fields that copy text, around the run being read.
    copying: Vec<(&'static str, Option<String>)>,
    /// Marks of the paragraph being read, placed by [`Reader::settle`].
    pending: Vec<Mark>,
    counters: HashMap<String, [Option<u32>; 9]>,
    notes: Vec<NoteRef>,
    paragraph: usize,
    body: Body,
}

/// Where a paragraph is, for reasons.
#[derive(Debug, Clone)]
struct Place {
    label: String,
    /// The shading behind it (a cell's, a paragraph's), upper case hex.
    shading: Vec<String>,
    /// Whether it is in a table cell or a note (lists and headings read as text).
    nested: bool,
}

impl<'a> Reader<'a> {
    /// A reader of the package's body.
    pub fn new(
        package: &'a Package,
        styles: Styles,
        numbering: Option<Numbering>,
        rels: BTreeMap<String, Rel>,
        background: Option<String>,
        starts_part2: &'a dyn Fn(&str) -> bool,
    ) -> Self {
        Reader {
            package,
            styles,
            numbering,
            rels,
            background,
            starts_part2,
            reasons: Vec::new(),
            fields: Vec::new(),
            copying: Vec::new(),
            pending: Vec::new(),
            counters: HashMap::new(),
            notes: Vec::new(),
            paragraph: 0,
            body: Body::default(),
        }
        .with_style_problems()
    }

    /// The styles part's own problems, refused before the body is read.
    fn with_style_problems(mut self) -> Self {
        for what in self.styles.problems.clone() {
            self.refuse(Code::WordNotAPackage, "the styles part", what);
        }
        self
    }

    fn refuse(&mut self, code: Code, place: &str, what: impl std::fmt::Display) {
        let message = format!("{place}: {what}");
        let reason = Reason::new(code, 0, message);
        if !self.reasons.contains(&reason) && self.reasons.len() < 100 {
            self.reasons.push(reason);
        }
    }

    fn refuse_foreign(&mut self, e: &Element, place: &str) {
        let (code, what) = foreign(e);
        self.refuse(code, place, what);
    }

    /// Reads the body element; the blocks, or every reason to refuse.
    pub fn read(mut self, body: &Element) -> Result<Body, Vec<Reason>> {
        for e in body.elements() {
            match e.name.as_str() {
                "w:p" => {
                    let section = self.body.sections.len();
                    self.body_paragraph(e, section, None);
                    if let Some(sect) = e.child("w:pPr").and_then(|p| p.child("w:sectPr")) {
                        self.body.sections.push(sect.clone());
                    }
                }
                "w:tbl" => {
                    let section = self.body.sections.len();
                    self.table(e, section);
                }
                "w:sectPr" => {
                    self.sect_pr(e, "the last section");
                    self.body.sections.push(e.clone());
                }
                n if MARKS.contains(&n) => self.mark_between(e),
                _ => {
                    let place = format!("after paragraph {}", self.paragraph);
                    self.refuse_foreign(e, &place);
                }
            }
        }
        if !self.fields.is_empty() {
            self.refuse(Code::WordField, "the body", "a field that is never closed");
        }
        self.read_notes();
        if self.reasons.is_empty() {
            Ok(self.body)
        } else {
            Err(self.reasons)
        }
    }

    fn next_place(&mut self, shading: Vec<String>, nested: bool) -> Place {
        self.paragraph += 1;
        Place {
            label: format!("paragraph {}", self.paragraph),
            shading,
            nested,
        }
    }

    /// A paragraph of the body (or of a one-cell table): its blocks.
    fn body_paragraph(&mut self, p: &Element, section: usize, cell: Option<&str>) {
        let place = self.next_place(cell.map(str::to_string).into_iter().collect(), false);
        let (segs, style, num) = self.paragraph(p, &place);
        let plain = plain_text(&segs);
        let first_block = self.body.blocks.len();
        if self.body.part2.is_none() && (self.starts_part2)(plain.trim()) {
            self.body.part2 = Some(first_block);
        }
        let mut first = true;
        for part in segs.split(|s| *s == Seg::ParagraphBreak) {
            let (heading, list) = if first {
                (self.styles.heading(style.as_deref()), num.clone())
            } else {
                (None, None)
            };
            first = false;
            let text = render(part, heading.is_some(), "\\\n");
            if text.trim().is_empty() {
                continue;
            }
            let block = self.block(text, heading, list, &place, section);
            self.push_block(block, part);
        }
        let last_block = self.body.blocks.len().saturating_sub(1).max(first_block);
        self.settle((Item::Block(first_block), Item::Block(last_block)));
    }

    /// Places the marks of the paragraph just read in `span`: its bookmarks' starts and
    /// ends, and the fields and links that copy text. A table of contents entry that shows
    /// text but names no bookmark copies text from a place unknown.
    fn settle(&mut self, span: Span) {
        let pending = std::mem::take(&mut self.pending);
        let names_one = pending.iter().any(|m| matches!(m, Mark::Copy(_, Some(_))));
        for mark in pending {
            match mark {
                Mark::Start { id, name } => self.body.bookmarks.push(BookmarkRead {
                    name,
                    id,
                    start: span,
                    end: None,
                }),
                Mark::End { id } => {
                    if let Some(b) = self
                        .body
                        .bookmarks
                        .iter_mut()
                        .rev()
                        .find(|b| b.id == id && b.end.is_none())
                    {
                        b.end = Some(span);
                    }
                }
                Mark::Copy(kind, target) => {
                    let copy = CopyRead {
                        kind,
                        target,
                        at: span,
                    };
                    if (copy.target.is_some() || !names_one) && !self.body.copies.contains(&copy) {
                        self.body.copies.push(copy);
                    }
                }
            }
        }
    }

    /// A bookmark's start or end where it stands: in a paragraph, kept until the
    /// paragraph is placed.
    fn mark(&mut self, e: &Element) {
        let attr = |name: &str| e.attr(name).unwrap_or("").to_string();
        match e.name.as_str() {
            "w:bookmarkStart" => self.pending.push(Mark::Start {
                id: attr("w:id"),
                name: attr("w:name"),
            }),
            "w:bookmarkEnd" => self.pending.push(Mark::End { id: attr("w:id") }),
            _ => {}
        }
    }

    /// A bookmark's start or end between paragraphs or in a table's structure: a start
    /// belongs to the block that comes next, an end to the one before it.
    fn mark_between(&mut self, e: &Element) {
        let saved = std::mem::take(&mut self.pending);
        self.mark(e);
        let next = self.body.blocks.len();
        let at = if e.name == "w:bookmarkEnd" {
            next.saturating_sub(1)
        } else {
            next
        };
        self.settle((Item::Block(at), Item::Block(at)));
        self.pending = saved;
    }

    /// Records that text is being shown under the fields and links around it: each one
    /// that copies text from elsewhere, with the bookmark it names.
    fn shown_text(&mut self) {
        let mut marks: Vec<Mark> = self
            .fields
            .iter()
            .filter(|f| f.separated)
            .filter_map(|f| copies(&f.instr))
            .chain(self.copying.iter().cloned())
            .map(|(kind, target)| Mark::Copy(kind, target))
            .collect();
        marks.retain(|m| !self.pending.contains(m));
        self.pending.extend(marks);
    }

    fn push_block(&mut self, block: Block, segs: &[Seg]) {
        let index = self.body.blocks.len();
        for s in segs {
            if let Seg::Note(label) = s
                && let Some(n) = self.notes.iter_mut().find(|n| &n.label == label)
            {
                n.block = n.block.min(index);
            }
        }
        self.body.blocks.push(block);
    }

    /// The block of a paragraph's Markdown `text`, as a heading, list item or paragraph.
    fn block(
        &mut self,
        text: String,
        heading: Option<u8>,
        num: Option<(String, u32)>,
        place: &Place,
        section: usize,
    ) -> Block {
        if let Some(level) = heading {
            // Title is the report's one top heading; Heading N sits a level under it.
            let hashes = "#".repeat(usize::from(level + 1).min(6));
            let one_line = text.replace("\\\n", " ");
            return Block {
                text: format!("{hashes} {}", one_line.trim()),
                list: None,
                section,
            };
        }
        let lines = |t: &str| {
            t.split('\n')
                .map(|l| escape::line_start(l).trim_end().to_string())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let Some((num_id, ilvl)) = num else {
            return Block {
                text: lines(&text),
                list: None,
                section,
            };
        };
        match self.list_label(&num_id, ilvl, place) {
            Some(Label::Markdown(marker)) => Block {
                text: lines(&text),
                list: Some(ListItem {
                    level: ilvl,
                    marker,
                }),
                section,
            },
            Some(Label::Text(label)) => Block {
                text: lines(&format!("{} {}", escape::inline(&label), text.trim_start())),
                list: None,
                section,
            },
            None => Block {
                text: lines(&text),
                list: None,
                section,
            },
        }
    }

    /// The label of the next item of list `num` at `ilvl`, counting it.
    fn list_label(&mut self, num: &str, ilvl: u32, place: &Place) -> Option<Label> {
        if num == "0" {
            return None;
        }
        let Some(numbering) = &self.numbering else {
            self.refuse(
                Code::WordMissingPart,
                &place.label,
                "a numbered paragraph without the numbering part",
            );
            return None;
        };
        let ilvl = ilvl.min(8);
        let Some(level) = numbering.level(num, ilvl).cloned() else {
            self.refuse(
                Code::WordMissingPart,
                &place.label,
                "a list level the numbering part does not define",
            );
            return None;
        };
        let counters = self.counters.entry(num.to_string()).or_default();
        let i = ilvl as usize;
        counters[i] = Some(counters[i].map_or(level.start, |n| n + 1));
        for c in counters.iter_mut().skip(i + 1) {
            *c = None;
        }
        let counters = *counters;
        let n = counters[i].unwrap_or(level.start);
        let own = format!("%{}", ilvl + 1);
        match level.format.as_str() {
            "bullet" => Some(Label::Markdown("- ".into())),
            "none" => None,
            "decimal" if level.text == format!("{own}.") || level.text == format!("{own})") => {
                Some(Label::Markdown(format!("{n}. ")))
            }
            _ => {
                let mut label = level.text.clone();
                for (k, c) in counters.iter().enumerate() {
                    let fmt = numbering
                        .level(num, k as u32)
                        .map_or("decimal", |l| l.format.as_str());
                    let value = format_number(c.unwrap_or(1), fmt);
                    label = label.replace(&format!("%{}", k + 1), &value);
                }
                Some(Label::Text(label))
            }
        }
    }

    /// A paragraph's inline content, paragraph style and numbering.
    fn paragraph(
        &mut self,
        p: &Element,
        place: &Place,
    ) -> (Vec<Seg>, Option<String>, Option<(String, u32)>) {
        let ppr = p.child("w:pPr");
        let style = ppr
            .and_then(|p| p.child("w:pStyle"))
            .and_then(|s| s.attr("w:val"))
            .map(str::to_string);
        let mut shading = place.shading.clone();
        // Direct shading is compared with the text's colour below; the rest of what a
        // paragraph's properties or its style can do to hide text is refused here.
        let direct = ppr.and_then(|p| {
            crate::styles::ppr_unread(p)
                .filter(|w| !w.starts_with("paragraph shading") && !w.starts_with("a text frame"))
                .or_else(|| {
                    p.child("w:shd")
                        .filter(|s| !crate::styles::plain_shading(s))
                        .map(|_| "patterned or theme shading (w:shd)")
                })
        });
        if let Some(what) = direct.or_else(|| self.styles.unread(style.as_deref())) {
            self.refuse(Code::WordInvisibleText, &place.label, what);
        }
        if let Some(ppr) = ppr {
            self.properties(ppr, PPR, &place.label);
            if let Some(fill) = ppr.child("w:shd").and_then(|s| s.attr("w:fill")) {
                shading.push(fill.to_ascii_uppercase());
            }
            if let Some(rpr) = ppr.child("w:rPr") {
                self.properties(rpr, RPR, &place.label);
            }
            if let Some(sect) = ppr.child("w:sectPr") {
                self.sect_pr(sect, &place.label);
            }
        }
        let num = ppr
            .and_then(|p| p.child("w:numPr"))
            .and_then(|n| {
                let id = n.child("w:numId")?.attr("w:val")?.to_string();
                let lvl = n
                    .child("w:ilvl")
                    .and_then(|l| l.attr("w:val"))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                Some((id, lvl))
            })
            .or_else(|| self.styles.numbering(style.as_deref()));
        let place = Place {
            shading,
            ..place.clone()
        };
        let mut segs = Vec::new();
        for e in p.elements() {
            if e.name != "w:pPr" {
                self.inline(e, &place, style.as_deref(), None, &mut segs);
            }
        }
        (segs, style, num)
    }

    /// Checks a property element's children against `allowed`.
    fn properties(&mut self, props: &Element, allowed: &[&str], place: &str) {
        for c in props.elements() {
            if !allowed.contains(&c.name.as_str()) {
                self.refuse_foreign(c, place);
                continue;
            }
            if c.name == "w:sectPr" || c.name == "w:rPr" {
                // Checked against their own lists by the caller.
                continue;
            }
            let grand = property_children(&c.name);
            for g in c.elements() {
                if !grand.contains(&g.name.as_str()) {
                    self.refuse_foreign(g, place);
                }
            }
            if c.name == "w:framePr" {
                // A frame positions its paragraph like a text box.
                self.refuse(Code::WordTextBox, place, "a text frame (w:framePr)");
            }
        }
    }

    fn sect_pr(&mut self, sect: &Element, place: &str) {
        self.properties(sect, SECT, place);
    }

    /// One child of a paragraph (or of a hyperlink or simple field inside it).
    fn inline(
        &mut self,
        e: &Element,
        place: &Place,
        style: Option<&str>,
        link: Option<&str>,
        out: &mut Vec<Seg>,
    ) {
        match e.name.as_str() {
            "w:r" => self.run(e, place, style, link, out),
            "w:hyperlink" => {
                let target = self.hyperlink(e, &place.label);
                let link = target.as_deref().or(link);
                // A link to a bookmark (a contents entry's) shows text copied from there.
                let anchor = e.attr("w:anchor").map(str::to_string);
                let copying = anchor.is_some();
                if copying {
                    self.copying.push(("link to a bookmark (w:anchor)", anchor));
                }
                for c in e.elements() {
                    self.inline(c, place, style, link, out);
                }
                if copying {
                    self.copying.pop();
                }
            }
            "w:fldSimple" => {
                let instr = e.attr("w:instr").unwrap_or("");
                if !field_allowed(instr) {
                    self.refuse(Code::WordField, &place.label, "a field off the allow-list");
                }
                if page_field(instr) && !is_number(&e.all_text()) {
                    self.refuse(
                        Code::WordField,
                        &place.label,
                        "a page-number field whose result is not a number",
                    );
                }
                let copying = copies(instr);
                let pushed = copying.is_some();
                self.copying.extend(copying);
                for c in e.elements() {
                    self.inline(c, place, style, link, out);
                }
                if pushed {
                    self.copying.pop();
                }
            }
            n if MARKS.contains(&n) => self.mark(e),
            _ => self.refuse_foreign(e, &place.label),
        }
    }

    /// The address of a hyperlink to outside the document, if it is one.
    fn hyperlink(&mut self, e: &Element, place: &str) -> Option<String> {
        let id = e.attr("r:id")?;
        match self.rels.get(id) {
            Some(rel) if rel.kind == "hyperlink" && rel.external => Some(rel.target.clone()),
            Some(_) => None,
            None => {
                self.refuse(
                    Code::WordMissingPart,
                    place,
                    "a hyperlink whose relationship is not in the package",
                );
                None
            }
        }
    }

    /// A run: its properties checked, its content read.
    fn run(
        &mut self,
        r: &Element,
        place: &Place,
        style: Option<&str>,
        link: Option<&str>,
        out: &mut Vec<Seg>,
    ) {
        let rpr = r.child("w:rPr");
        if let Some(rpr) = rpr {
            self.properties(rpr, RPR, &place.label);
        }
        let rstyle = rpr
            .and_then(|p| p.child("w:rStyle"))
            .and_then(|s| s.attr("w:val"));
        let props = self.styles.run_props(style, rstyle, &RunProps::of(rpr));
        self.run_shows_what_it_says(r, &props, place, rstyle.into_iter().chain(style));
        let bold = props.bold.unwrap_or(false);
        let italic = props.italic.unwrap_or(false);
        let capitals = props.capitals();
        let in_instruction = self.fields.iter().any(|f| !f.separated);
        for c in r.elements() {
            let text = match c.name.as_str() {
                "w:rPr" => continue,
                // Capitals and small capitals show the letters in capitals: the text is
                // read as a reader of the document sees it.
                "w:t" if capitals => c.all_text().to_uppercase(),
                "w:t" => c.all_text(),
                "w:tab" | "w:ptab" => "\t".to_string(),
                "w:noBreakHyphen" => "-".to_string(),
                "w:softHyphen"
                | "w:footnoteRef"
                | "w:endnoteRef"
                | "w:separator"
                | "w:continuationSeparator" => continue,
                "w:br" | "w:cr" => {
                    let kind = c.attr("w:type").unwrap_or("textWrapping");
                    if !in_instruction {
                        out.push(if matches!(kind, "page" | "column") {
                            Seg::ParagraphBreak
                        } else {
                            Seg::Break
                        });
                    }
                    continue;
                }
                "w:footnoteReference" | "w:endnoteReference" => {
                    let kind = if c.name == "w:footnoteReference" {
                        "footnote"
                    } else {
                        "endnote"
                    };
                    match c.attr("w:id") {
                        Some(id) if !place.nested => {
                            let label = self.note_label(kind, id);
                            out.push(Seg::Note(label));
                        }
                        // A Markdown footnote reference in a table cell or inside another
                        // note would not show as Word shows it.
                        Some(_) => self.refuse(
                            Code::WordTableNotFaithful,
                            &place.label,
                            format!("a {kind} reference inside a table cell or a note"),
                        ),
                        None => self.refuse_foreign(c, &place.label),
                    }
                    continue;
                }
                "w:fldChar" => {
                    self.field_char(c, &place.label);
                    continue;
                }
                "w:instrText" => {
                    match self.fields.last_mut() {
                        Some(f) if !f.separated => f.instr.push_str(&c.all_text()),
                        _ => self.refuse(
                            Code::WordField,
                            &place.label,
                            "field instructions outside a field",
                        ),
                    }
                    continue;
                }
                n if MARKS.contains(&n) => {
                    self.mark(c);
                    continue;
                }
                _ => {
                    self.refuse_foreign(c, &place.label);
                    continue;
                }
            };
            if self.fields.iter().any(|f| !f.separated) {
                // Text between a field's start and its result is instruction text.
                self.refuse(
                    Code::WordField,
                    &place.label,
                    "text inside a field's instructions",
                );
                continue;
            }
            if !text.trim().is_empty() {
                self.shown_text();
            }
            out.push(Seg::Text {
                text,
                bold,
                italic,
                link: link.map(str::to_string),
            });
        }
    }

    /// The checks of a run before its text is read: the styles it names are the ones
    /// defined, what it shows can be seen, and a page-number field's result is a number.
    fn run_shows_what_it_says<'s>(
        &mut self,
        r: &Element,
        props: &RunProps,
        place: &Place,
        styles: impl Iterator<Item = &'s str>,
    ) {
        for id in styles {
            if self.styles.found_only_by_case(id) {
                self.refuse(
                    Code::WordInvisibleText,
                    &place.label,
                    "a style named in another case than its definition (readers differ on it)",
                );
            }
        }
        let shows_something = r.elements().any(|c| match c.name.as_str() {
            "w:t" => !c.all_text().is_empty(),
            "w:footnoteReference" | "w:endnoteReference" | "w:tab" | "w:sym" => true,
            _ => false,
        });
        if shows_something {
            self.visibility(props, place);
        }
        // A page-number field shows its last result until Word updates it: a number, or
        // text that Word will replace and a reader may never see in print.
        let page_result = self
            .fields
            .last()
            .is_some_and(|f| f.separated && page_field(&f.instr));
        if page_result
            && r.elements()
                .filter(|c| c.name == "w:t")
                .any(|c| !is_number(&c.all_text()))
        {
            self.refuse(
                Code::WordField,
                &place.label,
                "a page-number field whose result is not a number",
            );
        }
    }

    /// Refuses text no reader sees: hidden, coloured like what is behind it (or nearly
    /// white on the page), tiny, or drawn in a way the tool does not read (a light theme
    /// colour, a highlight or patterned shading, squeezed, lifted far off its line).
    fn visibility(&mut self, props: &RunProps, place: &Place) {
        if let Some(hidden) = props.hidden.filter(|h| !h.is_empty()) {
            self.refuse(
                Code::WordHiddenText,
                &place.label,
                format!("a hidden run ({hidden})"),
            );
        }
        if let Some(color) = props.color.as_deref().filter(|c| *c != "AUTO") {
            let behind = place
                .shading
                .iter()
                .chain(props.shading.as_ref())
                .chain(self.background.as_ref())
                .any(|b| b == color);
            let white_on_default =
                near_white(color) && props.shading.is_none() && place.shading.is_empty();
            if behind || white_on_default {
                self.refuse(
                    Code::WordInvisibleText,
                    &place.label,
                    "text in the colour of its background (w:color)",
                );
            } else if let Some(what) = self.faint(color, props, place) {
                self.refuse(Code::WordInvisibleText, &place.label, what);
            }
        }
        if let Some(what) = props.unread {
            self.refuse(Code::WordInvisibleText, &place.label, what);
        }
        if props.size.is_some_and(|s| s <= 4) {
            self.refuse(
                Code::WordInvisibleText,
                &place.label,
                "text of 2 pt or smaller (w:sz)",
            );
        }
    }

    /// Why text of `color` does not stand out from what it is shown on, if it does not:
    /// its highlight, else its run's shading, else its paragraph's or cell's (the nearest),
    /// else the white page and the document's background colour. Below
    /// [`MIN_CONTRAST`] the text is one shade off its background, which no reader sees.
    fn faint(&self, color: &str, props: &RunProps, place: &Place) -> Option<&'static str> {
        let filled = |c: &&String| c.as_str() != "AUTO";
        let nearest = props
            .highlight
            .iter()
            .chain(props.shading.iter().filter(filled))
            .chain(place.shading.iter().rev().filter(filled))
            .next();
        let behind: Vec<&str> = match nearest {
            Some(b) => vec![b.as_str()],
            None => std::iter::once("FFFFFF")
                .chain(self.background.as_deref().filter(|b| *b != "AUTO"))
                .collect(),
        };
        for b in behind {
            match contrast(color, b) {
                Some(ratio) if ratio >= MIN_CONTRAST => {}
                Some(_) => {
                    return Some("text that does not stand out from its background (w:color)");
                }
                None => return Some("a text or shading colour the tool does not read (w:color)"),
            }
        }
        None
    }

    fn field_char(&mut self, c: &Element, place: &str) {
        match c.attr("w:fldCharType") {
            Some("begin") => self.fields.push(Field::default()),
            Some("separate") => match self.fields.last_mut() {
                Some(f) if !f.separated => {
                    f.separated = true;
                    let ok = field_allowed(&f.instr);
                    if !ok {
                        self.refuse(Code::WordField, place, "a field off the allow-list");
                    }
                }
                _ => self.refuse(Code::WordField, place, "a field separator out of place"),
            },
            Some("end") => match self.fields.pop() {
                Some(f) if !f.separated && !field_allowed(&f.instr) => {
                    self.refuse(Code::WordField, place, "a field off the allow-list");
                }
                Some(_) => {}
                None => self.refuse(Code::WordField, place, "a field end out of place"),
            },
            _ => self.refuse(
                Code::WordField,
                place,
                "a field character of an unknown type",
            ),
        }
    }

    fn note_label(&mut self, kind: &'static str, id: &str) -> String {
        if let Some(n) = self.notes.iter().find(|n| n.kind == kind && n.id == id) {
            return n.label.clone();
        }
        let count = self.notes.iter().filter(|n| n.kind == kind).count() + 1;
        let label = match kind {
            "footnote" => count.to_string(),
            _ => format!("e{count}"),
        };
        self.notes.push(NoteRef {
            kind,
            id: id.to_string(),
            label: label.clone(),
            block: usize::MAX,
        });
        label
    }

    /// A table: a one-cell table as its paragraphs, any other as a pipe table.
    fn table(&mut self, tbl: &Element, section: usize) {
        let place = format!("the table after paragraph {}", self.paragraph);
        let mut rows: Vec<Vec<&Element>> = Vec::new();
        for e in tbl.elements() {
            match e.name.as_str() {
                "w:tblPr" => {
                    self.properties(e, TBLPR, &place);
                    if let Some(shd) = e.child("w:shd") {
                        let fill = shd.attr("w:fill").unwrap_or("auto").to_ascii_uppercase();
                        if !crate::styles::plain_shading(shd)
                            || !(fill == "AUTO" || fill == "FFFFFF")
                        {
                            self.refuse(Code::WordInvisibleText, &place, "table shading (w:shd)");
                        }
                    }
                    let style = e.child("w:tblStyle").and_then(|s| s.attr("w:val"));
                    if let Some(what) = style.and_then(|s| self.styles.unread(Some(s))) {
                        self.refuse(Code::WordInvisibleText, &place, what);
                    }
                }
                "w:tblGrid" => {
                    for g in e.elements().filter(|g| g.name != "w:gridCol") {
                        self.refuse_foreign(g, &place);
                    }
                }
                "w:tr" => rows.push(self.row(e, &place)),
                n if MARKS.contains(&n) => self.mark_between(e),
                _ => self.refuse_foreign(e, &place),
            }
        }
        if rows.len() == 1 && rows[0].len() == 1 {
            // A one-cell table is a box around paragraphs: read as the paragraphs it holds.
            let cell = rows[0][0];
            let fill = cell_fill(cell);
            for p in cell.elements().filter(|p| p.name == "w:p") {
                self.body_paragraph(p, section, fill.as_deref());
            }
            return;
        }
        let mut md_rows = Vec::new();
        for row in &rows {
            let mut cells = Vec::new();
            for cell in row {
                cells.push(self.cell(cell));
            }
            md_rows.push(cells);
        }
        if md_rows.is_empty() {
            return;
        }
        let width = md_rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let line = |cells: &[String]| {
            let mut out = String::from("|");
            for i in 0..width {
                let c = cells.get(i).map_or("", String::as_str);
                out.push(' ');
                out.push_str(c);
                out.push_str(" |");
            }
            out
        };
        let mut text = line(&md_rows[0]);
        text.push('\n');
        text.push('|');
        text.push_str(&" --- |".repeat(width));
        for r in &md_rows[1..] {
            text.push('\n');
            text.push_str(&line(r));
        }
        self.body.blocks.push(Block {
            text,
            list: None,
            section,
        });
    }

    /// A row's cells, its properties checked.
    fn row<'e>(&mut self, tr: &'e Element, place: &str) -> Vec<&'e Element> {
        let mut cells = Vec::new();
        for e in tr.elements() {
            match e.name.as_str() {
                "w:trPr" => {
                    for c in e.elements() {
                        let exact_tiny = c.name == "w:trHeight"
                            && c.attr("w:hRule") == Some("exact")
                            && c.attr("w:val")
                                .and_then(|v| v.parse::<i64>().ok())
                                .is_none_or(|v| v < 200);
                        if exact_tiny {
                            self.refuse(
                                Code::WordInvisibleText,
                                place,
                                "a row of exact height under 10 pt (w:trHeight)",
                            );
                        }
                        if c.name == "w:hidden" {
                            self.refuse(Code::WordHiddenText, place, "a hidden table row");
                        } else if c.name == "w:gridBefore" || c.name == "w:gridAfter" {
                            self.refuse(
                                Code::WordTableNotFaithful,
                                place,
                                "a row that skips grid columns",
                            );
                        } else if !TRPR.contains(&c.name.as_str()) {
                            self.refuse_foreign(c, place);
                        }
                    }
                }
                "w:tc" => {
                    if let Some(tcpr) = e.child("w:tcPr") {
                        self.cell_properties(tcpr, place);
                    }
                    cells.push(e);
                }
                n if MARKS.contains(&n) => self.mark_between(e),
                _ => self.refuse_foreign(e, place),
            }
        }
        cells
    }

    fn cell_properties(&mut self, tcpr: &Element, place: &str) {
        for c in tcpr.elements() {
            match c.name.as_str() {
                "w:vMerge" | "w:hMerge" => self.refuse(
                    Code::WordTableNotFaithful,
                    place,
                    format!("merged cells ({})", c.name),
                ),
                "w:gridSpan" if c.attr("w:val").is_some_and(|v| v != "1") => self.refuse(
                    Code::WordTableNotFaithful,
                    place,
                    "merged cells (w:gridSpan)",
                ),
                n if TCPR.contains(&n) => {
                    let grand = property_children(n);
                    for g in c.elements() {
                        if !grand.contains(&g.name.as_str()) {
                            self.refuse_foreign(g, place);
                        }
                    }
                }
                _ => self.refuse_foreign(c, place),
            }
        }
    }

    /// A cell of a pipe table: its paragraphs on one line, joined by `<br>`.
    fn cell(&mut self, tc: &Element) -> String {
        let fill = cell_fill(tc);
        let mut parts = Vec::new();
        for e in tc.elements() {
            match e.name.as_str() {
                "w:tcPr" => {}
                "w:p" => {
                    let place = self.next_place(fill.clone().into_iter().collect(), true);
                    let (segs, style, num) = self.paragraph(e, &place);
                    if num.is_some_and(|(id, _)| id != "0") {
                        self.refuse(
                            Code::WordTableNotFaithful,
                            &place.label,
                            "a list inside a table cell",
                        );
                    }
                    let heading = self.styles.heading(style.as_deref()).is_some();
                    let segs = breaks_within(segs);
                    let text = render(&segs, heading, "<br>");
                    let text = escape::line_start(text.trim());
                    if !text.is_empty() {
                        parts.push(text);
                    }
                    let table = Item::Block(self.body.blocks.len());
                    self.settle((table, table));
                }
                "w:tbl" => {
                    let place = format!("the table after paragraph {}", self.paragraph);
                    self.refuse(Code::WordTableNotFaithful, &place, "a table inside a cell");
                }
                n if MARKS.contains(&n) => self.mark_between(e),
                _ => {
                    let place = format!("the table after paragraph {}", self.paragraph);
                    self.refuse_foreign(e, &place);
                }
            }
        }
        parts.join("<br>")
    }

    /// The definitions of the notes referred to, in the order of their labels.
    fn read_notes(&mut self) {
        let notes = std::mem::take(&mut self.notes);
        let mut parts: HashMap<&str, Option<Element>> = HashMap::new();
        for note in &notes {
            let part_name = match note.kind {
                "footnote" => "footnotes",
                _ => "endnotes",
            };
            if !parts.contains_key(note.kind) {
                let rel = self
                    .rels
                    .values()
                    .find(|r| r.kind == part_name && !r.external)
                    .map(|r| r.target.clone());
                let root = rel.and_then(|t| match self.package.xml(&t) {
                    Ok(root) => Some(root),
                    Err(reasons) => {
                        self.reasons.extend(reasons);
                        None
                    }
                });
                parts.insert(note.kind, root);
            }
            let Some(Some(root)) = parts.get(note.kind) else {
                self.refuse(
                    Code::WordMissingPart,
                    &format!("{} {}", note.kind, note.label),
                    format!("the {part_name} part is not in the package"),
                );
                continue;
            };
            let same = |e: &&Element| {
                e.name == format!("w:{}", note.kind) && e.attr("w:id") == Some(&note.id)
            };
            if root.elements().filter(same).count() > 1 {
                // Readers take different ones.
                self.refuse(
                    Code::WordNotAPackage,
                    &format!("{} {}", note.kind, note.label),
                    "two notes with one id",
                );
                continue;
            }
            let element = root.elements().find(same).cloned();
            let Some(element) = element else {
                self.refuse(
                    Code::WordMissingPart,
                    &format!("{} {}", note.kind, note.label),
                    "a note the notes part does not hold",
                );
                continue;
            };
            let text = self.note(&element, note);
            self.body.notes.push((text, note.block));
        }
    }

    /// One note's definition: `[^label]: ` and its paragraphs, indented under it.
    fn note(&mut self, element: &Element, note: &NoteRef) -> String {
        let mut paragraphs = Vec::new();
        let here = Item::Note(self.body.notes.len());
        for (i, e) in element.elements().enumerate() {
            let place = Place {
                label: format!("{} {}, paragraph {}", note.kind, note.label, i + 1),
                shading: Vec::new(),
                nested: true,
            };
            match e.name.as_str() {
                "w:p" => {
                    let (segs, _, num) = self.paragraph(e, &place);
                    if num.is_some_and(|(id, _)| id != "0") {
                        self.refuse(
                            Code::WordUnknownElement,
                            &place.label,
                            "a list inside a note",
                        );
                    }
                    let segs = breaks_within(segs);
                    let text = render(&segs, false, "\\\n");
                    let text: Vec<String> = text
                        .trim()
                        .split('\n')
                        .map(|l| escape::line_start(l).trim_end().to_string())
                        .collect();
                    let text = text.join("\n    ");
                    if !text.is_empty() {
                        paragraphs.push(text);
                    }
                    self.settle((here, here));
                }
                "w:tbl" => self.refuse(
                    Code::WordTableNotFaithful,
                    &place.label,
                    "a table inside a note",
                ),
                n if MARKS.contains(&n) => {
                    self.mark(e);
                    self.settle((here, here));
                }
                _ => self.refuse_foreign(e, &place.label),
            }
        }
        format!("[^{}]: {}", note.label, paragraphs.join("\n\n    "))
    }
}

/// A list label: a Markdown list marker, or a label written as text.
enum Label {
    Markdown(String),
    Text(String),
}

fn cell_fill(tc: &Element) -> Option<String> {
    tc.child("w:tcPr")
        .and_then(|p| p.child("w:shd"))
        .and_then(|s| s.attr("w:fill"))
        .map(str::to_ascii_uppercase)
}

/// `n` written in a list level's format.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" | "upperLetter" => {
            let mut s = String::new();
            let mut k = n.max(1);
            while k > 0 {
                k -= 1;
                s.insert(0, char::from(b'a' + (k % 26) as u8));
                k /= 26;
            }
            if format == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" | "upperRoman" => {
            let table = [
                (1000, "m"),
                (900, "cm"),
                (500, "d"),
                (400, "cd"),
                (100, "c"),
                (90, "xc"),
                (50, "l"),
                (40, "xl"),
                (10, "x"),
                (9, "ix"),
                (5, "v"),
                (4, "iv"),
                (1, "i"),
            ];
            let mut s = String::new();
            let mut k = n.min(3999);
            for (v, r) in table {
                while k >= v {
                    s.push_str(r);
                    k -= v;
                }
            }
            if format == "upperRoman" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "bullet" | "none" => String::new(),
        _ => n.to_string(),
    }
}

/// The paragraph's text as Word shows it, for recognising a banner.
fn plain_text(segs: &[Seg]) -> String {
    let mut out = String::new();
    for s in segs {
        match s {
            Seg::Text { text, .. } => out.push_str(text),
            Seg::Break | Seg::ParagraphBreak => out.push('\n'),
            Seg::Note(_) => {}
        }
    }
    out
}

/// The Markdown of inline pieces: runs of one emphasis grouped, links written as links,
/// line breaks as `brk`. A heading takes no emphasis (its style is its weight).
fn render(segs: &[Seg], heading: bool, brk: &str) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < segs.len() {
        match &segs[i] {
            Seg::Break | Seg::ParagraphBreak => {
                out.push_str(if heading { " " } else { brk });
                i += 1;
            }
            Seg::Note(label) => {
                out.push_str(&format!("[^{label}]"));
                i += 1;
            }
            Seg::Text { link, .. } => {
                let mut j = i;
                while j < segs.len() && matches!(&segs[j], Seg::Text { link: l, .. } if l == link) {
                    j += 1;
                }
                let inner = emphasis(&segs[i..j], heading);
                match link {
                    Some(url) if !inner.trim().is_empty() => {
                        out.push_str(&format!("[{inner}](<{}>)", safe_url(url)));
                    }
                    _ => out.push_str(&inner),
                }
                i = j;
            }
        }
    }
    out
}

/// Text runs with their emphasis, white space kept outside the markers.
fn emphasis(segs: &[Seg], heading: bool) -> String {
    let mut groups: Vec<(bool, bool, String)> = Vec::new();
    for s in segs {
        if let Seg::Text {
            text, bold, italic, ..
        } = s
        {
            let (b, it) = if heading {
                (false, false)
            } else {
                (*bold, *italic)
            };
            match groups.last_mut() {
                Some((gb, gi, t)) if *gb == b && *gi == it => t.push_str(text),
                _ => groups.push((b, it, text.clone())),
            }
        }
    }
    let mut out = String::new();
    for (b, i, text) in groups {
        let marker = match (b, i) {
            (true, true) => "***",
            (true, false) => "**",
            (false, true) => "*",
            (false, false) => "",
        };
        let core = text.trim();
        if marker.is_empty() || core.is_empty() {
            out.push_str(&escape::inline(&text));
            continue;
        }
        let lead = &text[..text.len() - text.trim_start().len()];
        let trail = &text[text.trim_end().len()..];
        out.push_str(&escape::inline(lead));
        out.push_str(marker);
        out.push_str(&escape::inline(core));
        out.push_str(marker);
        out.push_str(&escape::inline(trail));
    }
    out
}

/// A link address safe inside `<...>`: white space, angle brackets and backslashes
/// percent-encoded.
fn safe_url(url: &str) -> String {
    let mut out = String::new();
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The field instructions a report may carry: page numbers, references to its own
/// bookmarks, hyperlinks, a table of contents; any other word, or quoted text other than an
/// address, a bookmark or a heading range, refuses the document.
pub fn field_allowed(instr: &str) -> bool {
    let tokens = tokens(instr);
    let Some((first, rest)) = tokens.split_first() else {
        return false;
    };
    const FORMATS: &[&str] = &[
        "MERGEFORMAT",
        "CHARFORMAT",
        "ARABIC",
        "ALPHABETIC",
        "ROMAN",
        "UPPER",
        "LOWER",
        "FIRSTCAP",
        "CAPS",
        "ARABICDASH",
    ];
    let switch = |t: &str| {
        t == "\\*"
            || t.starts_with('\\')
                && t.len() <= 3
                && t[1..].chars().all(|c| c.is_ascii_alphabetic())
            || FORMATS.contains(&t.to_ascii_uppercase().as_str())
    };
    let bookmark = |t: &str| {
        !t.is_empty() && t.len() <= 40 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let unquote = |t: &str| t.trim_matches('"').to_string();
    match first.to_ascii_uppercase().as_str() {
        "PAGE" | "NUMPAGES" | "SECTIONPAGES" | "SECTION" => rest.iter().all(|t| switch(t)),
        "PAGEREF" | "REF" | "NOTEREF" => {
            rest.first().is_some_and(|b| bookmark(&unquote(b)))
                && rest[1..].iter().all(|t| switch(t))
        }
        "HYPERLINK" => {
            let mut ok = true;
            let mut prev = "";
            for t in rest {
                let q = unquote(t);
                ok &= if t.starts_with('"') {
                    // An address, or the bookmark after \l; never \o's screen tip.
                    (prev.is_empty() && !q.contains(char::is_whitespace) && !q.is_empty())
                        || (prev == "\\l" && bookmark(&q))
                } else {
                    matches!(t.as_str(), "\\l" | "\\h" | "\\n" | "\\m" | "\\t")
                        || FORMATS.contains(&t.to_ascii_uppercase().as_str())
                };
                prev = if t.starts_with('\\') { t } else { "" };
            }
            ok
        }
        "TOC" => {
            let mut ok = true;
            let mut prev = "";
            for t in rest {
                let q = unquote(t);
                ok &= if t.starts_with('"') {
                    matches!(prev, "\\o" | "\\l" | "\\p")
                        && q.chars().all(|c| c.is_ascii_digit() || c == '-')
                } else {
                    switch(t)
                };
                prev = if t.starts_with('\\') { t } else { "" };
            }
            ok
        }
        _ => false,
    }
}

/// The kind of a field that shows text copied from elsewhere in the document, and the
/// bookmark it copies: a cross-reference (REF, NOTEREF, PAGEREF), a link to a bookmark
/// (HYPERLINK \l) or a table of contents (its entries name their headings' bookmarks).
fn copies(instr: &str) -> Option<(&'static str, Option<String>)> {
    let tokens = tokens(instr);
    let (first, rest) = tokens.split_first()?;
    let unquote = |t: &String| t.trim_matches('"').to_string();
    let kind = match first.to_ascii_uppercase().as_str() {
        "REF" => "cross-reference (REF)",
        "NOTEREF" => "note reference (NOTEREF)",
        "PAGEREF" => "page reference (PAGEREF)",
        "TOC" => return Some(("table of contents entry (TOC)", None)),
        "HYPERLINK" => {
            let at = rest.iter().position(|t| t == "\\l")?;
            let target = rest.get(at + 1).map(unquote).unwrap_or_default();
            return Some(("link to a bookmark (HYPERLINK \\l)", Some(target)));
        }
        _ => return None,
    };
    Some((kind, Some(rest.first().map(unquote).unwrap_or_default())))
}

/// Field instructions cut into words, quoted text kept whole with its quotes.
fn tokens(instr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in instr.chars() {
        match c {
            '"' => {
                cur.push(c);
                if quoted {
                    out.push(std::mem::take(&mut cur));
                }
                quoted = !quoted;
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Elements of the document part outside the body that are read: the background colour.
pub fn background(document: &Element) -> Option<String> {
    document
        .child("w:background")
        .and_then(|b| b.attr("w:color"))
        .map(str::to_ascii_uppercase)
}

/// A paragraph's segments with its paragraph breaks as line breaks: in a cell or a note,
/// paragraphs are lines of one block.
fn breaks_within(segs: Vec<Seg>) -> Vec<Seg> {
    segs.into_iter()
        .map(|s| {
            if s == Seg::ParagraphBreak {
                Seg::Break
            } else {
                s
            }
        })
        .collect()
}

/// True for text of digits and spaces only.
fn is_number(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace())
}

/// True for a field that shows a page number or count.
fn page_field(instr: &str) -> bool {
    let word = instr
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    matches!(word.as_str(), "PAGE" | "NUMPAGES" | "SECTIONPAGES")
}

/// The least contrast ratio (WCAG 2) text may have with what it is shown on. Light grey
/// that a reader still reads (A6A6A6 on white, 2.4:1) stands above it; text one shade off
/// its background (FEFEFE on white, 010101 on black, about 1:1), yellow on white (1.1:1)
/// or silver on white (C0C0C0, 1.8:1) stand below it.
const MIN_CONTRAST: f64 = 2.0;

/// The relative luminance (WCAG 2) of a colour written as six hex digits.
fn luminance(hex: &str) -> Option<f64> {
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let mut sum = 0.0;
    for (i, weight) in [0.2126, 0.7152, 0.0722].into_iter().enumerate() {
        let c = f64::from(u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).ok()?) / 255.0;
        let linear = if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        };
        sum += weight * linear;
    }
    Some(sum)
}

/// The contrast ratio (WCAG 2) of two colours, from 1 (the same) to 21 (black on white).
fn contrast(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    Some((la.max(lb) + 0.05) / (la.min(lb) + 0.05))
}

/// A colour no reader tells from a white page: every component at least E6.
fn near_white(color: &str) -> bool {
    color.len() == 6
        && (0..3).all(|i| u8::from_str_radix(&color[i * 2..i * 2 + 2], 16).is_ok_and(|c| c >= 0xE6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_allow_list_admits_page_numbers_links_and_contents_only() {
        for ok in [
            " PAGE   \\* MERGEFORMAT ",
            "NUMPAGES",
            "HYPERLINK \"https://www.london.gov.uk/mopac\"",
            "HYPERLINK \\l \"_Toc123\"",
            "PAGEREF _Toc123456 \\h",
            "TOC \\o \"1-3\" \\h \\z \\u",
        ] {
            assert!(field_allowed(ok), "{ok}");
        }
        for refused in [
            "",
            "QUOTE \"the bid was 1.2m\"",
            "HYPERLINK \"https://x\" \\o \"screen tip text\"",
            "AUTHOR",
            "DOCPROPERTY Secret",
            "PAGE secret words",
            "MACROBUTTON x",
        ] {
            assert!(!field_allowed(refused), "{refused}");
        }
    }

    #[test]
    fn emphasis_keeps_white_space_outside_its_markers() {
        let segs = [
            Seg::Text {
                text: "Part 1 ".into(),
                bold: true,
                italic: false,
                link: None,
            },
            Seg::Text {
                text: "is *public*".into(),
                bold: false,
                italic: false,
                link: None,
            },
        ];
        assert_eq!(render(&segs, false, "\\\n"), "**Part 1** is \\*public\\*");
        assert_eq!(render(&segs, true, "\\\n"), "Part 1 is \\*public\\*");
    }

    #[test]
    fn numbers_take_their_list_format() {
        assert_eq!(format_number(3, "lowerLetter"), "c");
        assert_eq!(format_number(28, "upperLetter"), "AB");
        assert_eq!(format_number(14, "lowerRoman"), "xiv");
        assert_eq!(format_number(7, "decimal"), "7");
    }
}

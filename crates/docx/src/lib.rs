//! Word input: a `.docx` report read into the Markdown the rest of the tool publishes from.
//!
//! ```text
//! bytes -> package (zip, bounds, parts, relationships) -> styles, numbering
//!       -> body (allow-listed elements; hidden data refused) -> Markdown + restricted lines
//! ```
//!
//! The derived Markdown is the source of record: the tool redacts it, its manifest's spans
//! and `verify --source` refer to it, and `mopac-redact convert` prints it. Reading Word
//! itself is what keeps "delete, never hide": a converter publishes hidden runs, tracked
//! deletions, comments and text boxes as ordinary text, while this reader refuses the
//! document, each kind with its own code and the paragraph it is in, so the author can act.
//! Every element of the body is allow-listed: one this crate does not know refuses the
//! document rather than being skipped. Headers, footers and the document properties are
//! never part of the Markdown; the headers and footers are read only to find the sections
//! whose marking is sensitive ([`Converted::restricted`]). Messages name paragraphs and
//! element names, never the document's text.
//!
//! This crate knows Word, not MOPAC: what opens Part 2 and what marking is sensitive are
//! the caller's to say ([`Policy`]).

mod body;
mod escape;
mod package;
mod styles;
mod xml;

use std::collections::{BTreeMap, HashMap};

use mopac_types::reason::{Code, Reason};

pub use body::field_allowed;
pub use package::Limits;

use body::{Block, Body, Item, Reader};
use package::{Package, refuse};
use styles::{Numbering, Styles};

/// What the caller recognises: the reader knows Word, the caller knows reports.
pub struct Policy<'a> {
    /// True for the text of a paragraph that opens Part 2 (the Part 2 banner): notes
    /// referred to before it are defined before it, so none of Part 1's goes with Part 2.
    pub starts_part2: &'a dyn Fn(&str) -> bool,
    /// True for the text of a header or footer that carries a sensitive marking.
    pub restricted_marking: &'a dyn Fn(&str) -> bool,
    pub limits: Limits,
}

/// A converted report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// The derived Markdown, the source of record.
    pub markdown: String,
    /// Where what the caller rules on stands in the Markdown.
    pub places: Places,
}

/// Where things stand in the derived Markdown (1-based lines), for the caller to rule on
/// with what it knows of reports: where Part 2 begins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places {
    /// First and last lines that stand in a section whose header or footer carries a
    /// sensitive marking: restricted ground, never to be published as Part 1.
    pub restricted: Vec<(usize, usize)>,
    /// Every bookmark of the body and the notes.
    pub bookmarks: Vec<Bookmark>,
    /// Every field or link that shows text copied from elsewhere in the document.
    pub copies: Vec<CopyingField>,
}

/// A bookmark: the text between its start and its end is what a field naming it copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bookmark {
    /// Its name, as the document writes it (Word compares names whatever their case).
    pub name: String,
    /// The first line its start stands on.
    pub first: usize,
    /// The last line of the text it spans; `None` when it never ends (it may span any text
    /// after its start).
    pub last: Option<usize>,
}

/// A field or link whose result is text copied from elsewhere in the document: a
/// cross-reference (REF, NOTEREF, PAGEREF), a link to a bookmark, a table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyingField {
    /// What copies it, for messages ("cross-reference (REF)"): never document text.
    pub kind: &'static str,
    /// The bookmark it copies; `None` for a contents entry that names none.
    pub target: Option<String>,
    /// The first line of the paragraph that shows it.
    pub line: usize,
}

/// True for a file name the tool reads as Word.
pub fn is_word(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("docx"))
}

/// Reads `bytes` as a Word document: its Markdown, or every reason it is refused.
pub fn convert(bytes: &[u8], policy: &Policy<'_>) -> Result<Converted, Vec<Reason>> {
    let package = Package::open(bytes, &policy.limits)?;
    let rels = package.rels(&package.main)?;
    let document = package.xml(&package.main)?;
    if document.name != "w:document" {
        return Err(refuse(
            Code::WordNotAPackage,
            "the main part is not a Word document body",
        ));
    }
    for e in document.elements() {
        if !matches!(e.name.as_str(), "w:body" | "w:background") {
            return Err(refuse(
                Code::WordUnknownElement,
                format!(
                    "the document: an element the tool does not read ({})",
                    e.name
                ),
            ));
        }
    }
    let Some(body) = document.child("w:body") else {
        return Err(refuse(Code::WordMissingPart, "the document has no body"));
    };
    let part = |kind: &str| -> Result<Option<xml::Element>, Vec<Reason>> {
        match rels.values().find(|r| r.kind == kind && !r.external) {
            Some(r) => package.xml(&r.target).map(Some),
            None => Ok(None),
        }
    };
    let styles = part("styles")?
        .map(|s| Styles::read(&s))
        .unwrap_or_default();
    let numbering = part("numbering")?.map(|n| Numbering::read(&n));
    // Text in a theme colour shows in the theme's colour: a theme whose dark or accent
    // colours are near white could hide text that says it is "text 1".
    if let Some(theme) = part("theme")?
        && let Some(slot) = light_theme_slot(&theme)
    {
        return Err(refuse(
            Code::WordInvisibleText,
            format!("the theme: its colour {slot} is near white, the page's colour"),
        ));
    }
    let reader = Reader::new(
        &package,
        styles,
        numbering,
        rels.clone(),
        body::background(&document),
        policy.starts_part2,
    );
    let body = reader.read(body)?;
    let restricted = restricted_sections(&package, &rels, &body, policy)?;
    Ok(assemble(&body, &restricted))
}

/// For each section, whether a header or footer it shows carries a sensitive marking. A
/// section without its own header or footer of a kind shows the previous section's.
fn restricted_sections(
    package: &Package,
    rels: &BTreeMap<String, package::Rel>,
    body: &Body,
    policy: &Policy<'_>,
) -> Result<Vec<bool>, Vec<Reason>> {
    let mut inherited: BTreeMap<String, String> = BTreeMap::new();
    let mut cache: HashMap<String, bool> = HashMap::new();
    let mut out = Vec::new();
    for sect in &body.sections {
        for r in sect
            .elements()
            .filter(|e| e.name == "w:headerReference" || e.name == "w:footerReference")
        {
            let kind = format!("{}:{}", r.name, r.attr("w:type").unwrap_or("default"));
            let Some(id) = r.attr("r:id") else {
                return Err(refuse(
                    Code::WordMissingPart,
                    "a header or footer reference without its relationship",
                ));
            };
            inherited.insert(kind, id.to_string());
        }
        let mut restricted = false;
        for id in inherited.values() {
            let Some(rel) = rels.get(id).filter(|r| !r.external) else {
                return Err(refuse(
                    Code::WordMissingPart,
                    "a header or footer the package does not hold",
                ));
            };
            if let Some(&r) = cache.get(&rel.target) {
                restricted |= r;
                continue;
            }
            let root = package.xml(&rel.target)?;
            let r = (policy.restricted_marking)(&root.all_text());
            cache.insert(rel.target.clone(), r);
            restricted |= r;
        }
        out.push(restricted);
    }
    Ok(out)
}

/// The Markdown of the blocks, with the notes' definitions at the end of the part that
/// refers to them, and the lines of restricted sections.
fn assemble(body: &Body, restricted_sections: &[bool]) -> Converted {
    let restricted_of = |section: usize| restricted_sections.get(section).copied().unwrap_or(false);
    // (text, list, restricted, what it is)
    let mut items: Vec<(String, Option<&body::ListItem>, bool, Item)> = Vec::new();
    let part2 = body.part2.unwrap_or(usize::MAX);
    let defs = |before: bool| {
        body.notes
            .iter()
            .enumerate()
            .filter(move |(_, (_, block))| (*block < part2) == before)
            .map(|(k, (text, block))| {
                let section = body.blocks.get(*block).map_or(usize::MAX, |b| b.section);
                (text.clone(), None, restricted_of(section), Item::Note(k))
            })
    };
    for (
        i,
        Block {
            text,
            list,
            section,
        },
    ) in body.blocks.iter().enumerate()
    {
        if i == part2 {
            items.extend(defs(true));
        }
        items.push((
            text.clone(),
            list.as_ref(),
            restricted_of(*section),
            Item::Block(i),
        ));
    }
    if part2 >= body.blocks.len() {
        items.extend(defs(true));
    }
    items.extend(defs(false));

    let mut markdown = String::new();
    let mut restricted = Vec::new();
    let mut line = 1;
    let mut stack: Vec<(u32, usize)> = Vec::new();
    let mut prev_list = false;
    let mut lines_of: HashMap<Item, (usize, usize)> = HashMap::new();
    for (text, list, is_restricted, item) in items {
        if !markdown.is_empty() {
            let sep = if prev_list && list.is_some() {
                "\n"
            } else {
                "\n\n"
            };
            line += sep.len();
            markdown.push_str(sep);
        }
        if list.is_none() {
            stack.clear();
        }
        let block = match list {
            Some(item) => {
                while stack.last().is_some_and(|(l, _)| *l >= item.level) {
                    stack.pop();
                }
                let indent = stack.last().map_or(0, |(_, i)| *i);
                stack.push((item.level, indent + item.marker.len()));
                let pad = " ".repeat(indent + item.marker.len());
                let body = text.replace('\n', &format!("\n{pad}"));
                format!("{}{}{}", " ".repeat(indent), item.marker, body)
            }
            None => text,
        };
        prev_list = list.is_some();
        let lines = block.matches('\n').count();
        if is_restricted {
            restricted.push((line, line + lines));
        }
        lines_of.insert(item, (line, line + lines));
        line += lines;
        markdown.push_str(&block);
    }
    if !markdown.is_empty() {
        markdown.push('\n');
    }
    // An item with no Markdown of its own (after the last block) stands after it all.
    let after = line + 1;
    let at = |item: &Item| lines_of.get(item).copied().unwrap_or((after, after));
    let bookmarks = body
        .bookmarks
        .iter()
        .map(|b| Bookmark {
            name: b.name.clone(),
            first: at(&b.start.0).0,
            last: b.end.map(|end| at(&end.1).1.max(at(&b.start.1).1)),
        })
        .collect();
    let copies = body
        .copies
        .iter()
        .map(|c| CopyingField {
            kind: c.kind,
            target: c.target.clone(),
            line: at(&c.at.0).0,
        })
        .collect();
    Converted {
        markdown,
        places: Places {
            restricted,
            bookmarks,
            copies,
        },
    }
}

/// The first dark, accent or hyperlink colour of a theme that is near white (each component
/// at least E6), by its slot's name.
fn light_theme_slot(theme: &xml::Element) -> Option<String> {
    let scheme = theme.child("a:themeElements")?.child("a:clrScheme")?;
    for slot in scheme.elements() {
        let name = slot.name.trim_start_matches("a:");
        if matches!(name, "lt1" | "lt2") {
            continue;
        }
        let value = slot.elements().find_map(|c| match c.name.as_str() {
            "a:srgbClr" => c.attr("val"),
            "a:sysClr" => c.attr("lastClr"),
            _ => None,
        });
        let light = value.is_some_and(|v| {
            v.len() == 6
                && (0..3)
                    .all(|i| u8::from_str_radix(&v[i * 2..i * 2 + 2], 16).is_ok_and(|c| c >= 0xE6))
        });
        if light {
            return Some(name.to_string());
        }
    }
    None
}

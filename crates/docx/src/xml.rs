//! The package's XML parts as small trees, names resolved to canonical prefixes.
//!
//! A part is read with quick-xml's namespace-aware reader into elements whose names carry
//! the prefix this crate gives each known namespace (`w:p` whatever prefix the file uses), so
//! a file cannot hide an element behind an unusual prefix. A name in a namespace the crate
//! does not know keeps its namespace in braces (`{urn:x}p`) and is unknown wherever it
//! stands. A document type declaration, an entity other than XML's five and character
//! references, a processing instruction or a parse error refuses the part: nothing is
//! expanded. Depth is bounded, so a deeply nested part cannot exhaust the stack.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// The deepest an element may be nested.
pub const MAX_DEPTH: usize = 256;

/// The namespaces this crate reads, with the prefix it writes them with.
const NAMESPACES: [(&str, &str); 20] = [
    (
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "w",
    ),
    (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "r",
    ),
    (
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
        "wp",
    ),
    ("http://schemas.openxmlformats.org/drawingml/2006/main", "a"),
    (
        "http://schemas.openxmlformats.org/drawingml/2006/picture",
        "pic",
    ),
    ("urn:schemas-microsoft-com:vml", "v"),
    ("urn:schemas-microsoft-com:office:office", "o"),
    ("urn:schemas-microsoft-com:office:word", "w10"),
    (
        "http://schemas.openxmlformats.org/markup-compatibility/2006",
        "mc",
    ),
    (
        "http://schemas.microsoft.com/office/word/2010/wordml",
        "w14",
    ),
    (
        "http://schemas.microsoft.com/office/word/2012/wordml",
        "w15",
    ),
    (
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        "wps",
    ),
    (
        "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
        "wpg",
    ),
    (
        "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
        "wpc",
    ),
    (
        "http://schemas.openxmlformats.org/officeDocument/2006/math",
        "m",
    ),
    (
        "http://schemas.openxmlformats.org/package/2006/relationships",
        "rel",
    ),
    (
        "http://schemas.openxmlformats.org/package/2006/content-types",
        "ct",
    ),
    (
        "http://schemas.openxmlformats.org/drawingml/2006/chart",
        "c",
    ),
    (
        "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
        "s",
    ),
    ("http://www.w3.org/XML/1998/namespace", "xml"),
];

/// The start of Strict OOXML's namespaces.
pub const STRICT: &str = "http://purl.oclc.org/ooxml/";

/// Why a part could not be read as XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlError {
    /// Not well-formed, not UTF-8, or a processing instruction.
    Malformed(String),
    /// A document type declaration or an entity reference to expand.
    Dtd,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// An element in a Strict OOXML namespace.
    Strict,
}

/// A child of an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    Text(String),
}

/// An element with its canonical name, attributes and children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    /// The value of the attribute `name` (canonical, e.g. `w:val`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// Every element of the subtree, this one first, in document order.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            out.push(e);
            let kids: Vec<&Element> = e.elements().collect();
            stack.extend(kids.into_iter().rev());
        }
        out
    }

    /// The text of the subtree's text nodes, concatenated; each paragraph starts a line.
    pub fn all_text(&self) -> String {
        let mut out = String::new();
        for e in self.descendants() {
            for n in &e.children {
                if let Node::Text(t) = n {
                    out.push_str(t);
                }
            }
            // Each paragraph on a line of its own, so a marking can be read line by line.
            if e.name == "w:p" {
                out.push('\n');
            } else if e.name == "w:br" || e.name == "w:tab" {
                out.push(' ');
            }
        }
        out
    }
}

fn canonical(ns: &ResolveResult<'_>, local: &str) -> Result<String, XmlError> {
    match ns {
        ResolveResult::Bound(ns) => {
            let uri = ns.0;
            if uri.starts_with(STRICT) {
                return Err(XmlError::Strict);
            }
            Ok(match NAMESPACES.iter().find(|(u, _)| *u == uri) {
                Some((_, prefix)) => format!("{prefix}:{local}"),
                None => format!("{{{uri}}}{local}"),
            })
        }
        ResolveResult::Unbound => Ok(local.to_string()),
        ResolveResult::Unknown(p) => Err(XmlError::Malformed(format!(
            "an undeclared namespace prefix '{}'",
            p
        ))),
    }
}

fn element(
    reader: &NsReader<&[u8]>,
    e: &quick_xml::events::BytesStart<'_>,
) -> Result<Element, XmlError> {
    let malformed = |e: &dyn std::fmt::Display| XmlError::Malformed(e.to_string());
    let (ns, local) = reader.resolver().resolve_element(e.name());
    let name = canonical(&ns, local.as_ref())?;
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| malformed(&e))?;
        let key = a.key.0;
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let (ns, local) = reader.resolver().resolve_attribute(a.key);
        let key = canonical(&ns, local.as_ref())?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|_| XmlError::Dtd)?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
    })
}

/// The predefined entities of XML; any other needs a DTD, which is refused.
fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(top) = stack.last_mut() {
        if let Some(Node::Text(t)) = top.children.last_mut() {
            t.push_str(text);
        } else {
            top.children.push(Node::Text(text.to_string()));
        }
    }
}

/// Parses `bytes` into its root element.
pub fn parse(bytes: &[u8]) -> Result<Element, XmlError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| XmlError::Malformed("a part that is not UTF-8".into()))?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| XmlError::Malformed(e.to_string()))?;
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooDeep);
                }
                stack.push(element(&reader, &e)?);
            }
            Event::Empty(e) => {
                let el = element(&reader, &e)?;
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::Element(el)),
                    None if root.is_none() => root = Some(el),
                    None => return Err(XmlError::Malformed("two root elements".into())),
                }
            }
            Event::End(_) => {
                let el = stack
                    .pop()
                    .ok_or_else(|| XmlError::Malformed("an unopened end tag".into()))?;
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::Element(el)),
                    None if root.is_none() => root = Some(el),
                    None => return Err(XmlError::Malformed("two root elements".into())),
                }
            }
            Event::Text(t) => {
                let t = t.xml10_content();
                if stack.is_empty() {
                    if !t.trim().is_empty() {
                        return Err(XmlError::Malformed("text outside the root".into()));
                    }
                } else {
                    push_text(&mut stack, &t);
                }
            }
            Event::CData(c) => {
                let t = c.into_inner().into_owned();
                push_text(&mut stack, &t);
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => predefined(&r.into_inner()).ok_or(XmlError::Dtd)?,
                    Err(_) => return Err(XmlError::Dtd),
                };
                if stack.is_empty() {
                    return Err(XmlError::Malformed("text outside the root".into()));
                }
                push_text(&mut stack, c.encode_utf8(&mut [0; 4]));
            }
            Event::DocType(_) => return Err(XmlError::Dtd),
            Event::PI(_) => {
                return Err(XmlError::Malformed("a processing instruction".into()));
            }
            Event::Decl(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Malformed("an unclosed element".into()));
    }
    root.ok_or_else(|| XmlError::Malformed("no root element".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_canonical_whatever_the_file_calls_them() {
        let xml = br#"<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:body><x:p/></x:body></x:document>"#;
        let root = parse(xml).unwrap();
        assert_eq!(root.name, "w:document");
        assert_eq!(
            root.child("w:body")
                .unwrap()
                .elements()
                .next()
                .unwrap()
                .name,
            "w:p"
        );
    }

    #[test]
    fn a_doctype_or_an_unknown_entity_is_refused() {
        let dtd = br#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "boom">]><d>&e;</d>"#;
        assert_eq!(parse(dtd), Err(XmlError::Dtd));
        assert_eq!(parse(b"<d>&e;</d>"), Err(XmlError::Dtd));
        assert_eq!(parse(br#"<d a="&e;"/>"#), Err(XmlError::Dtd));
    }

    #[test]
    fn predefined_and_character_references_are_read() {
        let root = parse(b"<d>a&amp;b&#x2013;c</d>").unwrap();
        assert_eq!(root.all_text(), "a&b\u{2013}c");
    }

    #[test]
    fn strict_namespaces_and_deep_nesting_are_refused() {
        let strict = br#"<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"/>"#;
        assert_eq!(parse(strict), Err(XmlError::Strict));
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(deep.as_bytes()), Err(XmlError::TooDeep));
    }
}

//! The OOXML package: the zip, its bounds, its content types and relationships.
//!
//! Everything a package may not hold is refused here, before a word of the body is read:
//! not a zip, an OLE compound file (an encrypted package or a binary .doc), a zip over the
//! bounds (total size, compression ratio, entry count: a zip bomb), zip encryption, macro,
//! glossary and custom XML parts, comments, embedded objects, and a relationship to
//! anything outside the file other than a hyperlink.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use mopac_types::reason::{Code, Reason};

use crate::xml::{self, Element, XmlError};

/// The bounds a package must keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest file read.
    pub file_bytes: u64,
    /// The most entries in the zip.
    pub entries: usize,
    /// The most bytes all entries hold once uncompressed.
    pub total_bytes: u64,
    /// The highest ratio of an entry's uncompressed to compressed size (entries over 1 MiB).
    pub ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 64 << 20,
            entries: 2_000,
            total_bytes: 128 << 20,
            ratio: 200,
        }
    }
}

/// The magic of an OLE compound file: an encrypted package or a binary .doc.
const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const MAIN_TYPES: [&str; 2] = [
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
];

/// One relationship of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rel {
    /// The relationship type's last path segment ("hyperlink", "styles", "header", ...).
    pub kind: String,
    /// The target: a part name (resolved, lower case) or, when external, the address.
    pub target: String,
    pub external: bool,
}

/// A read package: its entries by lower-case name.
#[derive(Debug)]
pub struct Package {
    entries: BTreeMap<String, Vec<u8>>,
    /// The main document part's name.
    pub main: String,
}

pub(crate) fn refuse(code: Code, message: impl Into<String>) -> Vec<Reason> {
    vec![Reason::new(code, 0, message)]
}

/// The reason for a part that is not XML the tool reads.
pub(crate) fn xml_refusal(part: &str, e: XmlError) -> Vec<Reason> {
    match e {
        XmlError::Dtd => refuse(
            Code::WordDtd,
            format!("{part}: a document type declaration or an entity to expand"),
        ),
        XmlError::Strict => refuse(
            Code::WordStrictOoxml,
            format!("{part}: Strict Open XML namespaces"),
        ),
        XmlError::TooDeep => refuse(
            Code::WordTooLarge,
            format!("{part}: elements nested more than {} deep", xml::MAX_DEPTH),
        ),
        XmlError::Malformed(why) => refuse(
            Code::WordNotAPackage,
            format!("{part}: not well-formed XML ({why})"),
        ),
    }
}

/// True when the UTF-16 name `EncryptedPackage` stands in an OLE file's bytes.
fn names_encrypted_package(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

impl Package {
    /// Opens `bytes` as a package within `limits`, refusing what no report holds.
    pub fn open(bytes: &[u8], limits: &Limits) -> Result<Package, Vec<Reason>> {
        if bytes.len() as u64 > limits.file_bytes {
            return Err(refuse(
                Code::WordTooLarge,
                format!("the file is over {} MiB", limits.file_bytes >> 20),
            ));
        }
        if bytes.starts_with(&OLE) {
            return Err(if names_encrypted_package(bytes) {
                refuse(
                    Code::WordEncrypted,
                    "an encrypted, password-protected Word file",
                )
            } else {
                refuse(
                    Code::WordBinaryDoc,
                    "a binary Word 97-2003 document, not a .docx package",
                )
            });
        }
        let entries = read_entries(bytes, limits)?;
        let mut package = Package {
            entries,
            main: String::new(),
        };
        package.refuse_forbidden_parts()?;
        package.main = package.main_part()?;
        package.refuse_external_relationships()?;
        Ok(package)
    }

    /// The bytes of the part `name` (case-insensitive), if present.
    pub fn part(&self, name: &str) -> Option<&[u8]> {
        self.entries
            .get(&name.trim_start_matches('/').to_lowercase())
            .map(Vec::as_slice)
    }

    /// The part `name` parsed, or the reason it cannot be.
    pub fn xml(&self, name: &str) -> Result<Element, Vec<Reason>> {
        let bytes = self.part(name).ok_or_else(|| {
            refuse(
                Code::WordMissingPart,
                format!("the part {name} is named but not in the package"),
            )
        })?;
        xml::parse(bytes).map_err(|e| xml_refusal(name, e))
    }

    /// The relationships of the part `name`, by id.
    pub fn rels(&self, name: &str) -> Result<BTreeMap<String, Rel>, Vec<Reason>> {
        let (dir, file) = match name.rsplit_once('/') {
            Some((d, f)) => (format!("{d}/"), f),
            None => (String::new(), name),
        };
        let rels_name = format!("{dir}_rels/{file}.rels");
        let Some(bytes) = self.part(&rels_name) else {
            return Ok(BTreeMap::new());
        };
        let root = xml::parse(bytes).map_err(|e| xml_refusal(&rels_name, e))?;
        let mut out = BTreeMap::new();
        for r in root.elements().filter(|e| e.name == "rel:Relationship") {
            let (Some(id), Some(kind), Some(target)) =
                (r.attr("Id"), r.attr("Type"), r.attr("Target"))
            else {
                return Err(refuse(
                    Code::WordNotAPackage,
                    format!("{rels_name}: a relationship without its id, type or target"),
                ));
            };
            let external = r
                .attr("TargetMode")
                .is_some_and(|m| m.eq_ignore_ascii_case("External"));
            let kind = kind.rsplit('/').next().unwrap_or(kind).to_string();
            let target = if external {
                target.to_string()
            } else {
                resolve(&dir, target)
            };
            let rel = Rel {
                kind,
                target,
                external,
            };
            if out.insert(id.to_string(), rel).is_some() {
                return Err(refuse(
                    Code::WordNotAPackage,
                    format!("{rels_name}: two relationships with one id"),
                ));
            }
        }
        Ok(out)
    }

    /// Macros, building blocks, custom XML, comments, embedded objects: refused by the names
    /// of their parts, whatever relationship does or does not name them.
    fn refuse_forbidden_parts(&self) -> Result<(), Vec<Reason>> {
        for name in self.entries.keys() {
            let file = name.rsplit('/').next().unwrap_or(name);
            let code = if file.starts_with("vbaproject")
                || file.starts_with("vbadata")
                || name.starts_with("word/glossary/")
                || name.starts_with("customxml/")
                || name.contains("/customxml/")
            {
                Code::WordMacroOrCustomPart
            } else if file.starts_with("comments") && file.ends_with(".xml") {
                Code::WordComment
            } else if name.starts_with("word/embeddings/")
                || name.starts_with("word/activex/")
                || name.starts_with("word/media/")
                || name.starts_with("word/charts/")
                || name.starts_with("word/diagrams/")
            {
                Code::WordEmbeddedObject
            } else {
                continue;
            };
            return Err(refuse(code, format!("the package holds the part {name}")));
        }
        Ok(())
    }

    /// The main document part, from the package relationships and content types.
    fn main_part(&self) -> Result<String, Vec<Reason>> {
        let types = self.xml("[Content_Types].xml")?;
        if types.name != "ct:Types" {
            return Err(refuse(
                Code::WordNotAPackage,
                "[Content_Types].xml is not a content types part",
            ));
        }
        let rels = self.rels("")?;
        let main = rels
            .values()
            .find(|r| r.kind == "officeDocument" && !r.external)
            .map(|r| r.target.clone());
        let Some(main) = main else {
            let strict = rels.values().any(|r| r.kind == "officeDocument");
            return Err(if strict {
                refuse(
                    Code::WordStrictOoxml,
                    "the main part is not where Word puts it",
                )
            } else {
                refuse(
                    Code::WordMissingPart,
                    "the package names no main document part",
                )
            });
        };
        let content_type = types
            .elements()
            .find(|e| {
                e.name == "ct:Override"
                    && e.attr("PartName")
                        .is_some_and(|p| p.trim_start_matches('/').eq_ignore_ascii_case(&main))
            })
            .and_then(|e| e.attr("ContentType"))
            .unwrap_or("");
        if content_type.starts_with("application/vnd.ms-word.") {
            return Err(refuse(
                Code::WordMacroOrCustomPart,
                "a macro-enabled document (.docm or .dotm)",
            ));
        }
        if !MAIN_TYPES.contains(&content_type) {
            return Err(refuse(
                Code::WordNotAPackage,
                "the main part is not a Word document",
            ));
        }
        if self.part(&main).is_none() {
            return Err(refuse(
                Code::WordMissingPart,
                format!("the main part {main} is not in the package"),
            ));
        }
        Ok(main)
    }

    /// Any relationship to something outside the file, in any part, other than a
    /// hyperlink; and any relationship to a part of a kind no report holds.
    fn refuse_external_relationships(&self) -> Result<(), Vec<Reason>> {
        let rels_parts: Vec<String> = self
            .entries
            .keys()
            .filter(|n| n.ends_with(".rels"))
            .cloned()
            .collect();
        for rels_name in rels_parts {
            let Some((dir, file)) = rels_name.rsplit_once("_rels/") else {
                continue;
            };
            let source = format!("{dir}{}", file.trim_end_matches(".rels"));
            for (id, rel) in self.rels(&source)? {
                let forbidden = match rel.kind.as_str() {
                    "vbaProject"
                    | "glossaryDocument"
                    | "customXml"
                    | "attachedTemplate"
                    | "wordVbaData"
                    | "keyMapCustomizations" => Some(Code::WordMacroOrCustomPart),
                    "comments" | "commentsExtended" | "commentsIds" | "commentsExtensible"
                    | "people" => Some(Code::WordComment),
                    "image" | "oleObject" | "package" | "chart" | "control" | "diagramData"
                    | "video" | "audio" | "media" => Some(Code::WordEmbeddedObject),
                    _ => None,
                };
                if rel.external && rel.kind != "hyperlink" {
                    return Err(refuse(
                        Code::WordExternalRelationship,
                        format!(
                            "{rels_name}: relationship {id} ({}) leads outside the file",
                            rel.kind
                        ),
                    ));
                }
                if let Some(code) = forbidden {
                    return Err(refuse(
                        code,
                        format!("{rels_name}: relationship {id} is of type {}", rel.kind),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// `target` resolved against the folder `dir` ("word/"), lower case, without a leading "/".
fn resolve(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{dir}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/").to_lowercase()
}

/// Every entry of the zip, uncompressed within the bounds.
/// The number of entries the end of the central directory declares (`None` for no record,
/// or a ZIP64 count, which no Word document needs).
fn declared_entries(bytes: &[u8]) -> Option<u16> {
    let at = bytes.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let record = bytes.get(at..at + 22)?;
    let n = u16::from_le_bytes([record[10], record[11]]);
    (n != u16::MAX).then_some(n)
}

fn read_entries(bytes: &[u8], limits: &Limits) -> Result<BTreeMap<String, Vec<u8>>, Vec<Reason>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        refuse(
            Code::WordNotAPackage,
            format!("not a zip package ({})", zip_error(&e)),
        )
    })?;
    // The zip reader keeps one entry of each name: the end of the central directory says how
    // many there are. Two entries with one name are read differently by different readers.
    if declared_entries(bytes).is_none_or(|n| usize::from(n) != zip.len()) {
        return Err(refuse(
            Code::WordNotAPackage,
            "two zip entries with one name, or a central directory that does not agree",
        ));
    }
    if zip.len() > limits.entries {
        return Err(refuse(
            Code::WordTooLarge,
            format!("more than {} entries", limits.entries),
        ));
    }
    let mut entries = BTreeMap::new();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(m) if m.contains("ncrypt") => {
                refuse(Code::WordEncrypted, "an encrypted zip entry")
            }
            e => refuse(
                Code::WordNotAPackage,
                format!("an unreadable zip entry ({})", zip_error(&e)),
            ),
        })?;
        if file.encrypted() {
            return Err(refuse(Code::WordEncrypted, "an encrypted zip entry"));
        }
        let name = file
            .name()
            .map_err(|_| refuse(Code::WordNotAPackage, "a zip entry with an unreadable name"))?
            .trim_start_matches('/')
            .to_lowercase();
        if file.is_dir() {
            continue;
        }
        let declared = file.size();
        let compressed = file.compressed_size().max(1);
        if declared > 1 << 20 && declared / compressed > limits.ratio {
            return Err(refuse(
                Code::WordTooLarge,
                format!("an entry compressed more than {} to 1", limits.ratio),
            ));
        }
        let room = limits.total_bytes - total;
        let mut data = Vec::new();
        // The declared size is not trusted: at most one byte past the room is read.
        (&mut file)
            .take(room + 1)
            .read_to_end(&mut data)
            .map_err(|e| {
                refuse(
                    Code::WordNotAPackage,
                    format!("a zip entry that does not uncompress ({})", e.kind()),
                )
            })?;
        if data.len() as u64 > room {
            return Err(refuse(
                Code::WordTooLarge,
                format!(
                    "more than {} MiB once uncompressed",
                    limits.total_bytes >> 20
                ),
            ));
        }
        if data.len() as u64 > 1 << 20 && data.len() as u64 / compressed > limits.ratio {
            return Err(refuse(
                Code::WordTooLarge,
                format!("an entry compressed more than {} to 1", limits.ratio),
            ));
        }
        total += data.len() as u64;
        if entries.insert(name, data).is_some() {
            return Err(refuse(
                Code::WordNotAPackage,
                "two zip entries with one name",
            ));
        }
    }
    Ok(entries)
}

/// A zip error in words that never quote the file.
fn zip_error(e: &zip::result::ZipError) -> &'static str {
    match e {
        zip::result::ZipError::Io(_) => "a read error",
        zip::result::ZipError::InvalidArchive(_) => "an invalid archive",
        zip::result::ZipError::UnsupportedArchive(_) => "an unsupported archive",
        zip::result::ZipError::FileNotFound => "a missing entry",
        _ => "an unreadable archive",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_their_folder() {
        assert_eq!(resolve("word/", "styles.xml"), "word/styles.xml");
        assert_eq!(
            resolve("word/", "../customXml/item1.xml"),
            "customxml/item1.xml"
        );
        assert_eq!(resolve("", "/word/Document.xml"), "word/document.xml");
    }

    #[test]
    fn ole_files_are_told_apart() {
        let mut doc = OLE.to_vec();
        doc.extend_from_slice(&[0; 64]);
        let r = Package::open(&doc, &Limits::default()).unwrap_err();
        assert_eq!(r[0].code, Code::WordBinaryDoc);
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        doc.extend_from_slice(&name);
        let r = Package::open(&doc, &Limits::default()).unwrap_err();
        assert_eq!(r[0].code, Code::WordEncrypted);
    }

    #[test]
    fn not_a_zip_is_refused() {
        let r = Package::open(b"# A Markdown report\n", &Limits::default()).unwrap_err();
        assert_eq!(r[0].code, Code::WordNotAPackage);
    }
}

//! Word reports: a `.docx` read into its derived Markdown, with the classifications' words.
//!
//! The reader (`mopac_docx`) knows Word; this module tells it what a report means: a
//! paragraph opens Part 2 when its first line starts a Part 2 banner as `banners.yaml`
//! says, and a header or footer is restricted when either side's marking reader finds a
//! sensitive marking in it (the redactor's configured markings, or the verifier's more
//! conservative detector, whichever sees one). The derived Markdown is then the report:
//! every command reads it as it reads a Markdown file.
//!
//! Restricted sections fail closed: a report whose derived Markdown has a line from a
//! section with a sensitive header or footer before its Part 2 banner (or anywhere, when
//! it has no Part 2) is quarantined [`Code::WordRestrictedSection`]. After the banner,
//! only the banner, the marking statement and the marking are published, and the
//! classifier already proves those are nothing else.
//!
//! Fields that copy text fail closed too: a cross-reference, a link to a bookmark or a
//! table of contents entry shows text from elsewhere in the document, as it was when the
//! field was last updated. One that stands before the Part 2 banner (or anywhere, when
//! there is none) is published only when the bookmark it names exists and ends before the
//! banner; any other quarantines the report [`Code::WordReferenceNotPublic`].

use std::borrow::Cow;
use std::path::Path;

use mopac_docx::{Converted, Limits, Places, Policy};
use mopac_redactor::classify::Role;
use mopac_redactor::config::Classifications;
use mopac_redactor::{Analysis, marking, normalize};
use mopac_types::reason::{Code, Reason};
use mopac_verifier as verify;

pub use mopac_docx::is_word;

/// True for a file name the tool reads as Word.
pub fn is_word_path(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(is_word)
}

/// True when a paragraph's text opens Part 2.
fn starts_part2(text: &str, config: &Classifications) -> bool {
    let first = text.lines().next().unwrap_or("");
    config
        .banners
        .restricted_starts
        .is_match(&normalize::fold(first))
}

/// True when a header's or footer's text carries a sensitive marking.
fn restricted_marking(text: &str, config: &Classifications) -> bool {
    let folded = normalize::fold(text);
    if !config.sensitive_markings(&folded).is_empty() {
        return true;
    }
    let by_line = text.lines().any(|line| {
        match marking::parse(&normalize::fold(line.trim()), config) {
            Some(Ok(m)) => m.sensitive,
            // A marking with a descriptor the configuration does not know: not public.
            Some(Err(_)) => true,
            None => false,
        }
    });
    if by_line {
        return true;
    }
    match verify::marking::Detector::of(&crate::audit::verifier_policy(config)) {
        Ok(d) => !d.count(&verify::text::marking_text(text)).is_empty(),
        // A detector that cannot be built sees nothing: the header counts as restricted.
        Err(_) => true,
    }
}

/// Reads a Word report into its derived Markdown, or every reason it is refused.
pub fn convert(bytes: &[u8], config: &Classifications) -> Result<Converted, Vec<Reason>> {
    let starts = |t: &str| starts_part2(t, config);
    let restricted = |t: &str| restricted_marking(t, config);
    let policy = Policy {
        starts_part2: &starts,
        restricted_marking: &restricted,
        limits: Limits::default(),
    };
    mopac_docx::convert(bytes, &policy)
}

/// A report as every stage reads it: its Markdown, and where the reader's places stand in
/// it (its restricted sections, bookmarks and copying fields; none but for a Word report).
pub type Source<'a> = (Cow<'a, [u8]>, Places);

/// A report's bytes as every stage reads them, with the places the Word rules read: a Word
/// report's derived Markdown (`name` ends `.docx`), any other report's own bytes.
pub fn source_of<'a>(
    name: &str,
    bytes: &'a [u8],
    config: &Classifications,
) -> Result<Source<'a>, Vec<Reason>> {
    if !is_word(name) {
        return Ok((Cow::Borrowed(bytes), Places::default()));
    }
    let c = convert(bytes, config)?;
    Ok((Cow::Owned(c.markdown.into_bytes()), c.places))
}

/// The Markdown a report's file is read as: a Word file's derived Markdown, any other file's
/// own bytes. An error says, without quoting the report, why a Word file cannot be read.
pub fn markdown_of(
    path: &Path,
    bytes: Vec<u8>,
    config: &Classifications,
) -> Result<Vec<u8>, String> {
    if !is_word_path(path) {
        return Ok(bytes);
    }
    match convert(&bytes, config) {
        Ok(c) => Ok(c.markdown.into_bytes()),
        Err(reasons) => Err(format!(
            "a Word file the tool refuses [{}]",
            reasons
                .iter()
                .map(|r| r.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The first reason the Word rules refuse an analysed report: a restricted section before
/// Part 2, or a field in the published part that copies text not known to be public.
pub fn refused(a: &Analysis<'_>, places: &Places) -> Option<Reason> {
    restricted_before_part2(a, &places.restricted).or_else(|| copies_withheld_text(a, places))
}

/// The line of the Part 2 banner, if the report has one.
fn banner_line(a: &Analysis<'_>) -> Option<usize> {
    a.classified
        .pieces
        .iter()
        .find(|p| p.role == Role::Part2Banner)
        .map(|p| a.lines.line(p.range.start))
}

/// [word-restricted-section] A line of a restricted section that stands before the Part 2
/// banner, or anywhere in a report without one.
pub fn restricted_before_part2(a: &Analysis<'_>, restricted: &[(usize, usize)]) -> Option<Reason> {
    let banner = banner_line(a);
    let &(first, last) = restricted
        .iter()
        .find(|(first, _)| banner.is_none_or(|b| *first < b))?;
    Some(Reason::new(
        Code::WordRestrictedSection,
        first,
        format!(
            "lines {first}-{last} stand in a section whose header or footer carries a sensitive marking, before the Part 2 banner"
        ),
    ))
}

/// [word-reference-not-public] A field or link before the Part 2 banner (anywhere, in a
/// report without one) whose result is text copied from a bookmark that is not known to be
/// public: one that ends at or after the banner or never ends, one the document does not
/// have (its text may be from Part 2 or a header), or a contents entry that names none.
/// Bookmark names are compared whatever their case, as Word does, and every bookmark of
/// the name must be public. Messages name the field's kind, never the bookmark's name,
/// which is the document's own wording.
pub fn copies_withheld_text(a: &Analysis<'_>, places: &Places) -> Option<Reason> {
    let banner = banner_line(a);
    let published = |line: usize| banner.is_none_or(|b| line < b);
    for copy in places.copies.iter().filter(|c| published(c.line)) {
        let why = match &copy.target {
            None => "copies text without naming its bookmark",
            Some(target) => {
                let named: Vec<_> = places
                    .bookmarks
                    .iter()
                    .filter(|b| b.name.eq_ignore_ascii_case(target))
                    .collect();
                if named.is_empty() {
                    "copies text from a bookmark the document does not have"
                } else if banner.is_some()
                    && named.iter().any(|b| b.last.is_none_or(|l| !published(l)))
                {
                    "copies text from a bookmark at or after the Part 2 banner"
                } else {
                    continue;
                }
            }
        };
        return Some(Reason::new(
            Code::WordReferenceNotPublic,
            copy.line,
            format!("a {} in the published part {why}", copy.kind),
        ));
    }
    None
}

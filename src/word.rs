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

use std::borrow::Cow;
use std::path::Path;

use mopac_docx::{Converted, Limits, Policy};
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

/// A report as every stage reads it: its Markdown, and the first and last lines of each of
/// its restricted sections (none but for a Word report).
pub type Source<'a> = (Cow<'a, [u8]>, Vec<(usize, usize)>);

/// A report's bytes as every stage reads them, with the lines of its restricted sections:
/// a Word report's derived Markdown (`name` ends `.docx`), any other report's own bytes.
pub fn source_of<'a>(
    name: &str,
    bytes: &'a [u8],
    config: &Classifications,
) -> Result<Source<'a>, Vec<Reason>> {
    if !is_word(name) {
        return Ok((Cow::Borrowed(bytes), Vec::new()));
    }
    let c = convert(bytes, config)?;
    Ok((Cow::Owned(c.markdown.into_bytes()), c.restricted))
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

/// [word-restricted-section] A line of a restricted section that stands before the Part 2
/// banner, or anywhere in a report without one.
pub fn restricted_before_part2(a: &Analysis<'_>, restricted: &[(usize, usize)]) -> Option<Reason> {
    let banner = a
        .classified
        .pieces
        .iter()
        .find(|p| p.role == Role::Part2Banner)
        .map(|p| a.lines.line(p.range.start));
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

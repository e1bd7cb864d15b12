//! Classify: decide, for every byte of a report, whether it is public or withheld.
//!
//! The report is read top to bottom as top-level blocks (see [`crate::markdown::segment`]):
//!
//! 1. the cover and Part 1, public, which must carry a public-part banner;
//! 2. the Part 2 banner, a block that must be the banner and nothing else;
//! 3. the Part 2 preamble, public: the marking statement, page-footer footnotes that belong to
//!    Part 1, and the marking;
//! 4. everything after, withheld.
//!
//! Anything that does not fit this shape is a reason to quarantine, never a guess: a banner
//! sharing a block with other text, a sensitive marking in the public part, a descriptor the
//! configuration does not know, a Part 2 without a marking.

use std::ops::Range;

use crate::config::{Classifications, Exemption};
use crate::front_matter::{self, FrontMatter};
use crate::markdown::{Kind, Segment};
use crate::marking::{self, Marking, MarkingError};
use crate::normalize::{fold, fold_lines, one_line};
use mopac_types::Lines;
use mopac_types::reason::{Code, Reason};

/// What a piece of the report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Cover and Part 1.
    Public,
    /// The Part 2 banner.
    Part2Banner,
    /// Blank lines, the marking statement and footnotes between the banner and the marking.
    Preamble,
    /// The Part 2 marking.
    Marking,
    /// Restricted content.
    Withheld,
    /// Front matter lines that are not published.
    FrontMatterRemoved,
    /// A link reference or footnote definition of the public part that only the withheld
    /// part refers to: left orphaned by the redaction, it goes with it.
    Orphaned,
}

impl Role {
    /// True when the piece is published.
    pub fn is_kept(self) -> bool {
        !matches!(
            self,
            Role::Withheld | Role::FrontMatterRemoved | Role::Orphaned
        )
    }
}

/// A byte range of the report with its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub range: Range<usize>,
    pub role: Role,
    /// The segment the piece is, when it is a whole one (front matter lines are not).
    pub segment: Option<usize>,
}

/// The restricted part of a report.
#[derive(Debug, Clone)]
pub struct Part2 {
    /// The marking under the banner (or the first in Part 2, or the configured default).
    pub marking: Marking,
    /// Exemptions cited, in the order their descriptors first appear.
    pub exemptions: Vec<Exemption>,
    /// Every descriptor of every Part 2 marking, in order of appearance.
    pub descriptors: Vec<String>,
}

/// A report ready to redact.
#[derive(Debug, Clone)]
pub struct Classified {
    /// In order, covering the report exactly.
    pub pieces: Vec<Piece>,
    /// The report's title, from its front matter or its cover.
    pub title: Option<String>,
    pub front_matter: Option<FrontMatter>,
    pub part2: Option<Part2>,
    /// The segment holding the public-part banner: the cover is what stands before it.
    pub public_banner: Option<usize>,
    /// The cover's title block (the first that is not letterhead or a marking), if any.
    pub title_segment: Option<usize>,
}

/// The classifier's decision.
#[derive(Debug, Clone)]
pub enum Verdict {
    Publish(Box<Classified>),
    /// Sensitive as a whole: nothing of it is published.
    Withhold(Reason),
    Quarantine(Vec<Reason>),
}

/// Classifies a report (`src` without its byte-order mark) cut into `segments`.
pub fn classify(
    src: &str,
    segments: &[Segment],
    lines: &Lines,
    config: &Classifications,
) -> Verdict {
    let mut reasons = Vec::new();
    let line_of = |seg: &Segment| lines.line(seg.range.start);
    // Each segment's text folded once: line by line, and whole (its lines joined by a space,
    // which is how folding reads a line break).
    let folded: Vec<(Vec<String>, String)> = segments
        .iter()
        .map(|s| {
            let lines = fold_lines(&s.text);
            let whole = lines.join(" ");
            (lines, whole)
        })
        .collect();

    // Front matter.
    let mut front = None;
    let mut body_start = 0;
    if let Some(first) = segments.first().filter(|s| s.kind == Kind::FrontMatter) {
        match front_matter::read(src, first.range.clone(), 1, config) {
            Ok(fm) => {
                if let Some(classification) = &fm.classification {
                    match marking::parse(&fold(classification), config) {
                        Some(Ok(m)) if m.sensitive => {
                            return Verdict::Withhold(Reason::new(
                                Code::WithheldAsAWhole,
                                fm.line_of("classification"),
                                "front matter classifies the whole report as sensitive",
                            ));
                        }
                        Some(Ok(_)) => {}
                        Some(Err(MarkingError::UnknownDescriptor)) => reasons.push(Reason::new(
                            Code::UnknownDescriptor,
                            fm.line_of("classification"),
                            "front matter classification has a descriptor that markings.yaml does not list",
                        )),
                        None => reasons.push(Reason::new(
                            Code::InvalidFrontMatter,
                            fm.line_of("classification"),
                            "front matter classification is not a security marking",
                        )),
                    }
                }
                front = Some(fm);
            }
            Err(e) => {
                return Verdict::Quarantine(vec![Reason::new(
                    Code::InvalidFrontMatter,
                    e.line,
                    e.message,
                )]);
            }
        }
        body_start = 1;
    }

    // Cover and Part 1, up to the Part 2 banner.
    let mut public_banner_at: Option<usize> = None;
    let mut banner: Option<usize> = None;
    for (i, seg) in segments.iter().enumerate().skip(body_start) {
        if seg.kind == Kind::Gap && seg.is_blank(src) {
            continue;
        }
        // Inside code and HTML blocks, markup is text: read lines without it.
        let (seg_lines, whole) = &folded[i];
        let bare: Vec<&str> = seg_lines.iter().map(|l| without_markup(l)).collect();
        if public_banner_at.is_none() {
            if seg.kind != Kind::Gap
                && let Some(Ok(m)) = marking::parse(whole, config)
                && m.sensitive
            {
                return Verdict::Withhold(Reason::new(
                    Code::WithheldAsAWhole,
                    line_of(seg),
                    "the report's first marking is sensitive: it is restricted as a whole",
                ));
            }
            if bare
                .iter()
                .any(|l| config.banners.public.iter().any(|b| b.regex.is_match(l)))
            {
                public_banner_at = Some(i);
            }
        }
        if seg.kind != Kind::Gap
            && config
                .banners
                .restricted_whole
                .iter()
                .any(|b| b.regex.is_match(whole))
        {
            banner = Some(i);
            break;
        }
        if bare
            .iter()
            .any(|l| config.banners.restricted_starts.is_match(l))
        {
            let line = line_at(src, seg, lines, |l| {
                config.banners.restricted_starts.is_match(l)
            });
            let opens = line_of(seg);
            let reason = if bare.len() == 1 && seg.kind != Kind::Gap {
                Reason::new(
                    Code::UnrecognisedPart2Banner,
                    line,
                    "a Part 2 banner whose wording banners.yaml does not give",
                )
            } else if opens < line {
                Reason::new(
                    Code::Part2BannerInsideBlock,
                    line,
                    format!(
                        "a Part 2 banner inside the block that opens at line {opens} \
                         (no blank line before the banner, or a code fence or HTML block above it never closed)"
                    ),
                )
            } else {
                Reason::new(
                    Code::Part2BannerInsideBlock,
                    line,
                    "a Part 2 banner shares its block with other text",
                )
            };
            reasons.push(reason);
        } else if seg.kind != Kind::Gap
            && config
                .banners
                .restricted_tells
                .iter()
                .any(|t| t.is_match(whole))
        {
            // A Part 2 banner dressed in a way no rule above reads ("12 Part 2 – …", a
            // banner after a line break inside a paragraph): its wording still tells.
            let line = line_at(src, seg, lines, |l| {
                config
                    .banners
                    .restricted_tells
                    .iter()
                    .any(|t| t.is_match(l))
            });
            reasons.push(Reason::new(
                Code::UnrecognisedPart2Banner,
                line,
                "the wording of a Part 2 banner in a block that is not a recognised banner",
            ));
        }
    }
    if public_banner_at.is_none() {
        reasons.push(Reason::new(
            Code::NoPublicBanner,
            banner.map_or(1, |b| line_of(&segments[b])),
            "no public-part banner (e.g. \"Part 1 – This section of the report will be published\") before Part 2",
        ));
    }

    let mut pieces = Vec::new();
    if let Some(fm) = &front {
        for (range, kept) in &fm.pieces {
            // A marking anywhere in the front matter but `classification:` is unexpected: the
            // report says it is sensitive where the tool does not read it.
            let marked = src[range.clone()]
                .split_inclusive('\n')
                .find(|line| !line.starts_with("classification:") && is_sensitive(line, config));
            if let Some(line) = marked {
                let at = range.start + src[range.clone()].find(line).unwrap_or(0);
                reasons.push(Reason::new(
                    Code::SensitiveMarkingInPublic,
                    lines.line(at),
                    "a sensitive security marking in the front matter; give it as `classification:`",
                ));
            }
            pieces.push(Piece {
                range: range.clone(),
                role: if *kept {
                    Role::Public
                } else {
                    Role::FrontMatterRemoved
                },
                segment: None,
            });
        }
    }
    let part1_end = banner.unwrap_or(segments.len());
    for (i, seg) in segments.iter().enumerate().take(part1_end).skip(body_start) {
        pieces.push(Piece {
            range: seg.range.clone(),
            role: Role::Public,
            segment: Some(i),
        });
    }

    let mut part2 = None;
    if let Some(b) = banner {
        pieces.push(Piece {
            range: segments[b].range.clone(),
            role: Role::Part2Banner,
            segment: Some(b),
        });
        let public_text: String = segments[..b].iter().map(|s| s.text.as_str()).collect();
        let preamble = preamble(src, segments, b + 1, &public_text, config);
        let rest = b + 1 + preamble.taken;
        pieces.extend(preamble.pieces);
        for (i, seg) in segments.iter().enumerate().skip(rest) {
            pieces.push(Piece {
                range: seg.range.clone(),
                role: Role::Withheld,
                segment: Some(i),
            });
        }

        // Every marking in Part 2 adds its descriptors; an unreadable one stops publication.
        let mut markings: Vec<Marking> = preamble.marking.into_iter().collect();
        if let Some(line) = preamble.unknown_descriptor_at {
            reasons.push(Reason::new(
                Code::UnknownDescriptor,
                lines.line(line),
                "the Part 2 marking has a descriptor that markings.yaml does not list",
            ));
        }
        for (seg, (seg_lines, _)) in segments[rest..]
            .iter()
            .zip(&folded[rest..])
            .filter(|(s, _)| s.kind != Kind::Gap)
        {
            for line in seg_lines {
                match marking::parse(line, config) {
                    Some(Ok(m)) if m.sensitive => markings.push(m),
                    Some(Err(MarkingError::UnknownDescriptor))
                        if !line.chars().any(char::is_lowercase) =>
                    {
                        let at = line_at(src, seg, lines, |l| l == line);
                        reasons.push(Reason::new(
                            Code::UnknownDescriptor,
                            at,
                            "a marking in Part 2 has a descriptor that markings.yaml does not list",
                        ));
                    }
                    _ => {}
                }
            }
        }
        let banner_line = line_of(&segments[b]);
        if preamble.statement
            && preamble.marking_at.is_none()
            && preamble.unknown_descriptor_at.is_none()
        {
            reasons.push(Reason::new(
                Code::NoPart2Marking,
                banner_line,
                "the marking statement is not followed by a marking",
            ));
        }
        if markings.is_empty()
            && let Some(default) = &config.markings.default_marking
            && let Some(Ok(m)) = marking::parse(&fold(default), config)
        {
            markings.push(m);
        }
        match markings.first() {
            None if preamble.unknown_descriptor_at.is_none() => reasons.push(Reason::new(
                Code::NoPart2Marking,
                banner_line,
                "Part 2 carries no security marking and markings.yaml sets no default_marking",
            )),
            None => {}
            Some(primary) => {
                let mut exemptions: Vec<Exemption> = Vec::new();
                for m in &markings {
                    for d in &m.descriptors {
                        let cited = config
                            .markings
                            .descriptors
                            .iter()
                            .find(|t| &t.id == d)
                            .and_then(|t| t.exemption.as_deref())
                            .and_then(|id| config.exemptions.get(id));
                        match cited {
                            Some(e) if !exemptions.contains(e) => exemptions.push(e.clone()),
                            Some(_) => {}
                            None => reasons.push(Reason::new(
                                Code::NoExemption,
                                banner_line,
                                "a Part 2 descriptor has no configured exemption",
                            )),
                        }
                    }
                }
                if exemptions.is_empty() {
                    match config
                        .markings
                        .no_descriptor_exemption
                        .as_deref()
                        .and_then(|id| config.exemptions.get(id))
                    {
                        Some(e) => exemptions.push(e.clone()),
                        None => reasons.push(Reason::new(
                            Code::NoExemption,
                            preamble.marking_at.map_or(banner_line, |at| lines.line(at)),
                            "the Part 2 marking has no descriptor, so no exemption can be cited",
                        )),
                    }
                }
                let mut descriptors: Vec<String> = Vec::new();
                for d in markings.iter().flat_map(|m| &m.descriptors) {
                    if !descriptors.contains(d) {
                        descriptors.push(d.clone());
                    }
                }
                part2 = Some(Part2 {
                    marking: primary.clone(),
                    exemptions,
                    descriptors,
                });
            }
        }
    }

    // Raw HTML nested hundreds deep is no report, and the sanitiser's time grows with the
    // square of the depth: refuse it rather than stall an unattended run.
    let public_end = pieces
        .iter()
        .filter(|p| p.role.is_kept())
        .map(|p| p.range.end)
        .max()
        .unwrap_or(0);
    if let Some(at) = too_deep(&src[..public_end]) {
        reasons.push(Reason::new(
            Code::TooComplex,
            lines.line(at),
            format!("raw HTML nested more than {MAX_HTML_DEPTH} elements deep"),
        ));
    }

    // Nothing published may be hidden: a comment or hidden HTML is text no reader sees.
    for piece in pieces.iter().filter(|p| p.role.is_kept()) {
        if let Some(c) = piece.segment.and_then(|i| segments[i].hidden.first()) {
            reasons.push(Reason::new(
                Code::HiddenContent,
                lines.line(c.start),
                "hidden text in the public part (an HTML comment, or HTML that hides its content): it is never published",
            ));
        }
    }

    // Nothing published may carry a sensitive marking, but the marking under the banner.
    for piece in pieces
        .iter()
        .filter(|p| matches!(p.role, Role::Public | Role::Part2Banner | Role::Preamble))
    {
        let raw = &src[piece.range.clone()];
        if piece.role == Role::Preamble && config.banners.marking_statement.is_match(&fold(raw)) {
            continue;
        }
        let text_marked = piece.segment.is_some_and(|i| marked(&folded[i].1, config));
        if text_marked || is_sensitive(raw, config) {
            let mut at = piece.range.start;
            for line in raw.split_inclusive('\n') {
                if is_sensitive(line, config) {
                    break;
                }
                at += line.len();
            }
            let at = if at >= piece.range.end {
                piece.range.start
            } else {
                at
            };
            reasons.push(Reason::new(
                Code::SensitiveMarkingInPublic,
                lines.line(at),
                "a sensitive security marking in the public part (no Part 2 banner before it)",
            ));
        }
    }

    // The Part 2 banner and the marking blocks are published, but read as their text: markup
    // there that carries text of its own (an attribute, a link's address, an image) would be
    // published unread.
    // (Part 1's footnotes, published after the banner, are Part 1 text and may link.)
    for piece in pieces.iter().filter(|p| match p.role {
        Role::Part2Banner | Role::Marking => true,
        // The statement introducing the marking, read as the classifier read it.
        Role::Preamble => p
            .segment
            .is_some_and(|i| config.banners.marking_statement.is_match(&folded[i].1)),
        _ => false,
    }) {
        let raw = &src[piece.range.clone()];
        if let Some(offset) = carries_text(raw) {
            reasons.push(Reason::new(
                Code::HiddenContent,
                lines.line(piece.range.start + offset),
                "markup in the Part 2 banner or marking that carries text of its own (an attribute, a link or an image): they are published, so give them as plain text",
            ));
        }
    }

    let cover = body_start..public_banner_at.unwrap_or(body_start);
    let title_segment = cover_title(&segments[cover], config).map(|i| i + body_start);
    let title = front
        .as_ref()
        .and_then(|f| f.title.clone())
        .or_else(|| title_segment.map(|i| title_text(&segments[i])));
    if part2.is_some() && title.is_none() {
        reasons.push(Reason::new(
            Code::NoTitle,
            1,
            "the exemption notice needs the report's title, and none was found",
        ));
    }

    if !reasons.is_empty() {
        reasons.sort();
        reasons.dedup_by(|a, b| a.line == b.line && a.code == b.code);
        if reasons.iter().any(|r| r.code == Code::NoPublicBanner) {
            // Without the banner there is no cover to find the title in.
            reasons.retain(|r| r.code != Code::NoTitle);
        }
        return Verdict::Quarantine(reasons);
    }
    Verdict::Publish(Box::new(Classified {
        pieces: without_orphans(src, pieces, segments),
        title,
        front_matter: front,
        part2,
        public_banner: public_banner_at,
        title_segment,
    }))
}

struct Preamble {
    pieces: Vec<Piece>,
    /// Segments taken into the preamble.
    taken: usize,
    statement: bool,
    marking: Option<Marking>,
    marking_at: Option<usize>,
    unknown_descriptor_at: Option<usize>,
}

/// Reads what follows the Part 2 banner: blank lines, the marking statement, footnotes that
/// belong to Part 1, and the marking. It stops at the marking or at anything else.
fn preamble(
    src: &str,
    segments: &[Segment],
    from: usize,
    public_text: &str,
    config: &Classifications,
) -> Preamble {
    let mut p = Preamble {
        pieces: Vec::new(),
        taken: 0,
        statement: false,
        marking: None,
        marking_at: None,
        unknown_descriptor_at: None,
    };
    for (i, seg) in segments.iter().enumerate().skip(from) {
        let role = if seg.kind == Kind::Gap {
            if seg.is_blank(src) {
                Some(Role::Preamble)
            } else {
                None
            }
        } else if seg.kind != Kind::Paragraph && seg.kind != Kind::Heading {
            None
        } else {
            let folded = fold(&seg.text);
            if let Some(caps) = config
                .banners
                .marking_statement
                .captures(&folded)
                .filter(|_| !p.statement)
            {
                p.statement = true;
                let inline = caps.name("marking").map_or("", |m| m.as_str()).trim();
                if inline.is_empty() {
                    Some(Role::Preamble)
                } else {
                    match marking::parse(inline, config) {
                        Some(Ok(m)) if m.sensitive => {
                            p.marking = Some(m);
                            p.marking_at = Some(seg.range.start);
                            Some(Role::Marking)
                        }
                        Some(Err(_)) => {
                            p.unknown_descriptor_at = Some(seg.range.start);
                            None
                        }
                        _ => None,
                    }
                }
            } else if is_part1_footnote(&seg.text, public_text, config) {
                Some(Role::Preamble)
            } else {
                match marking::parse(&folded, config) {
                    Some(Ok(m)) if m.sensitive => {
                        p.marking = Some(m);
                        p.marking_at = Some(seg.range.start);
                        Some(Role::Marking)
                    }
                    Some(Err(_)) => {
                        p.unknown_descriptor_at = Some(seg.range.start);
                        None
                    }
                    _ => None,
                }
            }
        };
        let Some(role) = role else { break };
        p.pieces.push(Piece {
            range: seg.range.clone(),
            role,
            segment: Some(i),
        });
        p.taken += 1;
        if role == Role::Marking {
            break;
        }
    }
    // Blank lines read after the marking's search ended belong to what follows.
    while p.pieces.last().is_some_and(|piece| {
        piece.role == Role::Preamble && src[piece.range.clone()].trim().is_empty()
    }) && p.marking.is_none()
    {
        p.pieces.pop();
        p.taken -= 1;
    }
    p
}

/// Takes out of the public part the link reference and footnote definitions that only the
/// withheld part refers to: whatever they point at was meant for the restricted text.
fn without_orphans(src: &str, pieces: Vec<Piece>, segments: &[Segment]) -> Vec<Piece> {
    use std::collections::HashSet;
    let mut public: HashSet<&str> = HashSet::new();
    let mut withheld: HashSet<&str> = HashSet::new();
    for p in &pieces {
        let Some(i) = p.segment else { continue };
        let refs = segments[i].refs.iter().map(String::as_str);
        match p.role {
            Role::Withheld => withheld.extend(refs),
            r if r.is_kept() => public.extend(refs),
            _ => {}
        }
    }
    if withheld.is_empty() {
        return pieces;
    }
    let orphan = |label: &str| !public.contains(label) && withheld.contains(label);
    let definition = regex::Regex::new(r"^ {0,3}\[((?:[^\]\\]|\\.)+)\]:")
        .expect("the definition pattern compiles");
    let mut out = Vec::with_capacity(pieces.len());
    for p in pieces {
        let seg = match p.segment {
            Some(i) if p.role == Role::Public => &segments[i],
            _ => {
                out.push(p);
                continue;
            }
        };
        if seg.defines.as_deref().is_some_and(orphan) {
            out.push(Piece {
                role: Role::Orphaned,
                ..p
            });
            continue;
        }
        if seg.kind != Kind::Gap || seg.is_blank(src) {
            out.push(p);
            continue;
        }
        // A gap holds definitions, each from its "[label]:" line to the next one or a blank
        // line; the others' lines stay as they are.
        let mut at = p.range.start;
        let mut orphaned = false;
        for line in src[p.range.clone()].split_inclusive('\n') {
            if let Some(caps) = definition.captures(line) {
                orphaned = orphan(&crate::markdown::label(&caps[1]));
            } else if line.trim().is_empty() {
                orphaned = false;
            }
            let role = if orphaned {
                Role::Orphaned
            } else {
                Role::Public
            };
            match out.last_mut() {
                Some(last)
                    if last.range.end == at
                        && last.role == role
                        && last.segment.is_none()
                        && at > p.range.start =>
                {
                    last.range.end = at + line.len()
                }
                _ => out.push(Piece {
                    range: at..at + line.len(),
                    role,
                    segment: None,
                }),
            }
            at += line.len();
        }
    }
    out
}

/// How deep raw HTML may nest in the public part.
const MAX_HTML_DEPTH: usize = 256;

/// Where raw HTML first nests deeper than [`MAX_HTML_DEPTH`], counting opening and closing
/// tags (void elements aside) without parsing: a bound, not a validation.
fn too_deep(text: &str) -> Option<usize> {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    for (i, _) in text.match_indices('<') {
        let rest = &bytes[i + 1..];
        if rest.first() == Some(&b'/') {
            depth = depth.saturating_sub(1);
        } else if rest.first().is_some_and(u8::is_ascii_alphabetic) {
            let name: String = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .map(|&b| char::from(b).to_ascii_lowercase())
                .collect();
            if !VOID.contains(&name.as_str()) {
                depth += 1;
                if depth > MAX_HTML_DEPTH {
                    return Some(i);
                }
            }
        }
    }
    None
}

/// A page-footer footnote whose superscript marker also stands in Part 1.
fn is_part1_footnote(text: &str, public_text: &str, config: &Classifications) -> bool {
    let text = text.trim();
    let Some(m) = config.document.footnote.find(text) else {
        return false;
    };
    let marker = m.as_str().trim();
    !marker.is_empty() && text.lines().count() == 1 && public_text.contains(marker)
}

/// The 1-based line of the first source line of `seg` that `hit` accepts once folded (markup
/// that opens a line, such as `#`, `>` or `**`, aside); the block's first line otherwise.
fn line_at(src: &str, seg: &Segment, lines: &Lines, hit: impl Fn(&str) -> bool) -> usize {
    let mut at = seg.range.start;
    for line in src[seg.range.clone()].split_inclusive('\n') {
        if hit(without_markup(&fold(line))) {
            return lines.line(at);
        }
        at += line.len();
    }
    lines.line(seg.range.start)
}

/// A folded line without what can stand before or after its words: Markdown markup
/// (`## `, `> `, `**`, `- `, `1. `), bullets and other symbols, numbering such as `(2)`, and
/// HTML tags. A banner is recognised however it is dressed, or the report is quarantined.
fn without_markup(line: &str) -> &str {
    let mut rest = line;
    loop {
        let before = rest.len();
        if rest.starts_with('<')
            && let Some(end) = rest.find('>')
        {
            rest = &rest[end + 1..];
        }
        rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '<');
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && rest[digits..].starts_with(['.', ')']) {
            rest = &rest[digits + 1..];
        }
        if rest.len() == before {
            break;
        }
    }
    loop {
        let before = rest.len();
        rest = rest.trim_end_matches(['*', '_', ' ']);
        if rest.ends_with('>')
            && let Some(start) = rest.rfind('<')
        {
            rest = &rest[..start];
        }
        if rest.len() == before {
            break;
        }
    }
    rest
}

/// Where `raw` Markdown holds markup that carries text of its own: a link's address or an
/// image (`](`, `![`), or an HTML tag with an attribute other than `id` or `name` (an empty
/// anchor or span is only markup). `None` when it holds none.
fn carries_text(raw: &str) -> Option<usize> {
    use std::sync::OnceLock;
    static ATTRIBUTE: OnceLock<regex::Regex> = OnceLock::new();
    let attribute = ATTRIBUTE.get_or_init(|| {
        regex::Regex::new(r"(?i)[\s/]([^\s/>=]+)\s*=").expect("the attribute pattern compiles")
    });
    if let Some(at) = ["](", "!["].iter().filter_map(|m| raw.find(m)).min() {
        return Some(at);
    }
    let mut from = 0;
    while let Some(open) = raw[from..].find('<').map(|i| from + i) {
        let end = raw[open..].find('>').map_or(raw.len(), |i| open + i);
        let tag = &raw[open..end];
        if attribute
            .captures_iter(tag)
            .any(|c| !matches!(c[1].to_ascii_lowercase().as_str(), "id" | "name"))
        {
            return Some(open);
        }
        from = end.max(open + 1);
    }
    None
}

/// True when `text` carries a sensitive marking anywhere.
fn is_sensitive(text: &str, config: &Classifications) -> bool {
    marked(&fold(text), config)
}

/// True when `folded` (text passed through [`fold`]) carries a sensitive marking anywhere.
fn marked(folded: &str, config: &Classifications) -> bool {
    !config.sensitive_markings(folded).is_empty()
}

/// The index in `cover` of its title block: the first that is not the letterhead or a marking.
fn cover_title(cover: &[Segment], config: &Classifications) -> Option<usize> {
    cover.iter().position(|s| {
        let lines = fold_lines(&s.text);
        matches!(s.kind, Kind::Paragraph | Kind::Heading)
            && !lines.is_empty()
            && !lines
                .iter()
                .all(|l| config.notice.title_skip.iter().any(|re| re.is_match(l)))
            && marking::parse(&fold(&s.text), config).is_none()
    })
}

/// A title block's text. The title is printed in the notice: as written, only its line
/// breaks joined.
fn title_text(seg: &Segment) -> String {
    one_line(&seg.text)
}

/// The titles a report may go by, read without classifying it: its front matter's `title`
/// and the first block that is neither letterhead nor marking. For reports that are not
/// published, so that a check can prove their titles appear nowhere in the release.
pub fn title_hints(src: &str, segments: &[Segment], config: &Classifications) -> Vec<String> {
    let mut hints = Vec::new();
    let mut body_start = 0;
    if let Some(first) = segments.first().filter(|s| s.kind == Kind::FrontMatter) {
        body_start = 1;
        if let Ok(fm) = front_matter::read(src, first.range.clone(), 1, config)
            && let Some(title) = fm.title
        {
            hints.push(one_line(&title));
        }
    }
    let rest = &segments[body_start.min(segments.len())..];
    if let Some(i) = cover_title(rest, config) {
        hints.push(title_text(&rest[i]));
    }
    hints.retain(|h| !h.is_empty());
    hints.dedup();
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_that_carries_text_is_found() {
        for raw in [
            "OFFICIAL-SENSITIVE [COMMERCIAL]<span title=\"Lindqvist offered \u{a3}612,900\">",
            "OFFICIAL-SENSITIVE [COMMERCIAL](https://x.example/bid-612900)",
            "Part 2 - x ![Lindqvist](bid.png)",
            "<p class='x' data-bid=\"612900\">Part 2 - x</p>",
        ] {
            assert!(carries_text(raw).is_some(), "{raw}");
        }
        for raw in [
            "<a id=\"part-2\"></a>Part 2 - x",
            "OFFICIAL-SEN<span></span>SITIVE [COMMERCIAL]",
            "<a name=x></a>OFFICIAL-SENSITIVE",
        ] {
            assert_eq!(carries_text(raw), None, "{raw}");
        }
    }

    #[test]
    fn a_line_is_read_without_what_dresses_it() {
        for line in [
            "## Part 2 - x",
            "\u{2022} Part 2 - x",
            "\u{F0B7} Part 2 - x",
            "(2) Part 2 - x",
            "2. Part 2 - x",
            "<p>Part 2 - x</p>",
            "> **Part 2 - x**",
        ] {
            assert_eq!(without_markup(line), "Part 2 - x", "{line}");
        }
    }
}
